"""The results store on both backends (a SQLite file, a PostgreSQL database): one transaction per choice,
many writers at once, crashes, old layouts; and what only a file has (WAL, SQLite's own layouts)."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from dealquest.play import engine
from dealquest.training.recorder import Recorder, summary
from dealquest.training.store import SCHEMA_VERSION, WRITE_WAIT_SECONDS, SqliteStore, Store, StoreError, open_store

from ..conftest import FIXTURES
from .conftest import WINNING_SEED, mini, play, tamper, where

V1_STORE = FIXTURES / "stores" / "v1.sql"


def columns(path: Path) -> dict[str, list[str]]:
    """The column names of the store's tables."""
    db = sqlite3.connect(path)
    try:
        return {t: [r[1] for r in db.execute(f"PRAGMA table_info({t})")] for t in ("runs", "decisions")}
    finally:
        db.close()


def test_a_new_store_uses_wal_and_the_current_schema(store: Store) -> None:
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.schema_version == SCHEMA_VERSION
    # A write waits a moment for another writer, then says so (the front end tells the trainee and retries).
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] == WRITE_WAIT_SECONDS * 1000


def test_a_new_store_on_either_backend_has_the_current_schema(any_store: Store) -> None:
    assert any_store.schema_version == SCHEMA_VERSION and any_store.runs() == []


def test_each_choice_is_stored_with_the_engines_figures(any_store: Store) -> None:
    store = any_store
    state = play(store, "Ana", [0, 0, 1])
    [run] = store.runs()
    card = engine.score(mini(), state)
    assert run.finished and run.ending == "won" and run.outcome == "success"
    assert (run.percent, run.grade) == (card.percent, card.grade)
    assert run.totals == {role: dict(card.roles[role].axes) for role in card.roles}
    assert [(d.scene, d.choice, d.value, d.seconds) for d in run.decisions] == [
        (d.scene, d.choice, d.value, 2.5) for d in state.decisions
    ]
    assert run.decisions[0].lessons == ("aims", "audience")
    assert run.decisions[0].best_text == "Interview ten customers"


def test_undo_forgets_the_later_choices_and_counts_the_undo(any_store: Store) -> None:
    store = any_store
    campaign = mini()
    recorder = Recorder(store, campaign, "Bo", "practice")
    state = engine.new_game(campaign, WINNING_SEED)
    recorder.begin(state)
    for pick in (0, 0):
        step = engine.choose(campaign, state, pick)
        recorder.chose(state, step, 1.0)
        state = step.state
    state = engine.undo(campaign, state)
    recorder.rewound(state)
    [run] = store.runs()
    assert [d.number for d in run.decisions] == [1] and run.undos == 1
    assert run.percent == summary(campaign, state).percent


def test_changing_a_finished_run_starts_a_new_one_that_carries_the_earlier_choices(any_store: Store) -> None:
    store = any_store
    campaign = mini()
    recorder = Recorder(store, campaign, "Cy", "assessment")
    state = engine.new_game(campaign, WINNING_SEED)
    recorder.begin(state)
    for pick in (0, 0, 1):
        step = engine.choose(campaign, state, pick)
        recorder.chose(state, step, 1.0)
        state = step.state
    recorder.rewound(engine.undo(campaign, state))
    first, second = store.runs()
    assert first.finished and len(first.decisions) == 3  # the graded attempt stays as it was
    assert second.carried_from == first.id and not second.finished
    assert [d.carried for d in second.decisions] == [True, True]
    assert all(d.seconds is None for d in second.decisions)


def _write_runs(path: str, worker: int, runs: int, barrier: multiprocessing.synchronize.Barrier) -> None:
    """One trainee's process: start together with the others, then record whole runs."""
    store = open_store(where(path))
    barrier.wait()
    for _ in range(runs):
        play(store, f"trainee-{worker}", [0, 0, 1])
    store.close()


def run_writers(path: Path | str, workers: int, runs: int, timeout: float) -> None:
    """Start `workers` processes that record `runs` whole runs each into one store, together."""
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    barrier = context.Barrier(workers)
    processes = [context.Process(target=_write_runs, args=(str(path), w, runs, barrier)) for w in range(workers)]
    for p in processes:
        p.start()
    for p in processes:
        p.join(timeout)
        assert p.exitcode == 0


def test_several_processes_write_at_once_without_losing_or_mixing_rows(location: str) -> None:
    path = where(location)  # not made yet: the workers also race to create the tables
    workers, runs = 5, 3
    run_writers(path, workers, runs, timeout=60)
    with open_store(path) as store:
        recorded = store.runs()
    assert len(recorded) == workers * runs
    expected = engine.replay(mini(), WINNING_SEED, [0, 0, 1])
    for w in range(workers):
        own = [r for r in recorded if r.trainee == f"trainee-{w}"]
        assert len(own) == runs
        for run in own:
            assert [d.number for d in run.decisions] == [1, 2, 3]
            assert [(d.scene, d.choice) for d in run.decisions] == [(d.scene, d.choice) for d in expected.decisions]
            assert run.finished and run.ending == "won"


def _killed_mid_choice(path: str, ready: multiprocessing.synchronize.Event) -> None:
    """Record two choices, then die (SIGKILL from the test) in the middle of writing the third."""
    import time

    store = open_store(where(path))
    campaign = mini()
    recorder = Recorder(store, campaign, "Dee", "practice")
    state = engine.new_game(campaign, WINNING_SEED)
    recorder.begin(state)
    for pick in (0, 0):
        step = engine.choose(campaign, state, pick)
        recorder.chose(state, step, 1.0)
        state = step.state
    with store._write() as db:  # the transaction a choice takes, on either backend
        db.execute("UPDATE runs SET percent = -1")
        db.execute("DELETE FROM decisions")
        ready.set()
        time.sleep(60)


def test_a_run_killed_mid_choice_keeps_every_earlier_choice(location: str) -> None:
    path = where(location)
    open_store(path).close()
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    ready = context.Event()
    process = context.Process(target=_killed_mid_choice, args=(str(path), ready))
    process.start()
    assert ready.wait(30)
    process.kill()  # SIGKILL: no cleanup, the transaction is left open
    process.join(10)
    with open_store(path) as store:
        if isinstance(store, SqliteStore):
            assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        [run] = store.runs()
        assert [d.number for d in run.decisions] == [1, 2] and run.percent >= 0
        play(store, "Eve", [0])  # and the store takes writes again
        assert len(store.runs()) == 2


def test_a_store_of_schema_version_1_migrates_without_loss(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(V1_STORE.read_text(encoding="utf-8"))
    db.close()
    with open_store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        ana, bo = store.runs()
    assert (path.parent / "old.sqlite.v1.bak").exists()
    open_store(tmp_path / "fresh.sqlite").close()
    migrated, fresh = columns(path), columns(tmp_path / "fresh.sqlite")
    assert {t: sorted(c) for t, c in migrated.items()} == {t: sorted(c) for t, c in fresh.items()}
    assert (ana.trainee, ana.mode, ana.seed, ana.percent, ana.grade, ana.ending) == (
        "Ana",
        "assessment",
        7,
        85.0,
        "A",
        "won",
    )
    assert ana.uid == "3f1c2a9e-8d5b-4c1e-9a7f-0b6d2e4c8a11"
    # version 1 kept a share from 0 to 1; it is read back onto the marks' scale, -2 to +2
    assert ana.totals["salesperson"]["push_pull"] == pytest.approx(1.6)
    assert [d.lessons for d in ana.decisions] == [("aims", "audience"), ("facilitation",), ()]
    assert [d.seconds for d in ana.decisions] == [41.5, 62.25, 140.0]
    assert ana.updated_at == ana.ended_at and ana.campaign_title == "mini"
    assert ana.decisions[0].best_choice is None and ana.decisions[0].missed == 0
    assert not bo.finished and bo.totals["salesperson"]["audience"] is None
    assert [(d.scene, d.choice_text, d.lessons) for d in bo.decisions] == [
        ("research", "Buy a billboard", ("push_pull",))
    ]
    assert bo.updated_at == "2025-03-04T09:01:12.000+00:00"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is not a database at all, just some text that happens to be long enough" * 20, "not an SQLite"),
        (b"SQLite format 3\x00" + b"\x00" * 84 + b"\xff" * 400, "results store"),
    ],
)
def test_a_file_that_is_not_a_store_is_refused_in_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.sqlite"
    path.write_bytes(content)
    with pytest.raises(StoreError) as caught:
        open_store(path)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_another_programs_database_is_not_taken_over(location: str) -> None:
    tamper(location, "CREATE TABLE contacts (name TEXT)")
    for readonly in (False, True):
        with pytest.raises(StoreError, match="not a DealQuest results store") as caught:
            open_store(where(location), readonly=readonly)
        assert "\n" not in str(caught.value)
    tamper(location, "SELECT COUNT(*) FROM contacts")  # still there, and nothing of ours beside it


def test_a_store_from_a_newer_dealquest_is_refused(location: str) -> None:
    open_store(where(location)).close()
    if location.startswith("postgresql://"):
        tamper(location, "UPDATE dealquest_store SET schema_version = ?", SCHEMA_VERSION + 1)
    else:
        tamper(location, f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    for readonly in (False, True):
        with pytest.raises(StoreError, match="newer DealQuest"):
            open_store(where(location), readonly=readonly)


def test_a_version_3_store_is_brought_up_to_date_by_the_same_migrations_on_either_backend(location: str) -> None:
    with open_store(where(location)) as store:
        play(store, "Ana", [0, 0, 1])
    # Version 3 had neither verdicts nor the LRS table.
    tamper(location, "ALTER TABLE decisions DROP COLUMN verdict")
    tamper(location, "ALTER TABLE decisions DROP COLUMN good")
    tamper(location, "DROP TABLE lrs_sent")
    if location.startswith("postgresql://"):
        tamper(location, "UPDATE dealquest_store SET schema_version = 3")
        with pytest.raises(StoreError, match="schema version 3"):  # a reader changes nothing
            open_store(where(location), readonly=True)
    else:
        tamper(location, "PRAGMA user_version = 3")
    with open_store(where(location)) as store:
        assert store.schema_version == SCHEMA_VERSION
        [run] = store.runs()
        assert [d.verdict for d in run.decisions] == ["recorded before verdicts"] * 3
        assert [d.good for d in run.decisions] == [d.value > 0 for d in run.decisions]
        store.acknowledge("https://lrs.example/xapi/", ["a"])
        assert store.lrs_acknowledged() == {"https://lrs.example/xapi/": {"a"}}


def test_reading_a_store_that_does_not_exist_says_so_and_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "none.sqlite"
    with pytest.raises(StoreError, match="no results"):
        open_store(path, create=False)
    assert not path.exists()
