"""Memory of a `dealquest serve` classroom: the server, and each browser tab's game, measured.

    python benchmarks/serve_memory.py            # 6 tabs of the bundled launch campaign
    python benchmarks/serve_memory.py --tabs 10

Starts `dealquest serve` on 127.0.0.1, opens the tabs in headless Chromium (tests/frontends/
browser.py), signs each in and plays two choices, then reads each process's proportional set size
(PSS, /proc/PID/smaps_rollup: shared library pages split between the processes that share them,
so the figures add up) and prints the server, each tab, and the sizing for 10, 30 and 60 trainees.
Linux only (it reads /proc). docs/FACILITATOR.md quotes its figures.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.frontends.browser import Browser, chromium_path  # noqa: E402


def pss_kib(pid: int) -> int:
    """The process's proportional set size in KiB."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def rss_kib(pid: int) -> int:
    """The process's resident set size in KiB (shared pages counted in every process)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(c) for c in text]
    return found


def descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        for child in children(todo.pop()):
            out.append(child)
            todo.append(child)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tabs", type=int, default=6)
    parser.add_argument("--campaign", default="launch")
    args = parser.parse_args()
    if chromium_path() is None:
        print("chromium is not installed (apt-get install -y chromium)", file=sys.stderr)
        return 1
    home = Path(tempfile.mkdtemp(prefix="dq-serve-memory-"))
    port = free_port()
    serve = ["serve", "--port", str(port), "--campaign", args.campaign, "--mode", "practice", "--seed", "1"]
    server = subprocess.Popen(
        [sys.executable, "-m", "dealquest", *serve, "--results", str(home / "session.sqlite")],
        cwd=ROOT,
        env={**os.environ, "DEALQUEST_HOME": str(home), "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    browser = None
    try:
        deadline = time.monotonic() + 30
        while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
            assert time.monotonic() < deadline, "dealquest serve did not start"
            time.sleep(0.1)
        browser = Browser(timeout=60)
        pages = []
        for n in range(args.tabs):
            page = browser.page(f"http://127.0.0.1:{port}/")
            page.wait_for_text("Your name", timeout=60)
            page.evaluate("document.querySelector('.xterm-helper-textarea').focus()")
            page.type(f"Trainee {n + 1}\n")
            pages.append(page)
        time.sleep(3)
        for page in pages:  # two choices each: the game's screens and the engine are all loaded
            page.type("1")
            time.sleep(1.0)
            page.type("\n")
            time.sleep(1.0)
        time.sleep(3)
        games = [pid for pid in descendants(server.pid) if "dealquest" in Path(f"/proc/{pid}/cmdline").read_text()]
        tabs = [pss_kib(pid) / 1024 for pid in games]
        server_mib = pss_kib(server.pid) / 1024
        print(f"server: {server_mib:.0f} MiB PSS")
        rss = [rss_kib(pid) / 1024 for pid in games]
        median = statistics.median(tabs)
        print(f"tabs: {len(tabs)} games, PSS per tab: median {median:.0f} MiB, max {max(tabs):.0f} MiB")
        print(f"      (RSS per tab, shared pages counted in each: median {statistics.median(rss):.0f} MiB)")
        per_tab = max(tabs)
        for trainees in (10, 30, 60):
            total = server_mib + trainees * per_tab
            print(f"  {trainees} trainees: about {total / 1024:.1f} GiB (server + {trainees} x {per_tab:.0f} MiB)")
    finally:
        if browser is not None:
            browser.close()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
