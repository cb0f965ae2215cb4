"""YAML syntax errors in a writer's words, at the line that caused them.

PyYAML stops where it could not go on, which is often lines after the mistake: a quote left open on
line 29 swallows the lines below it until the next quote, and the parser complains at line 40. This
module looks at what was scanned before the parser gave up and names the mistake where it was made:
a tab, a quote or a bracket opened and never closed, a line indented out of step, a colon inside a
text. The parser's own context ("while parsing a block mapping in line 29") is kept beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

#: A line that looks like a key of a mapping (or a list item holding one): what a quote left open
#: swallows when it runs on over the next lines.
_KEY_LINE = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_]*\s*:(?:\s|$)")
_CLOSER = {"{": "}", "[": "]"}


@dataclass(frozen=True)
class SyntaxProblem:
    """Where a syntax mistake was made (1-based line and column), what it is and how to fix it."""

    line: int
    column: int
    problem: str
    hint: str = ""


def explain(text: str, exc: yaml.MarkedYAMLError, loader: type) -> SyntaxProblem:
    """The mistake behind a parser error, at the line the writer must change."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    lines = text.splitlines()
    context = _context(exc)
    tab = _tab(lines, exc, line)
    if tab is not None:
        return tab
    quote = _open_quote(text, loader, exc)
    if quote is not None:
        return quote
    bracket = _open_bracket(lines, exc)
    if bracket is not None:
        return bracket
    colon = _colon_in_text(lines, exc)
    if colon is not None:
        return colon
    indent = _indentation(lines, exc, context)
    if indent is not None:
        return indent
    problem = _plain_words(exc.problem or exc.context or "the file is not valid YAML")
    return SyntaxProblem(line, col, problem + context)


def _context(exc: yaml.MarkedYAMLError) -> str:
    """PyYAML's context with its line: ' (while parsing a block mapping in line 29)'."""
    if not exc.context:
        return ""
    where = f" in line {exc.context_mark.line + 1}" if exc.context_mark is not None else ""
    return f" ({exc.context}{where})"


def _indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _tab(lines: list[str], exc: yaml.MarkedYAMLError, line: int) -> SyntaxProblem | None:
    """A tab where YAML wants spaces: in the indentation of the line the parser stopped at, or the
    character it stopped on."""
    said = f"{exc.problem or ''} {exc.context or ''}"
    at = exc.problem_mark
    on_tab = at is not None and at.line < len(lines) and lines[at.line][at.column : at.column + 1] == "\t"
    if not ("\\t" in said or "tab" in said or on_tab):
        here = lines[line - 1] if 0 < line <= len(lines) else ""
        if "\t" not in _indent_of(here):
            return None
    # The first line up to the one the parser stopped at that is indented with a tab.
    for n in range(min(line, len(lines))):
        indent = _indent_of(lines[n])
        if "\t" in indent:
            return SyntaxProblem(
                n + 1,
                indent.index("\t") + 1,
                f"line {n + 1} is indented with a tab",
                "YAML indents with spaces only: replace the tab with spaces, and set your editor to insert spaces",
            )
    if on_tab and at is not None:
        return SyntaxProblem(
            at.line + 1,
            at.column + 1,
            f"a tab on line {at.line + 1} where YAML expects a value or spaces",
            "replace the tab with spaces",
        )
    return None


def _open_quote(text: str, loader: type, exc: yaml.MarkedYAMLError) -> SyntaxProblem | None:
    """A quote that is not closed on its line and swallowed the lines after it."""
    if exc.context == "while scanning a quoted scalar" and exc.context_mark is not None:
        start = exc.context_mark
        return _quote_problem(start.line + 1, start.column + 1, text[start.index])
    stop = exc.problem_mark.index if exc.problem_mark is not None else len(text)
    found: yaml.ScalarToken | None = None
    try:
        for token in yaml.scan(text, Loader=loader):
            if token.start_mark.index >= stop:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'"):
                first, last = token.start_mark.line, token.end_mark.line
                swallowed = text.splitlines()[first + 1 : last + 1]
                if last > first and any(_KEY_LINE.match(s) for s in swallowed):
                    found = token
    except yaml.YAMLError:
        pass
    if found is None:
        return None
    start = found.start_mark
    return _quote_problem(start.line + 1, start.column + 1, found.style or '"')


def _quote_problem(line: int, col: int, quote: str) -> SyntaxProblem:
    return SyntaxProblem(
        line,
        col,
        f"line {line} opens a quote ({quote}) that is not closed on that line",
        f"end the text with {quote} on the same line; a text that runs over several lines goes in a | block",
    )


def _open_bracket(lines: list[str], exc: yaml.MarkedYAMLError) -> SyntaxProblem | None:
    """A '{' or '[' left open, or two entries inside one without a comma between them."""
    if exc.context not in ("while parsing a flow mapping", "while parsing a flow sequence"):
        return None
    start = exc.context_mark
    if start is None or start.line >= len(lines):
        return None
    opened = lines[start.line][start.column]
    closer = _CLOSER.get(opened)
    if closer is None:
        return None
    line, col = start.line + 1, start.column + 1
    if _closes_on_its_line(lines[start.line], start.column):
        at = exc.problem_mark or start
        return SyntaxProblem(
            at.line + 1,
            at.column + 1,
            f"a ',' is missing between two entries of the '{opened}...{closer}' that opens on line {line}",
            "separate the entries with commas: {var: intel, gte: 2}",
        )
    return SyntaxProblem(
        line,
        col,
        f"line {line} opens a '{opened}' that is never closed",
        f"close it with '{closer}' on the same line: {{var: intel, gte: 2}} or [aims, audience]",
    )


def _closes_on_its_line(line: str, column: int) -> bool:
    """Whether the bracket at `column` is closed later on the same line (quoted text skipped)."""
    depth = 0
    quote = ""
    for c in line[column:]:
        if quote:
            if c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c in "{[":
            depth += 1
        elif c in "}]":
            depth -= 1
            if depth == 0:
                return True
        elif c == "#" and depth == 0:
            break
    return False


def _colon_in_text(lines: list[str], exc: yaml.MarkedYAMLError) -> SyntaxProblem | None:
    """A ': ' inside a text that is not quoted: YAML reads it as a second key on the line."""
    if exc.problem != "mapping values are not allowed here" and "mapping values are not allowed" not in (
        exc.problem or ""
    ):
        return None
    at = exc.problem_mark
    if at is None or at.line >= len(lines):
        return None
    before = lines[at.line][: at.column]
    key = _KEY_LINE.match(before)
    if key is None:
        return None
    name = key.group(0).strip().lstrip("-").strip().rstrip(":").strip()
    opened = before.rfind("{")
    if opened >= 0 and "}" not in before[opened:]:
        hint = "a text with {condition: ...} in it needs quotes, or a | or > block"
    else:
        hint = f'put the text in quotes, {name}: "...", or write it as a | block'
    return SyntaxProblem(
        at.line + 1,
        at.column + 1,
        f"the text of '{name}' holds ': ', which YAML reads as the start of another key",
        hint,
    )


def _indentation(lines: list[str], exc: yaml.MarkedYAMLError, context: str) -> SyntaxProblem | None:
    """A line indented out of step with the block it belongs to."""
    at = exc.problem_mark
    if at is None or at.line >= len(lines):
        return None
    problem = exc.problem or ""
    block = exc.context in ("while parsing a block mapping", "while parsing a block collection")
    over = "mapping values are not allowed" in problem
    if not (block or over or "expected <block end>" in problem):
        return None
    here = lines[at.line]
    spaces = len(here) - len(here.lstrip(" "))
    n = at.line + 1
    if over:
        return SyntaxProblem(
            n,
            spaces + 1,
            f"line {n} is indented more than the key above it, so YAML cannot tell what it belongs to",
            "line it up with the other keys of its block; indent a line further only under a key that ends with ':'",
        )
    above = _line_above(lines, at.line)
    if above is not None and spaces not in _open_columns(lines, at.line):
        n_above, columns = above
        shown = " or ".join(str(c) for c in sorted(columns))
        return SyntaxProblem(
            n,
            spaces + 1,
            f"line {n} is indented {spaces} space{'s' * (spaces != 1)}, out of step with line {n_above} "
            f"above it, indented {shown}{context}",
            "keys of one mapping start in the same column, and so do the '- ' of one list",
        )
    return SyntaxProblem(
        n,
        spaces + 1,
        f"line {n} does not fit the structure above it: a key where a list item ('- ') is expected, "
        f"or a line indented too little or too much{context}",
        "keys of one mapping start in the same column, and so do the '- ' of one list",
    )


def _open_columns(lines: list[str], index: int) -> set[int]:
    """The columns a line at `index` may start at: those of the line above and of the blocks it is in."""
    found: set[int] = set()
    ceiling: int | None = None
    for n in range(index - 1, -1, -1):
        above = _line_above(lines, n + 1)
        if above is None:
            break
        line = lines[above[0] - 1]
        spaces = len(line) - len(line.lstrip(" "))
        if ceiling is None or spaces < ceiling:
            found |= above[1] if ceiling is None else {spaces}
            ceiling = spaces
        if spaces == 0:
            break
    return found


def _line_above(lines: list[str], index: int) -> tuple[int, set[int]] | None:
    """The line number of the nearest line with content above `index`, and the columns a line after
    it could start at in the same block: its indentation, and after a '- ' the key it holds."""
    for n in range(index - 1, -1, -1):
        line = lines[n]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        spaces = len(line) - len(line.lstrip(" "))
        columns = {spaces}
        item = re.match(r"(\s*-\s+)", line)
        if item is not None:
            columns.add(len(item.group(1)))
        return n + 1, columns
    return None


_WORDS = (
    ("found unexpected end of stream", "the file ends before this value does"),
    ("found unexpected ':'", "a ':' where YAML does not expect one"),
    ("found character that cannot start any token", "a character that cannot start a value"),
    ("found undefined alias", "an alias (*name) with no anchor (&name) before it"),
    ("found unknown escape character", "an unknown escape (\\) in a double-quoted text"),
    ("did not find expected key", "this line does not fit the structure above it"),
    ("did not find expected node content", "a value is missing here"),
)


def _plain_words(problem: str) -> str:
    for parser_words, ours in _WORDS:
        if problem.startswith(parser_words):
            return ours
    return problem
