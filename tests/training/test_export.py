"""Exports: a CSV row per decision, a JSON record per run, xAPI statements an LRS accepts."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from dealquest.play import engine
from dealquest.training.export import CSV_COLUMNS, VERBS, iso_duration, scaled, to_csv, to_json, to_xapi
from dealquest.training.store import Store

from .conftest import mini, play

#: ISO 8601 durations as xAPI writes them (hours, minutes, seconds to the hundredth).
DURATION = re.compile(r"^PT(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?$")
BASE = "https://lrs.example.org/dealquest"


@pytest.fixture
def recorded(store: Store) -> Store:
    play(store, "Ana", [0, 0, 1])  # won
    play(store, "Bo", [1, 1, 0], seed=3)  # lost
    play(store, "Cy", [0], mode="assessment")  # unfinished
    return store


def test_csv_has_a_row_per_decision_with_the_engines_figures(recorded: Store) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(recorded.runs()))))
    assert list(rows[0]) == CSV_COLUMNS
    assert len(rows) == 3 + 3 + 1
    ana = [r for r in rows if r["trainee"] == "Ana"]
    state = engine.replay(mini(), 7, [0, 0, 1])
    assert [float(r["value"]) for r in ana] == [d.value for d in state.decisions]
    assert {r["run_grade"] for r in ana} == {engine.score(mini(), state).grade}
    assert ana[0]["lessons"] == "aims audience" and ana[0]["seconds"] == "2.5"


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
        assert s["actor"]["account"] == {"homePage": BASE, "name": s["actor"]["name"]}
        assert s["object"]["id"].startswith(BASE + "/campaigns/mini")
        score = s["result"]["score"]
        assert -1 <= score["scaled"] <= 1 and score["min"] <= score["raw"] <= score["max"]
        if "duration" in s["result"]:
            assert DURATION.match(s["result"]["duration"]), s["result"]["duration"]


def test_an_answered_statement_carries_the_response_the_axes_and_the_role(recorded: Store) -> None:
    statements = json.loads(to_xapi(recorded.runs(), BASE))
    first = next(s for s in statements if s["verb"]["display"]["en-US"] == "answered")
    result = first["result"]
    assert result["response"] == "Interview ten customers"
    assert result["score"] == {"scaled": scaled(1.5), "raw": 1.5, "min": -2, "max": 2}  # audience +2, closing +1
    assert result["extensions"][f"{BASE}/extensions/audience"] == 2
    assert result["extensions"][f"{BASE}/extensions/closing"] == 1.0
    assert f"{BASE}/extensions/push-pull" in result["extensions"]
    assert first["context"]["extensions"][f"{BASE}/extensions/role"] == "marketer"
    assert first["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
    completed = next(s for s in statements if s["verb"]["display"]["en-US"] == "completed")
    assert completed["result"]["completion"] is True and completed["result"]["success"] is True
    assert completed["result"]["score"]["scaled"] == 0.85
    assert completed["context"]["registration"] == first["context"]["registration"]


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
