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
    [group] = cohort.groups
    assert group.label == "Practice, unfinished (scores so far)" and group.grades([]) == []
    text = render([cohort], "text")
    assert "unfinished, at decision 3" in text and "% so far" in text


def test_averages_are_the_means_of_the_engines_scores_per_mode_and_finish(recorded: Store) -> None:
    cohort = build_cohort(recorded.runs(), mini())
    cards = {t: engine.score(mini(), s) for t, s in states().items()}
    groups = {(g.mode, g.finished): g for g in cohort.groups}
    assert set(groups) == {("assessment", True), ("practice", True)}
    for (mode, _), group in groups.items():
        own = [cards[t] for t, (_, _, m) in RUNS.items() if m == mode]
        for role in ROLES:
            for axis in AXES:
                values = [v for c in own if (v := c.roles[role].axes[axis]) is not None]
                expected = sum(values) / len(values) if values else None
                assert group.averages[role][axis] == pytest.approx(expected)
        assert group.percent == pytest.approx(sum(c.percent for c in own) / len(own))


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
        results = [
            next(r for r in debrief.build(mini(), s).lessons if r.lesson == coverage.lesson) for s in states().values()
        ]
        assert (coverage.good, coverage.total) == (sum(r.good for r in results), sum(r.total for r in results))
        assert coverage.met_by == sum(r.total > 0 for r in results) and coverage.trainees == 3
        assert coverage.mostly_good == sum(r.total > 0 and r.good / r.total >= 2 / 3 for r in results)
        assert coverage.mostly_missed == sum(r.total > 0 and r.good / r.total < 1 / 3 for r in results)


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


# ---------------------------------------------------------------------------------------------- an honest report


def text_of(store: Store, **options: object) -> str:
    from dealquest.training.cohort import cohorts

    rule = options.pop("rule", "first")
    return render(cohorts(store.runs(), rule=rule), "text", **options)  # type: ignore[arg-type]


def test_an_unfinished_run_has_no_grade_and_modes_are_never_averaged_together(store: Store) -> None:
    play(store, "Ana", [0, 0, 1], mode="assessment")  # A, finished
    play(store, "Bo", [0, 0], mode="assessment")  # an A so far, unfinished
    play(store, "Cy", [1, 1, 0], seed=3)  # practice, finished
    cohort = build_cohort(store.runs(), mini())
    labels = [(g.label, len(g.runs)) for g in cohort.groups]
    assert labels == [
        ("Assessment, finished", 1),
        ("Assessment, unfinished (scores so far)", 1),
        ("Practice, finished", 1),
    ]
    text = render([cohort], "text")
    summary = text[: text.index("Details")]
    assert "Assessment, finished" in summary and "A 1" in summary  # Bo's "A so far" is not a grade
    row = next(line for line in text.splitlines() if line.startswith("Bo "))
    assert "unfinished, at decision 3" in row and " A " not in row and "% so far" in row


def test_the_summary_comes_first_and_fits_a_page(recorded: Store) -> None:
    text = text_of(recorded)
    assert text.index("Summary") < text.index("Details") < text.index("Debrief questions")
    assert len(text[: text.index("Details")].splitlines()) <= 50
    assert "4 trainees, 5 runs (4 finished, 1 unfinished)" in text


def test_locked_options_are_marked_for_whom(recorded: Store) -> None:
    cohort = build_cohort(recorded.runs(), mini())
    brief = next(s for s in cohort.splits if s.scene == "brief")
    case_study = next(o for o in brief.options if o.text == "Use the case study")
    assert (case_study.picked_by, case_study.locked_for, brief.reached) == (2, 1, 3)  # Bo bought the billboard
    text = render([cohort], "text")
    assert "Use the case study [locked for 1 of 3]" in text
    assert "“Use the case study” was locked for 1" in " ".join(text.split())


def test_ties_are_shown_as_ties(store: Store) -> None:
    for name in ("Ana", "Bo", "Cy"):
        play(store, name, [0, 0, 1])
    play(store, "Dee", [1, 1, 0], seed=3)
    text = text_of(store, leaderboard=True)
    board = text[text.index("Leaderboard") :].splitlines()
    ranks = [line.split()[0] for line in board if line[:1].isdigit()]
    assert ranks == ["1=", "1=", "1=", "4"]


def test_the_anonymous_view_has_no_names_and_keeps_the_decisions_and_the_debrief(recorded: Store) -> None:
    text = text_of(recorded, anonymous=True)
    for name in ("Ana", "Bo ", "Cy", "Dee"):
        assert name not in text
    assert "\nTrainees\n" not in text and "First and best attempt" not in text
    assert "Decisions that mattered" in text and "Debrief questions (After-Action Review)" in text
    assert all(phase in text for phase in PHASES)


def test_plurals_and_full_stops_read_right(store: Store) -> None:
    play(store, "Ana", [0, 0, 1])
    text = text_of(store)
    assert "1 trainee, 1 run (1 finished, 0 unfinished)" in text and "1 trainees" not in text
    assert ".”." not in text


def test_names_follow_one_rule_and_two_people_of_one_name_are_shown_apart(store: Store) -> None:
    from dealquest.training.recorder import Recorder

    play(store, "alice", [0, 0, 1])
    play(store, "  Alice ", [1, 1, 0], seed=3)  # the same person, typed differently
    campaign = mini()
    sams = [Recorder(store, campaign, "Sam", "assessment") for _ in range(2)]  # two tabs, two people
    states = [engine.new_game(campaign, 7), engine.new_game(campaign, 3)]
    for recorder, state in zip(sams, states, strict=True):
        recorder.begin(state)
    for picks in ([0, 0], [1, 1]):
        for i, recorder in enumerate(sams):
            step = engine.choose(campaign, states[i], picks[i])
            recorder.chose(states[i], step, 1.0)
            states[i] = step.state
    cohort = build_cohort(store.runs(), mini())
    names = [t.trainee for t in cohort.trainees]
    assert names == ["alice", "Sam (1)", "Sam (2)"]
    assert len(cohort.counted) == 3  # nobody's run vanishes from the group's figures
    assert any("2 people may share the name “Sam”" in w for w in cohort.warnings)
    assert "Check: 2 people may share the name" in render([cohort], "text")


def test_a_restarted_assessment_is_flagged_and_the_first_attempt_counts_by_default(store: Store) -> None:
    play(store, "Ana", [1], seed=3, mode="assessment")  # left at decision 2
    play(store, "Ana", [0, 0, 1], mode="assessment")  # started again, finished with an A
    cohort = build_cohort(store.runs(), mini())
    [ana] = cohort.trainees
    assert ana.counted is not None and not ana.counted.finished and len(ana.restarted) == 1
    assert any("Ana left an assessment unfinished at decision 2 and started it again" in w for w in cohort.warnings)
    assert "unfinished, at decision 2, restarted" in render([cohort], "text")
    last = build_cohort(store.runs(), mini(), rule="last")
    assert last.trainees[0].counted is not None and last.trainees[0].counted.finished
    import csv
    import io
    import json

    from dealquest.training.export import to_csv, to_json, to_xapi

    records = json.loads(to_json(store.runs()))
    assert [(r["attempt"], r["restarted"]) for r in records] == [(1, True), (2, False)]
    assert records[1]["restart_of"] == records[0]["run"]
    rows = list(csv.DictReader(io.StringIO(to_csv(store.runs()))))
    assert {(r["attempt"], r["restarted"]) for r in rows} == {("1", "1"), ("2", "0")}
    statements = json.loads(to_xapi(store.runs()))
    again = [s for s in statements if s["context"]["registration"] == records[1]["run"]]
    assert all(
        s["context"]["extensions"]["https://dealquest.invalid/xapi/extensions/restart-of"] == records[0]["run"]
        for s in again
    )


def test_columns_stay_aligned_with_wide_names(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    from dealquest.cli.main import main
    from dealquest.training.report import cell_width

    play(store, "李小龙", [0, 0, 1])
    play(store, "👩🏽‍💼 Sam", [1, 1, 0], seed=3)
    play(store, "Ana", [0])
    assert main(["results", "list", "--results", str(store.path)]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "mini" in line]
    assert len(lines) == 3
    # The campaign column starts at the same screen column on every line.
    starts = {cell_width(line[: line.index("mini")]) for line in lines}
    assert len(starts) == 1, lines
    text = render([build_cohort(store.runs(), mini())], "text")
    rows = [line for line in text.splitlines() if line.startswith(("李小龙 ", "👩🏽‍💼 Sam ", "Ana "))][:3]
    assert len({cell_width(row[: row.index("practice")]) for row in rows}) == 1, rows
