"""Who played which runs, and which run counts: one home for the rules the report and exports share.

- **Who**: runs belong to one trainee when they carry the same `--trainee-id`, else the same name
  by `name_key` (case, spaces and Unicode forms aside). Two people who typed the same name are
  caught when their runs overlap in time from different sessions (terminals, browser tabs): they
  are shown apart, as "Sam (1)" and "Sam (2)", with a warning, never silently merged.
- **Attempts**: a trainee's assessment runs are numbered; an assessment left unfinished and then
  started again is *restarted* (flagged in the report and the exports).
- **Which run counts** in the group's figures (`ATTEMPT_RULES`, chosen by the facilitator with
  `dealquest report --attempt`): the first attempt by default.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from dealquest.training import normalise_name
from dealquest.training.store import RunRecord

AttemptRule = Literal["first", "last", "best"]
ATTEMPT_RULES: tuple[AttemptRule, ...] = ("first", "last", "best")
ATTEMPT_TEXT: dict[AttemptRule, str] = {
    "first": (
        "Each trainee counts once, through their first attempt: their first assessment run (even if it was "
        "left unfinished and started again), else their first finished run, else the run that got furthest."
    ),
    "last": (
        "Each trainee counts once, through their last attempt: their last assessment run, else their last "
        "finished run, else the run that got furthest."
    ),
    "best": (
        "Each trainee counts once, through their best attempt: their finished assessment run with the highest "
        "grade, else their best finished run, else the run that got furthest."
    ),
}


@dataclass(frozen=True)
class Trainee:
    """One person's runs of one campaign, oldest first."""

    key: str  # what groups the runs: "id:..." or "name:..." (and "#n" when one name is two people)
    name: str  # as shown: the name as first typed, normalised, with "(n)" when two people share it
    runs: tuple[RunRecord, ...]

    @property
    def assessments(self) -> list[RunRecord]:
        return [r for r in self.runs if r.mode == "assessment" and r.decisions]

    @property
    def restarted(self) -> list[RunRecord]:
        """Assessment runs left unfinished and then started again (by a later assessment run)."""
        tried = self.assessments
        return [r for i, r in enumerate(tried) if not r.finished and i + 1 < len(tried)]


def _overlap(a: RunRecord, b: RunRecord) -> bool:
    start_a, end_a = datetime.fromisoformat(a.started_at), datetime.fromisoformat(a.updated_at)
    start_b, end_b = datetime.fromisoformat(b.started_at), datetime.fromisoformat(b.updated_at)
    return start_a <= end_b and start_b <= end_a


def same_name_conflicts(runs: Sequence[RunRecord]) -> list[tuple[RunRecord, RunRecord]]:
    """Pairs of runs under one name that ran at the same time from different sessions."""
    return [
        (a, b)
        for i, a in enumerate(runs)
        for b in runs[i + 1 :]
        if a.session and b.session and a.session != b.session and _overlap(a, b)
    ]


def trainees(runs: Sequence[RunRecord]) -> tuple[list[Trainee], list[str]]:
    """The runs grouped by trainee (in the order of their first run), and one warning per name that
    two people seem to share."""
    groups: dict[str, list[RunRecord]] = {}
    for run in sorted(runs, key=lambda r: (r.started_at, r.id)):
        groups.setdefault(run.identity, []).append(run)
    out: list[Trainee] = []
    warnings: list[str] = []
    for key, own in groups.items():
        name = normalise_name(own[0].trainee)
        clashes = same_name_conflicts(own) if not key.startswith("id:") else []
        if not clashes:
            out.append(Trainee(key, name, tuple(own)))
            continue
        sessions = list(dict.fromkeys(r.session for r in own))
        for n, session in enumerate(sessions, start=1):
            out.append(Trainee(f"{key}#{n}", f"{name} ({n})", tuple(r for r in own if r.session == session)))
        a, b = clashes[0]
        warnings.append(
            f"{len(sessions)} people may share the name “{name}”: runs {a.id} and {b.id} were played at the same "
            f"time from different sessions. They are shown apart as {name} (1) to {name} ({len(sessions)}); "
            "next time give them different names or a --trainee-id."
        )
    return out, warnings


def counted_run(runs: Sequence[RunRecord], rule: AttemptRule = "first") -> RunRecord | None:
    """The run that stands for a trainee in the group's figures, by the facilitator's rule."""
    started = [r for r in runs if r.decisions]
    assessed = [r for r in started if r.mode == "assessment"]
    finished = [r for r in started if r.finished]
    if rule == "first" and (assessed or finished):
        return (assessed or finished)[0]
    if rule == "last" and (assessed or finished):
        return (assessed or finished)[-1]
    if rule == "best":
        done = [r for r in assessed if r.finished] or finished
        if done:
            return max(done, key=lambda r: (r.percent, -done.index(r)))
    return max(started, key=lambda r: (len(r.decisions), r.started_at)) if started else None


@dataclass(frozen=True)
class Attempt:
    """Where a run stands among its trainee's attempts, for the exports."""

    number: int  # 1-based among the trainee's runs of this mode
    restarted: bool  # an assessment left unfinished and started again
    restart_of: RunRecord | None  # for the run after a restart: the run it started again


def attempts(runs: Sequence[RunRecord]) -> dict[int, Attempt]:
    """Each run's attempt number and restart flags, by run id."""
    out: dict[int, Attempt] = {}
    by_campaign: dict[str, list[RunRecord]] = {}
    for run in runs:
        by_campaign.setdefault(run.campaign, []).append(run)
    for group in by_campaign.values():
        people, _ = trainees(group)
        for person in people:
            restarted = {r.id for r in person.restarted}
            previous: dict[str, RunRecord] = {}
            counts: dict[str, int] = {}
            for run in person.runs:
                counts[run.mode] = counts.get(run.mode, 0) + 1
                before = previous.get(run.mode)
                restart_of = before if before is not None and before.id in restarted else None
                out[run.id] = Attempt(counts[run.mode], run.id in restarted, restart_of)
                if run.decisions:
                    previous[run.mode] = run
    return out
