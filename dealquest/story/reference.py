"""docs/REFERENCE.md: every field of every file, with its type, default and meaning, from the models.

`python -m dealquest.story.reference [-o FILE]` writes it (to standard output without -o); a test
regenerates it and fails when the docs differ, so the table cannot drift from what the loader reads.
"""

from __future__ import annotations

import argparse
import sys
import types
import typing
from pathlib import Path
from typing import Any

from annotated_types import Ge, Le, MaxLen, MinLen
from pydantic import BaseModel, StringConstraints
from pydantic.fields import FieldInfo

from dealquest.story import model

#: The sections of the reference: (heading, the model, what it is and where it is written).
SECTIONS: list[tuple[str, type[BaseModel], str]] = [
    ("campaign.yaml", model.CampaignFile, "The campaign-wide settings; it may also hold scenes, endings and hooks."),
    ("Variable", model.Variable, "One entry under `state:`, keyed by the variable's name."),
    ("Deadline", model.Deadline, "One item of `deadlines:`."),
    ("Rubric", model.Rubric, "`rubric:` in campaign.yaml."),
    ("Role", model.RoleTarget, "`marketer:` and `salesperson:` under `rubric:`."),
    ("Weights", model.Weights, "`weights:` under `rubric:`."),
    ("Verdict", model.Verdict, "One item of `verdicts:` under `rubric:`."),
    ("Grade band", model.GradeBand, "One item of `grades:` under `rubric:`."),
    ("Story file", model.StoryFile, "Any other `*.yaml` file of the campaign folder."),
    ("Scene", model.Scene, "One item of `scenes:`."),
    ("Choice", model.Choice, "One item of a scene's or a hook's `choices:`."),
    ("Branch", model.Branch, "One item of a choice's `chance:`."),
    ("Condition", model.Condition, "`requires:`, `when:`, `bonus_when:`: exactly one of flag, var, all, any, not."),
    ("Ending", model.Ending, "One item of `endings:`."),
    ("Hook", model.Hook, "One item of `hooks:`."),
    ("Story test file", model.StoryTestFile, "A `*.yaml` file under the campaign's `tests/` folder."),
    ("Story test", model.StoryTest, "One item of `tests:`."),
    ("Step", model.StoryStep, "One item of a story test's `path:`."),
    ("Expect", model.Expect, "A story test's `expect:`."),
    ("Bound", model.Bound, "A number's bounds in `expect:` (`percent:`, each axis under `axes:`)."),
]
_TITLES = {cls: title for title, cls, _ in SECTIONS}


def _anchor(title: str) -> str:
    return title.lower().replace(".", "").replace(" ", "-")


def _type(annotation: Any, metadata: list[Any] | None = None) -> str:
    """A field's type in a writer's words."""
    meta: list[Any] = []
    for m in metadata or []:  # Field(ge=..., le=...) inside Annotated keeps them in its own metadata
        meta += m.metadata if isinstance(m, FieldInfo) else [m]
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *more = typing.get_args(annotation)
        return _type(base, meta + list(more))
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        if options == [int, bool] or set(options) == {int, bool}:
            return "whole number or true/false"
        shown = [_type(a, meta) for a in options]
        return " or ".join(dict.fromkeys(shown))
    if origin is typing.Literal:
        return ", ".join(f"`{v}`" for v in typing.get_args(annotation))
    if origin is list:
        (item,) = typing.get_args(annotation)
        return f"list of {_type(item)}" + _length(meta)
    if origin is dict:
        key, value = typing.get_args(annotation)
        return f"mapping of {_type(key)} to {_type(value)}"
    if origin is tuple:
        return "[" + ", ".join(_type(a) for a in typing.get_args(annotation)) + "]"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        title = _TITLES.get(annotation, annotation.__name__)
        return f"[{title}](#{_anchor(title)})"
    if annotation is bool:
        return "true/false"
    if annotation is int:
        span = _range(meta)
        if span == f", {model.SCORE_MIN} to {model.SCORE_MAX}":
            return "mark" + span
        return "whole number" + ("" if span == f", {-model.MAX_NUMBER:,} to {model.MAX_NUMBER:,}" else span)
    if annotation is float:
        return "number" + _range(meta)
    if annotation is str:
        pattern = next((getattr(m, "pattern", None) for m in meta if getattr(m, "pattern", None)), None)
        if pattern == model.ID_PATTERN.pattern:
            return "id"
        return "text" + _length(meta, "characters")
    return getattr(annotation, "__name__", str(annotation))  # pragma: no cover - every field is covered above


def _range(meta: list[Any]) -> str:
    low = next((m.ge for m in meta if isinstance(m, Ge) and isinstance(m.ge, int | float)), None)
    high = next((m.le for m in meta if isinstance(m, Le) and isinstance(m.le, int | float)), None)
    if low is None and high is None:
        return ""
    return f", {_number(low) if low is not None else ''} to {_number(high) if high is not None else ''}".rstrip()


def _length(meta: list[Any], unit: str = "items") -> str:
    least = next((m.min_length for m in meta if isinstance(m, MinLen | StringConstraints) and m.min_length), None)
    most = next((m.max_length for m in meta if isinstance(m, MaxLen | StringConstraints) and m.max_length), None)
    if unit == "characters" and least == 1:
        least = None  # every text has at least one character
    parts = [f"at least {least}" if least else "", f"at most {most:,}" if most else ""]
    said = " and ".join(p for p in parts if p)
    if said == "at least 1":
        return " (at least 1)"
    return f" ({said} {unit})" if said else ""


def _number(value: float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,g}"


def _default(f: FieldInfo) -> str:
    if f.is_required():
        return "required"
    if f.default_factory is not None:
        value = f.default_factory()  # type: ignore[call-arg]
        if not value:
            return "none"
        if isinstance(value, BaseModel) and not value.model_dump(exclude_defaults=True):
            return "none" if all(v in (None, {}, []) for v in value.model_dump().values()) else _defaults(value)
        if isinstance(value, BaseModel):
            return ", ".join(f"{k} {_shown(v)}" for k, v in value.model_dump().items())
        if isinstance(value, list) and all(isinstance(v, BaseModel) for v in value):
            return "; ".join(", ".join(f"{k} {_shown(x)}" for k, x in v.model_dump().items()) for v in value)
        return ", ".join(_shown(v) for v in value)
    return "none" if f.default is None else f"`{_shown(f.default)}`"


def _defaults(value: BaseModel) -> str:
    return ", ".join(f"{k} {_shown(v)}" for k, v in value.model_dump().items())


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def reference() -> str:
    """The whole reference, as Markdown."""
    out = [
        "# Field reference",
        "",
        "Every field of every file of a campaign folder: its type, its default and what it means. This file",
        "is generated from the models the loader validates with (`python -m dealquest.story.reference -o",
        "docs/REFERENCE.md`), and a test fails when it differs, so it is always what `dealquest validate`",
        "reads. [AUTHORING.md](AUTHORING.md) explains how the fields work together.",
        "",
        "Types: an **id** is lowercase letters, digits and `_`, starting with a letter (64 characters at",
        "most); a **mark** is a whole number from -2 to 2; whole numbers in the story lie within",
        f"±{model.MAX_NUMBER:,}. A field that is not required may be left out.",
        "",
        "Contents: " + ", ".join(f"[{title}](#{_anchor(title)})" for title, _, _ in SECTIONS) + ".",
    ]
    for title, cls, about in SECTIONS:
        out += ["", f"## {title}", "", about]
        doc = (cls.__doc__ or "").strip().split("\n\n")[0]
        if doc and cls not in (model.CampaignFile, model.StoryFile):
            out += ["", " ".join(doc.split())]
        out += ["", "| field | type | default | meaning |", "|---|---|---|---|"]
        for name, f in cls.model_fields.items():
            shown = f.alias or name
            kind = _type(f.annotation, list(f.metadata))
            out.append(f"| `{shown}` | {_cell(kind)} | {_cell(_default(f))} | {_cell(f.description or '')} |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dealquest.story.reference", description=__doc__)
    parser.add_argument("-o", "--output", type=Path, help="write to this file instead of standard output")
    args = parser.parse_args(argv)
    text = reference()
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
