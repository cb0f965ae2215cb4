"""Exports of the results store: CSV (a row per decision), JSON (a record per run) and xAPI statements.

The figures are the ones the store holds, which the engine computed when each choice was made.
The xAPI statements follow xAPI 1.0.3: an `answered` statement per choice, and a `completed`
plus a `passed` or `failed` statement per finished run, ready for a Learning Record Store.
"""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

from dealquest.play.debrief import GOOD_VALUE
from dealquest.story.model import AXES, ROLES, SCORE_MAX, SCORE_MIN
from dealquest.story.text import clean, json_text
from dealquest.training import DEFAULT_BASE_IRI, DEFAULT_PASS_MARK
from dealquest.training.store import DecisionRecord, RunRecord

XAPI_VERSION = "1.0.3"

VERBS = {
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
}
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"

CSV_COLUMNS = [
    "run",
    "trainee",
    "campaign",
    "campaign_version",
    "mode",
    "seed",
    "run_started_at",
    "run_ended_at",
    "run_finished",
    "ending",
    "outcome",
    "run_percent",
    "run_grade",
    "number",
    "role",
    "scene",
    "scene_title",
    "choice_index",
    "choice_text",
    "technique",
    "push_pull",
    "audience",
    "closing",
    "value",
    "best_choice_index",
    "best_choice_text",
    "best_value",
    "missed",
    "lessons",
    "seconds",
    "decided_at",
    "carried",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """A CSV cell: text through the output-safety rule, on one line, and quoted with a leading ' when a
    spreadsheet would run it as a formula (checked after cleaning, so an escape cannot hide the '=')."""
    if isinstance(value, str):
        value = clean(value, line=True)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    if isinstance(value, bool):
        return int(value)
    return "" if value is None else value


def to_csv(runs: list[RunRecord]) -> str:
    """One row per decision, with its run's figures repeated on each row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for run in runs:
        for d in run.decisions:
            row = [
                run.uid,
                run.trainee,
                run.campaign,
                run.campaign_version,
                run.mode,
                run.seed,
                run.started_at,
                run.ended_at,
                run.finished,
                run.ending,
                run.outcome,
                run.percent,
                run.grade,
                d.number,
                d.role,
                d.scene,
                d.scene_title,
                d.choice,
                d.choice_text,
                d.technique,
                d.push_pull,
                d.audience,
                d.closing,
                d.value,
                d.best_choice,
                d.best_text,
                d.best_value,
                round(d.missed, 4),
                " ".join(d.lessons),
                d.seconds,
                d.decided_at,
                d.carried,
            ]
            writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def decision_json(d: DecisionRecord) -> dict[str, Any]:
    return {
        "number": d.number,
        "role": d.role,
        "scene": d.scene,
        "scene_title": d.scene_title,
        "choice_index": d.choice,
        "choice_text": d.choice_text,
        "technique": d.technique,
        "scores": {"push_pull": d.push_pull, "audience": d.audience, "closing": d.closing, "value": d.value},
        "best": None
        if d.best_choice is None
        else {"choice_index": d.best_choice, "text": d.best_text, "value": d.best_value},
        "missed": round(d.missed, 4),
        "lessons": list(d.lessons),
        "landed": d.landed,
        "seconds": d.seconds,
        "decided_at": d.decided_at,
        "carried": d.carried,
    }


def run_json(run: RunRecord, uids: dict[int, str] | None = None) -> dict[str, Any]:
    return {
        "run": run.uid,
        "campaign": {"id": run.campaign, "version": run.campaign_version, "title": run.campaign_title},
        "trainee": run.trainee,
        "mode": run.mode,
        "seed": run.seed,
        "started_at": run.started_at,
        "ended_at": run.ended_at,
        "finished": run.finished,
        "duration_seconds": round(run.duration_seconds, 3),
        "ending": None if run.ending is None else {"id": run.ending, "title": run.ending_title, "outcome": run.outcome},
        "percent": run.percent,
        "grade": run.grade,
        "grade_label": run.grade_label,
        "totals": run.totals,
        "undos": run.undos,
        "carried_from": (uids or {}).get(run.carried_from) if run.carried_from is not None else None,
        "decisions": [decision_json(d) for d in run.decisions],
    }


def to_json(runs: list[RunRecord]) -> str:
    """One record per run, with its decisions, as a JSON array."""
    uids = {run.id: run.uid for run in runs}
    return json_text([run_json(run, uids) for run in runs], indent=2) + "\n"


# ---------------------------------------------------------------------------------------------- xAPI


def iso_duration(seconds: float) -> str:
    """Seconds as an ISO 8601 duration, to the hundredth of a second xAPI keeps: PT1H2M3.5S."""
    hundredths = max(0, round(seconds * 100))
    hours, rest = divmod(hundredths, 360_000)
    minutes, rest = divmod(rest, 6_000)
    whole, frac = divmod(rest, 100)
    text = "PT"
    if hours:
        text += f"{hours}H"
    if minutes:
        text += f"{minutes}M"
    if whole or frac or text == "PT":
        text += f"{whole}.{frac:02d}".rstrip("0").rstrip(".") + "S"
    return text


def scaled(value: float) -> float:
    """A decision's value (-2..+2) on xAPI's scaled score, -1..1."""
    return round(max(-1.0, min(1.0, value / SCORE_MAX)), 4)


class XapiBuilder:
    """Statements for runs, with activity and extension IRIs under one base IRI."""

    def __init__(self, base_iri: str = DEFAULT_BASE_IRI, pass_mark: float = DEFAULT_PASS_MARK) -> None:
        self.base = base_iri.rstrip("/")
        self.pass_mark = pass_mark

    def ext(self, name: str) -> str:
        return f"{self.base}/extensions/{name}"

    def _id(self, run: RunRecord, what: str) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.base}/runs/{run.uid}/{what}"))

    def actor(self, run: RunRecord) -> dict[str, Any]:
        return {"objectType": "Agent", "name": run.trainee, "account": {"homePage": self.base, "name": run.trainee}}

    def campaign_activity(self, run: RunRecord) -> dict[str, Any]:
        return {
            "objectType": "Activity",
            "id": f"{self.base}/campaigns/{run.campaign}",
            "definition": {"name": {"en-US": run.campaign_title}, "type": SIMULATION},
        }

    def context(self, run: RunRecord, role: str | None = None) -> dict[str, Any]:
        extensions: dict[str, Any] = {
            self.ext("mode"): run.mode,
            self.ext("seed"): run.seed,
            self.ext("campaign-version"): run.campaign_version,
        }
        if role is not None:
            extensions[self.ext("role")] = role
        return {
            "registration": run.uid,
            "platform": "DealQuest",
            "language": "en-US",
            "contextActivities": {"parent": [self.campaign_activity(run)]},
            "extensions": extensions,
        }

    @staticmethod
    def verb(name: str) -> dict[str, Any]:
        return {"id": VERBS[name], "display": {"en-US": name}}

    def answered(self, run: RunRecord, d: DecisionRecord) -> dict[str, Any]:
        result: dict[str, Any] = {
            "response": d.choice_text,
            "success": d.value > GOOD_VALUE,
            "score": {"scaled": scaled(d.value), "raw": d.value, "min": SCORE_MIN, "max": SCORE_MAX},
            "extensions": {
                self.ext("push-pull"): d.push_pull,
                self.ext("audience"): d.audience,
                self.ext("closing"): d.closing,
                self.ext("technique"): d.technique,
                self.ext("choice-index"): d.choice,
                self.ext("missed"): round(d.missed, 4),
                self.ext("lessons"): list(d.lessons),
            },
        }
        if d.seconds is not None:
            result["duration"] = iso_duration(d.seconds)
        return {
            "id": self._id(run, f"answered/{d.number}"),
            "version": XAPI_VERSION,
            "actor": self.actor(run),
            "verb": self.verb("answered"),
            "object": {
                "objectType": "Activity",
                "id": f"{self.base}/campaigns/{run.campaign}/scenes/{d.scene}",
                "definition": {
                    "name": {"en-US": d.scene_title},
                    "type": INTERACTION,
                    "interactionType": "other",
                },
            },
            "result": result,
            "context": self.context(run, d.role),
            "timestamp": d.decided_at,
        }

    def finished(self, run: RunRecord) -> list[dict[str, Any]]:
        """`completed`, then `passed` or `failed`, for a run that reached its ending."""
        passed = run.percent >= self.pass_mark
        totals = {role: {axis: run.totals[role][axis] for axis in AXES} for role in ROLES}
        score = {"scaled": round(run.percent / 100, 4), "raw": run.percent, "min": 0, "max": 100}
        extensions = {
            self.ext("grade"): run.grade,
            self.ext("ending"): run.ending,
            self.ext("outcome"): run.outcome,
            self.ext("totals"): totals,
            self.ext("pass-mark"): self.pass_mark,
        }
        statements = []
        for verb, result in (
            (
                "completed",
                {
                    "completion": True,
                    "success": passed,
                    "duration": iso_duration(run.duration_seconds),
                    "score": score,
                    "extensions": extensions,
                },
            ),
            (
                "passed" if passed else "failed",
                {"success": passed, "duration": iso_duration(run.duration_seconds), "score": score},
            ),
        ):
            statements.append(
                {
                    "id": self._id(run, verb),
                    "version": XAPI_VERSION,
                    "actor": self.actor(run),
                    "verb": self.verb(verb),
                    "object": self.campaign_activity(run),
                    "result": result,
                    "context": self.context(run),
                    "timestamp": run.ended_at,
                }
            )
        return statements

    def statements(self, runs: list[RunRecord]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for run in runs:
            out += [self.answered(run, d) for d in run.decisions if not d.carried]
            if run.finished:
                out += self.finished(run)
        return out


def to_xapi(runs: list[RunRecord], base_iri: str = DEFAULT_BASE_IRI, pass_mark: float = DEFAULT_PASS_MARK) -> str:
    """The runs as a JSON array of xAPI statements."""
    statements = XapiBuilder(base_iri, pass_mark).statements(runs)
    return json_text(statements, indent=2) + "\n"
