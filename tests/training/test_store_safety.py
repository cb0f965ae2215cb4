"""The store at a classroom's edges: damaged rows, a writer holding the lock, read-only copies,
backups while trainees write, huge seeds. Real SQLite files, a real PostgreSQL server and real
processes throughout; what holds on both backends runs on both."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dealquest.cli.main import main
from dealquest.play import engine
from dealquest.training.store import SCHEMA_VERSION, Store, StoreError, open_store, shown

from ..conftest import MINI, WINNING_SEED
from .conftest import mini, play, tamper, where

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def one_line(err: str) -> str:
    err = err.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    return err


def fill(store: Store) -> None:
    """Three trainees' runs: Ana won, Quinn lost, Cy has two choices so far."""
    play(store, "Ana", [0, 0, 1])
    play(store, "Quinn", [1, 1, 0], seed=3)
    play(store, "Cy", [0, 0])


@pytest.fixture
def class_store(any_store: Store) -> str:
    """A class's store on each backend in turn (see `fill`); its location for --results."""
    fill(any_store)
    return any_store.location


@pytest.fixture
def file_store(store: Store) -> Path:
    """A class's store in a SQLite file (see `fill`)."""
    fill(store)
    return store.path


# ---------------------------------------------------------------------------------------------- damage


@pytest.mark.parametrize(
    ("sql", "why"),
    [
        (
            "UPDATE runs SET totals = substr(totals, 1, length(totals) - 1) || 'X' WHERE trainee = 'Quinn'",
            "totals is not valid JSON",
        ),
        ("UPDATE runs SET started_at = 'yesterday' WHERE trainee = 'Quinn'", "started_at is 'yesterday'"),
        ("UPDATE decisions SET lessons = '[\"aims\"' WHERE number = 2 AND run_id = 2", "lessons"),
        ("UPDATE runs SET mode = 'exam' WHERE trainee = 'Quinn'", "mode is 'exam'"),
        ("DELETE FROM decisions WHERE number = 2 AND run_id = 2", "numbered 1, 3"),
    ],
)
def test_a_damaged_run_is_left_out_in_one_line_and_the_others_are_shown(
    class_store: str, sql: str, why: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tamper(class_store, sql)
    assert main(["results", "list", "--results", str(class_store)]) == 0
    captured = capsys.readouterr()
    assert "Ana" in captured.out and "Cy" in captured.out and "Quinn" not in captured.out
    warning = one_line(captured.err)
    named = shown(where(class_store))
    assert warning.startswith(f"dealquest results list: warning: {named}: run 2 (Quinn) is damaged and left out")
    assert why in warning
    for argv in (["report"], ["results", "export", "--format", "xapi"], ["results", "export", "--format", "csv"]):
        out = tmp_path / "out.txt"
        assert main([*argv, "--results", str(class_store), "-o", str(out)]) == 0
        err = capsys.readouterr().err
        assert "run 2 (Quinn) is damaged" in err and "Traceback" not in err
        text = out.read_text(encoding="utf-8")
        assert "Ana" in text and "Cy" in text and "Quinn" not in text


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("PRAGMA user_version = 0", "its schema version is 0"),
        ("PRAGMA user_version = -5", "its schema version is -5"),
        ("ALTER TABLE runs DROP COLUMN grade_label", "table runs has no column grade_label"),
    ],
)
def test_a_damaged_layout_is_one_line_for_every_command(
    class_store: str, sql: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if class_store.startswith("postgresql://") and sql.startswith("PRAGMA user_version"):
        sql = "UPDATE dealquest_store SET schema_version = " + sql.split("= ")[1]
    tamper(class_store, sql)
    playing = ["play", str(MINI), "--plain", "--trainee", "Di"]
    for argv in (["results", "list"], ["report"], ["results", "export"], playing):
        assert main([*argv, "--results", str(class_store)]) == 1
        err = one_line(capsys.readouterr().err)
        assert "damaged" in err and message in err, err


@pytest.mark.parametrize("command", ["play", "serve"])
def test_a_huge_seed_is_a_clear_error(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["play", str(MINI), "--plain", "--trainee", "Ana"] if command == "play" else ["serve"]
    assert main([*argv, "--seed", "99999999999999999999", "--results", str(tmp_path / "r.sqlite")]) == 2
    err = one_line(capsys.readouterr().err)
    assert err.startswith(f"dealquest {command}: --seed must be a whole number from 0 to")
    assert main([*argv[:1], "--seed", "-1"] if command == "serve" else [*argv, "--seed", "-1"]) == 2
    one_line(capsys.readouterr().err)


def test_a_choice_out_of_order_is_refused_by_the_store(store: Store) -> None:
    from dataclasses import replace

    from dealquest.training.recorder import Recorder, decision_record, summary

    campaign = mini()
    recorder = Recorder(store, campaign, "Ana", "practice")
    state = engine.new_game(campaign, WINNING_SEED)
    run_id = recorder.begin(state)
    step = engine.choose(campaign, state, 0)
    record = replace(decision_record(campaign, state, step, 1.0), number=2)
    with pytest.raises(StoreError, match="out of order"):
        store.add_decision(run_id, record, summary(campaign, step.state))
    assert store.runs()[0].decisions == ()


# ---------------------------------------------------------------------------------------------- locks


HOLD_LOCK = """
import sqlite3, sys, time
if sys.argv[1].startswith("postgresql://"):
    import psycopg
    db = psycopg.connect(sys.argv[1], autocommit=True)
    db.execute("BEGIN")
    db.execute("LOCK TABLE runs, decisions IN EXCLUSIVE MODE")  # what BEGIN IMMEDIATE is to a file
else:
    db = sqlite3.connect(sys.argv[1], isolation_level=None)
    db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("COMMIT")
"""


@pytest.fixture
def hold_lock() -> Iterator[object]:
    """Start a process that holds the store's write lock for some seconds; it is ended afterwards."""
    started: list[subprocess.Popen[str]] = []

    def hold(path: Path | str, seconds: float) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-c", HOLD_LOCK, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
        )
        started.append(process)
        assert process.stdout is not None and process.stdout.readline().strip() == "locked"
        return process

    yield hold
    for process in started:
        process.kill()
        process.wait(10)


def test_reading_never_waits_for_a_writer(class_store: str, hold_lock: object, tmp_path: Path) -> None:
    hold_lock(class_store, 60)  # type: ignore[operator]
    for argv in (["results", "list"], ["report"], ["results", "export", "--format", "xapi"]):
        began = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "dealquest", *argv, "--results", str(class_store)],
            env=ENV,
            capture_output=True,
            text=True,
            timeout=60,
        )
        took = time.monotonic() - began
        assert done.returncode == 0, done.stderr
        assert "Ana" in done.stdout and took < 10, (argv, took)


def test_a_writer_holding_the_lock_delays_a_choice_but_loses_nothing(location: str, hold_lock: object) -> None:
    path = location
    command = ["play", str(MINI), "--plain", "--trainee", "Ana", "--results", str(path), "--seed", str(WINNING_SEED)]
    game = subprocess.Popen(
        [sys.executable, "-m", "dealquest", *command],
        env=ENV,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert game.stdin is not None
    try:
        game.stdin.write("1\n")
        game.stdin.flush()
        deadline = time.monotonic() + 30
        while recorded(path) != 1:
            assert time.monotonic() < deadline, "the first choice was never recorded"
            time.sleep(0.05)
        holder = hold_lock(path, 3.0)  # type: ignore[operator]
        began = time.monotonic()
        game.stdin.write("1\n2\n")
        out, err = game.communicate(timeout=120)
    finally:
        if game.poll() is None:
            game.kill()
    assert game.returncode == 0, err
    assert holder.wait(10) == 0
    assert time.monotonic() - began >= 2.5  # the second choice did wait for the lock
    assert "the results store is busy (another program is writing to it); waiting to record your choice" in err
    assert "recorded." in err and "not recorded" not in err
    assert out.index("You chose: Use the case study") > out.index("You chose: Interview ten customers")
    with open_store(where(path), readonly=True) as store:
        [run] = store.runs()
    expected = engine.replay(mini(), WINNING_SEED, [0, 0, 1])
    assert [d.number for d in run.decisions] == [1, 2, 3]
    assert [(d.scene, d.choice) for d in run.decisions] == [(d.scene, d.choice) for d in expected.decisions]
    assert run.percent == engine.score(mini(), expected).percent and run.finished


def recorded(path: str) -> int:
    try:
        with open_store(where(path), readonly=True) as store:
            return sum(len(r.decisions) for r in store.runs())
    except StoreError:
        return 0


def test_a_choice_that_cannot_be_recorded_keeps_the_game_where_it_was(
    location: str, hold_lock: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from dealquest.frontends.plain import PlainGame
    from dealquest.training import recorder as recorder_module
    from dealquest.training.recorder import Recorder

    path = where(location)
    monkeypatch.setattr(recorder_module, "RECORD_PATIENCE_SECONDS", 1.5)  # a short patience, real lock
    campaign = mini()
    with open_store(path) as store:
        recorder = Recorder(store, campaign, "Ana", "practice")
        state = engine.new_game(campaign, WINNING_SEED)
        recorder.begin(state)
        out, err = io.StringIO(), io.StringIO()
        game = PlainGame(campaign, state, out, recorder=recorder, err=err)
        hold_lock(location, 60)  # type: ignore[operator]
        game.pick("1", 1.0)
        assert game.state.turn == 0  # not past an unrecorded choice
        assert "not recorded, so the game stays where it was" in err.getvalue()
        assert "still at decision 1. Choose again." in out.getvalue()
    with open_store(path, readonly=True) as store:
        assert store.runs()[0].decisions == ()


# ---------------------------------------------------------------------------------------------- read-only


def test_reading_a_read_only_copy_changes_nothing(file_store: Path, tmp_path: Path) -> None:
    class_store = file_store
    copy = tmp_path / "copy" / "results.sqlite"
    copy.parent.mkdir()
    open_store(class_store).close()
    with open_store(class_store, readonly=True) as source:
        source.backup(copy)
    before = copy.read_bytes()
    copy.chmod(0o444)
    for argv in (["results", "list"], ["report"], ["results", "export", "--format", "json"]):
        assert main([*argv, "--results", str(copy)]) == 0
    assert copy.read_bytes() == before
    with open_store(copy, readonly=True) as store, pytest.raises(StoreError, match="reading only"):
        play(store, "Eve", [0])


@pytest.mark.skipif(not hasattr(os, "setuid") or os.geteuid() != 0, reason="needs root to drop to another user")
def test_a_user_who_cannot_write_the_store_or_its_folder_can_still_read_it(file_store: Path) -> None:
    """As root nothing is read-only, so a forked child becomes `nobody` before reading."""
    class_store = file_store
    folder = Path(tempfile.mkdtemp(prefix="dq-ro-"))
    try:
        copy = folder / "results.sqlite"
        with open_store(class_store, readonly=True) as source:
            source.backup(copy)
        (folder / "results.sqlite-wal").unlink(missing_ok=True)
        copy.chmod(0o444)
        folder.chmod(0o555)
        read, write = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover (runs in the child)
            try:
                os.close(read)
                os.setgid(65534)
                os.setuid(65534)
                with open_store(copy, readonly=True) as store:
                    names = ",".join(r.trainee for r in store.runs())
                os.write(write, names.encode())
            finally:
                os._exit(0)
        os.close(write)
        with os.fdopen(read) as pipe:
            names = pipe.read()
        os.waitpid(child, 0)
        assert names == "Ana,Quinn,Cy"
        assert sorted(p.name for p in folder.iterdir()) == ["results.sqlite"]
    finally:
        folder.chmod(0o755)
        for p in folder.iterdir():
            p.unlink()
        folder.rmdir()


def test_an_older_store_is_read_through_a_migrated_copy_in_memory(tmp_path: Path) -> None:
    from .test_store import V1_STORE

    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(V1_STORE.read_text(encoding="utf-8"))
    db.close()
    before = path.read_bytes()
    with open_store(path, readonly=True) as store:
        assert [r.trainee for r in store.runs()] == ["Ana", "Bo"]
        assert store.schema_version == SCHEMA_VERSION
    assert path.read_bytes() == before and not (tmp_path / "old.sqlite.v1.bak").exists()


# ---------------------------------------------------------------------------------------------- backup


WRITE_RUNS = """
import sys
from pathlib import Path
from tests.training.conftest import play
from dealquest.training.store import open_store
from tests.training.conftest import where
store = open_store(where(sys.argv[1]))
print("writing", flush=True)
for i in range(int(sys.argv[3])):
    play(store, f"{sys.argv[2]}-{i}", [0, 0, 1])
store.close()
"""


def test_a_backup_during_writes_holds_every_committed_row_in_one_file(location: str, tmp_path: Path) -> None:
    path = location
    open_store(where(path)).close()
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITE_RUNS, str(path), f"w{w}", "300"],
            cwd=ROOT,
            env=ENV,
            stdout=subprocess.PIPE,
            text=True,
        )
        for w in range(3)
    ]
    try:
        for w in writers:
            assert w.stdout is not None and w.stdout.readline().strip() == "writing"
        time.sleep(0.3)
        with open_store(where(path), readonly=True) as reader:
            committed = {(r.uid, d.number) for r in reader.runs() for d in r.decisions}
        target = tmp_path / "backup" / "copy.sqlite"
        target.parent.mkdir()
        done = subprocess.run(
            [sys.executable, "-m", "dealquest", "results", "backup", str(target), "--results", str(path)],
            env=ENV,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(f"wrote {target}: ") and "one self-contained file" in done.stdout
        still_writing = [w.poll() is None for w in writers]
    finally:
        for w in writers:
            assert w.wait(120) == 0
    assert any(still_writing), "the writers finished before the backup: the test proves nothing"
    assert sorted(p.name for p in target.parent.iterdir()) == ["copy.sqlite"]  # no -wal, no -shm
    db = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    db.close()
    with open_store(target, readonly=True) as copy:
        backed = {(r.uid, d.number) for r in copy.runs() for d in r.decisions}
        runs = copy.runs()
    with open_store(where(path), readonly=True) as final:
        everything = {(r.uid, d.number) for r in final.runs() for d in r.decisions}
    assert committed <= backed <= everything  # every committed row, nothing invented
    assert all([d.number for d in r.decisions] == list(range(1, len(r.decisions) + 1)) for r in runs)
    assert len(everything) == 3 * 300 * 3


def test_a_backup_refuses_to_overwrite_the_store_itself(file_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    class_store = file_store
    assert main(["results", "backup", str(class_store), "--results", str(class_store)]) == 1
    assert "is the results store itself" in one_line(capsys.readouterr().err)


# ---------------------------------------------------------------------------------------------- resume


PLAY_AND_WAIT = """
import sys, time
from pathlib import Path
from dealquest.play import engine
from dealquest.training.recorder import Recorder
from dealquest.training.store import open_store
from tests.conftest import campaign
from tests.training.conftest import where
store = open_store(where(sys.argv[1]))
recorder = Recorder(store, campaign(), "Sam", "practice")
state = engine.new_game(campaign(), 7)
recorder.begin(state)
step = engine.choose(campaign(), state, 0)
recorder.chose(state, step, 1.0)
print("playing", flush=True)
time.sleep(60)
"""


def test_a_run_someone_is_still_playing_is_not_resumed_by_a_second_person_of_that_name(
    location: str, tmp_path: Path
) -> None:
    from dealquest.training.recorder import Recorder, resumable

    path = location
    open_store(where(path)).close()
    env = ENV
    if location.startswith("postgresql://"):
        # The first Sam plays on another host: nothing shared with this one but the database.
        (tmp_path / "other-host").mkdir()
        env = {**ENV, "TMPDIR": str(tmp_path / "other-host")}
    other = subprocess.Popen(
        [sys.executable, "-c", PLAY_AND_WAIT, str(path)], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "playing"
        with open_store(where(path)) as store:
            session_alive = store.session_alive
            [run] = store.runs()
            assert session_alive(run.session)
            assert resumable(store, mini(), "Sam") is None  # the first Sam is still playing it
            other.kill()  # the first Sam's tab closes (even a crash lets go of the run)
            other.wait(10)
            assert not session_alive(run.session)
            left = resumable(store, mini(), "sam")
            assert left is not None and left.id == run.id
            again = Recorder(store, mini(), "sam", "practice")
            state = again.resume(left)
            assert state.turn == 1 and session_alive(again.session)
            assert store.runs()[0].session == again.session
            again.release()
            assert not session_alive(again.session)
    finally:
        if other.poll() is None:
            other.kill()
            other.wait(10)
