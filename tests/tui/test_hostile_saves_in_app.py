"""A damaged autosave never crashes or hangs the title screen, Continue or Load: it is named with its
reason, set aside when the player tries it, and the game goes on."""

from __future__ import annotations

import pytest

from ..play.test_hostile_saves import HOSTILE, autosave_path
from .conftest import Notes, make_app, on_screen, screen_text, wait_for


@pytest.mark.parametrize("name", ["nested 200,000 deep", "a time that overflows", "a FIFO", "a link to /dev/zero"])
async def test_a_hostile_autosave_is_named_on_the_title_and_continue_sets_it_aside(name: str) -> None:
    damage, reason = HOSTILE[name]
    path = autosave_path()
    damage(path)
    app, notes = make_app(folder=None), Notes()
    async with app.run_test(size=(100, 32), message_hook=notes) as pilot:
        await on_screen(pilot, "TitleScreen")
        await wait_for(pilot, lambda: "cannot be loaded" in screen_text(app))  # it said "No autosave yet"
        await pilot.press("c")
        await wait_for(pilot, lambda: reason in notes.text)
        assert type(app.screen).__name__ == "TitleScreen" and app.is_running
        assert not path.exists() and not path.is_symlink()
        await pilot.press("l")
        await on_screen(pilot, "LoadScreen")
        await pilot.press("escape")
        await on_screen(pilot, "TitleScreen")
