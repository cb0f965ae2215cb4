"""Shown while a choice waits for a busy results store: the game does not go on until it is recorded."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


class RecordingScreen(ModalScreen[None]):
    """A notice with no keys: the choice is being recorded; it closes itself once it is."""

    def compose(self) -> ComposeResult:
        with Vertical(id="recording-dialog", classes="dialog"):
            yield Static(Content.styled("Recording your choice…", "bold"))
            yield Static(
                Content(
                    "The results store is busy: another program is writing to it. Please wait; the game goes on "
                    "as soon as your choice is recorded."
                ),
                id="recording-detail",
            )

    def waited(self, seconds: float) -> None:
        self.query_one("#recording-detail", Static).update(
            Content(
                f"The results store is busy: another program is writing to it ({seconds:.0f} s so far). Please "
                "wait; the game goes on as soon as your choice is recorded."
            )
        )
