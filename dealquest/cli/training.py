"""The training commands of `dealquest`: play options, `results`, `report` and `serve`.

Argument parsing, exit codes and printing only, as in `dealquest.cli.main`; the work happens in
`dealquest.training`. Every message about bad input is one line on standard error.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

if TYPE_CHECKING:
    from dealquest.story.campaign import Campaign
    from dealquest.training import Mode, TrainingSettings
    from dealquest.training.store import RunRecord

from dealquest.cli.output import EXIT_FAIL, EXIT_OK, EXIT_USAGE, fail, write_output
from dealquest.story.text import plural

RESULTS_HELP = (
    "the results store: a file, or a postgresql:// URL for a store on a PostgreSQL server (default: "
    "$DEALQUEST_RESULTS, else results.sqlite in the user data folder or $DEALQUEST_HOME)"
)


def add_play_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--trainee", metavar="NAME", help="record this run for a trainer under NAME")
    p.add_argument(
        "--trainee-id",
        metavar="ID",
        help="a stable id beside the name (an email, a staff number): tells two people of one name apart",
    )
    p.add_argument(
        "--mode",
        choices=("practice", "assessment"),
        help="practice: feedback after every choice (default); assessment: none until the debrief",
    )
    p.add_argument("--results", metavar="PATH", help=RESULTS_HELP)
    p.add_argument("--plain", action="store_true", help="line by line on standard input and output, no full screen")
    p.add_argument("--choices", metavar="1,3,2", help="with --plain: make these choices (numbers as shown)")
    p.add_argument(
        "--continue",
        dest="resume",
        action="store_true",
        help="with --plain: go on with the campaign's autosave (a solo run saves after every choice)",
    )
    p.add_argument("--sign-in", action="store_true", help=argparse.SUPPRESS)  # each tab of `dealquest serve`


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from dealquest.training import DEFAULT_BASE_IRI, DEFAULT_PASS_MARK
    from dealquest.training import REPORT_FORMATS as FORMATS

    p = sub.add_parser("results", help="the training results store: list runs, export them (CSV, JSON, xAPI)")
    actions = p.add_subparsers(dest="results_command", metavar="ACTION")
    e = actions.add_parser("export", help="export runs as CSV (a row per choice), JSON (a record per run) or xAPI")
    e.add_argument("--campaign", metavar="ID", help="only the runs of this campaign")
    e.add_argument("--format", choices=("csv", "json", "xapi"), default="csv")
    e.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    e.add_argument("--results", metavar="PATH", help=RESULTS_HELP)
    e.add_argument(
        "--base-iri",
        default=DEFAULT_BASE_IRI,
        metavar="IRI",
        help=f"xAPI activity base IRI (default {DEFAULT_BASE_IRI})",
    )
    e.add_argument(
        "--pass-mark",
        type=float,
        default=DEFAULT_PASS_MARK,
        metavar="PERCENT",
        help=f"xAPI: a run passes from this grade percentage (default {DEFAULT_PASS_MARK:g})",
    )
    push = actions.add_parser(
        "push", help="send the statements a Learning Record Store has not acknowledged yet (xAPI 1.0.3)"
    )
    push.add_argument(
        "--lrs", required=True, metavar="URL", help="the LRS's xAPI endpoint, e.g. https://lrs.example/xAPI/"
    )
    push.add_argument("--user", metavar="NAME", help="the LRS user (default: $DEALQUEST_LRS_USER)")
    push.add_argument(
        "--password-file",
        metavar="FILE",
        help="a file holding the LRS password (default: $DEALQUEST_LRS_PASSWORD); never given on the command line",
    )
    push.add_argument("--campaign", metavar="ID", help="only the runs of this campaign")
    push.add_argument("--batch", type=int, default=50, metavar="N", help="statements per request (default 50)")
    push.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS", help="per request (default 10)")
    push.add_argument("--base-iri", default=DEFAULT_BASE_IRI, metavar="IRI", help="as for results export")
    push.add_argument("--pass-mark", type=float, default=DEFAULT_PASS_MARK, metavar="PERCENT", help="as for export")
    push.add_argument("--results", metavar="PATH", help=RESULTS_HELP)
    lst = actions.add_parser("list", help="the runs in the store, one a line")
    lst.add_argument("--campaign", metavar="ID", help="only the runs of this campaign")
    lst.add_argument("--results", metavar="PATH", help=RESULTS_HELP)
    b = actions.add_parser(
        "backup", help="copy the store to one self-contained file, safely while trainees are playing"
    )
    b.add_argument("path", metavar="PATH", help="the copy to write (replaced if it exists)")
    b.add_argument("--results", metavar="PATH", help=RESULTS_HELP)
    m = actions.add_parser(
        "migrate", help="copy a SQLite results store into a PostgreSQL one and check that every run arrived"
    )
    m.add_argument("source", metavar="SQLITE_PATH", help="the results file to copy (it is only read)")
    m.add_argument("target", metavar="URL", help="the PostgreSQL store, postgresql://USER@HOST:PORT/DATABASE")

    p = sub.add_parser("report", help="the cohort report and debrief questions for a trainer")
    p.add_argument("--campaign", metavar="ID", help="only this campaign (default: every campaign in the store)")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument("--leaderboard", action="store_true", help="add a ranking by best attempt (off by default)")
    p.add_argument(
        "--anonymous",
        action="store_true",
        help="no names: the group's figures, decisions and debrief questions, to show on a projector",
    )
    p.add_argument(
        "--attempt",
        choices=("first", "last", "best"),
        default="first",
        help="which of a trainee's runs counts in the group's figures (default: first)",
    )
    p.add_argument(
        "--trainee",
        metavar="NAME",
        help="one trainee's report: their figures and their run drawn as a route beside the best route",
    )
    p.add_argument("--results", metavar="PATH", help=RESULTS_HELP)

    p = sub.add_parser("class", help="the trainer's live console: who is where, who is stuck, how the room splits")
    p.add_argument("--campaign", metavar="ID", help="only this campaign's runs")
    p.add_argument(
        "--stuck",
        type=float,
        default=3.0,
        metavar="MINUTES",
        help="mark a trainee stuck after this long without a choice (default 3)",
    )
    p.add_argument("--results", metavar="PATH", help=RESULTS_HELP)

    p = sub.add_parser("serve", help="the game in a browser for a classroom (needs the serve extra)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--campaign", metavar="ID", help="the campaign every tab plays (default: each trainee picks)")
    p.add_argument("--mode", choices=("practice", "assessment"), help="fix the mode (default: each trainee picks)")
    p.add_argument("--seed", metavar="N", help="one seed for the whole group, so everyone meets the same chances")
    p.add_argument("--results", metavar="PATH", help=RESULTS_HELP)
    p.add_argument(
        "--allow-origin",
        action="append",
        default=[],
        metavar="URL",
        help="also accept pages and Host names from this address, e.g. http://room-12.school:8000 (repeatable)",
    )
    p.add_argument(
        "--max-games",
        type=int,
        default=None,
        metavar="N",
        help="games at once; later tabs see a 'session is full' page (default 30)",
    )


#: Seeds are stored as SQLite integers (64-bit) and saved in JSON: keep them to what both hold.
MAX_SEED = 2**63 - 1


def parse_seed(text: str) -> int:
    """A --seed value; ValueError with the one-line reason when it is not one."""
    try:
        seed = int(text)
    except ValueError:
        raise ValueError(f"--seed must be a whole number, not '{text}'") from None
    if not 0 <= seed <= MAX_SEED:
        raise ValueError(f"--seed must be a whole number from 0 to {MAX_SEED}, not {text}")
    return seed


def store_path(args: argparse.Namespace) -> Path | str:
    """The store a command uses: --results, else $DEALQUEST_RESULTS, else the user data folder's file."""
    from dealquest.training.store import store_location

    return store_location(getattr(args, "results", None))


def show_store(location: Path | str) -> str:
    """How messages name the store: its path, or its URL without the password."""
    from dealquest.training.store import shown

    return shown(location)


# ---------------------------------------------------------------------------------------------- play


def prepare_play(
    args: argparse.Namespace, campaign: Campaign | None, seed: int | None
) -> int | TrainingSettings | None:
    """Check the training options of `play`: an exit code (bad options, or a --plain run played),
    the training settings for the app, or None for a solo game."""
    from dealquest.training import TrainingSettings, check_trainee_name, normalise_name

    trainee, sign_in = args.trainee, args.sign_in
    if args.choices is not None and not args.plain:
        return fail(
            "play", "--choices goes with --plain, e.g. dealquest play launch --plain --choices 1,3,2", EXIT_USAGE
        )
    if (args.mode or args.results) and trainee is None and not sign_in:
        return fail("play", "--mode and --results record a training run: add --trainee NAME", EXIT_USAGE)
    if trainee is not None:
        problem = check_trainee_name(trainee)
        if problem:
            return fail("play", f"--trainee: {problem}", EXIT_USAGE)
    if args.trainee_id is not None:
        if trainee is None and not sign_in:
            return fail("play", "--trainee-id goes with --trainee NAME", EXIT_USAGE)
        problem = check_trainee_name(args.trainee_id)
        if problem:
            return fail("play", f"--trainee-id: {problem.replace('trainee name', 'trainee id')}", EXIT_USAGE)
    if (trainee is not None or sign_in) and args.watch:
        return fail("play", "--watch is for writing campaigns; leave it out of a training run", EXIT_USAGE)
    if getattr(args, "resume", False) and (not args.plain or trainee is not None or sign_in):
        return fail(
            "play",
            "--continue goes with --plain for a solo run (a trainee's run goes on by itself: sign in with the "
            "same name)",
            EXIT_USAGE,
        )
    if args.plain and campaign is None:
        from dealquest.story.library import bundled_names

        return fail("play", f"--plain needs a CAMPAIGN to play (bundled: {bundled_names()})", EXIT_USAGE)
    path = store_path(args)
    if trainee is not None or sign_in:
        from dealquest.training.store import StoreError, open_store  # not for a solo game: it imports the engine

        try:
            open_store(path).close()  # a store that cannot be used is said now, not after the first choice
        except StoreError as exc:
            return fail("play", str(exc))
    if args.plain:
        assert campaign is not None
        return play_plain(args, campaign, seed, path)
    if trainee is None and not sign_in:
        return None
    mode: Mode | None = args.mode or (None if sign_in else "practice")
    return TrainingSettings(
        store=path.resolve() if isinstance(path, Path) else path,
        trainee=normalise_name(trainee) if trainee else None,
        mode=mode,
        seed=seed,
        trainee_id=args.trainee_id.strip() if args.trainee_id else None,
    )


def play_plain(args: argparse.Namespace, campaign: Campaign, seed: int | None, path: Path | str) -> int:
    from dealquest.frontends.plain import PlainGame, ScriptError, parse_choices, scripted_lines, typed_lines
    from dealquest.play import engine
    from dealquest.training.recorder import Recorder, resumable
    from dealquest.training.store import StoreError, open_store

    numbers = None
    if args.choices is not None:
        try:
            numbers = parse_choices(args.choices)
        except ValueError as exc:
            return fail("play", f"--choices: {exc}", EXIT_USAGE)
    mode: Mode = args.mode or "practice"
    state = engine.new_game(campaign, seed)
    save = None
    if args.trainee is None and numbers is None:  # a solo run typed in: saved as it goes, as in the app
        from dealquest.play import saves

        def save(playing: Campaign, now: engine.GameState) -> str | None:
            try:
                saves.autosave(playing, now)
            except saves.SaveError as exc:
                return str(exc)
            return None

    if getattr(args, "resume", False):
        from dealquest.play import saves

        path_saved = saves.slot_path(campaign.id, saves.AUTOSAVE)
        try:
            state = saves.load(path_saved, campaign)
        except saves.SaveError as exc:
            return fail("play", f"--continue: no autosave of '{campaign.id}' to go on with ({exc})")
    store = None
    recorder = None
    resumed = False
    try:
        if args.trainee is not None:
            store = open_store(path)
            recorder = Recorder(store, campaign, args.trainee, mode, args.trainee_id)
            left = resumable(store, campaign, recorder.trainee, recorder.trainee_id) if numbers is None else None
            if left is not None:
                state = recorder.resume(left)  # same name, same campaign, same store: go on where it stopped
                mode, resumed = recorder.mode, True
        watch = campaign.folder if args.watch else None
        game = PlainGame(
            campaign, state, sys.stdout, mode=mode, recorder=recorder, err=sys.stderr, save=save, watch=watch
        )
        if recorder is not None and not resumed and not game.begin():
            return EXIT_FAIL
        game.introduce(args.trainee, resumed or getattr(args, "resume", False))
        if numbers is not None:
            done = game.play(scripted_lines(game, numbers), echo=True)
        else:
            done = game.play(typed_lines(sys.stdin), echo=not sys.stdin.isatty())
        return EXIT_OK if done else EXIT_FAIL
    except ScriptError as exc:
        print()
        return fail("play", str(exc))
    except StoreError as exc:
        return fail("play", str(exc))
    finally:
        if recorder is not None:
            recorder.release()
        if store is not None:
            store.close()


# ---------------------------------------------------------------------------------------------- results


def _runs(command: str, args: argparse.Namespace) -> tuple[int, list[RunRecord] | None, str]:
    """The runs the command asked for, or an exit code after saying why there are none to use. The
    store is opened read-only: this never waits for a trainee's write and works on a read-only copy.
    Each damaged run left out is said on its own line."""
    from dealquest.training.store import StoreError, open_store

    location = store_path(args)
    path = show_store(location)
    try:
        with open_store(location, readonly=True) as store:
            runs = store.runs(args.campaign)
            known = store.campaigns()
            notes = [*store.damaged, *([store.note] if store.note else [])]
    except StoreError as exc:
        return fail(command, str(exc)), None, path
    for note in notes:
        print(f"dealquest {command}: warning: {path}: {note}", file=sys.stderr)
    if args.campaign and not runs:
        listed = ", ".join(known) or "none"
        return fail(command, f"no runs of campaign '{args.campaign}' in {path} (campaigns there: {listed})"), None, path
    return EXIT_OK, runs, path


def cmd_push(args: argparse.Namespace) -> int:
    """Send the store's xAPI statements to an LRS, only those it has not acknowledged yet."""
    try:
        import httpx  # noqa: F401
    except ImportError:
        return fail("results push", "pushing to an LRS needs httpx: pip install 'dealquest[lrs]'")
    from dealquest.training.export import XapiBuilder
    from dealquest.training.lrs import LrsError, credentials, endpoint, push
    from dealquest.training.store import StoreError, open_store

    try:
        lrs = endpoint(args.lrs)
        auth = credentials(args.user, args.password_file)
    except ValueError as exc:
        return fail("results push", str(exc), EXIT_USAGE)
    if not 1 <= args.batch <= 1000 or not 0 < args.timeout <= 600:
        return fail("results push", "--batch is 1 to 1000 statements and --timeout 0 to 600 seconds", EXIT_USAGE)
    base = urlparse(args.base_iri)
    if base.scheme not in ("http", "https") or not base.netloc or not 0 <= args.pass_mark <= 100:
        return fail("results push", "--base-iri must be an absolute http(s) IRI and --pass-mark 0 to 100", EXIT_USAGE)
    try:
        with open_store(store_path(args), create=False) as store:
            runs = store.runs(args.campaign)
            statements = XapiBuilder(args.base_iri, args.pass_mark).statements(runs)
            try:
                result = push(
                    statements,
                    lrs,
                    store.acknowledged(lrs),
                    lambda ids: store.acknowledge(lrs, ids),
                    auth=auth,
                    batch=args.batch,
                    timeout=args.timeout,
                )
            except LrsError as exc:
                return fail("results push", str(exc))
    except StoreError as exc:
        return fail("results push", str(exc))
    print(
        f"{lrs}: {result.sent} statements sent, {result.already} the LRS held already, "
        f"{result.total - result.new} acknowledged before; {result.total} in all for {plural(len(runs), 'run')}."
    )
    if result.conflicts:
        for statement in result.conflicts:
            print(f"dealquest results push: conflict: the LRS holds statement {statement} with other content")
        return fail(
            "results push",
            f"{plural(len(result.conflicts), 'statement')} conflict with what the LRS holds under the same id; "
            "they were not overwritten",
        )
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    """A consistent single-file copy of the store, safe while trainees are still writing to it."""
    from dealquest.training.store import StoreError, open_store

    target = Path(args.path).expanduser()
    try:
        with open_store(store_path(args), readonly=True) as store:
            runs, choices = store.backup(target)
            damaged = list(store.damaged)
    except StoreError as exc:
        return fail("results backup", str(exc))
    for note in damaged:
        print(f"dealquest results backup: warning: {store.where}: {note}", file=sys.stderr)
    print(f"wrote {target}: {plural(runs, 'run')} and {plural(choices, 'choice')}, one self-contained file")
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace) -> int:
    """Copy a SQLite store into a PostgreSQL one (runs it holds already are left as they are), then
    check that the target holds every run and choice of the source; the counts are printed."""
    from dealquest.training.store import StoreError, copy_store, is_server_url, open_store

    if is_server_url(args.source) or not is_server_url(args.target):
        return fail(
            "results migrate",
            "give the SQLite file first and the PostgreSQL store second, e.g. dealquest results migrate "
            "results.sqlite postgresql://dealquest@db.example/dealquest",
            EXIT_USAGE,
        )
    source_path = Path(args.source).expanduser()
    try:
        with open_store(source_path, readonly=True) as source, open_store(args.target) as target:
            copied = copy_store(source, target)
            where = target.where
    except StoreError as exc:
        return fail("results migrate", str(exc))
    for note in copied.damaged:
        print(f"dealquest results migrate: warning: {source_path}: {note}", file=sys.stderr)
    runs, choices = copied.runs + copied.already_runs, copied.choices + copied.already_choices
    print(
        f"copied {plural(copied.runs, 'run')} and {plural(copied.choices, 'choice')} from {source_path} to {where}"
        + (
            f" ({plural(copied.already_runs, 'run')} and {plural(copied.already_choices, 'choice')} were there already)"
            if copied.already_runs
            else ""
        )
        + "."
    )
    print(
        f"checked: {where} holds all {plural(runs, 'run')} and {plural(choices, 'choice')} of {source_path}"
        + (f", and its {plural(copied.acknowledgements, 'LRS acknowledgement')}" if copied.acknowledgements else "")
        + "."
    )
    if copied.damaged:
        return fail(
            "results migrate",
            f"{plural(len(copied.damaged), 'damaged run')} of {source_path} could not be copied (see the warnings)",
        )
    return EXIT_OK


def cmd_results(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.results_command is None:
        return fail(
            "results",
            "name an action: list, export, push, backup or migrate, e.g. dealquest results export --format csv",
            EXIT_USAGE,
        )
    if args.results_command == "backup":
        return cmd_backup(args)
    if args.results_command == "migrate":
        return cmd_migrate(args)
    if args.results_command == "push":
        return cmd_push(args)
    code, records, path = _runs(f"results {args.results_command}", args)
    if records is None:
        return code
    if args.results_command == "list":
        return results_list(records, path, _acknowledged(args))
    from dealquest.training.export import to_csv, to_json, to_xapi

    if args.format == "xapi":
        base = urlparse(args.base_iri)
        if base.scheme not in ("http", "https") or not base.netloc:
            return fail(
                "results export", f"--base-iri must be an absolute http(s) IRI, not '{args.base_iri}'", EXIT_USAGE
            )
        if not 0 <= args.pass_mark <= 100:
            return fail("results export", "--pass-mark is a percentage from 0 to 100", EXIT_USAGE)
    if not records:
        print(f"dealquest results export: no runs recorded yet in {path}", file=sys.stderr)
    if args.format == "csv":
        text = to_csv(records)
    elif args.format == "json":
        text = to_json(records)
    else:
        text = to_xapi(records, args.base_iri, args.pass_mark)
    return write_output(text, args.output, "results export")


def _local(stamp: str) -> str:
    return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")


def _ago(stamp: str, now: datetime) -> str:
    seconds = max(0, round((now - datetime.fromisoformat(stamp)).total_seconds()))
    if seconds < 60:
        return f"{seconds} s ago"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    return _local(stamp)


def _acknowledged(args: argparse.Namespace) -> set[str]:
    """The statement ids any LRS acknowledged (empty when nothing was ever pushed)."""
    from dealquest.training.store import StoreError, open_store

    try:
        with open_store(store_path(args), readonly=True) as store:
            return set().union(*store.lrs_acknowledged().values())
    except StoreError:
        return set()


def _lrs_cell(run: RunRecord, acknowledged: set[str]) -> str:
    from dealquest.training.export import XapiBuilder

    ids = {s["id"] for s in XapiBuilder().statements([run])}
    held = len(ids & acknowledged)
    return "sent" if held == len(ids) else "no" if held == 0 else f"{held} of {len(ids)}"


def results_list(records: list[RunRecord], path: str, acknowledged: set[str] | None = None) -> int:
    from dealquest.story.text import clean
    from dealquest.training.report import align

    if not records:
        print(f"No runs recorded yet in {path}.")
        return EXIT_OK
    moment = datetime.now().astimezone()
    pushed = bool(acknowledged)  # the LRS column shows once something was pushed to one
    rows = [
        ["STARTED", "TRAINEE", "CAMPAIGN", "MODE", "CHOICES", "LAST CHOICE", "RESULT", *(["LRS"] if pushed else [])]
    ]
    for r in records:
        result = f"{r.grade} {r.percent:.0f}% ({r.ending_title or r.ending})" if r.finished else "in progress"
        last = _ago(r.decisions[-1].decided_at, moment) if r.decisions and not r.finished else "–"
        row = [_local(r.started_at), r.trainee, r.campaign, r.mode, str(len(r.decisions)), last, result]
        if pushed:
            row.append(_lrs_cell(r, acknowledged or set()))
        rows.append([clean(cell, line=True) for cell in row])  # names and titles come from the store
    for line in align(rows, right={4}):
        print(line)
    print(f"{plural(len(records), 'run')} in {path}")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from dealquest.training.cohort import cohorts
    from dealquest.training.report import render

    if args.anonymous and args.leaderboard:
        return fail("report", "--anonymous leaves names out; a --leaderboard needs them: pick one", EXIT_USAGE)
    if args.anonymous and args.trainee:
        return fail("report", "--anonymous leaves names out; --trainee names one: pick one", EXIT_USAGE)
    code, records, path = _runs("report", args)
    if records is None:
        return code
    if not records:
        return fail("report", f"no runs recorded yet in {path}: play a training run first")
    if args.trainee:
        from dealquest.training import name_key

        mine = [r for r in records if name_key(r.trainee) == name_key(args.trainee)]
        if not mine:
            names = ", ".join(sorted({r.trainee for r in records})) or "none"
            return fail("report", f"no runs of trainee '{args.trainee}' in {path} (trainees there: {names})")
        records = mine
    generated = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
    footer = (
        f"Generated {generated} by DealQuest."
        if args.anonymous
        else f"Results store: {path}. Generated {generated} by DealQuest."
    )
    text = render(
        cohorts(records, rule=args.attempt),
        args.format,
        leaderboard=args.leaderboard,
        footer=footer,
        anonymous=args.anonymous,
        routes=bool(args.trainee),
    )
    return write_output(text, args.output, "report")


# ---------------------------------------------------------------------------------------------- class


def cmd_class(args: argparse.Namespace) -> int:
    """The live class console (full screen); it only reads the store."""
    from dealquest.training.store import StoreError, open_store

    if not args.stuck > 0:
        return fail("class", f"--stuck is a number of minutes above 0, not {args.stuck:g}", EXIT_USAGE)
    path = store_path(args)
    try:
        open_store(path, readonly=True).close()  # said now, in one line, rather than inside the screen
    except StoreError as exc:
        return fail("class", str(exc))
    from dealquest.tui.console import ClassConsoleApp

    ClassConsoleApp(path, args.campaign, stuck_after=args.stuck * 60).run()
    return EXIT_OK


# ---------------------------------------------------------------------------------------------- serve


def cmd_serve(args: argparse.Namespace) -> int:
    from dealquest.frontends import serve
    from dealquest.training.store import StoreError, open_store

    if not serve.available():
        return fail("serve", f"the browser mode needs textual-serve; install it with: {serve.INSTALL_HINT}")
    if not 1 <= args.port <= 65535:
        return fail("serve", f"--port must be from 1 to 65535, not {args.port}", EXIT_USAGE)
    max_games = serve.DEFAULT_MAX_GAMES if args.max_games is None else args.max_games
    if not 1 <= max_games <= 1000:
        return fail("serve", f"--max-games must be from 1 to 1000, not {max_games}", EXIT_USAGE)
    try:
        guard = serve.Guard.for_address(args.host, args.port, args.allow_origin, max_games)
    except ValueError as exc:
        return fail("serve", str(exc), EXIT_USAGE)
    seed: int | None = None
    if args.seed is not None:
        try:
            seed = parse_seed(args.seed)
        except ValueError as exc:
            return fail("serve", str(exc), EXIT_USAGE)
    folder = None
    if args.campaign is not None:
        from dealquest.story.library import load, resolve, unknown

        folder = resolve(args.campaign)
        if folder is None:
            return fail("serve", unknown(args.campaign).message, EXIT_USAGE)
        if not load(args.campaign).ok:
            return fail("serve", f"{args.campaign} has errors; run dealquest validate {args.campaign}")
    path = store_path(args)
    try:
        open_store(path).close()
    except StoreError as exc:
        return fail("serve", str(exc))
    if isinstance(path, str):  # the tabs find the server in their environment, never on a command line
        from dealquest.training.store import RESULTS_ENV

        os.environ[RESULTS_ENV] = path
    command = serve.tab_command(path, folder, args.mode, seed)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{shown}:{args.port}"
    if serve.is_wildcard(args.host):  # 0.0.0.0 is not an address a browser can open: name one of ours
        url = next((a for a in guard.addresses() if not serve.is_loopback(urlparse(a).hostname or "")), url)
    if not serve.is_loopback(args.host):
        print(
            f"dealquest serve: warning: listening on {args.host}, so anyone who can reach this machine on port "
            f"{args.port} can play and add runs to the results store (no login, no encryption). Use it on a "
            "classroom network you trust.",
            file=sys.stderr,
        )
    named = str(path.resolve()) if isinstance(path, Path) else show_store(path)
    where = f" --results {shlex.quote(named)}" if args.results else ""
    print(
        f"DealQuest training session: open {url} in a browser, one tab per trainee.\n"
        f"It answers to {', '.join(guard.addresses())} (add one with --allow-origin), "
        f"at most {max_games} games at once.\n"
        f"Every choice goes to {named}. When the group is done:\n"
        f"  dealquest report --format html -o report.html{where}\n"
        "Press Ctrl+C to stop.",
        flush=True,
    )
    try:
        serve.serve(command, args.host, args.port, guard)
    except OSError as exc:
        return fail("serve", f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}")
    return EXIT_OK
