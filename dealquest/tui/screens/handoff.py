"""The handoff modal: shown when the role switches, around the handoff card."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button

from ...engine import GameState
from ...loader import Campaign
from ...model import Role
from ..widgets.handoff_card import HandoffCard
from ..widgets.role_banner import role_tag


class HandoffScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "close", "Continue", priority=True),
        Binding("space", "close", "Continue", show=False),
        Binding("escape", "close", "Continue", show=False),
    ]

    def __init__(self, campaign: Campaign, state: GameState, to: Role, message: str | None) -> None:
        super().__init__()
        self.campaign = campaign
        self.state = state
        self.to = to
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="handoff-dialog", classes="dialog"):
            with VerticalScroll(id="handoff-body"):
                yield HandoffCard(self.campaign, self.state, self.to, self.message)
            yield Button(f"Play as {role_tag(self.to)} (Enter)", id="go-on", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#go-on", Button).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)
