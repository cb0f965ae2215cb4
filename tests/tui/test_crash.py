"""After an unexpected error the app exits non-zero, with one line naming the log file that holds
the traceback; the player's screen gets no traceback. (The crash of the report exited 0.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ..conftest import MINI

ROOT = Path(__file__).resolve().parents[2]

# The real `dealquest play`, headless, with a fault put into the play screen: any unexpected
# error would do, and no known input causes one any more.
FAULTY_GAME = """
import sys
from dealquest.cli.main import main
from dealquest.tui.screens import play

def broken(self):
    raise RuntimeError("an unexpected error for the test")

play.PlayScreen.compose = broken
sys.exit(main(["play", sys.argv[1], "--seed", "7"]))
"""


def test_an_unexpected_error_exits_1_and_names_the_log_with_the_traceback(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = subprocess.run(
        [sys.executable, "-c", FAULTY_GAME, str(MINI)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DEALQUEST_HOME": str(home),
            "TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver",
        },
        check=False,
    )
    assert result.returncode == 1
    [log] = (home / "logs").glob("dealquest-crash-*.log")
    assert result.stderr.strip() == (
        f"dealquest play: the game stopped on an unexpected error; the details are in {log} "
        "(please send that file with a report of what you did)"
    )
    assert "Traceback" not in result.stdout
    details = log.read_text()
    assert "RuntimeError: an unexpected error for the test" in details and "Traceback" in details
    assert details.startswith("DealQuest ")
