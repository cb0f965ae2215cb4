"""The mistakes a new writer made (issue 18), each reported at the line to change, in the format's words.

Each case edits one line (or a few) of the mini campaign the way the writer did and checks the one
diagnostic it gives: its file, line, column, code and words, and that no parser's or library's
wording ("did not find expected key", "Input should be", "instance of Condition") reaches the writer.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dealquest.story.diagnostics import Diagnostic
from dealquest.story.loader import load_campaign

from ..conftest import MINI

CHOICE_WING_IT = """      - text: Wing it
        goto: pitch
        technique: push
        audience: 0
        closing: 0
        addresses: one
        feedback: Without marketing's groundwork the call stays generic and slow.
        add: {days_left: -5}
"""

# (name, file, the text replaced, what replaces it, (line, column), code, words of message and hint)
CASES: list[tuple[str, str, str, str, tuple[int, int], str, list[str]]] = [
    (
        "a text's closing quote missing, a later quote closing it",
        "sales.yaml",
        "      - text: Use the case study\n",
        '      - text: "Use the case study\n',
        (8, 15),
        "DQ001",
        ['line 8 opens a quote (") that is not closed on that line', 'end the text with " on the same line'],
    ),
    (
        "the version's closing quote missing",
        "campaign.yaml",
        'version: "1.2"\n',
        'version: "1.2\n',
        (4, 10),
        "DQ001",
        ["line 4 opens a quote"],
    ),
    (
        "a closing brace missing",
        "campaign.yaml",
        "  intel: {initial: 0, min: 0, max: 3, label: Intel}\n",
        "  intel: {initial: 0, min: 0, max: 3, label: Intel\n",
        (7, 10),
        "DQ001",
        ["line 7 opens a '{' that is never closed", "close it with '}' on the same line"],
    ),
    (
        "a closing bracket missing",
        "sales.yaml",
        "        lessons: [facilitation]\n",
        "        lessons: [facilitation\n",
        (17, 18),
        "DQ001",
        ["line 17 opens a '[' that is never closed"],
    ),
    (
        "a comma missing inside braces",
        "sales.yaml",
        "        add: {days_left: -5}\n",
        "        add: {days_left: -5 intel: 1}\n",
        (25, 34),
        "DQ001",
        ["a ',' is missing between two entries of the '{...}' that opens on line 25"],
    ),
    (
        "a tab in the indentation",
        "sales.yaml",
        "    role: salesperson\n",
        "\trole: salesperson\n",
        (3, 1),
        "DQ001",
        ["line 3 is indented with a tab", "YAML indents with spaces only"],
    ),
    (
        "a colon inside a text that is not quoted",
        "sales.yaml",
        "    title: The first call\n",
        "    title: The first call: Tuesday\n",
        (4, 26),
        "DQ001",
        ["the text of 'title' holds ': '", 'put the text in quotes, title: "..."'],
    ),
    (
        "a key indented one space less than its neighbours, with the parser's context kept",
        "sales.yaml",
        "        technique: push\n        audience: 0\n",
        "        technique: push\n       audience: 0\n",
        (21, 8),
        "DQ001",
        [
            "line 21 is indented 7 spaces, out of step with line 20 above it, indented 8",
            "(while parsing a block collection in line 8)",
        ],
    ),
    (
        "a whole choice dedented into scenes:",
        "sales.yaml",
        CHOICE_WING_IT,
        "\n".join(line[4:] for line in CHOICE_WING_IT.splitlines()) + "\n",
        (18, 5),
        "DQ014",
        ["scene 2 looks like a choice (goto, technique", "indent it under the choices: of scene 'brief'"],
    ),
    (
        "weight on a scene",
        "sales.yaml",
        "    title: The first call\n",
        "    title: The first call\n    weight: 2\n",
        (5, 5),
        "DQ011",
        ["unknown field 'weight'", "'weight' belongs to a chance branch, not a scene", "chance: [{goto: won"],
    ),
    (
        "requires on a scene",
        "sales.yaml",
        "    title: The first call\n",
        "    title: The first call\n    requires: {flag: case_study}\n",
        (5, 5),
        "DQ011",
        ["'requires' belongs to a choice, not a scene", "indent it under choices:"],
    ),
    (
        "goto on a scene",
        "sales.yaml",
        "    title: The first call\n",
        "    title: The first call\n    goto: pitch\n",
        (5, 5),
        "DQ011",
        ["'goto' belongs to a choice, not a scene: indent it under choices:"],
    ),
    (
        "scene: at the top of a file",
        "sales.yaml",
        "scenes:\n",
        "scene:\n",
        (1, 1),
        "DQ011",
        ["unknown field 'scene'", "did you mean 'scenes'?"],
    ),
    (
        "a condition written as a sentence",
        "sales.yaml",
        "        requires: {flag: case_study}\n",
        '        requires: "intel >= 2 and case_study"\n',
        (9, 19),
        "DQ012",
        [
            "a condition is written as data, not as a sentence",
            "write it as {all: [{var: intel, gte: 2}, {flag: case_study}]}",
        ],
    ),
    (
        "an operator as a key",
        "sales.yaml",
        "        requires: {flag: case_study}\n",
        '        requires: {var: intel, ">=": 2}\n',
        (9, 32),
        "DQ011",
        [
            "the condition 'requires' of choice 1 of scene 'brief' has an unknown field '>='",
            "write {var: intel, gte: 2}",
        ],
    ),
    (
        "a scene with no choices",
        "sales.yaml",
        "endings:\n",
        "  - id: empty\n    role: salesperson\n    title: Empty\n    text: Nothing here.\n    choices: []\nendings:\n",
        (58, 14),
        "DQ013",
        ["'choices' of scene 'empty': the list is empty; it needs at least 1", "an ending, under endings:"],
    ),
    (
        "an initial value outside the range",
        "campaign.yaml",
        "days_left: {initial: 10,",
        "days_left: {initial: 25,",
        (9, 14),
        "DQ014",
        ["variable 'days_left': its initial value 25 is outside [0, 10]"],
    ),
    (
        "a word where a whole number goes",
        "sales.yaml",
        "        closing: 1\n        addresses: one\n        feedback: The case",
        "        closing: high\n        addresses: one\n        feedback: The case",
        (14, 18),
        "DQ012",
        ["'closing' of choice 1 of scene 'brief': 'high' is not a whole number"],
    ),
    (
        "a misspelt lesson",
        "sales.yaml",
        "lessons: [facilitation]",
        "lessons: [facilitaton]",
        (17, 19),
        "DQ013",
        ["'lessons' item 1 of choice 1 of scene 'brief'", "did you mean 'facilitation'?"],
    ),
]

LIBRARY_WORDS = (
    "did not find expected",
    "while scanning",
    "input should be",
    "instance of",
    "after validation",
    "cannot start any token",
    "of the file: initial",
)


def _only(folder: Path) -> Diagnostic:
    errors = [d for d in load_campaign(folder).diagnostics if d.severity == "error"]
    assert len(errors) == 1, [d.format() for d in errors]
    return errors[0]


@pytest.mark.parametrize(
    ("file", "old", "new", "where", "code", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_writers_mistake_is_named_at_its_line(
    file: str, old: str, new: str, where: tuple[int, int], code: str, words: list[str], tmp_path: Path
) -> None:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    text = (folder / file).read_text()
    assert old in text
    (folder / file).write_text(text.replace(old, new, 1))
    diag = _only(folder)
    said = f"{diag.message} ({diag.hint})"
    assert (diag.file, diag.line, diag.column, diag.code) == (str(folder / file), *where, code), diag.format()
    for word in words:
        assert word in said, diag.format()
    assert not any(w in said.lower() for w in LIBRARY_WORDS), diag.format()


def test_every_code_explains_how_to_fix_it_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    from dealquest.cli.main import main
    from dealquest.story.diagnostics import CODES, FIXES

    assert set(FIXES) == set(CODES)
    for code, descriptor in CODES.items():
        assert main(["validate", "--explain", code.lower()]) == 0
        said = capsys.readouterr().out
        one_line = f"{code} ({descriptor.severity}): {descriptor.explanation}"
        assert said.startswith(one_line) and "How to fix it:" in said, code
        # an example: a line indented under the text, or a before -> after
        assert any(line.startswith("  ") or "->" in line for line in FIXES[code].splitlines()), code


def test_a_file_that_does_not_parse_keeps_its_ids_and_real_mistakes_elsewhere_are_still_found(
    tmp_path: Path,
) -> None:
    from ..conftest import broken_campaign

    # sales.yaml (scenes brief and pitch, endings won, lost, slipped) does not parse; campaign.yaml's
    # choices go to brief, a hook in another file adds to pitch, and one choice goes nowhere.
    folder = broken_campaign("yaml_syntax", tmp_path)
    header = folder / "campaign.yaml"
    header.write_text(header.read_text().replace("        goto: brief\n", "        goto: nowhere\n", 1))
    (folder / "hook.yaml").write_text(
        "hooks:\n  - scene: pitch\n    choices:\n      - text: Call the CFO\n        goto: won\n"
        "        addresses: one\n        feedback: The CFO hears it from you first and asks for the pilot terms.\n"
    )
    found = [(d.code, Path(d.file).name, d.line) for d in load_campaign(folder).diagnostics]
    assert found == [("DQ103", "campaign.yaml", 31), ("DQ001", "sales.yaml", 28)], found


def test_branches_that_can_all_weigh_nothing_are_flagged_with_the_state(mini_copy: Path) -> None:
    # Both branches weigh 0 and count only through a bonus: with intel below 2 and no case study the
    # roll has nothing to draw from and would always take the first branch.
    sales = mini_copy / "sales.yaml"
    sales.write_text(
        sales.read_text()
        .replace(
            "          - {goto: lost, weight: 1, label: a rival undercuts you, luck: bad}",
            "          - {goto: lost, weight: 0, bonus: 1, bonus_when: {flag: case_study}}",
        )
        .replace("          - {goto: won, weight: 1, bonus: 3,", "          - {goto: won, weight: 0, bonus: 3,")
    )
    (diag,) = load_campaign(mini_copy).diagnostics
    assert (diag.code, diag.line) == ("DQ206", 44)
    assert diag.message == (
        "every branch of choice 2 of scene 'pitch' has zero weight when case_study=false, intel=0, and the roll "
        "then always takes the first branch that is switched on"
    )


def test_branches_that_all_weigh_nothing_whatever_the_state_are_flagged(mini_copy: Path) -> None:
    sales = mini_copy / "sales.yaml"
    sales.write_text(
        sales.read_text()
        .replace("{goto: won, weight: 1, bonus: 3, bonus_when: {var: intel, gte: 2},", "{goto: won, weight: 0,")
        .replace("{goto: lost, weight: 1,", "{goto: lost, weight: 0,")
    )
    (diag,) = load_campaign(mini_copy).diagnostics
    assert (diag.code, diag.severity, diag.line, diag.column) == ("DQ206", "warning", 44, 11)
    assert diag.message == (
        "every branch of choice 2 of scene 'pitch' has zero weight, so the roll always takes the first branch "
        "that is switched on"
    )
    assert diag.hint == "give at least one branch a weight above 0"
