"""What each screen looks like at 100x32, compared with approved SVG snapshots.

Update them after a deliberate change with `pytest tests/tui/test_snapshots.py --snapshot-update`,
then look at the SVGs before committing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot
from textual.widgets import Markdown

from dealquest.tui.app import DealQuestApp

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
