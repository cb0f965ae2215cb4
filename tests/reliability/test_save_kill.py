"""A save survives SIGKILL at any moment: it is always the previous one or the new one, never corrupt."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dealquest.play import engine, saves
from dealquest.story.loader import load_campaign

from ..conftest import MINI

ROOT = Path(__file__).resolve().parent.parent.parent

#: The child saves an ever-longer run over and over, printing each turn count once it is on disk.
CHILD = """
import sys
from dealquest.play import engine, saves
from dealquest.story.loader import load_campaign
campaign = load_campaign(sys.argv[1]).campaign
picks = [[], [0], [0, 0], [1], [1, 1]]
for n in range(100000):
    state = engine.replay(campaign, 7, picks[n % len(picks)])
    saves.autosave(campaign, state)
    print(n, flush=True)
"""


def kill_during_saves(home: Path, kills: int, seed: int) -> int:
    """Start the saving child `kills` times, kill it at a random moment, check the save each time."""
    campaign = load_campaign(MINI).campaign
    assert campaign is not None
    allowed = {tuple(p): engine.replay(campaign, 7, p) for p in ([], [0], [0, 0], [1], [1, 1])}
    rng = random.Random(seed)
    env = {**os.environ, "DEALQUEST_HOME": str(home), "PYTHONPATH": str(ROOT)}
    survived = 0
    for _ in range(kills):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(MINI)], stdout=subprocess.PIPE, env=env, text=True)
        assert child.stdout is not None
        child.stdout.readline()  # at least one save is on disk
        time.sleep(rng.uniform(0, 0.05))
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        path = saves.slot_path("mini", saves.AUTOSAVE)
        state = saves.load(path, campaign)  # raises SaveError if the file were torn
        assert state in allowed.values()
        survived += 1
    leftovers = [p.name for p in path.parent.iterdir() if not p.name.endswith(".json") and not p.name.endswith(".tmp")]
    assert leftovers == []
    assert [info for info in saves.list_saves("mini") if info.problem] == []
    return survived


def test_a_killed_autosave_leaves_a_whole_save(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEALQUEST_HOME", str(tmp_path))
    assert kill_during_saves(tmp_path, kills=8, seed=1) == 8


@pytest.mark.fuzz
def test_hundreds_of_kills(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEALQUEST_HOME", str(tmp_path))
    kills = int(os.environ.get("DEALQUEST_KILLS", "300"))
    assert kill_during_saves(tmp_path, kills=kills, seed=2) == kills
