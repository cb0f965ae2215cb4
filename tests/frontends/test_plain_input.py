"""Whatever a player types at a `--plain` prompt is answered with a message, never an exception:
digits Python reads but int() does not ("²", "①", "٣"), 5,000 digits, bytes that are not UTF-8,
a line of a megabyte, control characters. A recorded run goes on after each of them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dealquest.cli.main import main
from dealquest.training.store import open_store

from ..conftest import MINI, WINNING_SEED

ROOT = Path(__file__).resolve().parents[2]

JUNK = [
    "²".encode(),
    "①".encode(),
    "٣".encode(),  # Arabic-Indic three
    b"9" * 5000,
    b"\xff\xfe\x80 not utf-8",
    b"1" * 1_000_000,  # a megabyte on one line
    b"\x1b[2J\x1bc",
    b"-1",
    b"0",
    b"1e1",
    b"",
    b"   ",
]


def play_plain(tmp_path: Path, typed: bytes) -> subprocess.CompletedProcess[bytes]:
    store = tmp_path / "results.sqlite"
    command = [sys.executable, "-m", "dealquest", "play", str(MINI), "--plain", "--trainee", "Ana"]
    return subprocess.run(
        [*command, "--seed", str(WINNING_SEED), "--results", str(store)],
        input=typed,
        capture_output=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "DEALQUEST_HOME": str(tmp_path / "home")},
        check=False,
    )


def test_every_kind_of_junk_is_answered_and_the_recorded_run_goes_on(tmp_path: Path) -> None:
    typed = b"\n".join([*JUNK, b"1", *JUNK, b"1", b"2"]) + b"\n"
    result = play_plain(tmp_path, typed)
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, err
    assert "Traceback" not in err and "Error" not in err
    out = result.stdout.decode("utf-8")
    assert out.count("Type a number from 1 to") >= 2 * len(JUNK) - 6  # "", "   " and 0/-1 say other things
    assert "The end: Signed" in out
    with open_store(tmp_path / "results.sqlite") as store:
        [run] = store.runs()
    assert [d.choice for d in run.decisions] == [0, 0, 1] and run.finished


@pytest.mark.parametrize("choices", ["²", "①,1", "1,٣", "9" * 5000, "1e1"])
def test_a_choices_list_that_is_not_numbers_is_one_line_and_exit_2(
    choices: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["play", str(MINI), "--plain", "--choices", choices]) == 2
    err = capsys.readouterr().err
    assert err.startswith("dealquest play: ") and err.count("\n") == 1 and "is not a choice number" in err
