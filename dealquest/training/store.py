"""The results store: every training run and each of its choices, in one SQLite file.

Many trainees may play on one machine at once (one process per browser tab under `dealquest
serve`), all writing to the same file. So the file runs in WAL mode with a generous busy timeout,
every write is one `BEGIN IMMEDIATE` transaction, and a choice is committed (with a full sync)
the moment it is made: a crash or a closed laptop loses at most the choice being made.

The layout's version lives in `PRAGMA user_version`; `MIGRATIONS` bring an older file up to date
in place, after keeping a copy of it next to the original. Figures stored here come from the
engine when the choice is made (see `recorder`), so reports never recompute them differently.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from dealquest.story.model import AXES, ROLES, Axis, Lesson, Outcome, Role, Technique
from dealquest.training import Mode

#: The layout this DealQuest writes. Bump it with a new entry in MIGRATIONS.
SCHEMA_VERSION = 3
#: Marks the file as a DealQuest results store ("DQRS").
APPLICATION_ID = 0x44515253
#: How long a writer waits for another one before giving up (a write takes milliseconds).
BUSY_TIMEOUT_SECONDS = 30.0
STORE_FILE = "results.sqlite"

Totals = dict[Role, dict[Axis, float | None]]


class StoreError(Exception):
    """The store cannot be opened, read or written; the message says why in one line."""


def now() -> str:
    """The time now, as stored: ISO 8601 in UTC, to the millisecond."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def default_path() -> Path:
    """The store in the user data folder ($DEALQUEST_HOME overrides it)."""
    from dealquest.userdata.files import home

    return home() / STORE_FILE


# ---------------------------------------------------------------------------------------------- records


@dataclass(frozen=True)
class DecisionRecord:
    """One choice as recorded: the engine's figures for it, the best option on offer, the time taken."""

    number: int  # 1-based position in the run
    scene: str
    scene_title: str
    choice: int  # index in the scene's list of choices
    choice_text: str
    role: Role
    technique: Technique
    push_pull: float | None  # the marks, -2..+2 (push/pull: None for research and listening)
    audience: float
    closing: float  # after the audience and pressure rules
    value: float  # the decision's own worth, -2..2
    lessons: tuple[Lesson, ...]
    landed: str
    best_choice: int | None  # the highest-value option on offer (None: unknown)
    best_text: str | None
    best_value: float | None
    seconds: float | None  # from the scene shown to the choice; None when carried over
    decided_at: str
    carried: bool = False  # copied from an earlier run rather than chosen in this one
    verdict: str = ""  # what the feedback called the choice ("Good choice", "Breach of conduct", ...)
    good: bool = False  # counts as a good choice (the verdict's, never "value above zero")

    @property
    def missed(self) -> float:
        """How much more the best option on offer was worth than the choice made (0 when taken)."""
        if self.best_value is None or self.best_choice == self.choice:
            return 0.0
        return max(0.0, self.best_value - self.value)


@dataclass(frozen=True)
class RunSummary:
    """The figures of a run that change with each choice, from the engine's scorecard."""

    percent: float
    grade: str
    grade_label: str
    totals: Totals
    ending: str | None = None
    ending_title: str | None = None
    outcome: Outcome | None = None
    ended_at: str | None = None


@dataclass(frozen=True)
class NewRun:
    campaign: str
    campaign_version: str
    campaign_title: str
    campaign_path: str
    trainee: str
    mode: Mode
    seed: int
    started_at: str
    carried_from: int | None = None


@dataclass(frozen=True)
class RunRecord:
    """A run as stored, with its choices in order."""

    id: int
    uid: str  # a UUID: the run's identity outside this store (xAPI registration)
    campaign: str
    campaign_version: str
    campaign_title: str
    campaign_path: str
    trainee: str
    mode: Mode
    seed: int
    started_at: str
    updated_at: str
    ended_at: str | None
    ending: str | None
    ending_title: str | None
    outcome: Outcome | None
    percent: float
    grade: str
    grade_label: str
    totals: Totals
    undos: int
    carried_from: int | None
    decisions: tuple[DecisionRecord, ...]

    @property
    def finished(self) -> bool:
        return self.ended_at is not None

    @property
    def duration_seconds(self) -> float:
        """Wall time from the start to the ending (or to the last choice, while unfinished)."""
        end = self.ended_at or self.updated_at
        return max(0.0, (datetime.fromisoformat(end) - datetime.fromisoformat(self.started_at)).total_seconds())


# ---------------------------------------------------------------------------------------------- schema

_CURRENT = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    campaign TEXT NOT NULL,
    campaign_version TEXT NOT NULL,
    campaign_title TEXT NOT NULL DEFAULT '',
    campaign_path TEXT NOT NULL DEFAULT '',
    trainee TEXT NOT NULL,
    mode TEXT NOT NULL,
    seed INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT '',
    ended_at TEXT,
    ending TEXT,
    ending_title TEXT,
    outcome TEXT,
    percent REAL NOT NULL,
    grade TEXT NOT NULL,
    grade_label TEXT NOT NULL DEFAULT '',
    totals TEXT NOT NULL,
    undos INTEGER NOT NULL DEFAULT 0,
    carried_from INTEGER REFERENCES runs(id)
);
CREATE TABLE decisions (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    number INTEGER NOT NULL,
    scene TEXT NOT NULL,
    scene_title TEXT NOT NULL DEFAULT '',
    choice INTEGER NOT NULL,
    choice_text TEXT NOT NULL,
    role TEXT NOT NULL,
    technique TEXT NOT NULL,
    push_pull REAL,
    audience INTEGER NOT NULL,
    closing REAL NOT NULL,
    value REAL NOT NULL,
    lessons TEXT NOT NULL,
    landed TEXT NOT NULL,
    best_choice INTEGER,
    best_text TEXT,
    best_value REAL,
    seconds REAL,
    decided_at TEXT NOT NULL,
    carried INTEGER NOT NULL DEFAULT 0,
    verdict TEXT NOT NULL DEFAULT '',
    good INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, number)
);
CREATE INDEX runs_by_campaign ON runs (campaign, trainee);
"""

#: Version 1, the first layout, as tests/fixtures/stores/v1.sql holds it: no titles, no best
#: option, lessons as comma-separated text.
_V1_TO_V2 = """
ALTER TABLE runs ADD COLUMN campaign_title TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN campaign_path TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN ending_title TEXT;
ALTER TABLE runs ADD COLUMN grade_label TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN undos INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN carried_from INTEGER REFERENCES runs(id);
ALTER TABLE decisions ADD COLUMN scene_title TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN push_pull REAL;
ALTER TABLE decisions ADD COLUMN best_choice INTEGER;
ALTER TABLE decisions ADD COLUMN best_text TEXT;
ALTER TABLE decisions ADD COLUMN best_value REAL;
ALTER TABLE decisions ADD COLUMN carried INTEGER NOT NULL DEFAULT 0;
UPDATE runs SET campaign_title = campaign, ending_title = ending,
    updated_at = COALESCE(ended_at, (SELECT MAX(decided_at) FROM decisions WHERE run_id = runs.id), started_at);
UPDATE decisions SET scene_title = scene;
CREATE INDEX runs_by_campaign ON runs (campaign, trainee);
"""


#: Version 2 kept no verdict: the scoring model of issue 13 names each choice's verdict and whether it
#: counts as good (never the same as "value above zero"). Older rows get the old rule, said as such.
_V2_TO_V3 = """
ALTER TABLE decisions ADD COLUMN verdict TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN good INTEGER NOT NULL DEFAULT 0;
UPDATE decisions SET good = (value > 0), verdict = 'recorded before verdicts'
"""


def _v2_to_v3(db: sqlite3.Connection) -> None:
    for statement in _V2_TO_V3.split(";\n"):
        if statement.strip():
            db.execute(statement)


def _v1_to_v2(db: sqlite3.Connection) -> None:
    # One statement at a time: executescript would commit the caller's transaction.
    for statement in _V1_TO_V2.split(";\n"):
        if statement.strip():
            db.execute(statement)
    # Lessons were comma-separated text; they are JSON lists now.
    rows = db.execute("SELECT run_id, number, lessons FROM decisions").fetchall()
    for run_id, number, lessons in rows:
        names = [name.strip() for name in str(lessons or "").split(",") if name.strip()]
        db.execute(
            "UPDATE decisions SET lessons = ? WHERE run_id = ? AND number = ?", (json.dumps(names), run_id, number)
        )


#: MIGRATIONS[n] turns a version-n store into version n + 1, inside the caller's transaction.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _v1_to_v2, 2: _v2_to_v3}


# ---------------------------------------------------------------------------------------------- the store


def _explain(exc: sqlite3.Error) -> str:
    text = str(exc)
    if "file is not a database" in text:
        return "not a DealQuest results store (the file is not an SQLite database)"
    if "malformed" in text:
        return "the results store is damaged (database disk image is malformed)"
    if "locked" in text or "busy" in text:
        return f"the results store stayed busy for more than {BUSY_TIMEOUT_SECONDS:.0f} seconds; try again"
    if "readonly" in text or "read-only" in text:
        return "the results store cannot be written (read-only)"
    if "unable to open" in text:
        return "the results store cannot be opened"
    return f"results store error: {text}"


class Store:
    """An open results store. One per process (or per app); it is not shared between threads."""

    def __init__(self, path: Path, *, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise StoreError(f"there are no results at {self.path} yet (no training run has been recorded there)")
        if self.path.is_dir():
            raise StoreError(f"{self.path} is a folder; name a file for the results store")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for {self.path}: {exc.strerror or exc}") from None
        try:
            self.db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {_explain(exc)}") from None
        try:
            with self._errors():
                self.db.row_factory = sqlite3.Row
                self.db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
                self.db.execute("PRAGMA foreign_keys = ON")
                if self.db.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
                    raise StoreError(f"{self.path}: the results store cannot use WAL mode on this file system")
                # FULL: each committed choice survives a power cut, not only a crash of the program.
                self.db.execute("PRAGMA synchronous = FULL")
                self._prepare()
        except BaseException:
            self.db.close()
            raise

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {_explain(exc)}") from None

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once so concurrent writers queue instead of deadlocking."""
        with self._errors():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def _prepare(self) -> None:
        """Create the tables of a new store, or migrate an older one, in one transaction."""
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if 0 < version < SCHEMA_VERSION:
            self._backup(version)  # outside the transaction: a backup waits for writers to finish
        with self._write() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            app = db.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not tables and version == 0:
                for statement in _CURRENT.split(";\n"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                return
            if app != APPLICATION_ID or not {"runs", "decisions"} <= tables:
                raise StoreError(f"{self.path}: not a DealQuest results store (it holds other data)")
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path}: written by a newer DealQuest (results schema {version}, this one reads up to "
                    f"{SCHEMA_VERSION}); update DealQuest to use it"
                )
            if version < SCHEMA_VERSION:
                while version < SCHEMA_VERSION:
                    MIGRATIONS[version](db)
                    version += 1
                db.execute(f"PRAGMA user_version = {version}")

    def _backup(self, version: int) -> None:
        """Keep a copy of an older store before migrating it (never overwriting an earlier copy)."""
        target = self.path.with_name(f"{self.path.name}.v{version}.bak")
        if target.exists():
            return
        copy = sqlite3.connect(target)
        try:
            self.db.backup(copy)
        finally:
            copy.close()

    @property
    def schema_version(self) -> int:
        with self._errors():
            return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    # ------------------------------------------------------------------------------------------ writing

    def start_run(self, run: NewRun, summary: RunSummary, carried: Sequence[DecisionRecord] = ()) -> int:
        """Record a new run (with any choices it carries over from an earlier one); its id."""
        uid = str(uuid.uuid4())
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO runs (uid, campaign, campaign_version, campaign_title, campaign_path, trainee, mode, "
                "seed, started_at, updated_at, percent, grade, grade_label, totals, carried_from) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    uid,
                    run.campaign,
                    run.campaign_version,
                    run.campaign_title,
                    run.campaign_path,
                    run.trainee,
                    run.mode,
                    run.seed,
                    run.started_at,
                    run.started_at,
                    summary.percent,
                    summary.grade,
                    summary.grade_label,
                    json.dumps({**summary.totals, "scale": TOTALS_SCALE}),
                    run.carried_from,
                ),
            )
            run_id = cast(int, cursor.lastrowid)
            for decision in carried:
                self._insert(db, run_id, decision)
            self._update(db, run_id, summary, run.started_at)
        return run_id

    def add_decision(self, run_id: int, decision: DecisionRecord, summary: RunSummary) -> None:
        """Record one choice and the run's figures after it, in one transaction."""
        with self._write() as db:
            self._insert(db, run_id, decision)
            self._update(db, run_id, summary, decision.decided_at)

    def truncate(self, run_id: int, keep: int, summary: RunSummary) -> None:
        """Undo: forget the run's choices after the first `keep`, and count the undo."""
        with self._write() as db:
            db.execute("DELETE FROM decisions WHERE run_id = ? AND number > ?", (run_id, keep))
            db.execute("UPDATE runs SET undos = undos + 1 WHERE id = ?", (run_id,))
            self._update(db, run_id, summary, now())

    @staticmethod
    def _insert(db: sqlite3.Connection, run_id: int, d: DecisionRecord) -> None:
        db.execute(
            "INSERT INTO decisions (run_id, number, scene, scene_title, choice, choice_text, role, technique, "
            "push_pull, audience, closing, value, lessons, landed, best_choice, best_text, best_value, seconds, "
            "decided_at, carried, verdict, good) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                run_id,
                d.number,
                d.scene,
                d.scene_title,
                d.choice,
                d.choice_text,
                d.role,
                d.technique,
                d.push_pull,
                d.audience,
                d.closing,
                d.value,
                json.dumps(list(d.lessons)),
                d.landed,
                d.best_choice,
                d.best_text,
                d.best_value,
                d.seconds,
                d.decided_at,
                int(d.carried),
                d.verdict,
                int(d.good),
            ),
        )

    @staticmethod
    def _update(db: sqlite3.Connection, run_id: int, s: RunSummary, when: str) -> None:
        db.execute(
            "UPDATE runs SET percent = ?, grade = ?, grade_label = ?, totals = ?, ending = ?, ending_title = ?, "
            "outcome = ?, ended_at = ?, updated_at = ? WHERE id = ?",
            (
                s.percent,
                s.grade,
                s.grade_label,
                json.dumps({**s.totals, "scale": TOTALS_SCALE}),
                s.ending,
                s.ending_title,
                s.outcome,
                s.ended_at,
                when,
                run_id,
            ),
        )

    # ------------------------------------------------------------------------------------------ reading

    def runs(self, campaign: str | None = None, trainee: str | None = None) -> list[RunRecord]:
        """Every run (of one campaign, of one trainee), oldest first, with its choices."""
        with self._errors():
            self.db.execute("BEGIN")  # one snapshot: runs and their choices as of the same moment
            try:
                rows = self.db.execute(
                    "SELECT * FROM runs WHERE (:c IS NULL OR campaign = :c) AND (:t IS NULL OR trainee = :t) "
                    "ORDER BY started_at, id",
                    {"c": campaign, "t": trainee},
                ).fetchall()
                decided: dict[int, list[DecisionRecord]] = {row["id"]: [] for row in rows}
                for d in self.db.execute(
                    "SELECT d.* FROM decisions d JOIN runs r ON r.id = d.run_id "
                    "WHERE (:c IS NULL OR r.campaign = :c) AND (:t IS NULL OR r.trainee = :t) "
                    "ORDER BY d.run_id, d.number",
                    {"c": campaign, "t": trainee},
                ):
                    decided[d["run_id"]].append(_decision(d))
            finally:
                self.db.execute("COMMIT")
            return [_run(row, decided[row["id"]]) for row in rows]

    def run(self, run_id: int) -> RunRecord:
        with self._errors():
            row = self.db.execute("SELECT campaign FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: there is no run {run_id}")
        return next(r for r in self.runs(row["campaign"]) if r.id == run_id)

    def campaigns(self) -> dict[str, int]:
        """The campaigns with runs in the store, and how many runs each."""
        with self._errors():
            rows = self.db.execute("SELECT campaign, COUNT(*) FROM runs GROUP BY campaign ORDER BY campaign")
            return {str(r[0]): int(r[1]) for r in rows}


#: How a run's axis totals are written: the mean mark, -2..+2. Runs recorded before it kept a share
#: from 0 to 1 (marks mapped onto it) and carry no "scale" key; they are read back onto the marks.
TOTALS_SCALE = "marks"


def _totals(text: str) -> Totals:
    raw: dict[str, Any] = json.loads(text or "{}")
    shares = raw.get("scale") != TOTALS_SCALE
    out: Totals = {}
    for role in ROLES:
        axes = raw.get(role, {})
        out[role] = {
            axis: (
                (4 * float(axes[axis]) - 2 if shares else float(axes[axis])) if axes.get(axis) is not None else None
            )
            for axis in AXES
        }
    return out


def _decision(d: sqlite3.Row) -> DecisionRecord:
    return DecisionRecord(
        number=d["number"],
        scene=d["scene"],
        scene_title=d["scene_title"],
        choice=d["choice"],
        choice_text=d["choice_text"],
        role=d["role"],
        technique=d["technique"],
        push_pull=d["push_pull"],
        audience=d["audience"],
        closing=d["closing"],
        value=d["value"],
        lessons=tuple(json.loads(d["lessons"] or "[]")),
        landed=d["landed"],
        best_choice=d["best_choice"],
        best_text=d["best_text"],
        best_value=d["best_value"],
        seconds=d["seconds"],
        decided_at=d["decided_at"],
        carried=bool(d["carried"]),
        verdict=d["verdict"],
        good=bool(d["good"]),
    )


def _run(row: sqlite3.Row, decisions: list[DecisionRecord]) -> RunRecord:
    return RunRecord(
        id=row["id"],
        uid=row["uid"],
        campaign=row["campaign"],
        campaign_version=row["campaign_version"],
        campaign_title=row["campaign_title"] or row["campaign"],
        campaign_path=row["campaign_path"],
        trainee=row["trainee"],
        mode=row["mode"],
        seed=row["seed"],
        started_at=row["started_at"],
        updated_at=row["updated_at"] or row["started_at"],
        ended_at=row["ended_at"],
        ending=row["ending"],
        ending_title=row["ending_title"],
        outcome=row["outcome"],
        percent=row["percent"],
        grade=row["grade"],
        grade_label=row["grade_label"],
        totals=_totals(row["totals"]),
        undos=row["undos"],
        carried_from=row["carried_from"],
        decisions=tuple(decisions),
    )


def open_store(path: Path | str | None = None, *, create: bool = True) -> Store:
    """The store at path (default: the user data folder's); StoreError says why it cannot be used."""
    return Store(Path(path) if path is not None else default_path(), create=create)
