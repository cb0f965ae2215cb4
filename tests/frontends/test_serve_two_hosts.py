"""Two classrooms, one store: two `dealquest serve` processes on two loopback ports write to one
PostgreSQL store while headless Chromium plays two trainees on each, and the report and the export
see every choice exactly once. Skips (with the reason) without chromium, textual-serve or a
PostgreSQL server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dealquest.frontends import serve
from dealquest.training.store import RunRecord, StoreError, open_store

from ..pg import PASSWORD
from .browser import Browser, Page, chromium_path
from .serving import ROOT, running_server, wait_until

pytestmark = [
    pytest.mark.skipif(chromium_path() is None, reason="chromium is not installed (apt-get install -y chromium)"),
    pytest.mark.skipif(not serve.available(), reason="textual-serve is not installed (pip install '.[serve]')"),
]


def runs(url: str) -> list[RunRecord]:
    try:
        with open_store(url, readonly=True) as store:
            return store.runs()
    except StoreError:
        return []


def choices(url: str, trainee: str) -> int:
    return sum(len(r.decisions) for r in runs(url) if r.trainee == trainee)


def play_two_choices(page: Page, url: str, name: str) -> None:
    """Sign in, choose at the first decision, go through the handoff, choose at the second; each
    choice is in the store before the next key."""
    page.wait_for_text("Your name")
    page.evaluate("document.querySelector('.xterm-helper-textarea').focus()")
    page.forget_output()
    page.type(name + "\n")
    page.wait_for_text("What does the segment crave?")
    page.forget_output()
    page.type("1")
    wait_until(lambda: choices(url, name) == 1, f"{name}'s first choice to be recorded")
    page.wait_for_text("Continue (the handoff, Enter)")
    for shows in ("Play as", "The buyer picks up."):
        page.forget_output()
        page.type("\n")
        page.wait_for_text(shows)
    page.forget_output()
    page.type("1")
    wait_until(lambda: choices(url, name) == 2, f"{name}'s second choice to be recorded")
    page.wait_for_text("The case study answers")


def dealquest(url: str, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dealquest", *argv],
        env={**os.environ, "PYTHONPATH": str(ROOT), "DEALQUEST_RESULTS": url},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_two_serve_hosts_write_every_choice_once_into_one_postgresql_store(pg_url: str, tmp_path: Path) -> None:
    trainees = {"a": ["Ana", "Bo"], "b": ["Cy", "Di"]}
    with (
        running_server(tmp_path / "host-a", results=pg_url) as host_a,
        running_server(tmp_path / "host-b", results=pg_url) as host_b,
    ):
        for host in (host_a, host_b):  # the URL reaches each tab's game, never its command line
            command = Path(f"/proc/{host.process.pid}/cmdline").read_bytes()
            assert PASSWORD.encode() not in command and b"postgresql" not in command
        browser = Browser()
        pages: dict[str, Page] = {}
        try:
            for host, names in ((host_a, trainees["a"]), (host_b, trainees["b"])):
                for name in names:
                    pages[name] = browser.page(host.url)
            # One trainee of each host at a time, alternating hosts, each choice checked in the store.
            for name in ("Ana", "Cy", "Bo", "Di"):
                try:
                    play_two_choices(pages[name], pg_url, name)
                except AssertionError:
                    pages[name].screenshot(tmp_path / f"{name}.png")  # for whoever reads the failure
                    raise
            for host in (host_a, host_b):
                assert len(host.games()) == 2  # each host ran its own two games
                assert PASSWORD.encode() not in b"".join(
                    Path(f"/proc/{pid}/cmdline").read_bytes() for pid in host.games()
                )
        finally:
            browser.close()
    recorded = runs(pg_url)
    assert sorted(r.trainee for r in recorded) == ["Ana", "Bo", "Cy", "Di"]
    assert all([(d.number, d.scene) for d in r.decisions] == [(1, "research"), (2, "brief")] for r in recorded)
    assert len({r.session for r in recorded}) == 4
    exported = dealquest(pg_url, "results", "export", "--format", "json")
    assert exported.returncode == 0, exported.stderr
    made = [(run["trainee"], d["number"]) for run in json.loads(exported.stdout) for d in run["decisions"]]
    assert sorted(made) == sorted((name, n) for name in ("Ana", "Bo", "Cy", "Di") for n in (1, 2))  # once each
    report = dealquest(pg_url, "report")
    assert report.returncode == 0, report.stderr
    assert report.stdout.count("unfinished, at decision 3") == 4, report.stdout
    assert PASSWORD not in exported.stderr + report.stdout + report.stderr
