"""A choice's marks on one line (`marks: pull +2, one +2, closing +1`) is the long form's choice.

It validates, its mistakes are reported at the offending character in a writer's words, and it
round-trips: every choice of every bundled campaign, rewritten with a marks line, loads as the same
model.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from dealquest.story import marks
from dealquest.story.library import bundled_root
from dealquest.story.loader import load_campaign
from dealquest.story.model import Choice

from ..conftest import MINI, campaign

LONG = """        goto: pitch
        technique: push
        audience: 0
        closing: 0
        addresses: one
"""


def _mini_with(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    sales = folder / "sales.yaml"
    text = sales.read_text()
    assert old in text
    sales.write_text(text.replace(old, new, 1))
    return folder


def test_a_campaign_written_with_marks_lines_loads_as_the_same_campaign(tmp_path: Path) -> None:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    for path in folder.glob("*.yaml"):
        data = yaml.safe_load(path.read_text())
        text = path.read_text()
        for scene in data.get("scenes", []):
            for choice in scene["choices"]:
                # each long-form block of mark fields is replaced by one line, where the first of them stood
                lines = [f"        {k}: {_flow(choice[k])}\n" for k in choice if k in marks.FIELDS]
                assert lines and all(line in text for line in lines)
                text = text.replace(lines[0], f"        marks: {marks.compact(choice)}\n", 1)
                for line in lines[1:]:
                    text = text.replace(line, "", 1)
        path.write_text(text)
    assert "technique:" not in (folder / "sales.yaml").read_text()
    assert "marks: push, committee, closing +2" in (folder / "sales.yaml").read_text()
    result = load_campaign(folder)
    assert result.diagnostics == [], [d.format() for d in result.diagnostics]
    compact, long = campaign(folder), campaign(MINI)
    assert compact.scenes == long.scenes


def _flow(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _bundled_choices() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted(bundled_root().rglob("*.yaml")):
        if "tests" in path.parts:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for part in ("scenes", "hooks"):
            for item in data.get(part, []):
                for j, choice in enumerate(item["choices"]):
                    found.append(
                        (f"{path.parent.name}/{path.name}:{item.get('id', item.get('scene'))}#{j + 1}", choice)
                    )
    return found


def test_every_bundled_choice_round_trips_through_a_marks_line() -> None:
    choices = _bundled_choices()
    assert len(choices) > 300
    lines = set()
    for where, raw in choices:
        line = marks.compact(raw)
        lines.add(line)
        short = {k: v for k, v in raw.items() if k not in marks.FIELDS} | {"marks": line}
        assert Choice.model_validate(short) == Choice.model_validate(raw), (where, line)
    assert len(lines) > 40  # the bundled campaigns use many different marks


def test_the_compact_line_leaves_out_what_is_a_default() -> None:
    assert marks.compact({"technique": "none", "addresses": "segment", "closing": 1}) == "none, segment, closing +1"
    assert marks.compact({"audience": -1}) == "audience -1, closing +0"
    assert marks.parse("pull +2, one, closing +1, pressure") == {
        "technique": "pull",
        "push_pull": 2,
        "addresses": "one",
        "closing": 1,
        "pressure": True,
    }
    assert marks.parse(" team -1 ,closing 0") == {"addresses": "team", "audience": -1, "closing": 0}


# (the marks line, the text at the reported column, what the message says, what the hint says)
MISTAKES = [
    (
        "push, one +0, clsing 0",
        "clsing",
        "'clsing' in marks is not a technique, an addressee",
        "did you mean 'closing'?",
    ),
    ("pushy, one", "pushy", "'pushy' in marks is not a technique", "did you mean 'push'?"),
    ("push, one +3", "+3", "the mark +3 after 'one' is outside -2 to +2", "marks go from -2 to +2"),
    ("push, one high", "high", "'high' after 'one' in marks is not a mark", "whole numbers from -2 to +2"),
    ("push, one, closing", "closing", "'closing' in marks needs a mark from -2 to +2", "write 'closing +1'"),
    ("push, pull, one", "pull", "marks name a technique twice: 'push' and 'pull'", "pull +2, one +2, closing +1"),
    ("push, one, team", "team", "marks name whom the choice addresses twice: 'one' and 'team'", "e.g."),
    ("push, one +1, audience 2", "audience", "marks give the audience mark twice", "after the addressee"),
    ("push, one, pressure 1", "1", "'pressure' in marks takes no number", "write just 'pressure'"),
    ("push one, closing 1", "one", "'one' follows 'push' without a comma", "write 'push, one'"),
    ("push +1 one, closing 1", "one", "'one' follows 'push +1' without a comma", "e.g."),
    ("push, , one", ", one", "marks has an empty term", "e.g."),
]


@pytest.mark.parametrize(("line", "found", "message", "hint"), MISTAKES)
def test_a_mistake_in_a_marks_line_is_reported_at_its_character(
    tmp_path: Path, line: str, found: str, message: str, hint: str
) -> None:
    folder = _mini_with(tmp_path, LONG, f"        goto: pitch\n        marks: {line}\n")
    (diag,) = load_campaign(folder).diagnostics
    written = (folder / "sales.yaml").read_text().splitlines()
    assert (diag.code, diag.line) == ("DQ014", 20)
    assert written[diag.line - 1][diag.column - 1 :].startswith(found), diag.format()
    assert diag.message == f"choice 2 of scene 'brief': {message}" or diag.message.startswith(
        f"choice 2 of scene 'brief': {message}"
    )
    assert hint in diag.hint
    assert "input" not in diag.format().lower() and "value error" not in diag.format().lower()


def test_a_marks_line_in_a_folded_block_is_located_on_its_own_line(tmp_path: Path) -> None:
    folder = _mini_with(
        tmp_path, LONG, "        goto: pitch\n        marks: >-\n          push, one,\n          closng +1\n"
    )
    (diag,) = load_campaign(folder).diagnostics
    assert (diag.line, diag.column) == (22, 11)
    assert "'closng' in marks" in diag.message and diag.hint == "did you mean 'closing'?"


def test_a_mark_given_twice_names_the_field(tmp_path: Path) -> None:
    folder = _mini_with(
        tmp_path, LONG, "        goto: pitch\n        marks: push, one, closing 0\n        closing: 1\n"
    )
    (diag,) = load_campaign(folder).diagnostics
    assert diag.format().endswith(
        "sales.yaml:21:9: error[DQ014]: choice 2 of scene 'brief': 'closing' is given twice, in marks and as a "
        "field of its own (keep one: remove 'closing:' or its part of marks)"
    )


def test_a_long_field_the_line_leaves_out_is_kept(tmp_path: Path) -> None:
    # technique from the line, its push/pull mark as a field of its own: one choice, no conflict
    folder = _mini_with(
        tmp_path, LONG, "        goto: pitch\n        marks: push, one, closing +0\n        push_pull: 2\n"
    )
    loaded = campaign(folder)
    wing = loaded.scenes["brief"].choices[1]
    assert (wing.technique, wing.push_pull, wing.addresses, wing.closing) == ("push", 2, "one", 0)


def test_the_rules_of_a_choice_hold_for_a_marks_line(tmp_path: Path) -> None:
    folder = _mini_with(tmp_path, LONG, "        goto: pitch\n        marks: push, closing +1\n")
    (diag,) = load_campaign(folder).diagnostics
    assert "a choice needs 'addresses' (whom it speaks to) or an explicit 'audience' mark" in diag.message


def test_the_guides_two_forms_are_one_choice() -> None:
    guide = (Path(__file__).parents[2] / "docs" / "AUTHORING.md").read_text(encoding="utf-8")
    section = guide.split("### Marks on one line", 1)[1].split("\n## ", 1)[0]
    long, short = [yaml.safe_load(block.split("```", 1)[0]) for block in section.split("```yaml choice\n")[1:3]]
    assert "marks" in short and "marks" not in long
    assert Choice.model_validate(short) == Choice.model_validate(long)
