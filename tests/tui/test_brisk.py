"""Brisk play: the feedback on a choice above the next page, so one key press moves on; off by default."""

from __future__ import annotations

from dealquest.userdata.settings import load_settings

from .conftest import Notes, make_app, on_screen, on_view, page_of, screen_text, wait_for


async def test_a_new_player_gets_the_feedback_on_a_page_of_its_own() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_view(pilot, "scene")
        assert not app.game.brisk
        await pilot.press("1")
        await on_view(pilot, "feedback")


async def test_b_turns_brisk_play_on_and_the_feedback_shows_above_the_next_page() -> None:
    app, notes = make_app(), Notes()
    async with app.run_test(size=(100, 32), message_hook=notes) as pilot:
        await on_view(pilot, "scene")
        await pilot.press("b")
        await wait_for(pilot, lambda: "Brisk play on" in notes.text)
        assert app.game.brisk and load_settings()[0]["brisk"] == "on"
        await pilot.press("1")
        # No feedback page: the handoff card, with the feedback above it.
        await on_view(pilot, "handoff")
        text = page_of(app).text
        assert "your last choice" in text and "You chose: Interview ten customers" in text
        assert text.index("You chose:") < text.index("Marketing passed on 2 pieces of intel.")
        await pilot.press("enter")
        await on_view(pilot, "scene")
        await pilot.press("2")  # "Wing it": the next scene comes at once, the feedback above it
        await wait_for(pilot, lambda: app.session is not None and app.session.state.turn == 2)
        await on_view(pilot, "scene")
        page = page_of(app)
        assert "You chose: Wing it" in page.text and "The committee" in screen_text(app)
        assert page.highlighted is None  # Enter picks nothing before the feedback is read
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.state.turn == 2  # type: ignore[union-attr]
        await pilot.press("2")  # one key press: the last choice, then its feedback page and the debrief
        await on_view(pilot, "feedback")
        await pilot.press("enter")
        await on_screen(pilot, "DebriefScreen")


async def test_brisk_play_is_remembered_and_b_turns_it_off() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_view(pilot, "scene")
        await pilot.press("b")
        await wait_for(pilot, lambda: app.game.brisk)
    again = make_app()
    async with again.run_test(size=(100, 32)) as pilot:
        await on_view(pilot, "scene")
        assert again.game.brisk
        await pilot.press("b")
        await wait_for(pilot, lambda: not again.game.brisk)
        await pilot.press("1")
        await on_view(pilot, "feedback")
    assert load_settings()[0]["brisk"] == "off"


async def test_continue_shows_the_feedback_above_the_scene_as_it_was() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_view(pilot, "scene")
        await pilot.press("b", "1")
        await on_view(pilot, "handoff")
        await pilot.press("enter")
        await on_view(pilot, "scene")
        await pilot.press("2")
        await wait_for(pilot, lambda: "You chose: Wing it" in page_of(app).text)
        shown = page_of(app).text
        await pilot.press("q")
    again = make_app(folder=None)
    async with again.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "TitleScreen")
        await pilot.press("c")
        await on_view(pilot, "scene")
        await wait_for(pilot, lambda: page_of(again).text == shown)
        assert page_of(again).highlighted is None
