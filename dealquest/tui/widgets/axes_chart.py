"""The three axes over the run: one Sparkline per axis, with the figures it was drawn from."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Sparkline, Static

from dealquest.play.scoring import AXIS_LABEL, format_mark, gauge
from dealquest.story.model import AXES, Axis


def describe_series(values: list[float]) -> str:
    if not values:
        return "no decisions"
    f = format_mark
    return f"{f(values[0])} → {f(values[-1])} (low {f(min(values))}, high {f(max(values))})"


class AxesChart(Vertical):
    """Per axis, the run's score after each decision (both roles averaged), drawn from 0."""

    def __init__(self, history: dict[Axis, list[float]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.history = history
        self.border_title = "The three axes over the run"

    def compose(self) -> ComposeResult:
        for axis in AXES:
            values = self.history.get(axis, [])
            with Horizontal(classes="chart-row"):
                yield Static(Content(AXIS_LABEL[axis]), classes="chart-label")
                # A first bar at the bottom of the scale (-2) anchors the others: heights compare with it.
                line = [0.0, *(gauge(v) for v in values)]
                yield Sparkline(line, summary_function=max, classes=f"chart-line -{axis}")
                yield Static(Content(describe_series(values)), classes="chart-figures")
        yield Static(
            Content("Each bar is one decision; the first marks the bottom of the scale, -2. Both roles averaged."),
            classes="chart-note",
        )
