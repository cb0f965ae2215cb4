"""The training commands from the outside: exit codes, one-line messages, files written."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from dealquest.cli.main import main
from dealquest.frontends import serve
from dealquest.training.store import Store

from ..conftest import MINI
from .conftest import play

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def results(store: Store) -> str:
    play(store, "Ana", [0, 0, 1])
    play(store, "Bo", [1, 1, 0], seed=3, mode="assessment")
    return str(store.path)


def one_line_error(capsys: pytest.CaptureFixture[str], starts: str) -> str:
    err = capsys.readouterr().err.strip()
    assert err.startswith(starts), err
    assert "\n" not in err and "Traceback" not in err
    return err


@pytest.mark.parametrize(
    ("argv", "code", "starts"),
    [
        (["play", "no_such_campaign", "--plain"], 2, "dealquest play: no campaign folder or bundled campaign"),
        (["play", str(MINI), "--mode", "assessment"], 2, "dealquest play: --mode and --results record"),
        (["play", str(MINI), "--choices", "1,2"], 2, "dealquest play: --choices goes with --plain"),
        (["play", str(MINI), "--plain", "--choices", "1,x"], 2, "dealquest play: --choices: 'x' is not"),
        (["play", str(MINI), "--trainee", "   "], 2, "dealquest play: --trainee: give the trainee's name"),
        (["play", str(MINI), "--trainee", "Ana", "--watch"], 2, "dealquest play: --watch is for writing"),
        (["play", "--plain"], 2, "dealquest play: --plain needs a CAMPAIGN"),
        (["serve", "--port", "0"], 2, "dealquest serve: --port must be"),
        (["serve", "--seed", "x"], 2, "dealquest serve: --seed must be a whole number"),
        (["serve", "--campaign", "nope"], 2, "dealquest serve: no campaign folder"),
        (["results"], 2, "dealquest results: name an action"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    argv: list[str], code: int, starts: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == code
    one_line_error(capsys, starts)


def test_a_corrupt_store_is_one_line_and_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database " * 100)
    for argv in (["report"], ["results", "export"], ["results", "list"]):
        assert main([*argv, "--results", str(bad)]) == 1
        one_line_error(capsys, f"dealquest {' '.join(argv)}: {bad}: not a DealQuest results store")
    assert main(["play", str(MINI), "--plain", "--trainee", "Ana", "--results", str(bad)]) == 1
    one_line_error(capsys, "dealquest play:")


def test_reading_a_store_that_does_not_exist_is_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--results", str(tmp_path / "none.sqlite")]) == 1
    one_line_error(capsys, "dealquest report: there are no results at")


def test_an_unknown_campaign_lists_the_ones_in_the_store(results: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--campaign", "launchpad", "--results", results]) == 1
    err = one_line_error(capsys, "dealquest report: no runs of campaign 'launchpad'")
    assert "(campaigns there: mini)" in err


def test_export_writes_each_format_to_a_file(results: str, tmp_path: Path) -> None:
    for fmt in ("csv", "json", "xapi"):
        out = tmp_path / f"export.{fmt}"
        assert main(["results", "export", "--format", fmt, "-o", str(out), "--results", results]) == 0
        assert out.stat().st_size > 0
    assert len(json.loads((tmp_path / "export.json").read_text())) == 2
    assert main(["results", "export", "--format", "xapi", "--base-iri", "not an iri", "--results", results]) == 2


def test_report_writes_html_and_list_shows_the_runs(
    results: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.html"
    assert main(["report", "--format", "html", "-o", str(out), "--results", results, "--campaign", "mini"]) == 0
    assert out.read_text().startswith("<!DOCTYPE html>")
    assert main(["results", "list", "--results", results]) == 0
    listed = capsys.readouterr().out
    assert "Ana" in listed and "Bo" in listed and "assessment" in listed


def test_the_default_store_lives_in_the_data_folder(dealquest_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["play", str(MINI), "--plain", "--trainee", "Ana", "--seed", "7", "--choices", "1,1,2"]) == 0
    assert (dealquest_home / "results.sqlite").exists()
    assert main(["results", "list"]) == 0
    assert "Ana" in capsys.readouterr().out


def test_serve_without_textual_serve_names_the_install_step(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(serve, "available", lambda: False)
    assert main(["serve"]) == 1
    err = one_line_error(capsys, "dealquest serve: the browser mode needs textual-serve")
    assert "pip install 'dealquest[serve]'" in err


def test_serve_runs_each_tab_as_a_signed_in_recorded_game(tmp_path: Path) -> None:
    command = serve.tab_command(tmp_path / "r s.sqlite", MINI, "assessment", 42)
    assert "play" in command and "--sign-in" in command and "--mode assessment" in command
    assert "--seed 42" in command and "'" + str((tmp_path / "r s.sqlite").resolve()) + "'" in command


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("0.0.0.0", False), ("10.1.2.3", False)],
)
def test_only_loopback_addresses_count_as_this_machine(host: str, loopback: bool) -> None:
    assert serve.is_loopback(host) is loopback


def test_serve_warns_when_other_machines_can_reach_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    served: list[tuple[str, str, int]] = []
    monkeypatch.setattr(serve, "available", lambda: True)
    monkeypatch.setattr(serve, "serve", lambda command, host, port, guard: served.append((command, host, port)))
    store = str(tmp_path / "r.sqlite")
    assert main(["serve", "--host", "0.0.0.0", "--port", "8123", "--results", store]) == 0
    captured = capsys.readouterr()
    assert "warning: listening on 0.0.0.0" in captured.err and "no login" in captured.err
    assert "open http://0.0.0.0" not in captured.out and "http://127.0.0.1:8123" in captured.out
    assert served[0][1:] == ("0.0.0.0", 8123) and "--sign-in" in served[0][0]
    assert main(["serve", "--results", store]) == 0
    assert "warning" not in capsys.readouterr().err


def test_serve_on_a_port_in_use_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def busy(command: str, host: str, port: int, guard: serve.Guard) -> None:
        raise OSError(98, "Address already in use")

    monkeypatch.setattr(serve, "available", lambda: True)
    monkeypatch.setattr(serve, "serve", busy)
    assert main(["serve", "--results", str(tmp_path / "r.sqlite")]) == 1
    one_line_error(capsys, "dealquest serve: cannot listen on 127.0.0.1:8000: Address already in use")


def guide_commands() -> list[str]:
    """The `dealquest` commands in the guide's shell blocks, continuation lines joined."""
    text = (ROOT / "docs" / "FACILITATOR.md").read_text(encoding="utf-8")
    blocks = "\n".join(re.findall(r"^```sh\n(.*?)^```", text, re.M | re.S)).replace("\\\n", " ")
    return [line.split("  #")[0].strip() for line in blocks.splitlines() if line.strip().startswith("dealquest ")]


@pytest.mark.parametrize("command", guide_commands())
def test_every_command_in_the_facilitators_guide_parses(command: str) -> None:
    from dealquest.cli.main import _parser

    args = _parser().parse_args(shlex.split(command)[1:])  # exits (fails the test) on a bad flag
    assert args.command in ("serve", "results", "report", "play", "list", "class")


def test_a_trainees_report_draws_their_run_as_a_route_beside_the_best(
    results: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bo.html"
    assert main(["report", "--trainee", "bo", "--format", "html", "-o", str(out), "--results", results]) == 0
    page = out.read_text()
    assert '<section class="route"' in page and "<h3>Route: Bo, assessment run</h3>" in page
    assert "The run and the best route part at decision 1." in page
    assert "The run&#x27;s route" in page and "The best route (same dice)" in page
    # Bo bought the billboard: the case study was locked at the first call, with the writer's reason.
    assert "✕ Use the case study (locked: Needs a case study from marketing)" in page
    assert '<div class="leg marketer">' in page and '<div class="leg salesperson">' in page
    assert "Ana" not in page  # a trainee's report is about that trainee
    assert main(["report", "--trainee", "Bo", "--results", results]) == 0
    text = capsys.readouterr().out
    assert "The run's route:" in text and "◆ the run left the best route here (best: Interview ten customers)" in text
    assert main(["report", "--trainee", "Cy", "--results", results]) == 1
    assert "no runs of trainee 'Cy'" in one_line_error(capsys, "dealquest report:")
    assert main(["report", "--trainee", "Bo", "--anonymous", "--results", results]) == 2
