"""Saving, loading, quitting and continuing, as a player does them."""

from __future__ import annotations

import json

from textual.widgets import Input

from dealquest.play import engine, saves

from ..conftest import campaign
from .conftest import Notes, make_app, on_screen, screen_text, wait_for
from .test_play import pick


async def test_a_named_save_loads_back_to_the_same_state() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pick(pilot, "1")
        saved = app.session.state  # type: ignore[union-attr]
        await pilot.press("s")
        await on_screen(pilot, "SaveScreen")
        app.screen.query_one(Input).cursor_blink = False
        await pilot.press(*"before the call", "enter")
        await on_screen(pilot, "PlayScreen")
        await pick(pilot, "2")
        assert app.session is not None and app.session.state != saved
        await pilot.press("l")
        await on_screen(pilot, "LoadScreen")
        text = screen_text(app)
        assert "before the call" in text and "Autosave" in text
        slots = [s.slot for s in saves.list_saves()]
        await pilot.press(*["down"] * slots.index("before the call"), "enter")
        await on_screen(pilot, "PlayScreen")
        assert app.session.state == saved
        await wait_for(pilot, lambda: "The first call" in screen_text(app))


async def test_a_bad_save_name_is_refused_with_a_reason() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pilot.press("s")
        await on_screen(pilot, "SaveScreen")
        app.screen.query_one(Input).cursor_blink = False
        await pilot.press(*"../etc", "enter")
        await wait_for(pilot, lambda: "A save name uses letters" in screen_text(app))
        await pilot.press("escape")
        await on_screen(pilot, "PlayScreen")
        assert [s.slot for s in saves.list_saves()] == [saves.AUTOSAVE]


async def test_q_quits_and_continue_resumes_at_the_same_scene() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pick(pilot, "1")
        left = app.session.state  # type: ignore[union-attr]
        await pilot.press("q")
    assert app.return_code == 0
    again = make_app(folder=None)
    async with again.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "TitleScreen")
        await wait_for(pilot, lambda: "Continue: Mini deal, at decision 2" in screen_text(again))
        await pilot.press("c")
        await on_screen(pilot, "PlayScreen")
        assert again.session is not None and again.session.state == left
        await wait_for(pilot, lambda: "The first call" in screen_text(again))


async def test_continue_after_an_ending_opens_the_debrief() -> None:
    mini = campaign()
    saves.autosave(mini, engine.replay(mini, 7, [0, 0, 1]))
    app = make_app(folder=None)
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "TitleScreen")
        await pilot.press("c")
        await on_screen(pilot, "DebriefScreen")


async def test_a_damaged_autosave_is_set_aside_and_reported_without_a_crash() -> None:
    mini = campaign()
    path = saves.autosave(mini, engine.replay(mini, 7, [0]))
    app, notes = make_app(folder=None), Notes()
    async with app.run_test(size=(100, 32), message_hook=notes) as pilot:
        await on_screen(pilot, "TitleScreen")
        path.write_text(path.read_text()[:40])  # cut short after the title screen looked
        await pilot.press("c")
        await pilot.pause()
        assert type(app.screen).__name__ == "TitleScreen"
        assert any("truncated" in m for m in notes.messages)
        assert not path.exists()
        assert len(list(path.parent.glob("autosave.damaged-*"))) == 1


async def test_a_save_that_no_longer_replays_resumes_at_its_scene_and_says_why(mini_copy) -> None:  # type: ignore[no-untyped-def]
    mini = campaign()
    app = make_app(folder=mini_copy)
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pick(pilot, "1")
    path = saves.slot_path("mini", saves.AUTOSAVE)
    data = json.loads(path.read_text())
    data["state"]["decisions"][0]["choice"] = 5  # the story changed under the save
    path.write_text(json.dumps(data))
    app, notes = make_app(folder=None), Notes()
    async with app.run_test(size=(100, 32), message_hook=notes) as pilot:
        await on_screen(pilot, "TitleScreen")
        await pilot.press("c")
        await on_screen(pilot, "PlayScreen")
        assert app.session is not None and app.session.state.scene == "brief"
        messages = notes.messages
        assert any("'Mini deal' changed since this save" in m and "'brief'" in m for m in messages), messages
        assert path.exists()  # a save that is merely out of date is kept as it is
    assert mini.id == "mini"


async def test_quitting_right_after_a_choice_keeps_that_choice_in_the_autosave() -> None:
    """The autosave is written just after the feedback is painted; a quit before that writes it first."""
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        app.choose(0)  # what choice 1 asks for; no pause: the write is still waiting when the app quits
        assert app.writes_waiting
        app.exit()
    latest = saves.latest_autosave()
    assert latest is not None
    assert len(saves.open_record(latest.path).state.decisions) == 1
