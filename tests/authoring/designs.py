"""Small campaigns for the scenario-design checks, written as data so each test changes one thing.

`fair()` passes every check: in each of four scenes (two per role) the best option is marked
(+1, +1, +1), and three distractors each top one axis and sink the other two, so a player who
maximises one axis alone, follows a word or takes the first or longest option does clearly worse.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from dealquest.story.campaign import Campaign

from ..conftest import campaign as loaded

#: (push_pull, audience, closing) of the best option and of the three distractors, in that order.
BEST = (1, 1, 1)
DISTRACTORS = ((2, -2, -2), (-2, 2, -2), (-2, -2, 2))
#: The techniques, so that neither "always push" nor "always pull" finds the best option.
TECHNIQUES = {BEST: "blend", DISTRACTORS[0]: "push", DISTRACTORS[1]: "pull", DISTRACTORS[2]: "push"}
NAMES = (
    ("alder", "birch", "cedar", "damson"),
    ("elder", "fig", "gorse", "hazel"),
    ("iris", "juniper", "kale", "larch"),
    ("maple", "nettle", "oak", "poplar"),
)
ROLES = ("marketer", "marketer", "salesperson", "salesperson")


def option(name: str, marks: tuple[int, int, int], goto: str, long: bool = False, **extra: Any) -> dict[str, Any]:
    push_pull, audience, closing = marks
    text = f"{name.capitalize()} plan" + (", with a few extra words to read first" if long else "")
    return {
        "text": text,
        "goto": goto,
        "technique": TECHNIQUES.get(marks, "blend"),
        "push_pull": push_pull,
        "audience": audience,
        "closing": closing,
        "feedback": f"The {name} plan: the customer listens and says what she thinks of it.",
        **extra,
    }


def scenes(best_at: tuple[int, ...] = (0, 1, 2, 3)) -> list[dict[str, Any]]:
    """Four scenes; the best option of scene k is listed at position best_at[k]."""
    out = []
    for k, role in enumerate(ROLES):
        nxt = f"s{k + 1}" if k < 3 else "won"
        worse = "lost" if k == 3 else nxt
        others = [option(n, m, worse, long=True) for n, m in zip(NAMES[k][1:], DISTRACTORS, strict=True)]
        choices = others[:]
        choices.insert(best_at[k], option(NAMES[k][0], BEST, nxt))
        out.append(
            {"id": f"s{k}", "role": role, "title": f"Scene {k}", "text": "Someone is waiting.", "choices": choices}
        )
    return out


def write(
    folder: Path,
    scene_list: list[dict[str, Any]],
    state: dict[str, Any] | None = None,
    endings: tuple[dict[str, Any], ...] = (),
) -> Campaign:
    """A campaign folder with these scenes, a success ending `won`, a failure ending `lost` and `endings`."""
    folder.mkdir(parents=True, exist_ok=True)
    header = {
        "id": "design",
        "title": "Design fixture",
        "summary": "Four scenes for the scenario-design checks.",
        "version": "1.0",
        "start": "s0",
        "state": state or {},
        "rubric": {
            "marketer": {"push_share": 0.35, "aim": "Brief sales", "audience": "The segment"},
            "salesperson": {"push_share": 0.75, "aim": "Close", "audience": "The buyer"},
            "grades": [{"min": 80, "grade": "A", "label": "Top"}, {"min": 0, "grade": "E", "label": "Low"}],
        },
        "endings": [
            {"id": "won", "title": "Won", "text": "Signed.", "outcome": "success"},
            {"id": "lost", "title": "Lost", "text": "Gone.", "outcome": "failure"},
            *endings,
        ],
    }
    (folder / "campaign.yaml").write_text(yaml.safe_dump(header, sort_keys=False), encoding="utf-8")
    (folder / "scenes.yaml").write_text(yaml.safe_dump({"scenes": scene_list}, sort_keys=False), encoding="utf-8")
    return loaded(folder)


def fair(folder: Path) -> Campaign:
    return write(folder, scenes())
