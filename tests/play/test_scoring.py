"""The scoring rules as a specification: marks, verdicts, axis means and the grade (docs/AUTHORING.md,
"How scoring works")."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dealquest.play import engine
from dealquest.play.debrief import build, locked_by_earlier, odds_lines, turning_points
from dealquest.play.scoring import (
    DEFAULT_ADDRESSEE_MARKS,
    Tally,
    format_mark,
    marks,
    scorecard_of,
    value,
    verdict,
)
from dealquest.story.campaign import Campaign
from dealquest.story.model import Choice, Rubric, Scene

from ..conftest import MINI, campaign

RUBRIC: dict[str, Any] = {
    "marketer": {"push_share": 0.4, "aim": "Brief sales", "audience": "Segments"},
    "salesperson": {"push_share": 0.8, "aim": "Close", "audience": "One buyer"},
    "closing_ceiling": {"committee": 1},
    "grades": [{"min": 80, "grade": "A", "label": "Top"}, {"min": 0, "grade": "E", "label": "Low"}],
}


def rubric(**changes: Any) -> Rubric:
    return Rubric.model_validate({**RUBRIC, **changes})


def choice(**fields: Any) -> Choice:
    return Choice.model_validate({"text": "x", "goto": "end", "feedback": "y", "addresses": "one", **fields})


def scene(role: str = "salesperson", *choices: Choice, **fields: Any) -> Scene:
    return Scene.model_validate(
        {"id": "s", "role": role, "title": "t", "text": "x", "choices": list(choices) or [choice()], **fields}
    )


def test_research_is_no_technique_and_gets_no_push_pull_mark() -> None:
    c = choice(technique="none", addresses="segment", closing=1)
    m = marks(c, scene("marketer", c), rubric())
    assert (m.push_pull, m.audience, m.closing) == (None, 2.0, 1.0)
    assert value(m, rubric()) == 1.5  # the mean of the marks it has


def test_push_pull_mark_comes_from_the_choice_then_the_rubric_then_the_role_default() -> None:
    sales_pull = choice(technique="pull")
    assert marks(sales_pull, scene("salesperson", sales_pull), rubric()).push_pull == 0.0  # sales mostly push
    own = rubric(salesperson={**RUBRIC["salesperson"], "techniques": {"pull": 2}})
    assert marks(sales_pull, scene("salesperson", sales_pull), own).push_pull == 2.0
    demo = choice(technique="pull", push_pull=2)  # a demo the buyer asked for: pull, and right now
    assert marks(demo, scene("salesperson", demo), rubric()).push_pull == 2.0


def test_audience_is_who_is_addressed_not_how_well_the_message_fits() -> None:
    for role, table in DEFAULT_ADDRESSEE_MARKS.items():
        for who, mark in table.items():
            c = choice(addresses=who)
            assert marks(c, scene(role, c), rubric()).audience == mark
    assert DEFAULT_ADDRESSEE_MARKS["salesperson"]["one"] == 2  # sales talks to individuals
    assert DEFAULT_ADDRESSEE_MARKS["marketer"]["one"] == -2  # marketers do not call customers one by one
    assert DEFAULT_ADDRESSEE_MARKS["marketer"]["team"] == 2  # ...they brief their own sales team


def test_a_scene_can_declare_its_right_addressee_once() -> None:
    c = choice(addresses="committee")
    here = scene("salesperson", c, addressees={"committee": 2, "one": -1})
    assert marks(c, here, rubric()).audience == 2.0


def test_hard_pressure_on_a_committee_backfires_and_condemned_pressure_never_scores_above_zero() -> None:
    hard = choice(addresses="committee", closing=2)
    assert marks(hard, scene("salesperson", hard), rubric()).closing == -1.0  # 1 over the ceiling, backfire 2
    urgency = choice(closing=2, pressure=True)  # "a £500 deposit by Friday"
    m = marks(urgency, scene("salesperson", urgency), rubric())
    assert m.closing == 0.0
    v = verdict(m, value(m, rubric()), rubric(), pressure=True)
    assert not v.good and "pressure" in v.why


def test_a_choice_with_any_mark_at_minus_one_is_never_called_good() -> None:
    c = choice(technique="push", addresses="one", closing=-1)  # +1, +2, -1: a mean of +0.67
    m = marks(c, scene("salesperson", c), rubric())
    assert value(m, rubric()) == pytest.approx(0.6667)
    v = verdict(m, value(m, rubric()), rubric())
    assert (v.label, v.good) == ("Middling choice", False)
    assert "closing marked -1" in v.why


def test_a_breach_of_conduct_is_the_lowest_verdict_and_says_why() -> None:
    bribe = choice(technique="push", closing=2, breach="a finder's fee to the buyer's assistant")
    m = marks(bribe, scene("salesperson", bribe), rubric())
    assert (m.push_pull, m.audience, m.closing) == (-2.0, -2.0, -2.0)
    v = verdict(m, value(m, rubric()), rubric(), breach=bribe.breach)
    assert (v.label, v.good, v.why) == ("Breach of conduct", False, "a finder's fee to the buyer's assistant")


def test_the_verdict_bands_and_the_cap_live_in_the_rubric() -> None:
    strict = rubric(cap_below=0, verdicts=[{"min": 1, "label": "Fine", "good": True}, {"min": -2, "label": "Not"}])
    c = choice(technique="push", closing=0)  # +1, +2, 0
    m = marks(c, scene("salesperson", c), strict)
    assert verdict(m, value(m, strict), strict).label == "Not"  # a zero mark is at the stricter cap


@pytest.mark.parametrize(
    ("x", "shown"), [(0.0, "0"), (-0.0001, "0"), (-0.04, "0"), (2, "+2"), (1.33, "+1.3"), (-0.67, "-0.7"), (None, "–")]
)
def test_every_figure_is_shown_on_one_scale_and_never_as_minus_zero(x: float | None, shown: str) -> None:
    assert format_mark(x) == shown


marks_strategy = st.lists(
    st.tuples(
        st.sampled_from(["push", "pull", "blend", "none"]),
        st.integers(-2, 2),
        st.integers(-2, 2),
        st.integers(-2, 2),
    ),
    min_size=1,
    max_size=30,
)


@given(marks_strategy)
def test_an_axis_score_is_the_mean_of_its_marks_and_moves_toward_each_new_mark(moves: list[Any]) -> None:
    r = rubric()
    t = Tally()
    for technique, pp, aud, clo in moves:
        pp_mark = None if technique == "none" else float(pp)
        before = scorecard_of({"marketer": Tally(), "salesperson": t}, r).roles["salesperson"].axes
        t = t.add(technique, pp_mark, float(aud), float(clo))
        after = scorecard_of({"marketer": Tally(), "salesperson": t}, r).roles["salesperson"].axes
        for axis, mark in (("push_pull", pp_mark), ("audience", aud), ("closing", clo)):
            if mark is None:
                assert after[axis] == before[axis]  # not marked: the gauge does not move
            elif before[axis] is not None:
                low, high = sorted((before[axis], float(mark)))
                assert low - 1e-9 <= after[axis] <= high + 1e-9  # never away from what the choice got
    pps = [float(pp) for tech, pp, _, _ in moves if tech != "none"]
    card = scorecard_of({"marketer": Tally(), "salesperson": t}, r).roles["salesperson"]
    assert card.axes["push_pull"] == (pytest.approx(sum(pps) / len(pps)) if pps else None)
    assert card.axes["closing"] == pytest.approx(sum(c for *_, c in moves) / len(moves))


def test_best_decisions_with_bad_luck_get_the_best_grade_and_are_told_so() -> None:
    mini = campaign()
    runs = [engine.replay(mini, seed, [0, 0, 1]) for seed in range(60)]
    won = next(r for r in runs if r.scene == "won")
    lost = next(r for r in runs if r.scene == "lost")
    best = max(engine.score(mini, engine.replay(mini, 1, p)).percent for p in ([0, 0, 1], [0, 0, 0], [1, 1, 1]))
    assert engine.score(mini, lost).percent == engine.score(mini, won).percent == best
    last = build(mini, lost).reviews[-1]
    lines = odds_lines(last.chance, last.good)
    assert lines[0] == "The odds: the CFO signs 80%, a rival undercuts you 20%; this time: a rival undercuts you."
    assert "Your earlier choice (decision 1) raised the odds of “the CFO signs” from 50% to 80%." in lines
    assert any(line.startswith("Good play, bad luck: this turn had a 80% chance of going your way") for line in lines)


def test_why_this_ending_names_a_decision_that_changes_the_endings_chance() -> None:
    mini = campaign()
    state = engine.replay(mini, 7, [1, 1, 0])  # billboard, wing it, ask for the signature now: lost
    assert state.scene == "lost"
    report = build(mini, state)
    named = {tp.number: tp for tp in report.turning_points}
    assert 3 in named  # asking a committee to sign now loses for certain; the pilot wins half the time
    tp = named[3]
    assert tp.made == 1.0 and tp.instead == pytest.approx(0.5)
    # Check it against the engine itself: with the pilot at decision 3, "lost" has a chance of 1/2.
    before = engine.replay(mini, 7, [1, 1])
    lost = sum(p for p, step in engine.outcomes(mini, before, 1) if step.state.scene == "lost")
    assert lost == pytest.approx(tp.instead)
    assert report.weakest is not None and report.weakest.number == 1  # the billboard, -0.33


def test_a_locked_option_is_tied_to_the_earlier_choice_that_locked_it() -> None:
    mini = campaign()
    state = engine.replay(mini, 7, [1, 1, 0])
    points = turning_points(mini, state, build(mini, state).reviews)
    sentences = " ".join(" ".join(tp.locked) for tp in points)
    assert "“Use the case study” was locked (Needs a case study from marketing)" in sentences
    assert "at decision 1 you chose “Buy a billboard”; “Interview ten customers” would have opened it" in sentences


def test_lesson_labels_are_shares_in_honest_words() -> None:
    mini = campaign()
    report = build(mini, engine.replay(mini, 7, [1, 1, 0]))
    sentences = [r.sentence for r in report.lessons]
    assert all(" of " in s or "not met" in s for s in sentences)
    assert not any("handled well" in s for s in sentences if s.split(": ")[1].startswith("0 of"))


def _mini_edited(tmp_path: Path, file: str, old: str, new: str) -> Campaign:
    """A copy of the mini campaign with the first `old` in `file` replaced by `new`, loaded."""
    shutil.copytree(MINI, tmp_path / "mini")
    path = tmp_path / "mini" / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return campaign(tmp_path / "mini")


def test_an_earlier_option_that_would_also_have_locked_it_is_not_named_as_the_opener(tmp_path: Path) -> None:
    # "Use the case study" now needs the case study AND little intel: interviewing gives both the
    # case study and two pieces of intel, so it would have kept the option locked too.
    mini = _mini_edited(
        tmp_path,
        "sales.yaml",
        "requires: {flag: case_study}",
        "requires: {all: [{flag: case_study}, {not: {var: intel, gte: 2}}]}",
    )
    state = engine.replay(mini, 7, [1, 1, 0])  # billboard, wing it, ask now
    sentences = locked_by_earlier(mini, state, build(mini, state).reviews, 2)
    assert sentences == ["“Use the case study” was locked (Needs a case study from marketing)."]


@given(marks_strategy, marks_strategy, st.sampled_from([87, 86.5, 80, 66.7]))
def test_the_grade_is_the_band_of_the_percentage_shown(
    sales_moves: list[Any], marketing_moves: list[Any], a_from: float
) -> None:
    # A grade next to its figure must agree with it: "B (87%)" under "A from 87%" was shown before.
    r = rubric(grades=[{"min": a_from, "grade": "A", "label": "Top"}, {"min": 0, "grade": "B", "label": "Rest"}])
    tallies = {"marketer": Tally(), "salesperson": Tally()}
    for role, moves in (("salesperson", sales_moves), ("marketer", marketing_moves)):
        for technique, pp, aud, clo in moves:
            tallies[role] = tallies[role].add(technique, None if technique == "none" else float(pp), aud, clo)
    card = scorecard_of(tallies, r)  # type: ignore[arg-type]
    shown = float(f"{card.percent:.0f}")
    assert card.grade == ("A" if shown >= a_from else "B"), f"{card.grade} ({card.percent:.0f}%)"


def test_a_verdict_is_the_band_of_the_value_shown() -> None:
    # 0.47 is shown as +0.5, where "Good choice" begins.
    assert format_mark(0.47) == "+0.5"
    c = choice(technique="push", audience=1, closing=0)
    assert verdict(marks(c, scene("salesperson", c), rubric()), 0.47, rubric()).label == "Good choice"
    assert verdict(marks(c, scene("salesperson", c), rubric()), 0.44, rubric()).label == "Middling choice"


def test_a_run_shown_as_87_percent_gets_the_band_that_starts_at_87() -> None:
    r = rubric(grades=[{"min": 87, "grade": "A", "label": "Top"}, {"min": 0, "grade": "B", "label": "Rest"}])
    tallies = {
        "marketer": Tally(2, 3, 2, 10.0, 7, 9.0, 8, 6.0, 8),
        "salesperson": Tally(1, 0, 1, 3.0, 2, 4.0, 2, 4.0, 2),
    }
    card = scorecard_of(tallies, r)  # type: ignore[arg-type]
    assert (card.grade, f"{card.percent:.0f}%") == ("A", "87%")  # was B, at 86.68


def test_a_breach_is_never_named_as_what_would_have_opened_a_better_option(tmp_path: Path) -> None:
    # Bistro's debrief told a player who stayed honest that the lie "I've another firm interested"
    # would have opened "Tell her the truth". A better option only a breach opens was never the
    # honest player's to miss: it is not listed at all.
    mini = _mini_edited(
        tmp_path,
        "campaign.yaml",
        "      - text: Interview ten customers\n",
        "      - text: Interview ten customers\n        breach: Reading ten customers' private files.\n",
    )
    assert mini.scenes["research"].choices[0].breach
    state = engine.replay(mini, 7, [1, 1, 0])  # billboard, wing it, ask now
    assert locked_by_earlier(mini, state, build(mini, state).reviews, 2) == []
    said = " ".join(" ".join(tp.locked) for tp in turning_points(mini, state, build(mini, state).reviews))
    assert "Interview ten customers" not in said
