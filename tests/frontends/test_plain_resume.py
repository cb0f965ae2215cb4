"""`--plain` for a training run: q asks first, and signing in again goes on where the run stopped."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from dealquest.cli.main import main
from dealquest.training.store import open_store

from ..conftest import MINI, WINNING_SEED


def typed(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def runs(path: Path) -> list:  # type: ignore[type-arg]
    with open_store(path, readonly=True) as store:
        return store.runs()


def test_quitting_asks_first_and_the_next_sign_in_goes_on_from_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "r.sqlite"
    argv = ["play", str(MINI), "--plain", "--trainee", "Ana", "--results", str(path), "--seed", str(WINNING_SEED)]
    typed(monkeypatch, "1\nq\n\nq\ny\n")  # q, then Enter: go on; q, then y: stop
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.count("Stop this run at decision 2? Type y to stop, Enter to go on:") == 2
    assert "Stopped at decision 2; the choices so far are kept. Sign in again with the same name" in out
    [run] = runs(path)
    assert len(run.decisions) == 1 and not run.finished

    typed(monkeypatch, "1\n2\n")
    assert main([*argv[:4], "ANA", *argv[5:]]) == 0  # the same person, whatever the case
    out = capsys.readouterr().out
    assert "Welcome back: your unfinished run goes on at decision 2 (1 choice already recorded)." in out
    assert "The end: Signed" in out
    [run] = runs(path)
    assert run.resumes == 1 and [d.number for d in run.decisions] == [1, 2, 3] and run.finished


def test_a_scripted_run_never_resumes_and_a_different_name_starts_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "r.sqlite"
    base = ["play", str(MINI), "--plain", "--results", str(path), "--seed", str(WINNING_SEED)]
    typed(monkeypatch, "1\nq\ny\n")
    assert main([*base, "--trainee", "Ana"]) == 0
    assert main([*base, "--trainee", "Ana", "--choices", "1,1,2"]) == 0  # a script is a new run
    typed(monkeypatch, "1\nq\ny\n")
    assert main([*base, "--trainee", "Bo"]) == 0
    assert [(r.trainee, len(r.decisions)) for r in runs(path)] == [("Ana", 1), ("Ana", 3), ("Bo", 1)]


@pytest.mark.parametrize(
    ("name", "ok"),
    [("👩🏽‍💼 Sam", True), ("Zoë Ångström", True), ("Sam\x1b[31m", False), ("a\u202eb", False), ("x" * 61, False)],
)
def test_any_printable_name_is_accepted_and_escapes_are_not(
    name: str, ok: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "r.sqlite"
    code = main(["play", str(MINI), "--plain", "--trainee", name, "--results", str(path), "--choices", "1"])
    err = capsys.readouterr().err
    if ok:
        assert [r.trainee for r in runs(path)] == [name] and [len(r.decisions) for r in runs(path)] == [1]
    else:
        assert code == 2 and err.startswith("dealquest play: --trainee: a trainee name") and len(err.splitlines()) == 1


def test_a_trainee_id_tells_two_people_of_one_name_apart(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    base = ["play", str(MINI), "--plain", "--trainee", "Sam", "--results", str(path), "--seed", str(WINNING_SEED)]
    assert main([*base, "--trainee-id", "sam.lee@example.org", "--choices", "1,1,2"]) == 0
    assert main([*base, "--trainee-id", "sam.ng@example.org", "--choices", "2,2,1"]) == 0
    from dealquest.training.cohort import build_cohort
    from dealquest.training.export import to_xapi

    records = runs(path)
    assert [r.trainee_id for r in records] == ["sam.lee@example.org", "sam.ng@example.org"]
    assert len(build_cohort(records, None).trainees) == 2
    import json

    accounts = {s["actor"]["account"]["name"] for s in json.loads(to_xapi(records))}
    assert accounts == {"sam.lee@example.org", "sam.ng@example.org"}
