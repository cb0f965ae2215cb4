"""A throwaway PostgreSQL server for the tests: `initdb` and `pg_ctl` in a temp folder, on a free
loopback port, password authentication over TCP, stopped at the end of the session.

PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system user (the
Debian package's) in a folder it owns. `start()` raises `Unavailable` with the reason when no
server can be started here (no binaries, no such user); the PostgreSQL half of the tests then skips
and says why.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

#: The superuser's password in the test server: tests check that no message ever shows it.
PASSWORD = "s3cret-Pw-91"


class Unavailable(Exception):
    """No PostgreSQL server can be started on this machine; the message says why."""


def binaries() -> Path | None:
    """The folder holding initdb and pg_ctl: on the PATH, or Debian's /usr/lib/postgresql/N/bin (newest)."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda f: int(Path(f).parent.name), reverse=True):
        if (Path(folder) / "initdb").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    folder: Path
    port: int
    bin: Path
    run_as: list[str]
    _numbers: count[int] = field(default_factory=lambda: count(1))

    def url(self, database: str = "postgres", password: str = PASSWORD) -> str:
        return f"postgresql://postgres:{password}@127.0.0.1:{self.port}/{database}"

    def new_database(self, prefix: str = "dq") -> str:
        """An empty database of its own (for one test); its URL."""
        import psycopg

        name = f"{prefix}_{os.getpid()}_{next(self._numbers)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def restart(self) -> None:
        """Stop the server at once, as a crash or a host's restart would (every connection dropped,
        no goodbye), and start it again on the same port with the same data."""
        self.halt()
        self.resume()

    def halt(self) -> None:
        """Stop the server at once, keeping its data (`resume` starts it again)."""
        self._pg_ctl("-m", "immediate", "stop")

    def resume(self) -> None:
        self._pg_ctl("-l", str(self.folder / "log"), "-w", "-t", "60", "-o", _options(self.port, self.folder), "start")

    def _pg_ctl(self, *args: str) -> None:
        done = subprocess.run(
            [*self.run_as, str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), *args],
            capture_output=True,
            text=True,
            timeout=90,
        )
        assert done.returncode == 0, done.stderr

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            subprocess.run(
                [*self.run_as, str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "stop"],
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(self.folder, ignore_errors=True)


def _options(port: int, folder: Path) -> str:
    return f"-p {port} -c listen_addresses=127.0.0.1 -k {folder} -c fsync=off -c max_connections=200"


def start() -> Server:
    """Start a server (a few seconds); Unavailable when it cannot be done here."""
    folder_bin = binaries()
    if folder_bin is None:
        raise Unavailable("no PostgreSQL server binaries (initdb, pg_ctl): apt-get install -y postgresql")
    run_as: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="dq-pg-"))
    if os.geteuid() == 0:  # postgres refuses root
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(folder, ignore_errors=True)
            raise Unavailable("running as root and there is no 'postgres' user to run the server as") from None
        runuser = shutil.which("runuser")
        if runuser is None:
            shutil.rmtree(folder, ignore_errors=True)
            raise Unavailable("running as root and runuser is not there to start the server as 'postgres'")
        os.chown(folder, user.pw_uid, user.pw_gid)
        run_as = [runuser, "-u", "postgres", "--"]
    (folder / "pw").write_text(PASSWORD + "\n")
    if run_as:
        user = pwd.getpwnam("postgres")
        os.chown(folder / "pw", user.pw_uid, user.pw_gid)
    port = _free_port()
    server = Server(folder, port, folder_bin, run_as)
    steps = [
        [
            str(folder_bin / "initdb"),
            "-D",
            str(folder / "data"),
            "-U",
            "postgres",
            "--pwfile",
            str(folder / "pw"),
            "--auth-host=scram-sha-256",
            "--auth-local=trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C",
        ],
        [
            str(folder_bin / "pg_ctl"),
            "-D",
            str(folder / "data"),
            "-l",
            str(folder / "log"),
            "-w",
            "-t",
            "60",
            "-o",
            _options(port, folder),
            "start",
        ],
    ]
    for step in steps:
        try:
            done = subprocess.run([*run_as, *step], capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.SubprocessError) as exc:
            server.stop()
            raise Unavailable(f"{Path(step[0]).name} could not run: {exc}") from None
        if done.returncode != 0:
            log = (folder / "log").read_text(errors="replace") if (folder / "log").exists() else ""
            server.stop()
            last = (done.stderr.strip() or log.strip() or "no output").splitlines()[-1]
            raise Unavailable(f"{Path(step[0]).name} failed: {last}")
    return server
