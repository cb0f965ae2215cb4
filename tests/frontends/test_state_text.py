"""`dealquest play --plain` shows every text as the state has it, the ending and chapter included."""

from __future__ import annotations

from pathlib import Path

import pytest

from dealquest.cli.main import main

from ..conftest import FIXTURES

STATEFUL = FIXTURES / "stateful"


def run(tmp_path: Path, choices: str, capsys: pytest.CaptureFixture[str]) -> str:
    store = tmp_path / "r.sqlite"
    args = ["play", str(STATEFUL), "--plain", "--seed", "1", "--choices", choices, "--results", str(store)]
    assert main([*args, "--trainee", "Ana"]) == 0
    return capsys.readouterr().out


def test_the_prepared_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run(tmp_path, "1,1", capsys)
    assert "Decision 2, Calls, prepared. You are the salesperson.\nThe first call, case study in hand\n" in out
    assert "Marketing passed on 2 pieces of intel and a case study." in out
    assert "  1. Open with the case study\n" in out
    assert "and the case study is written up for sales." in out
    assert "The end: Signed, with the study\nMarketing's notes carried the call.\n" in out
    assert "{" not in out and "}" not in out


def test_the_cold_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run(tmp_path, "2,2", capsys)
    assert "You know nothing about the segment yet.\n\nDecide how to spend the month." in out
    assert "sales get 0 leads and nothing to say." in out
    assert "Marketing passed on 0 pieces of intel.\n" in out
    assert "(locked: Needs a case study: marketing sent 0 notes and no study) Start with the case study" in out
    assert "Somehow it works.\nThe quarter closed.\n" in out
    assert "The end: Slipped\nThe deal slipped, and nobody knew why.\n" in out
    assert "{" not in out and "}" not in out
