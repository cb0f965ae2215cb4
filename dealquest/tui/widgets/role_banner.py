"""The banner that says whose shoes the player is in: colour, label and icon, readable without colour."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from ...model import Role
from ..safe import clean

ROLE_ICON: dict[Role, str] = {"marketer": "◎", "salesperson": "➤"}
ROLE_NAME: dict[Role, str] = {"marketer": "MARKETER", "salesperson": "SALESPERSON"}
ROLE_MOTTO: dict[Role, str] = {
    "marketer": "reach the wide audience, pull, brief sales",
    "salesperson": "one buyer at a time, push, close",
}


def role_tag(role: Role) -> str:
    """The role as it appears everywhere in text: icon and name."""
    return f"{ROLE_ICON[role]} {ROLE_NAME[role]}"


class RoleBanner(Horizontal):
    """The current role in large letters, the role's aim, and where the player is in the campaign."""

    role: reactive[Role | None] = reactive(None)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._aim = ""
        self._where = ""

    def compose(self) -> ComposeResult:
        yield Static(id="role-tag")
        with Vertical(id="role-text"):
            yield Static(id="role-motto")
            yield Static(id="role-aim")
        yield Static(id="role-where")

    def show(self, role: Role | None, aim: str, where: str) -> None:
        self._aim = clean(aim)
        self._where = clean(where)
        self.role = role
        self.mutate_reactive(RoleBanner.role)

    def watch_role(self, role: Role | None) -> None:
        if not self.is_mounted:
            return
        self.set_class(role == "marketer", "-marketer")
        self.set_class(role == "salesperson", "-salesperson")
        tag = f" {role_tag(role)} " if role else " THE END "
        self.query_one("#role-tag", Static).update(Content(tag))
        motto = f"You are the {role}: {ROLE_MOTTO[role]}" if role else "The run is over"
        self.query_one("#role-motto", Static).update(Content.styled(motto, "bold"))
        aim = Content.assemble(("Aim: ", "italic"), self._aim) if self._aim else Content("")
        self.query_one("#role-aim", Static).update(aim)
        self.query_one("#role-where", Static).update(Content(self._where))

    def on_mount(self) -> None:
        self.watch_role(self.role)
