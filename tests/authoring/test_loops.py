"""Loops with no way out are reported as loops, in order; an unreachable scene is reported once, with
the right reason (issue 18)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dealquest.authoring.playtest import build_report
from dealquest.story.diagnostics import FIXES
from dealquest.story.loader import load_campaign

from .designs import option, scenes, write


def _at(folder: Path, text: str) -> str:
    """FILE:LINE:COL of the first line of scenes.yaml holding `text`, at the text."""
    path = folder / "scenes.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(lines, start=1) if text in t)
    return f"{path}:{line}:{lines[line - 1].index(text) + 1 + len('id: ')}"


def _scene(sid: str, *choices: dict[str, Any]) -> dict[str, Any]:
    return {"id": sid, "role": "salesperson", "title": sid, "text": "Someone waits.", "choices": list(choices)}


def _looping(tmp_path: Path) -> Path:
    listed = scenes()
    # s3's best option goes to 'wait' instead: 'wait' and 'again' lead only to each other.
    listed[3]["choices"][3]["goto"] = "wait"
    listed.append(_scene("again", option("ring", (1, 1, 1), "wait")))
    listed.append(_scene("wait", option("hold", (1, 1, 1), "again"), option("chase", (0, 1, 0), "again")))
    write(tmp_path / "loop", listed)
    return tmp_path / "loop"


def test_a_loop_with_no_way_out_is_a_warning_that_names_its_scenes_in_order(tmp_path: Path) -> None:
    folder = _looping(tmp_path)
    found = [d.format() for d in load_campaign(folder).diagnostics if d.code == "DQ210"]
    assert found == [
        f"{_at(folder, 'id: again')}: warning[DQ210]: the scenes 'again' -> 'wait' -> 'again' loop with no way "
        "out: no choice or deadline on them leads to an ending (give one of them a choice that leads out of "
        "the loop, toward an ending)"
    ]
    assert "DQ210" in FIXES


def test_a_loop_with_a_way_out_is_no_warning(tmp_path: Path) -> None:
    folder = _looping(tmp_path)
    text = (folder / "scenes.yaml").read_text(encoding="utf-8")
    (folder / "scenes.yaml").write_text(text.replace("goto: again\n", "goto: won\n", 1), encoding="utf-8")
    assert [d for d in load_campaign(folder).diagnostics if d.code == "DQ210"] == []


def test_playtest_lists_the_loop_in_order(tmp_path: Path) -> None:
    campaign = load_campaign(_looping(tmp_path)).campaign
    assert campaign is not None
    loop = "a playthrough can loop forever without changing the state: 'again' -> 'wait' -> 'again'"
    assert loop in build_report(campaign, "loop", runs=0, exhaustive=True)["problems"]
    assert loop in build_report(campaign, "loop", runs=0)["problems"]
    assert build_report(campaign, "loop", runs=0, exhaustive=True)["exhaustive"]["loop"] == ["again", "wait"]


def test_an_unreachable_scene_is_reported_once_with_its_reason(tmp_path: Path) -> None:
    listed = scenes()
    listed.append(_scene("orphan", option("ring", (1, 1, 1), "stray")))
    listed.append(_scene("stray", option("hold", (1, 1, 1), "won")))
    campaign = write(tmp_path / "orphans", listed)
    problems = build_report(campaign, "orphans", runs=0, exhaustive=True)["problems"]
    assert [p for p in problems if "'orphan'" in p or "'stray'" in p] == [
        "'orphan' can never be reached (no choice, branch or deadline leads to it)",
        "'stray' can never be reached (only from 'orphan', which cannot be reached either)",
    ]


def test_a_scene_behind_a_choice_never_available_is_reported_once_as_such(tmp_path: Path) -> None:
    listed = scenes()
    late = option("later", (1, 1, 1), "hidden", requires={"var": "budget", "gte": 5})
    listed[0]["choices"].append(late)
    listed.append(_scene("hidden", option("hold", (1, 1, 1), "won")))
    state = {"budget": {"initial": 0, "min": 0, "max": 5, "label": "Budget"}}
    campaign = write(tmp_path / "hidden", listed, state=state)
    problems = build_report(campaign, "hidden", runs=0, exhaustive=True)["problems"]
    assert [p for p in problems if "'hidden'" in p] == [
        "'hidden' is never reached in any playthrough (the choices, branches and deadlines that lead to it are "
        "never available where they are met)"
    ]
