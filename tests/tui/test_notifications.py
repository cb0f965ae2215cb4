"""Notifications: one of each kind at a time, never over the choices, and nothing left behind."""

from __future__ import annotations

import os
import select
import shutil
import sys
import time
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widgets._toast import Toast

from dealquest.story.library import bundled

from ..conftest import MINI
from .conftest import make_app, on_screen, on_view, page_of, wait_for

BISTRO = next(folder for folder in bundled() if folder.name == "bistro")
ROOT = Path(__file__).resolve().parents[2]


def toasts(app) -> list[Toast]:  # type: ignore[no-untyped-def]
    return list(app.screen.query(Toast))


def option_regions(app) -> list[Region]:  # type: ignore[no-untyped-def]
    """Where each option of the page is on the terminal now (the lines in sight)."""
    page = page_of(app)
    content = page.content_region
    top = round(page.scroll_offset.y)
    found = []
    for first, count in page.option_lines:
        y0, y1 = max(first - top, 0), min(first + count - top, content.height)
        if y1 > y0:
            found.append(Region(content.x, content.y + y0, content.width, y1 - y0))
    return found


async def test_fifty_presses_of_u_show_one_notification() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await on_view(pilot, "scene")
        for _ in range(50):
            await pilot.press("u")
        await pilot.pause()
        await wait_for(pilot, lambda: len(toasts(app)) == 1)
        assert len(app._notifications) == 1
        assert "Nothing to undo" in str(toasts(app)[0].render())


async def test_a_new_notification_of_a_kind_replaces_the_last_and_other_kinds_stay() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await on_view(pilot, "scene")
        await pilot.press("1")
        await on_view(pilot, "feedback")
        await pilot.press("u")
        await on_view(pilot, "scene")
        await pilot.press("9")  # a warning: there is no choice 9
        await pilot.press("u", "u")  # another warning replaces it; the Undo note stays
        await pilot.pause()
        shown = [n.title or n.message for n in app._notifications]
        assert len(shown) == 2, shown
        assert "Undo" in shown and any("Nothing to undo" in s for s in shown)


@pytest.mark.parametrize("size", [(100, 32), (80, 24), (60, 20)])
async def test_a_notification_never_covers_the_choices(size: tuple[int, int]) -> None:
    app = make_app(folder=BISTRO, seed=3)
    async with app.run_test(size=size, notifications=True) as pilot:
        await on_view(pilot, "scene")
        page = page_of(app)
        page.scroll_end(animate=False, immediate=True)  # the choices in sight, at the foot of the page
        await pilot.pause()
        await pilot.press("1")
        await on_view(pilot, "feedback")
        await pilot.press("u")  # "Undid “…”": the longest notification of play, quoting the choice
        await on_view(pilot, "scene")
        page.scroll_end(animate=False, immediate=True)
        await pilot.press("9")
        # Beside a side panel a notification of each kind shows; without one, one at a time.
        await wait_for(pilot, lambda: len(toasts(app)) == (2 if size[0] >= 76 else 1))
        await pilot.pause()
        options = option_regions(app)
        assert options, "no option in sight"
        for toast in toasts(app):
            for option in options:
                assert not toast.region.overlaps(option), (toast.region, option)


async def test_a_loaded_notification_leaves_the_choices_in_sight() -> None:
    app = make_app(folder=MINI)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await on_view(pilot, "scene")
        await pilot.press("l")
        await on_screen(pilot, "LoadScreen")
        await pilot.press("enter")
        await on_view(pilot, "scene")
        await wait_for(pilot, lambda: any("Loaded" in n.title for n in app._notifications))
        await wait_for(pilot, lambda: bool(toasts(app)))
        for toast in toasts(app):
            for option in option_regions(app):
                assert not toast.region.overlaps(option)


# ---------------------------------------------------------------------- on a real terminal


def terminal_screen(keys: str, home: Path, settle: float) -> str:
    """The app run in a pseudo-terminal at 100x32, `keys` typed, then `settle` seconds left for
    every notification to go: the text a terminal shows then, as pyte (a VT100 emulator) reads it."""
    pyte = pytest.importorskip("pyte")
    import fcntl
    import pty
    import struct
    import termios

    cols, rows = 100, 32
    screen = pyte.Screen(cols, rows)
    stream = pyte.ByteStream(screen)
    env = {
        **os.environ,
        "DEALQUEST_HOME": str(home),
        "PYTHONPATH": str(ROOT),
        "TERM": "xterm-256color",
        "COLUMNS": str(cols),
        "LINES": str(rows),
    }
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.execve(sys.executable, [sys.executable, "-m", "dealquest", "play", str(MINI), "--seed", "7"], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def pump(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    stream.feed(os.read(fd, 65536))
                except OSError:
                    return

    try:
        deadline = time.monotonic() + 30
        while "What does the segment crave?" not in "\n".join(screen.display):
            assert time.monotonic() < deadline, "the game did not start"
            pump(0.2)
        pump(0.5)
        for key in keys:
            os.write(fd, key.encode())
            pump(0.03)
        pump(settle)
        return "\n".join(screen.display)
    finally:
        os.write(fd, b"\x11")  # ctrl+q
        pump(1)
        os.close(fd)
        os.waitpid(pid, 0)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a pseudo-terminal test")
def test_fifty_presses_of_u_leave_no_ghost_text_on_a_real_terminal(tmp_path: Path) -> None:
    clean = terminal_screen("", tmp_path / "a", settle=1)
    shutil.rmtree(tmp_path / "a", ignore_errors=True)
    after = terminal_screen("u" * 50, tmp_path / "b", settle=7)  # the notification lasts 5 s
    assert after == clean
