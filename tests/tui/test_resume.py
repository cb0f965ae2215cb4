"""A trainee who quits (after saying yes) and signs in again goes on where they stopped; a busy
results store holds the game back until the choice is recorded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dealquest.training.store import open_store
from dealquest.tui.screens.confirm import ConfirmScreen

from ..conftest import WINNING_SEED
from .conftest import Notes, on_screen, screen_name, view_of, wait_for
from .test_training import go_on, runs, training_app


async def test_q_asks_first_then_a_new_sign_in_resumes_the_run(tmp_path: Path) -> None:
    store = tmp_path / "r.sqlite"
    app = training_app(store, mode="assessment")
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pilot.press("1")
        await go_on(pilot)
        await pilot.press("q")  # q sits under 1 and 2: it asks first
        await on_screen(pilot, "ConfirmScreen")
        assert isinstance(app.screen, ConfirmScreen) and "Stop this run at decision 2?" in app.screen.question
        await pilot.press("n")
        await on_screen(pilot, "PlayScreen")
        assert app.is_running
        await pilot.press("q")
        await on_screen(pilot, "ConfirmScreen")
        await pilot.press("y")
        await wait_for(pilot, lambda: not app.is_running)
    [run] = runs(store)
    assert [d.number for d in run.decisions] == [1] and not run.finished

    again, notes = training_app(store, trainee=" ana ", mode="practice"), Notes()  # same person, typed differently
    async with again.run_test(size=(100, 32), message_hook=notes) as pilot:
        await on_screen(pilot, "PlayScreen")
        assert again.session is not None and again.session.state.turn == 1
        assert any("Welcome back: your run goes on at decision 2" in m for m in notes.messages)
        assert again.training is not None and again.training.mode == "assessment"  # the run's own mode
        await pilot.press("1")
        await wait_for(pilot, lambda: len(runs(store)[0].decisions) == 2)
    [run] = runs(store)
    assert run.resumes == 1 and [d.number for d in run.decisions] == [1, 2] and run.seed == WINNING_SEED


async def test_q_before_any_choice_or_after_the_ending_quits_at_once(tmp_path: Path) -> None:
    app = training_app(tmp_path / "r.sqlite")
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running)


HOLD_LOCK = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("COMMIT")
"""


async def test_a_busy_store_shows_a_wait_and_the_game_goes_on_once_the_choice_is_recorded(tmp_path: Path) -> None:
    store = tmp_path / "r.sqlite"
    app = training_app(store)
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLD_LOCK, str(store), "2.5"], stdout=subprocess.PIPE, text=True
        )
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
            await pilot.press("1")
            await on_screen(pilot, "RecordingScreen")
            assert app.session is not None and app.session.state.turn == 0  # not past an unrecorded choice
            await pilot.press("2")  # keys wait too
            await wait_for(pilot, lambda: view_of(app) == "feedback", timeout=30)
            assert screen_name(app) == "PlayScreen" and app.session.state.turn == 1
        finally:
            holder.wait(30)
    with open_store(store, readonly=True) as opened:
        [run] = opened.runs()
    assert [(d.number, d.choice) for d in run.decisions] == [(1, 0)]


async def test_the_sign_in_takes_an_optional_id_that_tells_two_people_of_one_name_apart(tmp_path: Path) -> None:
    from textual.widgets import Input

    store = tmp_path / "r.sqlite"
    for stable in ("sam.lee@example.org", "sam.ng@example.org"):
        app = training_app(store, trainee=None, mode="practice")
        async with app.run_test(size=(100, 32)) as pilot:
            await on_screen(pilot, "SignInScreen")
            app.screen.query_one("#trainee-name", Input).value = "Sam"
            app.screen.query_one("#trainee-id", Input).value = stable
            app.screen.query_one("#trainee-name", Input).focus()
            await pilot.press("enter")
            await on_screen(pilot, "PlayScreen")
            await pilot.press("1")
            await wait_for(pilot, lambda a=app: a.session is not None and a.session.state.turn == 1)
    records = runs(store)
    assert [(r.trainee, r.trainee_id, len(r.decisions)) for r in records] == [
        ("Sam", "sam.lee@example.org", 1),
        ("Sam", "sam.ng@example.org", 1),
    ]  # the second Sam did not resume the first one's run
