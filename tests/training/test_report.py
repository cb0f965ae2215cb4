"""The cohort report: its figures are the engine's, in text, Markdown and HTML, with AAR questions."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from dealquest.play import debrief, engine
from dealquest.story.model import AXES, ROLES
from dealquest.training.aar import PHASES
from dealquest.training.cohort import build_cohort, find_campaign
from dealquest.training.report import render
from dealquest.training.store import Store

from .conftest import mini, play

RUNS = {  # trainee: (seed, engine choice indices, mode)
    "Ana": (7, [0, 0, 1], "assessment"),  # won
    "Bo": (3, [1, 1, 0], "practice"),  # lost
    "Cy": (7, [0, 0, 0], "practice"),  # lost, after the case study
}


@pytest.fixture
def recorded(store: Store) -> Store:
    for trainee, (seed, picks, mode) in RUNS.items():
        play(store, trainee, picks, seed=seed, mode=mode)  # type: ignore[arg-type]
    play(store, "Bo", [0, 0, 1], seed=7)  # Bo's second, better attempt
    play(store, "Dee", [])  # signed in, no choice yet
    return store


def states() -> dict[str, engine.GameState]:
    return {t: engine.replay(mini(), seed, picks) for t, (seed, picks, _) in RUNS.items()}


def test_each_trainees_figures_are_the_engines(recorded: Store) -> None:
    cohort = build_cohort(recorded.runs(), mini())
    counted = {t.trainee: t.counted for t in cohort.trainees}
    assert counted["Dee"] is None
    for trainee, state in states().items():
        run = counted[trainee]
        assert run is not None
        card = engine.score(mini(), state)
        assert (run.percent, run.grade) == (card.percent, card.grade)
        assert run.totals == {role: dict(card.roles[role].axes) for role in ROLES}


def test_in_a_time_boxed_session_the_run_that_got_furthest_counts(store: Store) -> None:
    play(store, "Eve", [0])
    play(store, "Eve", [1, 1], seed=3)
    cohort = build_cohort(store.runs(), mini())
    [eve] = cohort.trainees
    assert eve.counted is not None and len(eve.counted.decisions) == 2 and not eve.counted.finished
    assert any("No ending reached yet" in note and "Eve" in note for note in cohort.notes)
    assert "unfinished, 2 choices" in render([cohort], "text")


def test_averages_are_the_means_of_the_engines_scores(recorded: Store) -> None:
    cohort = build_cohort(recorded.runs(), mini())
    cards = [engine.score(mini(), s) for s in states().values()]
    for role in ROLES:
        for axis in AXES:
            values = [v for c in cards if (v := c.roles[role].axes[axis]) is not None]
            assert cohort.averages[role][axis] == pytest.approx(sum(values) / len(values))
    assert cohort.percent == pytest.approx(sum(c.percent for c in cards) / len(cards))


def test_first_and_best_attempt_and_the_run_that_counts(recorded: Store) -> None:
    bo = next(t for t in build_cohort(recorded.runs(), mini()).trainees if t.trainee == "Bo")
    assert bo.first is not None and bo.best is not None and bo.counted is bo.first
    assert bo.first.ending == "lost" and bo.best.ending == "won" and bo.finished == 2


def test_missed_choices_and_lessons_are_the_debriefs(recorded: Store) -> None:
    cohort = build_cohort(recorded.runs(), mini())
    missed_by_debrief: dict[tuple[str, str], int] = {}
    for state in states().values():
        for review in debrief.reviews(mini(), state):
            if review.best is not None:
                key = (review.decision.scene, review.best.text)
                missed_by_debrief[key] = missed_by_debrief.get(key, 0) + 1
    assert {(m.scene, m.best_text): m.missed_by for m in cohort.missed} == missed_by_debrief
    for coverage in cohort.lessons:
        verdicts = [
            next(r for r in debrief.build(mini(), s).lessons if r.lesson == coverage.lesson).verdict
            for s in states().values()
        ]
        assert coverage.handled_well == verdicts.count("handled well")
        assert coverage.missed == verdicts.count("missed")
        assert coverage.not_met == verdicts.count("not met on this path")


def test_option_counts_at_the_decisions_that_mattered(recorded: Store) -> None:
    cohort = build_cohort(recorded.runs(), mini())
    pitch = next(s for s in cohort.splits if s.scene == "pitch")
    picked = {o.text: o.picked_by for o in pitch.options}
    assert picked == {
        "Ask for the signature now": 2,
        "Propose a pilot with a decision date": 1,
        "Wait for them to call back": 0,  # nobody picked it; the campaign adds it
    }
    assert pitch.reached == 3
    assert pitch.best is not None and pitch.best.text == "Propose a pilot with a decision date"
    research = next(s for s in cohort.splits if s.scene == "research")
    assert {o.index: o.value for o in research.options} == {
        i: debrief.option_value(mini(), mini().scenes["research"], i) for i in (0, 1)
    }


def test_the_text_report_shows_grades_averages_charts_and_the_aar_in_order(recorded: Store) -> None:
    text = render([build_cohort(recorded.runs(), mini())], "text")
    assert "Ana" in text and "assessment" in text and "85%" in text
    assert "█" in text  # terminal charts
    positions = [text.index(phase) for phase in PHASES]
    assert positions == sorted(positions)
    assert "Leaderboard" not in text
    assert "Leaderboard" in render([build_cohort(recorded.runs(), mini())], "text", leaderboard=True)


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.scripts += tag == "script"


def test_the_html_report_is_self_contained_with_inline_svg_and_escapes_names(store: Store) -> None:
    play(store, "<b>Eve</b> & co", [0, 0, 1])
    html = render([build_cohort(store.runs(), mini())], "html")
    checker = _Checker()
    checker.feed(html)
    assert "svg" in checker.tags and checker.scripts == 0
    assert "&lt;b&gt;Eve&lt;/b&gt; &amp; co" in html and "<b>Eve" not in html
    assert not re.search(r"(src|href)=\"https?://", html)  # nothing fetched from elsewhere


def test_markdown_report_has_tables_and_escapes_markup(store: Store) -> None:
    play(store, "Ana | *bold*", [0, 0, 1])
    markdown = render([build_cohort(store.runs(), mini())], "markdown")
    assert "| Trainee |" in markdown and "Ana \\| \\*bold\\*" in markdown
    assert "## Debrief questions (After-Action Review)" in markdown


def test_the_campaign_is_found_from_the_folder_the_runs_recorded(recorded: Store) -> None:
    found = find_campaign(recorded.runs())
    assert found is not None and found.id == "mini"


def test_without_the_campaign_the_report_still_gives_the_stored_figures(recorded: Store) -> None:
    cohort = build_cohort(recorded.runs(), None)
    assert any("could not be loaded" in note for note in cohort.notes)
    pitch = next(s for s in cohort.splits if s.scene == "pitch")
    assert "Wait for them to call back" not in {o.text for o in pitch.options}
    assert render([cohort], "text")


def test_a_store_with_two_campaigns_reports_each_on_its_own(store: Store) -> None:
    from dealquest.story.loader import load_campaign
    from dealquest.training.cohort import cohorts

    from ..conftest import FIXTURES

    hostile = load_campaign(FIXTURES / "hostile").campaign
    assert hostile is not None
    play(store, "Ana", [0, 0, 1])
    play(store, "Bo", [0], seed=1, campaign=hostile)
    found = cohorts(store.runs())
    assert [c.campaign_id for c in found] == ["mini", "hostile"]
    html = render(found, "html")
    assert "Cohort report: Mini deal" in html and "Cohort report: [bold red]Markup[/] campaign" in html
