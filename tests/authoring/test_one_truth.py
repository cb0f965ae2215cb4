"""One truth for a campaign folder (issue 18): validate reads tests/, playtest fails on any error and
always answers JSON when asked, and story tests number choices as the player sees them and can draw
a chance branch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dealquest.authoring.storytests import run_story_tests
from dealquest.cli.main import main

from ..conftest import campaign


def test_validate_reads_the_story_tests(mini_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (mini_copy / "tests" / "broken.yaml").write_text('tests:\n  - name: "open\n    path: []\n')
    (mini_copy / "tests" / "typo.yaml").write_text(
        "tests:\n  - name: typo\n    path:\n      - {at: reserch, choose: 1}\n"
    )
    assert main(["validate", str(mini_copy)]) == 1
    out = capsys.readouterr().out
    assert f"{mini_copy}/tests/broken.yaml:2:11: error[DQ001]: YAML syntax: line 2 opens a quote" in out
    assert (
        f"{mini_copy}/tests/typo.yaml:4:14: error[DQ110]: step 1 of test 'typo' names 'reserch', which does not "
        "exist (did you mean 'research'?)"
    ) in out


def test_playtest_fails_on_a_story_test_file_that_does_not_read(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (mini_copy / "tests" / "paths.yaml").write_text("tests:\n\t- name: tab\n")
    assert main(["playtest", str(mini_copy), "--runs", "10"]) == 1
    out = capsys.readouterr().out
    assert "Story tests: none could be run; the test files have errors" in out
    assert "line 2 is indented with a tab" in out
    assert "add some under tests/" not in out


def test_playtest_json_answers_json_for_a_campaign_with_errors(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sales = mini_copy / "sales.yaml"
    sales.write_text(sales.read_text().replace("goto: lost\n", "goto: lsot\n", 1))
    assert main(["playtest", str(mini_copy), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["diagnostics"][0]["code"] == "DQ103"
    assert "goes to 'lsot'" in report["problems"][0]


# (what is wrong, the file written, its text, a line playtest prints with the place of the mistake)
ERRORS = [
    (
        "a story file that does not parse",
        "campaign.yaml",
        None,
        "campaign.yaml:4:10: error[DQ001]: YAML syntax: line 4 opens a quote",
    ),
    (
        "a story test file that does not parse",
        "tests/broken.yaml",
        'tests:\n  - name: "open\n    path: []\n',
        "tests/broken.yaml:2:11: error[DQ001]: YAML syntax: line 2 opens a quote",
    ),
    (
        "a story test that names a scene that does not exist",
        "tests/typo.yaml",
        "tests:\n  - name: typo\n    path:\n      - {at: reserch, choose: 1}\n",
        "tests/typo.yaml:4:14: error[DQ110]: step 1 of test 'typo' names 'reserch', which does not exist "
        "(did you mean 'research'?)",
    ),
    (
        "a story test that fails",
        "tests/wrong.yaml",
        "tests:\n  - name: wrong ending\n    path:\n      - {at: research, choose: 2}\n    expect: {scene: pitch}\n",
        "tests/wrong.yaml:5:13: test 'wrong ending': FAILED: expected to stop at 'pitch' but stops at 'brief'",
    ),
]


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize(("file", "text", "said"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_playtest_exits_non_zero_on_any_error_and_says_where(
    mini_copy: Path, capsys: pytest.CaptureFixture[str], file: str, text: str | None, said: str, fmt: str
) -> None:
    path = mini_copy / file
    path.write_text(text if text is not None else path.read_text().replace('version: "1.2"', 'version: "1.2'))
    assert main(["playtest", str(mini_copy), "--runs", "10", "--format", fmt]) == 1
    out, err = capsys.readouterr()
    if fmt == "json":
        problems = json.loads(out)["problems"]  # JSON whatever went wrong
        assert any(p.startswith(f"{mini_copy}/{said}") for p in problems), problems
    else:
        assert f"{mini_copy}/{said}" in out + err


HIDDEN_FIRST = """tests:
  - name: the player sees one choice at brief and takes it as 1
    path:
      - {at: research, choose: "Buy a billboard"}
      - {at: brief, choose: 1, lands: pitch}
    expect: {scene: pitch}
  - name: there is no second choice to see
    path:
      - {at: research, choose: 2}
      - {at: brief, choose: 2}
"""


def test_story_tests_number_choices_as_the_player_sees_them(mini_copy: Path) -> None:
    sales = mini_copy / "sales.yaml"
    sales.write_text(sales.read_text().replace("        locked: Needs a case study from marketing\n", ""))
    (mini_copy / "tests" / "paths.yaml").write_text(HIDDEN_FIRST)
    results, diags = run_story_tests(campaign(mini_copy), str(mini_copy))
    assert diags == []
    assert [r.passed for r in results] == [True, False]
    assert results[1].message == "step 2 at 'brief': the player sees 1 choice here, not 2"


DRAWN = """tests:
  - name: the pilot is drawn to win, whatever the seed
    seed: {seed}
    path:
      - {{at: research, choose: 2}}
      - {{at: brief, choose: 2}}
      - {{at: pitch, choose: "Propose a pilot", draw: won}}
    expect: {{ending: won}}
  - name: a branch that does not exist
    path:
      - {{choose: 2}}
      - {{choose: 2}}
      - {{choose: 2, draw: slipped}}
  - name: a choice without chance
    path:
      - {{choose: 2, draw: brief}}
"""


@pytest.mark.parametrize("seed", range(1, 6))
def test_a_story_test_draws_the_branch_it_names(mini_copy: Path, seed: int) -> None:
    (mini_copy / "tests" / "paths.yaml").write_text(DRAWN.format(seed=seed))
    results, _ = run_story_tests(campaign(mini_copy), str(mini_copy))
    assert [r.passed for r in results] == [True, False, False]
    assert (
        results[1].message == "step 3 at 'pitch': the choice has no branch to 'slipped' (its branches go to won, lost)"
    )
    assert results[1].line == 13
    assert "is not a chance choice" in results[2].message
