"""The banner that says whose shoes the player is in: colour, label and icon, readable without colour."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from dealquest.story.model import Role
from dealquest.tui.safe import clean

ROLE_ICON: dict[Role, str] = {"marketer": "◎", "salesperson": "➤"}
ROLE_NAME: dict[Role, str] = {"marketer": "MARKETER", "salesperson": "SALESPERSON"}
ROLE_MOTTO: dict[Role, str] = {
    "marketer": "reach the wide audience, push and pull, brief sales",
    "salesperson": "one buyer at a time, push, close",
}

#: The theme colour of each role, wherever a role is shown in colour.
ROLE_COLOUR: dict[Role, str] = {"marketer": "$primary", "salesperson": "$warning"}


def role_tag(role: Role) -> str:
    """The role as it appears everywhere in text: icon and name."""
    return f"{ROLE_ICON[role]} {ROLE_NAME[role]}"


class RoleBanner(Static):
    """The current role as a coloured tag with its motto, and the role's aim on the line below.

    One Static of two lines that keeps its size: a turn repaints it and never lays out the screen.
    The role's colour is in the text's styles, not a CSS class: a class change restyles the widget
    through the stylesheet, which costs more than the rest of the turn.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.role: Role | None = None
        self.aim = ""
        self._shown: tuple[Role | None, str, int] | None = None

    def show(self, role: Role | None, aim: str) -> None:
        self.role, self.aim = role, aim
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        width = self.content_region.width or self.app.size.width - 2
        if self._shown == (self.role, self.aim, width):
            return
        self._shown = (self.role, self.aim, width)
        role = self.role
        colour = ROLE_COLOUR[role] if role else "$text-muted"
        tag = f" {role_tag(role)} " if role else " THE END "
        # The motto in full where it fits, else without its lead-in, else not at all: never cut short.
        mottos = [f"You are the {role}: {ROLE_MOTTO[role]}", ROLE_MOTTO[role], ""] if role else ["The run is over", ""]
        motto = next(m for m in mottos if len(tag) + 2 + len(m) <= width)
        first = Content.assemble((tag, f"bold reverse {colour}"), "  ", (motto, f"bold {colour}"))
        # The aim is a writer's sentence: cut with an ellipsis on a narrow terminal (Help shows it whole).
        second = Content.assemble(("Aim: ", "italic"), clean(self.aim)) if self.aim else Content("")
        self.update(Content("\n").join([first, second]), layout=False)
