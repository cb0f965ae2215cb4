"""Shared set-up of the training tests: a private data folder, and runs recorded the way the app does."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from dealquest.play import engine
from dealquest.play.engine import GameState
from dealquest.story.campaign import Campaign
from dealquest.story.loader import load_campaign
from dealquest.training import Mode
from dealquest.training.recorder import Recorder, patiently
from dealquest.training.store import Store, open_store

from ..conftest import MINI, WINNING_SEED


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
    patiently(lambda: recorder.begin(state), lambda waited: None)
    for pick in picks:
        step = engine.choose(campaign, state, pick)
        patiently(lambda: recorder.chose(state, step, 2.5), lambda waited: None)  # noqa: B023 (called at once)
        state = step.state
    return state
