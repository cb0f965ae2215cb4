"""The scoring rules: how one choice scores, how a run's choices become axis scores, and the grade.

The numbers come from the campaign's rubric; this module is the one place that says what they
mean, so the debrief, the playtest and the reports all show the same figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from dealquest.story.model import AXES, ROLES, SCORE_MAX, SCORE_MIN, Addressee, Axis, Outcome, Role, Rubric, Technique

_PUSH_SHARE: dict[Technique, float | None] = {"push": 1.0, "pull": 0.0, "blend": 0.5, "none": None}

ROLE_LABEL: dict[Role, str] = {"marketer": "Marketer", "salesperson": "Salesperson"}
AXIS_LABEL: dict[Axis, str] = {"push_pull": "Push/pull", "audience": "Audience", "closing": "Closing"}


class Scored(Protocol):
    """What scoring needs of a decision (the engine's Decision has these fields)."""

    @property
    def role(self) -> Role: ...
    @property
    def technique(self) -> Technique: ...
    @property
    def audience(self) -> int: ...
    @property
    def closing(self) -> float: ...


def effective_closing(closing: int, addresses: Addressee | None, rubric: Rubric) -> float:
    """Closing pressure after the audience rule: above the ceiling it backfires."""
    ceiling = rubric.closing_ceiling.get(addresses) if addresses else None
    if ceiling is None or closing <= ceiling:
        return float(closing)
    return max(float(SCORE_MIN), ceiling - rubric.backfire * (closing - ceiling))


def technique_fit(technique: Technique, role: Role, rubric: Rubric) -> float:
    """How well one move's technique matches the role's target mix, from -2 to 2 (none is 0)."""
    share = _PUSH_SHARE[technique]
    if share is None:
        return 0.0
    target: float = getattr(rubric, role).push_share
    return SCORE_MAX * (1 - 2 * abs(share - target))


def decision_value(technique: Technique, role: Role, audience: int, closing: float, rubric: Rubric) -> float:
    """One decision's own worth, from -2 to 2: the weighted mean of its three axis values."""
    w = rubric.weights
    total = w.push_pull + w.audience + w.closing
    if total == 0:
        return 0.0
    fit = technique_fit(technique, role, rubric)
    return (w.push_pull * fit + w.audience * audience + w.closing * closing) / total


def _unit(mean: float) -> float:
    return (mean - SCORE_MIN) / (SCORE_MAX - SCORE_MIN)


@dataclass(frozen=True)
class RoleScore:
    role: Role
    decisions: int
    push: int
    pull: int
    blend: int
    push_share: float | None  # the player's mix; None before any push or pull move
    target_share: float
    axes: dict[Axis, float | None]  # each in [0, 1]; None when nothing scored it yet
    reasons: dict[Axis, str]


@dataclass(frozen=True)
class Scorecard:
    roles: dict[Role, RoleScore]
    outcome: Outcome | None
    percent: float
    grade: str
    label: str
    reasons: list[str] = field(default_factory=list)

    def axis(self, role: Role, axis: Axis) -> float | None:
        return self.roles[role].axes[axis]


@dataclass(frozen=True)
class Tally:
    """The running sums a role's scores are made from; cheap to keep and to compare."""

    push: int = 0
    pull: int = 0
    blend: int = 0
    audience: float = 0.0
    closing: float = 0.0
    decisions: int = 0

    def add(self, technique: Technique, audience: float, closing: float) -> Tally:
        return Tally(
            self.push + (technique == "push"),
            self.pull + (technique == "pull"),
            self.blend + (technique == "blend"),
            self.audience + audience,
            self.closing + closing,
            self.decisions + 1,
        )


def tally(role: Role, decisions: Iterable[Scored]) -> Tally:
    result = Tally()
    for d in decisions:
        if d.role == role:
            result = result.add(d.technique, d.audience, d.closing)
    return result


def role_score(role: Role, t: Tally, rubric: Rubric) -> RoleScore:
    target = getattr(rubric, role).push_share
    moves = t.push + t.pull + t.blend
    axes: dict[Axis, float | None] = {}
    reasons: dict[Axis, str] = {}
    share: float | None = None
    if moves:
        share = (t.push + 0.5 * t.blend) / moves
        axes["push_pull"] = max(0.0, 1 - abs(share - target) / rubric.mix_tolerance)
        reasons["push_pull"] = (
            f"{share:.0%} push ({t.push} push, {t.pull} pull, {t.blend} blend) against a target of {target:.0%}"
        )
    else:
        axes["push_pull"] = None
        reasons["push_pull"] = "no push or pull move yet"
    sums: tuple[tuple[Axis, float], ...] = (("audience", t.audience), ("closing", t.closing))
    for axis, total in sums:
        if t.decisions:
            mean = total / t.decisions
            axes[axis] = _unit(mean)
            reasons[axis] = f"average {mean:+.2f} on a scale of {SCORE_MIN} to +{SCORE_MAX} over {t.decisions} choices"
        else:
            axes[axis] = None
            reasons[axis] = "no choices yet"
    return RoleScore(role, t.decisions, t.push, t.pull, t.blend, share, target, axes, reasons)


def scorecard(decisions: Iterable[Scored], rubric: Rubric, outcome: Outcome | None = None) -> Scorecard:
    """Axis scores per role, the grade percentage, its letter and the reasons behind it."""
    decided = list(decisions)
    return scorecard_of({role: tally(role, decided) for role in ROLES}, rubric, outcome)


def scorecard_of(tallies: dict[Role, Tally], rubric: Rubric, outcome: Outcome | None = None) -> Scorecard:
    """The scorecard from each role's tally (what `scorecard` computes from the decisions)."""
    roles = {role: role_score(role, tallies[role], rubric) for role in ROLES}
    w = rubric.weights
    weighted = 0.0
    weight = 0.0
    for rs in roles.values():
        for axis in AXES:
            value = rs.axes[axis]
            if value is not None:
                weighted += getattr(w, axis) * value
                weight += getattr(w, axis)
    axis_mean = weighted / weight if weight else 0.0
    axis_block = w.push_pull + w.audience + w.closing
    reasons = [
        f"{ROLE_LABEL[r]} {AXIS_LABEL[a].lower()}: "
        + (f"{rs.axes[a]:.0%}" if rs.axes[a] is not None else "not scored")
        + f" ({rs.reasons[a]})"
        for r, rs in roles.items()
        for a in AXES
    ]
    if outcome is not None and w.outcome > 0:
        value = rubric.outcomes.get(outcome, 0.0)
        percent = 100 * (axis_block * axis_mean + w.outcome * value) / (axis_block + w.outcome)
        reasons.append(
            f"Outcome: {outcome}, worth {value:.0%} and {w.outcome / (axis_block + w.outcome):.0%} of the grade"
        )
    else:
        percent = 100 * axis_mean
    band = next(b for b in rubric.grades if percent >= b.min - 1e-9)
    return Scorecard(roles, outcome, round(percent, 2), band.grade, band.label, reasons)
