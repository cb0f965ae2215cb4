"""Training sessions in the app: practice records every choice, assessment holds feedback back, sign-in."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, RadioButton

from dealquest.play import engine
from dealquest.training import Mode, TrainingSettings
from dealquest.training.store import RunRecord, open_store
from dealquest.tui.app import DealQuestApp
from dealquest.tui.screens.play import PlayScreen

from ..conftest import MINI, WINNING_SEED, campaign
from .conftest import (
    Notes,
    on_screen,
    on_view,
    page_of,
    screen_name,
    screen_text,
    view_of,
    wait_for,
    widget_text,
)


def training_app(
    store: Path, trainee: str | None = "Ana", mode: Mode | None = "practice", start: bool = True
) -> DealQuestApp:
    settings = TrainingSettings(store=store, trainee=trainee, mode=mode, seed=WINNING_SEED)
    app = DealQuestApp(campaign=campaign() if start else None, library=[MINI], training=settings)
    app.animation_level = "none"
    return app


def runs(store: Path) -> list[RunRecord]:
    with open_store(store) as opened:
        return opened.runs()


async def go_on(pilot: Pilot[None]) -> None:
    """Go on past the feedback and the handoff pages until a scene or the debrief shows."""
    app = pilot.app
    assert isinstance(app, DealQuestApp)
    for _ in range(3):
        await wait_for(pilot, lambda: view_of(app) is not None or screen_name(app) == "DebriefScreen")
        await pilot.pause()
        shown = view_of(app)
        if shown not in ("feedback", "handoff"):
            break
        await pilot.press("enter")

        def moved(before: str | None = shown) -> bool:
            return view_of(app) != before

        await wait_for(pilot, moved)
    await wait_for(pilot, lambda: view_of(app) == "scene" or screen_name(app) == "DebriefScreen")


ASSESSMENT_NOTE = "Assessment: your scores are shown at the debrief."


def score_text(app: DealQuestApp) -> str:
    """What the score pane shows, its lines joined with spaces (a long line may wrap)."""
    return " ".join(widget_text(app, "#score").split())


async def test_practice_records_each_choice_with_its_time_undo_takes_it_back_and_saves_are_off(tmp_path: Path) -> None:
    store = tmp_path / "r.sqlite"
    app = training_app(store)
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        assert "Grade so far: –" in score_text(app) and "Assessment" not in score_text(app)
        await pilot.press("1")
        await on_view(pilot, "feedback")  # practice: feedback straight away
        assert "You chose: Interview ten customers" in screen_text(app)
        await go_on(pilot)
        [run] = runs(store)
        assert (run.trainee, run.mode, run.seed) == ("Ana", "practice", WINNING_SEED)
        assert [d.scene for d in run.decisions] == ["research"]
        assert run.decisions[0].seconds is not None and run.decisions[0].seconds >= 0
        await pilot.press("u")
        await wait_for(pilot, lambda: app.session is not None and app.session.state.turn == 0)
        [run] = runs(store)
        assert run.decisions == () and run.undos == 1
        for key in ("s", "l"):  # saved games are off: the store keeps the run
            await pilot.press(key)
            await pilot.pause()
            assert screen_name(app) == "PlayScreen"


async def test_assessment_shows_no_feedback_or_score_and_refuses_undo_until_the_debrief(tmp_path: Path) -> None:
    store = tmp_path / "r.sqlite"
    app = training_app(store, mode="assessment")
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        assert score_text(app).startswith("Assessment: your scores are")  # in full: see the next test
        assert "Grade so far" not in screen_text(app) and "Push/pull" not in screen_text(app)
        await pilot.press("1")
        await on_view(pilot, "handoff")  # no feedback, only the story's handoff
        assert app.session is not None and app.session.state.turn == 1
        assert "Marketing passed on 2 pieces of intel." in screen_text(app)
        assert "How the marketer did" not in page_of(app).text  # and without the marketer's scores
        assert "How the marketer did" not in screen_text(app) and "You chose" not in screen_text(app)
        assert score_text(app).startswith("Assessment: your scores are") and "Push/pull" not in screen_text(app)
        await pilot.press("enter")
        await on_view(pilot, "scene")
        for key in ("u", "j", "r"):
            await pilot.press(key)
            await pilot.pause()
            assert screen_name(app) == "PlayScreen" and view_of(app) == "scene"
        assert app.session.state.turn == 1
        await pilot.press("1")
        await wait_for(pilot, lambda: app.session is not None and app.session.state.turn == 2)
        await pilot.pause()
        assert view_of(app) == "scene"  # no feedback: straight on to the next scene
        assert isinstance(app.screen, PlayScreen) and app.screen.page_shown is not None
        assert app.screen.page_shown.title.plain == "The committee"
        assert "You chose" not in screen_text(app)
        await pilot.press("2")
        await on_screen(pilot, "DebriefScreen")
        expected = engine.replay(campaign(), WINNING_SEED, [0, 0, 1])
        [run] = runs(store)
        assert run.mode == "assessment" and run.finished and run.percent == engine.score(campaign(), expected).percent
        assert app.training is not None and app.training.mode == "practice"  # after the debrief: practice
        await pilot.press("u")  # undo is open again, and starts a new run carrying the earlier choices
        await on_screen(pilot, "PlayScreen")
        first, second = runs(store)
        assert first.finished and len(first.decisions) == 3
        assert second.mode == "practice" and second.carried_from == first.id and len(second.decisions) == 2


async def test_the_assessment_note_in_the_score_pane_can_be_read_in_full(tmp_path: Path) -> None:
    for size in ((100, 32), (80, 24)):
        app = training_app(tmp_path / f"r{size[0]}.sqlite", mode="assessment")
        async with app.run_test(size=size) as pilot:
            await on_screen(pilot, "PlayScreen")
            assert score_text(app) == ASSESSMENT_NOTE, size


async def test_sign_in_asks_the_name_and_the_mode_then_records_under_them(tmp_path: Path) -> None:
    store = tmp_path / "r.sqlite"
    app = training_app(store, trainee=None, mode=None)
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "SignInScreen")
        await pilot.press("enter")  # no name yet: it says so and stays
        await pilot.pause()
        assert (
            screen_name(app) == "SignInScreen"
            and "give the trainee's name" in str(app.screen.query_one("#sign-in-problem").render()).lower()
        )
        app.new_game_command()  # the command palette's New game cannot get round the sign-in
        app.action_title_screen()
        await pilot.pause()
        assert screen_name(app) == "SignInScreen"
        app.screen.query_one("#trainee-name", Input).value = "Dee Tester"
        app.screen.query_one("#mode-assessment", RadioButton).value = True
        app.screen.query_one("#trainee-name", Input).focus()
        await pilot.press("enter")
        await on_screen(pilot, "PlayScreen")
        await pilot.press("2")
        await on_view(pilot, "handoff")
        [run] = runs(store)
        assert (run.trainee, run.mode) == ("Dee Tester", "assessment") and len(run.decisions) == 1


async def test_an_undo_right_after_a_choice_is_recorded_after_that_choice(tmp_path: Path) -> None:
    """The choice's record waits for the feedback to be painted; an undo before that writes it
    first, so the store sees the choice and then its undo, and the next choice is recorded."""
    store = tmp_path / "r.sqlite"
    app, notes = training_app(store), Notes()
    async with app.run_test(size=(100, 32), message_hook=notes) as pilot:
        await on_screen(pilot, "PlayScreen")
        app.choose(1)  # what choice 2 asks for; no pause: the record still waits for the paint
        app.action_undo()
        await wait_for(pilot, lambda: app.session is not None and app.session.state.turn == 0)
        [run] = runs(store)
        assert run.decisions == () and run.undos == 1
        await pilot.press("1")
        await wait_for(pilot, lambda: len(runs(store)[0].decisions) == 1)
        [run] = runs(store)
        assert [d.choice for d in run.decisions] == [0]
        assert not any("Not recorded" in m for m in notes.messages)
