"""The full-screen app shows every story text as the state has it (tests/fixtures/stateful)."""

from __future__ import annotations

from dealquest.tui.app import DealQuestApp

from ..conftest import FIXTURES, campaign
from .conftest import on_screen, on_view, screen_text, wait_for

STATEFUL = FIXTURES / "stateful"


async def test_title_handoff_locked_hint_chapter_and_ending_follow_the_state() -> None:
    app = DealQuestApp(campaign=campaign(STATEFUL), seed=1, library=[STATEFUL])
    app.animation_level = "none"
    async with app.run_test(size=(110, 36)) as pilot:
        await on_screen(pilot, "PlayScreen")
        await wait_for(pilot, lambda: "You know nothing about the segment yet." in screen_text(app))
        await pilot.press("2")  # the billboard
        await on_view(pilot, "feedback")
        assert "sales get 0 leads and nothing to say." in screen_text(app)
        await pilot.press("enter")
        await on_view(pilot, "handoff")
        assert "Marketing passed on 0 pieces of intel." in screen_text(app)
        await pilot.press("enter")
        await on_view(pilot, "scene")
        text = screen_text(app)
        assert "Locked: Needs a case study: marketing sent 0 notes and no study" in text
        assert "Start with the case study" in text and "The first call" in text
        assert "Calls, cold (2/2)" in text
        await pilot.press("2")  # wing it: the clock runs out
        await on_view(pilot, "feedback")
        assert "Somehow it works." in screen_text(app) and "The quarter closed." in screen_text(app)
        await pilot.press("enter")
        await on_screen(pilot, "DebriefScreen")
        text = screen_text(app)
        assert "The end: Slipped" in text and "The deal slipped, and nobody knew why." in text
        assert "{" not in text
