"""Authoring tools read story texts as the player sees them where a run gives them a state."""

from __future__ import annotations

from dealquest.authoring.playtest import build_report
from dealquest.authoring.storytests import run_story_tests
from dealquest.story.library import stats, word_count

from ..conftest import FIXTURES, campaign

STATEFUL = FIXTURES / "stateful"


def test_a_story_test_names_a_choice_by_the_text_shown() -> None:
    results, diagnostics = run_story_tests(campaign(STATEFUL), "stateful")
    assert diagnostics == []
    assert [(r.name, r.passed, r.message) for r in results] == [
        ("the prepared line opens with the case study", True, "")
    ]


def test_playtest_paths_show_the_choice_texts_of_their_line() -> None:
    report = build_report(campaign(STATEFUL), "stateful", runs=50, seed=1, exhaustive=True)
    best = [step["text"] for step in report["exhaustive"]["best"]["path"]]
    worst = [step["text"] for step in report["exhaustive"]["worst"]["path"]]
    assert best == ["Interview ten customers", "Open with the case study"]
    assert worst == ["Buy a billboard", "Wing it"]


def test_word_counts_count_every_alternative() -> None:
    assert word_count("{case_study: Open|Start} with the case study") == 6
    assert word_count("You have {plural intel: piece|pieces}.") == 4
    assert word_count("Quarter {quarter}.") == 2  # a shown variable counts as one word, as before
    assert stats(campaign(STATEFUL), STATEFUL).words == 175  # counted apart: every branch, no condition
