"""State rules written as data: conditions and effects.

Nothing here evaluates Python: a condition is a small tree of comparisons on declared variables.
Text that shows or depends on the state is read by `dealquest.story.template`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from dealquest.story.model import Choice, Condition, Variable

Vars = Mapping[str, int | bool]

_OPS = ("eq", "ne", "lt", "lte", "gt", "gte")


def holds(cond: Condition | None, values: Vars) -> bool:
    """Whether a condition holds for these variable values (None always holds)."""
    if cond is None:
        return True
    if cond.flag is not None:
        return bool(values.get(cond.flag, False))
    if cond.all is not None:
        return all(holds(c, values) for c in cond.all)
    if cond.any is not None:
        return any(holds(c, values) for c in cond.any)
    if cond.not_ is not None:
        return not holds(cond.not_, values)
    assert cond.var is not None
    value = values.get(cond.var, 0)
    for op in _OPS:
        limit = getattr(cond, op)
        if limit is not None:
            return _compare(op, value, limit)
    return False  # pragma: no cover - the model guarantees one operator


def _compare(op: str, value: int | bool, limit: int | bool) -> bool:
    if op == "eq":
        return value == limit
    if op == "ne":
        return value != limit
    v, lim = int(value), int(limit)
    return {"lt": v < lim, "lte": v <= lim, "gt": v > lim, "gte": v >= lim}[op]


def atoms(cond: Condition | None) -> Iterator[tuple[str, str, int | bool | None]]:
    """Every (variable, operator, value) compared in a condition; `flag` gives ('name', 'flag', None)."""
    if cond is None:
        return
    if cond.flag is not None:
        yield cond.flag, "flag", None
    for group in (cond.all, cond.any):
        for c in group or ():
            yield from atoms(c)
    if cond.not_ is not None:
        yield from atoms(cond.not_)
    if cond.var is not None:
        for op in _OPS:
            if getattr(cond, op) is not None:
                yield cond.var, op, getattr(cond, op)


def apply_effects(choice: Choice, values: dict[str, int | bool], spec: Mapping[str, Variable]) -> None:
    """Apply a choice's set, add and clamp effects in place, then clamp counters to their range."""
    for name, value in choice.set.items():
        values[name] = value
    for name, delta in choice.add.items():
        values[name] = int(values.get(name, 0)) + delta
    for name, (low, high) in choice.clamp.items():
        values[name] = max(low, min(high, int(values.get(name, 0))))
    for effect in (choice.set, choice.add, choice.clamp):
        for name in effect:
            var = spec.get(name)
            if var is not None and var.type == "counter":
                v = int(values[name])
                if var.min is not None and v < var.min:
                    v = var.min
                if var.max is not None and v > var.max:
                    v = var.max
                values[name] = v


_OP_SIGNS = {"eq": "=", "ne": "≠", "lt": "<", "lte": "≤", "gt": ">", "gte": "≥"}


def describe(cond: Condition | None) -> str:
    """A condition in words for graphs and hints, e.g. `case_study and intel ≥ 2`."""
    if cond is None:
        return ""
    if cond.flag is not None:
        return cond.flag
    if cond.not_ is not None:
        inner = describe(cond.not_)
        return f"not ({inner})" if " " in inner else f"not {inner}"
    for joiner, group in ((" and ", cond.all), (" or ", cond.any)):
        if group is not None:
            parts = [describe(c) for c in group]
            return joiner.join(f"({p})" if " " in p and not p.startswith("not") else p for p in parts)
    for op, sign in _OP_SIGNS.items():
        value = getattr(cond, op)
        if value is not None:
            shown = str(value).lower() if isinstance(value, bool) else str(value)
            return f"{cond.var} {sign} {shown}"
    return ""  # pragma: no cover - the model guarantees a form
