"""Training sessions in the app: practice records every choice, assessment holds feedback back, sign-in."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, RadioButton

from dealquest import engine
from dealquest.training import Mode, TrainingSettings
from dealquest.training.store import RunRecord, open_store
from dealquest.tui.app import DealQuestApp
from dealquest.tui.widgets.score_panel import ScorePanel

from ..conftest import MINI
from .conftest import WINNING_SEED, campaign, on_screen, screen_name, wait_for


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


async def close_modals(pilot: Pilot[None]) -> None:
    """Dismiss the feedback and handoff windows until a scene or the debrief shows."""
    await wait_for(pilot, lambda: screen_name(pilot.app) != "PlayScreen" or pilot.app.screen.is_mounted)
    for _ in range(3):
        await pilot.pause()
        if screen_name(pilot.app) in ("FeedbackScreen", "HandoffScreen"):
            await pilot.press("enter")
            await wait_for(pilot, lambda: screen_name(pilot.app) not in ("FeedbackScreen",))
    await wait_for(pilot, lambda: screen_name(pilot.app) in ("PlayScreen", "DebriefScreen"))


async def test_practice_records_each_choice_with_its_time_undo_takes_it_back_and_saves_are_off(tmp_path: Path) -> None:
    store = tmp_path / "r.sqlite"
    app = training_app(store)
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pilot.press("1")
        await on_screen(pilot, "FeedbackScreen")  # practice: feedback straight away
        await close_modals(pilot)
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
        assert not app.screen.query_one(ScorePanel).display
        await pilot.press("1")
        await on_screen(pilot, "HandoffScreen")  # no feedback window, only the story's handoff
        assert not app.screen.query_one(".handoff-score").display  # and without the marketer's scores
        await pilot.press("enter")
        await on_screen(pilot, "PlayScreen")
        for key in ("u", "j", "r"):
            await pilot.press(key)
            await pilot.pause()
            assert screen_name(app) == "PlayScreen"
        assert app.session is not None and app.session.state.turn == 1
        await pilot.press("1")
        await pilot.pause()
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
        await on_screen(pilot, "HandoffScreen")
        [run] = runs(store)
        assert (run.trainee, run.mode) == ("Dee Tester", "assessment") and len(run.decisions) == 1
