"""Training exercises: recorded runs, the results store, exports, cohort reports and the plain line mode.

Below the TUI and above the engine: nothing here imports Textual. Every figure stored or reported
comes from `dealquest.play.engine`, `dealquest.play.scoring` or `dealquest.play.debrief`; this package only
records, counts and renders them.
"""

from __future__ import annotations

import unicodedata
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

#: Invisible characters that belong inside a name a person can type: the joiners of emoji
#: sequences (👩🏽‍💼) and of some scripts, and the tags of subdivision flags.
_JOINERS = {"\u200c", "\u200d", *(chr(c) for c in range(0xE0020, 0xE0080))}


def normalise_name(name: str) -> str:
    """A name as DealQuest keeps and shows it: Unicode NFC, spaces trimmed and collapsed."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def name_key(name: str) -> str:
    """What two spellings of one name share ("alice", " Alice "): the one rule for grouping names in
    the report, the exports and xAPI."""
    return normalise_name(name).casefold()


def check_trainee_name(name: str) -> str | None:
    """Why a trainee name cannot be used, or None when it can. Any printable name is accepted, emoji
    sequences with their joiners included; control characters and terminal escapes are not."""
    name = normalise_name(name)
    if not name:
        return "give the trainee's name"
    if len(name) > MAX_NAME_LENGTH:
        return f"a trainee name has at most {MAX_NAME_LENGTH} characters (this one has {len(name)})"
    for ch in name:
        category = unicodedata.category(ch)
        if category in ("Cc", "Cs", "Co", "Cn", "Zl", "Zp") or (category == "Cf" and ch not in _JOINERS):
            return f"a trainee name cannot contain control characters (U+{ord(ch):04X})"
    return None


@dataclass
class TrainingSettings:
    """A training session as the app runs it: where runs are recorded, for whom, in which mode.

    `trainee`, `mode` or `campaign` left as None are asked for when the session starts (the
    sign-in screen under `dealquest serve`). `seed`, when the trainer gives one, is used for every
    run, so the whole group meets the same chances.
    """

    store: Path | str  # a file, or a postgresql:// URL
    trainee: str | None = None
    mode: Mode | None = "practice"
    seed: int | None = None
    trainee_id: str | None = None
