"""The floor for the TUI figures: a minimal Textual app, a Static and a Footer.

Run as a script it is started the way `dealquest` is (cold start). Driven under Pilot (turn
latency), `n` replaces the Static's text with the next of `pages`: the same text, page for page,
that DealQuest paints in the turns it is compared with. Nothing else: it is what any Textual app
costs to put that much text on the screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Static

TEXT = "A minimal Textual app"


class FloorApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("n", "next", "Next")]

    def __init__(self, pages: Sequence[str] = ()) -> None:
        super().__init__()
        self.pages = list(pages)
        self.turn = 0
        self.shown = TEXT

    def compose(self) -> ComposeResult:
        yield Static(TEXT, id="text", markup=False)
        yield Footer()

    def action_next(self) -> None:
        """Press n times: show pages[n - 1] (or a numbered line when there are no pages)."""
        self.turn += 1
        self.shown = self.pages[(self.turn - 1) % len(self.pages)] if self.pages else f"{TEXT}: turn {self.turn}"
        self.query_one("#text", Static).update(self.shown)


if __name__ == "__main__":
    FloorApp().run()
