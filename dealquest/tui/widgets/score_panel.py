"""The score panel: the three axes for each role as gauges against the rubric's targets."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from ...model import AXES, ROLES, Axis, Role, Rubric
from ...scoring import AXIS_LABEL, RoleScore, Scorecard
from .gauge import Gauge
from .role_banner import role_tag


def axis_detail(axis: Axis, score: RoleScore) -> str:
    """What the gauge measures against, where it needs saying: the push/pull mix and its target."""
    if axis != "push_pull":
        return ""
    if score.push_share is None:
        return f"target {score.target_share:.0%} push"
    return f"{score.push_share:.0%} push, target {score.target_share:.0%}"


class RoleScores(Vertical):
    """One role's three gauges."""

    def __init__(self, role: Role) -> None:
        super().__init__(id=f"scores-{role}", classes=f"role-scores -{role}")
        self.role = role

    def compose(self) -> ComposeResult:
        yield Static(Content(role_tag(self.role)), classes="role-scores-title")
        for axis in AXES:
            yield Gauge(AXIS_LABEL[axis], id=f"gauge-{self.role}-{axis}")

    def show(self, score: RoleScore, current: bool) -> None:
        self.set_class(current, "-current")
        title = role_tag(self.role) + ("  ◀ you" if current else "")
        self.query_one(".role-scores-title", Static).update(Content(title))
        for axis in AXES:
            self.query_one(f"#gauge-{self.role}-{axis}", Gauge).set(score.axes[axis], axis_detail(axis, score))


class ScorePanel(Vertical):
    """Both roles' gauges and the grade the run would get now."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Score"

    def compose(self) -> ComposeResult:
        for role in ROLES:
            yield RoleScores(role)
        yield Static(id="grade-now")

    def show(self, card: Scorecard, current: Role | None, rubric: Rubric) -> None:
        for role in ROLES:
            self.query_one(f"#scores-{role}", RoleScores).show(card.roles[role], role == current)
        decided = sum(rs.decisions for rs in card.roles.values())
        grade = (
            Content("Grade so far: –")
            if decided == 0
            else Content.assemble("Grade so far: ", (f"{card.grade}", "bold"), f" ({card.percent:.0f}%)")
        )
        self.query_one("#grade-now", Static).update(grade)
