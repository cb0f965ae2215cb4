"""The handoff card: what marketing passed to sales, or what sales reported back."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Markdown, Static

from ...engine import GameState, score
from ...loader import Campaign
from ...model import Role
from ...scoring import AXIS_LABEL
from ..safe import clean
from .role_banner import role_tag
from .state_panel import state_lines

HANDOFF_TITLE: dict[Role, str] = {
    "salesperson": "Handoff: marketing passes the deal to sales",
    "marketer": "Report back: sales tells marketing what happened",
}


class HandoffCard(Vertical):
    """The card shown on a switch of role, `to` being the role the player plays next."""

    def __init__(self, campaign: Campaign, state: GameState, to: Role, message: str | None) -> None:
        super().__init__(classes=f"handoff-card -{to}")
        self.campaign = campaign
        self.state = state
        self.to = to
        self.message = message
        self.border_title = HANDOFF_TITLE[to]

    def compose(self) -> ComposeResult:
        came_from: Role = "marketer" if self.to == "salesperson" else "salesperson"
        yield Static(Content(f"{role_tag(came_from)}  ──▶  {role_tag(self.to)}"), classes="handoff-roles")
        default = (
            "Marketing hands its work to sales. Use what it gathered."
            if self.to == "salesperson"
            else "Sales reports back. Marketing adjusts the strategy to what the customers said."
        )
        yield Markdown(clean(self.message or default), classes="handoff-message", open_links=False)
        lines = state_lines(self.campaign, self.state)
        if lines:
            yield Static(Content.styled("What you have now", "bold underline"), classes="handoff-heading")
            yield Static(Content("\n").join(lines), classes="handoff-state")
        card = score(self.campaign, self.state).roles[came_from]
        figures = ", ".join(
            f"{AXIS_LABEL[a].lower()} {v:.0%}" if (v := card.axes[a]) is not None else f"{AXIS_LABEL[a].lower()} –"
            for a in card.axes
        )
        yield Static(Content(f"How the {came_from} did: {figures}"), classes="handoff-score")
