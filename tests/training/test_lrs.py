"""`dealquest results push` against a real Learning Record Store (Ralph), started for these tests.

A simulated class (scripted --plain trainees in practice and assessment, one undo, one resumed run)
is pushed; the statements are read back through the LRS's own API and checked against the store.
Skips, saying why, only where ralph-malph is not installed (the test extra installs it)."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dealquest.cli.main import main
from dealquest.training.export import XapiBuilder
from dealquest.training.lrs import LrsError, endpoint, push
from dealquest.training.store import open_store

from ..conftest import MINI, WINNING_SEED
from .lrs_server import PASSWORD, USER, Lrs, ralph

pytestmark = pytest.mark.skipif(ralph() is None, reason="ralph-malph is not installed (pip install '.[test]')")


@pytest.fixture(scope="module")
def lrs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lrs]:
    server = Lrs(tmp_path_factory.mktemp("lrs"))
    server.start()
    yield server
    server.stop()


def plain(monkeypatch: pytest.MonkeyPatch, store: Path, name: str, mode: str, typed: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(typed))
    args = ["play", str(MINI), "--plain", "--trainee", name, "--mode", mode, "--results", str(store)]
    assert main([*args, "--seed", str(WINNING_SEED)]) == 0


@pytest.fixture
def classroom(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    """Four trainees: a practice run with an undo, an assessment, a run resumed after a quit, a loss."""
    store = tmp_path / "class.sqlite"
    plain(monkeypatch, store, "Ana", "practice", "2\nu\n1\n1\n2\n")  # the billboard, undone
    plain(monkeypatch, store, "Bo", "assessment", "1\n1\n2\n")
    plain(monkeypatch, store, "Cy", "practice", "1\nq\ny\n")  # stops at decision 2...
    plain(monkeypatch, store, "Cy", "practice", "1\n2\n")  # ...and goes on from there
    plain(monkeypatch, store, "Dee", "practice", "2\n2\n1\n")
    capsys.readouterr()
    return store


def pushed(store: Path, lrs: Lrs, *extra: str) -> int:
    password = store.parent / "lrs-password"
    password.write_text(PASSWORD + "\n")
    args = ["results", "push", "--lrs", lrs.url, "--user", USER, "--password-file", str(password)]
    return main([*args, "--results", str(store), *extra])


def store_statements(store: Path) -> list[dict[str, object]]:
    with open_store(store, readonly=True) as opened:
        return XapiBuilder().statements(opened.runs())


def test_a_class_is_pushed_once_and_the_lrs_holds_what_the_store_holds(
    classroom: Path, lrs: Lrs, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = store_statements(classroom)
    assert pushed(classroom, lrs) == 0
    out = capsys.readouterr().out
    assert f"{len(mine)} statements sent, 0 the LRS held already, 0 acknowledged before" in out
    assert PASSWORD not in out

    with open_store(classroom, readonly=True) as opened:
        runs = opened.runs()
    held = {s["id"]: s for s in lrs.statements()}
    for run in runs:
        by_run = lrs.statements(registration=run.uid)
        expected = [s for s in mine if s.get("context", {}).get("registration") == run.uid]  # type: ignore[union-attr]
        assert sorted(s["id"] for s in by_run) == sorted(s["id"] for s in expected)
    for statement in mine:
        theirs = held[statement["id"]]
        assert theirs["verb"] == statement["verb"]
        assert theirs.get("result", {}).get("score") == statement.get("result", {}).get("score")  # type: ignore[union-attr]
    verbs = [s["verb"]["display"]["en-US"] for s in mine]  # type: ignore[index]
    assert "voided" in verbs  # Ana's undo
    # the voiding statement reached the LRS, pointing at the answer it takes back
    voiding = [s for s in mine if s["verb"]["display"]["en-US"] == "voided"]  # type: ignore[index]
    for statement in voiding:
        assert held[statement["id"]]["object"] == {"objectType": "StatementRef", "id": statement["object"]["id"]}  # type: ignore[index]
        assert statement["object"]["id"] in held  # type: ignore[index]
    agent = json.dumps({"account": {"homePage": "https://dealquest.invalid/xapi", "name": "bo"}})
    assert {s["id"] for s in lrs.statements(agent=agent)} == {
        s["id"]
        for s in mine
        if s["actor"]["account"]["name"] == "bo"  # type: ignore[index]
    }

    assert pushed(classroom, lrs) == 0  # a second push sends nothing
    assert f"0 statements sent, 0 the LRS held already, {len(mine)} acknowledged before" in capsys.readouterr().out
    assert main(["results", "list", "--results", str(classroom)]) == 0
    listing = capsys.readouterr().out
    assert "LRS" in listing.splitlines()[0] and listing.count(" sent") >= len(runs)


def test_an_lrs_stopped_mid_push_loses_nothing(
    tmp_path: Path, classroom: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = Lrs(tmp_path / "lrs")
    server.start()
    try:
        mine = store_statements(classroom)
        url = endpoint(server.url)
        batches: list[list[str]] = []

        def remember_then_stop(ids: list[str]) -> None:
            with open_store(classroom) as opened:
                opened.acknowledge(url, ids)
            batches.append(ids)
            if len(batches) == 2:
                server.stop()  # the LRS goes away between two batches

        with open_store(classroom, readonly=True) as opened:
            done = opened.acknowledged(url)
        with pytest.raises(LrsError, match=r"cannot reach the LRS .* 10 of \d+ new statements got through"):
            push(mine, url, done, remember_then_stop, auth=(USER, PASSWORD), batch=5, timeout=5)
        server.start()
        assert pushed(classroom, server, "--batch", "5") == 0
        assert f"{len(mine) - 10} statements sent" in capsys.readouterr().out
        assert sorted(s["id"] for s in server.statements()) == sorted(s["id"] for s in mine)  # each once
    finally:
        server.stop()


def test_a_conflict_is_reported_by_id_and_never_overwritten(classroom: Path, lrs: Lrs) -> None:
    mine = store_statements(classroom)
    url = endpoint(lrs.url)
    push(mine, url, set(), lambda ids: None, auth=(USER, PASSWORD))
    other = json.loads(json.dumps(mine))
    other[0]["result"]["response"] = "3"  # the same id, other content
    result = push(other[:4], url, set(), lambda ids: None, auth=(USER, PASSWORD))
    assert result.conflicts == [other[0]["id"]]
    assert result.already == 0 and result.sent == 3  # the three others are held already
    assert {s["id"]: s for s in lrs.statements()}[other[0]["id"]]["result"]["response"] == mine[0]["result"]["response"]  # type: ignore[index]


def test_bad_credentials_and_a_bad_url_are_one_line_errors(
    classroom: Path, lrs: Lrs, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEALQUEST_LRS_USER", USER)
    monkeypatch.setenv("DEALQUEST_LRS_PASSWORD", "wrong")
    assert main(["results", "push", "--lrs", lrs.url, "--results", str(classroom)]) == 1
    err = capsys.readouterr().err
    assert "the LRS refused the credentials (HTTP 401" in err and "0 of " in err and "wrong" not in err
    assert err.count("\n") == 1
    assert main(["results", "push", "--lrs", "http://trainer:pw@127.0.0.1/xAPI", "--results", str(classroom)]) == 2
    err = capsys.readouterr().err
    assert "not in the URL" in err and "pw" not in err.replace("pw@", "")
    assert main(["results", "push", "--lrs", "ftp://lrs", "--results", str(classroom)]) == 2


def test_every_exported_statement_validates_against_ralphs_xapi_model(classroom: Path) -> None:
    from ralph.models.xapi.base.statements import BaseXapiStatement

    for statement in store_statements(classroom):
        BaseXapiStatement(**statement)
