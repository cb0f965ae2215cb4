"""Small terminals and hostile story text never break the game."""

from __future__ import annotations

from pathlib import Path

from dealquest.play import engine

from ..conftest import HOSTILE, MINI, broken_campaign
from .conftest import make_app, on_screen, on_view, page_of, screen_text, wait_for
from .test_play import pick


async def test_a_40x12_terminal_shows_a_too_small_notice_and_recovers_when_enlarged() -> None:
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await on_screen(pilot, "TooSmallScreen")
        assert "Terminal too small" in screen_text(app)
        assert "It is 40×12" in screen_text(app)
        await pilot.press("1", "question_mark", "j")  # nothing opens behind the notice
        assert type(app.screen).__name__ == "TooSmallScreen"
        await pilot.resize_terminal(100, 32)
        await on_screen(pilot, "PlayScreen")
        await pick(pilot, "1")
        await pilot.resize_terminal(30, 8)
        await on_screen(pilot, "TooSmallScreen")
        await pilot.resize_terminal(80, 24)
        await on_screen(pilot, "PlayScreen")
        assert app.session is not None and app.session.state.turn == 1


async def test_every_screen_fits_80x24() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "PlayScreen")
        await wait_for(pilot, lambda: "2. Buy a billboard" in screen_text(app))
        assert "◎ MARKETER" in screen_text(app)
        await pilot.press("1")
        await on_view(pilot, "feedback")
        assert "Continue (the handoff, Enter)" in screen_text(app)
        await pilot.press("enter")
        await on_view(pilot, "handoff")
        assert "Play as ➤ SALESPERSON (Enter)" in screen_text(app)
        await pilot.press("enter")
        await on_view(pilot, "scene")
        assert "➤ SALESPERSON" in screen_text(app)
        for key in "12":
            await pick(pilot, key)
        await on_screen(pilot, "DebriefScreen")
        assert "Play again" in screen_text(app)


async def test_quit_works_on_the_too_small_notice() -> None:
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await on_screen(pilot, "TooSmallScreen")
        await pilot.press("q")
    assert app.return_code == 0


async def test_story_text_that_looks_like_markup_shows_literally_everywhere() -> None:
    app = make_app(folder=HOSTILE, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_screen(pilot, "PlayScreen")
        page = page_of(app)
        await wait_for(pilot, lambda: bool(page.blocks))
        await pilot.pause()
        text = screen_text(app)
        assert "Scene [bold]x[/]" in text
        assert "Plain [bold]x[/] then [/] alone, [link=file:///etc/passwd]a link[/link]" in text
        assert "and red" in text and "osc text." in text  # escape sequences go, their text stays
        assert "\x1b" not in page.text and "\x1b" not in text
        assert "1. Choose [bold]me[/] [/]" in text
        assert "0/3  [blink]Intel[/]" in text and "5  Days [/] left" in text
        assert "Aim [b]high[/b]" in text
        await pilot.press("1")
        await on_view(pilot, "feedback")
        text = screen_text(app)
        assert "Feedback [red]not red[/] and [@click=app.quit]no action[/] and no clear." in text
        assert "\x1b" not in page.text
        await pilot.press("enter")
        await on_view(pilot, "handoff")
        assert "Handoff [bold]h[/] blink." in screen_text(app)
        assert "\x1b" not in page.text
        await pilot.press("enter")
        await on_view(pilot, "scene")
        assert "Call [/]" in screen_text(app) and "[on red]Call text[/]" in screen_text(app)
        await wait_for(pilot, lambda: "[link=https://example.com]Close[/link]" in screen_text(app))
        await pilot.press("j")
        await on_screen(pilot, "JournalScreen")
        assert "Choose [bold]me[/] [/]" in screen_text(app)
        await pilot.press("escape", "question_mark")
        await on_screen(pilot, "HelpScreen")
        assert "Talk to: [@click=app.quit]The buyer[/]" in screen_text(app)
        await pilot.press("escape")
        await on_screen(pilot, "PlayScreen")
        await pick(pilot, "1")
        await on_screen(pilot, "DebriefScreen")
        text = screen_text(app)
        assert "The end: Done [bold]!" in text
        reviews = " ".join(str(w.render()) for w in app.screen.query(".review"))
        assert "Choose [bold]me[/] [/]" in reviews and "Feedback [red]not red[/]" in reviews
        assert app.is_running and app.session is not None
        assert app.session.state == engine.replay(app.session.campaign, 1, [0, 0])


async def test_the_title_screen_shows_hostile_campaign_text_literally() -> None:
    app = make_app(folder=None, library=[HOSTILE])
    async with app.run_test(size=(120, 40)) as pilot:
        await on_screen(pilot, "TitleScreen")
        await wait_for(pilot, lambda: "[link=file:///etc/passwd]a link[/link]" in screen_text(app))
        assert "[bold red]Markup[/] campaign" in screen_text(app)


async def test_a_bundled_campaign_that_does_not_load_shows_its_errors_instead_of_crashing(tmp_path: Path) -> None:
    broken = broken_campaign("unknown_target", tmp_path)
    app = make_app(folder=None, library=[broken, MINI])
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "TitleScreen")
        await wait_for(pilot, lambda: "does not load: 1 error" in screen_text(app))
        assert "error[DQ103]" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert type(app.screen).__name__ == "TitleScreen"
        await pilot.press("down", "n")
        await on_screen(pilot, "PlayScreen")
