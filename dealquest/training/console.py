"""What the trainer's live class console shows, computed from the results store (read-only).

`ClassWatch` keeps a read-only connection and re-reads the runs only when another process has
committed since the last look (`PRAGMA data_version`), so polling it every half second costs the
trainees nothing: a reader never takes the write lock. `room` turns the runs into rows: each
trainee's role now, decision number, grade so far, time since the last choice and a stuck mark,
and the room's split at the decisions being played now.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dealquest.story.campaign import Campaign
from dealquest.story.model import Role, Scene
from dealquest.training.attempts import trainees
from dealquest.training.store import RunRecord, Store, open_store

#: A trainee with no choice for this long (and no ending) is marked stuck (`dealquest class --stuck`).
STUCK_SECONDS = 180.0
#: How many decisions the split shows.
TOP_SPLITS = 3


@dataclass(frozen=True)
class TraineeRow:
    trainee: str
    campaign: str
    mode: str
    role: Role | None  # the role of the decision being played (of the last one, once finished)
    decision: int  # the decision being played now (choices made + 1), or the number made when finished
    finished: bool
    grade: str  # the grade (finished) or the grade so far
    percent: float
    idle_seconds: float | None  # since the last choice (or the start); None when finished
    stuck: bool
    restarted: bool


@dataclass(frozen=True)
class Split:
    """How the room chose at a decision being played now."""

    scene: str
    title: str
    role: Role
    picks: list[tuple[str, int]]  # option text, trainees who chose it
    playing: int  # trainees at this decision now

    @property
    def decided(self) -> int:
        return sum(n for _, n in self.picks)


@dataclass(frozen=True)
class Room:
    rows: list[TraineeRow]
    splits: list[Split]
    runs: int
    warnings: list[str]

    @property
    def stuck(self) -> int:
        return sum(r.stuck for r in self.rows)


def _seconds(since: str, now: datetime) -> float:
    return max(0.0, (now - datetime.fromisoformat(since)).total_seconds())


def _at(run: RunRecord, campaign: Campaign | None) -> tuple[str | None, Role | None]:
    """The scene a run is at now and its role (from the campaign; else the last choice's role)."""
    if not run.decisions:
        if campaign is None:
            return None, None
        start = campaign.scenes.get(campaign.header.start)
        return campaign.header.start, start.role if start is not None else None
    last = run.decisions[-1]
    node = campaign.scenes.get(last.landed) if campaign is not None else None
    if run.finished:
        return None, last.role
    return last.landed, node.role if isinstance(node, Scene) else last.role


def room(
    runs: list[RunRecord],
    now: datetime,
    stuck_after: float = STUCK_SECONDS,
    campaigns: dict[str, Campaign] | None = None,
) -> Room:
    """The class as it stands: one row per trainee (their latest run), and the current splits."""
    people, warnings = trainees(runs)
    rows = []
    latest_runs = []
    at_now: Counter[str] = Counter()
    for person in people:
        run = person.runs[-1]
        latest_runs.append(run)
        last = run.decisions[-1] if run.decisions else None
        idle = None if run.finished else _seconds(last.decided_at if last else run.started_at, now)
        scene, role = _at(run, (campaigns or {}).get(run.campaign))
        if scene is not None:
            at_now[scene] += 1
        rows.append(
            TraineeRow(
                trainee=person.name,
                campaign=run.campaign,
                mode=run.mode,
                role=role,
                decision=len(run.decisions) + (0 if run.finished else 1),
                finished=run.finished,
                grade=run.grade,
                percent=run.percent,
                idle_seconds=idle,
                stuck=idle is not None and idle >= stuck_after,
                restarted=bool(person.restarted),
            )
        )
    rows.sort(key=lambda r: (r.finished, -(r.idle_seconds or 0.0), r.trainee.casefold()))
    # The decisions being played now, and how those who already made them chose.
    splits = []
    for scene, playing in sorted(at_now.items(), key=lambda item: (-item[1], item[0]))[:TOP_SPLITS]:
        picks: Counter[str] = Counter()
        title, role = scene, None
        for run in latest_runs:
            for d in run.decisions:
                if d.scene == scene:
                    picks[d.choice_text] += 1
                    title, role = d.scene_title, d.role
                    break
        if role is not None:
            splits.append(Split(scene, title, role, picks.most_common(), playing))
    return Room(rows, splits, len(runs), warnings)


class ClassWatch:
    """A read-only view of the store that notices new choices without re-reading when nothing changed."""

    def __init__(self, path: Path | str, campaign: str | None = None) -> None:
        self.path = path
        self.campaign = campaign
        self.store: Store | None = None
        self.version: object = None
        self.runs: list[RunRecord] = []
        self.problem: str | None = None
        #: The campaigns of the runs, loaded once each (None: could not be loaded here).
        self.campaigns: dict[str, Campaign] = {}
        self._looked: set[str] = set()

    def poll(self) -> bool:
        """Look at the store; True when the runs changed since the last look."""
        from dealquest.training.store import StoreError

        try:
            if self.store is None:
                self.store = open_store(self.path, readonly=True)
            version = self.store.changes()
            if version == self.version and self.problem is None:
                return False
            self.runs = self.store.runs(self.campaign)
            self.version = version
            self.problem = None
            self._load_campaigns()
        except StoreError as exc:
            if self.store is not None:
                self.store.close()
                self.store = None
            changed = self.problem != str(exc)
            self.problem = str(exc)
            return changed
        return True

    def _load_campaigns(self) -> None:
        from dealquest.training.cohort import find_campaign

        for run in self.runs:
            if run.campaign not in self._looked:
                self._looked.add(run.campaign)
                found = find_campaign([r for r in self.runs if r.campaign == run.campaign])
                if found is not None:
                    self.campaigns[run.campaign] = found

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None
