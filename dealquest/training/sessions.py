"""Who is playing a run now. A process that records a run holds a lock named after its session for
as long as it lives; a sign-in elsewhere under the same name resumes the run only when that lock is
free. A closed tab or a quit terminal lets go of it (the system releases it even after a crash); a
second person of the same name still playing does not.

On one machine (a SQLite store) the lock is an exclusive lock on a small file in the temp folder.
A PostgreSQL store is shared by several hosts, so there the lock is the server's own (an advisory
lock held by a connection of the playing process; see `pgstore`), which every host sees.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

#: Call it to let go of a session: a sign-in elsewhere may then resume its run.
Release = Callable[[], None]

#: A lock file no process holds, older than this, was left by a game that was killed: it is removed.
STALE_SECONDS = 24 * 3600
_swept = False


def _session_file(session: str) -> Path:
    return Path(tempfile.gettempdir()) / "dealquest-sessions" / f"{session}.lock"


def _lock(path: Path) -> int | None:
    """An open descriptor holding an exclusive lock on the file; None when another process holds it."""
    import fcntl

    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)  # never through a link
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def file_session_alive(session: str) -> bool:
    """Whether a process on this machine is recording under this session now (always False where
    files cannot be locked)."""
    path = _session_file(session)
    if os.name != "posix" or not session or not path.exists():
        return False
    try:
        fd = _lock(path)
    except OSError:
        return False
    if fd is None:
        return True
    os.close(fd)
    with contextlib.suppress(OSError):
        path.unlink()  # a process that died without tidying up
    return False


def hold_file_session(session: str) -> Release | None:
    """Hold this session's lock file while this process lives; None where it cannot be held (no lock,
    no harm: a sign-in elsewhere may then resume the run)."""
    if os.name != "posix":
        return None
    path = _session_file(session)
    try:
        path.parent.mkdir(mode=0o1777, exist_ok=True)
        fd = _lock(path)
    except OSError:
        return None
    if fd is None:
        return None
    _sweep(path.parent)

    def release() -> None:
        with contextlib.suppress(OSError):
            path.unlink()
        with contextlib.suppress(OSError):
            os.close(fd)

    return release


def _sweep(folder: Path) -> None:
    """Once per process: remove the lock files that killed games left behind (a game killed outright
    cannot remove its own), those older than a day that no process holds."""
    global _swept
    if _swept:
        return
    _swept = True
    cutoff = time.time() - STALE_SECONDS
    with contextlib.suppress(OSError):
        for path in folder.glob("*.lock"):
            with contextlib.suppress(OSError):
                if not path.is_file() or path.is_symlink() or path.stat().st_mtime > cutoff:
                    continue
                fd = _lock(path)
                if fd is None:
                    continue  # a game still playing: old, but alive
                try:
                    path.unlink()
                finally:
                    os.close(fd)
