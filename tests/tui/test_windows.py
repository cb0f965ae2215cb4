"""Windows: the palette offers the game's own commands and keys, and Esc closes every window."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import Input

from .conftest import make_app, on_screen, on_view, screen_text, wait_for


async def test_the_palette_offers_the_games_keys_and_none_of_textuals_panels() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_view(pilot, "scene")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Keys" in titles and "Theme" in titles and "Quit" in titles
        assert "Maximize" not in titles and "Screenshot" not in titles and "Minimize" not in titles
        assert titles.count("Keys") == 1
        await pilot.press("ctrl+p")
        await on_screen(pilot, "CommandPalette")
        await pilot.press(*"keys")
        await wait_for(pilot, lambda: "Every key of the game" in screen_text(app))
        await pilot.press("enter")
        await on_screen(pilot, "HelpScreen")
        assert "1-9" in screen_text(app) and "pick a choice" in screen_text(app)
        assert not app.screen.query("HelpPanel") and not app.screen_stack[-2].query("HelpPanel")
        await pilot.press("escape")
        await on_view(pilot, "scene")


async def test_escape_closes_every_window() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_view(pilot, "scene")
        for key, window in [
            ("question_mark", "HelpScreen"),
            ("j", "JournalScreen"),
            ("s", "SaveScreen"),
            ("l", "LoadScreen"),
            ("r", "ConfirmScreen"),
            ("ctrl+p", "CommandPalette"),
        ]:
            await pilot.press(key)
            await on_screen(pilot, window)
            for field in app.screen.query(Input):
                field.cursor_blink = False
            await pilot.press("escape")
            await on_view(pilot, "scene")
            assert not CommandPalette.is_open(app)
        # Textual's theme picker, from the palette, closes on Esc too.
        await pilot.press("ctrl+p")
        await on_screen(pilot, "CommandPalette")
        await pilot.press(*"theme")
        await wait_for(pilot, lambda: "Change the current theme" in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: CommandPalette.is_open(app))
        await pilot.press("escape")
        await on_view(pilot, "scene")
