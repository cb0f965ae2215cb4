"""Checks that need the whole campaign: targets, variables, reachability and dead ends."""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable, Iterator

from dealquest.story import template
from dealquest.story.campaign import CAMPAIGN_FILE, Campaign, Origin
from dealquest.story.conditions import atoms, holds
from dealquest.story.diagnostics import (
    DQ102,
    DQ103,
    DQ105,
    DQ106,
    DQ106_COUNTER_SET_TO_FLAG,
    DQ106_COUNTER_TESTED_AS_FLAG,
    DQ106_FLAG_COMPARED,
    DQ106_FLAG_SET_TO_NUMBER,
    DQ109,
    DQ201,
    DQ202,
    DQ203,
    DQ204,
    DQ205,
    DQ206,
    DQ206_ZERO_WEIGHT,
    DQ207,
    DQ209,
    DQ210,
    Diagnostic,
    Location,
    Place,
    did_you_mean,
)
from dealquest.story.model import Choice, Condition, Variable

MAX_COMBINATIONS = 4096
SHORT_FEEDBACK = 25


def check_campaign(campaign: Campaign) -> list[Diagnostic]:
    """Every structural finding about an assembled campaign."""
    out: list[Diagnostic] = []
    _check_start(campaign, out)
    check_targets(campaign, out)
    _check_variables(campaign, out)
    _check_dead_ends(campaign, out)
    _check_feedback(campaign, out)
    _check_breaches(campaign, out)
    if not campaign.complete:
        # With a file missing, "unreachable" and "never changed" would be false alarms.
        return [d for d in out if d.code not in _WHOLE_CAMPAIGN]
    if campaign.header.start in campaign.scenes:  # else everything would be "unreachable"
        _check_reachability(campaign, out)
    _check_loops(campaign, out)
    return out


_WHOLE_CAMPAIGN = {d.code for d in (DQ201, DQ202, DQ204, DQ205, DQ209)}


def _header_origin(campaign: Campaign) -> Origin | None:
    return None if campaign.header_source is None else Origin(campaign.header_source, ())


def _check_start(campaign: Campaign, out: list[Diagnostic]) -> None:
    start = campaign.header.start
    if start in campaign.scenes or start in campaign.salvaged_ids or campaign.ids_unknown:
        return
    where: Place = _header_origin(campaign) or Location(str(campaign.folder / CAMPAIGN_FILE))
    if start in campaign.endings:
        out.append(DQ109.at(where, "start", start=start))
    else:
        out.append(DQ102.at(where, "start", start=start, hint=did_you_mean(start, campaign.scenes)))


def _targets(campaign: Campaign) -> Iterable[tuple[str, Origin, tuple[str | int, ...], str]]:
    """(target id, origin, path below origin, description) for every choice and branch."""
    for (scene_id, j), origin in campaign.choice_origins.items():
        scene = campaign.scenes.get(scene_id)
        if scene is None or j >= len(scene.choices):
            continue
        choice = scene.choices[j]
        if choice.goto is not None:
            yield choice.goto, origin, ("goto",), f"choice {j + 1} of scene '{scene_id}'"
        for k, branch in enumerate(choice.chance or ()):
            yield branch.goto, origin, ("chance", k, "goto"), f"branch {k + 1} of choice {j + 1} of scene '{scene_id}'"


def check_targets(campaign: Campaign, out: list[Diagnostic]) -> None:
    known = [*campaign.scenes, *campaign.endings]
    for target, origin, path, what in _targets(campaign):
        if target not in campaign.scenes and target not in campaign.endings:
            if target in campaign.salvaged_ids or campaign.ids_unknown:
                continue  # it may be defined in the part that failed to load
            out.append(DQ103.at(origin, *path, what=what, target=target, hint=did_you_mean(target, known)))
    header = _header_origin(campaign)
    for i, deadline in enumerate(campaign.header.deadlines):
        unknown = deadline.goto in campaign.salvaged_ids or campaign.ids_unknown
        if deadline.goto not in known and header is not None and not unknown:
            what, hint = f"deadline '{deadline.id}'", did_you_mean(deadline.goto, known)
            out.append(DQ103.at(header, "deadlines", i, "goto", what=what, target=deadline.goto, hint=hint))


# ---------------------------------------------------------------------------- variables


def _condition_uses(
    cond: Condition | None, origin: Origin, path: tuple[str | int, ...]
) -> Iterable[tuple[str, str, Origin, tuple[str | int, ...]]]:
    """(variable, operator, origin, path) for each comparison, with the path to its node."""
    if cond is None:
        return
    if cond.flag is not None:
        yield cond.flag, "flag", origin, (*path, "flag")
    if cond.var is not None:
        op = next(a[1] for a in atoms(cond))
        yield cond.var, op, origin, (*path, "var")
    for key, group in (("all", cond.all), ("any", cond.any)):
        for i, c in enumerate(group or ()):
            yield from _condition_uses(c, origin, (*path, key, i))
    if cond.not_ is not None:
        yield from _condition_uses(cond.not_, origin, (*path, "not"))


#: For the language server: every comparison's variable with where it is written, and every text.
condition_uses = _condition_uses


def story_texts(campaign: Campaign) -> Iterator[tuple[str, Origin, tuple[str | int, ...]]]:
    """Every story text that may hold braces: (the text, where its owner was written, the path to it)."""
    return _texts(campaign)


def _check_variables(campaign: Campaign, out: list[Diagnostic]) -> None:
    spec = campaign.header.state
    used: set[str] = set()
    changed: set[str] = set()
    tested: dict[str, tuple[Origin, tuple[str | int, ...]]] = {}
    header = _header_origin(campaign)

    def unknown(name: str, origin: Origin, path: tuple[str | int, ...], key: bool = False) -> None:
        out.append(DQ105.at(origin, *path, key=key, name=name, hint=did_you_mean(name, spec)))

    def check_condition(cond: Condition | None, origin: Origin, path: tuple[str | int, ...]) -> None:
        for name, op, org, p in _condition_uses(cond, origin, path):
            used.add(name)
            tested.setdefault(name, (org, p))
            var = spec.get(name)
            if var is None:
                unknown(name, org, p)
            elif op == "flag" and var.type != "flag":
                out.append(DQ106_COUNTER_TESTED_AS_FLAG.at(org, *p, name=name))
            elif op in ("lt", "lte", "gt", "gte") and var.type == "flag":
                out.append(DQ106_FLAG_COMPARED.at(org, *p, name=name))

    for (sid, j), origin in campaign.choice_origins.items():
        owner = campaign.scenes.get(sid)
        if owner is None or j >= len(owner.choices):
            continue
        choice = owner.choices[j]
        check_condition(choice.requires, origin, ("requires",))
        for k, branch in enumerate(choice.chance or ()):
            check_condition(branch.when, origin, ("chance", k, "when"))
            check_condition(branch.bonus_when, origin, ("chance", k, "bonus_when"))
        for effect in ("set", "add", "clamp"):
            for name, value in getattr(choice, effect).items():
                used.add(name)
                changed.add(name)
                var = spec.get(name)
                if var is None:
                    unknown(name, origin, (effect, name), key=True)
                elif effect in ("add", "clamp") and var.type == "flag":
                    out.append(DQ106.at(origin, effect, name, key=True, name=name))
                elif effect == "set" and (var.type == "flag") != isinstance(value, bool):
                    wrong = DQ106_FLAG_SET_TO_NUMBER if var.type == "flag" else DQ106_COUNTER_SET_TO_FLAG
                    out.append(wrong.at(origin, effect, name, name=name))
    if header is not None:
        for i, deadline in enumerate(campaign.header.deadlines):
            check_condition(deadline.when, header, ("deadlines", i, "when"))
    unchanged = {name for name in spec if name not in changed}
    for text, origin, path in _texts(campaign):
        used.update(template.names(text))
        for problem in template.problems(text, spec, unchanged):
            out.append(problem.at(origin.locate_char(text, problem.offset, *path)))
    if header is not None:
        for name in spec:
            if name not in used:
                out.append(DQ205.at(header, "state", name, key=True, name=name))
        for name, (origin, path) in tested.items():
            if name in spec and name not in changed:
                out.append(DQ204.at(origin, *path, name=name))


def _texts(campaign: Campaign) -> Iterator[tuple[str, Origin, tuple[str | int, ...]]]:
    """Every story text that may hold braces: (the text, where its owner was written, the path to it)."""
    for sid, scene in campaign.scenes.items():
        origin = campaign.origins[sid]
        for name in ("title", "chapter", "text", "handoff"):
            text = getattr(scene, name)
            if text:
                yield text, origin, (name,)
    for eid, ending in campaign.endings.items():
        yield ending.title, campaign.origins[eid], ("title",)
        yield ending.text, campaign.origins[eid], ("text",)
    for (sid, j), origin in campaign.choice_origins.items():
        owner = campaign.scenes.get(sid)
        if owner is None or j >= len(owner.choices):
            continue
        choice = owner.choices[j]
        for name in ("text", "feedback", "locked"):
            text = getattr(choice, name)
            if text:
                yield text, origin, (name,)
        for k, branch in enumerate(choice.chance or ()):
            if branch.text:
                yield branch.text, origin, ("chance", k, "text")
    header = _header_origin(campaign)
    if header is not None:
        for i, deadline in enumerate(campaign.header.deadlines):
            if deadline.text:
                yield deadline.text, header, ("deadlines", i, "text")


# ---------------------------------------------------------------------------- graph


def _check_reachability(campaign: Campaign, out: list[Diagnostic]) -> None:
    reached = reachable(campaign)
    for sid in campaign.scenes:
        if sid not in reached:
            out.append(DQ201.at(campaign.origins[sid], "id", scene=sid))
    for eid in campaign.endings:
        if eid not in reached:
            out.append(DQ202.at(campaign.origins[eid], "id", ending=eid))


def _check_loops(campaign: Campaign, out: list[Diagnostic]) -> None:
    """Loops with no way out: scenes that lead only into each other, never to an ending."""
    for cycle in trapping_loops(campaign):
        shown = " -> ".join(f"'{s}'" for s in [*cycle, cycle[0]])
        out.append(DQ210.at(campaign.origins[cycle[0]], "id", cycle=shown))


def trapping_loops(campaign: Campaign) -> list[list[str]]:
    """Each loop of scenes from which no ending can be reached (ignoring conditions; a deadline for a
    scene's role counts as a way out), as one cycle in the order the scenes lead to each other,
    starting at the scene defined first."""
    deadlines = {
        role: [d.goto for d in campaign.header.deadlines if role in d.roles] for role in ("marketer", "salesperson")
    }

    def onward(sid: str) -> list[str]:
        scene = campaign.scenes[sid]
        return [
            n
            for n in (*successors(campaign, sid), *deadlines[scene.role])
            if n in campaign.scenes or n in campaign.endings
        ]

    # The scenes that can reach an ending, working back from the endings.
    back: dict[str, set[str]] = {}
    for sid in campaign.scenes:
        for nxt in onward(sid):
            back.setdefault(nxt, set()).add(sid)
    free = set(campaign.endings)
    queue = deque(campaign.endings)
    while queue:
        for prev in back.get(queue.popleft(), ()):
            if prev not in free:
                free.add(prev)
                queue.append(prev)
    trapped = [sid for sid in campaign.scenes if sid not in free]
    loops: list[list[str]] = []
    done: set[str] = set()
    for sid in trapped:
        if sid in done:
            continue
        # Follow the first way on from sid until a scene repeats: that repeat closes a cycle.
        path: list[str] = []
        at: dict[str, int] = {}
        node: str | None = sid
        while node is not None and node not in at and node not in done:
            at[node] = len(path)
            path.append(node)
            node = next((n for n in onward(node) if n in campaign.scenes), None)
        done.update(path)
        if node is not None and node in at:
            cycle = path[at[node] :]
            first = min(range(len(cycle)), key=lambda i: list(campaign.scenes).index(cycle[i]))
            loops.append(cycle[first:] + cycle[:first])
    return loops


def successors(campaign: Campaign, scene_id: str) -> list[str]:
    scene = campaign.scenes.get(scene_id)
    if scene is None:
        return []
    out: list[str] = []
    for choice in scene.choices:
        if choice.goto is not None:
            out.append(choice.goto)
        out.extend(b.goto for b in choice.chance or ())
    return out


def reachable(campaign: Campaign) -> set[str]:
    """Scenes and endings reachable from the start, ignoring conditions (an over-estimate)."""
    start = campaign.header.start
    if start not in campaign.scenes:
        return set()
    seen = {start}
    queue = deque([start])
    roles_reached: set[str] = set()
    while queue:
        node = queue.popleft()
        scene = campaign.scenes.get(node)
        if scene is not None:
            roles_reached.add(scene.role)
        for nxt in successors(campaign, node):
            if nxt not in seen and (nxt in campaign.scenes or nxt in campaign.endings):
                seen.add(nxt)
                queue.append(nxt)
        if not queue:
            for deadline in campaign.header.deadlines:
                target = deadline.goto
                if (
                    target not in seen
                    and roles_reached & set(deadline.roles)
                    and (target in campaign.scenes or target in campaign.endings)
                ):
                    seen.add(target)
                    queue.append(target)
    return seen


def _candidate_values(name: str, var: Variable | None, limits: set[int | bool | None]) -> list[int | bool]:
    if var is None or var.type == "flag":
        return [False, True]
    values: set[int] = {int(var.initial)}
    for lim in limits:
        if lim is None or isinstance(lim, bool):
            continue
        values.update((lim - 1, lim, lim + 1))
    if var.min is not None:
        values = {v for v in values if v >= var.min} | {var.min}
    if var.max is not None:
        values = {v for v in values if v <= var.max} | {var.max}
    return sorted(values)


def value_combinations(
    conditions: Iterable[Condition | None], spec: dict[str, Variable]
) -> Iterator[dict[str, int | bool]] | None:
    """Every combination of the values that matter to the conditions (each side of each comparison,
    within the declared range), or None when there are too many to try."""
    names: dict[str, set[int | bool | None]] = {}
    for cond in conditions:
        for name, _, value in atoms(cond):
            names.setdefault(name, set()).add(value)
    domains = [_candidate_values(n, spec.get(n), lims) for n, lims in names.items()]
    total = 1
    for d in domains:
        total *= len(d)
    if total > MAX_COMBINATIONS:
        return None
    return (dict(zip(names, combo, strict=True)) for combo in itertools.product(*domains))


def all_can_fail(conditions: list[Condition], spec: dict[str, Variable]) -> dict[str, int | bool] | None:
    """A state in which every condition fails, if one exists among the values that matter."""
    combos = value_combinations(conditions, spec)
    if combos is None:
        return None  # too many to try: stay quiet rather than guess
    for values in combos:
        if not any(holds(c, values) for c in conditions):
            return values
    return None


def _check_dead_ends(campaign: Campaign, out: list[Diagnostic]) -> None:
    spec = dict(campaign.header.state)
    for sid, scene in campaign.scenes.items():
        requires = [c.requires for c in scene.choices]
        if any(r is None for r in requires):
            continue
        example = all_can_fail([r for r in requires if r is not None], spec)
        if example is not None:
            shown = ", ".join(f"{k}={str(v).lower()}" for k, v in sorted(example.items()))
            out.append(DQ203.at(campaign.origins[sid], "choices", scene=sid, values=shown))
    for (sid, j), origin in campaign.choice_origins.items():
        owner = campaign.scenes.get(sid)
        if owner is None or j >= len(owner.choices) or not owner.choices[j].chance:
            continue
        branches = owner.choices[j].chance or []
        if all(b.weight + b.bonus == 0 for b in branches):
            out.append(DQ206_ZERO_WEIGHT.at(origin, "chance", choice=j + 1, scene=sid))
            continue
        # A branch counts while its `when` holds and it has a weight, its own or its bonus's.
        counts: list[Condition] = []
        for branch in branches:
            parts = [branch.when] if branch.when is not None else []
            if branch.weight == 0:
                if not (branch.bonus > 0 and branch.bonus_when is not None):
                    continue  # it never counts
                parts.append(branch.bonus_when)
            if not parts:
                break  # this one always counts
            counts.append(parts[0] if len(parts) == 1 else Condition(all=parts))
        else:
            example = all_can_fail(counts, spec) if counts else None
            if example is not None:
                shown = ", ".join(f"{k}={str(v).lower()}" for k, v in sorted(example.items()))
                out.append(DQ206.at(origin, "chance", choice=j + 1, scene=sid, values=shown))


def _check_feedback(campaign: Campaign, out: list[Diagnostic]) -> None:
    for (sid, j), origin in campaign.choice_origins.items():
        scene = campaign.scenes.get(sid)
        if scene is None or j >= len(scene.choices):
            continue
        if len(scene.choices[j].feedback.strip()) < SHORT_FEEDBACK:
            out.append(DQ207.at(origin, "feedback", choice=j + 1, scene=sid))


# ---------------------------------------------------------------------------- conduct


def read_variables(campaign: Campaign) -> set[str]:
    """Every variable something reads: a condition anywhere, or a text that shows or tests it."""
    read: set[str] = set()

    def conditions(cond: Condition | None) -> None:
        read.update(name for name, _, _ in atoms(cond))

    def texts(*values: str | None) -> None:
        for value in values:
            read.update(template.names(value))

    for deadline in campaign.header.deadlines:
        conditions(deadline.when)
        texts(deadline.text)
    for scene in campaign.scenes.values():
        texts(scene.title, scene.text, scene.chapter, scene.handoff)
        for choice in scene.choices:
            conditions(choice.requires)
            texts(choice.text, choice.feedback, choice.locked)
            for branch in choice.chance or ():
                conditions(branch.when)
                conditions(branch.bonus_when)
                texts(branch.text, branch.label)
    for ending in campaign.endings.values():
        texts(ending.title, ending.text)
    return read


def _targets_of(choice: Choice) -> set[str]:
    return {choice.goto} if choice.goto else {b.goto for b in choice.chance or ()}


def _check_breaches(campaign: Campaign, out: list[Diagnostic]) -> None:
    """A breach of conduct must change the story: state something reads, or a place of its own."""
    read: set[str] | None = None
    for (sid, j), origin in campaign.choice_origins.items():
        scene = campaign.scenes.get(sid)
        if scene is None or j >= len(scene.choices) or not scene.choices[j].breach:
            continue
        choice = scene.choices[j]
        if read is None:
            read = read_variables(campaign)
        if read & {*choice.set, *choice.add, *choice.clamp}:
            continue
        others = set().union(*(_targets_of(c) for k, c in enumerate(scene.choices) if k != j and not c.breach))
        if _targets_of(choice) - others:
            continue
        out.append(DQ209.at(origin, "breach", choice=j + 1, scene=sid))
