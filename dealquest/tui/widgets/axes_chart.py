"""The three axes over the run: one Sparkline per axis, with the figures it was drawn from."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Sparkline, Static

from dealquest.play.scoring import AXIS_LABEL
from dealquest.story.model import AXES, Axis


def describe_series(values: list[float]) -> str:
    if not values:
        return "no decisions"
    return f"{values[0]:.0%} → {values[-1]:.0%} (low {min(values):.0%}, high {max(values):.0%})"


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
                # Starting the line at 0 anchors the bars: heights compare with nothing scored.
                yield Sparkline([0.0, *values], summary_function=max, classes=f"chart-line -{axis}")
                yield Static(Content(describe_series(values)), classes="chart-figures")
        yield Static(
            Content("Each bar is one decision; the first is the start, at 0. Scores are the mean of both roles."),
            classes="chart-note",
        )
