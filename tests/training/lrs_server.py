"""A real Learning Record Store for the tests: Ralph (`ralph-malph`), started on 127.0.0.1 with its
file-system backend in a temp folder and HTTP basic auth, stopped by its process group.

Ralph's file-system backend is its development backend: it writes the LRS file once ("create") and
answers 500 to a second write. A push in batches, or one resumed after the LRS went away, writes
many times, so the server runs with that backend set to append (one line below, in the server's own
process); everything else (the xAPI API, validation, auth, conflicts) is Ralph's as shipped."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

USER, PASSWORD = "trainer", "not-a-real-secret"


def ralph() -> str | None:
    """The `ralph` command of this Python, or None when ralph-malph is not installed."""
    beside = Path(sys.executable).with_name("ralph")
    return str(beside) if beside.exists() else shutil.which("ralph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Lrs:
    """One Ralph LRS; `start` and `stop` may be called again (the statements stay in its folder)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.env = {
            **os.environ,
            "RALPH_APP_DIR": str(folder / "app"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder / "data"),
        }
        (folder / "data").mkdir(parents=True, exist_ok=True)
        command = ralph()
        assert command is not None
        self.command = command
        subprocess.run(
            [command, "auth", "-u", USER, "-p", PASSWORD, "-s", "all", "-w", "-A", USER, "https://dealquest.invalid"],
            env=self.env,
            cwd=folder,
            check=True,
            capture_output=True,
        )

    @property
    def serve_command(self) -> list[str]:
        code = (
            "import sys, uvicorn\n"
            "from ralph.backends.data.base import BaseOperationType\n"
            "from ralph.backends.data.fs import FSDataBackend\n"
            "FSDataBackend.default_operation_type = BaseOperationType.APPEND\n"
            "uvicorn.run('ralph.api:app', host='127.0.0.1', port=int(sys.argv[1]), log_level='warning')\n"
        )
        return [sys.executable, "-c", code, str(self.port)]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI/"

    def start(self, timeout: float = 60.0) -> None:
        log = (self.folder / "ralph.log").open("ab")
        self.process = subprocess.Popen(
            [*self.serve_command],
            env=self.env,
            cwd=self.folder,  # runserver reloads on changes below its folder: keep it away from the repo
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (self.folder / "ralph.log").read_text()[-2000:]
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"Ralph did not start in {timeout:g} s: {(self.folder / 'ralph.log').read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self.process = None

    def statements(self, **query: str) -> list[dict[str, object]]:
        """Every statement the LRS returns for a query, through its own xAPI API (following `more`)."""
        out: list[dict[str, object]] = []
        url = f"http://127.0.0.1:{self.port}/xAPI/statements"
        params: dict[str, str] | None = {"limit": "500", **query}
        with httpx.Client(auth=(USER, PASSWORD), headers={"X-Experience-API-Version": "1.0.3"}, timeout=10) as c:
            while url:
                answer = c.get(url, params=params)
                assert answer.status_code == 200, answer.text
                body = answer.json()
                out += body["statements"]
                more = body.get("more")
                url = f"http://127.0.0.1:{self.port}{more}" if more and body["statements"] else ""
                params = None
        return out
