"""Safe YAML reading that keeps the source position of every key and value.

The document is composed into nodes by PyYAML (its C parser where present) and turned into
plain Python data here, by our own code: only the standard scalar, sequence and mapping tags
are accepted, duplicate keys are reported, and alias expansion has a budget, so an alias bomb
is refused instead of expanded. Nothing in a story file can construct a Python object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, make

try:  # the C parser is several times faster; fall back to pure Python where it is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_NODES = 400_000  # values built from one file, aliases expanded
MAX_DEPTH = 64

PathKey = tuple[str | int, ...]

_T = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_T + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


@dataclass
class Source:
    """One parsed file: its data and where each value (and each mapping key) starts."""

    name: str
    data: Any = None
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    text: str = ""

    def where(self, path: PathKey, *, key: bool = False) -> tuple[int, int]:
        """The (line, column) of the value at path, or of the nearest enclosing value."""
        table = self.keys if key else self.values
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if key and p in self.values:
                return self.values[p]
            p = p[:-1]
        return self.values.get((), (1, 1))


class _Refused(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic


def _pos(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.count = 0

    def refuse(self, code: str, message: str, node: yaml.Node, hint: str = "") -> _Refused:
        line, col = _pos(node)
        return _Refused(make(code, message, self.source.name, line, col, hint=hint))

    def build(self, node: yaml.Node, path: PathKey, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.refuse(
                "DQ006",
                f"the file expands to more than {MAX_NODES:,} values",
                node,
                "aliases that repeat aliases multiply; write the data out instead",
            )
        if depth > MAX_DEPTH:
            raise self.refuse("DQ006", f"values nest deeper than {MAX_DEPTH} levels", node)
        self.source.values.setdefault(path, _pos(node))
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            self.check_tag(node, _T + "seq")
            return [self.build(n, (*path, i), depth + 1) for i, n in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            self.check_tag(node, _T + "map")
            return self.mapping(node, path, depth)
        raise self.refuse("DQ001", "unexpected YAML node", node)  # pragma: no cover

    def check_tag(self, node: yaml.Node, expected: str) -> None:
        if node.tag != expected:
            raise self.refuse(
                "DQ002",
                f"the tag {_show_tag(node.tag)} is not allowed in a story file",
                node,
                "story files hold plain text, numbers, lists and mappings",
            )

    def scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag not in _SCALAR_TAGS:
            self.check_tag(node, _T + "str")
        if node.tag == _T + "str" or node.tag == _T + "timestamp":
            return node.value  # dates stay text: the format has no date fields
        if node.tag == _T + "int":
            return _CONSTRUCTOR.construct_yaml_int(node)
        if node.tag == _T + "float":
            return _CONSTRUCTOR.construct_yaml_float(node)
        if node.tag == _T + "bool":
            return _CONSTRUCTOR.construct_yaml_bool(node)
        return None

    def mapping(self, node: yaml.MappingNode, path: PathKey, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _T + "merge":
                merged = self.build(value_node, path, depth + 1)
                for item in merged if isinstance(merged, list) else [merged]:
                    if not isinstance(item, dict):
                        raise self.refuse("DQ014", "'<<' merges only mappings", value_node)
                    for k, v in item.items():
                        result.setdefault(k, v)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.refuse("DQ012", "a mapping key must be plain text", key_node)
            key = self.scalar(key_node)
            if not isinstance(key, str | int | bool) or key is None:
                key = str(key)
            if key in result:
                raise self.refuse(
                    "DQ005",
                    f"the key '{key}' appears twice in this mapping",
                    key_node,
                    "YAML keeps only the last one; remove or rename one",
                )
            self.source.keys[(*path, key)] = _pos(key_node)
            result[key] = self.build(value_node, (*path, key), depth + 1)
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


def parse_text(text: str, name: str) -> tuple[Source, list[Diagnostic]]:
    """Parse YAML text; on failure the diagnostics say where."""
    source = Source(name=name, text=text)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.problem} ({exc.context})"
        return source, [make("DQ001", f"YAML syntax: {problem}", name, line, col)]
    except yaml.YAMLError as exc:
        return source, [make("DQ001", f"YAML syntax: {exc}", name, 1, 1)]
    except RecursionError:
        return source, [make("DQ006", f"values nest deeper than {MAX_DEPTH} levels", name, 1, 1)]
    if node is None:
        source.data = {}
        return source, []
    if _expanded_size(node) > MAX_NODES:
        line, col = _pos(node)
        return source, [make("DQ006", f"the file expands to more than {MAX_NODES:,} values", name, line, col,
                             hint="aliases that repeat aliases multiply; write the data out instead")]
    try:
        source.data = _Builder(source).build(node, (), 0)
    except _Refused as refused:
        return source, [refused.diagnostic]
    except RecursionError:
        return source, [make("DQ006", f"values nest deeper than {MAX_DEPTH} levels", name, 1, 1)]
    return source, []


def read_file(path: Path, name: str) -> tuple[Source, list[Diagnostic]]:
    """Read and parse one story file, refusing what is too large or not UTF-8."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return Source(name), [make("DQ004", f"the file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}", name)]
        raw = path.read_bytes()
    except OSError as exc:
        return Source(name), [make("DQ008", f"cannot read the file: {exc.strerror}", name)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return Source(name), [
            make("DQ003", f"byte 0x{raw[exc.start]:02x} is not UTF-8", name, line, col, hint="save the file as UTF-8")
        ]
    if text.startswith("\ufeff"):
        text = text[1:]
    return parse_text(text, name)
