"""The app survives what people do to terminals: resize storms, 20x8, and huge pastes into name fields."""

from __future__ import annotations

import random
from pathlib import Path

from textual import events
from textual.geometry import Size
from textual.widgets import Input

from dealquest.play import saves
from dealquest.training import TrainingSettings
from dealquest.training.store import open_store
from dealquest.tui.app import DealQuestApp

from ..conftest import MINI
from ..tui.conftest import WINNING_SEED, campaign, make_app, on_screen, on_view, screen_name, view_of, wait_for

PASTE = ("[bold]x[/] \x1b[31m" + "名前" * 10 + "[link=file:///etc/passwd]") * 200  # about 10,000 characters


def resize(app: DealQuestApp, width: int, height: int) -> None:
    size = Size(width, height)
    app.post_message(events.Resize(size, size))


async def test_a_resize_storm_and_a_20x8_terminal_never_crash(tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        rng = random.Random(3)
        for _ in range(200):
            resize(app, rng.randint(1, 220), rng.randint(1, 70))
        resize(app, 20, 8)
        await wait_for(pilot, lambda: screen_name(app) == "TooSmallScreen")
        resize(app, 100, 32)
        await wait_for(pilot, lambda: screen_name(app) == "PlayScreen")
        await pilot.press("1")  # and the game goes on
        await on_view(pilot, "feedback")
        assert app.session is not None and app.session.state.turn == 1


async def test_a_10000_character_paste_into_the_save_name_is_refused_politely(tmp_path: Path) -> None:
    assert len(PASTE) >= 10_000
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pilot.press("s")
        await on_screen(pilot, "SaveScreen")
        field = app.screen.query_one("#slot-name", Input)
        field.post_message(events.Paste(PASTE))
        await pilot.pause()
        assert len(field.value) <= saves.MAX_SLOT_LENGTH
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) in ("SaveScreen", "PlayScreen")
        assert all(s.problem is None for s in saves.list_saves())


async def test_a_10000_character_paste_or_an_escape_in_the_trainee_name_is_refused(tmp_path: Path) -> None:
    store = tmp_path / "r.sqlite"
    settings = TrainingSettings(store=store, trainee=None, mode="practice", seed=WINNING_SEED)
    app = DealQuestApp(campaign=campaign(MINI), library=[MINI], training=settings)
    app.animation_level = "none"
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "SignInScreen")
        field = app.screen.query_one("#trainee-name", Input)
        field.focus()
        field.post_message(events.Paste(PASTE))
        await pilot.pause()
        assert len(field.value) <= 100  # too long to fit: the paste is not taken
        field.value = "Ana \x1b[31m"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "control characters" in str(app.screen.query_one("#sign-in-problem").render()))
        field.value = "[bold]Ana[/]"
        await pilot.press("enter")
        await on_screen(pilot, "PlayScreen")
        await pilot.press("1")
        await wait_for(pilot, lambda: view_of(app) == "feedback")
    with open_store(store) as opened:
        [run] = opened.runs()
    assert run.trainee == "[bold]Ana[/]"  # kept as typed, shown literally everywhere
