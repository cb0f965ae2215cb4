"""The debrief report: every figure is the engine's, the missed option is the best one on offer."""

from __future__ import annotations

from dealquest.play import engine
from dealquest.play.debrief import build, reviews

from ..conftest import campaign


def test_each_decision_is_reviewed_with_the_engines_figures() -> None:
    mini = campaign()
    state = engine.replay(mini, 7, [1, 1, 0])
    done = reviews(mini, state)
    assert [r.decision for r in done] == list(state.decisions)
    assert [r.choice_text for r in done] == ["Buy a billboard", "Wing it", "Ask for the signature now"]
    assert done[1].handoff == "Marketing passed on 0 pieces of intel."


def test_the_better_option_missed_is_the_highest_value_available_choice() -> None:
    mini = campaign()
    done = reviews(mini, engine.replay(mini, 7, [1, 1, 0]))
    assert done[0].best is not None and done[0].best.text == "Interview ten customers"
    # "Use the case study" was locked after the billboard: the missed option is not a locked one.
    assert done[1].best is None
    assert done[2].best is not None and done[2].best.text == "Propose a pilot with a decision date"
    assert done[2].missed >= 1  # +1.33 against +0.33


def test_best_and_worst_decisions_and_lessons() -> None:
    mini = campaign()
    state = engine.replay(mini, 7, [0, 0, 1])
    report = build(mini, state)
    assert report.ending is not None and report.ending.id == "won"
    assert report.scorecard == engine.score(mini, state)
    assert [r.number for r in report.best] == [1, 2, 3]  # the interviews are +1.5, the others +1.33
    assert report.worst == []
    handled = {r.lesson for r in report.handled_well}
    assert {"aims", "audience", "facilitation"} <= handled
    assert {r.lesson: r.verdict for r in report.lessons}["horizon"] == "not met on this path"


def test_history_tracks_each_axis_after_every_decision() -> None:
    mini = campaign()
    state = engine.replay(mini, 7, [0, 0, 1])
    report = build(mini, state)
    assert all(len(series) == 3 for series in report.history.values())
    final = engine.score(mini, state)
    for axis, series in report.history.items():
        values = [v for v in (final.axis("marketer", axis), final.axis("salesperson", axis)) if v is not None]
        assert abs(series[-1] - sum(values) / len(values)) < 1e-9
