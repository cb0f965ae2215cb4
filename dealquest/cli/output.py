"""What every `dealquest` command shares: its exit codes, one-line failures and writing its output."""

from __future__ import annotations

import sys
from pathlib import Path

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def fail(command: str, message: str, code: int = EXIT_FAIL) -> int:
    """Say in one line on standard error why `dealquest COMMAND` stopped; the exit code to return."""
    print(f"dealquest{f' {command}' if command else ''}: {message}", file=sys.stderr)
    return code


def write_output(text: str, output: str | None, command: str = "") -> int:
    """Write a command's output to standard output, or to the file named by -o; the exit code."""
    if output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        return fail(command, f"cannot write {output}: {exc.strerror or exc}")
    print(f"wrote {output}", file=sys.stderr)
    return EXIT_OK
