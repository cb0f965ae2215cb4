"""Turn latency under Pilot: DealQuest against a minimal Textual app, in interleaved blocks.

    python benchmarks/turns.py TURNS CAMPAIGN_FOLDER      # prints one JSON object

A press is timed from just before Pilot sends the key to the first frame the app paints that
shows the new state, caught where Textual hands a frame to the terminal (`App._display`; under
Pilot the frame is composed and rendered, only not written). For DealQuest a turn is two
presses: the choice key, answered by its feedback, and Enter, answered by the next scene (or
the handoff card, whose Enter is answered by the scene).

The floor replaces a Static's text on a key press, and the text is the same as DealQuest's:
each DealQuest block records the plain text of every screen it painted (the role banner, the
page: a scene and its choices, a feedback or a handoff card, and the score and state panels),
and the floor block that follows paints those texts in the same order, each as one Static's
text. So the ratio is DealQuest's own cost per turn over what Textual costs to paint the same
text, without DealQuest's layout, styles and game logic.
Both run in blocks of BLOCK turns, taking turns, so machine load hits both alike.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

BLOCK = int(os.environ.get("DQ_BLOCK", 10))
WARM_UP = 2  # presses or turns per block before the timed ones: a fresh app's first frames


class Frames:
    """Watches the frames an app paints; `wait` returns when one shows what `done` looks for."""

    def __init__(self, app: Any) -> None:
        self.done: Callable[[], bool] = lambda: False
        self.hit: float | None = None
        self.event = asyncio.Event()
        display = app._display

        def watched(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if renderable is not None and self.hit is None:
                now = time.perf_counter()
                if self.done():
                    self.hit = now
                    self.event.set()

        app._display = watched

    def expect(self, done: Callable[[], bool]) -> None:
        self.hit = None
        self.event.clear()
        self.done = done

    async def wait(self, since: float, timeout: float = 10.0) -> float:
        await asyncio.wait_for(self.event.wait(), timeout)
        assert self.hit is not None
        return self.hit - since


async def floor_block(pages: list[str]) -> list[float]:
    """Paint each page once, timing every press: one sample per page, as DealQuest's block has.
    The first WARM_UP pages are painted once more before them, untimed (a fresh app's first frames)."""
    from floor_app import FloorApp

    texts = pages[:WARM_UP] + pages
    app = FloorApp(texts)  # press n shows texts[n - 1]
    frames = Frames(app)
    out: list[float] = []
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        for n, wanted in enumerate(texts):
            frames.expect(lambda wanted=wanted: app.shown == wanted)  # type: ignore[misc]
            began = time.perf_counter()
            await pilot.press("n")
            took = await frames.wait(began)
            if n >= WARM_UP:
                out.append(took)
    return out


def page_text(screen: Any) -> str:
    """Everything DealQuest's play screen shows now, as plain text: the banner, the page's title,
    blocks and options, the score and the state."""
    from dealquest.tui.widgets.line_pane import TextPane
    from dealquest.tui.widgets.role_banner import RoleBanner
    from dealquest.tui.widgets.story_page import StoryPage

    story = screen.query_one(StoryPage)
    banner = screen.query_one(RoleBanner).content
    panes = [pane.content.plain for pane in screen.query(TextPane)]
    return "\n\n".join([getattr(banner, "plain", str(banner)), screen.page_shown.title.plain, story.text, *panes])


async def dealquest_block(turns: int, folder: Path, seed: int) -> tuple[list[float], list[float], list[str]]:
    from dealquest.play import engine
    from dealquest.story.loader import load_campaign
    from dealquest.tui.app import DealQuestApp
    from dealquest.tui.widgets.story_page import StoryPage

    campaign = load_campaign(folder).campaign
    assert campaign is not None, f"{folder} does not load"
    rng = random.Random(seed)
    app = DealQuestApp(campaign=campaign, seed=seed, library=[])
    app.animation_level = "none"
    frames = Frames(app)
    picks: list[float] = []
    goes_on: list[float] = []
    pages: list[str] = []

    def play() -> Any:
        screen = app.screen
        return screen if type(screen).__name__ == "PlayScreen" else None

    def showing(view: str) -> bool:
        """The play screen shows this kind of page, for the run's state now, and has laid it out."""
        screen = play()
        if screen is None or screen.view != view or app.session is None:
            return False
        story = screen.query_one(StoryPage)
        if view == "scene":
            node = engine.current(app.session.campaign, app.session.state)
            if screen.page_shown.title.plain != engine.text(app.session.state, node.title):
                return False
        return story._width > 0 and bool(story._lines)

    async def settle(view: str) -> None:
        while not showing(view):
            await pilot.pause(0.01)

    async with app.run_test(size=(100, 32)) as pilot:
        await settle("scene")
        turn = 0
        while turn < WARM_UP + turns:
            assert app.session is not None
            if app.session.state.ended:
                app.new_game(campaign, rng.randrange(2**31))
                await settle("scene")
            options = play().query_one(StoryPage).options
            number = rng.choice([i + 1 for i, o in enumerate(options) if o.enabled])
            frames.expect(lambda: showing("feedback"))
            began = time.perf_counter()
            await pilot.press(str(number))
            took = await frames.wait(began)
            if turn >= WARM_UP:
                picks.append(took)
                pages.append(page_text(app.screen))
            while True:  # Enter: the next scene, or a handoff card first, or the debrief at an ending
                if app.session.state.ended:
                    await pilot.press("enter")
                    while type(app.screen).__name__ != "DebriefScreen":
                        await pilot.pause(0.01)
                    break
                # From the feedback: the next scene or the handoff card; from the handoff: the scene.
                then = ("scene",) if showing("handoff") else ("scene", "handoff")
                frames.expect(lambda then=then: any(showing(view) for view in then))  # type: ignore[misc]
                began = time.perf_counter()
                await pilot.press("enter")
                took = await frames.wait(began)
                if turn >= WARM_UP:
                    goes_on.append(took)
                    pages.append(page_text(app.screen))
                if showing("scene"):
                    break
            turn += 1
    return picks, goes_on, pages


def fresh_heap() -> None:
    """Start a block with no garbage of the one before, and without scanning what the process
    already holds: the two apps run in one process, and a full collection walks every object in
    it, so one app's heap would otherwise make the other's pauses (seen: 50-110 ms pauses of the
    floor from DealQuest's campaign). Each app's own garbage is collected as usual during its block.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


async def main(turns: int, folder: Path) -> dict[str, list[float]]:
    floor: list[float] = []
    picks: list[float] = []
    goes_on: list[float] = []
    block = 0
    while len(picks) < turns:
        fresh_heap()
        p, g, pages = await dealquest_block(min(BLOCK, turns - len(picks)), folder, seed=block + 1)
        picks += p
        goes_on += g
        fresh_heap()
        floor += await floor_block(pages)  # the same pages, painted by the bare app
        block += 1
    return {"floor": floor, "choice": picks, "continue": goes_on}


if __name__ == "__main__":
    os.environ.setdefault("DEALQUEST_HOME", tempfile.mkdtemp(prefix="dealquest-bench-"))
    result = asyncio.run(main(int(sys.argv[1]), Path(sys.argv[2])))
    print(json.dumps(result))
