"""The autosave is the game last on screen, and Continue or Load shows exactly what was on screen."""

from __future__ import annotations

import json

from textual.widgets import Input

from dealquest.play import engine, saves
from dealquest.story.library import bundled

from ..conftest import campaign
from .conftest import make_app, on_screen, on_view, page_of, screen_text, wait_for
from .test_play import pick

BISTRO = next(folder for folder in bundled() if folder.name == "bistro")


def autosaved() -> saves.SaveFile:
    latest = saves.latest_autosave()
    assert latest is not None
    return saves.open_record(latest.path)


async def test_loading_a_save_makes_it_the_game_continue_comes_back_to() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pick(pilot, "1")
        await pilot.press("s")
        await on_screen(pilot, "SaveScreen")
        app.screen.query_one(Input).cursor_blink = False
        await pilot.press(*"at the call", "enter")
        await on_screen(pilot, "PlayScreen")
        saved = app.session.state  # type: ignore[union-attr]
    # A new run from the start: its autosave is at decision 1.
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        assert autosaved().state.turn == 0
        await pilot.press("l")
        await on_screen(pilot, "LoadScreen")
        slots = [s.slot for s in saves.list_saves()]
        await pilot.press(*["down"] * slots.index("at the call"), "enter")
        await on_screen(pilot, "PlayScreen")
        await pilot.press("q")
    assert autosaved().state == saved
    again = make_app(folder=None)
    async with again.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "TitleScreen")
        await wait_for(pilot, lambda: "Continue: Mini deal, at decision 2" in screen_text(again))
        await pilot.press("c")
        await on_screen(pilot, "PlayScreen")
        assert again.session is not None and again.session.state == saved


async def test_quitting_on_the_feedback_continues_on_that_feedback() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pilot.press("2")
        await on_view(pilot, "feedback")
        shown = page_of(app).text
        await pilot.press("q")
    assert autosaved().view.page == "feedback"
    again = make_app(folder=None)
    async with again.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "TitleScreen")
        await pilot.press("c")
        await on_view(pilot, "feedback")
        assert page_of(again).text == shown
        assert "Buy a billboard" in screen_text(again)
        # Enter goes on as it would have: to the handoff card, then the scene.
        await pilot.press("enter")
        await on_view(pilot, "handoff")
        await pilot.press("enter")
        await on_view(pilot, "scene")
        assert again.session is not None and again.session.state.turn == 1


async def test_quitting_on_a_handoff_card_continues_on_that_card() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pilot.press("1")
        await on_view(pilot, "feedback")
        await pilot.press("enter")
        await on_view(pilot, "handoff")
        shown = page_of(app).text
        await pilot.press("q")
    assert autosaved().view.page == "handoff"
    again = make_app(folder=None)
    async with again.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "TitleScreen")
        await pilot.press("c")
        await on_view(pilot, "handoff")
        assert page_of(again).text == shown
        assert "Marketing passed on 2 pieces of intel." in screen_text(again)


async def test_the_last_feedback_of_a_run_resumes_before_the_debrief() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pick(pilot, "1")
        await pilot.press("1")
        await on_view(pilot, "feedback")
        await pilot.press("enter")
        await on_view(pilot, "scene")
        await pilot.press("2")
        await on_view(pilot, "feedback")
        await pilot.press("q")
    again = make_app(folder=None)
    async with again.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "TitleScreen")
        await pilot.press("c")
        await on_view(pilot, "feedback")
        assert "Continue (the debrief, Enter)" in screen_text(again)
        await pilot.press("enter")
        await on_screen(pilot, "DebriefScreen")


async def test_the_scroll_position_of_a_long_page_is_restored() -> None:
    app = make_app(folder=BISTRO, seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_view(pilot, "scene")
        page = page_of(app)
        await wait_for(pilot, lambda: page.max_scroll_y > 5)
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: page.scroll_offset.y > 0)
        top = page.scroll_offset.y
        await pilot.press("q")
    assert autosaved().view == saves.SaveView(page="scene", scroll=top)
    again = make_app(folder=None, library=[BISTRO])
    async with again.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "TitleScreen")
        await pilot.press("c")
        await on_view(pilot, "scene")
        await wait_for(pilot, lambda: page_of(again).scroll_offset.y == top)


async def test_the_debrief_reopens_where_it_was_read() -> None:
    mini = campaign()
    saves.autosave(mini, engine.replay(mini, 7, [0, 0, 1]), saves.SaveView(page="debrief", scroll=6))
    app = make_app(folder=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "TitleScreen")
        await pilot.press("c")
        await on_screen(pilot, "DebriefScreen")
        await wait_for(pilot, lambda: app.screen.page_top == 6)  # type: ignore[attr-defined]
        await pilot.press("q")
    assert autosaved().view.page == "debrief"


async def test_play_again_and_another_path_make_the_new_run_the_autosave() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        for key in "112":
            await pick(pilot, key)
        await on_screen(pilot, "DebriefScreen")
        assert autosaved().state.ended
        await pilot.press("a")
        await on_view(pilot, "scene")
        rewound = app.session.state  # type: ignore[union-attr]
        assert not rewound.ended
        assert autosaved().state == rewound and autosaved().view.page == "scene"
        while not app.session.state.ended:  # type: ignore[union-attr]
            await pick(pilot, "1")
        await on_screen(pilot, "DebriefScreen")
        await pilot.press("p")
        await on_view(pilot, "scene")
        assert autosaved().state.turn == 0 and not autosaved().state.ended


async def test_a_format_1_save_without_a_view_still_loads_at_its_scene() -> None:
    mini = campaign()
    path = saves.autosave(mini, engine.replay(mini, 7, [0]))
    text = path.read_text().replace('"format": 2', '"format": 1')
    data = json.loads(text)
    del data["view"]
    path.write_text(json.dumps(data))
    app = make_app(folder=None)
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "TitleScreen")
        await pilot.press("c")
        await on_view(pilot, "scene")
        assert "The first call" in screen_text(app)
