"""The load driver of benchmarks/serve_tabs.py, at a tiny scale, so that it keeps working: it signs
tabs in over textual-serve's protocol, sees each screen a choice leads to, and every choice it made
is in the results store. Correctness only: the timings it prints are the benchmark's, not a test's."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from dealquest.frontends import serve
from dealquest.story.library import bundled
from dealquest.story.loader import load_campaign

pytest.importorskip("aiohttp")
pytestmark = pytest.mark.skipif(not serve.available(), reason="textual-serve is not installed (pip install '.[serve]')")

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import serve_tabs  # noqa: E402


def test_two_tabs_play_their_routes_and_every_choice_is_recorded() -> None:
    result = serve_tabs.run(tabs=2, choices=3, seconds=(0.0, 0.0), limit=300)
    assert result.problems == []
    assert result.recorded == result.expected == 2 * 3 + 2 * 1  # two tabs at once, one alone before and after
    assert len(result.many) == 6 and len(result.solo) == 2  # every screen a choice led to arrived
    assert all(latency > 0 for latency in result.many + result.solo)
    assert len(result.memory.tabs_mib) == 2 and all(mib > 0 for mib in result.memory.tabs_mib)
    assert len(result.bare.tabs_mib) == 2 and all(mib > 0 for mib in result.bare.tabs_mib)
    assert result.memory.server_mib > 0 and result.bare.server_mib > 0


def test_a_route_leads_from_scene_to_scene_without_ending() -> None:
    launch = next(folder for folder in bundled() if folder.name == "launch")
    campaign = load_campaign(launch).campaign
    assert campaign is not None
    route = serve_tabs.plan(campaign, "Ana", 20, random.Random(3))
    assert len(route.presses) == 20
    assert all(press.key in "123456789" for press in route.presses)
    assert all(press.next.name.startswith(("scene ", "handoff card")) for press in route.presses)
    cards = [press for press in route.presses if press.after_card is not None]
    assert all(press.next.name == "handoff card" for press in cards)


def test_a_screen_is_seen_in_the_text_without_escape_sequences() -> None:
    written = (
        b"\x1b[1;1H\x1b[38;2;1;2;3m\xe2\x95\xad\xe2\x94\x80 Who is \x1b[1mShiftwise\x1b[0m for?"
        b" \xc2\xb7 Decision 12\x1b[K"
    )
    text = serve_tabs.screen_text(written)
    assert text == "╭─ Who is Shiftwise for? · Decision 12"
    assert serve_tabs.decision_line(12).search(text)
    assert not serve_tabs.decision_line(1).search(text)  # Decision 1 is not Decision 12
