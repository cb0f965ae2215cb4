"""One run, one set of numbers: the engine's marks, verdicts and scores appear unchanged in `--plain`,
the journal, the debrief, the CSV, JSON and xAPI exports and the cohort report."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from dealquest.cli.main import main
from dealquest.frontends.plain import debrief_text
from dealquest.play import engine
from dealquest.play.debrief import build, marks_line, verdict_line
from dealquest.play.scoring import AXIS_LABEL, format_mark
from dealquest.story.model import AXES, ROLES
from dealquest.training.cohort import build_cohort
from dealquest.training.export import to_csv, to_json, to_xapi
from dealquest.training.report import render
from dealquest.training.store import open_store

from ..conftest import MINI, WINNING_SEED, campaign

PICKS = "2,2,1"  # billboard, wing it, ask for the signature now: a run with weak and middling choices


def test_one_run_shows_the_same_numbers_in_every_output(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "results.sqlite"
    assert main(["play", str(MINI), "--plain", "--trainee", "Ana", "--results", str(store),
                 "--seed", str(WINNING_SEED), "--choices", PICKS]) == 0  # fmt: skip
    plain = capsys.readouterr().out
    mini = campaign()
    state = engine.replay(mini, WINNING_SEED, [int(p) - 1 for p in PICKS.split(",")])
    report = build(mini, state)
    card = report.scorecard

    # --plain: each decision's verdict and marks as the engine gives them, and the role-axis scores
    for review in report.reviews:
        assert verdict_line(review.decision, review.why) in plain
        assert marks_line(review.decision) in plain
    assert debrief_text(mini, state, report) in plain
    for role in ROLES:
        for axis in AXES:
            assert f"{AXIS_LABEL[axis]}: {format_mark(card.axis(role, axis))} (" in plain

    with open_store(store) as opened:
        runs = opened.runs()
    (run,) = runs
    assert (run.percent, run.grade) == (card.percent, card.grade)
    assert {r: {a: run.totals[r][a] for a in AXES} for r in ROLES} == {
        r: {a: card.axis(r, a) for a in AXES} for r in ROLES
    }

    rows = list(csv.DictReader(io.StringIO(to_csv(runs))))
    records = json.loads(to_json(runs))
    statements = [s for s in json.loads(to_xapi(runs)) if s["verb"]["display"]["en-US"] == "answered"]
    decisions = records[0]["decisions"] if isinstance(records, list) else records["runs"][0]["decisions"]
    for review, row, record, statement in zip(report.reviews, rows, decisions, statements, strict=True):
        d = review.decision
        for axis, column in (("push_pull", "push_pull"), ("audience", "audience"), ("closing", "closing")):
            mark = d.mark(axis)
            assert (float(row[column]) if row[column] else None) == mark  # type: ignore[literal-required]
            assert record["scores"][axis] == mark
        assert float(row["value"]) == d.value == record["scores"]["value"] == statement["result"]["score"]["raw"]
        assert row["verdict"] == d.verdict == record["verdict"]
        assert statement["result"]["success"] is d.good

    text = render([build_cohort(runs, mini)], "text")
    for role in ROLES:
        for axis in AXES:
            assert format_mark(card.axis(role, axis)) in text
    assert f"{card.percent:.0f}%" in text
