"""`dealquest play PATH --watch`: edits reload the campaign, errors show in the app, the player stays put."""

from __future__ import annotations

import shutil
from pathlib import Path

from dealquest.play import engine
from dealquest.tui.app import DealQuestApp

from ..conftest import MINI, WINNING_SEED, campaign
from .conftest import Notes, on_screen, on_view, screen_text, wait_for


def watched_app(folder: Path) -> DealQuestApp:
    app = DealQuestApp(campaign=campaign(folder), seed=WINNING_SEED, library=[folder], watch=folder)
    app.animation_level = "none"
    return app


def copy_of_mini(tmp_path: Path) -> Path:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    return folder


def test_a_run_that_still_replays_is_carried_over_unchanged(tmp_path: Path) -> None:
    folder = copy_of_mini(tmp_path)
    state = engine.replay(campaign(folder), 3, [0])
    sales = folder / "sales.yaml"
    sales.write_text(sales.read_text().replace("The buyer picks up.", "The buyer picks up on the fourth ring."))
    moved, note = engine.carry_over(campaign(folder), state)
    assert moved == state and note == "Reloaded the campaign."


def test_when_the_path_no_longer_replays_the_player_stays_at_the_scene(tmp_path: Path) -> None:
    folder = copy_of_mini(tmp_path)
    state = engine.replay(campaign(folder), 3, [0])  # interview -> brief
    research = folder / "campaign.yaml"
    research.write_text(research.read_text().replace("goto: brief\n", "goto: pitch\n", 1))
    moved, note = engine.carry_over(campaign(folder), state)
    assert moved.scene == "brief" and moved.vars == state.vars and "stay at 'brief'" in note


def test_when_the_scene_is_gone_the_run_starts_again(tmp_path: Path) -> None:
    folder = copy_of_mini(tmp_path)
    state = engine.replay(campaign(folder), 3, [0])
    text = (folder / "sales.yaml").read_text().replace("id: brief", "id: first_call")
    (folder / "sales.yaml").write_text(text)
    (folder / "campaign.yaml").write_text(
        (folder / "campaign.yaml").read_text().replace("goto: brief", "goto: first_call")
    )
    moved, note = engine.carry_over(campaign(folder), state)
    assert moved.scene == "research" and moved.turn == 0 and "no longer exists" in note


async def test_an_edit_shows_in_the_running_game(tmp_path: Path) -> None:
    folder = copy_of_mini(tmp_path)
    app = watched_app(folder)
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        camp = folder / "campaign.yaml"
        camp.write_text(camp.read_text().replace("title: What does the segment crave?", "title: Who craves what?"))
        app.reload_if_changed()
        await wait_for(pilot, lambda: "Who craves what?" in screen_text(app))
        assert app.session is not None and app.session.state.scene == "research"


async def test_a_broken_edit_is_reported_in_the_app_which_keeps_running(tmp_path: Path) -> None:
    folder = copy_of_mini(tmp_path)
    app, notes = watched_app(folder), Notes()
    async with app.run_test(size=(100, 32), message_hook=notes) as pilot:
        await on_screen(pilot, "PlayScreen")
        sales = folder / "sales.yaml"
        sales.write_text(sales.read_text().replace("goto: lost\n", "goto: lsot\n", 1))
        app.reload_if_changed()
        await wait_for(pilot, lambda: "error[DQ103]" in notes.text)
        assert "still playing the last good version" in notes.text
        assert "goes to 'lsot'" in notes.text
        assert app.session is not None and app.session.campaign.scenes["pitch"].choices[0].goto == "lost"
        await pilot.press("2")  # the game goes on with the last good version
        await on_view(pilot, "feedback")
        assert "You chose: Buy a billboard" in screen_text(app)


async def test_a_reload_during_the_feedback_shows_the_scene_and_enter_picks_nothing_unseen(tmp_path: Path) -> None:
    folder = copy_of_mini(tmp_path)
    app, notes = watched_app(folder), Notes()
    async with app.run_test(size=(100, 32), message_hook=notes) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pilot.press("2")
        await on_view(pilot, "feedback")  # about to press Enter to go on
        header = folder / "campaign.yaml"
        header.write_text(header.read_text().replace("Intel so far", "Intel gathered so far"))
        app.reload_if_changed()
        await wait_for(pilot, lambda: "Campaign reloaded" in notes.text)
        await on_view(pilot, "scene")
        assert app.session is not None
        turn = app.session.state.turn
        await pilot.press("enter")  # meant for the feedback: it must not pick a choice never seen
        await pilot.pause()
        assert app.session.state.turn == turn
        await pilot.press("enter")  # the first choice is now highlighted; Enter picks it
        await on_view(pilot, "feedback")
        assert app.session.state.turn == turn + 1
