"""The scoring rules: how one choice is marked, what its verdict is, and how a run becomes a grade.

Every choice gets a mark from -2 to +2 on each axis it touches:
- push/pull: whether its technique suits this role at this moment (research and listening, technique
  `none`, are not a technique and get no mark);
- audience: whether whom it addresses is whom this role should address now;
- closing: movement toward a decision on the role's horizon (condemned pressure never above zero).
An axis score is the mean of that axis's marks over the choices made, on the same -2..+2 scale, so a
gauge can never move against what the feedback said about the choice. The grade judges decisions
alone: chance and the ending are reported beside it, never inside it. The numbers come from the
campaign's rubric; this module is the one place that says what they mean.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from dealquest.story.model import (
    AXES,
    ROLES,
    SCORE_MAX,
    SCORE_MIN,
    Addressee,
    Axis,
    Choice,
    Move,
    Outcome,
    Role,
    Rubric,
    Scene,
    Technique,
)

ROLE_LABEL: dict[Role, str] = {"marketer": "Marketer", "salesperson": "Salesperson"}
AXIS_LABEL: dict[Axis, str] = {"push_pull": "Push/pull", "audience": "Audience", "closing": "Closing"}

#: The push/pull mark of each technique when neither the choice nor the rubric gives one: sales
#: mostly pushes (pull is not wrong, just rarer); marketing uses both.
DEFAULT_TECHNIQUE_MARKS: dict[Role, dict[Move, int]] = {
    "salesperson": {"push": 1, "blend": 1, "pull": 0},
    "marketer": {"push": 1, "pull": 1, "blend": 1},
}
#: The audience mark of each addressee when neither the choice, the scene nor the rubric gives one:
#: salespeople talk to individuals and small groups; marketers to segments and the wider market,
#: and they brief their own sales team; they do not contact customers one by one.
DEFAULT_ADDRESSEE_MARKS: dict[Role, dict[Addressee, int]] = {
    "salesperson": {"one": 2, "group": 2, "committee": 1, "team": 0, "segment": -1, "market": -2},
    "marketer": {"segment": 2, "team": 2, "market": 1, "group": 0, "committee": -1, "one": -2},
}
BREACH_LABEL = "Breach of conduct"


@dataclass(frozen=True, slots=True)
class Marks:
    """One choice's marks on the three axes (None: the axis does not apply to this choice)."""

    push_pull: float | None
    audience: float
    closing: float

    def of(self, axis: Axis) -> float | None:
        return self.push_pull if axis == "push_pull" else self.audience if axis == "audience" else self.closing


def technique_mark(technique: Technique, role: Role, rubric: Rubric) -> int | None:
    """The rubric's push/pull mark of a technique for a role (None for `none`)."""
    if technique == "none":
        return None
    own = getattr(rubric, role).techniques.get(technique)
    return own if own is not None else DEFAULT_TECHNIQUE_MARKS[role][technique]


def addressee_mark(addresses: Addressee, role: Role, scene: Scene | None, rubric: Rubric) -> int:
    """The audience mark of an addressee for a role: the scene's, else the rubric's, else the default."""
    if scene is not None and addresses in scene.addressees:
        return scene.addressees[addresses]
    own = getattr(rubric, role).addressees.get(addresses)
    return own if own is not None else DEFAULT_ADDRESSEE_MARKS[role][addresses]


def closing_mark(choice: Choice, rubric: Rubric) -> float:
    """Closing after the audience rule (pressure over what this audience takes backfires) and the
    pressure rule (pressure the story condemns never scores above zero)."""
    closing = float(choice.closing)
    ceiling = rubric.closing_ceiling.get(choice.addresses) if choice.addresses else None
    if ceiling is not None and closing > ceiling:
        closing = max(float(SCORE_MIN), ceiling - rubric.backfire * (closing - ceiling))
    if choice.pressure:
        closing = min(closing, 0.0)
    return closing


def marks(choice: Choice, scene: Scene, rubric: Rubric) -> Marks:
    """The marks of one choice in its scene. A breach of conduct takes the lowest mark on every axis."""
    if choice.push_pull is not None:
        push_pull: float | None = float(choice.push_pull)
    else:
        tm = technique_mark(choice.technique, scene.role, rubric)
        push_pull = None if tm is None else float(tm)
    if choice.audience is not None:
        audience = float(choice.audience)
    else:
        assert choice.addresses is not None  # the model asks for one of the two
        audience = float(addressee_mark(choice.addresses, scene.role, scene, rubric))
    if choice.breach:
        low = float(SCORE_MIN)
        return Marks(None if push_pull is None else low, low, low)
    return Marks(push_pull, audience, closing_mark(choice, rubric))


def value(m: Marks, rubric: Rubric) -> float:
    """A choice's own worth, -2 to +2: the weighted mean of the marks it has."""
    w = rubric.weights
    total = weight = 0.0
    for axis in AXES:
        mark = m.of(axis)
        if mark is not None:
            total += getattr(w, axis) * mark
            weight += getattr(w, axis)
    return round(total / weight, 4) if weight else 0.0


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the feedback calls a choice, and whether it counts as good."""

    label: str
    good: bool
    #: why the verdict is lower than the mean alone would give, in the player's words; "" when not
    why: str = ""


def verdict(m: Marks, worth: float, rubric: Rubric, breach: str | None = None, pressure: bool = False) -> Verdict:
    """The verdict of a choice: the rubric's word for its value, never "good" when any mark is at or
    below the rubric's `cap_below`, when it applies pressure the story condemns, or when it breaches."""
    if breach:
        return Verdict(BREACH_LABEL, False, breach)
    bands = rubric.verdicts
    worth = shown_mark(worth)  # the word agrees with the figure shown beside it
    band = next((b for b in bands if worth >= b.min - 1e-9), bands[-1])
    low = [AXIS_LABEL[a].lower() for a in AXES if (x := m.of(a)) is not None and x <= rubric.cap_below]
    why = ""
    if band.good and low:
        why = f"{' and '.join(low)} marked {format_mark(min(m.of(a) or 0 for a in AXES))}"
    elif band.good and pressure:
        why = "pressure the customer did not ask for"
    if why:
        band = next((b for b in bands if not b.good and worth >= b.min - 1e-9), bands[-1])
    return Verdict(band.label, band.good, why)


def shown_mark(x: float) -> float:
    """A mark or value as `format_mark` shows it (one decimal); verdicts are decided on this figure."""
    return round(x, 1)


def shown_percent(percent: float) -> float:
    """A grade's percentage as every screen and report shows it (`f"{p:.0f}%"`); the grade band is
    decided on this figure, so "B (87%)" under "A from 87%" cannot be shown."""
    return float(f"{percent:.0f}")


def format_mark(x: float | None) -> str:
    """A mark or an axis score on the one scale shown everywhere: +2, +1.3, 0, -0.7 ("–" for none)."""
    if x is None:
        return "–"
    r = shown_mark(x)
    if r == 0:
        return "0"
    if r == int(r):
        return f"{int(r):+d}"
    return f"{r:+.1f}"


def gauge(x: float | None) -> float:
    """Where a score on the -2..+2 scale sits along a gauge, from 0 to 1 (0.5 when not scored)."""
    if x is None:
        return 0.5
    return (x - SCORE_MIN) / (SCORE_MAX - SCORE_MIN)


class Scored(Protocol):
    """What scoring needs of a decision (the engine's Decision has these fields)."""

    @property
    def role(self) -> Role: ...
    @property
    def technique(self) -> Technique: ...
    @property
    def push_pull(self) -> float | None: ...
    @property
    def audience(self) -> float: ...
    @property
    def closing(self) -> float: ...


@dataclass(frozen=True)
class Tally:
    """The running sums a role's scores are made from; cheap to keep and to compare."""

    push: int = 0
    pull: int = 0
    blend: int = 0
    push_pull: float = 0.0
    push_pull_n: int = 0
    audience: float = 0.0
    audience_n: int = 0
    closing: float = 0.0
    decisions: int = 0

    def add(self, technique: Technique, push_pull: float | None, audience: float | None, closing: float) -> Tally:
        return Tally(
            self.push + (technique == "push"),
            self.pull + (technique == "pull"),
            self.blend + (technique == "blend"),
            self.push_pull + (push_pull or 0.0),
            self.push_pull_n + (push_pull is not None),
            self.audience + (audience or 0.0),
            self.audience_n + (audience is not None),
            self.closing + closing,
            self.decisions + 1,
        )

    def mean(self, axis: Axis) -> float | None:
        total, n = {
            "push_pull": (self.push_pull, self.push_pull_n),
            "audience": (self.audience, self.audience_n),
            "closing": (self.closing, self.decisions),
        }[axis]
        return total / n if n else None


def tally(role: Role, decisions: Iterable[Scored]) -> Tally:
    result = Tally()
    for d in decisions:
        if d.role == role:
            result = result.add(d.technique, d.push_pull, d.audience, d.closing)
    return result


@dataclass(frozen=True)
class RoleScore:
    role: Role
    decisions: int
    push: int
    pull: int
    blend: int
    push_share: float | None  # the player's mix, information only; None before any push or pull move
    profile_share: float  # the usual share of push for this role (the rubric's push_share)
    axes: dict[Axis, float | None]  # mean mark, -2..+2; None when no choice was marked on it yet
    marked: dict[Axis, int]  # how many marks each axis mean is made of
    reasons: dict[Axis, str]


@dataclass(frozen=True)
class Scorecard:
    roles: dict[Role, RoleScore]
    outcome: Outcome | None  # reported beside the grade, never inside it
    percent: float
    grade: str
    label: str
    reasons: list[str] = field(default_factory=list)

    def axis(self, role: Role, axis: Axis) -> float | None:
        return self.roles[role].axes[axis]

    def overall(self, axis: Axis) -> float | None:
        """An axis over both roles: the mean of the roles' means that are scored."""
        scored = [v for v in (self.axis(r, axis) for r in ROLES) if v is not None]
        return sum(scored) / len(scored) if scored else None


def role_score(role: Role, t: Tally, rubric: Rubric) -> RoleScore:
    moves = t.push + t.pull + t.blend
    share = (t.push + 0.5 * t.blend) / moves if moves else None
    axes: dict[Axis, float | None] = {a: t.mean(a) for a in AXES}
    marked: dict[Axis, int] = {"push_pull": t.push_pull_n, "audience": t.audience_n, "closing": t.decisions}
    reasons: dict[Axis, str] = {}
    for axis in AXES:
        n = marked[axis]
        plural = "s" if n != 1 else ""
        scale = f"on a scale of {SCORE_MIN} to +{SCORE_MAX}"
        reasons[axis] = (
            f"mean {format_mark(axes[axis])} of {n} mark{plural} {scale}" if n else "no choice marked on it yet"
        )
    return RoleScore(
        role, t.decisions, t.push, t.pull, t.blend, share, getattr(rubric, role).push_share, axes, marked, reasons
    )


def scorecard(decisions: Iterable[Scored], rubric: Rubric, outcome: Outcome | None = None) -> Scorecard:
    """Axis scores per role, the grade percentage, its letter and the reasons behind it."""
    decided = list(decisions)
    return scorecard_of({role: tally(role, decided) for role in ROLES}, rubric, outcome)


def percent_of(mean: float) -> float:
    """A mean mark (-2..+2) as a grade percentage (0..100)."""
    return 100 * (mean - SCORE_MIN) / (SCORE_MAX - SCORE_MIN)


def scorecard_of(tallies: dict[Role, Tally], rubric: Rubric, outcome: Outcome | None = None) -> Scorecard:
    """The scorecard from each role's tally: the grade is the weighted mean of every role's axis
    scores, as a percentage. The outcome is kept beside it."""
    roles = {role: role_score(role, tallies[role], rubric) for role in ROLES}
    w = rubric.weights
    weighted = weight = 0.0
    for rs in roles.values():
        for axis in AXES:
            mean = rs.axes[axis]
            if mean is not None:
                weighted += getattr(w, axis) * mean
                weight += getattr(w, axis)
    percent = percent_of(weighted / weight) if weight else 0.0
    reasons = [
        f"{ROLE_LABEL[r]} {AXIS_LABEL[a].lower()}: {format_mark(rs.axes[a])} ({rs.reasons[a]})"
        for r, rs in roles.items()
        for a in AXES
    ]
    reasons.append("The grade judges the decisions alone; the ending is reported beside it.")
    percent = round(percent, 2)
    band = next(b for b in rubric.grades if shown_percent(percent) >= b.min - 1e-9)
    return Scorecard(roles, outcome, percent, band.grade, band.label, reasons)


def mix_sentence(rs: RoleScore) -> str:
    """The player's push/pull mix for a role next to the role's usual profile: information, not a score."""
    moves = rs.push + rs.pull + rs.blend
    if not moves:
        return f"{ROLE_LABEL[rs.role]}: no push or pull move yet."
    share = rs.push_share or 0.0
    profile = "sales mostly pushes" if rs.role == "salesperson" else "marketing uses both"
    return (
        f"{ROLE_LABEL[rs.role]}: {share:.0%} push ({rs.push} push, {rs.pull} pull, {rs.blend} blend); "
        f"usually about {rs.profile_share:.0%}: {profile}."
    )
