"""Exports of the results store: CSV (a row per decision), JSON (a record per run) and xAPI statements.

The figures are the ones the store holds, which the engine computed when each choice was made,
rounded to four decimals; options are numbered from 1, as the trainee saw them. Names follow one
rule everywhere (`dealquest.training.normalise_name`, grouped by `name_key`).

The xAPI statements follow xAPI 1.0.3: an `answered` statement per choice made in the run (a
`choice` interaction with its options and the strongest one as the correct response; choices
carried over from an earlier run are not sent again), a `voided` statement for each choice an
undo took back, and per finished run `completed` (plus `passed` or `failed` for an assessment).
Every statement id comes from the recorded event it reports, so exporting again sends the same
ids, and a new event never reuses an old one.
"""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

from dealquest.story.model import AXES, ROLES, SCORE_MAX, SCORE_MIN
from dealquest.story.text import clean, json_text
from dealquest.training import DEFAULT_BASE_IRI, DEFAULT_PASS_MARK, name_key, normalise_name
from dealquest.training.attempts import Attempt, attempts
from dealquest.training.store import DecisionRecord, RunRecord

XAPI_VERSION = "1.0.3"

VERBS = {
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    "voided": "http://adlnet.gov/expapi/verbs/voided",
}
#: Figures in every export are rounded to this many decimals (no 0.6000000000000001).
DECIMALS = 4
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"

CSV_COLUMNS = [
    "run",
    "trainee",
    "trainee_id",
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
    "attempt",
    "restarted",
    "number",
    "role",
    "scene",
    "scene_title",
    "choice_number",
    "choice_text",
    "technique",
    "push_pull",
    "audience",
    "closing",
    "value",
    "verdict",
    "best_choice_number",
    "best_choice_text",
    "best_value",
    "missed",
    "lessons",
    "seconds",
    "decided_at",
    "carried",
    "locked_options",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def figure(value: float | None) -> float | None:
    """A figure as exported: rounded, and whole numbers without a fraction (0.6, 2, -1.2667)."""
    if value is None:
        return None
    rounded = round(float(value), DECIMALS) + 0.0  # + 0.0: no -0.0
    return int(rounded) if rounded.is_integer() else rounded


def number(index: int | None) -> int | None:
    """An option's number as the trainee saw it (from 1)."""
    return None if index is None else index + 1


def _cell(value: object) -> object:
    """A CSV cell: text through the output-safety rule, on one line, and quoted with a leading ' when a
    spreadsheet would run it as a formula (checked after cleaning, so an escape cannot hide the '=')."""
    if isinstance(value, str):
        value = clean(value, line=True)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        return figure(value)
    return "" if value is None else value


def to_csv(runs: list[RunRecord]) -> str:
    """One row per decision, with its run's figures repeated on each row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    tries = attempts(runs)
    for run in runs:
        attempt = tries[run.id]
        for d in run.decisions:
            row = [
                run.uid,
                normalise_name(run.trainee),
                run.trainee_id,
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
                attempt.number,
                attempt.restarted,
                d.number,
                d.role,
                d.scene,
                d.scene_title,
                number(d.choice),
                d.choice_text,
                d.technique,
                d.push_pull,
                d.audience,
                d.closing,
                d.value,
                d.verdict,
                number(d.best_choice),
                d.best_text,
                d.best_value,
                d.missed,
                " ".join(d.lessons),
                d.seconds,
                d.decided_at,
                d.carried,
                " ".join(str(i + 1) for i in d.locked),
            ]
            writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def decision_json(d: DecisionRecord) -> dict[str, Any]:
    return {
        "number": d.number,
        "role": d.role,
        "scene": d.scene,
        "scene_title": d.scene_title,
        "choice_number": number(d.choice),
        "choice_text": d.choice_text,
        "technique": d.technique,
        "scores": {
            "push_pull": figure(d.push_pull),
            "audience": figure(d.audience),
            "closing": figure(d.closing),
            "value": figure(d.value),
        },
        "verdict": d.verdict,
        "good": d.good,
        "best": None
        if d.best_choice is None
        else {"choice_number": number(d.best_choice), "text": d.best_text, "value": figure(d.best_value)},
        "missed": figure(d.missed),
        "lessons": list(d.lessons),
        "landed": d.landed,
        "seconds": figure(d.seconds),
        "decided_at": d.decided_at,
        "carried": d.carried,
        "locked_options": [i + 1 for i in d.locked],
        **({"undone_at": d.undone_at} if d.undone_at else {}),
    }


def run_json(run: RunRecord, uids: dict[int, str] | None = None, attempt: Attempt | None = None) -> dict[str, Any]:
    totals = {role: {axis: figure(run.totals[role][axis]) for axis in AXES} for role in ROLES}
    return {
        "run": run.uid,
        "campaign": {"id": run.campaign, "version": run.campaign_version, "title": run.campaign_title},
        "trainee": normalise_name(run.trainee),
        "trainee_id": run.trainee_id,
        "mode": run.mode,
        "seed": run.seed,
        "started_at": run.started_at,
        "ended_at": run.ended_at,
        "finished": run.finished,
        "duration_seconds": figure(run.duration_seconds),
        "played_seconds": figure(run.played_seconds),
        "ending": None if run.ending is None else {"id": run.ending, "title": run.ending_title, "outcome": run.outcome},
        "percent": figure(run.percent),
        "grade": run.grade,
        "grade_label": run.grade_label,
        "totals": totals,
        "undos": run.undos,
        "resumes": run.resumes,
        "carried_from": (uids or {}).get(run.carried_from) if run.carried_from is not None else None,
        "attempt": None if attempt is None else attempt.number,
        "restarted": None if attempt is None else attempt.restarted,
        "restart_of": None if attempt is None or attempt.restart_of is None else attempt.restart_of.uid,
        "decisions": [decision_json(d) for d in run.decisions],
        "undone": [decision_json(d) for d in run.undone],
    }


def to_json(runs: list[RunRecord]) -> str:
    """One record per run, with its decisions, as a JSON array."""
    uids = {run.id: run.uid for run in runs}
    tries = attempts(runs)
    return json_text([run_json(run, uids, tries[run.id]) for run in runs], indent=2) + "\n"


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
    return round(max(-1.0, min(1.0, value / SCORE_MAX)), DECIMALS)


def _clean(extensions: dict[str, Any]) -> dict[str, Any]:
    """Extensions without empty values (an LRS may refuse a null)."""
    return {key: value for key, value in extensions.items() if value is not None}


class XapiBuilder:
    """Statements for runs, with activity and extension IRIs under one base IRI."""

    def __init__(self, base_iri: str = DEFAULT_BASE_IRI, pass_mark: float = DEFAULT_PASS_MARK) -> None:
        self.base = base_iri.rstrip("/")
        self.pass_mark = pass_mark
        self.tries: dict[int, Attempt] = {}

    def ext(self, name: str) -> str:
        return f"{self.base}/extensions/{name}"

    def _id(self, event: str) -> str:
        """A statement id made from the recorded event it reports: stable across exports, unique per event."""
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.base}/events/{event}"))

    def actor(self, run: RunRecord) -> dict[str, Any]:
        """The trainee as an Agent: the stable id when given, else the normalised name, as the account."""
        account = run.trainee_id or name_key(run.trainee)
        return {
            "objectType": "Agent",
            "name": normalise_name(run.trainee),
            "account": {"homePage": self.base, "name": account},
        }

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
        # Only what was known when the statement's event happened: a statement once sent never changes.
        attempt = self.tries.get(run.id)
        if attempt is not None and attempt.restart_of is not None:
            extensions[self.ext("restart-of")] = attempt.restart_of.uid
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

    def scene_activity(self, run: RunRecord, d: DecisionRecord) -> dict[str, Any]:
        """The decision as a `choice` interaction: every option shown, the strongest as correct."""
        options = d.options or tuple("" for _ in range(max(d.choice, d.best_choice or 0) + 1))
        texts = {i: text for i, text in enumerate(options)}
        texts[d.choice] = d.choice_text
        if d.best_choice is not None and d.best_text is not None:
            texts[d.best_choice] = d.best_text
        choices = [
            {"id": str(i + 1), "description": {"en-US": text or f"Option {i + 1}"}} for i, text in sorted(texts.items())
        ]
        definition: dict[str, Any] = {
            "name": {"en-US": d.scene_title or d.scene},
            "type": INTERACTION,
            "interactionType": "choice",
            "choices": choices,
        }
        if d.best_choice is not None:
            definition["correctResponsesPattern"] = [str(d.best_choice + 1)]
        return {
            "objectType": "Activity",
            "id": f"{self.base}/campaigns/{run.campaign}/scenes/{d.scene}",
            "definition": definition,
        }

    def answered(self, run: RunRecord, d: DecisionRecord) -> dict[str, Any]:
        result: dict[str, Any] = {
            "response": str(d.choice + 1),
            "success": d.good,
            "score": {"scaled": scaled(d.value), "raw": figure(d.value), "min": SCORE_MIN, "max": SCORE_MAX},
            "extensions": _clean(
                {
                    self.ext("choice-text"): d.choice_text,
                    self.ext("push-pull"): figure(d.push_pull),
                    self.ext("audience"): figure(d.audience),
                    self.ext("closing"): figure(d.closing),
                    self.ext("technique"): d.technique,
                    self.ext("decision-number"): d.number,
                    self.ext("missed"): figure(d.missed),
                    self.ext("lessons"): list(d.lessons),
                    self.ext("locked-options"): [i + 1 for i in d.locked],
                }
            ),
        }
        if d.seconds is not None:
            result["duration"] = iso_duration(d.seconds)
        return {
            "id": self._id(f"decisions/{d.uid}"),
            "version": XAPI_VERSION,
            "actor": self.actor(run),
            "verb": self.verb("answered"),
            "object": self.scene_activity(run, d),
            "result": result,
            "context": self.context(run, d.role),
            "timestamp": d.decided_at,
        }

    def voided(self, run: RunRecord, d: DecisionRecord) -> dict[str, Any]:
        """An undo took the choice back: its `answered` statement is voided (never overwritten)."""
        return {
            "id": self._id(f"decisions/{d.uid}/voided"),
            "version": XAPI_VERSION,
            "actor": self.actor(run),
            "verb": self.verb("voided"),
            "object": {"objectType": "StatementRef", "id": self._id(f"decisions/{d.uid}")},
            "timestamp": d.undone_at,
        }

    def finished(self, run: RunRecord) -> list[dict[str, Any]]:
        """`completed` for a run that reached its ending; an assessment adds `passed` or `failed`.
        The duration is the time spent on the run's own choices (breaks between sign-ins and
        choices carried over from an earlier run do not count)."""
        assessed = run.mode == "assessment"
        passed = run.percent >= self.pass_mark
        totals = {role: {axis: figure(run.totals[role][axis]) for axis in AXES} for role in ROLES}
        score = {"scaled": round(run.percent / 100, DECIMALS), "raw": figure(run.percent), "min": 0, "max": 100}
        duration = iso_duration(run.played_seconds)
        extensions = _clean(
            {
                self.ext("grade"): run.grade,
                self.ext("ending"): run.ending,
                self.ext("outcome"): run.outcome,
                self.ext("totals"): totals,
                self.ext("decisions"): len(run.decisions),
                self.ext("carried-over"): sum(d.carried for d in run.decisions),
                **({self.ext("pass-mark"): self.pass_mark} if assessed else {}),
            }
        )
        completed: dict[str, Any] = {"completion": True, "duration": duration, "score": score, "extensions": extensions}
        results: list[tuple[str, dict[str, Any]]] = [("completed", completed)]
        if assessed:
            completed["success"] = passed
            results.append(
                ("passed" if passed else "failed", {"success": passed, "duration": duration, "score": score})
            )
        return [
            {
                "id": self._id(f"runs/{run.uid}/{verb}"),
                "version": XAPI_VERSION,
                "actor": self.actor(run),
                "verb": self.verb(verb),
                "object": self.campaign_activity(run),
                "result": result,
                "context": self.context(run),
                "timestamp": run.ended_at,
            }
            for verb, result in results
        ]

    def statements(self, runs: list[RunRecord]) -> list[dict[str, Any]]:
        """Every run's statements, each run's in the order its events happened."""
        self.tries = attempts(runs)
        out: list[dict[str, Any]] = []
        for run in runs:
            events: list[tuple[str, int, dict[str, Any]]] = []
            for d in (*run.decisions, *run.undone):
                if d.carried:
                    continue  # sent with the run it was chosen in
                events.append((d.decided_at, 0, self.answered(run, d)))
                if d.undone_at is not None:
                    events.append((d.undone_at, 1, self.voided(run, d)))
            if run.finished:
                events += [(str(run.ended_at), 2, s) for s in self.finished(run)]
            out += [statement for _, _, statement in sorted(events, key=lambda e: (e[0], e[1]))]
        return out


def to_xapi(runs: list[RunRecord], base_iri: str = DEFAULT_BASE_IRI, pass_mark: float = DEFAULT_PASS_MARK) -> str:
    """The runs as a JSON array of xAPI statements."""
    statements = XapiBuilder(base_iri, pass_mark).statements(runs)
    return json_text(statements, indent=2) + "\n"
