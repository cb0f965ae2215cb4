"""Safe YAML reading that keeps the source position of every key and value.

The document is composed into nodes by PyYAML (its C parser where present) and turned into
plain Python data here, by our own code: only the standard scalar, sequence and mapping tags
are accepted, duplicate keys are reported, and alias expansion has a budget, so an alias bomb
is refused instead of expanded. Nothing in a story file can construct a Python object.

Positions are kept compactly, apart from the data: one flat array of numbers per file, a block
for each mapping and list, and the keys of each mapping. A 10,000-scene campaign has millions of
values; a path and a position tuple for each would cost more memory than the story itself, and
the loader can let go of the data once it is validated and still say where anything was.
"""

from __future__ import annotations

import bisect
import math
import re
import sys
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from dealquest.story import yamlerrors
from dealquest.story.diagnostics import (
    DQ001,
    DQ002,
    DQ003,
    DQ004_READ,
    DQ005,
    DQ006,
    DQ006_DEPTH,
    DQ006_VALUES,
    DQ008_REFUSED,
    DQ012_KEY,
    DQ012_NUMBER_FORM,
    DQ013_DIGITS,
    DQ013_HUGE,
    DQ014_MERGE,
    Diagnostic,
    Location,
)
from dealquest.story.files import Refused, TooLarge, read_regular

try:  # the C parser is several times faster; fall back to pure Python where it is missing
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_NODES = 400_000  # values built from one file, aliases expanded
MAX_DEPTH = 64
#: The most digits a number in a story file may have: every figure then converts exactly and at once.
MAX_DIGITS = 15

PathKey = tuple[str | int, ...]

_T = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP = (_T + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
_SEQ, _MAP, _MERGE = _T + "seq", _T + "map", _T + "merge"
_SCALAR_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP}
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
#: A whole number as YAML 1.1 and int() read it alike: no leading zero (octal), sign, '_' or base.
_PLAIN_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
#: Decimal numbers as people write them. YAML 1.1 also reads 0x1F, 0b101, 017 (octal), 1:30
#: (sexagesimal, 90) and .inf; those are refused before any conversion, which for a 4 MiB
#: sexagesimal number took minutes.
_DECIMAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9_]*)\Z")
_DECIMAL_FLOAT = re.compile(r"[-+]?(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][-+]?[0-9]+)?\Z")

# A block in Source.marks: the line and column of the mapping or list, its number of entries,
# then for each entry the line and column of its key (of the item, for a list), of its value,
# and where the value's own block starts (-1 for a scalar).
_HEAD = 3
_ENTRY = 5


class _Loader(_BaseLoader):
    """The safe loader, with the resolver's per-node bookkeeping cut to what safe YAML uses.

    The safe resolver has no path resolvers, so descending and ascending do nothing, and the tag
    of a plain scalar depends on its text alone: short ones are remembered (`push`, `2`, `true`).
    """

    _resolved: dict[str, str] = {}  # noqa: RUF012 (a cache shared by every loader)

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        if self.yaml_path_resolvers:  # pragma: no cover - nothing registers any
            super().descend_resolver(current_node, current_index)

    def ascend_resolver(self) -> None:
        if self.yaml_path_resolvers:  # pragma: no cover
            super().ascend_resolver()

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode and implicit[0] and not self.yaml_path_resolvers:
            tag = self._resolved.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
                if len(value) <= 40 and len(self._resolved) < 100_000:
                    self._resolved[value] = tag
            return tag
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]


@dataclass
class Source:
    """One parsed file: its data and where each value (and each mapping key) starts."""

    name: str
    data: Any = None
    text: str = ""
    #: the positions, block after block (see _HEAD and _ENTRY); the root's block comes last
    marks: array[int] = field(default_factory=lambda: array("i"), repr=False)
    #: the start of each mapping's block -> its keys, in order
    key_names: dict[int, tuple[Any, ...]] = field(default_factory=dict, repr=False)
    #: where the document starts, and the start of its block (-1 when it is a scalar)
    root: tuple[int, int] = (1, 1)
    root_block: int = -1
    #: text values that hold a brace, and choices' marks lines, by where they start: (style, the
    #: value as written), so a character inside one can be located (see `where_char`); other
    #: values keep no text
    scalars: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict, repr=False)
    #: the file it was read from (None for text given directly), to read a value back (`where_char`)
    path: Path | None = field(default=None, repr=False)

    def where(self, path: PathKey, *, key: bool = False) -> tuple[int, int]:
        """The (line, column) of the value at path, or of the nearest enclosing value.

        With `key`, the position of the key that holds it, where it is held by a mapping key.
        """
        found = self.root
        block = self.root_block
        marks = self.marks
        for part in path:
            if block < 0:
                break
            names = self.key_names.get(block)
            if names is not None:
                if part not in names:
                    break
                at = block + _HEAD + _ENTRY * names.index(part)
                found = (marks[at], marks[at + 1]) if key else (marks[at + 2], marks[at + 3])
            elif isinstance(part, int) and 0 <= part < marks[block + 2]:
                at = block + _HEAD + _ENTRY * part
                found = (marks[at + 2], marks[at + 3])
            else:
                break
            block = marks[at + 4]
        return found

    def where_char(self, path: PathKey, value: str, offset: int) -> tuple[int, int]:
        """The (line, column) of the character at `offset` of the text value at path.

        `value` is the text as loaded. Plain, quoted and block (`|`, `>`) values are read back
        from the file as written, escapes and folded lines included; where that cannot be done,
        the position of the value itself.
        """
        line, col = self.where(path)
        written = self.scalars.get((line, col))
        if written is None and 0 <= offset < len(value):
            written = self._read_back(line, col)
        if written is None or not 0 <= offset < len(value):
            return line, col
        at = _written_offset(written[0], written[1], value, offset)
        if at is None:
            return line, col
        raw = written[1]
        newline = raw.rfind("\n", 0, at)
        if newline < 0:
            return line, col + at
        return line + raw.count("\n", 0, at), at - newline

    def _read_back(self, line: int, col: int) -> tuple[str, str] | None:
        """The text value starting at (line, col) as written, read again from the file: for the
        values the loader kept no text of (those without a brace), when a tool wants a character
        inside one (the authoring tools; rare, so the file is composed again only then)."""
        text = self.text
        if not text and self.path is not None:  # the loader let go of the text: read the file again
            try:
                text = read_regular(self.path, MAX_FILE_BYTES).decode("utf-8").removeprefix("\ufeff")
            except (OSError, Refused, TooLarge, UnicodeDecodeError):
                return None
        if not text:
            return None
        try:
            root = yaml.compose(text, Loader=_Loader)
        except (yaml.YAMLError, RecursionError):
            return None
        todo: list[yaml.Node] = [root] if root is not None else []
        seen = 0
        while todo and seen < MAX_NODES:
            node = todo.pop()
            seen += 1
            if type(node) is ScalarNode:
                if (node.start_mark.line + 1, node.start_mark.column + 1) == (line, col):
                    start, end = node.start_mark.index, node.end_mark.index
                    found = (getattr(node, "style", None) or "", text[start:end])
                    self.scalars[(line, col)] = found
                    return found
            elif type(node) is SequenceNode:
                todo.extend(node.value)
            elif type(node) is MappingNode:
                todo.extend(v for pair in node.value for v in pair)
        return None


_DOUBLE_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r",
    "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028",
    "P": "\u2029",
}  # fmt: skip
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
_PROPERTIES = re.compile(r"(?:[&!][^\s]*\s+)*")


def _written(style: str, raw: str) -> list[tuple[str, int]]:
    """Each character a value as written stands for, with its offset in what was written.

    Only characters that are not white space: folding and indentation change only those.
    """
    out: list[tuple[str, int]] = []
    if style in ("|", ">"):
        start = raw.find("\n") + 1  # the header line: indicators, properties, a comment
        return [(c, i) for i, c in enumerate(raw[start:], start) if not c.isspace()] if start else out
    if style == "'":
        i = raw.find("'") + 1
        while i < len(raw):
            c = raw[i]
            if c == "'":
                if not raw.startswith("''", i):
                    break
                out.append(("'", i))
                i += 2
                continue
            if not c.isspace():
                out.append((c, i))
            i += 1
        return out
    if style == '"':
        i = raw.find('"') + 1
        while i < len(raw):
            c = raw[i]
            if c == '"':
                break
            if c == "\\" and i + 1 < len(raw):
                code = raw[i + 1]
                if code in _HEX_ESCAPES:
                    width = _HEX_ESCAPES[code]
                    try:
                        char = chr(int(raw[i + 2 : i + 2 + width], 16))
                    except ValueError:
                        return out
                    if not char.isspace():
                        out.append((char, i))
                    i += 2 + width
                    continue
                char = _DOUBLE_ESCAPES.get(code, "")  # "" for an escaped line break
                if char and not char.isspace():
                    out.append((char, i))
                i += 2
                continue
            if not c.isspace():
                out.append((c, i))
            i += 1
        return out
    properties = _PROPERTIES.match(raw)  # an anchor or a tag before the value
    first = properties.end() if properties else 0
    return [(c, i) for i, c in enumerate(raw[first:], first) if not c.isspace()]


def _written_offset(style: str, raw: str, value: str, offset: int) -> int | None:
    """Where in `raw` the character at `offset` of `value` was written (white space: the next one)."""
    chars = _written(style, raw)
    solid = [i for i, c in enumerate(value) if not c.isspace()]
    if len(solid) != len(chars) or any(value[i] != c for i, (c, _) in zip(solid, chars, strict=True)):
        return None  # not read back as loaded: better the value's own position than a wrong one
    rank = bisect.bisect_left(solid, offset)
    if rank < len(chars):
        return chars[rank][1]
    return chars[-1][1] + 1 if chars else None


class _Refused(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic


def _pos(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.count = 0
        self.marks = source.marks
        self.key_names = source.key_names
        self.last = -1  # the block of the value built last (-1 for a scalar)

    def place(self, node: yaml.Node) -> Location:
        return Location(self.source.name, *_pos(node))

    def build(self, node: yaml.Node, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _Refused(DQ006.at(self.place(node), limit=MAX_NODES))
        if depth > MAX_DEPTH:
            raise _Refused(DQ006_DEPTH.at(self.place(node), limit=MAX_DEPTH))
        if type(node) is ScalarNode:
            self.last = -1
            value = self.scalar(node)
            if type(value) is str and ("{" in value or "}" in value):
                self.keep_written(node)
            return value
        if type(node) is SequenceNode:
            self.check_tag(node, _SEQ)
            return self.sequence(node, depth)
        if type(node) is MappingNode:
            self.check_tag(node, _MAP)
            return self.mapping(node, depth)
        raise _Refused(DQ001.at(self.place(node), problem="unexpected YAML node"))  # pragma: no cover

    def keep_written(self, node: yaml.Node) -> None:
        """Keep a text value as written, so a character inside it can be located (`where_char`)."""
        start = node.start_mark
        written = self.source.text[start.index : node.end_mark.index]
        self.source.scalars[(start.line + 1, start.column + 1)] = (getattr(node, "style", None) or "", written)

    def check_tag(self, node: yaml.Node, expected: str) -> None:
        if node.tag != expected:
            raise _Refused(DQ002.at(self.place(node), tag=_show_tag(node.tag)))

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag in (_STR, _TIMESTAMP):
            return node.value  # dates stay text: the format has no date fields
        if tag == _INT:
            value = node.value
            if len(value) <= MAX_DIGITS and _PLAIN_INT.match(value):
                return int(value)
            return self.number(node, _DECIMAL_INT, int)
        if tag == _BOOL:
            return _CONSTRUCTOR.construct_yaml_bool(node)
        if tag == _FLOAT:
            return self.number(node, _DECIMAL_FLOAT, float)
        if tag not in _SCALAR_TAGS:
            self.check_tag(node, _STR)
        return None

    def number(self, node: yaml.ScalarNode, form: re.Pattern[str], kind: type[int] | type[float]) -> int | float:
        """A number written in decimal digits, at most MAX_DIGITS of them; refused before conversion otherwise."""
        text = node.value
        shown = text if len(text) <= 24 else text[:20] + "…"
        if not form.match(text):
            raise _Refused(DQ012_NUMBER_FORM.at(self.place(node), text=shown))
        mantissa = text.lstrip("+-").split("e")[0].split("E")[0]
        digits = sum(c.isdigit() for c in mantissa)
        if digits > MAX_DIGITS or len(text) > 3 * MAX_DIGITS:
            raise _Refused(DQ013_DIGITS.at(self.place(node), digits=digits, limit=MAX_DIGITS))
        value = kind(text.replace("_", ""))
        if isinstance(value, float) and not math.isfinite(value):
            raise _Refused(DQ013_HUGE.at(self.place(node), text=shown))
        return value

    def close(self, node: yaml.Node, entries: list[int]) -> int:
        """Write the block of a mapping or list just built; its start."""
        marks = self.marks
        self.last = block = len(marks)
        start = node.start_mark
        marks.append(start.line + 1)
        marks.append(start.column + 1)
        marks.append(len(entries) // _ENTRY)
        marks.extend(entries)
        return block

    def sequence(self, node: yaml.SequenceNode, depth: int) -> list[Any]:
        items: list[Any] = []
        entries: list[int] = []
        for child in node.value:
            items.append(self.build(child, depth + 1))
            start = child.start_mark
            line, col = start.line + 1, start.column + 1
            entries += (line, col, line, col, self.last)
        self.close(node, entries)
        return items

    def mapping(self, node: yaml.MappingNode, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        entries: list[int] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged = self.build(value_node, depth + 1)
                items, blocks = [merged], [self.last]
                if isinstance(merged, list):
                    at = self.last + _HEAD + _ENTRY - 1
                    items, blocks = merged, [self.marks[at + _ENTRY * i] for i in range(len(merged))]
                for item, block in zip(items, blocks, strict=True):
                    if not isinstance(item, dict):
                        raise _Refused(DQ014_MERGE.at(self.place(value_node)))
                    start = block + _HEAD
                    for i, (k, v) in enumerate(item.items()):
                        if k not in result:
                            result[k] = v
                            entries += self.marks[start + _ENTRY * i : start + _ENTRY * (i + 1)]
                continue
            if type(key_node) is not ScalarNode:
                raise _Refused(DQ012_KEY.at(self.place(key_node)))
            key = self.scalar(key_node)
            if isinstance(key, str):
                key = sys.intern(key)  # the same few field names, thousands of times
            elif not isinstance(key, int | bool) or key is None:
                key = str(key)
            if key in result:
                raise _Refused(DQ005.at(self.place(key_node), name=key))
            result[key] = value = self.build(value_node, depth + 1)
            if key == "marks" and type(value) is str:  # a choice's marks line: its errors point inside it
                self.keep_written(value_node)
            k_at, v_at = key_node.start_mark, value_node.start_mark
            entries += (k_at.line + 1, k_at.column + 1, v_at.line + 1, v_at.column + 1, self.last)
        self.key_names[self.close(node, entries)] = tuple(result)
        return result


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_T) :] if tag.startswith(_T) else tag


def _expanded_size(root: yaml.Node) -> int:
    """How many values the document holds once every alias is expanded, without expanding them.

    An alias is the same node object reached twice, so each distinct node's size is worked out
    once: a billion-laughs file of a hundred nodes is measured in a hundred steps.
    """
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        if isinstance(node, yaml.ScalarNode):
            sizes[id(node)] = 1
            continue
        children = [c for pair in node.value for c in pair] if isinstance(node, yaml.MappingNode) else node.value
        if done:
            total = 1 + sum(sizes.get(id(c), 0) for c in children)
            sizes[id(node)] = min(total, MAX_NODES + 1)
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes[id(root)]


def _may_have_anchor(text: str) -> bool:
    """Whether an anchor (`&name`) could be in the text: not '&' inside a word ("R&D") or before a space."""
    at = text.find("&")
    while at != -1:
        after = text[at + 1 : at + 2]
        before = text[at - 1] if at else " "
        if after and not after.isspace() and after not in "[]{},&" and not (before.isalnum() or before in "_&"):
            return True
        at = text.find("&", at + 1)
    return False


def _most_values(text: str) -> int:
    """More values than the text can hold (each needs a line, a ',', '[', '{', '-', ':' or '?' of
    its own, a key and its value one ':'), counted in C in a few milliseconds for 4 MiB."""
    marks = sum(text.count(c) for c in "\n,[{-:?")
    return 2 * marks + 2


def _values_over_limit(text: str) -> tuple[int, int] | None:
    """Where (line, column) the parser's events pass MAX_NODES values, or None: counted one at a time, so
    a file of two million tiny values is refused without building two million nodes."""
    count = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.ScalarEvent | yaml.AliasEvent | yaml.CollectionStartEvent):
            count += 1
            if count > MAX_NODES:
                mark = event.start_mark
                return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return None


def _line_col(text: str, position: int) -> tuple[int, int]:
    """The 1-based line and column of a character position in the text."""
    return text.count("\n", 0, position) + 1, position - (text.rfind("\n", 0, position) + 1) + 1


def parse_text(text: str, name: str) -> tuple[Source, list[Diagnostic]]:
    """Parse YAML text; on failure the diagnostics say where."""
    source = Source(name=name, text=text)
    try:
        if _most_values(text) > MAX_NODES and (where := _values_over_limit(text)) is not None:
            return source, [DQ006_VALUES.at(Location(name, *where), limit=MAX_NODES)]
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        found = yamlerrors.explain(text, exc, _Loader)
        return source, [DQ001.at(Location(name, found.line, found.column), problem=found.problem, hint=found.hint)]
    except yaml.reader.ReaderError as exc:  # a character YAML refuses, before any parsing: say where it is
        where = _line_col(text, exc.position)
        problem = f"the character U+{exc.character:04X} is not allowed (control characters are not)"
        return source, [DQ001.at(Location(name, *where), problem=problem, hint="remove it, or write it as an escape")]
    except yaml.YAMLError as exc:
        return source, [DQ001.at(Location(name, 1, 1), problem=" ".join(str(exc).split()))]
    except UnicodeEncodeError as exc:  # a lone surrogate: only text that did not come from a UTF-8 file
        return source, [DQ001.at(Location(name, *_line_col(text, exc.start)), problem="a lone surrogate character")]
    except RecursionError:
        return source, [DQ006_DEPTH.at(Location(name, 1, 1), limit=MAX_DEPTH)]
    if node is None:
        source.data = {}
        return source, []
    source.root = _pos(node)
    # Without an anchor there is no alias, and the builder's own count is the expanded size.
    if _may_have_anchor(text) and _expanded_size(node) > MAX_NODES:
        return source, [DQ006.at(Location(name, *source.root), limit=MAX_NODES)]
    try:
        builder = _Builder(source)
        source.data = builder.build(node, 0)
        source.root_block = builder.last
    except _Refused as refused:
        return source, [refused.diagnostic]
    except RecursionError:
        return source, [DQ006_DEPTH.at(Location(name, 1, 1), limit=MAX_DEPTH)]
    return source, []


def read_file(path: Path, name: str) -> tuple[Source, list[Diagnostic]]:
    """Read and parse one story file, refusing what is not a regular file, too large or not UTF-8."""
    try:
        raw = read_regular(path, MAX_FILE_BYTES)
    except TooLarge as exc:
        return Source(name), [DQ004_READ.at(Location(name), reason=exc)]
    except Refused as exc:
        return Source(name), [DQ008_REFUSED.at(Location(name), reason=exc)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return Source(name), [DQ003.at(Location(name, line, col), byte=raw[exc.start])]
    if text.startswith("\ufeff"):
        text = text[1:]
    source, found = parse_text(text, name)
    source.path = path
    return source, found
