"""A results store on a real PostgreSQL server through the commands a trainer types: --results
postgresql://..., $DEALQUEST_RESULTS, backup to a file, migrate from a file, and one-line errors
that never show the password. (The store's own tests run on both backends: test_store*.py.)"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dealquest.cli.main import main
from dealquest.training.console import ClassWatch
from dealquest.training.store import Store, StoreError, open_store

from ..conftest import MINI, WINNING_SEED
from ..pg import PASSWORD, Server
from .conftest import play, tamper

ROOT = Path(__file__).resolve().parents[2]


def one_line(err: str) -> str:
    err = err.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    assert PASSWORD not in err and "wrong-Pw" not in err, err
    return err


def dealquest(*argv: str, env: dict[str, str] | None = None, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dealquest", *argv],
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    """A SQLite store of a class: Ana won, Quinn lost, Cy has two choices and undid one."""
    path = tmp_path / "classroom.sqlite"
    with open_store(path) as store:
        play(store, "Ana", [0, 0, 1])
        play(store, "Quinn", [1, 1, 0], seed=3)
        fill_undo(store)
        store.acknowledge("https://lrs.example/xapi/", ["s1", "s2"])
    return path


def fill_undo(store: Store) -> None:
    from dealquest.play import engine
    from dealquest.training.recorder import Recorder

    from .conftest import mini

    campaign = mini()
    recorder = Recorder(store, campaign, "Cy", "practice")
    state = engine.new_game(campaign, WINNING_SEED)
    recorder.begin(state)
    for pick in (0, 0):
        step = engine.choose(campaign, state, pick)
        recorder.chose(state, step, 1.0)
        state = step.state
    recorder.rewound(engine.undo(campaign, state))


def test_a_trainee_plays_into_a_postgresql_store_and_every_command_reads_it(pg_url: str, tmp_path: Path) -> None:
    done = dealquest(
        "play", str(MINI), "--plain", "--trainee", "Ana", "--seed", str(WINNING_SEED), "--results", pg_url,
        "--choices", "1,1,2",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    listed = dealquest("results", "list", "--results", pg_url)
    assert listed.returncode == 0 and "Ana" in listed.stdout and "1 run in postgresql://postgres@" in listed.stdout
    report = dealquest("report", "--results", pg_url)
    assert report.returncode == 0 and "Ana" in report.stdout
    exported = dealquest("results", "export", "--format", "csv", "--results", pg_url)
    assert exported.returncode == 0 and len(exported.stdout.strip().splitlines()) == 1 + 3
    for out in (done, listed, report, exported):
        assert PASSWORD not in out.stdout + out.stderr
    with open_store(pg_url, readonly=True) as store:
        [run] = store.runs()
    assert run.finished and [d.number for d in run.decisions] == [1, 2, 3]


def test_dealquest_results_names_the_store_when_no_results_option_is_given(pg_url: str) -> None:
    env = {"DEALQUEST_RESULTS": pg_url}
    done = dealquest("play", str(MINI), "--plain", "--trainee", "Bo", "--choices", "1,1", env=env)
    assert done.returncode == 0, done.stderr
    listed = dealquest("results", "list", env=env)
    assert listed.returncode == 0 and "Bo" in listed.stdout
    with open_store(pg_url, readonly=True) as store:
        assert [len(r.decisions) for r in store.runs()] == [2]


def test_the_class_console_notices_a_choice_on_the_server(pg_url: str) -> None:
    with open_store(pg_url) as store:
        play(store, "Ana", [0])
        watch = ClassWatch(pg_url)
        try:
            assert watch.poll() and [len(r.decisions) for r in watch.runs] == [1]
            assert not watch.poll()  # nothing new: not read again
            play(store, "Bo", [0, 0])
            assert watch.poll() and sorted(len(r.decisions) for r in watch.runs) == [1, 2]
        finally:
            watch.close()


# ---------------------------------------------------------------------------------------------- errors


def bad_urls(server: Server) -> list[tuple[str, str]]:
    closed = server.url().replace(f":{server.port}/", f":{free_port()}/")
    return [
        (closed, "cannot connect to the PostgreSQL server"),
        (server.url(password="wrong-Pw"), "password authentication failed"),
        (server.url("no_such_database"), 'database "no_such_database" does not exist'),
        (f"postgresql://postgres:{PASSWORD}@127.0.0.1:notaport/x", 'invalid integer value "notaport"'),
        (f"postgresql://postgres:{PASSWORD}@127.0.0.1/x?sslmode=sometimes", 'invalid sslmode value: "sometimes"'),
        (f"postgresql://postgres:{PASSWORD}@127.0.0.1/x?bogus=1", "not a PostgreSQL address that can be used"),
    ]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_wrong_or_unreachable_server_is_one_line_without_the_password(
    pg_server: Server, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for url, message in bad_urls(pg_server):
        commands = [
            ["play", str(MINI), "--plain", "--trainee", "Ana", "--choices", "1"],
            ["results", "list"],
            ["report"],
            ["results", "export"],
            ["results", "backup", str(tmp_path / "copy.sqlite")],
            ["class"],
            ["serve"],
        ]
        for argv in commands:
            code = main([*argv, "--results", url])
            err = one_line(capsys.readouterr().err)
            assert code == 1 and message in err, (argv, err)
            assert err.startswith(f"dealquest {argv[0]}"), err
        assert not (tmp_path / "copy.sqlite").exists()


def test_a_postgresql_url_without_psycopg_names_the_extra(pg_url: str) -> None:
    code = (
        "import sys\n"
        "sys.modules['psycopg'] = None  # as if the postgres extra were not installed\n"
        "from dealquest.cli.main import main\n"
        f"sys.exit(main(['results', 'list', '--results', {pg_url!r}]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    err = one_line(done.stderr)
    assert "needs psycopg: pip install 'dealquest[postgres]'" in err


def test_a_role_that_may_only_read_lists_and_reports_but_cannot_record(pg_server: Server, pg_url: str) -> None:
    with open_store(pg_url) as store:
        play(store, "Ana", [0, 0, 1])
    database = pg_url.rsplit("/", 1)[1]
    role = f"reader_{database}"  # roles belong to the whole server: one of this test's own
    tamper(pg_url, f"CREATE ROLE {role} LOGIN PASSWORD 'reader-pw'")
    tamper(pg_url, f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    reader = f"postgresql://{role}:reader-pw@127.0.0.1:{pg_server.port}/{database}"
    listed = dealquest("results", "list", "--results", reader)
    assert listed.returncode == 0 and "Ana" in listed.stdout
    played = dealquest("play", str(MINI), "--plain", "--trainee", "Bo", "--choices", "1", "--results", reader)
    assert played.returncode == 1
    assert "may not do this" in one_line(played.stderr) and "reader-pw" not in played.stderr


# ---------------------------------------------------------------------------------------------- backup, migrate


def test_a_backup_of_a_server_store_is_a_file_every_command_reads_and_migrate_restores(
    filled: Path, pg_server: Server, tmp_path: Path
) -> None:
    first, second = pg_server.new_database(), pg_server.new_database()
    assert dealquest("results", "migrate", str(filled), first).returncode == 0
    copy = tmp_path / "backup.sqlite"
    done = dealquest("results", "backup", str(copy), "--results", first)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"wrote {copy}: 3 runs and 7 choices, one self-contained file")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(("backup", ".backup"))] == ["backup.sqlite"]
    restored = dealquest("results", "migrate", str(copy), second)
    assert restored.returncode == 0, restored.stderr
    stores = [open_store(filled, readonly=True), open_store(copy, readonly=True), open_store(second, readonly=True)]
    try:
        seen = [
            ([(r.uid, r.trainee, r.percent, r.undos, [d.uid for d in r.decisions], [d.uid for d in r.undone])
              for r in s.runs()], s.lrs_acknowledged())
            for s in stores
        ]  # fmt: skip
    finally:
        for s in stores:
            s.close()
    assert seen[0] == seen[1] == seen[2]
    assert seen[0][1] == {"https://lrs.example/xapi/": {"s1", "s2"}}


def test_migrate_copies_a_file_into_the_server_checks_the_counts_and_is_idempotent(filled: Path, pg_url: str) -> None:
    with open_store(pg_url) as store:
        play(store, "Dana", [0])  # another classroom's run, there already
    done = dealquest("results", "migrate", str(filled), pg_url)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"copied 3 runs and 7 choices from {filled} to postgresql://postgres@127.0.0.1:")
    assert lines[1].endswith(f"holds all 3 runs and 7 choices of {filled}, and its 2 LRS acknowledgements.")
    again = dealquest("results", "migrate", str(filled), pg_url)
    assert again.returncode == 0, again.stderr
    assert "copied 0 runs and 0 choices" in again.stdout and "(3 runs and 7 choices were there already)" in again.stdout
    with open_store(pg_url, readonly=True) as store:
        runs = store.runs()
    assert sorted(r.trainee for r in runs) == ["Ana", "Cy", "Dana", "Quinn"]
    [cy] = [r for r in runs if r.trainee == "Cy"]
    assert len(cy.decisions) == 1 and len(cy.undone) == 1 and cy.undos == 1
    for out in (done, again):
        assert PASSWORD not in out.stdout + out.stderr


def test_migrate_says_so_when_the_server_holds_a_run_with_other_choices(
    filled: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["results", "migrate", str(filled), pg_url]) == 0
    capsys.readouterr()
    tamper(pg_url, "DELETE FROM decisions WHERE number = 3 AND run_id = (SELECT id FROM runs WHERE trainee = 'Ana')")
    assert main(["results", "migrate", str(filled), pg_url]) == 1
    err = one_line(capsys.readouterr().err)
    assert "does not hold what" in err and "1 with other choices (Ana (run 1))" in err


def test_migrate_leaves_out_a_damaged_run_and_says_so(filled: Path, pg_url: str) -> None:
    db = sqlite3.connect(filled)
    db.execute("UPDATE runs SET mode = 'exam' WHERE trainee = 'Quinn'")
    db.commit()
    db.close()
    done = dealquest("results", "migrate", str(filled), pg_url)
    assert done.returncode == 1
    warning, failure = done.stderr.strip().splitlines()
    assert "warning" in warning and "run 2 (Quinn) is damaged and left out: mode is 'exam'" in warning
    assert failure == f"dealquest results migrate: 1 damaged run of {filled} could not be copied (see the warnings)"
    assert "copied 2 runs and 4 choices" in done.stdout


def test_migrate_wants_a_file_then_a_server(filled: Path, pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["results", "migrate", pg_url, str(filled)]) == 2
    assert "give the SQLite file first" in one_line(capsys.readouterr().err)
    assert main(["results", "migrate", str(filled), str(filled) + ".copy"]) == 2
    one_line(capsys.readouterr().err)


def test_a_server_restart_or_stop_between_choices_loses_nothing_and_the_game_still_holds_its_run(
    pg_server: Server, pg_url: str
) -> None:
    # The server is stopped at once and started again mid-game (a crash, a host's restart), then
    # stopped for a while: the next choice is recorded on a fresh connection once it is back, and
    # the game still says it is playing its run, so a sign-in elsewhere under the same name starts
    # its own run rather than taking this one.
    from dealquest.play import engine
    from dealquest.training.recorder import Recorder, resumable

    from .conftest import mini

    campaign = mini()
    playing, elsewhere = open_store(pg_url), open_store(pg_url)
    try:
        recorder = Recorder(playing, campaign, "Sam", "practice")
        state = engine.new_game(campaign, WINNING_SEED)
        recorder.begin(state)
        step = engine.choose(campaign, state, 0)
        recorder.chose(state, step, 1.0)
        state = step.state
        assert elsewhere.session_alive(recorder.session)

        pg_server.restart()
        step = engine.choose(campaign, state, 0)
        # Down for longer: a choice is refused at once, saying why (the game stays at it), and made
        # again once the server is back.
        pg_server.halt()
        try:
            began = time.monotonic()
            with pytest.raises(StoreError, match="PostgreSQL server"):
                recorder.chose(state, step, 1.0)
            assert time.monotonic() - began < 5
        finally:
            pg_server.resume()
        recorder.chose(state, step, 1.0)
        assert [d.choice for d in elsewhere.run(recorder.run_id).decisions] == [0, 0]
        assert elsewhere.session_alive(recorder.session)
        assert resumable(elsewhere, campaign, "Sam") is None
        recorder.release()
        assert not elsewhere.session_alive(recorder.session)
        assert resumable(elsewhere, campaign, "Sam") is not None
    finally:
        playing.close()
        elsewhere.close()
