"""`dealquest play --plain`: the same engine, the same results and the same debrief, line by line."""

from __future__ import annotations

import io
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dealquest.cli.main import main
from dealquest.play import engine
from dealquest.training.store import open_store

from ..conftest import FIXTURES, MINI, WINNING_SEED
from ..conftest import campaign as mini

ROOT = Path(__file__).resolve().parents[2]


def plain(store: Path, *extra: str) -> list[str]:
    return ["play", str(MINI), "--plain", "--trainee", "Ana", "--results", str(store), *extra]


def test_scripted_choices_give_the_engines_run_and_the_debrief(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "r.sqlite"
    assert main(plain(path, "--seed", str(WINNING_SEED), "--choices", "1,1,2")) == 0
    out = capsys.readouterr().out
    expected = engine.replay(mini(), WINNING_SEED, [0, 0, 1])
    card = engine.score(mini(), expected)
    assert "You chose: Interview ten customers" in out  # practice: feedback after each choice
    assert "The end: Signed" in out and f"Grade {card.grade}, Rainmaker, {card.percent:.0f}%." in out
    with open_store(path) as store:
        [run] = store.runs()
    assert [(d.scene, d.choice) for d in run.decisions] == [(d.scene, d.choice) for d in expected.decisions]
    assert (run.percent, run.grade, run.ending) == (card.percent, card.grade, "won")


def test_piped_input_with_mistakes_and_an_undo_records_the_final_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "r.sqlite"
    monkeypatch.setattr(sys, "stdin", io.StringIO("2\nhello\n9\n1\nu\n1\n1\nh\n2\n"))
    assert main(plain(path, "--seed", str(WINNING_SEED))) == 0
    out = capsys.readouterr().out
    assert "Type a number from 1 to 2" in out and "There is no choice 9 here" in out
    assert "Choice 1 is locked: Needs a case study from marketing." in out  # after the billboard
    assert "Undone." in out and "The end: Signed" in out
    with open_store(path) as store:
        [run] = store.runs()
    assert [d.choice for d in run.decisions] == [0, 0, 1] and run.undos == 1 and run.finished


def test_assessment_holds_back_feedback_and_undo_until_the_debrief(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("2\nu\n2\n1\n"))
    assert main(plain(tmp_path / "r.sqlite", "--mode", "assessment", "--seed", "3")) == 0
    out = capsys.readouterr().out
    before_end = out.split("The end:")[0]
    assert "You chose:" not in before_end and "on a scale of" not in before_end
    assert before_end.count("Recorded.") == 3 and "Undo is off in assessment mode" in before_end
    assert "Decisions to rethink" in out  # the debrief comes at the end


def test_input_that_ends_before_the_run_exits_0_and_keeps_the_choices(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "r.sqlite"
    monkeypatch.setattr(sys, "stdin", io.StringIO("1\n"))
    assert main(plain(path)) == 0
    out = capsys.readouterr().out
    assert "The input ended at decision 2, before the run did." in out
    assert "Your choices so far are recorded: run the same command with the same name to go on from here." in out
    with open_store(path) as store:
        [run] = store.runs()
    assert len(run.decisions) == 1 and not run.finished


def test_a_scripted_choice_that_does_not_fit_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(plain(tmp_path / "r.sqlite", "--choices", "2,1")) == 1  # 1 is locked after the billboard
    err = capsys.readouterr().err.strip()
    assert err == (
        "dealquest play: --choices item 2 (1), at decision 2: Choice 1 is locked: Needs a case study from marketing."
    )


def test_plain_mode_without_a_trainee_plays_without_recording(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], dealquest_home: Path
) -> None:
    assert main(["play", str(MINI), "--plain", "--seed", "7", "--choices", "1,1,2"]) == 0
    assert "The end: Signed" in capsys.readouterr().out
    assert not (dealquest_home / "results.sqlite").exists()


def test_escape_sequences_in_story_text_never_reach_the_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    main(["play", str(FIXTURES / "hostile"), "--plain", "--seed", "1", "--choices", "1"])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "Plain [bold]x[/]" in out


def _read_until(process: subprocess.Popen[bytes], text: bytes, timeout: float = 20.0) -> bytes:
    assert process.stdout is not None
    seen = b""
    end = time.monotonic() + timeout
    while text not in seen:
        left = end - time.monotonic()
        assert left > 0, f"timed out waiting for {text!r}; got {seen[-500:]!r}"
        ready, _, _ = select.select([process.stdout], [], [], left)
        if ready:
            chunk = os.read(process.stdout.fileno(), 65536)
            assert chunk, f"the game ended early: {seen[-500:]!r}"
            seen += chunk
    return seen


def test_a_run_killed_mid_way_keeps_every_choice_made_before_the_kill(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    process = subprocess.Popen(
        [sys.executable, "-m", "dealquest", *plain(path, "--seed", str(WINNING_SEED))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdin is not None
    try:
        _read_until(process, b"Your choice, 1 to 2: ")
        process.stdin.write(b"1\n")
        process.stdin.flush()
        _read_until(process, b"The first call")
        process.stdin.write(b"1\n")
        process.stdin.flush()
        _read_until(process, b"The committee")  # decision 3 is on screen, being thought about
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
    with open_store(path) as store:
        [run] = store.runs()
    assert [(d.scene, d.choice) for d in run.decisions] == [("research", 0), ("brief", 0)]
    assert not run.finished


def test_watch_replays_the_run_on_each_edit_and_goes_on_with_the_last_good_version(mini_copy: Path) -> None:
    from collections.abc import Iterator

    from dealquest.frontends.plain import Line, PlainGame

    def edit(old: str, new: str) -> None:
        path = mini_copy / "campaign.yaml"
        path.write_text(path.read_text().replace(old, new, 1))

    def lines() -> Iterator[Line]:
        yield Line("1", 1.0)  # interview ten customers: intel 2
        edit("add: {intel: 2}", "add: {intel: 3")  # saved half-way: a brace left open
        yield Line("2", 1.0)  # wing it: the game goes on with the last good version
        edit("add: {intel: 3", "add: {intel: 3}")
        yield Line("1", 1.0)  # typed before the reload is seen: not taken
        edit("set: {case_study: true}", "set: {case_study: false}")
        yield Line("", 1.0)

    out, err = io.StringIO(), io.StringIO()
    start = mini(mini_copy)
    game = PlainGame(start, engine.new_game(start, WINNING_SEED), out, err=err, watch=mini_copy)
    assert game.play(lines())
    said, problems = out.getvalue(), err.getvalue()
    assert "dealquest: the campaign has errors; still playing the last good version:" in problems
    assert f"{mini_copy}/campaign.yaml:38:14: error[DQ001]: YAML syntax: line 38 opens a '{{'" in problems
    assert "You chose: Wing it" in said
    assert "Reloaded: your 2 decisions replay; now intel 3 (was 2)." in said
    assert "(“1” was typed before the reload: type it again.)" in said
    assert "Reloaded: your 2 decisions replay; now case_study false (was true)." in said
    assert game.state.turn == 2 and game.state.vars["intel"] == 3 and game.state.scene == "pitch"


def test_a_reason_written_as_a_sentence_reads_as_one_beside_the_scale_and_the_marks(
    mini_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Writers end a breach's reason with a full stop (every bundled one does); the line it goes into
    # read "... assistant., on a scale of -2 to +2." after the choice and "... assistant.; Push/pull"
    # in the debrief.
    from ..story.test_conduct import with_bribe

    with_bribe(mini_copy, "        set: {case_study: false}\n")
    sales = mini_copy / "sales.yaml"
    sales.write_text(
        sales.read_text().replace("breach: a bribe to the buyer's assistant\n", "breach: A bribe to the assistant.\n")
    )
    store = tmp_path / "r.sqlite"
    argv = ["play", str(mini_copy), "--plain", "--trainee", "Ana", "--results", str(store)]
    assert main([*argv, "--seed", str(WINNING_SEED), "--choices", "1,3,1"]) == 0
    out = capsys.readouterr().out
    assert "A bribe to the assistant, on a scale of" in out
    assert "A bribe to the assistant; Push/pull" in out
    assert ".," not in out and ".;" not in out
