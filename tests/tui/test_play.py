"""The game as a player meets it, driven by keys alone through Textual's Pilot."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable

from dealquest.play import engine, saves
from dealquest.play.debrief import marks_line, verdict_line
from dealquest.play.scoring import AXIS_LABEL, ROLE_LABEL, format_mark
from dealquest.story.model import Role
from dealquest.tui.app import DealQuestApp
from dealquest.tui.screens.play import PlayScreen
from dealquest.tui.widgets.role_banner import ROLE_ICON, RoleBanner

from ..conftest import HOSTILE, WINNING_SEED, campaign
from .conftest import (
    Notes,
    make_app,
    on_screen,
    on_view,
    page_of,
    screen_name,
    screen_text,
    view_of,
    wait_for,
)


async def pick(pilot: Pilot[None], key: str) -> None:
    """Press a choice's number and go on past its feedback (and a handoff card, if one follows)."""
    app = pilot.app
    assert isinstance(app, DealQuestApp)
    await pilot.press(key)
    await on_view(pilot, "feedback")
    await pilot.press("enter")
    await wait_for(pilot, lambda: view_of(app) != "feedback")
    if view_of(app) == "handoff":
        await pilot.press("enter")
    await wait_for(pilot, lambda: view_of(app) == "scene" or screen_name(app) == "DebriefScreen")
    await pilot.pause()


async def click_option(pilot: Pilot[None], index: int) -> None:
    """Click the page's option `index` (0-based) with the mouse, on the first line it takes."""
    page = page_of(pilot.app)  # type: ignore[arg-type]
    first, _ = page.option_lines[index]
    line = first - page.scroll_offset.y
    content = page.scrollable_content_region
    assert 0 <= line < content.height, f"option {index} is scrolled out of sight"
    # the offset is from the widget's corner: step over its border and padding to the text
    await pilot.click(page, offset=(content.x - page.region.x + 4, content.y - page.region.y + line))
    await pilot.pause()


def banner_colour(app: DealQuestApp) -> str:
    """The colour the banner paints its role tag in, as #RRGGBB."""
    banner = app.screen.query_one(RoleBanner)
    [tag] = [s for s in banner.render_line(0) if any(icon in s.text for icon in ROLE_ICON.values())]
    assert tag.style is not None and tag.style.color is not None
    return tag.style.color.get_truecolor().hex.upper()


def role_colour(app: DealQuestApp, role: Role) -> str:
    return app.theme_variables["primary" if role == "marketer" else "warning"].upper()


async def test_a_whole_run_can_be_played_to_its_ending_with_the_keyboard_alone() -> None:
    app = make_app(folder=None)
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "TitleScreen")
        await pilot.press("enter")  # the highlighted campaign: a new game
        await on_screen(pilot, "PlayScreen")
        seed = app.session.state.seed  # type: ignore[union-attr]
        await pick(pilot, "1")
        await pick(pilot, "1")
        await pilot.press("down", "enter")  # arrows and Enter work as well as numbers
        await on_view(pilot, "feedback")
        assert "the debrief, Enter" in screen_text(app)
        await pilot.press("enter")
        await on_screen(pilot, "DebriefScreen")
        expected = engine.replay(campaign(), seed, [0, 0, 1])
        assert app.session is not None and app.session.state == expected
        assert "The end:" in screen_text(app)


async def test_the_scene_text_choices_and_position_are_shown() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        await wait_for(pilot, lambda: "Intel so far, 0." in screen_text(app))
        text = screen_text(app)
        assert "What does the segment crave?" in text
        assert "1. Interview ten customers" in text and "2. Buy a billboard" in text
        assert "Decision 1" in text
        assert "⏱ 10  Days left" in text and "0/3  Intel" in text
        page = page_of(app)  # the scene's title on the page's top border, the position on its bottom one
        assert isinstance(app.screen, PlayScreen) and app.screen.page_shown is not None
        assert app.screen.page_shown.title.plain == "What does the segment crave?"
        top, bottom = page.region.y, page.region.bottom - 1
        lines = text.splitlines()
        assert "What does the segment crave?" in lines[top] and "Decision 1" in lines[bottom]


async def test_a_locked_choice_shows_its_hint_and_its_number_does_nothing() -> None:
    app, notes = make_app(), Notes()
    async with app.run_test(size=(100, 32), message_hook=notes) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pick(pilot, "2")  # the billboard: no case study for sales
        await wait_for(pilot, lambda: "Locked: Needs a case study from marketing" in screen_text(app))
        await pilot.press("1")
        await pilot.pause()
        assert view_of(app) == "scene"
        assert app.session is not None and app.session.state.turn == 1
        assert any("Choice 1 is locked: Needs a case study from marketing." in m for m in notes.messages)


async def test_undo_takes_back_choices_one_at_a_time_back_to_the_start() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        start = app.session.state  # type: ignore[union-attr]
        await pick(pilot, "1")
        after_one = app.session.state  # type: ignore[union-attr]
        await pick(pilot, "2")
        assert app.session is not None and app.session.state.turn == 2
        await pilot.press("u")
        await wait_for(pilot, lambda: app.session is not None and app.session.state == after_one)
        await pilot.press("u")
        await wait_for(pilot, lambda: app.session is not None and app.session.state == start)
        await wait_for(pilot, lambda: "Intel so far, 0." in screen_text(app))
        await pilot.press("u")  # nothing left to undo: it says so and stays
        await pilot.pause()
        assert app.session.state == start
        assert saves.load(saves.slot_path("mini", saves.AUTOSAVE), campaign()) == start


async def test_undo_from_the_debrief_returns_to_the_last_scene() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        for key in "112":
            await pick(pilot, key)
        await on_screen(pilot, "DebriefScreen")
        await pilot.press("u")
        await on_screen(pilot, "PlayScreen")
        assert app.session is not None and app.session.state.scene == "pitch"


async def test_the_role_banner_and_a_handoff_card_announce_a_switch_of_role() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        banner = app.screen.query_one(RoleBanner)
        assert banner.role == "marketer" and banner_colour(app) == role_colour(app, "marketer")
        assert "◎ MARKETER" in screen_text(app)
        await pilot.press("1")
        await on_view(pilot, "feedback")
        assert "Continue (the handoff, Enter)" in screen_text(app)
        await pilot.press("enter")
        await on_view(pilot, "handoff")
        assert isinstance(app.screen, PlayScreen)
        card = app.screen.page_shown
        assert card is not None and card.kind == "handoff" and app.screen.query_one(RoleBanner).role == "salesperson"
        text = screen_text(app)
        assert "Handoff: marketing passes the deal to sales" in text
        assert card.title.plain == "Handoff: marketing passes the deal to sales"
        assert "◎ MARKETER  ──▶  ➤ SALESPERSON" in text
        assert "Marketing passed on 2 pieces of intel." in text
        assert "Case study ready" in text  # what marketing gathered travels with the deal
        assert "What you have now" in page_of(app).text and "✓ Case study ready" in page_of(app).text
        assert "How the marketer did: push/pull" in text  # practice: the marketer's scores
        assert "Play as ➤ SALESPERSON (Enter)" in text
        assert app.session is not None and app.session.state.turn == 1
        await pilot.press("enter")
        await on_view(pilot, "scene")
        banner = app.screen.query_one(RoleBanner)
        assert banner.role == "salesperson" and banner_colour(app) == role_colour(app, "salesperson")
        assert role_colour(app, "salesperson") != role_colour(app, "marketer")
        assert "➤ SALESPERSON" in screen_text(app)
        await wait_for(pilot, lambda: "The buyer picks up." in screen_text(app))
        assert app.session.state.turn == 1  # going on from the card chose nothing


async def test_feedback_shows_the_choice_its_feedback_and_the_change_on_each_axis() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pilot.press("2")
        await on_view(pilot, "feedback")
        text = screen_text(app)
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.page_shown is not None and app.screen.query_one(RoleBanner).role == "marketer"
        assert "Feedback · ◎ MARKETER" in text
        assert "You chose: Buy a billboard" in text
        assert "A billboard reaches everyone and qualifies no one for sales." in text
        feedback = page_of(app).text  # the axes are on the score pane too: look at the page itself
        for axis in AXIS_LABEL.values():
            assert axis in text and any(line.startswith(axis) for line in feedback.splitlines())
        # the choice's own mark, then the role's score on that axis now: the same scale, never a delta
        assert any(line.split() == ["Audience", "-1", "now", "-1"] for line in feedback.splitlines())
        assert "Middling choice (-0.3)" in feedback
        assert "A stronger option was: Interview ten customers" in text


WORKSHOP = """      - text: Run a free workshop for the segment
        goto: brief
        technique: pull
        push_pull: 2
        closing: 0
        addresses: segment
        feedback: The workshop draws the segment in on its own terms, and sales gets a room of warm names.
        lessons: [push_pull, facilitation]
"""


async def test_a_pull_move_the_feedback_praises_moves_the_gauge_up_not_down(mini_copy: Path) -> None:
    spec = mini_copy / "campaign.yaml"
    text = spec.read_text()
    spec.write_text(text.replace("        lessons: [push_pull]\n", "        lessons: [push_pull]\n" + WORKSHOP, 1))
    app = make_app(mini_copy)
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pilot.press("3")  # a free workshop: pull, and the right moment for it
        await on_view(pilot, "feedback")
        feedback = page_of(app).text
        assert "draws the segment in" in feedback
        assert any(line.split()[:4] == ["Push/pull", "+2", "now", "+2"] for line in feedback.splitlines())
        assert "Good choice (+1.3)" in feedback
        # the side panel lists the marketer first: its push/pull gauge is full, at +2, not a drop
        gauges = [line for line in screen_text(app).splitlines() if "Push/pull" in line and "█" in line]
        assert "Push/pull ████████████   +2" in gauges[0]


async def test_the_debrief_shows_the_engines_numbers() -> None:
    app = make_app(seed=WINNING_SEED)
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        for key in "112":
            await pick(pilot, key)
        await on_screen(pilot, "DebriefScreen")
        assert app.session is not None
        card = engine.score(app.session.campaign, app.session.state)
        table = app.screen.query_one("#debrief-table", DataTable)
        for role, role_score in card.roles.items():
            for axis, value in role_score.axes.items():
                row = table.get_row(f"{role}-{axis}")
                assert [str(c) for c in row[:2]] == [ROLE_LABEL[role], AXIS_LABEL[axis]]
                assert str(row[2]) == format_mark(value)
        grade = str(app.screen.query_one("#debrief-grade").render())
        assert f"Grade {card.grade}" in grade and f"{card.percent:.0f}%" in grade
        text = screen_text(app)
        assert "The end: Signed" in text


async def test_play_again_and_try_another_path_from_the_debrief() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        for key in "221":
            await pick(pilot, key)
        await on_screen(pilot, "DebriefScreen")
        await pilot.press("a")  # back to just before the weakest decision: the billboard
        await on_screen(pilot, "PlayScreen")
        assert app.session is not None and app.session.state.turn == 0
        for key in "112":
            await pick(pilot, key)
        await on_screen(pilot, "DebriefScreen")
        await pilot.press("p")
        await on_screen(pilot, "PlayScreen")
        assert app.session.state.turn == 0 and app.session.state.scene == "research"


async def test_the_journal_lists_the_run_and_the_help_explains_the_rubric() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pick(pilot, "1")
        await pilot.press("j")
        await on_screen(pilot, "JournalScreen")
        text = screen_text(app)
        assert "1. ◎ MARKETER · What does the segment crave?" in text
        assert "You chose: Interview ten customers" in text
        # the journal shows the engine's own verdict and marks, as --plain and the exports do
        made = app.session.state.decisions[0]
        assert verdict_line(made) in text and marks_line(made) in text
        assert "Now: The first call" in text
        await pilot.press("escape")
        await on_screen(pilot, "PlayScreen")
        await pilot.press("question_mark")
        await on_screen(pilot, "HelpScreen")
        text = screen_text(app)
        assert "Aim: Close inside the clock" in text and "Usual mix: about 80% push" in text
        await pilot.press("escape")
        await on_screen(pilot, "PlayScreen")
        await pilot.press("f1")
        await on_screen(pilot, "HelpScreen")


async def test_scene_text_is_shown_on_the_page_which_has_the_focus() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        page = page_of(app)
        await wait_for(pilot, lambda: [b.plain for b in page.blocks] == ["Intel so far, 0."])
        assert [(o.label, o.prompt.plain) for o in page.options] == [
            ("1.", "Interview ten customers"),
            ("2.", "Buy a billboard"),
        ]
        assert page.has_focus


async def test_scene_markdown_keeps_bold_and_italic_as_styles(mini_copy: Path) -> None:
    story = mini_copy / "campaign.yaml"
    story.write_text(story.read_text().replace("text: Intel so far, {intel}.", "text: '**Intel** so far, *{intel}*.'"))
    app = make_app(folder=mini_copy)
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        page = page_of(app)
        await wait_for(pilot, lambda: bool(page.blocks))
        [block] = page.blocks
        assert block.plain == "Intel so far, 0."  # the Markdown's asterisks are gone
        styled = {block.plain[span.start : span.end]: str(span.style) for span in block.spans}
        assert "bold" in styled["Intel"] and "italic" in styled["0"]
        assert "Intel so far, 0." in screen_text(app) and "*" not in screen_text(app).split("Your move")[0]


async def test_the_command_palette_offers_the_games_commands() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pick(pilot, "1")
        await pilot.press("ctrl+p")
        await on_screen(pilot, "CommandPalette")
        await pilot.press(*"journal")
        await wait_for(pilot, lambda: "The run so far" in screen_text(app))
        await pilot.press("enter")
        await on_screen(pilot, "JournalScreen")
        await pilot.press("escape")
        await on_screen(pilot, "PlayScreen")
        await pilot.press("ctrl+p")
        await on_screen(pilot, "CommandPalette")
        await pilot.press(*"undo")
        await wait_for(pilot, lambda: "Take back the last choice" in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.session is not None and app.session.state.turn == 0)


async def test_ctrl_t_cycles_dark_light_and_the_terminals_own_palette() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        seen = [app.theme]
        for _ in range(4):
            await pilot.press("ctrl+t")
            seen.append(app.theme)
        assert seen == ["textual-dark", "textual-light", "ansi-dark", "ansi-light", "textual-dark"]


async def test_a_choice_can_be_clicked_with_the_mouse_and_so_can_going_on() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        page = page_of(app)
        await wait_for(pilot, lambda: len(page.option_lines) == 2)
        await pilot.click(page, offset=(4, 1))  # on the scene's text, not on a choice: nothing happens
        await pilot.pause()
        assert view_of(app) == "scene" and app.session is not None and app.session.state.turn == 0
        await click_option(pilot, 1)
        await on_view(pilot, "feedback")
        assert [d.choice for d in app.session.state.decisions] == [1]
        assert "You chose: Buy a billboard" in screen_text(app)
        await click_option(pilot, 0)  # the feedback's one option: go on
        await on_view(pilot, "handoff")
        await click_option(pilot, 0)  # the card's one option: play as the salesperson
        await on_view(pilot, "scene")
        await wait_for(pilot, lambda: "Locked: Needs a case study from marketing" in screen_text(app))
        await click_option(pilot, 0)  # the locked case study: no click picks it
        await pilot.pause()
        assert view_of(app) == "scene" and app.session.state.turn == 1
        await click_option(pilot, 1)
        await on_view(pilot, "feedback")
        assert [d.choice for d in app.session.state.decisions] == [1, 1]
        assert "You chose: Wing it" in screen_text(app)


async def test_the_arrows_move_the_highlight_over_enabled_choices_and_enter_picks_it() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        page = page_of(app)
        await wait_for(pilot, lambda: "▶ 1. Interview ten customers" in screen_text(app))
        assert page.highlighted == 0
        await pilot.press("down")
        await wait_for(pilot, lambda: "▶ 2. Buy a billboard" in screen_text(app))
        assert page.highlighted == 1 and "▶ 1." not in screen_text(app)
        await pilot.press("down")  # the last choice: the highlight stays
        assert page.highlighted == 1
        await pilot.press("up")
        assert page.highlighted == 0
        await wait_for(pilot, lambda: "▶ 1. Interview ten customers" in screen_text(app))
        await pilot.press("down", "enter")
        await on_view(pilot, "feedback")
        assert app.session is not None and [d.choice for d in app.session.state.decisions] == [1]
        await pilot.press("enter")
        await on_view(pilot, "handoff")
        await pilot.press("enter")
        await on_view(pilot, "scene")
        assert not page.options[0].enabled  # the case study is locked after the billboard
        assert page.highlighted == 1  # the highlight starts on the first choice that can be picked
        await pilot.press("up")  # and never lands on a locked one
        assert page.highlighted == 1
        await pilot.press("enter")
        await on_view(pilot, "feedback")
        assert [d.choice for d in app.session.state.decisions] == [1, 1]


async def test_a_number_key_on_the_feedback_or_the_handoff_chooses_nothing() -> None:
    app, notes = make_app(), Notes()
    async with app.run_test(size=(100, 32), message_hook=notes) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pilot.press("space")  # space goes on from a feedback, never picks a choice
        await pilot.pause()
        assert view_of(app) == "scene" and app.session is not None and app.session.state.turn == 0
        await pilot.press("1")
        await on_view(pilot, "feedback")
        after = app.session.state
        for key in ("2", "1"):
            await pilot.press(key)
            await pilot.pause()
            assert view_of(app) == "feedback" and app.session.state == after
        assert "Press Enter to go on." in notes.messages
        assert "You chose: Interview ten customers" in screen_text(app)
        await pilot.press("space")  # space goes on as Enter does
        await on_view(pilot, "handoff")
        app.clear_notifications()
        notes.clear()
        await pilot.press("2")
        await pilot.pause()
        assert view_of(app) == "handoff" and app.session.state == after
        assert "Press Enter to go on." in notes.messages
        await pilot.press("enter")
        await on_view(pilot, "scene")
        assert app.session.state == after
        await pick(pilot, "2")
        assert [d.choice for d in app.session.state.decisions] == [0, 1]


async def test_story_text_that_looks_like_markup_is_shown_literally_on_the_page() -> None:
    app = make_app(folder=HOSTILE, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_screen(pilot, "PlayScreen")
        page = page_of(app)
        await wait_for(pilot, lambda: bool(page.blocks))
        [block] = page.blocks
        expected = "Plain [bold]x[/] then [/] alone, [link=file:///etc/passwd]a link[/link] and red osc text."
        assert block.plain == expected and block.spans == []  # no style, no link came from the brackets
        assert "[bold]x[/]" in page.text and "1. Choose [bold]me[/] [/]" in page.text
        assert (page.options[0].label, page.options[0].prompt.plain) == ("1.", "Choose [bold]me[/] [/]")
        assert all(span.end <= len("1. ") for span in page.options[0].prompt.spans)  # only the number is bold
        text = screen_text(app)
        assert "Scene [bold]x[/]" in text.splitlines()[page.region.y]  # the title, on the page's border
        assert expected[:40] in text


async def test_a_chapter_name_that_looks_like_markup_shows_literally(tmp_path: Path) -> None:
    folder = tmp_path / "hostile"
    folder.mkdir()
    story = (HOSTILE / "campaign.yaml").read_text()
    story = story.replace("    role: marketer\n", '    role: marketer\n    chapter: "[bold]One[/] [/]"\n', 1)
    (folder / "campaign.yaml").write_text(story)
    app = make_app(folder=folder, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_screen(pilot, "PlayScreen")
        page = page_of(app)
        await wait_for(pilot, lambda: "[bold]One[/] [/] (1/1) · Decision 1" in screen_text(app))
        assert "[bold]One[/] [/] (1/1) · Decision 1" in screen_text(app).splitlines()[page.region.bottom - 1]


async def test_a_click_on_a_side_pane_leaves_the_keys_with_the_page() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pilot.press("2")
        await on_view(pilot, "feedback")
        await pilot.click("#state")
        await pilot.click("#score")
        await pilot.press("enter")
        await wait_for(pilot, lambda: view_of(app) != "feedback")


async def test_a_new_theme_redraws_the_highlighted_choice_in_its_colours() -> None:
    from dealquest.tui.widgets.story_page import StoryPage

    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        page = app.screen.query_one(StoryPage)

        def highlight() -> str:
            first, _ = page.option_lines[page.highlighted or 0]
            line = page.render_line(first - page.scroll_offset.y)  # the first choice: on screen from the top
            colour = line.text and next(iter(line)).style.bgcolor
            return colour.triplet.hex if colour and colour.triplet else ""

        await wait_for(pilot, lambda: highlight() == app.theme_variables["block-cursor-background"].lower())
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
        await wait_for(pilot, lambda: highlight() == app.theme_variables["block-cursor-background"].lower())


async def test_the_debrief_draws_the_route_beside_the_best_one() -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await on_screen(pilot, "PlayScreen")
        for key in "222":
            await pick(pilot, key)
        await on_screen(pilot, "DebriefScreen")
        route = app.screen.query_one("#debrief-route")
        app.screen.query_one("#debrief").scroll_to_widget(route, animate=False, top=True, immediate=True)
        await pilot.pause()
        text = screen_text(app)
        assert "Your route and the best route part at decision 1." in text
        assert "The best route (same dice)" in text and "◎ MARKETER" in text and "➤ SALESPERSON" in text
        stops = " ".join(str(body.render()) for body in app.screen.query(".route-body"))
        assert "✕ Use the case study (locked: Needs a case study from marketing)" in stops
        assert "◆ you left the best route here (best: Interview ten customers)" in stops
