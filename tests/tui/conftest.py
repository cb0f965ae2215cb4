"""Shared set-up of the TUI tests: a private save folder, animations off, helpers to drive the app."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from textual.message import Message
from textual.notifications import Notification, Notify
from textual.pilot import Pilot

from dealquest.tui.app import DealQuestApp
from dealquest.tui.widgets.story_page import StoryPage

from ..conftest import MINI, WINNING_SEED, campaign


def make_app(
    folder: Path | None = MINI, seed: int | None = WINNING_SEED, library: list[Path] | None = None
) -> DealQuestApp:
    """The app with animations off; it starts a run of `folder`, or shows the title when folder is None."""
    app = DealQuestApp(
        campaign=campaign(folder) if folder is not None else None,
        seed=seed,
        library=[MINI] if library is None else library,
    )
    app.animation_level = "none"
    return app


async def wait_for(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Let the app run until condition() holds; fail with a clear message after `timeout` seconds."""
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {condition.__doc__ or condition}")
        await pilot.pause(0.01)


def screen_name(app: DealQuestApp) -> str:
    return type(app.screen).__name__


async def on_screen(pilot: Pilot[None], name: str) -> None:
    app = pilot.app
    assert isinstance(app, DealQuestApp)

    def arrived() -> bool:
        # `ready`: the title screen paints first and fills in its campaigns from a worker
        return screen_name(app) == name and app.screen.is_mounted and getattr(app.screen, "ready", True)

    arrived.__doc__ = f"screen {name} (now {screen_name(app)})"
    await wait_for(pilot, arrived)
    await pilot.pause()


async def on_view(pilot: Pilot[None], view: str) -> None:
    """Wait until the play screen shows the page of this kind: "scene", "feedback" or "handoff"."""
    app = pilot.app
    assert isinstance(app, DealQuestApp)

    def arrived() -> bool:
        screen = app.screen
        arrived.__doc__ = f"the {view} view (now {screen_name(app)}, view {view_of(app)})"
        return (
            screen_name(app) == "PlayScreen"
            and screen.is_mounted
            and getattr(screen, "view", None) == view
            and getattr(getattr(screen, "page_shown", None), "kind", None) == view
        )

    await wait_for(pilot, arrived)
    await pilot.pause()


def view_of(app: DealQuestApp) -> str | None:
    """The play screen's view ("scene", "feedback" or "handoff"), or None on any other screen."""
    return getattr(app.screen, "view", None) if screen_name(app) == "PlayScreen" else None


def page_of(app: DealQuestApp) -> StoryPage:
    """The play screen's one page."""
    return app.screen.query_one("#page", StoryPage)


class Notes:
    """The notifications an app shows while it runs: pass as `app.run_test(message_hook=notes)`.

    Headless runs do not paint the toast layer, so the tests read the `Notify` messages instead.
    """

    def __init__(self) -> None:
        self.shown: list[Notification] = []

    def __call__(self, message: Message) -> None:
        if isinstance(message, Notify):
            self.shown.append(message.notification)

    @property
    def messages(self) -> list[str]:
        return [n.message for n in self.shown]

    @property
    def text(self) -> str:
        """Each notification's title and message, one to a line."""
        return "\n".join(f"{n.title}\n{n.message}" for n in self.shown)

    def clear(self) -> None:
        self.shown.clear()


def screen_text(app: DealQuestApp) -> str:
    """The text on the terminal now, line by line (styles dropped).

    Textual has no public way to read the screen as text (only an SVG screenshot), so this reads
    the compositor's lines, as `App.export_screenshot` does.
    """
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def widget_text(app: DealQuestApp, selector: str) -> str:
    """The text shown inside one widget (within its border and padding), line by line, as on the terminal."""
    region = app.screen.query_one(selector).content_region
    lines = screen_text(app).splitlines()[region.y : region.bottom]
    return "\n".join(line[region.x : region.right].rstrip() for line in lines).strip("\n")
