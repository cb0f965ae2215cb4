"""Each loader check has a fixture that breaks it; the diagnostic names the file, line and problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dealquest.cli.main import main
from dealquest.story.diagnostics import CODES
from dealquest.story.loader import load_campaign

from ..conftest import FIXTURES, MINI, broken_campaign

# fixture name -> (file, line, column, code, words the message must contain)
CASES = {
    "unknown_target": ("sales.yaml", 36, 15, "DQ103", "goes to 'lsot', which does not exist (did you mean 'lost'?)"),
    "duplicate_id": ("sales.yaml", 26, 9, "DQ101", "the id 'pitch' is already used at"),
    "unknown_start": (
        "campaign.yaml",
        5,
        8,
        "DQ102",
        "the start scene 'reserch' does not exist (did you mean 'research'?)",
    ),
    "unknown_field": ("campaign.yaml", 27, 5, "DQ011", "unknown field 'titel' (did you mean 'title'?)"),
    "missing_feedback": ("sales.yaml", 18, 9, "DQ010", "choice 2 of scene 'brief' is missing 'feedback'"),
    "score_out_of_bounds": ("sales.yaml", 33, 18, "DQ013", "'closing' of choice 1 of scene 'pitch' is 5"),
    "undeclared_variable": (
        "sales.yaml",
        44,
        64,
        "DQ105",
        "the variable 'intell' is not declared (did you mean 'intel'?)",
    ),
    "flag_used_as_counter": ("sales.yaml", 25, 15, "DQ106", "'case_study' is a flag"),
    "bad_interpolation": ("sales.yaml", 5, 34, "DQ107", "'{intel.count}' in the text is not a variable name"),
    "unreachable_scene": ("extra.yaml", 2, 9, "DQ201", "scene 'orphan' cannot be reached"),
    "unreachable_ending": ("extra.yaml", 2, 9, "DQ202", "ending 'never' cannot be reached"),
    "dead_end": (
        "sales.yaml",
        8,
        7,
        "DQ203",
        "every choice of scene 'brief' is unavailable when case_study=false, intel=0",
    ),
    "unknown_hook_scene": ("extra.yaml", 2, 12, "DQ104", "scene 'pich', which does not exist (did you mean 'pitch'?)"),
    "unsafe_tag": ("extra.yaml", 1, 9, "DQ002", "the tag !!python/object/apply:os.system is not allowed"),
    "yaml_syntax": ("sales.yaml", 28, 25, "DQ001", "the text of 'title' holds ': ', which YAML reads as the start"),
    "duplicate_key": ("sales.yaml", 5, 5, "DQ005", "the key 'title' appears twice"),
    "not_utf8": ("extra.yaml", 2, 12, "DQ003", "byte 0xe9 is not UTF-8"),
    "not_a_mapping": ("extra.yaml", 1, 1, "DQ007", "must be a mapping"),
    "alias_bomb": ("extra.yaml", 1, 0, "DQ006", "expands to more than"),
    "choice_without_target": ("sales.yaml", 18, 9, "DQ014", "a choice needs exactly one of 'goto' or 'chance'"),
    "bad_condition": (
        "sales.yaml",
        9,
        19,
        "DQ014",
        "a condition takes exactly one of flag, var, all, any, not (found flag, var)",
    ),
    "short_feedback": ("sales.yaml", 16, 19, "DQ207", "feedback of choice 1 of scene 'brief' is very short"),
    "unused_variable": ("campaign.yaml", 7, 3, "DQ205", "the variable 'mood' is declared but never used"),
}


def test_every_broken_fixture_has_a_case() -> None:
    assert {p.name for p in (FIXTURES / "broken").iterdir()} == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_fixture_is_reported_at_its_line(name: str, tmp_path: Path) -> None:
    file, line, column, code, words = CASES[name]
    result = load_campaign(broken_campaign(name, tmp_path))
    assert len(result.diagnostics) == 1, [d.format() for d in result.diagnostics]
    (diag,) = result.diagnostics
    assert diag.file == str(tmp_path / name / file)
    assert diag.line == line
    if column:
        assert diag.column == column
    assert diag.code == code
    assert diag.severity == CODES[code].severity
    assert words in diag.message + " (" + diag.hint + ")"


def test_the_mini_campaign_is_clean() -> None:
    result = load_campaign(MINI)
    assert result.ok and result.diagnostics == []
    assert result.campaign is not None
    assert set(result.campaign.scenes) == {"research", "brief", "pitch"}


def test_a_broken_file_does_not_raise_false_alarms_elsewhere(tmp_path: Path) -> None:
    # sales.yaml does not parse, so its scenes are unknown: no "goes to 'brief', which does not exist".
    result = load_campaign(broken_campaign("yaml_syntax", tmp_path))
    assert [d.code for d in result.diagnostics] == ["DQ001"]


def test_all_findings_come_in_one_pass(tmp_path: Path) -> None:
    folder = broken_campaign("unknown_target", tmp_path)
    (folder / "campaign.yaml").write_text(
        (folder / "campaign.yaml").read_text().replace("audience: 2\n", "audience: 9\n", 1)
    )
    codes = sorted(d.code for d in load_campaign(folder).diagnostics)
    assert codes == ["DQ013", "DQ103"]


def test_a_hook_adds_choices_to_a_scene_in_another_file(mini_copy: Path) -> None:
    (mini_copy / "branch.yaml").write_text(
        "hooks:\n  - scene: pitch\n    choices:\n      - text: Invite the CFO to a reference call\n"
        "        goto: won\n        technique: pull\n        audience: 2\n"
        "        feedback: A peer reference lets the CFO convince herself, which a committee trusts.\n"
    )
    result = load_campaign(mini_copy)
    assert result.ok, [d.format() for d in result.diagnostics]
    assert result.campaign is not None
    pitch = result.campaign.scenes["pitch"]
    assert pitch.choices[-1].text == "Invite the CFO to a reference call"
    origin = result.campaign.choice_origins[("pitch", len(pitch.choices) - 1)]
    assert origin.source.name.endswith("branch.yaml")


def test_missing_folder_and_missing_campaign_file(tmp_path: Path) -> None:
    assert load_campaign(tmp_path / "nope").diagnostics[0].code == "DQ008"
    assert load_campaign(tmp_path).diagnostics[0].code == "DQ108"


def test_a_symlinked_story_file_is_refused(mini_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("scenes: []\n")
    (mini_copy / "linked.yaml").symlink_to(outside)
    codes = [d.code for d in load_campaign(mini_copy).diagnostics]
    assert codes == ["DQ008"]


def test_validate_exit_codes_and_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(MINI)]) == 0
    folder = broken_campaign("unknown_target", tmp_path)
    capsys.readouterr()
    assert main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    assert f"{folder / 'sales.yaml'}:36:15: error[DQ103]: choice 1 of scene 'pitch' goes to 'lsot'" in out
    assert main(["validate", "--format", "json", str(folder)]) == 1
    (entry,) = json.loads(capsys.readouterr().out)
    assert {k: entry[k] for k in ("line", "column", "severity", "code")} == {
        "line": 36,
        "column": 15,
        "severity": "error",
        "code": "DQ103",
    }


def test_validate_strict_fails_on_warnings(tmp_path: Path) -> None:
    folder = broken_campaign("short_feedback", tmp_path)
    assert main(["validate", str(folder)]) == 0
    assert main(["validate", "--strict", str(folder)]) == 1


def test_validate_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["validate"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["validate", "--format", "xml", str(MINI)])
    assert exc.value.code == 2
    assert main(["validate", "--explain", "DQ999"]) == 2
    assert main(["validate", "--explain", "dq103"]) == 0
    assert "DQ103 (error)" in capsys.readouterr().out


def test_an_alias_bomb_is_measured_not_expanded() -> None:
    # Nine levels of ten aliases would be a billion values; it is refused from its hundred nodes.
    from dealquest.story import yamlsource

    text = (FIXTURES / "broken" / "alias_bomb" / "extra.yaml").read_text()
    built: list[int] = []
    original = yamlsource._Builder.build

    def counting(self: yamlsource._Builder, *args: object) -> object:
        built.append(1)
        return original(self, *args)  # type: ignore[arg-type]

    yamlsource._Builder.build = counting  # type: ignore[method-assign]
    try:
        _, diagnostics = yamlsource.parse_text(text, "bomb.yaml")
    finally:
        yamlsource._Builder.build = original  # type: ignore[method-assign]
    assert [d.code for d in diagnostics] == ["DQ006"]
    assert built == []


def test_positions_outlive_the_parsed_data() -> None:
    # The loader lets go of a file's data once it is validated; diagnostics still find their line.
    from dealquest.story.yamlsource import parse_text

    text = "scenes:\n  - id: first\n    lessons: [aims, {odd: 2}]\nbase: &b {x: 1}\nmerged:\n  <<: *b\n  y: 2\n"
    source, diagnostics = parse_text(text, "x.yaml")
    assert diagnostics == []
    source.data = None
    assert source.where(("scenes", 0, "lessons", 1, "odd")) == (3, 27)
    assert source.where(("scenes", 0, "lessons", 1, "odd"), key=True) == (3, 22)
    assert source.where(("scenes", 0, "nope")) == (2, 5)  # the nearest enclosing value
    assert source.where(("merged", "x")) == (4, 14)  # a merged key is where its anchor wrote it
    assert source.where(("merged", "y"), key=True) == (7, 3)


def test_a_loaded_campaign_keeps_positions_not_data() -> None:
    result = load_campaign(MINI)
    assert result.campaign is not None
    origin = result.campaign.origins["pitch"]
    assert origin.source.data is None and origin.source.text == ""
    assert origin.at("id") == (origin.source.name, 26, 9)  # `  - id: pitch` in sales.yaml
