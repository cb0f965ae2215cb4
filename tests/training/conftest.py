"""Shared set-up of the training tests: a private data folder, and runs recorded the way the app does."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from dealquest import engine
from dealquest.engine import GameState
from dealquest.loader import Campaign, load_campaign
from dealquest.training import Mode
from dealquest.training.recorder import Recorder
from dealquest.training.store import Store, open_store

from ..conftest import MINI

#: With this seed the mini campaign's pilot lands on 'won' (see tests/tui/conftest.py).
WINNING_SEED = 7


@pytest.fixture(autouse=True)
def dealquest_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test keeps its files in its own folder, never the user's."""
    home = tmp_path / "home"
    monkeypatch.setenv("DEALQUEST_HOME", str(home))
    return home


def mini() -> Campaign:
    result = load_campaign(MINI)
    assert result.campaign is not None, result.diagnostics
    return result.campaign


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = open_store(tmp_path / "results.sqlite")
    yield opened  # type: ignore[misc]
    opened.close()


def play(
    store: Store,
    trainee: str,
    picks: Sequence[int],
    seed: int = WINNING_SEED,
    mode: Mode = "practice",
    campaign: Campaign | None = None,
) -> GameState:
    """Record a run of the engine's choice indices, as the app would; the state it ends in."""
    campaign = campaign or mini()
    recorder = Recorder(store, campaign, trainee, mode)
    state = engine.new_game(campaign, seed)
    recorder.begin(state)
    for pick in picks:
        step = engine.choose(campaign, state, pick)
        recorder.chose(state, step, 2.5)
        state = step.state
    return state
