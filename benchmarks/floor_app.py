"""The floor for the TUI figures: a minimal Textual app, a Static and a Footer.

Run as a script it is started the way `dealquest` is (cold start); driven under Pilot, `n`
replaces the Static's text (turn latency). Nothing else: it is what any Textual app costs.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Static

TEXT = "A minimal Textual app"


class FloorApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("n", "next", "Next")]

    def __init__(self) -> None:
        super().__init__()
        self.turn = 0

    def compose(self) -> ComposeResult:
        yield Static(TEXT, id="text")
        yield Footer()

    def action_next(self) -> None:
        self.turn += 1
        self.query_one("#text", Static).update(f"{TEXT}: turn {self.turn}")


if __name__ == "__main__":
    FloorApp().run()
