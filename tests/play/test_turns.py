"""Between two scenes: the handoff card a choice leads to, and where "try another path" rewinds to."""

from __future__ import annotations

from dealquest.play import engine
from dealquest.play.turns import Handoff, another_path, handoff_after

from ..conftest import WINNING_SEED, campaign


def test_a_choice_that_hands_the_deal_over_leads_to_the_card_with_the_storys_message() -> None:
    mini = campaign()
    step = engine.choose(mini, engine.new_game(mini, WINNING_SEED), 0)  # marketing's research, then sales
    assert step.role_switched
    assert handoff_after(mini, step) == Handoff("salesperson", "Marketing passed on 2 pieces of intel.")


def test_no_card_when_the_role_stays_or_the_run_ends() -> None:
    mini = campaign()
    start = engine.replay(mini, WINNING_SEED, [0])
    same_role = engine.choose(mini, start, 0)  # the salesperson's first call, then their committee
    assert not same_role.role_switched and handoff_after(mini, same_role) is None
    ending = engine.choose(mini, same_role.state, 1)
    assert ending.state.ended and handoff_after(mini, ending) is None


def test_another_path_goes_back_to_just_before_the_weakest_decision() -> None:
    mini = campaign()
    run = engine.replay(mini, WINNING_SEED, [0, 1])  # the second choice: weak, and a better one was missed
    rewind = another_path(mini, run)
    assert rewind is not None
    assert rewind.review.number == 2 and rewind.review.scene_title == "The first call"
    assert rewind.state == engine.replay(mini, WINNING_SEED, [0])


def test_a_missed_better_option_counts_against_a_decision() -> None:
    mini = campaign()
    run = engine.replay(mini, WINNING_SEED, [0, 0, 0])  # the last is worth 0.07 where 1.27 was on offer
    rewind = another_path(mini, run)
    assert rewind is not None and rewind.review.number == 3
    assert rewind.state == engine.replay(mini, WINNING_SEED, [0, 0])


def test_on_a_tie_the_earliest_decision_is_taken_again() -> None:
    mini = campaign()
    run = engine.replay(mini, WINNING_SEED, [0, 0, 1])  # decisions 2 and 3 are worth +1.33 each, none missed
    rewind = another_path(mini, run)
    assert rewind is not None and rewind.review.number == 2
    assert rewind.state == engine.replay(mini, WINNING_SEED, [0])


def test_nothing_to_rewind_before_the_first_decision() -> None:
    mini = campaign()
    assert another_path(mini, engine.new_game(mini, WINNING_SEED)) is None
