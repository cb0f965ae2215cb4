"""Every place the command line prints text from a story, a save or the store goes through the one
output-safety rule: a campaign with escapes, control characters and bidi overrides in every text
field (tests/fixtures/escapes) leaves no such character in any output, on screen or in a file."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from dealquest.cli.main import main
from dealquest.story.text import BIDI_CONTROLS

from ..conftest import FIXTURES

ESCAPES = FIXTURES / "escapes"
#: what must never be printed: C0 but newline and tab, DEL, C1, bidi controls, line separators
FORBIDDEN = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{BIDI_CONTROLS}\\u2028\\u2029]")


def shown(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    return captured.out + captured.err


def assert_safe(text: str) -> None:
    found = FORBIDDEN.search(text)
    assert found is None, (
        f"{found.group()!r} printed at {found.start()}: {text[max(0, found.start() - 60) : found.end() + 20]!r}"
    )


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A results store holding two runs of the escapes campaign, by trainees with awkward names."""
    store = tmp_path_factory.mktemp("store") / "results.sqlite"
    for trainee, choices in (("Ana", "1,1"), ("Bo", "3,2")):
        assert main(["play", str(ESCAPES), "--plain", "--trainee", trainee, "--seed", "1", "--choices", choices,
                     "--results", str(store)]) == 0  # fmt: skip
    return store


def test_the_plain_game_prints_no_control_character(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["play", str(ESCAPES), "--plain", "--seed", "1", "--choices", "1,1"]) == 0
    out = shown(capsys)
    assert_safe(out)
    # the grade band "\ec" (a terminal reset) goes, and the text around every escape stays
    assert "Grade , Good" in out and "Text red,  reset, evil, bell, nul, link." in out


def test_a_locked_choice_and_chance_narration_print_nothing_unsafe(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["play", str(ESCAPES), "--plain", "--seed", "1", "--choices", "3,2"]) == 0
    out = shown(capsys)
    assert_safe(out)
    assert "(locked: Needs intel) Locked one" in out and "Luck held." in out


@pytest.mark.parametrize(
    "command",
    [
        ["results", "list"],
        ["report", "--format", "text"],
        ["report", "--format", "markdown"],
        ["report", "--format", "html"],
        ["results", "export", "--format", "csv"],
        ["results", "export", "--format", "json"],
        ["results", "export", "--format", "xapi"],
    ],
    ids=lambda c: "-".join(c),
)
def test_results_reports_and_exports_print_no_control_character(
    command: list[str], recorded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*command, "--results", str(recorded)]) == 0
    out = shown(capsys)
    assert_safe(out)
    assert "Esc" in out or "escapes" in out
    if "json" in command or "xapi" in command:
        json.loads(out)  # still valid JSON: the characters are \u escapes there, the data kept exactly
    if command[0] == "report":  # written to a file, the same text
        target = tmp_path / "report.out"
        assert main([*command, "--results", str(recorded), "-o", str(target)]) == 0
        assert_safe(target.read_text(encoding="utf-8"))


def test_the_exported_json_keeps_the_stored_text_exactly(recorded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["results", "export", "--format", "json", "--results", str(recorded)]) == 0
    runs = json.loads(shown(capsys))
    assert runs[0]["campaign"]["title"] == "Esc\x1bc title \u202eevil\u202c"
    assert runs[0]["grade"] == "\x1bc"


@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_the_graph_prints_no_control_character(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", str(ESCAPES), "--format", fmt]) == 0
    out = shown(capsys)
    assert_safe(out)
    assert "Scene title" in out


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_playtest_shows_story_values_as_visible_escapes(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["playtest", str(ESCAPES), "--format", fmt, "--runs", "50"])
    out = shown(capsys)
    assert_safe(out)
    if fmt == "text":
        assert "\\x1bc" in out and "E\\u202e" in out  # the grade bands, as the writer can find them


def escapes_with_errors(tmp_path: Path) -> Path:
    folder = tmp_path / "escapes"
    shutil.copytree(ESCAPES, folder)
    story = (folder / "campaign.yaml").read_text(encoding="utf-8")
    story = story.replace("start: opening\n", 'start: opening\n"bad\\ekey\\u202e": 1\n')
    story = story.replace("goto: done", 'goto: "do\\ecne\\u2066"', 1)
    (folder / "campaign.yaml").write_text(story, encoding="utf-8")
    (folder / "\x1b[2Jbranch\u202e.yaml").write_text("scenes: [\x1b]0;title\x07\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_diagnostics_show_story_values_and_file_names_as_visible_escapes(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = escapes_with_errors(tmp_path)
    assert main(["validate", str(folder), "--format", fmt]) == 1
    out = shown(capsys)
    assert_safe(out)
    if fmt == "text":
        lines = [line for line in out.splitlines() if "error[" in line]
        assert len(lines) >= 3
        assert any("'bad\\x1bkey\\u202e'" in line for line in lines)
        assert any("\\x1b[2Jbranch\\u202e.yaml:" in line for line in lines)
    else:
        found = json.loads(out)
        assert any("bad\x1bkey\u202e" in d["message"] for d in found)  # JSON keeps the exact value


def test_play_of_a_broken_campaign_prints_its_diagnostics_safely(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["play", str(escapes_with_errors(tmp_path)), "--plain"]) == 1
    assert_safe(shown(capsys))


def test_the_campaign_list_prints_no_control_character(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    library = tmp_path / "library"
    shutil.copytree(ESCAPES, library / "escapes")
    monkeypatch.setenv("DEALQUEST_CAMPAIGNS", str(library))
    for fmt in ("text", "json"):
        main(["list", "--format", fmt])
        assert_safe(shown(capsys))
