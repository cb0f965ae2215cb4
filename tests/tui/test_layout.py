"""Small terminals and hostile story text never break the game."""

from __future__ import annotations

import tempfile
from pathlib import Path

from textual.content import Content
from textual.widgets import Button, Input

from dealquest.play import engine
from dealquest.story.library import bundled
from dealquest.training import TrainingSettings
from dealquest.tui.app import DealQuestApp
from dealquest.tui.screens.play import PlayScreen
from dealquest.tui.widgets.footer import Footer
from dealquest.tui.widgets.line_pane import TextPane

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


def assert_whole(app: DealQuestApp, where: str, small: bool = False) -> None:
    """Nothing on the screen in front is cut short: no ellipsis (but in the role banner's aim, a
    writer's sentence shown whole in Help), every border title and subtitle and every button label
    whole, every window inside the terminal, the score panel's every figure, and Quit and Help in
    the footer."""
    screen = app.screen
    text = screen_text(app)
    lines = text.splitlines()
    width, height = app.size
    aim_row = 1 if isinstance(screen, PlayScreen) else -1
    for row, line in enumerate(lines):
        line = line.replace("Search for commands…", "")  # the palette's placeholder, not a cut
        if row != aim_row:
            assert "…" not in line, f"{where}: cut short on line {row}: {line!r}"
    visible = screen._compositor.visible_widgets
    for widget in screen.query("*"):
        found = visible.get(widget)
        if found is None or not found[1].contains_region(found[0]):
            # Out of sight, whole or in part: fine inside something that scrolls to it, else cut.
            if found is not None and found[1].area and widget.display:
                scrolls = any(getattr(a, "max_scroll_y", 0) > 0 for a in (widget, *widget.ancestors))
                assert scrolls, f"{where}: {widget!r} is cut by {found[1]} and nothing scrolls to it"
            continue
        for label in (widget.border_title, widget.border_subtitle):
            plain = Content.from_markup(label).plain if label else ""
            assert plain in text, f"{where}: {widget!r}'s border text {plain!r} is cut"
        if isinstance(widget, Button):
            assert str(widget.label) in text, f"{where}: button {widget.label!r} is cut"
    for dialog in screen.query(".dialog"):
        region = dialog.region
        assert region.x >= 0 and region.y >= 0 and region.right <= width and region.bottom <= height, where
    if isinstance(screen, PlayScreen) and not small:
        score = screen.query_one("#score", TextPane)
        for line in score.content.plain.splitlines():
            assert line.strip() in text, f"{where}: the score line {line!r} is cut"
    if screen.query(Footer):
        footer = screen.query_one(Footer)
        bar = lines[footer.region.y]
        assert " Quit " in bar and " Help " in bar, f"{where}: the footer lost Quit or Help: {bar!r}"


async def visit_every_screen(size: tuple[int, int]) -> list[str]:
    """Every screen and window of the game at this size, each checked by `assert_whole`."""
    small = size[0] < 76
    seen: list[str] = []

    async def check(name: str) -> None:
        await pilot.pause()
        assert_whole(app, f"{name} at {size[0]}x{size[1]}", small)
        seen.append(name)

    app = make_app(folder=None)
    async with app.run_test(size=size) as pilot:
        await on_screen(pilot, "TitleScreen")
        await wait_for(pilot, lambda: "Mini deal" in screen_text(app))
        await check("title")
        await pilot.press("ctrl+p")
        await on_screen(pilot, "CommandPalette")
        await check("palette")
        await pilot.press("escape")
        await on_screen(pilot, "TitleScreen")
        await pilot.press("n")
        await on_view(pilot, "scene")
        await check("scene")
        await pilot.press("1")
        await on_view(pilot, "feedback")
        await check("feedback")
        await pilot.press("enter")
        await on_view(pilot, "handoff")
        await check("handoff")
        await pilot.press("question_mark")
        await on_screen(pilot, "HelpScreen")
        await check("help")
        await pilot.press("escape", "j")
        await on_screen(pilot, "JournalScreen")
        await check("journal")
        await pilot.press("escape", "s")
        await on_screen(pilot, "SaveScreen")
        app.screen.query_one(Input).cursor_blink = False
        await check("save")
        await pilot.press(*"at the handoff", "enter")
        await on_view(pilot, "handoff")
        await pilot.press("l")
        await on_screen(pilot, "LoadScreen")
        await check("load")
        await pilot.press("escape")
        await on_view(pilot, "handoff")
        await pilot.press("r")
        await on_screen(pilot, "ConfirmScreen")
        await check("confirm")
        await pilot.press("n")
        await on_view(pilot, "handoff")
        await pilot.press("enter")
        await on_view(pilot, "scene")
        for key in "12":
            await pick(pilot, key)
        await on_screen(pilot, "DebriefScreen")
        await check("debrief")
        debrief = app.screen.query_one("#debrief")
        while debrief.scroll_offset.y < debrief.max_scroll_y:  # and every part of it
            await pilot.press("pagedown")
            await pilot.pause()
            assert_whole(app, f"the debrief at line {debrief.scroll_offset.y}", small)
    store = Path(tempfile.mkdtemp()) / "results.sqlite"
    trainee = DealQuestApp(library=[MINI], training=TrainingSettings(store=store, trainee=None, mode=None))
    trainee.animation_level = "none"
    app = trainee
    async with app.run_test(size=size) as pilot:
        await on_screen(pilot, "SignInScreen")
        app.screen.query_one(Input).cursor_blink = False
        await check("sign-in")
    return seen


EVERY_SCREEN = [
    "title", "palette", "scene", "feedback", "handoff", "help", "journal", "save", "load", "confirm", "debrief",
    "sign-in",
]  # fmt: skip


async def test_every_screen_fits_80x24() -> None:
    assert await visit_every_screen((80, 24)) == EVERY_SCREEN


async def test_every_screen_keeps_quit_and_help_at_60x20() -> None:
    assert await visit_every_screen((60, 20)) == EVERY_SCREEN


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


async def test_options_below_the_fold_are_announced_beside_them() -> None:
    launch = next(folder for folder in bundled() if folder.name == "launch")
    app = make_app(folder=launch, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_view(pilot, "scene")
        page = page_of(app)
        await wait_for(pilot, lambda: page.options_below() > 0)
        hidden = page.options_below()
        last = screen_text(app).splitlines()[page.content_region.bottom - 1]
        assert f"▼ {hidden} more options below · ↓ or PgDn" in last
        page.scroll_end(animate=False, immediate=True)
        await wait_for(pilot, lambda: page.options_below() == 0)
        await pilot.pause()
        assert "more options below" not in screen_text(app)
        assert f"{len(page.options)}." in screen_text(app)  # the last option is in sight


async def test_a_campaigns_length_is_never_cut_mid_phrase_on_the_title() -> None:
    app = make_app(folder=None, library=bundled())
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, "TitleScreen")
        await wait_for(pilot, lambda: "min a run" in screen_text(app))
        text = screen_text(app)
        entries = app.game.library.entries
        # In the list, each campaign's run length whole on a line of its own ...
        for entry in entries[:2]:  # the ones in sight at 80x24
            assert entry.run is not None
            assert f"{entry.run.decisions} decisions · {entry.run.minutes} min" in text
        # ... and in the summary beside it, the highlighted one's in words, whole.
        assert entries[0].run is not None and entries[0].run.describe() in text
