"""A real `dealquest serve` on 127.0.0.1 for the tests: started on a free port, stopped with its games."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..conftest import MINI

ROOT = Path(__file__).resolve().parents[2]
COMMAND = [sys.executable, "-m", "dealquest", "serve", "--campaign", str(MINI), "--mode", "practice", "--seed", "7"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    port: int
    store: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def games(self) -> list[int]:
        """The process ids of the games the server runs now (its children that run `dealquest play`)."""
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                command = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == self.process.pid and fields[0] != "Z" and b"\0play\0" in command:
                found.append(int(entry))
        return found


@contextlib.contextmanager
def running_server(home: Path, *options: str, results: str | None = None) -> Iterator[Served]:
    """`dealquest serve` of the mini campaign with OPTIONS, until the block ends. Its results go to
    home/results.sqlite, or to the store `results` names (given as $DEALQUEST_RESULTS)."""
    store = home / "results.sqlite"
    port = free_port()
    where = ["--results", str(store)] if results is None else []
    process = subprocess.Popen(
        [*COMMAND, "--port", str(port), *where, *options],
        cwd=ROOT,
        env={
            **os.environ,
            "DEALQUEST_HOME": str(home),
            "PYTHONPATH": str(ROOT),
            **({"DEALQUEST_RESULTS": results} if results is not None else {}),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )

    def listening() -> bool:
        assert process.poll() is None, "dealquest serve exited"
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", port)) == 0

    try:
        wait_until(listening, "dealquest serve to listen")
        yield Served(process, port, store)
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the server and the game of each tab
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)
