"""The state that matters to the player: the clocks, the counters and what has been gathered."""

from __future__ import annotations

from textual.content import Content

from dealquest.play.engine import GameState
from dealquest.story.campaign import Campaign
from dealquest.tui.safe import clean


def state_lines(campaign: Campaign, state: GameState, before: dict[str, int | bool] | None = None) -> list[Content]:
    """One line per visible variable: clocks first, then counters, then the flags that are set.

    With `before` (the values before the last choice), a counter that changed shows by how much.
    """
    spec = campaign.header.state
    visible = [(name, var) for name, var in spec.items() if var.show]
    clocks = [(n, v) for n, v in visible if v.type == "counter" and v.clock]
    counters = [(n, v) for n, v in visible if v.type == "counter" and not v.clock]
    flags = [(n, v) for n, v in visible if v.type == "flag" and state.vars.get(n)]
    lines: list[Content] = []
    for name, var in [*clocks, *counters]:
        value = int(state.vars.get(name, 0))
        figure = f"{value}/{var.max}" if var.max is not None and not var.clock else str(value)
        mark = "⏱ " if var.clock else ""
        delta = ""
        if before is not None and name in before:
            diff = value - int(before[name])
            delta = f" ({diff:+d})" if diff else ""
        lines.append(Content.assemble(mark, (figure, "bold"), (delta, "italic"), "  ", clean(var.label or name)))
    if flags:
        lines.append(Content.styled("Gathered:", "bold"))
        lines += [Content.assemble("✓ ", clean(var.label or name)) for name, var in flags]
    return lines
