"""Exports: a CSV row per decision, a JSON record per run, xAPI statements an LRS accepts."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from dealquest.play import engine
from dealquest.training.export import CSV_COLUMNS, VERBS, iso_duration, scaled, to_csv, to_json, to_xapi
from dealquest.training.recorder import Recorder
from dealquest.training.store import Store

from .conftest import WINNING_SEED, mini, play
from .xapi_rules import problems

#: ISO 8601 durations as xAPI writes them (hours, minutes, seconds to the hundredth).
DURATION = re.compile(r"^PT(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?$")
BASE = "https://lrs.example.org/dealquest"


@pytest.fixture
def recorded(store: Store) -> Store:
    play(store, "Ana", [0, 0, 1], mode="assessment")  # won
    play(store, "Bo", [1, 1, 0], seed=3, mode="assessment")  # lost
    play(store, "Cy", [0], mode="assessment")  # unfinished
    return store


def test_csv_has_a_row_per_decision_with_the_engines_figures(recorded: Store) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(recorded.runs()))))
    assert list(rows[0]) == CSV_COLUMNS
    assert len(rows) == 3 + 3 + 1
    ana = [r for r in rows if r["trainee"] == "Ana"]
    state = engine.replay(mini(), 7, [0, 0, 1])
    assert [float(r["value"]) for r in ana] == [round(d.value, 4) for d in state.decisions]
    assert {r["run_grade"] for r in ana} == {engine.score(mini(), state).grade}
    assert ana[0]["lessons"] == "aims audience" and ana[0]["seconds"] == "2.5"
    # Options are numbered as the trainee saw them, from 1; figures are rounded.
    assert [r["choice_number"] for r in ana] == ["1", "1", "2"]
    assert all(len(r["value"].split(".")[-1]) <= 4 for r in rows)


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_quoted(store: Store) -> None:
    play(store, '=HYPERLINK("http://x")', [0])
    [row] = csv.DictReader(io.StringIO(to_csv(store.runs())))
    assert row["trainee"].startswith("'=")


def test_json_has_one_record_per_run_with_its_decisions_and_totals(recorded: Store) -> None:
    records = json.loads(to_json(recorded.runs()))
    assert [r["trainee"] for r in records] == ["Ana", "Bo", "Cy"]
    ana = records[0]
    assert ana["finished"] and ana["ending"]["id"] == "won" and len(ana["decisions"]) == 3
    card = engine.score(mini(), engine.replay(mini(), 7, [0, 0, 1]))
    assert ana["percent"] == card.percent
    assert ana["totals"]["salesperson"]["closing"] == card.roles["salesperson"].axes["closing"]
    assert records[2]["finished"] is False and records[2]["ending"] is None and records[2]["mode"] == "assessment"
    assert [d["choice_number"] for d in ana["decisions"]] == [1, 1, 2]


def test_xapi_has_an_answered_statement_per_choice_and_completed_plus_passed_or_failed_per_finished_run(
    recorded: Store,
) -> None:
    statements = json.loads(to_xapi(recorded.runs(), BASE, pass_mark=60))
    verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in statements]
    assert verbs.count("answered") == 7
    assert verbs.count("completed") == 2
    assert verbs.count("passed") == 1 and verbs.count("failed") == 1  # Ana 85%, Bo below 60%
    assert len({s["id"] for s in statements}) == len(statements)
    for s in statements:
        assert set(s) >= {"id", "actor", "verb", "object", "result", "context", "timestamp"}
        assert s["verb"]["id"] in VERBS.values()
        assert s["actor"]["account"] == {"homePage": BASE, "name": s["actor"]["name"].casefold()}
        assert s["object"]["id"].startswith(BASE + "/campaigns/mini")
        score = s["result"]["score"]
        assert -1 <= score["scaled"] <= 1 and score["min"] <= score["raw"] <= score["max"]
        if "duration" in s["result"]:
            assert DURATION.match(s["result"]["duration"]), s["result"]["duration"]


def test_an_answered_statement_is_a_choice_interaction_with_the_axes_and_the_role(recorded: Store) -> None:
    statements = json.loads(to_xapi(recorded.runs(), BASE))
    first = next(s for s in statements if s["verb"]["display"]["en-US"] == "answered")
    result = first["result"]
    assert result["response"] == "1"  # the option's id, numbered as shown
    assert result["extensions"][f"{BASE}/extensions/choice-text"] == "Interview ten customers"
    assert result["score"] == {"scaled": scaled(1.5), "raw": 1.5, "min": -2, "max": 2}  # audience +2, closing +1
    assert result["extensions"][f"{BASE}/extensions/audience"] == 2
    assert result["extensions"][f"{BASE}/extensions/closing"] == 1
    # interviews are research, no technique: no push/pull mark to send
    assert f"{BASE}/extensions/push-pull" not in result["extensions"]
    assert result["extensions"][f"{BASE}/extensions/technique"] == "none"
    assert first["context"]["extensions"][f"{BASE}/extensions/role"] == "marketer"
    definition = first["object"]["definition"]
    assert definition["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
    assert definition["interactionType"] == "choice"
    assert definition["choices"] == [
        {"id": "1", "description": {"en-US": "Interview ten customers"}},
        {"id": "2", "description": {"en-US": "Buy a billboard"}},
    ]
    assert definition["correctResponsesPattern"] == ["1"]
    completed = next(s for s in statements if s["verb"]["display"]["en-US"] == "completed")
    assert completed["result"]["completion"] is True and completed["result"]["success"] is True
    assert completed["result"]["score"]["scaled"] == 0.85
    assert completed["context"]["registration"] == first["context"]["registration"]


def test_every_export_of_a_run_conforms_to_xapi_1_0_3(recorded: Store) -> None:
    assert problems(json.loads(to_xapi(recorded.runs(), BASE))) == []


@pytest.mark.parametrize(
    ("change", "found"),
    [
        (lambda s: s.update(id="922fc076"), "is not a UUID"),
        (lambda s: s["result"]["score"].update(scaled=1.5), "outside -1..1"),
        (lambda s: s["result"].update(response="7"), "not one of the interaction's choice ids"),
        (lambda s: s["result"]["extensions"].update({"push-pull": 1}), "is not an IRI"),
        (lambda s: s["actor"].update(mbox="mailto:a@example.org"), "exactly one"),
        (lambda s: s["result"].update(duration="2.5 s"), "not an ISO 8601 duration"),
        (lambda s: s.update(timestamp="2025-03-04T09:01:12"), "no time zone"),
        (lambda s: s["result"].update(success=None), "is null"),
        (lambda s: s.update(verb={"id": "http://adlnet.gov/expapi/verbs/voided"}), "must be a StatementRef"),
        (lambda s: s["object"]["definition"].update(interactionType="multiple"), "not an interaction type"),
        (lambda s: s.update(grade="A"), "not a property xAPI 1.0.3 defines"),
    ],
)
def test_the_xapi_rules_catch_what_an_lrs_refuses(recorded: Store, change: object, found: str) -> None:
    statements = json.loads(to_xapi(recorded.runs(), BASE))
    change(statements[0])  # type: ignore[operator]
    assert any(found in problem for problem in problems(statements)), problems(statements)
    twice = "a statement id is used twice (an LRS keeps the first and refuses the batch)"
    assert any(problem.endswith(twice) for problem in problems([*statements, statements[1]]))


def test_an_undone_choice_is_voided_and_its_replacement_gets_a_new_statement_id(store: Store) -> None:
    campaign = mini()
    recorder = Recorder(store, campaign, "Ana", "practice")
    state = engine.new_game(campaign, WINNING_SEED)
    recorder.begin(state)
    step = engine.choose(campaign, state, 0)
    recorder.chose(state, step, 3.0)
    before = json.loads(to_xapi(store.runs(), BASE))
    state = engine.undo(campaign, step.state)
    recorder.rewound(state)
    step = engine.choose(campaign, state, 1)  # a different option this time
    recorder.chose(state, step, 4.0)
    after = json.loads(to_xapi(store.runs(), BASE))
    assert problems(after) == []
    # In time order; an undo and the next choice may share a millisecond, so only the voiding is
    # sure to follow what it voids.
    assert after[0]["verb"]["display"]["en-US"] == "answered"
    first = after[0]
    [voided] = [s for s in after if s["verb"]["display"]["en-US"] == "voided"]
    [second] = [s for s in after[1:] if s["verb"]["display"]["en-US"] == "answered"]
    assert first == before[0]  # the statement already sent is never rewritten
    assert voided["object"] == {"objectType": "StatementRef", "id": first["id"]}
    assert second["id"] != first["id"] and second["result"]["response"] == "2"
    assert to_xapi(store.runs(), BASE) == to_xapi(store.runs(), BASE)


def test_practice_completes_without_passing_or_failing(store: Store) -> None:
    play(store, "Ana", [0, 0, 1])
    verbs = [s["verb"]["display"]["en-US"] for s in json.loads(to_xapi(store.runs(), BASE))]
    assert verbs == ["answered", "answered", "answered", "completed"]
    completed = json.loads(to_xapi(store.runs(), BASE))[-1]
    assert "success" not in completed["result"] and completed["result"]["completion"] is True


def test_carried_over_choices_are_not_sent_again_and_count_no_time(store: Store) -> None:
    campaign = mini()
    recorder = Recorder(store, campaign, "Ana", "practice")
    state = engine.new_game(campaign, WINNING_SEED)
    recorder.begin(state)
    for pick in (0, 0, 1):
        step = engine.choose(campaign, state, pick)
        recorder.chose(state, step, 10.0)
        state = step.state
    state = engine.replay(campaign, WINNING_SEED, [0, 0])  # try another path from the last decision
    recorder.rewound(state)
    step = engine.choose(campaign, state, 1)
    recorder.chose(state, step, 7.25)
    first, second = store.runs()
    statements = json.loads(to_xapi([second], BASE))
    assert [s["verb"]["display"]["en-US"] for s in statements] == ["answered", "completed"]
    assert statements[0]["result"]["response"] == "2"
    assert statements[1]["result"]["duration"] == "PT7.25S"  # its own choice only
    assert statements[1]["context"]["registration"] == second.uid != first.uid


def test_a_resumed_run_keeps_its_registration_and_counts_only_time_spent_choosing(store: Store) -> None:
    from dealquest.training.recorder import resumable

    campaign = mini()
    recorder = Recorder(store, campaign, "Ana", "assessment")
    state = engine.new_game(campaign, WINNING_SEED)
    recorder.begin(state)
    step = engine.choose(campaign, state, 0)
    recorder.chose(state, step, 20.0)
    store.db.execute("UPDATE runs SET started_at = '2020-01-01T09:00:00.000+00:00'")  # a long break since
    recorder.release()  # the tab is closed
    again = Recorder(store, campaign, "ana ", "assessment")  # the same trainee signs in again
    left = resumable(store, campaign, again.trainee)
    assert left is not None
    state = again.resume(left)
    for pick in (0, 1):
        step = engine.choose(campaign, state, pick)
        again.chose(state, step, 30.0)
        state = step.state
    [run] = store.runs()
    assert run.resumes == 1 and len(run.decisions) == 3 and run.finished
    statements = json.loads(to_xapi([run], BASE))
    assert problems(statements) == []
    assert {s["context"]["registration"] for s in statements} == {run.uid}
    completed = next(s for s in statements if s["verb"]["display"]["en-US"] == "completed")
    assert completed["result"]["duration"] == "PT1M20S"  # 20 + 30 + 30 s of choosing, not years of break
    assert completed["timestamp"] == run.ended_at
    assert [s["timestamp"] for s in statements[:3]] == [d.decided_at for d in run.decisions]


def test_the_same_store_exports_the_same_statement_ids(recorded: Store) -> None:
    assert to_xapi(recorded.runs(), BASE) == to_xapi(recorded.runs(), BASE)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "PT0S"), (2.5, "PT2.5S"), (59.999, "PT1M"), (61.25, "PT1M1.25S"), (3600, "PT1H"), (3723.4, "PT1H2M3.4S")],
)
def test_durations_are_iso_8601(seconds: float, text: str) -> None:
    assert iso_duration(seconds) == text
    assert DURATION.match(text)


@pytest.mark.parametrize(("value", "expected"), [(-2.0, -1.0), (2.0, 1.0), (0.5, 0.25), (-3.0, -1.0)])
def test_scaled_scores_stay_in_minus_one_to_one(value: float, expected: float) -> None:
    assert scaled(value) == expected
