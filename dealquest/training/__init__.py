"""Training exercises: recorded runs, the results store, exports, cohort reports and the plain line mode.

Below the TUI and above the engine: nothing here imports Textual. Every figure stored or reported
comes from `dealquest.play.engine`, `dealquest.play.scoring` or `dealquest.play.debrief`; this package only
records, counts and renders them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Mode = Literal["practice", "assessment"]
MODES: tuple[Mode, ...] = ("practice", "assessment")

# Defaults the command line shows in its help. They live here, not in `export` and `report`,
# because building the parser must not import the engine: every `dealquest` command builds it.
#: Where the exported activities and extensions live; a trainer's own IRI is better (--base-iri).
DEFAULT_BASE_IRI = "https://dealquest.invalid/xapi"
#: The grade percentage from which a run counts as passed in xAPI (--pass-mark).
DEFAULT_PASS_MARK = 55.0
ReportFormat = Literal["text", "markdown", "html"]
REPORT_FORMATS: tuple[ReportFormat, ...] = ("text", "markdown", "html")

#: The longest trainee name accepted (it is shown in tables and sent to a Learning Record Store).
MAX_NAME_LENGTH = 60


def check_trainee_name(name: str) -> str | None:
    """Why a trainee name cannot be used, or None when it can."""
    name = name.strip()
    if not name:
        return "give the trainee's name"
    if len(name) > MAX_NAME_LENGTH:
        return f"a trainee name has at most {MAX_NAME_LENGTH} characters"
    if not name.isprintable():
        return "a trainee name cannot contain control characters"
    return None


@dataclass
class TrainingSettings:
    """A training session as the app runs it: where runs are recorded, for whom, in which mode.

    `trainee`, `mode` or `campaign` left as None are asked for when the session starts (the
    sign-in screen under `dealquest serve`). `seed`, when the trainer gives one, is used for every
    run, so the whole group meets the same chances.
    """

    store: Path
    trainee: str | None = None
    mode: Mode | None = "practice"
    seed: int | None = None
