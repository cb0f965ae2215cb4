"""The game as a player meets it, driven by keys alone through Textual's Pilot."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import DataTable, Markdown

from dealquest import engine, saves
from dealquest.scoring import AXIS_LABEL, ROLE_LABEL
from dealquest.tui.screens.debrief import figure
from dealquest.tui.widgets.choice_list import ChoiceList
from dealquest.tui.widgets.handoff_card import HandoffCard
from dealquest.tui.widgets.role_banner import RoleBanner

from .conftest import WINNING_SEED, campaign, make_app, on_screen, screen_text, wait_for


async def pick(pilot: Pilot[None], key: str) -> None:
    """Press a choice's number and close its feedback (and a handoff card, if one follows)."""
    await pilot.press(key)
    await on_screen(pilot, "FeedbackScreen")
    await pilot.press("enter")
    await wait_for(pilot, lambda: type(pilot.app.screen).__name__ != "FeedbackScreen")
    if type(pilot.app.screen).__name__ == "HandoffScreen":
        await pilot.press("enter")
    await wait_for(pilot, lambda: type(pilot.app.screen).__name__ in ("PlayScreen", "DebriefScreen"))
    await pilot.pause()


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
        await on_screen(pilot, "FeedbackScreen")
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


async def test_a_locked_choice_shows_its_hint_and_its_number_does_nothing() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pick(pilot, "2")  # the billboard: no case study for sales
        await wait_for(pilot, lambda: "Locked: Needs a case study from marketing" in screen_text(app))
        await pilot.press("1")
        await pilot.pause()
        assert type(app.screen).__name__ == "PlayScreen"
        assert app.session is not None and app.session.state.turn == 1


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
        assert banner.role == "marketer" and banner.has_class("-marketer")
        assert "◎ MARKETER" in screen_text(app)
        await pilot.press("1")
        await on_screen(pilot, "FeedbackScreen")
        await pilot.press("enter")
        await on_screen(pilot, "HandoffScreen")
        card = app.screen.query_one(HandoffCard)
        text = screen_text(app)
        assert "Handoff: marketing passes the deal to sales" in text
        assert "Marketing passed on 2 pieces of intel." in text
        assert "Case study ready" in text  # what marketing gathered travels with the deal
        assert card.to == "salesperson"
        await pilot.press("enter")
        await on_screen(pilot, "PlayScreen")
        banner = app.screen.query_one(RoleBanner)
        assert banner.role == "salesperson" and banner.has_class("-salesperson")
        assert "➤ SALESPERSON" in screen_text(app)


async def test_feedback_shows_the_choice_its_feedback_and_the_change_on_each_axis() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pilot.press("2")
        await on_screen(pilot, "FeedbackScreen")
        text = screen_text(app)
        assert "You chose: Buy a billboard" in text
        assert "A billboard reaches everyone and qualifies no one for sales." in text
        for axis in AXIS_LABEL.values():
            assert axis in text
        assert "A stronger option was: Interview ten customers" in text


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
                assert str(row[2]) == figure(value)
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
        assert "Now: The first call" in text
        await pilot.press("escape")
        await on_screen(pilot, "PlayScreen")
        await pilot.press("question_mark")
        await on_screen(pilot, "HelpScreen")
        text = screen_text(app)
        assert "Aim: Close inside the clock" in text and "Target mix: 80% push" in text
        await pilot.press("escape")
        await on_screen(pilot, "PlayScreen")
        await pilot.press("f1")
        await on_screen(pilot, "HelpScreen")


async def test_scene_text_is_shown_as_markdown() -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        markdown = app.screen.query_one("#scene-text", Markdown)
        await wait_for(pilot, lambda: markdown.source == "Intel so far, 0.")
        assert app.screen.query_one(ChoiceList).has_focus


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
