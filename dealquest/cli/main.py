"""The `dealquest` command: argument parsing, exit codes and printing. Logic lives below."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dealquest import __version__
from dealquest.cli import training as cli_training
from dealquest.cli.output import EXIT_FAIL, EXIT_OK, EXIT_USAGE, fail, write_output
from dealquest.story.text import plural

if TYPE_CHECKING:
    from dealquest.story.campaign import Campaign


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dealquest",
        description="DealQuest: a role-play game about the difference between sales and marketing.",
    )
    parser.add_argument("--version", action="version", version=f"dealquest {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("play", help="play a campaign in the terminal (the default with no command)")
    p.add_argument("campaign", nargs="?", metavar="CAMPAIGN", help="a bundled campaign id or a campaign folder")
    p.add_argument("--seed", metavar="N", help="seed for the run's chance events (a whole number)")
    p.add_argument(
        "--watch",
        action="store_true",
        help="reload the campaign when one of its files changes and replay your run on it",
    )
    cli_training.add_play_arguments(p)

    p = sub.add_parser("list", help="the bundled campaigns, with how long a typical run takes")
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = sub.add_parser("validate", help="check campaign folders and print FILE:LINE:COL diagnostics")
    p.add_argument("paths", nargs="*", metavar="PATH", help="campaign folders or files in them")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--strict", action="store_true", help="warnings fail too")
    p.add_argument("--explain", metavar="CODE", help="explain a diagnostic code, e.g. DQ103")

    p = sub.add_parser("playtest", help="random and exhaustive playthroughs, best paths, naive strategies, story tests")
    p.add_argument("path", metavar="PATH", help="a campaign folder or a bundled campaign id")
    p.add_argument("--runs", type=_count, default=1000, help="random playthroughs (default 1000; 0 for none)")
    p.add_argument("--seed", type=int, default=1, help="seed of the random playthroughs (default 1)")
    p.add_argument("--exhaustive", action="store_true", help="explore every reachable state")
    p.add_argument("--max-states", type=_positive, default=500_000, help="cap on explored states (default 500000)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--strict", action="store_true", help="warnings fail too (the scenario-design checks among them)")

    p = sub.add_parser("graph", help="the scene graph as Mermaid or Graphviz DOT")
    p.add_argument("path", metavar="PATH", help="a campaign folder or a bundled campaign id")
    p.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")

    p = sub.add_parser("new", help="a new campaign folder with commented examples of every feature")
    p.add_argument("campaign_id", metavar="CAMPAIGN_ID", help="lowercase letters, digits and _")
    p.add_argument("--dir", default=".", help="the folder to create it in (default: the current folder)")

    p = sub.add_parser("schema", help="JSON Schema of story files, for editors with the YAML language server")
    p.add_argument(
        "--kind",
        choices=("campaign", "story", "tests"),
        default="campaign",
        help="campaign.yaml, other scene files, or story test files (default campaign)",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")

    sub.add_parser(
        "lsp", help="a language server on standard input and output, for editors (needs pip install 'dealquest[lsp]')"
    )

    cli_training.add_commands(sub)
    return parser


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    if not (sys.argv[1:] if argv is None else argv) and sys.stdout.isatty():
        # `dealquest` alone opens the game: no parser to build for it (it is the cold start).
        parser, args = None, argparse.Namespace(command=None)
    else:
        parser = _parser()
        args = parser.parse_args(argv)
    try:
        if args.command in ("play", None) and (args.command == "play" or sys.stdout.isatty()):
            return cmd_play(args)
        if args.command == "list":
            return cmd_list(args)
        assert parser is not None
        if args.command == "validate":
            return cmd_validate(args, parser)
        if args.command == "playtest":
            return cmd_playtest(args)
        if args.command == "graph":
            return cmd_graph(args)
        if args.command == "schema":
            return cmd_schema(args)
        if args.command == "new":
            return cmd_new(args)
        if args.command == "lsp":
            return cmd_lsp()
        if args.command == "results":
            return cli_training.cmd_results(args, parser)
        if args.command == "report":
            return cli_training.cmd_report(args)
        if args.command == "serve":
            return cli_training.cmd_serve(args)
        if args.command == "class":
            return cli_training.cmd_class(args)
        parser.print_help()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `dealquest list | head -1`
        sys.stderr.close()
        return EXIT_OK


def cmd_play(args: argparse.Namespace) -> int:
    """Open the game: the title screen, or straight into a new run of the campaign named."""
    from dealquest.story.library import resolve, unknown

    seed: int | None = None
    if getattr(args, "seed", None) is not None:
        try:
            seed = cli_training.parse_seed(args.seed)
        except ValueError as exc:
            return fail("play", str(exc), EXIT_USAGE)
    campaign: Campaign | None = None
    name = getattr(args, "campaign", None)
    if name is not None:
        folder = resolve(name)
        if folder is None:
            return fail("play", unknown(name).message, EXIT_USAGE)
        from dealquest.story.loader import load_campaign  # not for the title screen: it imports Pydantic and YAML

        result = load_campaign(folder)
        if not result.ok or result.campaign is None:
            for d in result.diagnostics:
                print(d.format(), file=sys.stderr)
            return fail("play", f"{name} has errors; fix them and try again")
        campaign = result.campaign
    training = cli_training.prepare_play(args, campaign, seed) if args.command == "play" else None
    if isinstance(training, int):  # bad training options, or a --plain run that has been played
        return training
    from dealquest.tui.app import DealQuestApp  # only playing pays for importing Textual

    watch = campaign.folder if getattr(args, "watch", False) and campaign is not None else None
    if getattr(args, "watch", False) and campaign is None:
        return fail(
            "play", "--watch needs a campaign folder to watch, e.g. dealquest play story/launch --watch", EXIT_USAGE
        )
    app = DealQuestApp(campaign=campaign, seed=seed, watch=watch, training=training)
    app.run()
    if app.crash_log is not None:
        return fail(
            "play",
            f"the game stopped on an unexpected error; the details are in {app.crash_log} "
            "(please send that file with a report of what you did)",
        )
    return app.return_code or EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from dealquest.play.runlength import run_length
    from dealquest.story.library import bundled, stats
    from dealquest.story.loader import load_campaign

    rows = []
    failed = False
    for folder in bundled():
        result = load_campaign(folder)
        if result.campaign is None:
            failed = True
            print(f"dealquest: {folder} does not load; run `dealquest validate {folder}`", file=sys.stderr)
            continue
        # A typical run (the median of seeded random runs): how many decisions, how many minutes.
        run = run_length(result.campaign)
        timing = {"decisions": run.decisions if run else None, "minutes": run.minutes if run else None}
        rows.append((stats(result.campaign, folder), timing))
    from dealquest.story.text import clean, json_text

    if args.format == "json":
        keys = ("id", "title", "path", "scenes", "choices", "endings", "words")
        print(json_text([{**{k: asdict(r)[k] for k in keys}, **timing} for r, timing in rows], indent=2))
    elif not rows:
        print("No bundled campaigns found.")
    else:
        width = max(len(r.id) for r, _ in rows)
        print(
            f"{'ID':<{width}}  {'SCENES':>6}  {'CHOICES':>7}  {'ENDINGS':>7}  {'WORDS':>6}  "
            f"{'DECISIONS':>9}  {'MINUTES':>7}  TITLE"
        )
        for r, timing in rows:
            title = clean(r.title, line=True)
            decisions, minutes = (str(timing[k]) if timing[k] is not None else "-" for k in ("decisions", "minutes"))
            print(
                f"{r.id:<{width}}  {r.scenes:>6}  {r.choices:>7}  {r.endings:>7}  {r.words:>6}  "
                f"{decisions:>9}  {minutes:>7}  {title}"
            )
            print(f"{'':<{width}}  {r.path}")
    return EXIT_FAIL if failed else EXIT_OK


def cmd_validate(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from dealquest.story.diagnostics import explain, to_json
    from dealquest.story.loader import load_campaign

    if args.explain:
        text = explain(args.explain)
        if text is None:
            return fail("validate", f"no diagnostic code '{args.explain}'", EXIT_USAGE)
        print(text)
        return EXIT_OK
    if not args.paths:
        parser.error("validate needs at least one PATH (a campaign folder)")
    everything = []
    summaries = []
    for path in args.paths:
        result = load_campaign(Path(path))
        found = result.diagnostics + _test_file_diagnostics(result, path)
        everything += found
        errors = sum(d.severity == "error" for d in found)
        warnings = len(found) - errors
        if result.campaign is not None:
            c = result.campaign
            size = f"{plural(len(c.scenes), 'scene')}, {plural(len(c.endings), 'ending')}"
        else:
            size = "not loaded"
        summaries.append(f"{path}: {plural(errors, 'error')}, {plural(warnings, 'warning')} ({size})")
    if args.format == "json":
        print(to_json(everything))
    else:
        for d in everything:
            print(d.format())
        for line in summaries:
            print(line, file=sys.stderr if everything else sys.stdout)
    failed = any(d.severity == "error" or args.strict for d in everything)
    return EXIT_FAIL if failed else EXIT_OK


def _test_file_diagnostics(result: Any, path: str) -> list[Any]:
    """What is wrong with a campaign's story tests (tests/): validate reads them too."""
    from dealquest.authoring.storytests import check_test_files
    from dealquest.story.library import resolve

    folder = result.campaign.folder if result.campaign is not None else resolve(path)
    if folder is None or not Path(folder).is_dir():
        return []
    return check_test_files(result.campaign, Path(folder), str(folder))


def _load_or_report(name: str) -> Any:
    """The campaign named by a path or bundled id, or None after printing why it cannot be used."""
    from dealquest.story.library import load

    result = load(name)
    for d in result.diagnostics:
        if d.severity == "error":
            print(d.format(), file=sys.stderr)
    if not result.ok:
        fail("", f"'{name}' has errors; fix them first (dealquest validate {name})")
        return None
    return result.campaign


def cmd_playtest(args: argparse.Namespace) -> int:
    from dealquest.authoring.playtest import build_report, format_text

    if args.format == "json":
        from dealquest.story.library import load
        from dealquest.story.text import json_text

        loaded = load(args.path)
        if not loaded.ok:  # still JSON: what stops the playtest, as the problems
            errors = [d for d in loaded.diagnostics if d.severity == "error"]
            print(json_text(_unplayable_report(args, errors), indent=2))
            return EXIT_FAIL
    campaign = _load_or_report(args.path)
    if campaign is None:
        return EXIT_FAIL
    report = build_report(
        campaign,
        args.path,
        runs=args.runs,
        seed=args.seed,
        exhaustive=args.exhaustive,
        max_states=args.max_states,
        strict=args.strict,
    )
    if args.format == "json":
        from dealquest.story.text import json_text

        print(json_text(report, indent=2))
    else:
        print(format_text(report))
    return EXIT_FAIL if report["problems"] else EXIT_OK


def _unplayable_report(args: argparse.Namespace, errors: list[Any]) -> dict[str, Any]:
    """The JSON playtest report of a campaign that does not load: its errors, as diagnostics and problems."""
    return {
        "campaign": None,
        "version": None,
        "path": args.path,
        "diagnostics": [asdict(d) for d in errors],
        "tests": [],
        "warnings": [],
        "problems": [d.format() for d in errors] or [f"'{args.path}' could not be loaded"],
        "strict": args.strict,
    }


def cmd_graph(args: argparse.Namespace) -> int:
    from dealquest.authoring.graph import dot, mermaid

    campaign = _load_or_report(args.path)
    if campaign is None:
        return EXIT_FAIL
    return write_output(mermaid(campaign) if args.format == "mermaid" else dot(campaign), args.output)


def cmd_schema(args: argparse.Namespace) -> int:
    from dealquest.story.schema import json_schema

    return write_output(json_schema(args.kind), args.output)


def cmd_new(args: argparse.Namespace) -> int:
    from dealquest.authoring.scaffold import ScaffoldError, create, invalid_id
    from dealquest.story.model import ID_PATTERN

    if not ID_PATTERN.match(args.campaign_id):
        return fail("new", invalid_id(args.campaign_id), EXIT_USAGE)
    try:
        folder = create(args.campaign_id, Path(args.dir))
    except ScaffoldError as exc:
        return fail("new", str(exc))
    print(f"Created {folder}. Next:")
    for command, flags in (("validate", ""), ("playtest", " --exhaustive"), ("graph", ""), ("play", " --watch")):
        print(f"  dealquest {command} {folder}{flags}")
    return EXIT_OK


def cmd_lsp() -> int:
    """The language server, for as long as the editor keeps it."""
    try:
        from dealquest.authoring.lsp import main as serve
    except ImportError as exc:
        if exc.name not in ("pygls", "lsprotocol") and not str(exc.name).startswith(("pygls.", "lsprotocol.")):
            raise
        return fail("lsp", "the language server needs pygls: pip install 'dealquest[lsp]'", EXIT_USAGE)
    return serve()


def main_exit() -> None:
    """Console-script entry point."""
    sys.exit(main())
