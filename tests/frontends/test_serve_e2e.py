"""`dealquest serve` end to end: headless Chromium opens two tabs, each signs in and plays, and both
runs land in the one results store. Skips (with the reason) without chromium or textual-serve."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dealquest.frontends import serve
from dealquest.training.store import RunRecord, open_store

from .browser import Browser, Page, chromium_path
from .serving import running_server, wait_until

pytestmark = [
    pytest.mark.skipif(chromium_path() is None, reason="chromium is not installed (apt-get install -y chromium)"),
    pytest.mark.skipif(not serve.available(), reason="textual-serve is not installed (pip install '.[serve]')"),
]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    with running_server(tmp_path / "home") as served:
        yield served.url, served.store


def runs(store: Path) -> list[RunRecord]:
    if not store.exists():
        return []
    with open_store(store) as opened:
        return opened.runs()


def decisions(store: Path, trainee: str) -> int:
    return sum(len(r.decisions) for r in runs(store) if r.trainee == trainee)


def sign_in(page: Page, store: Path, name: str) -> None:
    page.wait_for_text("Your name")
    page.evaluate("document.querySelector('.xterm-helper-textarea').focus()")
    page.forget_output()
    page.type(name + "\n")
    wait_until(lambda: any(r.trainee == name for r in runs(store)), f"{name}'s run to start")
    page.wait_for_text("What does the segment crave?")


def step(page: Page, store: Path, name: str, key: str, shows: str) -> None:
    """Press a key that makes a choice, wait until it is recorded and `shows` is on screen."""
    before = decisions(store, name)
    page.forget_output()
    page.type(key)
    wait_until(lambda: decisions(store, name) == before + 1, f"{name}'s choice {before + 1} to be recorded")
    page.wait_for_text(shows)


def press(page: Page, key: str, shows: str) -> None:
    page.forget_output()
    page.type(key)
    page.wait_for_text(shows)


def test_two_tabs_play_independent_games_into_one_store(server: tuple[str, Path], tmp_path: Path) -> None:
    url, store = server
    browser = Browser()
    try:
        ana, bo = browser.page(url), browser.page(url)
        try:
            sign_in(ana, store, "Ana")
            sign_in(bo, store, "Bo")
            step(ana, store, "Ana", "1", shows="Continue (the handoff, Enter)")  # practice: feedback on the page
            press(ana, "\n", shows="Play as")  # the handoff card to sales
            press(ana, "\n", shows="The buyer picks up.")
            step(bo, store, "Bo", "2", shows="A billboard reaches everyone")
            step(ana, store, "Ana", "1", shows="The case study answers")
        except AssertionError:
            ana.screenshot(tmp_path / "ana.png")  # for whoever reads the failure
            bo.screenshot(tmp_path / "bo.png")
            raise
    finally:
        browser.close()
    by_name = {r.trainee: r for r in runs(store)}
    assert set(by_name) == {"Ana", "Bo"}
    assert [(d.scene, d.choice) for d in by_name["Ana"].decisions] == [("research", 0), ("brief", 0)]
    assert [(d.scene, d.choice) for d in by_name["Bo"].decisions] == [("research", 1)]
    assert all(r.seed == 7 and r.mode == "practice" for r in by_name.values())


def test_a_closed_tab_is_resumed_when_the_trainee_signs_in_again(server: tuple[str, Path], tmp_path: Path) -> None:
    url, store = server
    browser = Browser()
    try:
        first = browser.page(url)
        try:
            sign_in(first, store, "Ana")
            step(first, store, "Ana", "1", shows="Continue (the handoff, Enter)")
        except AssertionError:
            first.screenshot(tmp_path / "first.png")
            raise
        first.close()  # the laptop lid shuts mid-run
        again = browser.page(url)
        try:
            again.wait_for_text("Your name")
            again.evaluate("document.querySelector('.xterm-helper-textarea').focus()")
            again.forget_output()
            again.type("ana\n")  # the same trainee, typed in lower case
            again.wait_for_text("The buyer picks up.")  # decision 2, not the start again
            step(again, store, "Ana", "1", shows="The case study answers")
        except AssertionError:
            again.screenshot(tmp_path / "again.png")
            raise
    finally:
        browser.close()
    [run] = runs(store)
    assert run.resumes == 1 and [(d.number, d.scene) for d in run.decisions] == [(1, "research"), (2, "brief")]
