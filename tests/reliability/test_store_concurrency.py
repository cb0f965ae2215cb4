"""Eight processes record runs into one store at once: every row present, none duplicated or mixed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dealquest.play import engine
from dealquest.training.store import open_store

from ..training.test_store import WINNING_SEED, mini, run_writers

CHOICES_PER_RUN = 3  # the mini campaign's winning path


def record_at_once(path: Path, workers: int, choices_each: int) -> int:
    runs = max(1, -(-choices_each // CHOICES_PER_RUN))  # at least choices_each choices per process
    run_writers(path, workers, runs, timeout=600)
    expected = [(d.scene, d.choice) for d in engine.replay(mini(), WINNING_SEED, [0, 0, 1]).decisions]
    with open_store(path) as store:
        recorded = store.runs()
        rows = store.db.execute("SELECT COUNT(*) FROM decisions").fetchone()[0]
    assert len(recorded) == workers * runs
    assert len({r.id for r in recorded}) == len(recorded)  # none duplicated
    for w in range(workers):
        own = [r for r in recorded if r.trainee == f"trainee-{w}"]
        assert len(own) == runs  # none lost, none given to another trainee
        for run in own:
            assert [d.number for d in run.decisions] == [1, 2, 3]
            assert [(d.scene, d.choice) for d in run.decisions] == expected  # none mixed
    assert rows == workers * runs * CHOICES_PER_RUN
    return rows


def test_eight_processes_record_at_once(tmp_path: Path) -> None:
    assert record_at_once(tmp_path / "shared.sqlite", workers=8, choices_each=30) == 8 * 30


@pytest.mark.fuzz
def test_eight_processes_record_500_choices_each(tmp_path: Path) -> None:
    choices = int(os.environ.get("DEALQUEST_CHOICES", "500"))
    rows = record_at_once(tmp_path / "shared.sqlite", workers=8, choices_each=choices)
    print(f"rows written and found: {rows}")
