"""The lock files that say a run is being played on this machine (training/sessions.py): held while a
process lives, let go of when it ends, and not left to pile up when a game was killed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from dealquest.training import sessions

ROOT = Path(__file__).resolve().parents[2]
DAY = 24 * 3600

pytestmark = pytest.mark.skipif(os.name != "posix", reason="lock files are a POSIX feature here")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp folder of this test's own for the lock files (tempfile reads TMPDIR)."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    monkeypatch.setattr(sessions, "_swept", False)
    return tmp_path / "dealquest-sessions"


def holder(session: str, tmp: Path) -> subprocess.Popen[str]:
    """Another process holding a session, as a game in another tab does, until its stdin closes."""
    code = (
        "import sys\n"
        "from dealquest.training.sessions import hold_file_session\n"
        "release = hold_file_session(sys.argv[1])\n"
        "print('held' if release else 'not held', flush=True)\n"
        "sys.stdin.read()\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, session],
        env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "held"
    return process


def test_a_session_is_alive_while_its_process_lives_and_free_after_it_is_killed(folder: Path) -> None:
    session = str(uuid.uuid4())
    process = holder(session, folder.parent)
    try:
        assert sessions.file_session_alive(session)
        assert sessions.hold_file_session(session) is None  # a second holder is refused
    finally:
        process.kill()
        process.wait()
    assert not sessions.file_session_alive(session)  # the system let go of the killed game's lock
    assert not (folder / f"{session}.lock").exists()  # and the check tidied its file away


def test_files_left_by_killed_games_are_swept_when_a_game_starts_but_not_a_live_games(folder: Path) -> None:
    # A killed game cannot remove its file, and nobody may ever ask about its session again (the
    # trainee started another run): its file would stay in the temp folder until the machine restarts.
    live = str(uuid.uuid4())
    process = holder(live, folder.parent)
    try:
        stale = [folder / f"{uuid.uuid4()}.lock" for _ in range(3)]
        recent = folder / f"{uuid.uuid4()}.lock"
        for path in [*stale, recent]:
            path.write_text("")
        old = time.time() - 2 * DAY
        for path in [*stale, folder / f"{live}.lock"]:
            os.utime(path, (old, old))
        other = folder / "notes.txt"  # not ours: never touched
        other.write_text("keep")
        os.utime(other, (old, old))

        release = sessions.hold_file_session(str(uuid.uuid4()))
        assert release is not None
        left = {p.name for p in folder.iterdir()}
        assert not any(p.name in left for p in stale)
        assert recent.name in left  # a game may be about to lock it
        assert f"{live}.lock" in left and sessions.file_session_alive(live)  # old, but still played
        assert "notes.txt" in left
        release()
    finally:
        process.kill()
        process.wait()
