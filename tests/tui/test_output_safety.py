"""The full-screen app shows no control character, escape sequence or bidi override from a story,
a save or a diagnostic: the escapes campaign (every text field hostile) walked through every screen,
with what the terminal would be sent checked on each, and every notification."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from dealquest.play import engine, saves
from dealquest.story.text import BIDI_CONTROLS
from dealquest.tui.app import DealQuestApp

from ..conftest import FIXTURES, campaign
from .conftest import Notes, make_app, on_screen, on_view, screen_text, wait_for
from .test_watch import watched_app

ESCAPES = FIXTURES / "escapes"
FORBIDDEN = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{BIDI_CONTROLS}\\u2028\\u2029]")


def assert_safe(app: DealQuestApp, notes: Notes, where: str) -> None:
    for text in (screen_text(app), notes.text):
        found = FORBIDDEN.search(text)
        assert found is None, f"{where}: {found.group()!r} in {text[max(0, found.start() - 60) : found.end() + 20]!r}"


async def test_no_control_character_reaches_the_screen_anywhere_in_a_run() -> None:
    app, notes = make_app(folder=ESCAPES, seed=1, library=[ESCAPES]), Notes()
    async with app.run_test(size=(120, 40), message_hook=notes) as pilot:
        await on_screen(pilot, "PlayScreen")
        await wait_for(pilot, lambda: "Scene title" in screen_text(app))
        assert_safe(app, notes, "scene")  # title, chapter, text, choices, locked reason, state, score, aims
        await pilot.press("1")
        await on_view(pilot, "feedback")
        assert_safe(app, notes, "feedback")
        await pilot.press("enter")
        await on_view(pilot, "handoff")
        assert_safe(app, notes, "handoff")
        await pilot.press("enter")
        await on_view(pilot, "scene")
        assert_safe(app, notes, "second scene")
        for key, screen in (("j", "JournalScreen"), ("question_mark", "HelpScreen")):
            await pilot.press(key)
            await on_screen(pilot, screen)
            assert_safe(app, notes, screen)
            await pilot.press("escape")
            await on_screen(pilot, "PlayScreen")
        await pilot.press("u")  # undo: its notification names the choice undone
        await on_view(pilot, "scene")
        assert_safe(app, notes, "undo")
        await pilot.press("1")
        await on_view(pilot, "feedback")
        await pilot.press("enter")
        await on_view(pilot, "handoff")
        await pilot.press("enter")
        await on_view(pilot, "scene")
        await pilot.press("1")
        await on_view(pilot, "feedback")
        await pilot.press("enter")
        await on_screen(pilot, "DebriefScreen")
        await wait_for(pilot, lambda: "Done!" in screen_text(app))
        assert_safe(app, notes, "debrief")  # ending, grade band "\ec", reasons, reviews


async def test_the_title_screen_and_its_error_list_show_no_control_character(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(ESCAPES, broken)
    story = (broken / "campaign.yaml").read_text(encoding="utf-8")
    (broken / "campaign.yaml").write_text(story.replace("start: opening\n", 'start: opening\n"k\\ec\\u202e": 1\n'))
    app, notes = make_app(folder=None, library=[ESCAPES, broken]), Notes()
    async with app.run_test(size=(120, 40), message_hook=notes) as pilot:
        await on_screen(pilot, "TitleScreen")
        await wait_for(pilot, lambda: "Esc title evil" in screen_text(app))
        assert_safe(app, notes, "title")
        await pilot.press("down")
        await wait_for(pilot, lambda: "does not load" in screen_text(app))
        assert "k\\x1bc\\u202e" in screen_text(app)  # the writer sees where the bad character is
        assert_safe(app, notes, "title, broken campaign")
        await pilot.press("n")  # refused with a notification that names the campaign
        await pilot.pause()
        assert_safe(app, notes, "title, refused")


async def test_a_watch_notification_shows_no_control_character(tmp_path: Path) -> None:
    folder = tmp_path / "escapes"
    shutil.copytree(ESCAPES, folder)
    app, notes = watched_app(folder), Notes()
    async with app.run_test(size=(120, 40), message_hook=notes) as pilot:
        await on_screen(pilot, "PlayScreen")
        story = folder / "campaign.yaml"
        story.write_text(story.read_text().replace("start: opening\n", 'start: opening\n"k\\ec\\u202e": 1\n'))
        await wait_for(pilot, lambda: "k\\x1bc\\u202e" in notes.text, timeout=10)
        assert_safe(app, notes, "watch error")


def hostile_save(folder: Path) -> Path:
    """A save file as a hostile hand could write it: escapes in the slot, the campaign and the time."""
    mini = campaign()
    path = saves.save(mini, engine.replay(mini, 7, [0]), "plain")
    data = json.loads(path.read_text())
    data["slot"] = "slot\x1bc\u202e"
    data["campaign_version"] = "1\x1b[2J"
    data["campaign_path"] = "/tmp/\x1b]0;x\x07"
    path.write_text(json.dumps(data))
    damaged = path.with_name("broken.json")
    damaged.write_text('{"format": 1, "slot": "\\u001bc", "campaign": "\\u202e"')
    return path


async def test_the_load_screen_shows_no_control_character_from_a_save(tmp_path: Path) -> None:
    hostile_save(tmp_path)
    app, notes = make_app(folder=None), Notes()
    async with app.run_test(size=(120, 40), message_hook=notes) as pilot:
        await on_screen(pilot, "TitleScreen")
        await pilot.press("l")
        await on_screen(pilot, "LoadScreen")
        await wait_for(pilot, lambda: "slot" in screen_text(app))
        assert_safe(app, notes, "load screen")
