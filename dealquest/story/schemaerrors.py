"""Validation errors in a writer's words: what is wrong, where it belongs, how to write it.

Pydantic says "Input should be a valid dictionary or instance of Condition"; a writer needs "a
condition is written as data: {var: pipeline, gte: 2}". Every error Pydantic raises while a story
file is validated comes through here and leaves as a diagnostic at its line, in the format's own
words: a field that belongs to another part of the format says where it goes, an operator written
as a key says which key to use, a condition written as a sentence is shown in its data form.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from dealquest.story import model
from dealquest.story.diagnostics import (
    DQ010,
    DQ011,
    DQ012,
    DQ012_NUMBER_AS_TEXT,
    DQ013,
    DQ013_ID,
    DQ013_SCORE,
    DQ014,
    DQ014_LOOKS_LIKE,
    DQ014_MARKS,
    Descriptor,
    Diagnostic,
    Location,
    closest,
)
from dealquest.story.yamlsource import PathKey, Source

_SCHEMA_CODES = {
    "missing": DQ010,
    "extra_forbidden": DQ011,
    "value_error": DQ014,
    "assertion_error": DQ014,
    "marks": DQ014,
}
_RANGE_TYPES = (
    "greater_than",
    "less_than",
    "literal_error",
    "string_pattern_mismatch",
    "too_long",
    "too_short",
    "string_too_long",
    "string_too_short",
    "enum",
    "finite_number",
)

#: What each part of the format is called in a sentence.
PART_NAMES: dict[type[BaseModel], str] = {
    model.Scene: "a scene",
    model.Choice: "a choice",
    model.Branch: "a chance branch",
    model.Condition: "a condition",
    model.Ending: "an ending",
    model.Hook: "a hook",
    model.StoryFile: "the top of a story file",
    model.CampaignFile: "the top of campaign.yaml",
    model.Variable: "a variable under state:",
    model.Deadline: "a deadline",
    model.Rubric: "the rubric",
    model.RoleTarget: "a role of the rubric (marketer: or salesperson:)",
    model.Weights: "the rubric's weights",
    model.GradeBand: "a grade band",
    model.Verdict: "a verdict",
    model.StoryTestFile: "the top of a story test file",
    model.StoryTest: "a story test",
    model.StoryStep: "a step of a story test's path",
    model.Expect: "a story test's expect:",
    model.Bound: "a bound (gte:, lte:)",
}

#: Where a field that belongs elsewhere goes, for the cases writers meet, by (where it was, where it belongs).
_PLACES: dict[tuple[type[BaseModel], type[BaseModel]], str] = {
    (
        model.Scene,
        model.Choice,
    ): "indent it under choices:, inside the choice it belongs to, below that choice's '- text:'",
    (
        model.Hook,
        model.Choice,
    ): "indent it under choices:, inside the choice it belongs to, below that choice's '- text:'",
    (model.Scene, model.Branch): "a chance choice lists its branches: chance: [{goto: won, weight: 2}, {goto: lost}]",
    (model.Choice, model.Branch): "a chance choice lists its branches: chance: [{goto: won, weight: 2}, {goto: lost}]",
    (model.Choice, model.Scene): "it is a field of the scene: indent it level with the scene's choices:",
    (model.Branch, model.Choice): "it is a field of the choice: indent it level with its chance:",
    (model.StoryFile, model.Scene): "it belongs inside a scene: scenes: [ - id: ..., role: ..., ... ]",
    (model.CampaignFile, model.Scene): "it belongs inside a scene: scenes: [ - id: ..., role: ..., ... ]",
    (model.CampaignFile, model.Rubric): "indent it under rubric:",
    (model.Rubric, model.RoleTarget): "indent it under the role it is for: marketer: or salesperson:",
}

#: A comparison written as an operator key: the key the format uses.
OPERATOR_KEYS = {
    ">=": "gte",
    ">": "gt",
    "<=": "lte",
    "<": "lt",
    "==": "eq",
    "=": "eq",
    "!=": "ne",
    "≥": "gte",
    "≤": "lte",
}


def _models(root: type[BaseModel]) -> Iterator[type[BaseModel]]:
    seen: set[type[BaseModel]] = set()
    stack = [root]
    while stack:
        cls = stack.pop()
        if cls in seen:
            continue
        seen.add(cls)
        yield cls
        for f in cls.model_fields.values():
            stack.extend(_model_classes(f.annotation))


def _model_classes(annotation: Any) -> list[type[BaseModel]]:
    """The model classes an annotation holds, at any depth (lists, dicts, unions)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [c for arg in typing.get_args(annotation) for c in _model_classes(arg)]


def field_names(cls: type[BaseModel]) -> list[str]:
    """A model's field names as written in a file (aliases: `not`)."""
    return [f.alias or name for name, f in cls.model_fields.items()]


_HOMES: dict[str, list[type[BaseModel]]] = {}


def _homes(name: str) -> list[type[BaseModel]]:
    """Every part of the format that has a field of this name."""
    if not _HOMES:
        for root in (model.CampaignFile, model.StoryTestFile):
            for cls in _models(root):
                for field in field_names(cls):
                    if cls not in _HOMES.setdefault(field, []):
                        _HOMES[field].append(cls)
    return _HOMES.get(name, [])


def _unwrap(annotation: Any) -> list[Any]:
    """The alternatives of an annotation, with Annotated and None taken away."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [a for arg in typing.get_args(annotation) for a in _unwrap(arg)]
    return [] if annotation is type(None) else [annotation]


def model_at(schema: type[BaseModel], path: PathKey) -> type[BaseModel] | None:
    """The part of the format that the value at `path` is (None: a plain value, or not known)."""
    current: list[Any] = [schema]
    for part in path:
        following: list[Any] = []
        for option in (o for c in current for o in _unwrap(c)):
            origin = typing.get_origin(option)
            if isinstance(option, type) and issubclass(option, BaseModel) and isinstance(part, str):
                for name, f in option.model_fields.items():
                    if part in (name, f.alias):
                        following.append(f.annotation)
            elif origin in (list, tuple) and isinstance(part, int):
                following.extend(typing.get_args(option)[:1])
            elif origin is dict and isinstance(part, str):
                following.append(typing.get_args(option)[1])
        current = following
    found = [o for c in current for o in _unwrap(c) if isinstance(o, type) and issubclass(o, BaseModel)]
    return found[0] if found else None


# ---------------------------------------------------------------------------- where, in words

_LISTS = {
    "scenes": "scene",
    "endings": "ending",
    "hooks": "hook",
    "choices": "choice",
    "chance": "branch",
    "deadlines": "deadline",
    "grades": "grade band",
    "verdicts": "verdict",
    "tests": "test",
    "path": "step",
}
_CONDITIONS = ("requires", "when", "bonus_when")


def describe(path: PathKey, data: Any) -> str:
    """A location in words: "choice 2 of scene 'demo_call'", "variable 'intel'"..."""
    parts: list[str] = []
    node = data
    i = 0
    while i < len(path):
        key = path[i]
        nxt = path[i + 1] if i + 1 < len(path) else None
        child = node.get(key) if isinstance(node, dict) else None
        if key in _LISTS and isinstance(nxt, int):
            item = child[nxt] if isinstance(child, list) and nxt < len(child) else None
            label = _LISTS[key]
            ident = item.get("id") if isinstance(item, dict) else None
            if key == "tests" and isinstance(item, dict):
                ident = item.get("name")
            if key == "hooks" and isinstance(item, dict):
                ident = item.get("scene")
                parts.append(f"the hook on scene '{ident}'" if isinstance(ident, str) else f"hook {nxt + 1}")
            elif isinstance(ident, str):
                parts.append(f"{label} '{ident}'")
            else:
                parts.append(f"{label} {nxt + 1}")
            node = item
            i += 2
            continue
        if key == "state" and isinstance(nxt, str):
            parts.append(f"variable '{nxt}'")
            node = child.get(nxt) if isinstance(child, dict) else None
            i += 2
            continue
        if key in _CONDITIONS:
            parts.append(f"the condition '{key}'")
        elif key in ("all", "any") and isinstance(nxt, int):
            parts.append(f"'{key}' item {nxt + 1}")
            node = child[nxt] if isinstance(child, list) and nxt < len(child) else None
            i += 2
            continue
        elif key == "rubric":
            parts.append("the rubric")
        elif key in ("marketer", "salesperson") and path[:1] == ("rubric",):
            parts.append(f"the rubric's {key}")
            parts.pop(-2)
        elif key == "expect":
            parts.append("expect")
        node = child
        i += 1
    return " of ".join(reversed(parts)) if parts else "the file"


def _in_data(loc: PathKey, data: Any) -> PathKey:
    """The longest prefix of loc that names something in data, plus a missing final key."""
    node = data
    kept: list[str | int] = []
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str):
            kept.append(part)  # a missing field: report it on its owner
            break
        else:
            continue  # a union or type tag added by pydantic
        kept.append(part)
    return tuple(kept)


def _value(path: PathKey, data: Any) -> Any:
    node = data
    for part in path:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return None
    return node


# ---------------------------------------------------------------------------- the diagnostics


def schema_diagnostics(exc: ValidationError, source: Source, schema: type[BaseModel]) -> list[Diagnostic]:
    """Pydantic's validation errors as diagnostics at their lines, in the writer's words."""
    errors: list[tuple[PathKey, ErrorDetails]] = []
    seen: set[PathKey] = set()
    for err in exc.errors(include_url=False):
        # Unions and dict keys add type tags to the location; keep the part that is in the data.
        loc: PathKey = tuple(p for p in err["loc"] if p != "[key]")
        data_loc = _in_data(loc, source.data)
        if data_loc in seen:
            continue
        seen.add(data_loc)
        errors.append((data_loc, err))
    out: list[Diagnostic] = []
    misplaced = _misplaced_items(errors, source, schema)
    out.extend(misplaced.values())
    typos: set[PathKey] = set()  # the owners of an unknown field meant for a missing one
    for data_loc, err in errors:
        if any(data_loc[: len(item)] == item for item in misplaced):
            continue
        diagnostic, meant = _one(err, data_loc, source, schema)
        if meant is not None:
            typos.add((*data_loc[:-1], meant))
        out.append(diagnostic)
    # "missing 'title'" says nothing new next to "unknown field 'titel' (did you mean 'title'?)"
    return [d for d in out if not _explained(d, typos)]


def _explained(d: Diagnostic, typos: set[PathKey]) -> bool:
    return d.code == DQ010.code and tuple(_path_parts(d.path)) in typos


def _path_parts(path: str) -> list[str | int]:
    return [int(p) if p.isdigit() else p for p in path.split(".")] if path else []


def _one(
    err: ErrorDetails, data_loc: PathKey, source: Source, schema: type[BaseModel]
) -> tuple[Diagnostic, str | None]:
    """One error as a diagnostic, and for an unknown field the missing field it was meant for."""
    etype = err["type"]
    kind = _SCHEMA_CODES.get(etype) or (DQ013 if etype.startswith(_RANGE_TYPES) else DQ012)
    field_name = str(data_loc[-1]) if data_loc else ""
    owner = describe(data_loc[:-1], source.data) if data_loc else "the file"
    path_text = ".".join(str(p) for p in data_loc)
    line, col = source.where(data_loc, key=kind is DQ011)
    place = Location(source.name, line, col, path_text)
    if kind is DQ010:
        return DQ010.at(place, owner=owner, field=field_name), None
    if kind is DQ011:
        owner_model = model_at(schema, data_loc[:-1])
        hint, meant = _unknown_field_hint(
            field_name, owner_model, _value(data_loc, source.data), _value(data_loc[:-1], source.data)
        )
        return DQ011.at(place, owner=owner, field=field_name, hint=hint), meant
    if etype == "marks":
        return _marks_error(err, data_loc, source), None
    here = model_at(schema, data_loc)
    if etype in ("value_error", "assertion_error") and here is not None and isinstance(err.get("input"), dict):
        what = describe(data_loc, source.data)  # a rule of the whole part: "variable 'days_left'"
    elif data_loc and isinstance(data_loc[-1], int) and len(data_loc) > 1 and data_loc[-2] not in _LISTS:
        what = f"'{data_loc[-2]}' item {data_loc[-1] + 1} of {describe(data_loc[:-2], source.data)}"
    elif data_loc and isinstance(data_loc[-1], str):
        what = f"'{field_name}' of {owner}"
    else:
        what = describe(data_loc, source.data)
    return _value_error(kind, err, field_name, what, place, here), None


def _marks_error(err: ErrorDetails, data_loc: PathKey, source: Source) -> Diagnostic:
    """A choice's marks line that cannot be read: at the offending character when there is one."""
    ctx: dict[str, Any] = dict(err.get("ctx", {}))
    path = (*data_loc, "marks")
    line, offset = _value(path, source.data), ctx.get("offset")
    field = ctx.get("field")
    if isinstance(line, str) and isinstance(offset, int):
        place = Location(source.name, *source.where_char(path, line, offset), ".".join(str(p) for p in path))
    elif isinstance(field, str):  # given twice: at the field written beside the line
        at = (*data_loc, field)
        place = Location(source.name, *source.where(at, key=True), ".".join(str(p) for p in at))
    else:
        place = Location(source.name, *source.where(data_loc), ".".join(str(p) for p in data_loc))
    what = describe(data_loc, source.data)
    return DQ014_MARKS.at(place, what=what, problem=ctx.get("problem", ""), hint=str(ctx.get("hint", "")))


def _unknown_field_hint(name: str, owner: type[BaseModel] | None, value: Any, siblings: Any) -> tuple[str, str | None]:
    """How to fix an unknown field, and the owner's own field it is likely a typo of (if any)."""
    own = field_names(owner) if owner is not None else []
    if owner is model.Condition and name in OPERATOR_KEYS:
        shown = "2" if value is None else _flow(value)
        var = siblings.get("var") if isinstance(siblings, dict) else None
        form = (
            f"{{var: {var}, {OPERATOR_KEYS[name]}: {shown}}}"
            if isinstance(var, str)
            else f"{OPERATOR_KEYS[name]}: {shown}"
        )
        return f"write {form}: a comparison is one of eq, ne, lt, lte, gt, gte, and '{name}' is not", None
    near = closest(name, own, cutoff=0.8)
    if near is not None and near != name:
        return f"did you mean '{near}'?", near
    homes = sorted((h for h in _homes(name) if h is not owner), key=lambda h: (owner, h) not in _PLACES)
    if homes and owner is not None:
        home = homes[0]
        place = _PLACES.get((owner, home))
        where = f"'{name}' belongs to {PART_NAMES.get(home, home.__name__)}, not {PART_NAMES.get(owner, 'here')}"
        return where + (f": {place}" if place else ""), None
    near = closest(name, own)
    if near is not None and near != name:
        return f"did you mean '{near}'?", near
    if own:
        return f"{PART_NAMES.get(owner, 'it') if owner else 'it'} takes: {', '.join(own)}", None
    return "", None


def _flow(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _misplaced_items(
    errors: list[tuple[PathKey, ErrorDetails]], source: Source, schema: type[BaseModel]
) -> dict[PathKey, Diagnostic]:
    """Items written as one part of the format where another is expected (a choice indented as a
    scene): one diagnostic each, in place of a dozen about their fields."""
    unknown: dict[PathKey, list[str]] = {}
    missing: set[PathKey] = set()
    for loc, err in errors:
        if not loc:
            continue
        if err["type"] == "extra_forbidden":
            unknown.setdefault(loc[:-1], []).append(str(loc[-1]))
        elif err["type"] == "missing":
            missing.add(loc[:-1])
    found: dict[PathKey, Diagnostic] = {}
    for item, names in unknown.items():
        if item not in missing or len(names) < 2:
            continue
        owner = model_at(schema, item)
        if owner is None:
            continue
        shared = [h for h in _homes(names[0]) if h is not owner and all(h in _homes(n) for n in names)]
        if not shared:
            continue
        home = shared[0]
        line, col = source.where(item)
        place = Location(source.name, line, col, ".".join(str(p) for p in item))
        hint = _PLACES.get((owner, home), "")
        if owner is model.Scene and home is model.Choice and isinstance(item[-1], int) and item[-1] > 0:
            above = describe((*item[:-1], item[-1] - 1), source.data)
            hint = f"indent it under the choices: of {above}, level with that scene's other choices"
        found[item] = DQ014_LOOKS_LIKE.at(
            place,
            what=describe(item, source.data),
            part=PART_NAMES.get(home, home.__name__),
            fields=", ".join(names[:4]) + (" ..." if len(names) > 4 else ""),
            hint=hint,
        )
    return found


# ---------------------------------------------------------------------------- values


def _value_error(
    kind: Descriptor, err: ErrorDetails, field_name: str, what: str, place: Location, here: type[BaseModel] | None
) -> Diagnostic:
    """A value of the wrong type, out of range or breaking a rule of the format."""
    etype, value = err["type"], err.get("input")
    ctx = err.get("ctx", {})
    if field_name in ("audience", "closing", "push_pull") and etype.startswith(("greater", "less")):
        return DQ013_SCORE.at(place, what=what, value=value, low=model.SCORE_MIN, high=model.SCORE_MAX)
    if etype == "string_pattern_mismatch" and ctx.get("pattern") == model.ID_PATTERN.pattern:
        return DQ013_ID.at(place, what=what, value=value)
    if here is model.Condition and not isinstance(value, dict):
        return DQ012.at(place, what=what, reason=_condition_reason(value), hint=_condition_hint(value))
    reason, hint = _reason(err)
    if etype == "string_type" and isinstance(value, int | float):
        return DQ012_NUMBER_AS_TEXT.at(place, what=what, reason=reason)
    return kind.at(place, what=what, reason=reason, hint=hint)


def _number(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


def _shown(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return f"'{text if len(text) <= 40 else text[:37] + '...'}'"


def _reason(err: ErrorDetails) -> tuple[str, str]:
    """What is wrong with a value, and a hint, in the format's words."""
    etype, value = err["type"], err.get("input")
    ctx: dict[str, Any] = dict(err.get("ctx", {}))
    shown = _shown(value)
    if etype in ("int_type", "int_parsing", "int_from_float"):
        return f"{shown} is not a whole number", "write a whole number in digits: 2, -1, 0"
    if etype in ("float_type", "float_parsing"):
        return f"{shown} is not a number", "write a number in digits: 1, 0.5"
    if etype in ("bool_type", "bool_parsing"):
        return f"{shown} is not true or false", "write true or false"
    if etype == "string_type":
        return f"{shown} is not text", "write text, in quotes if it holds ': ' or starts with a symbol"
    if etype in ("list_type", "tuple_type"):
        return f"{shown} is not a list", "write a list as [a, b] or as lines starting with '- '"
    if etype in ("dict_type", "model_type", "model_attributes_type"):
        return f"{shown} is not a mapping of fields", "write key: value lines indented under it, or {key: value}"
    if etype in ("literal_error", "enum"):
        expected = [e.strip().strip("'") for e in str(ctx.get("expected", "")).replace(" or ", ",").split(",")]
        options = [e for e in expected if e]
        near = closest(str(value), options) if isinstance(value, str) else None
        hint = f"did you mean '{near}'?" if near else ""
        return f"{shown} is not one of {', '.join(options)}", hint
    if etype in ("greater_than_equal", "greater_than"):
        return f"{shown} is below {_number(ctx.get('ge', ctx.get('gt')))}, the least allowed", ""
    if etype in ("less_than_equal", "less_than"):
        return f"{shown} is above {_number(ctx.get('le', ctx.get('lt')))}, the most allowed", ""
    if etype == "too_short":
        least = ctx.get("min_length", 1)
        hint = ""
        if err["loc"] and err["loc"][-1] == "choices":
            hint = "a scene offers 1 to 9 choices; a place where the story stops is an ending, under endings:"
        return f"the list is empty; it needs at least {least}", hint
    if etype == "too_long":
        return f"the list has {ctx.get('actual_length'):,} items; it may have at most {ctx.get('max_length')} items", ""
    if etype == "string_too_short":
        return "the text is empty", "write the text, or leave the field out"
    if etype == "string_too_long":
        return f"the text is longer than {ctx.get('max_length'):,} characters", "shorten it, or split it"
    if etype == "string_pattern_mismatch":
        if "\\." in str(ctx.get("pattern", "")):
            return f"{shown} is not a version", 'write one to three numbers with dots, quoted: "1.0", "2.3.1"'
        return f"{shown} does not have the form this field needs", ""
    if etype == "finite_number":
        return f"{shown} is not a finite number", "write a number in digits"
    if etype in ("value_error", "assertion_error"):
        reason = err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        return reason[:1].lower() + reason[1:], ""
    reason = err["msg"].replace("Input should be", "should be").replace("input should be", "should be")
    return reason[:1].lower() + reason[1:], ""


def _condition_reason(value: Any) -> str:
    if isinstance(value, str):
        return "a condition is written as data, not as a sentence"
    return f"{_shown(value)} is not a condition"


def _condition_hint(value: Any) -> str:
    """The data form of a condition written as a sentence, as exactly as it can be read."""
    example = "{flag: case_study}, {var: intel, gte: 2}, {all: [...]}, {any: [...]}, {not: {...}}"
    if not isinstance(value, str):
        return f"write one of {example}"
    from dealquest.story import template  # the sentence form is the one texts use

    form = template.condition_as_data(value)
    if form is None:
        return f"write one of {example}"
    return f"write it as {form}"
