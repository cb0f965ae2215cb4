"""The `dealquest` command: argument parsing, exit codes and printing. Logic lives below."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from . import __version__

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dealquest",
        description="DealQuest: a role-play game about the difference between sales and marketing.",
    )
    parser.add_argument("--version", action="version", version=f"dealquest {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("list", help="the bundled campaigns")
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = sub.add_parser("validate", help="check campaign folders and print FILE:LINE:COL diagnostics")
    p.add_argument("paths", nargs="*", metavar="PATH", help="campaign folders or files in them")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--strict", action="store_true", help="warnings fail too")
    p.add_argument("--explain", metavar="CODE", help="explain a diagnostic code, e.g. DQ103")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "list":
            return cmd_list(args)
        if args.command == "validate":
            return cmd_validate(args, parser)
        parser.print_help()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `dealquest list | head -1`
        sys.stderr.close()
        return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from .campaigns import bundled, stats
    from .loader import load_campaign

    rows = []
    failed = False
    for folder in bundled():
        result = load_campaign(folder)
        if result.campaign is None:
            failed = True
            print(f"dealquest: {folder} does not load; run `dealquest validate {folder}`", file=sys.stderr)
            continue
        rows.append(stats(result.campaign, folder))
    if args.format == "json":
        keys = ("id", "title", "path", "scenes", "choices", "endings", "words")
        print(json.dumps([{k: asdict(r)[k] for k in keys} for r in rows], indent=2, ensure_ascii=False))
    elif not rows:
        print("No bundled campaigns found.")
    else:
        width = max(len(r.id) for r in rows)
        print(f"{'ID':<{width}}  {'SCENES':>6}  {'CHOICES':>7}  {'ENDINGS':>7}  {'WORDS':>6}  TITLE")
        for r in rows:
            print(f"{r.id:<{width}}  {r.scenes:>6}  {r.choices:>7}  {r.endings:>7}  {r.words:>6}  {r.title}")
            print(f"{'':<{width}}  {r.path}")
    return EXIT_FAIL if failed else EXIT_OK


def cmd_validate(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .diagnostics import explain, to_json
    from .loader import load_campaign

    if args.explain:
        text = explain(args.explain)
        if text is None:
            print(f"dealquest validate: no diagnostic code '{args.explain}'", file=sys.stderr)
            return EXIT_USAGE
        print(text)
        return EXIT_OK
    if not args.paths:
        parser.error("validate needs at least one PATH (a campaign folder)")
    everything = []
    summaries = []
    for path in args.paths:
        result = load_campaign(Path(path))
        everything += result.diagnostics
        errors = sum(d.severity == "error" for d in result.diagnostics)
        warnings = len(result.diagnostics) - errors
        if result.campaign is not None:
            c = result.campaign
            size = f"{len(c.scenes)} scenes, {len(c.endings)} endings"
        else:
            size = "not loaded"
        summaries.append(
            f"{path}: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} ({size})"
        )
    if args.format == "json":
        print(to_json(everything))
    else:
        for d in everything:
            print(d.format())
        for line in summaries:
            print(line, file=sys.stderr if everything else sys.stdout)
    failed = any(d.severity == "error" or args.strict for d in everything)
    return EXIT_FAIL if failed else EXIT_OK


def main_exit() -> None:
    """Console-script entry point."""
    sys.exit(main())
