"""The engine as a specification: seeded replays, conditions, effects, chance, deadlines, scores."""

from __future__ import annotations

from pathlib import Path

import pytest

from dealquest.play import engine
from dealquest.play.engine import EngineError, GameState
from dealquest.story.campaign import Campaign
from dealquest.story.loader import load_campaign

from ..conftest import MINI


@pytest.fixture(scope="module")
def mini() -> Campaign:
    result = load_campaign(MINI)
    assert result.campaign is not None
    return result.campaign


def play(campaign: Campaign, picks: list[int], seed: int = 7) -> GameState:
    return engine.replay(campaign, seed, picks)


def test_same_seed_and_choices_give_the_same_run(mini: Campaign) -> None:
    endings = {play(mini, [0, 0, 1], seed).scene for seed in range(40)}
    assert endings == {"won", "lost"}  # the pilot is a gamble...
    for seed in range(40):
        assert play(mini, [0, 0, 1], seed) == play(mini, [0, 0, 1], seed)  # ...that a seed replays


def test_marketing_intel_improves_the_odds_of_the_pilot(mini: Campaign) -> None:
    with_intel = sum(play(mini, [0, 0, 1], s).scene == "won" for s in range(400))
    without = sum(play(mini, [1, 1, 1], s).scene == "won" for s in range(400))
    # weights: 4:1 with intel >= 2, 1:1 without
    assert 280 < with_intel < 360
    assert 160 < without < 240


def test_a_locked_choice_is_shown_with_its_hint_and_cannot_be_taken(mini: Campaign) -> None:
    state = play(mini, [1])  # billboard: no case study
    views = engine.choices(mini, state)
    assert [(v.text, v.available, v.locked) for v in views] == [
        ("Use the case study", False, "Needs a case study from marketing"),
        ("Wing it", True, None),
    ]
    with pytest.raises(EngineError, match="not available"):
        engine.choose(mini, state, 0)


def test_effects_set_add_and_clamp_to_the_declared_range(mini: Campaign) -> None:
    state = play(mini, [0])
    assert state.vars == {"intel": 2, "case_study": True, "days_left": 10}
    state = play(mini, [1, 1])  # wing it costs five days
    assert state.vars["days_left"] == 5


def test_a_deadline_fires_once_when_the_clock_runs_out(mini: Campaign) -> None:
    state = play(mini, [1, 1])
    step = engine.choose(mini, state, 2)  # waiting burns ten days: clamped to 0
    assert step.state.vars["days_left"] == 0
    assert step.state.scene == "slipped"
    assert step.state.fired == ("clock_runs_out",)
    assert step.narration == ("The quarter closed without a signature.",)
    assert step.state.ended


def test_text_shows_state_values(mini: Campaign) -> None:
    state = play(mini, [0])
    scene = engine.current(mini, state)
    assert engine.text(state, scene.handoff) == "Marketing passed on 2 pieces of intel."


def test_hard_closing_a_committee_backfires(mini: Campaign) -> None:
    step = engine.choose(mini, play(mini, [0, 0]), 0)
    assert step.decision.closing == -1.0  # pressure 2 against a ceiling of 1, backfire 2


def test_score_totals_and_grade_on_a_scripted_path(mini: Campaign) -> None:
    state = play(mini, [0, 0, 1], seed=1)
    assert state.scene == "won"
    card = engine.score(mini, state)
    m, s = card.roles["marketer"], card.roles["salesperson"]
    # research is no technique: counted nowhere, and no push/pull mark
    assert (m.push, m.pull, m.blend, s.push, s.pull, s.blend) == (0, 0, 0, 1, 0, 1)
    assert m.axes == {"push_pull": None, "audience": 2.0, "closing": 1.0}
    assert s.axes == {"push_pull": 1.0, "audience": 2.0, "closing": 1.0}
    # the mean of the five axis scores, (2 + 1 + 1 + 2 + 1) / 5 = 1.4 on -2..+2, is 85%
    assert card.percent == pytest.approx(85.0)
    assert (card.grade, card.label) == ("A", "Rainmaker")
    assert card.outcome == "success"
    assert not any("Outcome" in r for r in card.reasons)  # beside the grade, never inside it


def test_the_grade_judges_decisions_not_the_dice(mini: Campaign) -> None:
    won = next(play(mini, [0, 0, 1], s) for s in range(50) if play(mini, [0, 0, 1], s).scene == "won")
    lost = next(play(mini, [0, 0, 1], s) for s in range(50) if play(mini, [0, 0, 1], s).scene == "lost")
    a, b = engine.score(mini, won), engine.score(mini, lost)
    assert (a.outcome, b.outcome) == ("success", "failure")
    assert (a.percent, a.grade) == (b.percent, b.grade)


def test_worst_path_grades_lowest(mini: Campaign) -> None:
    grades = {}
    for picks in ([a, b, c] for a in (0, 1) for b in (0, 1) for c in (0, 1)):
        try:
            grades[tuple(picks)] = engine.score(mini, play(mini, picks)).percent
        except EngineError:  # the case study is locked after the billboard
            continue
    assert min(grades, key=lambda k: grades[k]) == (1, 1, 0)
    assert max(grades, key=lambda k: grades[k]) == (0, 0, 1)


def test_the_step_carries_the_choices_own_marks(mini: Campaign) -> None:
    step = engine.choose(mini, engine.new_game(mini, 3), 0)
    assert step.marks == {"push_pull": None, "audience": 2.0, "closing": 1.0}
    assert (step.decision.verdict, step.decision.good) == ("Strong choice", True)
    assert step.role_switched
    assert step.feedback.startswith("Listening to the segment")


def test_a_chance_choice_shows_the_odds_and_which_earlier_choice_raised_them(mini: Campaign) -> None:
    state = play(mini, [0, 0], seed=1)
    step = engine.choose(mini, state, 1)
    assert step.chance is not None
    assert [p for _, p in step.chance.branches] == [pytest.approx(0.8), pytest.approx(0.2)]
    assert step.chance.base == (pytest.approx(0.5), pytest.approx(0.5))
    assert step.chance.hoped == 0  # "a rival undercuts you" is marked bad luck
    assert step.chance.raised_by == (1,)  # the interviews gave the intel the bonus asks for
    assert step.decision.odds == pytest.approx(step.chance.odds)


def test_state_round_trips_through_json(mini: Campaign) -> None:
    state = play(mini, [0, 0, 1], seed=5)
    again = GameState.model_validate_json(state.model_dump_json())
    assert again == state
    assert engine.check_fits(mini, again) is None


def test_undo_returns_to_the_state_before_the_last_choice(mini: Campaign) -> None:
    start = engine.new_game(mini, 9)
    one = engine.choose(mini, start, 0).state
    two = engine.choose(mini, one, 0).state
    assert engine.undo(mini, two) == one
    assert engine.undo(mini, engine.undo(mini, two)) == start
    assert engine.undo(mini, start) == start


def test_a_save_that_no_longer_fits_says_why(mini: Campaign, tmp_path: Path) -> None:
    state = play(mini, [0, 0])
    other = state.model_copy(update={"campaign": "launch"})
    assert "not 'mini'" in (engine.check_fits(mini, other) or "")
    gone = state.model_copy(update={"scene": "deleted_scene"})
    assert "no longer exists" in (engine.check_fits(mini, gone) or "")


def test_choosing_after_the_end_is_refused(mini: Campaign) -> None:
    with pytest.raises(EngineError, match="ended"):
        engine.choose(mini, play(mini, [1, 1, 0]), 0)
    with pytest.raises(EngineError, match="no choice 4"):
        engine.choose(mini, engine.new_game(mini, 1), 3)


def test_odds_before_show_beside_the_choice_as_they_stand_now(mini_copy: Path) -> None:
    sales = mini_copy / "sales.yaml"
    sales.write_text(
        sales.read_text().replace(
            "        addresses: committee\n        feedback: A pilot",
            "        addresses: committee\n        odds: before\n        feedback: A pilot",
            1,
        )
    )
    result = load_campaign(mini_copy)
    assert result.campaign is not None, result.diagnostics
    camp = result.campaign
    with_intel, without = play(camp, [0, 0]), play(camp, [1, 1])
    pilot = next(v for v in engine.choices(camp, with_intel) if v.text.startswith("Propose a pilot"))
    assert pilot.odds == (("the CFO signs", pytest.approx(0.8)), ("a rival undercuts you", pytest.approx(0.2)))
    pilot = next(v for v in engine.choices(camp, without) if v.text.startswith("Propose a pilot"))
    assert pilot.odds == (("the CFO signs", pytest.approx(0.5)), ("a rival undercuts you", pytest.approx(0.5)))
    other = [v for v in engine.choices(camp, without) if not v.text.startswith("Propose a pilot")]
    assert all(v.odds is None for v in other)
