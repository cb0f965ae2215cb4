"""Turn latency under Pilot: DealQuest against a minimal Textual app, in interleaved blocks.

    python benchmarks/turns.py TURNS CAMPAIGN_FOLDER      # prints one JSON object

A press is timed from just before Pilot sends the key to the first frame the app paints that
shows the new state, caught where Textual hands a frame to the terminal (`App._display`; under
Pilot the frame is composed and rendered, only not written). For DealQuest a turn is two
presses: the choice key, answered by its feedback, and Enter, answered by the next scene (or
the handoff card, whose Enter is answered by the scene). The floor replaces a Static's text.
Both run in blocks of BLOCK presses or turns, taking turns, so machine load hits both alike.
"""

from __future__ import annotations

import asyncio
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

BLOCK = 10
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


async def floor_block(presses: int) -> list[float]:
    from floor_app import TEXT, FloorApp
    from textual.widgets import Static

    app = FloorApp()
    frames = Frames(app)
    out: list[float] = []
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        static = app.query_one("#text", Static)
        for n in range(WARM_UP + presses):
            wanted = f"{TEXT}: turn {app.turn + 1}"
            frames.expect(lambda wanted=wanted: str(static.content) == wanted)  # type: ignore[misc]
            began = time.perf_counter()
            await pilot.press("n")
            took = await frames.wait(began)
            if n >= WARM_UP:
                out.append(took)
    return out


def _markdown_shown(screen: Any) -> bool:
    """Every Markdown on the screen has its blocks laid out (so they are in the frame)."""
    from textual.errors import NoWidget
    from textual.widgets import Markdown

    for md in screen.query(Markdown):
        if md.source and not md.children:
            return False
        for block in md.children:
            try:
                screen.find_widget(block)
            except NoWidget:
                return False
    return True


async def dealquest_block(turns: int, folder: Path, seed: int) -> tuple[list[float], list[float]]:
    from textual.widgets import Markdown

    from dealquest import engine
    from dealquest.loader import load_campaign
    from dealquest.tui.app import DealQuestApp
    from dealquest.tui.widgets.choice_list import ChoiceList

    campaign = load_campaign(folder).campaign
    assert campaign is not None, f"{folder} does not load"
    rng = random.Random(seed)
    app = DealQuestApp(campaign=campaign, seed=seed, library=[])
    app.animation_level = "none"
    frames = Frames(app)
    picks: list[float] = []
    goes_on: list[float] = []

    def screen_is(name: str) -> bool:
        return type(app.screen).__name__ == name

    def scene_shown() -> bool:
        session = app.session
        if session is None or not screen_is("PlayScreen"):
            return False
        node = engine.current(session.campaign, session.state)
        wanted = engine.text(session.campaign, session.state, node.text)
        md = app.screen.query_one("#scene-text", Markdown)
        return md.source == wanted and _markdown_shown(app.screen)

    async with app.run_test(size=(100, 32)) as pilot:
        while not scene_shown():
            await pilot.pause(0.01)
        turn = 0
        while turn < WARM_UP + turns:
            assert app.session is not None
            if app.session.state.ended:
                app.new_game(campaign, rng.randrange(2**31))
                while not scene_shown():
                    await pilot.pause(0.01)
            views = app.screen.query_one(ChoiceList).views
            number = rng.choice([i + 1 for i, v in enumerate(views) if v.available])
            frames.expect(lambda: screen_is("FeedbackScreen") and _markdown_shown(app.screen))
            began = time.perf_counter()
            await pilot.press(str(number))
            took = await frames.wait(began)
            if turn >= WARM_UP:
                picks.append(took)
            while True:  # Enter: the next scene, or a handoff card first, or the debrief at an ending
                state = app.session.state
                if state.ended:
                    await pilot.press("enter")
                    while not screen_is("DebriefScreen"):
                        await pilot.pause(0.01)
                    break
                frames.expect(lambda: scene_shown() or (screen_is("HandoffScreen") and _markdown_shown(app.screen)))
                began = time.perf_counter()
                await pilot.press("enter")
                took = await frames.wait(began)
                if turn >= WARM_UP:
                    goes_on.append(took)
                if scene_shown():
                    break
            turn += 1
    return picks, goes_on


async def main(turns: int, folder: Path) -> dict[str, list[float]]:
    floor: list[float] = []
    picks: list[float] = []
    goes_on: list[float] = []
    block = 0
    while len(floor) < turns or len(picks) < turns:
        size = min(BLOCK, turns - len(picks))
        if size > 0:
            p, g = await dealquest_block(size, folder, seed=block + 1)
            picks += p
            goes_on += g
        size = min(BLOCK, turns - len(floor))
        if size > 0:
            floor += await floor_block(size)
        block += 1
    return {"floor": floor, "choice": picks, "continue": goes_on}


if __name__ == "__main__":
    os.environ.setdefault("DEALQUEST_HOME", tempfile.mkdtemp(prefix="dealquest-bench-"))
    result = asyncio.run(main(int(sys.argv[1]), Path(sys.argv[2])))
    print(json.dumps(result))
