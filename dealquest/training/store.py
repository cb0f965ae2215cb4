"""The results store: every training run and each of its choices, in one SQLite file or on a
PostgreSQL server.

`Store` is the one interface every front end, report and export uses; it holds the SQL the two
backends share. `SqliteStore` keeps a classroom's results in one file; `pgstore.PostgresStore`
(psycopg 3, the `postgres` extra) lets several `dealquest serve` hosts and a year of classes share
one database. `open_store` picks the backend from `--results`: a postgresql:// URL or a path.

The guarantees are the same on both. A choice is committed (durably) the moment it is made, in one
transaction, before the game moves on: a crash loses at most the choice being made. Many writers
at once lose nothing: SQLite runs in WAL mode and takes each write with `BEGIN IMMEDIATE`;
PostgreSQL locks the run's row. A write that finds the store busy raises `StoreBusy` after a short
wait, so the caller can tell the trainee and try again rather than freeze (see
`recorder.patiently`).

Reading (`open_store(..., readonly=True)`: list, report, export, the class console) never writes
and never waits for a writer: a `mode=ro` SQLite file, or a read-only REPEATABLE READ snapshot on
the server. A damaged run is reported in one line (`Store.damaged`) and left out; everything else
is read.

The layout's version is kept in the store (`PRAGMA user_version`, or the `dealquest_store` table);
`MIGRATIONS` bring an older store up to date, one list for both backends (PostgreSQL stores began
at version 5, so versions 1 and 2 exist only as files). A SQLite file is copied aside before it is
migrated in place (a reader migrates a copy in memory); on the server the migration is one
transaction. Figures stored here come from the engine when the choice is made (see `recorder`), so
reports never recompute them differently.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, cast

from dealquest.story.model import AXES, LESSONS, ROLES, Axis, Lesson, Outcome, Role, Technique
from dealquest.training import MODES, Mode, name_key
from dealquest.training.sessions import Release, file_session_alive, hold_file_session

#: The layout this DealQuest writes. Bump it with a new entry in MIGRATIONS.
SCHEMA_VERSION = 5
#: Marks the file as a DealQuest results store ("DQRS").
APPLICATION_ID = 0x44515253
#: How long one write waits for another writer before raising StoreBusy (a write takes
#: milliseconds; the caller tells the trainee and tries again).
WRITE_WAIT_SECONDS = 1.0
#: How long creating or migrating a store waits for other writers (once per file, at its start).
PREPARE_WAIT_SECONDS = 30.0
#: A reader waits this long at most, and only in the rare moment a writer rebuilds the WAL index.
READ_WAIT_SECONDS = 2.0
STORE_FILE = "results.sqlite"

Totals = dict[Role, dict[Axis, float | None]]

TECHNIQUES = ("push", "pull", "blend", "none")
OUTCOMES = ("success", "partial", "failure")


class StoreError(Exception):
    """The store cannot be opened, read or written; the message says why in one line."""


class StoreBusy(StoreError):
    """Another program held the store's write lock for the whole wait: nothing was written."""


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
    choice: int  # index in the scene's list of choices (0-based; exports show it from 1)
    choice_text: str
    role: Role
    technique: Technique
    push_pull: float | None  # how the technique fits the role's target mix, -2..2 (None: unknown)
    audience: float
    closing: float  # after the audience rule
    value: float  # the decision's own worth, -2..2
    lessons: tuple[Lesson, ...]
    landed: str
    best_choice: int | None  # the highest-value option on offer (None: unknown)
    best_text: str | None
    best_value: float | None
    seconds: float | None  # from the scene shown to the choice; None when carried over
    decided_at: str
    carried: bool = False  # copied from an earlier run rather than chosen in this one
    uid: str = ""  # this recorded event's identity (a UUID), given by the store
    undone_at: str | None = None  # when an undo took it back (it stays in the store, for xAPI voiding)
    options: tuple[str, ...] = ()  # every option's text as shown, in order ('' when not recorded)
    locked: tuple[int, ...] = ()  # the options shown locked (indices)
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
    trainee_id: str | None = None  # a stable id beside the display name (--trainee-id), when given
    session: str = ""  # the process (terminal, browser tab) that started the run


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
    trainee_id: str | None = None
    session: str = ""
    resumes: int = 0  # how often the trainee signed in again and went on with it
    undone: tuple[DecisionRecord, ...] = ()  # choices an undo took back, oldest first

    @property
    def finished(self) -> bool:
        return self.ended_at is not None

    @property
    def identity(self) -> str:
        """Who played it, for grouping: the stable id when given, else the normalised name."""
        return f"id:{self.trainee_id}" if self.trainee_id else f"name:{name_key(self.trainee)}"

    @property
    def duration_seconds(self) -> float:
        """Wall time from the start to the ending (or to the last choice, while unfinished)."""
        end = self.ended_at or self.updated_at
        return max(0.0, (datetime.fromisoformat(end) - datetime.fromisoformat(self.started_at)).total_seconds())

    @property
    def played_seconds(self) -> float:
        """Time spent on this run's own choices: breaks between sign-ins and carried choices excluded."""
        return sum(d.seconds or 0.0 for d in (*self.decisions, *self.undone) if not d.carried)


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
    carried_from INTEGER REFERENCES runs(id),
    trainee_key TEXT NOT NULL DEFAULT '',
    trainee_id TEXT,
    session TEXT NOT NULL DEFAULT '',
    resumes INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
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
    undone_at TEXT,
    options TEXT NOT NULL DEFAULT '[]',
    locked TEXT NOT NULL DEFAULT '[]',
    verdict TEXT NOT NULL DEFAULT '',
    good INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX decisions_live ON decisions (run_id, number) WHERE undone_at IS NULL;
CREATE INDEX runs_by_campaign ON runs (campaign, trainee);
CREATE INDEX runs_by_key ON runs (campaign, trainee_key);
CREATE TABLE lrs_sent (
    lrs TEXT NOT NULL,
    statement TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (lrs, statement)
)
"""
_V3_INDEXES = """
CREATE UNIQUE INDEX decisions_live ON decisions (run_id, number) WHERE undone_at IS NULL;
CREATE INDEX runs_by_key ON runs (campaign, trainee_key)
"""

#: The columns a reader needs in each table (a damaged file may have lost one): those of the layout.
COLUMNS = {
    table: re.findall(r"^    ([a-z_]+) ", body, re.M)
    for table, body in re.findall(r"CREATE TABLE (\w+) \((.*?)\n\);", _CURRENT, re.S)
}

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


def _statements(db: Connection, script: str) -> None:
    # One statement at a time: executescript would commit the caller's transaction.
    for statement in script.split(";\n"):
        if statement.strip():
            db.execute(statement)


def _v1_to_v2(db: Connection) -> None:
    _statements(db, _V1_TO_V2)
    # Lessons were comma-separated text; they are JSON lists now.
    rows = db.execute("SELECT run_id, number, lessons FROM decisions").fetchall()
    for run_id, number, lessons in rows:
        names = [name.strip() for name in str(lessons or "").split(",") if name.strip()]
        db.execute(
            "UPDATE decisions SET lessons = ? WHERE run_id = ? AND number = ?", (json.dumps(names), run_id, number)
        )


#: Version 2 kept one row per (run, number) and deleted undone choices; version 3 gives each
#: recorded choice its own id (an undone one stays, marked), the options shown, and the trainee's
#: normalised name, stable id and session.
_V2_TO_V3 = """
ALTER TABLE runs ADD COLUMN trainee_key TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN trainee_id TEXT;
ALTER TABLE runs ADD COLUMN session TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN resumes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE decisions RENAME TO decisions_v2;
DROP INDEX IF EXISTS runs_by_key
"""


def _v2_to_v3(db: Connection) -> None:
    _statements(db, _V2_TO_V3)
    decisions_table = _CURRENT[_CURRENT.index("CREATE TABLE decisions") : _CURRENT.index("CREATE UNIQUE INDEX")]
    _statements(db, decisions_table)
    old = table_columns(db, "decisions_v2")
    kept = ", ".join(c for c in COLUMNS["decisions"] if c in old)
    db.execute(
        f"INSERT INTO decisions (uid, {kept}) SELECT 'v2:' || run_id || ':' || number, {kept} FROM decisions_v2 "
        "ORDER BY run_id, number"
    )
    db.execute("DROP TABLE decisions_v2")
    # Stable ids for the old rows: the same store migrated twice exports the same statement ids.
    old_rows = db.execute("SELECT d.id, r.uid, d.number FROM decisions d JOIN runs r ON r.id = d.run_id").fetchall()
    for row_id, run_uid, number in old_rows:
        event = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{run_uid}/{number}"))
        db.execute("UPDATE decisions SET uid = ? WHERE id = ?", (event, row_id))
    for row_id, trainee in db.execute("SELECT id, trainee FROM runs").fetchall():
        db.execute("UPDATE runs SET trainee_key = ? WHERE id = ?", (name_key(str(trainee)), row_id))
    _statements(db, _V3_INDEXES)


def _v3_to_v4(db: Connection) -> None:
    """Version 4 keeps each choice's verdict and whether it counts as good (the scoring model names
    both, and "good" is never the same as "value above zero"). Older rows get the old rule, and say so."""
    have = table_columns(db, "decisions")
    if "verdict" not in have:  # a store migrated from version 2 has the columns already
        db.execute("ALTER TABLE decisions ADD COLUMN verdict TEXT NOT NULL DEFAULT ''")
    if "good" not in have:
        db.execute("ALTER TABLE decisions ADD COLUMN good INTEGER NOT NULL DEFAULT 0")
    db.execute(
        "UPDATE decisions SET good = CASE WHEN value > 0 THEN 1 ELSE 0 END, verdict = 'recorded before verdicts' "
        "WHERE verdict = ''"
    )


def _v4_to_v5(db: Connection) -> None:
    """Version 5 remembers which xAPI statements each Learning Record Store acknowledged."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS lrs_sent (lrs TEXT NOT NULL, statement TEXT NOT NULL, sent_at TEXT NOT NULL, "
        "PRIMARY KEY (lrs, statement))"
    )


#: MIGRATIONS[n] turns a version-n store into version n + 1, inside the caller's transaction.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
}


# ---------------------------------------------------------------------------------------------- the store


class Connection(Protocol):
    """What the shared code and the migrations use of a backend's connection (sqlite3's, or the
    PostgreSQL adapter in `pgstore`): statements with `?` placeholders, rows read by name or index."""

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Any: ...

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> Any: ...


def table_columns(db: Connection, table: str) -> set[str]:
    """The names of a table's columns, on either backend (empty when there is no such table)."""
    if isinstance(db, sqlite3.Connection):
        return {str(r[1]) for r in db.execute(f"PRAGMA table_info({table})")}
    rows = db.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?",
        (table,),
    ).fetchall()
    return {str(r[0]) for r in rows}


@dataclass(frozen=True)
class Copied:
    """What `copy_store` did: the runs and choices it wrote, those the target held already, and
    what it left out (a damaged run of the source, one line each)."""

    runs: int
    choices: int
    already_runs: int
    already_choices: int
    acknowledgements: int
    damaged: tuple[str, ...] = ()


class Store:
    """An open results store, on either backend: the one interface every front end, report and
    export uses. `SqliteStore` (below) keeps it in a file; `pgstore.PostgresStore` on a PostgreSQL
    server. Not shared between threads; one per process (or per app).

    `readonly=True` opens it for reading only (list, report, export, the class console): reading
    never waits for a writer, and write methods raise StoreError.
    """

    readonly: bool
    #: How messages name the store: its path, or its URL without the password.
    where: str
    #: What opens it again (`open_store(store.location)`): its path, or its full URL.
    location: str
    #: How long a write waits for another writer before StoreBusy.
    wait_seconds: float = WRITE_WAIT_SECONDS

    def __init__(self) -> None:
        #: One line per damaged run the last `runs()` left out, saying why.
        self.damaged: list[str] = []
        #: A note on what a read-only opening could not see (e.g. an unreadable -wal file), or None.
        self.note: str | None = None

    # ------------------------------------------------------------------------------- what a backend gives

    def close(self) -> None:
        raise NotImplementedError

    def write_wait(self, seconds: float) -> None:
        """How long each write waits for another writer before raising StoreBusy."""
        raise NotImplementedError

    @property
    def schema_version(self) -> int:
        raise NotImplementedError

    def changes(self) -> object:
        """A token that differs once another program has written to the store (the class console
        re-reads only then)."""
        raise NotImplementedError

    def backup(self, target: Path) -> tuple[int, int]:
        """A consistent copy of the store in one self-contained SQLite file, taken while trainees go
        on writing; the runs and choices it holds. Any command reads it with --results, and
        `dealquest results migrate` restores it into a server."""
        raise NotImplementedError

    def _write(self) -> contextlib.AbstractContextManager[Connection]:
        """One write transaction: committed (durably) when the block ends, rolled back on an error;
        concurrent writers queue rather than deadlock. StoreBusy after `wait_seconds`."""
        raise NotImplementedError

    def _read(self) -> contextlib.AbstractContextManager[Connection]:
        """One read-only snapshot: every query in the block sees the store as of the same moment."""
        raise NotImplementedError

    def _new_run_id(self, db: Connection, sql: str, params: Sequence[Any]) -> int:
        """Insert a run row; its id."""
        raise NotImplementedError

    def _hold_run(self, db: Connection, run_id: int) -> None:
        """Inside a write: keep other writers off this run until the transaction ends (SQLite's
        write transaction holds the whole file already)."""

    def _hold_all(self, db: Connection) -> None:
        """Inside a write: keep other copies into this store waiting until it ends."""

    def _ids_given(self, db: Connection) -> None:
        """Inside a write that gave runs and choices their ids itself (a copy keeping ids)."""

    def hold_session(self, session: str) -> Release | None:
        """Hold `session` as being played by this process until the release is called or the
        process ends (see `training.sessions`); None when it cannot be held."""
        return hold_file_session(session)

    def session_alive(self, session: str) -> bool:
        """Whether some process is playing this session's runs now."""
        return file_session_alive(session)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _readonly_refusal(self) -> StoreError:
        return StoreError(f"{self.where}: opened for reading only")

    # ------------------------------------------------------------------------------------------ writing

    def start_run(self, run: NewRun, summary: RunSummary, carried: Sequence[DecisionRecord] = ()) -> int:
        """Record a new run (with any choices it carries over from an earlier one); its id."""
        uid = str(uuid.uuid4())
        with self._write() as db:
            run_id = self._new_run_id(
                db,
                "INSERT INTO runs (uid, campaign, campaign_version, campaign_title, campaign_path, trainee, mode, "
                "seed, started_at, updated_at, percent, grade, grade_label, totals, carried_from, trainee_key, "
                "trainee_id, session) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    name_key(run.trainee),
                    run.trainee_id,
                    run.session,
                ),
            )
            for decision in carried:
                self._insert(db, run_id, decision)
            self._update(db, run_id, summary, run.started_at)
        return run_id

    def add_decision(self, run_id: int, decision: DecisionRecord, summary: RunSummary) -> None:
        """Record one choice and the run's figures after it, in one transaction. A choice out of order
        (not the one after the last recorded) is refused: a run never has a gap."""
        with self._write() as db:
            self._hold_run(db, run_id)
            last = db.execute(
                "SELECT COALESCE(MAX(number), 0) FROM decisions WHERE run_id = ? AND undone_at IS NULL", (run_id,)
            ).fetchone()[0]
            if decision.number != last + 1:
                raise StoreError(
                    f"{self.where}: choice {decision.number} of run {run_id} is out of order (the run has {last})"
                )
            self._insert(db, run_id, decision)
            self._update(db, run_id, summary, decision.decided_at)

    def truncate(self, run_id: int, keep: int, summary: RunSummary) -> None:
        """Undo: mark the run's choices after the first `keep` as undone, and count the undo."""
        when = now()
        with self._write() as db:
            self._hold_run(db, run_id)
            db.execute(
                "UPDATE decisions SET undone_at = ? WHERE run_id = ? AND number > ? AND undone_at IS NULL",
                (when, run_id, keep),
            )
            db.execute("UPDATE runs SET undos = undos + 1 WHERE id = ?", (run_id,))
            self._update(db, run_id, summary, when)

    def resumed(self, run_id: int, session: str) -> None:
        """The trainee signed in again (in this session) and goes on with this run."""
        with self._write() as db:
            db.execute(
                "UPDATE runs SET resumes = resumes + 1, updated_at = ?, session = ? WHERE id = ?",
                (now(), session, run_id),
            )

    @staticmethod
    def _insert(db: Connection, run_id: int, d: DecisionRecord) -> None:
        db.execute(
            "INSERT INTO decisions (uid, run_id, number, scene, scene_title, choice, choice_text, role, technique, "
            "push_pull, audience, closing, value, lessons, landed, best_choice, best_text, best_value, seconds, "
            "decided_at, carried, undone_at, options, locked, verdict, good) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                d.uid or str(uuid.uuid4()),
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
                d.undone_at,
                json.dumps(list(d.options), ensure_ascii=False),
                json.dumps(list(d.locked)),
                d.verdict,
                int(d.good),
            ),
        )

    @staticmethod
    def _update(db: Connection, run_id: int, s: RunSummary, when: str) -> None:
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

    def acknowledge(self, lrs: str, ids: list[str]) -> None:
        """Remember that this LRS holds these statements (a second acknowledgement changes nothing)."""
        when = now()
        with self._write() as db:
            db.executemany(
                "INSERT INTO lrs_sent (lrs, statement, sent_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [(lrs, i, when) for i in ids],
            )

    def put_runs(
        self, runs: Sequence[RunRecord], acknowledged: dict[str, set[str]], *, keep_ids: bool = False
    ) -> tuple[int, int]:
        """Write whole runs read from another store (oldest first), each with every choice it holds,
        undone ones included, in one transaction. A run whose uid is here already is left as it is;
        `keep_ids` keeps the runs' ids (into an empty store). The runs and choices written."""
        written = choices = 0
        with self._write() as db:
            self._hold_all(db)
            here = {str(r[0]): int(r[1]) for r in db.execute("SELECT uid, id FROM runs").fetchall()}
            ids: dict[int, int] = {}
            for run in runs:
                if run.uid in here:
                    ids[run.id] = here[run.uid]
                    continue
                carried = ids.get(run.carried_from) if run.carried_from is not None else None
                columns = (
                    "uid, campaign, campaign_version, campaign_title, campaign_path, trainee, mode, seed, "
                    "started_at, updated_at, ended_at, ending, ending_title, outcome, percent, grade, grade_label, "
                    "totals, undos, carried_from, trainee_key, trainee_id, session, resumes"
                )
                values: list[Any] = [
                    run.uid,
                    run.campaign,
                    run.campaign_version,
                    run.campaign_title,
                    run.campaign_path,
                    run.trainee,
                    run.mode,
                    run.seed,
                    run.started_at,
                    run.updated_at,
                    run.ended_at,
                    run.ending,
                    run.ending_title,
                    run.outcome,
                    run.percent,
                    run.grade,
                    run.grade_label,
                    json.dumps({**run.totals, "scale": TOTALS_SCALE}),
                    run.undos,
                    carried,
                    name_key(run.trainee),
                    run.trainee_id,
                    run.session,
                    run.resumes,
                ]
                if keep_ids:
                    columns, values = f"id, {columns}", [run.id, *values]
                marks = ", ".join("?" for _ in values)
                ids[run.id] = self._new_run_id(db, f"INSERT INTO runs ({columns}) VALUES ({marks})", values)
                for d in (*run.decisions, *run.undone):
                    self._insert(db, ids[run.id], d)
                written += 1
                choices += len(run.decisions)
            when = now()
            db.executemany(
                "INSERT INTO lrs_sent (lrs, statement, sent_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [(lrs, s, when) for lrs, statements in sorted(acknowledged.items()) for s in sorted(statements)],
            )
            if keep_ids:
                self._ids_given(db)
        return written, choices

    # ------------------------------------------------------------------------------------------ reading

    def runs(self, campaign: str | None = None, trainee: str | None = None) -> list[RunRecord]:
        """Every run (of one campaign, of one trainee), oldest first, with its choices. A damaged run
        is left out, with one line in `damaged` saying which and why."""
        with self._read() as db:  # one snapshot: runs and their choices as of the same moment
            return self._runs(db, campaign, trainee)

    def snapshot(self) -> tuple[list[RunRecord], dict[str, set[str]]]:
        """Every run and every LRS acknowledgement, as of one moment (for a copy of the store)."""
        with self._read() as db:
            runs = self._runs(db)
            acknowledged = self._acknowledgements(db)
        return runs, acknowledged

    def _runs(self, db: Connection, campaign: str | None = None, trainee: str | None = None) -> list[RunRecord]:
        self.damaged = []
        where, params = [], []
        for column, value in (("campaign", campaign), ("trainee", trainee)):
            if value is not None:
                where.append(f"r.{column} = ?")
                params.append(value)
        condition = f"WHERE {' AND '.join(where)} " if where else ""
        rows = db.execute(f"SELECT r.* FROM runs r {condition}ORDER BY r.started_at, r.id", params).fetchall()
        decided: dict[int, list[Row]] = {row["id"]: [] for row in rows}
        for d in db.execute(
            f"SELECT d.* FROM decisions d JOIN runs r ON r.id = d.run_id {condition}ORDER BY d.run_id, d.number, d.id",
            params,
        ).fetchall():
            decided[d["run_id"]].append(d)
        out = []
        for row in rows:
            try:
                out.append(_run(row, decided[row["id"]]))
            except Damaged as exc:
                who = row["trainee"] if isinstance(row["trainee"], str) else "?"
                self.damaged.append(f"run {row['id']} ({who}) is damaged and left out: {exc}")
        return out

    def run(self, run_id: int) -> RunRecord:
        with self._read() as db:
            row = db.execute("SELECT campaign FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise StoreError(f"{self.where}: there is no run {run_id}")
        found = [r for r in self.runs(row["campaign"]) if r.id == run_id]
        if not found:
            raise StoreError(f"{self.where}: run {run_id} is damaged")
        return found[0]

    def acknowledged(self, lrs: str) -> set[str]:
        """The ids of the statements this LRS (its xAPI endpoint) has acknowledged."""
        with self._read() as db:
            rows = db.execute("SELECT statement FROM lrs_sent WHERE lrs = ?", (lrs,)).fetchall()
        return {str(r[0]) for r in rows}

    def lrs_acknowledged(self) -> dict[str, set[str]]:
        """Every LRS pushed to, with the ids it acknowledged."""
        with self._read() as db:
            return self._acknowledgements(db)

    @staticmethod
    def _acknowledgements(db: Connection) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for lrs, statement in db.execute("SELECT lrs, statement FROM lrs_sent").fetchall():
            out.setdefault(str(lrs), set()).add(str(statement))
        return out

    def campaigns(self) -> dict[str, int]:
        """The campaigns with runs in the store, and how many runs each."""
        with self._read() as db:
            rows = db.execute("SELECT campaign, COUNT(*) FROM runs GROUP BY campaign ORDER BY campaign").fetchall()
        return {str(r[0]): int(r[1]) for r in rows}

    def unfinished(self, campaign: str, trainee: str, trainee_id: str | None = None) -> RunRecord | None:
        """The trainee's latest unfinished run of the campaign that has choices in it (to resume), or None."""
        params: list[Any] = [campaign, name_key(trainee)]
        if trainee_id is not None:
            params.append(trainee_id)
        with self._read() as db:
            rows = db.execute(
                "SELECT id FROM runs WHERE campaign = ? AND trainee_key = ? AND ended_at IS NULL "
                f"{'AND trainee_id = ? ' if trainee_id is not None else ''}ORDER BY updated_at DESC, id DESC",
                params,
            ).fetchall()
        for row in rows:
            with contextlib.suppress(StoreError):
                run = self.run(int(row["id"]))
                if run.decisions:
                    return run
        return None


def copy_store(source: Store, target: Store, *, keep_ids: bool = False) -> Copied:
    """Copy every run of `source` (one snapshot of it) into `target`, leaving out runs the target holds
    already (same uid), then check that the target holds every run and choice of the source. A
    damaged run of the source is left out and named in `damaged`; StoreError on any mismatch."""
    runs, acknowledged = source.snapshot()
    damaged = tuple(source.damaged)
    written, choices = target.put_runs(runs, acknowledged, keep_ids=keep_ids)
    held = {r.uid: r for r in target.runs()}
    missing = [r for r in runs if r.uid not in held]
    differ = [
        r
        for r in runs
        if r.uid in held
        and (
            [d.uid for d in r.decisions] != [d.uid for d in held[r.uid].decisions]
            or {d.uid for d in r.undone} != {d.uid for d in held[r.uid].undone}
        )
    ]
    total = sum(len(r.decisions) for r in runs)
    if missing or differ:
        some = ", ".join(f"{r.trainee} (run {r.id})" for r in [*missing, *differ][:5])
        raise StoreError(
            f"{target.where} does not hold what {source.where} holds: {len(missing)} of {len(runs)} runs missing, "
            f"{len(differ)} with other choices ({some})"
        )
    lrs_target = target.lrs_acknowledged()
    if any(not statements <= lrs_target.get(lrs, set()) for lrs, statements in acknowledged.items()):
        raise StoreError(f"{target.where} does not hold every LRS acknowledgement of {source.where}")
    return Copied(
        runs=written,
        choices=choices,
        already_runs=len(runs) - written,
        already_choices=total - choices,
        acknowledgements=sum(len(s) for s in acknowledged.values()),
        damaged=damaged,
    )


# ---------------------------------------------------------------------------------------------- SQLite


def _explain(exc: sqlite3.Error, wait: float = WRITE_WAIT_SECONDS) -> str:
    text = str(exc)
    if "file is not a database" in text:
        return "not a DealQuest results store (the file is not an SQLite database)"
    if "malformed" in text:
        return "the results store is damaged (database disk image is malformed)"
    if "locked" in text or "busy" in text:
        return f"another program kept the results store busy for more than {wait:g} seconds"
    if "readonly" in text or "read-only" in text:
        return "the results store cannot be written (read-only)"
    if "unable to open" in text:
        return "the results store cannot be opened"
    return f"results store error: {text}"


def _busy(exc: sqlite3.Error) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


class SqliteStore(Store):
    """The results store in one SQLite file (WAL; see the module's docstring)."""

    def __init__(self, path: Path, *, create: bool = True, readonly: bool = False) -> None:
        super().__init__()
        self.path = Path(path)
        self.where = self.location = str(self.path)
        self.readonly = readonly
        self.wait_seconds = WRITE_WAIT_SECONDS
        if (readonly or not create) and not self.path.exists():
            raise StoreError(f"there are no results at {self.path} yet (no training run has been recorded there)")
        if self.path.is_dir():
            raise StoreError(f"{self.path} is a folder; name a file for the results store")
        if readonly:
            self.db = self._open_readonly()
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for {self.path}: {exc.strerror or exc}") from None
        try:
            self.db = sqlite3.connect(self.path, timeout=PREPARE_WAIT_SECONDS, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {_explain(exc)}") from None
        try:
            with self._errors(PREPARE_WAIT_SECONDS):
                self.db.row_factory = sqlite3.Row
                self._wait(PREPARE_WAIT_SECONDS)
                self.db.execute("PRAGMA foreign_keys = ON")
                if self.db.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
                    raise StoreError(f"{self.path}: the results store cannot use WAL mode on this file system")
                # FULL: each committed choice survives a power cut, not only a crash of the program.
                self.db.execute("PRAGMA synchronous = FULL")
                self._prepare()
                self._check_columns()
                self._wait(WRITE_WAIT_SECONDS)
        except BaseException:
            self.db.close()
            raise

    def _open_readonly(self) -> sqlite3.Connection:
        """The file opened with mode=ro; on a folder or medium it cannot write (no -shm can be made),
        as an immutable file, saying what that may leave out."""
        uri = self.path.resolve().as_uri()
        db: sqlite3.Connection | None = None
        try:
            for query in ("?mode=ro", "?mode=ro&immutable=1"):
                with contextlib.suppress(sqlite3.Error):
                    if db is not None:
                        db.close()
                    db = sqlite3.connect(uri + query, uri=True, timeout=READ_WAIT_SECONDS, isolation_level=None)
                    db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
                    if "immutable" in query:
                        wal = self.path.with_name(self.path.name + "-wal")
                        if wal.exists() and wal.stat().st_size > 0:
                            self.note = (
                                f"{wal.name} beside it could not be read here, so the latest choices may be missing: "
                                "copy the store with `dealquest results backup` where it can be written"
                            )
                    break
            else:
                db = sqlite3.connect(uri + "?mode=ro", uri=True, timeout=READ_WAIT_SECONDS, isolation_level=None)
            db.row_factory = sqlite3.Row
            self.db = db
            with self._errors(READ_WAIT_SECONDS):
                self._check_layout(writable=False)
                self._check_columns()
        except sqlite3.Error as exc:
            if db is not None:
                db.close()
            raise StoreError(f"{self.path}: {_explain(exc, READ_WAIT_SECONDS)}") from None
        except BaseException:
            if db is not None:
                db.close()
            raise
        return self.db

    def close(self) -> None:
        self.db.close()

    def _wait(self, seconds: float) -> None:
        self.db.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
        self.wait_seconds = seconds

    def write_wait(self, seconds: float) -> None:
        with self._errors():
            self._wait(seconds)

    @contextlib.contextmanager
    def _errors(self, wait: float | None = None) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            kind = StoreBusy if _busy(exc) else StoreError
            raise kind(f"{self.path}: {_explain(exc, self.wait_seconds if wait is None else wait)}") from None
        except OverflowError:
            raise StoreError(f"{self.path}: a number is too large for the results store") from None

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once so concurrent writers queue instead of deadlocking."""
        if self.readonly:
            raise self._readonly_refusal()
        with self._errors():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._errors(READ_WAIT_SECONDS):
            self.db.execute("BEGIN")
            try:
                yield self.db
            finally:
                self.db.execute("COMMIT")

    def _new_run_id(self, db: Connection, sql: str, params: Sequence[Any]) -> int:
        return cast(int, db.execute(sql, params).lastrowid)

    def changes(self) -> object:
        with self._errors(READ_WAIT_SECONDS):
            return int(self.db.execute("PRAGMA data_version").fetchone()[0])

    def _layout(self) -> tuple[int, int, set[str]]:
        version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        app = int(self.db.execute("PRAGMA application_id").fetchone()[0])
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return version, app, tables

    def _check_layout(self, writable: bool) -> None:
        """Refuse a file that is not a store, a newer one, or one whose version DealQuest never wrote;
        an older one is migrated (a reader migrates a copy in memory)."""
        version, app, tables = self._layout()
        if app != APPLICATION_ID or not {"runs", "decisions"} <= tables:
            raise StoreError(f"{self.path}: not a DealQuest results store (it holds other data)")
        check_version(self.where, version)
        if version < SCHEMA_VERSION and not writable:
            memory = sqlite3.connect(":memory:", isolation_level=None)
            self.db.backup(memory)
            self.db.close()
            memory.row_factory = sqlite3.Row
            self.db = memory
            self.db.execute("BEGIN")
            self._migrate(version)
            self.db.execute("COMMIT")

    def _migrate(self, version: int) -> None:
        while version < SCHEMA_VERSION:
            MIGRATIONS[version](self.db)
            version += 1
        self.db.execute(f"PRAGMA user_version = {version}")

    def _check_columns(self) -> None:
        check_columns(self.where, self.db)

    def _prepare(self) -> None:
        """Create the tables of a new store, or migrate an older one, in one transaction (only then:
        opening a store that is up to date takes no write lock)."""
        version, app, tables = self._layout()
        if version == SCHEMA_VERSION and app == APPLICATION_ID and {"runs", "decisions"} <= tables:
            return
        if not tables and version == 0:
            with self._write() as db:
                if not {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}:
                    _statements(db, _CURRENT)
                    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                    return
        self._check_layout(writable=True)
        version = self._layout()[0]
        if version < SCHEMA_VERSION:
            self._backup(version)  # outside the transaction: a backup waits for writers to finish
            with self._write():
                version = self._layout()[0]  # another process may have migrated it meanwhile
                if version < SCHEMA_VERSION:
                    self._migrate(version)

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

    def backup(self, target: Path) -> tuple[int, int]:
        """SQLite's online backup: every page in one step, one snapshot, writers go on meanwhile."""
        target = Path(target)
        if target.resolve() == self.path.resolve():
            raise StoreError(f"{target} is the results store itself; name another file for the backup")

        def copy(partial: Path) -> None:
            db = sqlite3.connect(partial, isolation_level=None)
            try:
                with self._errors(READ_WAIT_SECONDS):
                    self.db.backup(db)  # every page in one step: one consistent snapshot
                db.execute("PRAGMA journal_mode = DELETE")  # one file, no -wal beside it
            finally:
                db.close()

        return write_backup(target, copy)

    @property
    def schema_version(self) -> int:
        with self._errors():
            return int(self.db.execute("PRAGMA user_version").fetchone()[0])


def check_version(where: str, version: int) -> None:
    """Refuse a store written by a newer DealQuest, or with a version no DealQuest wrote."""
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{where}: written by a newer DealQuest (results schema {version}, this one reads up to "
            f"{SCHEMA_VERSION}); update DealQuest to use it"
        )
    if version < 1:
        raise StoreError(
            f"{where}: the results store is damaged (its schema version is {version}, which no DealQuest "
            "wrote); restore a backup"
        )


def check_columns(where: str, db: Connection) -> None:
    """Refuse a store that lost a column a reader needs (damaged), naming it."""
    for table, wanted in COLUMNS.items():
        have = table_columns(db, table)
        lost = [c for c in wanted if c not in have]
        if lost:
            raise StoreError(
                f"{where}: the results store is damaged (table {table} has no column {', '.join(lost)}); "
                "restore a backup"
            )


def write_backup(target: Path, copy: Callable[[Path], None]) -> tuple[int, int]:
    """Have `copy` write a complete SQLite store to a file beside the target, check it, then put it
    in the target's place (never a half-written backup); the runs and choices it holds."""
    if target.is_dir():
        raise StoreError(f"{target} is a folder; name a file for the backup")
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        copy(partial)
        db = sqlite3.connect(partial, isolation_level=None)
        try:
            runs = int(db.execute("SELECT COUNT(*) FROM runs").fetchone()[0])
            choices = int(db.execute("SELECT COUNT(*) FROM decisions WHERE undone_at IS NULL").fetchone()[0])
        finally:
            db.close()
        os.replace(partial, target)
    except OSError as exc:
        raise StoreError(f"cannot write {target}: {exc.strerror or exc}") from None
    except sqlite3.Error as exc:
        raise StoreError(f"cannot write {target}: {exc}") from None
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
    return runs, choices


# ---------------------------------------------------------------------------------------------- reading rows

#: A row as a backend returns it: read by column name (and by index).
Row = Any


class Damaged(ValueError):
    """A stored value a run cannot be read with; the message names the field."""


def _text(row: Row, name: str) -> str:
    value = row[name]
    if not isinstance(value, str):
        raise Damaged(f"{name} is {value!r}, not text")
    return value


def _maybe_text(row: Row, name: str) -> str | None:
    return None if row[name] is None else _text(row, name)


def _number(row: Row, name: str, *, optional: bool = False, whole: bool = False) -> Any:
    value = row[name]
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise Damaged(f"{name} is {value!r}, not a number")
    if whole and not isinstance(value, int):
        raise Damaged(f"{name} is {value!r}, not a whole number")
    return value


def _time(row: Row, name: str, *, optional: bool = False) -> str | None:
    value = row[name]
    if value is None and optional:
        return None
    try:
        when = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise Damaged(f"{name} is {value!r}, not a date and time") from None
    if when.tzinfo is None:
        raise Damaged(f"{name} is {value!r}, without a time zone")
    return cast(str, value)


def _one_of(row: Row, name: str, allowed: Sequence[str], *, optional: bool = False) -> Any:
    value = row[name]
    if value is None and optional:
        return None
    if value not in allowed:
        raise Damaged(f"{name} is {value!r}, not one of {', '.join(allowed)}")
    return value


def _json(row: Row, name: str) -> Any:
    try:
        return json.loads(row[name] or "null")
    except (TypeError, ValueError):
        raise Damaged(f"{name} is not valid JSON") from None


#: How a run's axis totals are written: the mean mark, -2..+2. Runs recorded before it kept a share
#: from 0 to 1 (marks mapped onto it) and carry no "scale" key; they are read back onto the marks.
TOTALS_SCALE = "marks"


def _totals(row: Row) -> Totals:
    raw = _json(row, "totals")
    if not isinstance(raw, dict):
        raise Damaged("totals is not a table of roles and axes")
    shares = raw.get("scale") != TOTALS_SCALE
    out: Totals = {}
    for role in ROLES:
        axes = raw.get(role, {})
        if not isinstance(axes, dict):
            raise Damaged(f"totals for the {role} are not a table of axes")
        out[role] = {}
        for axis in AXES:
            value = axes.get(axis)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
                raise Damaged(f"totals {role} {axis} is {value!r}, not a number")
            out[role][axis] = None if value is None else (4 * float(value) - 2 if shares else float(value))
    return out


def _decision(d: Row) -> DecisionRecord:
    lessons = _json(d, "lessons")
    if not isinstance(lessons, list) or any(lesson not in LESSONS for lesson in lessons):
        raise Damaged(f"lessons of choice {d['number']} are {d['lessons']!r}")
    options = _json(d, "options") or []
    locked = _json(d, "locked") or []
    if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
        raise Damaged(f"options of choice {d['number']} are not a list of texts")
    if not isinstance(locked, list) or not all(isinstance(i, int) for i in locked):
        raise Damaged(f"locked options of choice {d['number']} are not a list of numbers")
    number = _number(d, "number", whole=True)
    choice = _number(d, "choice", whole=True)
    if number < 1 or choice < 0:
        raise Damaged(f"choice {number} has number {number} and option {choice}")
    return DecisionRecord(
        number=number,
        scene=_text(d, "scene"),
        scene_title=_text(d, "scene_title"),
        choice=choice,
        choice_text=_text(d, "choice_text"),
        role=_one_of(d, "role", ROLES),
        technique=_one_of(d, "technique", TECHNIQUES),
        push_pull=_number(d, "push_pull", optional=True),
        audience=_number(d, "audience"),
        closing=_number(d, "closing"),
        value=_number(d, "value"),
        lessons=tuple(lessons),
        landed=_text(d, "landed"),
        best_choice=_number(d, "best_choice", optional=True, whole=True),
        best_text=_maybe_text(d, "best_text"),
        best_value=_number(d, "best_value", optional=True),
        seconds=_number(d, "seconds", optional=True),
        decided_at=cast(str, _time(d, "decided_at")),
        carried=bool(d["carried"]),
        uid=_text(d, "uid"),
        undone_at=_time(d, "undone_at", optional=True),
        options=tuple(options),
        locked=tuple(locked),
        verdict=_text(d, "verdict"),
        good=bool(d["good"]),
    )


def _run(row: Row, rows: list[Row]) -> RunRecord:
    made = [_decision(d) for d in rows]
    live = [d for d in made if d.undone_at is None]
    if [d.number for d in live] != list(range(1, len(live) + 1)):
        raise Damaged(f"its choices are numbered {', '.join(str(d.number) for d in live)}")
    started = cast(str, _time(row, "started_at"))
    return RunRecord(
        id=row["id"],
        uid=_text(row, "uid"),
        campaign=_text(row, "campaign"),
        campaign_version=_text(row, "campaign_version"),
        campaign_title=_text(row, "campaign_title") or row["campaign"],
        campaign_path=_text(row, "campaign_path"),
        trainee=_text(row, "trainee"),
        mode=_one_of(row, "mode", MODES),
        seed=_number(row, "seed", whole=True),
        started_at=started,
        updated_at=cast(str, _time(row, "updated_at")) if row["updated_at"] else started,
        ended_at=_time(row, "ended_at", optional=True),
        ending=_maybe_text(row, "ending"),
        ending_title=_maybe_text(row, "ending_title"),
        outcome=_one_of(row, "outcome", OUTCOMES, optional=True),
        percent=_number(row, "percent"),
        grade=_text(row, "grade"),
        grade_label=_text(row, "grade_label"),
        totals=_totals(row),
        undos=_number(row, "undos", whole=True),
        carried_from=row["carried_from"],
        decisions=tuple(live),
        trainee_id=_maybe_text(row, "trainee_id"),
        session=_text(row, "session"),
        resumes=_number(row, "resumes", whole=True),
        undone=tuple(sorted((d for d in made if d.undone_at is not None), key=lambda d: (d.decided_at, d.number))),
    )


# ---------------------------------------------------------------------------------------------- where a store is

#: Names the results store when a command is given no --results (a path or a postgresql:// URL).
RESULTS_ENV = "DEALQUEST_RESULTS"
SERVER_SCHEMES = ("postgresql://", "postgres://")
POSTGRES_HINT = "pip install 'dealquest[postgres]'"


def is_server_url(text: str) -> bool:
    """Whether --results names a PostgreSQL server rather than a file."""
    return text.strip().lower().startswith(SERVER_SCHEMES)


def store_location(given: str | None = None) -> Path | str:
    """The store a command uses: --results when given, else $DEALQUEST_RESULTS, else the file in
    the user data folder. A postgresql:// URL stays text; anything else is a path."""
    text = given or os.environ.get(RESULTS_ENV, "").strip()
    if not text:
        return default_path()
    if is_server_url(text):
        return text.strip()
    return Path(text).expanduser()


def resolved(location: Path | str) -> Path | str:
    """The location made absolute (a path), or as it is (a URL)."""
    return location.resolve() if isinstance(location, Path) else location


def shown(location: Path | str) -> str:
    """How a message names the store: its path, or its URL without a password (in the user part or
    in a password= parameter)."""
    if isinstance(location, Path):
        return str(location)
    url = re.sub(r"^([a-z]+://[^:/@?#]*):[^@/?#]*@", r"\1@", location.strip(), flags=re.I)
    return re.sub(r"([?&]password=)[^&#]*", r"\1****", url, flags=re.I)


def open_store(location: Path | str | None = None, *, create: bool = True, readonly: bool = False) -> Store:
    """The store at a path or a postgresql:// URL (default: the user data folder's file); StoreError
    says why it cannot be used, in one line."""
    if isinstance(location, str) and is_server_url(location):
        try:
            from dealquest.training.pgstore import PostgresStore
        except ImportError:
            raise StoreError(f"{shown(location)}: a PostgreSQL results store needs psycopg: {POSTGRES_HINT}") from None
        return PostgresStore(location, create=create, readonly=readonly)
    return SqliteStore(Path(location) if location is not None else default_path(), create=create, readonly=readonly)
