"""`dealquest class`: the trainer's live console reads the store and follows the room as choices land."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable

from dealquest.cli.main import main
from dealquest.play import engine
from dealquest.training.recorder import Recorder
from dealquest.training.store import Store, open_store
from dealquest.tui.console import ClassConsoleApp

from ..conftest import WINNING_SEED
from ..conftest import campaign as mini
from .conftest import wait_for

#: The console's clock in the snapshot: ten minutes after the fixed times written below.
NOW = datetime(2025, 3, 4, 9, 10, tzinfo=UTC)


def record(store: Store, trainee: str, picks: list[int], seed: int = WINNING_SEED, mode: str = "practice") -> Recorder:
    recorder = Recorder(store, mini(), trainee, mode)  # type: ignore[arg-type]
    state = engine.new_game(mini(), seed)
    recorder.begin(state)
    for pick in picks:
        step = engine.choose(mini(), state, pick)
        recorder.chose(state, step, 5.0)
        state = step.state
    return recorder


def cells(app: ClassConsoleApp) -> list[list[str]]:
    table = app.query_one("#console-trainees", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def row_of(app: ClassConsoleApp, name: str) -> list[str]:
    return next(r for r in cells(app) if r[0] == name)


async def test_a_recorded_choice_shows_within_a_second(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    with open_store(path) as store:
        record(store, "Ana", [0])
        app = ClassConsoleApp(path)
        async with app.run_test(size=(110, 30)) as pilot:
            await wait_for(pilot, lambda: bool(cells(app)))
            assert row_of(app, "Ana")[2:4] == ["salesperson", "2"]  # after the handoff
            record(store, "Bo", [1, 1])  # another trainee's choices land while the console watches
            landed = time.monotonic()
            await wait_for(pilot, lambda: any(r[0] == "Bo" for r in cells(app)), timeout=5)
            took = time.monotonic() - landed
            assert took < 1.0, f"the console took {took:.2f} s to show a recorded choice"
            assert row_of(app, "Bo")[1:4] == ["practice", "salesperson", "3"]
            assert "2 trainees, 2 playing, 0 stuck" in str(app.query_one("#console-status").render())


async def test_the_console_never_holds_the_trainees_back(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    with open_store(path) as store:
        record(store, "Ana", [0])
        app = ClassConsoleApp(path)
        async with app.run_test(size=(110, 30)) as pilot:
            await wait_for(pilot, lambda: bool(cells(app)))
            began = time.monotonic()
            for _ in range(20):  # twenty runs of three choices while the console polls
                record(store, "Cy", [0, 0, 1])
                await pilot.pause(0.01)
            assert time.monotonic() - began < 20
            # Cy's row may not be drawn yet when the last run lands (the console polls): wait for it.
            await wait_for(pilot, lambda: any(r[0] == "Cy" and r[3].startswith("done") for r in cells(app)), timeout=5)
    assert sorted(p.name for p in tmp_path.iterdir() if "console" in p.name) == []


def fixed_class(path: Path) -> None:
    """Four trainees at fixed times, so the snapshot's idle times never change."""
    with open_store(path) as store:
        record(store, "Ana", [0, 0, 1])  # finished
        record(store, "Bo", [1])  # at the first call
        record(store, "Cy", [0])  # at the first call
        record(store, "Dee", [0, 0], mode="assessment")  # at the committee
    db = sqlite3.connect(path)
    times = {"Ana": "09:09:00", "Bo": "09:01:00", "Cy": "09:09:30", "Dee": "09:08:00"}
    for name, when in times.items():
        stamp = f"2025-03-04T{when}.000+00:00"
        db.execute(
            "UPDATE runs SET started_at = ?, updated_at = ? WHERE trainee = ?",
            ("2025-03-04T09:00:00.000+00:00", stamp, name),
        )
        db.execute(
            "UPDATE decisions SET decided_at = ? WHERE run_id = (SELECT id FROM runs WHERE trainee = ?)", (stamp, name)
        )
    db.execute("UPDATE runs SET ended_at = '2025-03-04T09:09:00.000+00:00' WHERE ended_at IS NOT NULL")
    db.commit()
    db.close()


async def test_stuck_trainees_come_first_and_the_room_split_is_shown(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    fixed_class(path)
    app = ClassConsoleApp(path, stuck_after=300, clock=lambda: NOW)
    async with app.run_test(size=(110, 30)) as pilot:
        await wait_for(pilot, lambda: len(cells(app)) == 4)
        rows = cells(app)
        assert [r[0] for r in rows] == ["Bo", "Dee", "Cy", "Ana"]  # longest idle first, finished last
        assert rows[0][5:] == ["9 min 00 s", "STUCK"] and rows[1][6] == ""
        assert rows[3][3] == "done (3)"
        assert [r[2] for r in rows] == ["salesperson", "salesperson", "salesperson", "salesperson"]
        splits = str(app.query_one("#console-splits").render())
        assert "The first call (salesperson): 2 playing it now; of the 2 who decided it, 2 Use the case study" in splits
        assert "The committee (salesperson): 1 playing it now; of the 1 who decided it" in splits


def test_the_console_at_a_glance(tmp_path: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "r.sqlite"
    fixed_class(path)

    async def settle(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, ClassConsoleApp)
        await wait_for(pilot, lambda: len(cells(app)) == 4)
        await pilot.pause()

    app = ClassConsoleApp(path, stuck_after=300, clock=lambda: NOW)
    assert snap_compare(app, terminal_size=(110, 24), run_before=settle)


def test_the_class_command_says_in_one_line_when_there_is_no_store(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["class", "--results", str(tmp_path / "none.sqlite")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("dealquest class: there are no results at") and "\n" not in err
    assert main(["class", "--stuck", "0", "--results", str(tmp_path / "none.sqlite")]) == 2
