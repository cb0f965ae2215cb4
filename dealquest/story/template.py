"""Text that follows the state, as data: `{name}`, `{COND: text|other}` and `{plural name: one|many}`.

A story text is parsed once into a small tree (cached) and rendered against the variables; nothing
is evaluated as Python. The forms, for writers (docs/AUTHORING.md says the same at length):

    {name}                       the variable's value (flags show yes or no)
    {tide_card: Gus taps it.}    the text when the condition holds, nothing otherwise
    {tide_card: Taps it.|Frowns.}  the first text when it holds, the second otherwise
    {plural intel: piece|pieces} the number and the right word: "1 piece", "3 pieces"
    {{  }}                       a literal { and } (outside braces)
    {|}  {}}                     a literal | and } (anywhere, and the only way inside a branch)

A condition is `name` (a flag set, a counter not 0), `not TERM`, or `name OP value` with OP one
of `= == != < <= > >=` and the value a whole number, `true` or `false`; terms join with `and` and
`or`, and `and` binds tighter. Branches may hold `{name}` and further `{...}`; spaces and line
breaks at either end of a branch are dropped. An alternative that shows nothing takes its line
with it when it stood alone on it, or one space beside it, so no blank lines or double spaces
are left behind.

Rendering never raises: braces that cannot be read are shown as written, and `problems` tells
the validator what is wrong with them, at the offset of the offending character.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from dealquest.story.diagnostics import (
    DQ105,
    DQ106_COUNTER_COMPARED_IN_TEXT,
    DQ106_FLAG_COMPARED_IN_TEXT,
    DQ106_PLURAL_OF_FLAG,
    DQ107,
    DQ107_AFTER_CONDITION,
    DQ107_NEVER_CLOSED,
    DQ107_NO_COLON,
    DQ107_NO_CONDITION,
    DQ107_NOT_A_FORM,
    DQ107_NOT_A_NAME,
    DQ107_ONE_FORM,
    DQ107_OPERATOR,
    DQ107_STRAY,
    DQ107_THREE_TEXTS,
    DQ107_TOO_DEEP,
    DQ107_VALUE,
    DQ204,
    DQ208,
    DQ208_WHOLE,
    Descriptor,
    Diagnostic,
    Place,
    did_you_mean,
)
from dealquest.story.model import ID_PATTERN

if TYPE_CHECKING:
    from dealquest.story.model import Variable

Vars = Mapping[str, int | bool]

_NAME = ID_PATTERN
_KEYWORDS = frozenset({"and", "or", "not", "true", "false", "plural"})
_OPERATORS = frozenset({"=", "==", "!=", "<", "<=", ">", ">="})
_TOKEN = re.compile(r"\s*(?:(?P<op>[=!<>≤≥≠]+)|(?P<int>-?[0-9]+)|(?P<word>[A-Za-z_][A-Za-z0-9_.]*)|(?P<other>\S))")
#: Most texts show no variable; the cache holds the ones that do.
CACHE_SIZE = 8192
#: Combinations of values tried when asking whether a whole condition can vary.
MAX_COMBINATIONS = 4096


# ---------------------------------------------------------------------------------------- the tree


@dataclass(frozen=True, slots=True)
class Term:
    """`name`, `not name` or `name OP value`, at offsets [start, end) of the text."""

    name: str
    op: str | None  # None: the variable's truth (a flag set, a counter other than 0)
    value: int | bool | None
    negated: bool
    start: int
    end: int
    name_at: int
    value_at: int


#: A condition: alternatives joined by `or`, each a list of terms joined by `and`.
Cond = tuple[tuple[Term, ...], ...]


@dataclass(frozen=True, slots=True)
class Show:
    """`{name}`: the variable's value."""

    name: str
    raw: str
    name_at: int


@dataclass(frozen=True, slots=True)
class Alt:
    """`{COND: yes|no}`; `no` is empty when the writer gave one text."""

    cond: Cond
    yes: Seq
    no: Seq
    start: int
    cond_end: int


@dataclass(frozen=True, slots=True)
class Plural:
    """`{plural name: one|many}`: the number and the form that fits it."""

    name: str
    one: Seq
    many: Seq
    raw: str
    name_at: int


Node = str | Show | Alt | Plural
Seq = tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in a text, at a character offset into it: the finding's descriptor
    (DQ107 braces that cannot be read, DQ105 an undeclared variable, DQ106 a flag used as a number
    or the reverse, DQ204 a test on a variable no choice changes, DQ208 a condition that can never
    hold or always holds) and what fills in its message."""

    offset: int
    descriptor: Descriptor
    fields: tuple[tuple[str, object], ...] = ()
    hint: str = ""

    @property
    def code(self) -> str:
        return self.descriptor.code

    @property
    def message(self) -> str:
        return self.descriptor.message.format(**dict(self.fields))

    def at(self, place: Place) -> Diagnostic:
        """The finding, at the place in the file where the offending character was written."""
        fields: dict[str, Any] = dict(self.fields)
        return self.descriptor.at(place, hint=self.hint, **fields)


def _problem(offset: int, descriptor: Descriptor, hint: str = "", **fields: object) -> Problem:
    return Problem(offset, descriptor, tuple(fields.items()), hint)


@dataclass(frozen=True, slots=True)
class Template:
    nodes: Seq
    syntax: tuple[Problem, ...]


class _Unreadable(Exception):
    def __init__(self, offset: int, descriptor: Descriptor, hint: str = "", **fields: object) -> None:
        self.problem = _problem(offset, descriptor, hint, **fields)


# ---------------------------------------------------------------------------------------- parsing


@lru_cache(maxsize=CACHE_SIZE)
def parse(text: str) -> Template:
    """The text as a tree of literal parts and brace forms; unreadable braces stay literal."""
    parser = _Parser(text)
    nodes, _ = parser.sequence(0, 0)
    return Template(nodes, tuple(dict.fromkeys(parser.problems)))


class _Parser:
    """One pass over the text. Which `}` closes which `{` is worked out first, so a form that
    cannot be read is skipped whole, and no part of the text is read twice."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.problems: list[Problem] = []
        self.closes = _pairs(text)

    def sequence(self, i: int, depth: int) -> tuple[Seq, int]:
        """Parts from i up to a `|` or `}` that ends a branch (depth > 0) or the end of the text."""
        text = self.text
        n = len(text)
        nodes: list[Node] = []
        literal: list[str] = []
        while i < n:
            at = _next_special(text, i)
            if at > i:
                literal.append(text[i:at])
                i = at
                if i >= n:
                    break
            c = text[i]
            if c == "{":
                escape = _escape_at(text, i)
                if escape:
                    literal.append(escape[0])
                    i += escape[1]
                    continue
                end = self.closes.get(i)
                if end is None:
                    self.problems.append(_problem(i, DQ107_NEVER_CLOSED, raw=_short(text[i:])))
                    literal.append("{")
                    i += 1
                    continue
                try:
                    node = self.construct(i, end, depth + 1)
                except _Unreadable as exc:
                    self.problems.append(exc.problem)
                    literal.append(text[i : end + 1])
                    i = end + 1
                    continue
                if literal:
                    nodes.append("".join(literal))
                    literal = []
                nodes.append(node)
                i = end + 1
            elif c == "}":
                if depth > 0:
                    break
                if text.startswith("}}", i):
                    literal.append("}")
                    i += 2
                else:
                    self.problems.append(_problem(i, DQ107_STRAY))
                    literal.append("}")
                    i += 1
            else:  # "|"
                if depth > 0:
                    break
                literal.append("|")
                i += 1
        if literal:
            nodes.append("".join(literal))
        return tuple(nodes), i

    def construct(self, start: int, end: int, depth: int) -> Node:
        """The form between the `{` at start and the `}` at end that closes it."""
        text = self.text
        raw = text[start : end + 1]
        if depth > MAX_DEPTH:
            raise _Unreadable(start, DQ107_TOO_DEEP, limit=MAX_DEPTH)
        i = start + 1
        while text[i] not in ":{}|":
            i += 1
        head = text[start + 1 : i]
        if text[i] in "{|":
            raise _Unreadable(start, DQ107_NOT_A_FORM, raw=_short(raw))
        if i == end:  # {name}
            name = head.strip()
            if _NAME.match(name):
                return Show(name, raw, start + 1 + head.index(name))
            if len(head.split()) > 1 and (set(head.split()) & _KEYWORDS or any(c in head for c in "=!<>")):
                raise _Unreadable(end, DQ107_NO_COLON, "write {" + name + ": text}", raw=_short(raw))
            raise _Unreadable(start, DQ107, raw=_short(raw))
        colon = i
        tokens = _tokens(text, start + 1, colon)
        if len(tokens) == 2 and tokens[0][:2] == ("word", "plural"):
            kind, word, at = tokens[1]
            if kind != "word" or not _NAME.match(word) or word in _KEYWORDS:
                raise _Unreadable(at, DQ107_NOT_A_NAME, "write {plural name: one|many}", word=word)
            one, i = self.branch(colon + 1, depth)
            if i == end:
                raise _Unreadable(end, DQ107_ONE_FORM, "write {plural " + word + ": piece|pieces}", raw=_short(raw))
            many, i = self.branch(i + 1, depth)
            self.closed(raw, i, end)
            return Plural(word, one, many, raw, at)
        cond = _Condition(tokens, colon).parse()
        yes, i = self.branch(colon + 1, depth)
        no: Seq = ()
        if i != end:
            no, i = self.branch(i + 1, depth)
        self.closed(raw, i, end)
        return Alt(cond, yes, no, start, colon)

    def branch(self, i: int, depth: int) -> tuple[Seq, int]:
        nodes, stop = self.sequence(i, depth)
        return _trim(nodes), stop

    def closed(self, raw: str, i: int, end: int) -> None:
        if i != end:
            raise _Unreadable(i, DQ107_THREE_TEXTS, raw=_short(raw))


#: How deep brace forms may nest inside one another.
MAX_DEPTH = 16
_SPECIAL = re.compile(r"[{}|]")
_BRACE = re.compile(r"[{}]")


def _next_special(text: str, i: int) -> int:
    m = _SPECIAL.search(text, i)
    return m.start() if m else len(text)


def _escape_at(text: str, i: int) -> tuple[str, int] | None:
    """The literal character an escape at i writes, and its length: `{{`, `{|}` or `{}}`."""
    if text.startswith("{{", i):
        return "{", 2
    three = text[i : i + 3]
    if three in ("{|}", "{}}"):
        return three[1], 3
    return None


def _pairs(text: str) -> dict[int, int]:
    """The offset of each `{` that opens a form -> the offset of the `}` that closes it.

    Read as the parser reads: escapes are skipped, `}}` outside every form is a literal brace,
    and inside one every `}` closes. A `{` left open has no entry.
    """
    closes: dict[int, int] = {}
    stack: list[int] = []
    i = 0
    while (m := _BRACE.search(text, i)) is not None:
        i = m.start()
        if text[i] == "{":
            escape = _escape_at(text, i)
            if escape:
                i += escape[1]
                continue
            stack.append(i)
        elif stack:
            closes[stack.pop()] = i
        elif text.startswith("}}", i):
            i += 1
        i += 1
    return closes


def _short(raw: str, limit: int = 40) -> str:
    raw = raw.replace("\n", " ")
    return raw if len(raw) <= limit else raw[: limit - 1] + "…"


def _trim(nodes: Seq) -> Seq:
    """A branch without the spaces and line breaks at either end."""
    out = list(nodes)
    if out and isinstance(out[0], str):
        out[0] = out[0].lstrip()
    if out and isinstance(out[-1], str):
        out[-1] = out[-1].rstrip()
    return tuple(p for p in out if p != "")


def _tokens(text: str, start: int, end: int) -> list[tuple[str, str, int]]:
    """(kind, text, offset) for each token of a condition between start and end."""
    out: list[tuple[str, str, int]] = []
    pos = start
    while pos < end:
        m = _TOKEN.match(text, pos, end)
        if m is None:  # only spaces were left
            break
        kind = m.lastgroup or "other"
        out.append((kind, m.group(kind), m.start(kind)))
        pos = m.end()
    return out


class _Condition:
    """Recursive descent over the tokens of `a and b or not c < 3`."""

    def __init__(self, tokens: list[tuple[str, str, int]], colon: int) -> None:
        self.tokens = tokens
        self.at = 0
        self.colon = colon

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.at] if self.at < len(self.tokens) else ("end", ":", self.colon)

    def parse(self) -> Cond:
        groups = [self.conjunction()]
        while self.peek()[:2] == ("word", "or"):
            self.at += 1
            groups.append(self.conjunction())
        kind, word, at = self.peek()
        if kind != "end":
            raise _Unreadable(at, DQ107_AFTER_CONDITION, word=word)
        return tuple(groups)

    def conjunction(self) -> tuple[Term, ...]:
        terms = [self.term()]
        while self.peek()[:2] == ("word", "and"):
            self.at += 1
            terms.append(self.term())
        return tuple(terms)

    def term(self) -> Term:
        kind, word, at = self.peek()
        if (kind, word) == ("word", "not"):
            self.at += 1
            inner = self.term()
            return Term(
                inner.name, inner.op, inner.value, not inner.negated, at, inner.end, inner.name_at, inner.value_at
            )
        if kind == "end":
            raise _Unreadable(at, DQ107_NO_CONDITION)
        if kind != "word" or word in _KEYWORDS:
            raise _Unreadable(at, DQ107_NOT_A_NAME, "a condition starts with a variable's name", word=word)
        if not _NAME.match(word):
            raise _Unreadable(
                at, DQ107_NOT_A_NAME, "names are lowercase letters, digits and _, from a letter", word=word
            )
        self.at += 1
        kind, op, op_at = self.peek()
        if kind != "op":
            return Term(word, None, None, False, at, at + len(word), at, at)
        if op not in _OPERATORS:
            raise _Unreadable(op_at, DQ107_OPERATOR, op=op)
        self.at += 1
        kind, value, value_at = self.peek()
        if kind == "int":
            number: int | bool = int(value)
        elif (kind, value) in (("word", "true"), ("word", "false")):
            number = value == "true"
        else:
            shown = "nothing" if kind == "end" else f"'{value}'"
            raise _Unreadable(value_at, DQ107_VALUE, op=op, value=shown)
        self.at += 1
        return Term(word, op, number, False, at, value_at + len(value), at, value_at)


# ---------------------------------------------------------------------------------------- rendering


def render(text: str, values: Vars) -> str:
    """The text with its brace forms filled in from the values; the same object when it has none."""
    if "{" not in text and "}" not in text:
        return text
    template = parse(text)
    state = _RenderState(values)
    out = _render(template.nodes, state)
    if state.emptied:
        out = _tidy_lines(out, text)
    return out


class _RenderState:
    __slots__ = ("emptied", "values")

    def __init__(self, values: Vars) -> None:
        self.values = values
        self.emptied = False


def _shown(value: int | bool) -> str:
    return ("yes" if value else "no") if isinstance(value, bool) else str(value)


def _render(nodes: Seq, state: _RenderState) -> str:
    out: list[str] = []
    empty_before = False
    for node in nodes:
        if type(node) is str:
            piece = node
        elif type(node) is Show:
            value = state.values.get(node.name)
            piece = node.raw if value is None else _shown(value)
        elif type(node) is Alt:
            piece = _render(node.yes if holds(node.cond, state.values) else node.no, state)
            if not piece:
                empty_before = True
                state.emptied = True
                continue
        else:
            assert type(node) is Plural
            value = state.values.get(node.name)
            if value is None:
                piece = node.raw
            else:
                count = int(value)
                piece = f"{count} {_render(node.one if count in (1, -1) else node.many, state)}"
        if empty_before:
            piece = _close_gap(out, piece)
            empty_before = False
        out.append(piece)
    if empty_before:
        _close_gap(out, "")
    return "".join(out)


_CLOSERS = frozenset(".,;:!?)]'\"’”…")


def _close_gap(out: list[str], after: str) -> str:
    """Where an alternative showed nothing: take its line when it stood alone on it, else one space.

    `out` (what came before) is changed in place; the text that follows is returned, trimmed.
    """
    before = "".join(out)
    line_start = before.rfind("\n") + 1
    head = before[line_start:]
    newline = after.find("\n")
    tail = after if newline < 0 else after[:newline]
    if not head.strip(" \t") and not tail.strip(" \t") and (before or after):
        before = before[:line_start]
        after = "" if newline < 0 else after[newline + 1 :]
    elif before.endswith((" ", "\t")) and after[:1] in (" ", "\t"):
        after = after[1:]
    elif before.endswith((" ", "\t")) and (not after or after[0] == "\n" or after[0] in _CLOSERS):
        before = before.rstrip(" \t")
    elif (not before or before.endswith("\n")) and after[:1] in (" ", "\t"):
        after = after.lstrip(" \t")
    out[:] = [before] if before else []
    return after


_BLANK_RUN = re.compile(r"\n(?:[ \t]*\n){2,}")
_LEADING_BLANKS = re.compile(r"\A(?:[ \t]*\n)+")


def _tidy_lines(out: str, original: str) -> str:
    """No run of blank lines left by empty alternatives, and nothing dangling at either end."""
    out = _BLANK_RUN.sub("\n\n", out)
    out = _LEADING_BLANKS.sub("", out)
    out = out.rstrip(" \t\n")
    return out + "\n" if original.endswith("\n") and out else out


def holds(cond: Cond, values: Vars) -> bool:
    return any(all(_term_holds(t, values) for t in group) for group in cond)


def _term_holds(term: Term, values: Vars) -> bool:
    value = values.get(term.name, 0)
    result = bool(value) if term.op is None or term.value is None else _compare(term.op, value, term.value)
    return result != term.negated


def _compare(op: str, value: int | bool, limit: int | bool) -> bool:
    if op in ("=", "=="):
        return value == limit
    if op == "!=":
        return value != limit
    v, lim = int(value), int(limit)
    if op == "<":
        return v < lim
    if op == "<=":
        return v <= lim
    if op == ">":
        return v > lim
    return v >= lim


# ---------------------------------------------------------------------------------------- reading


_DATA_OPS = {"=": "eq", "==": "eq", "!=": "ne", "<": "lt", "<=": "lte", ">": "gt", ">=": "gte"}


def condition_as_data(sentence: str) -> str | None:
    """A condition written the way texts write it (`intel >= 2 and case_study`) in the data form
    that `requires`, `when` and deadlines take, as YAML flow text; None when it cannot be read."""
    wrapped = "{" + sentence.replace("{", "").replace("}", "") + ": x}"
    found = parse(wrapped)
    if found.syntax or len(found.nodes) != 1 or not isinstance(found.nodes[0], Alt):
        return None
    groups = [[_term_as_data(t) for t in group] for group in found.nodes[0].cond]
    alternatives = [g[0] if len(g) == 1 else "{all: [" + ", ".join(g) + "]}" for g in groups]
    return alternatives[0] if len(alternatives) == 1 else "{any: [" + ", ".join(alternatives) + "]}"


def _term_as_data(term: Term) -> str:
    if term.op is None:
        form = f"{{flag: {term.name}}}"
    elif isinstance(term.value, bool):
        flag = f"{{flag: {term.name}}}"
        form = flag if term.value == (term.op in ("=", "==")) else f"{{not: {flag}}}"
    else:
        form = f"{{var: {term.name}, {_DATA_OPS[term.op]}: {term.value}}}"
    return f"{{not: {form}}}" if term.negated else form


def names(text: str | None) -> set[str]:
    """Every variable a text shows or tests."""
    if not text or ("{" not in text and "}" not in text):
        return set()
    return {name for name, _ in _uses(parse(text).nodes)}


def uses(text: str) -> list[tuple[str, int]]:
    """Every variable a text shows or tests, with the offset where its name is written."""
    if "{" not in text:
        return []
    return list(_uses(parse(text).nodes))


def _uses(nodes: Seq) -> Iterator[tuple[str, int]]:
    for node in nodes:
        if isinstance(node, Show):
            yield node.name, node.name_at
        elif isinstance(node, Plural):
            yield node.name, node.name_at
            yield from _uses(node.one)
            yield from _uses(node.many)
        elif isinstance(node, Alt):
            for group in node.cond:
                for term in group:
                    yield term.name, term.name_at
            yield from _uses(node.yes)
            yield from _uses(node.no)


def all_text(text: str | None) -> str:
    """The words any state can show, every branch included, for word counts (`{name}` as its name)."""
    if not text or ("{" not in text and "}" not in text):
        return text or ""
    parts: list[str] = []
    _collect_text(parse(text).nodes, parts)
    return " ".join(parts)


def _collect_text(nodes: Seq, parts: list[str]) -> None:
    for node in nodes:
        if isinstance(node, str):
            parts.append(node)
        elif isinstance(node, Show):
            parts.append(node.name)
        elif isinstance(node, Plural):
            _collect_text(node.one, parts)
            _collect_text(node.many, parts)
        else:
            _collect_text(node.yes, parts)
            _collect_text(node.no, parts)


# ---------------------------------------------------------------------------------------- checking


def problems(
    text: str | None,
    variables: Mapping[str, Variable] | None = None,
    unchanged: Collection[str] = (),
) -> list[Problem]:
    """What is wrong with a text's braces, each at the offset of the offending character.

    Without `variables` only the syntax is checked. `unchanged` names the variables no choice
    ever changes: a test on one of them never varies.
    """
    if not text or ("{" not in text and "}" not in text):
        return []
    template = parse(text)
    found = list(template.syntax)
    if variables is not None:
        _check_nodes(text, template.nodes, variables, unchanged, found)
    return sorted(found, key=lambda p: p.offset)


def _unknown(name: str, at: int, variables: Mapping[str, Variable]) -> Problem:
    return _problem(at, DQ105, did_you_mean(name, variables), name=name)


def _check_nodes(
    text: str, nodes: Seq, variables: Mapping[str, Variable], unchanged: Collection[str], found: list[Problem]
) -> None:
    for node in nodes:
        if isinstance(node, Show):
            if node.name not in variables:
                found.append(_unknown(node.name, node.name_at, variables))
        elif isinstance(node, Plural):
            var = variables.get(node.name)
            if var is None:
                found.append(_unknown(node.name, node.name_at, variables))
            elif var.type == "flag":
                hint = "write {" + node.name + ": text|other} to choose by a flag"
                found.append(_problem(node.name_at, DQ106_PLURAL_OF_FLAG, hint, name=node.name))
            _check_nodes(text, node.one, variables, unchanged, found)
            _check_nodes(text, node.many, variables, unchanged, found)
        elif isinstance(node, Alt):
            _check_condition(text, node, variables, unchanged, found)
            _check_nodes(text, node.yes, variables, unchanged, found)
            _check_nodes(text, node.no, variables, unchanged, found)


def _check_condition(
    text: str, alt: Alt, variables: Mapping[str, Variable], unchanged: Collection[str], found: list[Problem]
) -> None:
    before = len(found)
    terms = [t for group in alt.cond for t in group]
    for term in terms:
        var = variables.get(term.name)
        if var is None:
            found.append(_unknown(term.name, term.name_at, variables))
        elif var.type == "flag" and term.op is not None and (term.op[0] in "<>" or not isinstance(term.value, bool)):
            hint = "or test it by name: {" + term.name + ": text|other}"
            found.append(_problem(term.value_at, DQ106_FLAG_COMPARED_IN_TEXT, hint, name=term.name))
        elif var.type == "counter" and isinstance(term.value, bool):
            found.append(_problem(term.value_at, DQ106_COUNTER_COMPARED_IN_TEXT, name=term.name))
        elif term.name in unchanged:
            found.append(_problem(term.name_at, DQ204, name=term.name))
        else:
            verdict = _constant(term, var)
            if verdict is not None:
                condition = text[term.start : term.end]
                why = _range_words(term.name, var)
                found.append(_problem(term.start, DQ208, condition=condition, verdict=verdict, why=why))
    if len(found) > before:
        return
    names_ = list(dict.fromkeys(t.name for t in terms))
    domains = [_domain(n, variables[n], [t for t in terms if t.name == n]) for n in names_]
    total = 1
    for d in domains:
        total *= len(d)
    if total > MAX_COMBINATIONS:
        return
    results = {holds(alt.cond, dict(zip(names_, combo, strict=True))) for combo in itertools.product(*domains)}
    if len(results) == 1:
        shown = " ".join(text[alt.start + 1 : alt.cond_end].split())
        verdict = "always holds" if results.pop() else "can never hold"
        found.append(_problem(alt.start + 1, DQ208_WHOLE, condition=shown, verdict=verdict))


def _domain(name: str, var: Variable, terms: list[Term]) -> list[int | bool]:
    """The values of a variable that can make a difference to these terms."""
    if var.type == "flag":
        return [False, True]
    values: set[int] = {int(var.initial), 0}
    for term in terms:
        if term.value is not None and not isinstance(term.value, bool):
            values.update((term.value - 1, term.value, term.value + 1))
    if var.min is not None:
        values = {v for v in values if v >= var.min} | {var.min}
    if var.max is not None:
        values = {v for v in values if v <= var.max} | {var.max}
    return sorted(values)


def _constant(term: Term, var: Variable) -> str | None:
    """'always holds' or 'can never hold' when a counter's range decides the term alone."""
    if var.type != "counter":
        return None
    results = {_term_holds(term, {term.name: v}) for v in _domain(term.name, var, [term])}
    if len(results) != 1:
        return None
    return "always holds" if results.pop() else "can never hold"


def _range_words(name: str, var: Variable) -> str:
    if var.min is not None and var.max is not None:
        return f"{name} stays between {var.min} and {var.max}"
    if var.min is not None:
        return f"{name} is never below {var.min}"
    if var.max is not None:
        return f"{name} is never above {var.max}"
    return f"{name} can be any whole number"  # pragma: no cover - an unbounded counter varies
