"""`dealquest play PATH --watch`: an edit reloads the campaign and replays the run on it; errors show in
the app, which goes on with the last good version; the page and windows on screen stay."""

from __future__ import annotations

import shutil
from pathlib import Path

from dealquest.play import engine
from dealquest.tui.app import DealQuestApp

from ..conftest import MINI, WINNING_SEED, campaign
from .conftest import Notes, on_screen, on_view, screen_name, screen_text, view_of, wait_for


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


def edit(folder: Path, name: str, old: str, new: str) -> None:
    """A real edit of a file of the watched campaign, as a writer's editor saves it."""
    path = folder / name
    text = path.read_text()
    assert old in text, f"{old!r} is not in {name}"
    path.write_text(text.replace(old, new, 1))


async def test_an_edited_effect_of_an_earlier_choice_shows_on_the_handoff_card_which_stays(tmp_path: Path) -> None:
    folder = copy_of_mini(tmp_path)
    app, notes = watched_app(folder), Notes()
    async with app.run_test(size=(100, 32), message_hook=notes) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pilot.press("1")  # interview: intel 2
        await on_view(pilot, "feedback")
        await pilot.press("enter")
        await on_view(pilot, "handoff")
        assert "Marketing passed on 2 pieces of intel" in screen_text(app)
        edit(folder, "campaign.yaml", "add: {intel: 2}", "add: {intel: 3}")
        app.reload_if_changed()
        await wait_for(pilot, lambda: "Marketing passed on 3 pieces of intel" in screen_text(app))
        assert view_of(app) == "handoff"  # the card stays, made again from the edited run
        assert "Reloaded: your decision replays; now intel 3 (was 2)." in notes.messages
        assert app.session is not None and app.session.state.vars["intel"] == 3
        await pilot.press("enter")  # the card goes on as before
        await on_view(pilot, "scene")
        assert "The first call" in screen_text(app)


async def test_a_reload_on_the_feedback_keeps_the_feedback_and_enter_goes_on(tmp_path: Path) -> None:
    folder = copy_of_mini(tmp_path)
    app, notes = watched_app(folder), Notes()
    async with app.run_test(size=(100, 32), message_hook=notes) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pilot.press("2")
        await on_view(pilot, "feedback")  # about to press Enter to go on
        edit(folder, "campaign.yaml", "qualifies no one for sales.", "qualifies nobody for sales.")
        app.reload_if_changed()
        await wait_for(pilot, lambda: "qualifies nobody for sales" in screen_text(app))
        assert view_of(app) == "feedback"
        await pilot.press("enter")
        await on_view(pilot, "handoff")
        assert app.session is not None and app.session.state.scene == "brief"


async def test_a_choice_that_no_longer_replays_is_named_and_the_run_stops_before_it(tmp_path: Path) -> None:
    folder = copy_of_mini(tmp_path)
    app, notes = watched_app(folder), Notes()
    async with app.run_test(size=(100, 32), message_hook=notes) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pilot.press("1")
        await on_view(pilot, "feedback")
        await pilot.press("enter", "enter")  # the handoff card, then the first call
        await on_view(pilot, "scene")
        await pilot.press("1")  # use the case study
        await on_view(pilot, "feedback")  # about to press Enter to go on
        edit(folder, "campaign.yaml", "set: {case_study: true}", "set: {case_study: false}")
        app.reload_if_changed()
        await wait_for(pilot, lambda: "Campaign reloaded: your run replays only so far" in notes.text)
        assert (
            "Decision 2 in 'brief' ('Use the case study') is now locked: it needs case_study, and case_study is "
            "false here. 1 of your 2 decisions replay: you are at 'brief'."
        ) in notes.messages
        await on_view(pilot, "scene")
        assert "The first call" in screen_text(app)
        assert app.session is not None and app.session.state.turn == 1
        await pilot.press("enter")  # meant for the feedback: it must not pick a choice never seen
        await pilot.pause()
        assert app.session.state.turn == 1
        await pilot.press("1")  # the case study is locked now
        await pilot.pause()
        assert app.session.state.turn == 1 and "Choice 1 is locked" in notes.text


async def test_a_window_open_over_the_game_stays_open_through_a_reload(tmp_path: Path) -> None:
    folder = copy_of_mini(tmp_path)
    app, notes = watched_app(folder), Notes()
    async with app.run_test(size=(100, 32), message_hook=notes) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pilot.press("j")
        await on_screen(pilot, "JournalScreen")
        edit(folder, "campaign.yaml", "title: What does the segment crave?", "title: Who craves what?")
        app.reload_if_changed()
        await wait_for(pilot, lambda: "Campaign reloaded" in notes.text)
        await pilot.pause()
        assert screen_name(app) == "JournalScreen"
        await pilot.press("escape")
        await on_screen(pilot, "PlayScreen")
        await wait_for(pilot, lambda: "Who craves what?" in screen_text(app))


async def test_a_broken_edit_shows_where_it_is_and_fixing_it_resumes_the_replay(tmp_path: Path) -> None:
    folder = copy_of_mini(tmp_path)
    app, notes = watched_app(folder), Notes()
    async with app.run_test(size=(100, 32), message_hook=notes) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pilot.press("1")
        await on_view(pilot, "feedback")
        await pilot.press("enter")
        await on_view(pilot, "handoff")
        edit(folder, "campaign.yaml", "add: {intel: 2}", "add: {intel: 3")  # a flow mapping left open
        app.reload_if_changed()
        await wait_for(pilot, lambda: "still playing the last good version" in notes.text)
        assert "campaign.yaml:38:14: error[DQ001]: YAML syntax: line 38 opens a '{' that is never closed" in notes.text
        assert view_of(app) == "handoff" and "Marketing passed on 2 pieces of intel" in screen_text(app)
        edit(folder, "campaign.yaml", "add: {intel: 3", "add: {intel: 3}")
        app.reload_if_changed()
        await wait_for(pilot, lambda: "Marketing passed on 3 pieces of intel" in screen_text(app))
        assert view_of(app) == "handoff" and "now intel 3 (was 2)" in notes.text


async def test_the_debrief_is_made_again_from_the_edited_run(tmp_path: Path) -> None:
    folder = copy_of_mini(tmp_path)
    app, notes = watched_app(folder), Notes()
    async with app.run_test(size=(100, 32), message_hook=notes) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pilot.press("2")  # billboard
        await on_view(pilot, "feedback")
        await pilot.press("enter", "enter")
        await on_view(pilot, "scene")
        await pilot.press("2")  # wing it
        await on_view(pilot, "feedback")
        await pilot.press("enter")
        await on_view(pilot, "scene")
        await pilot.press("1")  # ask for the signature now: lost
        await on_view(pilot, "feedback")
        await pilot.press("enter")
        await on_screen(pilot, "DebriefScreen")
        edit(folder, "sales.yaml", "They chose a competitor.", "They chose the incumbent.")
        app.reload_if_changed()
        await wait_for(pilot, lambda: "They chose the incumbent." in screen_text(app))
        assert screen_name(app) == "DebriefScreen"


async def test_a_journal_open_through_a_reload_shows_the_edited_run(tmp_path: Path) -> None:
    # The journal was made when it opened: after an edit it went on showing the old feedback, as if
    # the edit had not reached the game, until the writer closed and opened it again.
    folder = copy_of_mini(tmp_path)
    app, notes = watched_app(folder), Notes()
    async with app.run_test(size=(100, 32), message_hook=notes) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pilot.press("2")
        await on_view(pilot, "feedback")
        await pilot.press("j")
        await on_screen(pilot, "JournalScreen")
        assert "qualifies no one for sales" in screen_text(app)
        edit(folder, "campaign.yaml", "qualifies no one for sales.", "qualifies nobody for sales.")
        app.reload_if_changed()
        await wait_for(pilot, lambda: "Campaign reloaded" in notes.text)
        await wait_for(pilot, lambda: "qualifies nobody for sales" in screen_text(app))
        assert screen_name(app) == "JournalScreen"
        assert "qualifies no one for sales" not in screen_text(app)
        await pilot.press("escape")
        await on_screen(pilot, "PlayScreen")
        assert view_of(app) == "feedback"
