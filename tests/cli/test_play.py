"""`dealquest play`: bad input is one clear line and exit 2; a broken campaign prints its diagnostics."""

from __future__ import annotations

from pathlib import Path

import pytest

from dealquest.cli.main import main

from ..conftest import broken_campaign


def test_a_seed_that_is_not_a_number_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["play", "--seed", "abc"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "dealquest play: --seed must be a whole number, not 'abc'"


def test_an_unknown_campaign_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["play", "no_such_campaign"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("dealquest play: no campaign folder or bundled campaign 'no_such_campaign'")
    assert "\n" not in err


def test_a_campaign_with_errors_prints_its_diagnostics(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = broken_campaign("unknown_target", tmp_path)
    assert main(["play", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "error[DQ103]" in err and "has errors" in err


def test_no_command_without_a_terminal_prints_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0  # pytest captures stdout, so it is not a terminal: no full-screen app
    assert "usage: dealquest" in capsys.readouterr().out
