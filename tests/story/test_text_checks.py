"""The validator reads the braces of every text field, and points inside the text at what is wrong.

tests/fixtures/text_checks writes each field a different way (plain, plain over two lines, single
and double quotes with escapes, `|`, `|-`, `>` and `>-` blocks) and makes one mistake in each.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dealquest.cli.main import main
from dealquest.story.loader import load_campaign

from ..conftest import FIXTURES, MINI

FOLDER = FIXTURES / "text_checks"

# (file, line, column, code, the text found at that line and column, words of the message)
EXPECTED = [
    ("campaign.yaml", 16, 31, "DQ208", "days_left > 10", "can never hold: days_left stays between 0 and 10"),
    ("hooks.yaml", 4, 36, "DQ105", "dayz_left}", "'dayz_left' is not declared (did you mean 'days_left'?)"),
    ("story.yaml", 4, 22, "DQ105", "intell}", "'intell' is not declared (did you mean 'intel'?)"),
    ("story.yaml", 5, 28, "DQ106", "case_study: one", "'case_study' is a flag; a plural needs a counter"),
    ("story.yaml", 10, 30, "DQ107", "=> 2", "unknown operator '=>'"),
    ("story.yaml", 13, 39, "DQ208", "days_left < 0", "'days_left < 0' can never hold"),
    ("story.yaml", 15, 47, "DQ106", "1: with", "'case_study' is a flag; compare it with true or false"),
    ("story.yaml", 22, 21, "DQ204", "steady > 1", "'steady' is tested but no choice ever changes it"),
    ("story.yaml", 27, 48, "DQ107", "}", "'{not case_study}' needs ':' and the text to show"),
    ("story.yaml", 32, 52, "DQ107", "|maybe}", "has more than two texts"),
    ("story.yaml", 38, 15, "DQ208", "intel < 2 or", "the condition 'intel < 2 or intel >= 2' always holds"),
    ("story.yaml", 45, 35, "DQ107", "{intel.count}", "'{intel.count}' in the text is not a variable name"),
    ("story.yaml", 48, 20, "DQ107", "}", "'}' in the text has no '{' before it"),
    ("story.yaml", 52, 7, "DQ107", "{case_study: and", "is never closed"),
]

FIELDS = {
    # path of each finding inside its file: every text field of the format is covered
    "deadlines.0.text",
    "hooks.0.choices.0.text",
    "scenes.0.title",
    "scenes.0.chapter",
    "scenes.0.text",
    "scenes.0.handoff",
    "scenes.0.choices.0.text",
    "scenes.0.choices.0.feedback",
    "scenes.0.choices.1.locked",
    "scenes.0.choices.1.chance.0.text",
    "scenes.1.text",
    "scenes.1.choices.0.feedback",
    "endings.0.title",
    "endings.0.text",
}


def test_every_text_field_is_checked_at_the_offending_character() -> None:
    result = load_campaign(FOLDER)
    found = [(Path(d.file).name, d.line, d.column, d.code) for d in result.diagnostics]
    assert found == [e[:4] for e in EXPECTED], [d.format() for d in result.diagnostics]
    for (file, line, column, _, snippet, words), diag in zip(EXPECTED, result.diagnostics, strict=True):
        written = (FOLDER / file).read_text(encoding="utf-8").splitlines()[line - 1]
        assert written[column - 1 :].startswith(snippet), (file, line, written)
        assert words in f"{diag.message} ({diag.hint})"
    assert {d.path for d in result.diagnostics} == FIELDS


def test_validate_prints_file_line_and_column(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(FOLDER)]) == 1
    out = capsys.readouterr().out
    assert f"{FOLDER / 'story.yaml'}:10:30: error[DQ107]: unknown operator '=>' (compare with = != < <= > >=)" in out


def test_an_ending_that_varies_by_state_is_fine(tmp_path: Path) -> None:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    sales = folder / "sales.yaml"
    sales.write_text(
        sales.read_text().replace(
            "text: The pilot turns into a contract.",
            "text: 'The pilot turns into a contract{case_study:, and the case study sells the next one|}.'",
        )
    )
    result = load_campaign(folder)
    assert result.ok and result.diagnostics == [], [d.format() for d in result.diagnostics]


@pytest.mark.parametrize(
    ("value", "line", "column"),
    [
        # the same mistake, written five ways: the column is that of the `i` of `intell`
        ("'{intell} pieces'", 5, 16),
        ('"\\t{intell} pieces"', 5, 18),
        ("|\n      Pieces:\n        {intell}\n", 7, 10),
        (">\n      Pieces, folded\n      into {intell}\n", 7, 13),
        ("Pieces over\n      two lines {intell}", 6, 18),
    ],
)
def test_scalar_styles(tmp_path: Path, value: str, line: int, column: int) -> None:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    sales = folder / "sales.yaml"
    sales.write_text(
        sales.read_text().replace("handoff: Marketing passed on {intel} pieces of intel.", f"handoff: {value}")
    )
    (diag,) = load_campaign(folder).diagnostics
    assert (diag.code, diag.line, diag.column) == ("DQ105", line, column), diag.format()
    assert sales.read_text().splitlines()[line - 1][column - 1 :].startswith("intell}")


def test_an_unquoted_condition_gets_a_yaml_hint(tmp_path: Path) -> None:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    sales = folder / "sales.yaml"
    sales.write_text(
        sales.read_text().replace("handoff: Marketing passed on {intel}", "handoff: Got {case_study: a study}")
    )
    (diag,) = load_campaign(folder).diagnostics
    assert (diag.code, diag.line, diag.column) == ("DQ001", 5, 29)  # the colon after the flag
    assert diag.hint == "a text with {condition: ...} in it needs quotes, or a | or > block"
