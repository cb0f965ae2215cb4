"""What each screen looks like at 100x32, compared with approved SVG snapshots.

Update them after a deliberate change with `pytest tests/tui/test_snapshots.py --snapshot-update`,
then look at the SVGs before committing.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Markdown

from dealquest.play import saves
from dealquest.training import TrainingSettings
from dealquest.tui.app import DealQuestApp

from ..conftest import MINI
from .conftest import make_app, on_screen, on_view, wait_for

SIZE = (100, 32)
Steps = Callable[[Pilot[None]], Awaitable[None]]


async def settled(pilot: Pilot[None]) -> None:
    """Wait until every Markdown on screen (the title's, the debrief's) has rendered its document."""
    for markdown in pilot.app.screen.query(Markdown):

        def rendered(md: Markdown = markdown) -> bool:
            return not md.source or bool(md.children)

        await wait_for(pilot, rendered)
    await pilot.pause()


def keys(*pressed: str, screen: str = "PlayScreen", view: str | None = None, turn: int | None = None) -> Steps:
    """Press keys from the first scene, then wait for `screen` (or the play screen's `view`) at `turn`."""

    async def run(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, DealQuestApp)
        await on_view(pilot, "scene")
        await settled(pilot)
        for key in pressed:
            await pilot.press(key)
            await pilot.pause()
        if view is not None:
            await on_view(pilot, view)
        else:
            await on_screen(pilot, screen)
        if turn is not None:
            await wait_for(pilot, lambda: app.session is not None and app.session.state.turn == turn)
        await settled(pilot)

    return run


class TestScreens:
    def test_title(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        async def run(pilot: Pilot[None]) -> None:
            await on_screen(pilot, "TitleScreen")
            await settled(pilot)

        assert snap_compare(make_app(folder=None), terminal_size=SIZE, run_before=run)

    def test_play_as_marketer(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(make_app(), terminal_size=SIZE, run_before=keys(view="scene", turn=0))

    def test_play_as_salesperson(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        steps = keys("1", "enter", "enter", view="scene", turn=1)
        assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps)

    def test_handoff(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        steps = keys("1", "enter", view="handoff", turn=1)
        assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps)

    def test_feedback(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(make_app(), terminal_size=SIZE, run_before=keys("2", view="feedback", turn=1))

    def test_debrief(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        steps = keys("1", "enter", "enter", "1", "enter", "2", "enter", screen="DebriefScreen")
        assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps)

    def test_journal(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        steps = keys("1", "enter", "enter", "2", "enter", "j", screen="JournalScreen")
        assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps)

    def test_help(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(make_app(), terminal_size=SIZE, run_before=keys("question_mark", screen="HelpScreen"))


def title_steps() -> Steps:
    async def run(pilot: Pilot[None]) -> None:
        await on_screen(pilot, "TitleScreen")
        await settled(pilot)

    return run


def save_steps() -> Steps:
    async def run(pilot: Pilot[None]) -> None:
        await keys("1", "s", screen="SaveScreen")(pilot)
        pilot.app.screen.query_one(Input).cursor_blink = False
        await pilot.pause()

    return run


def load_steps() -> Steps:
    """The load window, its saves stamped with one fixed time: the snapshot never shows today's."""

    async def run(pilot: Pilot[None]) -> None:
        await keys(view="scene", turn=0)(pilot)
        os.environ["TZ"] = "UTC"  # the time is shown in local time: the same on every machine
        time.tzset()
        for info in saves.list_saves():
            data = json.loads(info.path.read_text())
            data["saved_at"] = "2026-01-02T10:30:00+00:00"
            info.path.write_text(json.dumps(data))
        await pilot.press("l")
        await on_screen(pilot, "LoadScreen")
        await pilot.pause()

    return run


def palette_steps() -> Steps:
    async def run(pilot: Pilot[None]) -> None:
        await keys("ctrl+p", screen="CommandPalette")(pilot)
        pilot.app.screen.query_one(Input).cursor_blink = False
        await pilot.pause()

    return run


def sign_in_app() -> DealQuestApp:
    store = Path(tempfile.mkdtemp()) / "results.sqlite"
    app = DealQuestApp(library=[MINI], training=TrainingSettings(store=store, trainee=None, mode=None))
    app.animation_level = "none"
    return app


def sign_in_steps() -> Steps:
    async def run(pilot: Pilot[None]) -> None:
        await on_screen(pilot, "SignInScreen")
        pilot.app.screen.query_one(Input).cursor_blink = False
        await pilot.pause()

    return run


#: Every screen and window, as the small-terminal snapshots show them: (name, app maker, steps).
SMALL_SCREENS: list[tuple[str, Callable[[], DealQuestApp], Steps]] = [
    ("title", lambda: make_app(folder=None), title_steps()),
    ("scene", make_app, keys(view="scene", turn=0)),
    ("feedback", make_app, keys("2", view="feedback", turn=1)),
    ("handoff", make_app, keys("1", "enter", view="handoff", turn=1)),
    ("help", make_app, keys("question_mark", screen="HelpScreen")),
    ("journal", make_app, keys("1", "enter", "enter", "2", "enter", "j", screen="JournalScreen")),
    ("save", make_app, save_steps()),
    ("load", make_app, load_steps()),
    ("palette", make_app, palette_steps()),
    ("debrief", make_app, keys("1", "enter", "enter", "1", "enter", "2", "enter", screen="DebriefScreen")),
    ("sign-in", sign_in_app, sign_in_steps()),
]


class TestSmallTerminals:
    """Every screen at 80x24 (everything whole) and at 60x20 (Quit and Help still in the footer)."""

    @pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
    @pytest.mark.parametrize("name", [name for name, _, _ in SMALL_SCREENS])
    def test_screen(self, snap_compare, name: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
        _, make, steps = next(entry for entry in SMALL_SCREENS if entry[0] == name)
        assert snap_compare(make(), terminal_size=size, run_before=steps)


def route_steps(*pressed: str) -> Steps:
    """A run to its debrief, then the debrief scrolled to the route map."""

    async def run(pilot: Pilot[None]) -> None:
        await keys(*pressed, screen="DebriefScreen")(pilot)
        route = pilot.app.screen.query_one("#debrief-route")
        pilot.app.screen.query_one("#debrief").scroll_to_widget(route, animate=False, top=True, immediate=True)
        await pilot.pause()
        await settled(pilot)

    return run


class TestRouteMap:
    """The run's route beside the best route, in the debrief."""

    def test_a_run_that_left_the_best_route(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        # The billboard, then wing it: the run parts from the best route at decision 1; choice 1 of
        # the second scene is locked (no case study).
        steps = route_steps("2", "enter", "enter", "2", "enter", "2", "enter")
        assert snap_compare(make_app(), terminal_size=(100, 40), run_before=steps)

    def test_the_best_route_taken_at_80x24(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        steps = route_steps("1", "enter", "enter", "1", "enter", "2", "enter")
        assert snap_compare(make_app(), terminal_size=(80, 24), run_before=steps)
