"""One scored axis as a gauge: its name, a bar for the score from 0 to 100%, the figure and a detail line."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import ProgressBar, Static


class Gauge(Vertical):
    """A labelled ProgressBar; `None` shows an empty bar and a dash, not a misleading 0%."""

    def __init__(self, label: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.label = label

    def compose(self) -> ComposeResult:
        with Horizontal(classes="gauge-row"):
            yield Static(Content(self.label), classes="gauge-label")
            yield ProgressBar(total=100, show_percentage=False, show_eta=False, classes="gauge-bar")
            yield Static(Content("–"), classes="gauge-value")
        yield Static(classes="gauge-detail")

    def set(self, value: float | None, detail: str = "") -> None:
        """Show a score in [0, 1] (or None when nothing has scored it yet) and a line about it."""
        bar = self.query_one(ProgressBar)
        bar.update(progress=0 if value is None else round(100 * value))
        figure = "–" if value is None else f"{value:.0%}"
        self.query_one(".gauge-value", Static).update(Content(figure))
        line = self.query_one(".gauge-detail", Static)
        line.update(Content(detail))
        line.display = bool(detail)
        self.set_class(value is None, "-unscored")
