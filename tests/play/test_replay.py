"""A run replayed on an edited campaign (`play --watch`): the whole path, from the seed, as Inky does."""

from __future__ import annotations

from pathlib import Path

from dealquest.play import engine
from dealquest.play.replay import replay_run

from ..conftest import WINNING_SEED, campaign

INTERVIEW, BILLBOARD = 0, 1  # research
CASE_STUDY, WING_IT = 0, 1  # brief
SIGN_NOW, PILOT, WAIT = 0, 1, 2  # pitch


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text()
    assert old in text, f"{old!r} is not in {name}"
    path.write_text(text.replace(old, new, 1))


def test_an_edited_effect_of_an_earlier_choice_is_applied_where_the_player_is(mini_copy: Path) -> None:
    old = campaign(mini_copy)
    state = engine.replay(old, 3, [INTERVIEW, CASE_STUDY])  # at pitch, intel 2
    edit(mini_copy, "campaign.yaml", "add: {intel: 2}", "add: {intel: 3}")
    replay = replay_run(old, state, campaign(mini_copy))
    assert replay.complete and replay.replayed == replay.recorded == 2
    assert replay.state.scene == "pitch" and replay.state.vars["intel"] == 3
    assert replay.message == "Reloaded: your 2 decisions replay; now intel 3 (was 2)."


def test_an_unchanged_path_replays_as_before(mini_copy: Path) -> None:
    old = campaign(mini_copy)
    state = engine.replay(old, 3, [INTERVIEW])
    edit(mini_copy, "sales.yaml", "The buyer picks up.", "The buyer picks up on the fourth ring.")
    replay = replay_run(old, state, campaign(mini_copy))
    assert replay.complete and replay.state == state.model_copy(update={"version": replay.state.version})
    assert replay.message == "Reloaded: your decision replays as before."


def test_a_removed_option_stops_the_replay_just_before_it_and_says_which(mini_copy: Path) -> None:
    old = campaign(mini_copy)
    state = engine.replay(old, WINNING_SEED, [INTERVIEW, CASE_STUDY, PILOT])  # won
    sales = mini_copy / "sales.yaml"
    text = sales.read_text()
    start, end = text.index("      - text: Propose a pilot"), text.index("      - text: Wait for them")
    sales.write_text(text[:start] + text[end:])  # the pilot is gone; 'Wait' takes its place
    replay = replay_run(old, state, campaign(mini_copy))
    assert replay.state.scene == "pitch" and replay.state.turn == 2 and not replay.complete
    assert replay.message == (
        "Decision 3 in 'pitch' ('Propose a pilot with a decision date') no longer exists. "
        "2 of your 3 decisions replay: you are at 'pitch'."
    )


def test_an_option_whose_text_was_edited_in_place_still_replays(mini_copy: Path) -> None:
    old = campaign(mini_copy)
    state = engine.replay(old, WINNING_SEED, [INTERVIEW, CASE_STUDY, PILOT])
    edit(mini_copy, "sales.yaml", "Propose a pilot with a decision date", "Offer a pilot with a decision date")
    replay = replay_run(old, state, campaign(mini_copy))
    assert replay.complete and replay.state.scene == "won" and replay.state.ended


def test_reordered_options_replay_by_their_text(mini_copy: Path) -> None:
    old = campaign(mini_copy)
    state = engine.replay(old, 3, [INTERVIEW, WING_IT])
    sales = mini_copy / "sales.yaml"
    text = sales.read_text()
    start, middle = text.index("      - text: Use the case study"), text.index("      - text: Wing it")
    end = text.index("  - id: pitch")
    sales.write_text(text[:start] + text[middle:end] + text[start:middle] + text[end:])
    replay = replay_run(old, state, campaign(mini_copy))
    assert replay.complete and replay.state.decisions[1].choice == 0  # Wing it is first now
    assert replay.state.vars == state.vars


def test_an_option_that_is_locked_now_says_what_it_needs_and_the_value_here(mini_copy: Path) -> None:
    old = campaign(mini_copy)
    state = engine.replay(old, WINNING_SEED, [INTERVIEW, CASE_STUDY, PILOT])
    edit(mini_copy, "campaign.yaml", "set: {case_study: true}", "set: {case_study: false}")
    replay = replay_run(old, state, campaign(mini_copy))
    assert replay.state.scene == "brief" and replay.replayed == 1
    assert replay.message == (
        "Decision 2 in 'brief' ('Use the case study') is now locked: it needs case_study, and case_study is "
        "false here. 1 of your 3 decisions replay: you are at 'brief'."
    )


def test_a_changed_chance_branch_moves_the_player_with_the_same_roll(mini_copy: Path) -> None:
    old = campaign(mini_copy)
    state = engine.replay(old, WINNING_SEED, [INTERVIEW, CASE_STUDY, PILOT])
    assert state.scene == "won"
    edit(mini_copy, "sales.yaml", "{goto: won, weight: 1", "{goto: slipped, weight: 1")
    replay = replay_run(old, state, campaign(mini_copy))
    assert replay.state.scene == "slipped" and replay.replayed == 3 and not replay.complete
    assert replay.message == (
        "Decision 3 in 'pitch' ('Propose a pilot with a decision date') now leads to 'slipped' instead of "
        "'won' (the same roll of the dice on the edited branches). 3 of your 3 decisions replay: "
        "you are at 'slipped'."
    )


def test_a_chance_choice_keeps_its_roll_when_its_branches_are_unchanged(mini_copy: Path) -> None:
    old = campaign(mini_copy)
    for seed in range(1, 30):  # whichever way the dice fell, the replay lands the same way
        state = engine.replay(old, seed, [INTERVIEW, CASE_STUDY, PILOT])
        edit(mini_copy, "sales.yaml", "Five people around the table", f"Five people around the table ({seed})")
        new = campaign(mini_copy)
        replay = replay_run(old, state, new)
        assert replay.complete and replay.state.scene == state.scene, seed
        old = new


def test_a_deadline_that_fires_now_is_named(mini_copy: Path) -> None:
    old = campaign(mini_copy)
    state = engine.replay(old, 3, [BILLBOARD, WING_IT, WAIT])  # days 10 -> 5 -> 0: the deadline fires
    assert state.scene == "slipped"
    edit(mini_copy, "sales.yaml", "add: {days_left: -5}", "add: {days_left: -10}")
    replay = replay_run(old, state, campaign(mini_copy))
    assert replay.replayed == 2 and replay.state.scene == "slipped"
    assert "Decision 2 in 'brief' ('Wing it') now leads to 'slipped' instead of 'pitch'" in replay.message
    assert "(the deadline 'clock_runs_out' fires now)" in replay.message


def test_a_new_start_scene_starts_the_run_again(mini_copy: Path) -> None:
    old = campaign(mini_copy)
    state = engine.replay(old, 3, [INTERVIEW])
    edit(mini_copy, "campaign.yaml", "start: research", "start: brief")
    replay = replay_run(old, state, campaign(mini_copy))
    assert replay.state.scene == "brief" and replay.state.turn == 0
    assert replay.message == (
        "The campaign now starts at 'brief', not 'research'. The run starts again: you are at 'brief'."
    )
