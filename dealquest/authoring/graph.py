"""The scene graph as Mermaid or Graphviz DOT: roles on nodes, endings set apart, labelled edges."""

from __future__ import annotations

from dealquest.play import engine
from dealquest.story.campaign import Campaign
from dealquest.story.checks import successors, value_combinations
from dealquest.story.conditions import apply_effects, atoms, describe, holds
from dealquest.story.model import Choice, Deadline
from dealquest.story.text import clean

ROLE_MARK = {"marketer": "MKT", "salesperson": "SALES"}
_MERMAID_RESERVED = {"end", "graph", "subgraph", "style", "class", "classDef", "click", "default", "flowchart"}


def _edges(campaign: Campaign) -> list[tuple[str, str, str]]:
    """(from, to, label) for every choice and chance branch."""
    out: list[tuple[str, str, str]] = []
    for sid, scene in campaign.scenes.items():
        for i, choice in enumerate(scene.choices):
            base = _choice_label(i, choice)
            if choice.goto is not None:
                out.append((sid, choice.goto, base))
            branches = choice.chance or []
            odds = _branch_odds(campaign, choice)
            for b, shown in zip(branches, odds, strict=True):
                extra = shown
                if b.bonus and b.bonus_when is not None:
                    extra += f", more if {describe(b.bonus_when)}"
                if b.when is not None:
                    extra += f", if {describe(b.when)}"
                out.append((sid, b.goto, f"{base} ({extra})"))
    return out


def _branch_odds(campaign: Campaign, choice: Choice) -> list[str]:
    """Each branch's chance as the engine draws it, while the branch is switched on: one figure, or
    the range over the values its conditions and bonuses read ("40-67%"); "never" when it never is."""
    branches = choice.chance or []
    spec = campaign.header.state
    conditions = [c for b in branches for c in (b.when, b.bonus_when)]
    combos = value_combinations(conditions, dict(spec))
    if combos is None:  # too many to try: the weights as written
        total = sum(b.weight for b in branches) or 1.0
        return [f"{b.weight / total:.0%}" for b in branches]
    low = [2.0] * len(branches)
    high = [-1.0] * len(branches)
    initial = {name: var.initial for name, var in spec.items()}
    for combo in combos:
        values = {**initial, **combo}
        apply_effects(choice, values, spec)
        weights = engine.branch_weights(choice, values)
        total = sum(weights)
        for k, b in enumerate(branches):
            if total > 0 and holds(b.when, values):
                share = weights[k] / total
                low[k], high[k] = min(low[k], share), max(high[k], share)
    shown = []
    for lo, hi in zip(low, high, strict=True):
        if hi < 0:
            shown.append("never")
        elif f"{lo:.0%}" == f"{hi:.0%}":
            shown.append(f"{hi:.0%}")
        else:
            shown.append(f"{lo * 100:.0f}-{hi:.0%}")
    return shown


def deadline_triggers(campaign: Campaign, deadline: Deadline) -> list[str]:
    """The scenes after whose choices a deadline can fire. The engine tests it after every choice of
    its roles, so it fires after the first such choice once its condition holds: in a scene of its
    roles with a choice that changes a variable the condition reads, or in the next scene of its
    roles after the condition came to hold at the start or through another role's choice."""
    read = {name for name, _, _ in atoms(deadline.when)}

    def changes(sid: str) -> bool:
        return any(read & {*(c.set or {}), *(c.add or {}), *(c.clamp or {})} for c in campaign.scenes[sid].choices)

    out = {sid for sid, scene in campaign.scenes.items() if scene.role in deadline.roles and changes(sid)}
    waiting = [
        s
        for sid, scene in campaign.scenes.items()
        if scene.role not in deadline.roles and changes(sid)
        for s in successors(campaign, sid)
    ]
    if holds(deadline.when, engine.new_game(campaign, 1).vars):
        waiting.append(campaign.header.start)
    seen: set[str] = set()
    while waiting:  # on to the next scene of the deadline's roles, through the others
        sid = waiting.pop()
        if sid in seen or sid not in campaign.scenes:
            continue
        seen.add(sid)
        if campaign.scenes[sid].role in deadline.roles:
            out.add(sid)
        else:
            waiting.extend(successors(campaign, sid))
    return [sid for sid in campaign.scenes if sid in out]


def _choice_label(i: int, choice: Choice) -> str:
    label = str(i + 1)
    if choice.requires is not None:
        label += f" [{describe(choice.requires)}]"
    return label


def mermaid(campaign: Campaign) -> str:
    def nid(name: str) -> str:
        return name + "_" if name in _MERMAID_RESERVED else name

    def text(s: str) -> str:
        return clean(s, line=True).replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")

    lines = ["flowchart TD", f"  %% {text(campaign.title)} (version {campaign.version})"]
    for sid, scene in campaign.scenes.items():
        lines.append(
            f'  {nid(sid)}["{ROLE_MARK[scene.role]}: {text(scene.title)}<br/><small>{sid}</small>"]:::{scene.role}'
        )
    for eid, ending in campaign.endings.items():
        lines.append(
            f'  {nid(eid)}(["END {ending.outcome}: {text(ending.title)}<br/><small>{eid}</small>"]):::{ending.outcome}'
        )
    for a, b, label in _edges(campaign):
        lines.append(f'  {nid(a)} -->|"{text(label)}"| {nid(b)}')
    for deadline in campaign.header.deadlines:
        node = f"deadline_{deadline.id}"
        when = text(describe(deadline.when))
        lines.append(f'  {node}{{{{"deadline {text(deadline.id)}: {when}"}}}} -.-> {nid(deadline.goto)}')
        for sid in deadline_triggers(campaign, deadline):
            lines.append(f'  {nid(sid)} -.->|"when {when}"| {node}')
    start = campaign.header.start
    lines += [
        f"  style {nid(start)} stroke-width:4px",
        "  classDef marketer fill:#dbeafe,stroke:#1d4ed8,color:#111",
        "  classDef salesperson fill:#fde68a,stroke:#b45309,color:#111",
        "  classDef success fill:#bbf7d0,stroke:#15803d,color:#111",
        "  classDef partial fill:#e5e7eb,stroke:#4b5563,color:#111",
        "  classDef failure fill:#fecaca,stroke:#b91c1c,color:#111",
    ]
    return "\n".join(lines) + "\n"


def dot(campaign: Campaign) -> str:
    def q(s: str) -> str:
        return '"' + clean(s, line=True).replace("\\", "\\\\").replace('"', '\\"') + '"'

    colours = {
        "marketer": "#dbeafe",
        "salesperson": "#fde68a",
        "success": "#bbf7d0",
        "partial": "#e5e7eb",
        "failure": "#fecaca",
    }
    lines = [
        f"digraph {q(campaign.id)} {{",
        f"  label={q(campaign.title)};",
        "  rankdir=TB;",
        '  node [style=filled, fontname="Helvetica"];',
    ]
    for sid, scene in campaign.scenes.items():
        pen = ", penwidth=3" if sid == campaign.header.start else ""
        lines.append(
            f"  {q(sid)} [shape=box, fillcolor={q(colours[scene.role])}, "
            f"label={q(f'{ROLE_MARK[scene.role]}: {scene.title}')}{pen}];"
        )
    lines.append('  subgraph cluster_endings { label="Endings"; style=dashed;')
    for eid, ending in campaign.endings.items():
        lines.append(
            f"    {q(eid)} [shape=doubleoctagon, fillcolor={q(colours[ending.outcome])}, "
            f"label={q(f'END {ending.outcome}: {ending.title}')}];"
        )
    lines.append("  }")
    for a, b, label in _edges(campaign):
        lines.append(f"  {q(a)} -> {q(b)} [label={q(label)}];")
    for deadline in campaign.header.deadlines:
        node = f"deadline:{deadline.id}"
        lines.append(f"  {q(node)} [shape=hexagon, label={q('deadline: ' + describe(deadline.when))}];")
        lines.append(f"  {q(node)} -> {q(deadline.goto)} [style=dashed];")
        for sid in deadline_triggers(campaign, deadline):
            lines.append(f"  {q(sid)} -> {q(node)} [style=dashed, label={q('when ' + describe(deadline.when))}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
