"""Shared set-up of the training tests: a private data folder, runs recorded the way the app does,
and the results store on either backend (a SQLite file, or a database on the test PostgreSQL server)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

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


BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(params=BACKENDS)
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a new results store goes, on each backend in turn: a file not made yet, or the URL of
    an empty database of its own."""
    if request.param == "sqlite":
        return str(tmp_path / "results.sqlite")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def any_store(location: str) -> Iterator[Store]:
    """A new results store on each backend in turn."""
    opened = open_store(where(location))
    yield opened
    opened.close()


def where(location: str) -> Path | str:
    """A location as `open_store` takes it: a path, or the URL as it is."""
    return location if location.startswith("postgresql://") else Path(location)


def tamper(location: str, sql: str, *params: Any) -> None:
    """Change the store behind DealQuest's back, with SQL (`?` placeholders) in one committed transaction."""
    if location.startswith("postgresql://"):
        import psycopg

        from dealquest.training.pgstore import postgres_sql

        with psycopg.connect(location, autocommit=False) as conn:
            conn.execute(postgres_sql(sql), params or None)
        return
    db = sqlite3.connect(location)
    db.execute(sql, params)
    db.commit()
    db.close()


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
