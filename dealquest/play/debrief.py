"""What a run teaches, in data: each decision against the best option on offer, lessons, history.

Built by replaying the run through the engine, so every figure is the engine's own. The game's
debrief screen and journal show this; a plain-text report can print the same thing. The sentences
every front end says alike (the ending, the scale, an empty list, a score) are made here too.
"""

from __future__ import annotations

from dataclasses import dataclass

from dealquest.play import engine
from dealquest.play.engine import Decision, GameState
from dealquest.play.scoring import Scorecard, scorecard
from dealquest.story.campaign import Campaign
from dealquest.story.model import AXES, LESSONS, ROLES, SCORE_MAX, SCORE_MIN, Axis, Ending, Lesson, Outcome, Role, Scene
from dealquest.story.text import clean

LESSON_LABEL: dict[Lesson, str] = {
    "facilitation": "Marketing facilitates sales",
    "aims": "Aims and objectives",
    "audience": "Target customers",
    "horizon": "Short term vs long term",
    "push_pull": "Push and pull",
}

OUTCOME_TEXT: dict[Outcome, str] = {"success": "Success", "partial": "Partial success", "failure": "Failure"}
#: What a score shows before it exists (an axis no choice of the role has touched yet).
NO_SCORE = "–"
#: What 100% and 0% mean on the audience and closing axes.
SCALE_TEXT = f"Audience and closing: 100% means every choice scored +{SCORE_MAX}, 0% means {SCORE_MIN}."
NO_BEST_TEXT = "No decision scored above zero on this run."
NO_WORST_TEXT = "None: you took the strongest option every time."

#: A decision with a value above this (on the -2..+2 scale) counts as a good one.
GOOD_VALUE = 0.0
#: A better option counts as missed when it was worth at least this much more.
MISSED_MARGIN = 0.25


def percent(value: float | None) -> str:
    """A score from 0 to 1 as a whole percentage ("73%"), or NO_SCORE while there is none."""
    return NO_SCORE if value is None else f"{value:.0%}"


def ending_heading(ending: Ending, state: GameState) -> str:
    return f"The end: {clean(engine.text(state, ending.title))}"


def outcome_text(ending: Ending) -> str:
    return f"Outcome: {OUTCOME_TEXT[ending.outcome]}"


def rating(value: float) -> str:
    """A decision's value (-2..+2) in words, as the feedback after a choice says it."""
    if value >= 1.5:
        return "Strong choice"
    if value >= 0.5:
        return "Good choice"
    if value > -0.5:
        return "Middling choice"
    if value > -1.5:
        return "Weak choice"
    return "Poor choice"


@dataclass(frozen=True)
class Option:
    """A choice that was on offer at a decision, with what it would have scored."""

    index: int
    text: str
    value: float
    feedback: str


@dataclass(frozen=True)
class Review:
    """One decision of the run, as the journal and debrief tell it."""

    number: int  # 1-based position in the run
    decision: Decision
    scene_title: str
    chapter: str | None
    handoff: str | None  # the handoff card shown on arriving at this scene by a switch of role
    choice_text: str
    feedback: str
    narration: tuple[str, ...]
    deltas: dict[Axis, float]
    best: Option | None  # the highest-value available option, when it beats the choice made

    @property
    def role(self) -> Role:
        return self.decision.role

    @property
    def value(self) -> float:
        return self.decision.value

    @property
    def missed(self) -> float:
        """How much more the best available option was worth (0 when the best was taken)."""
        return max(0.0, self.best.value - self.value) if self.best else 0.0

    @property
    def good(self) -> bool:
        return self.value > GOOD_VALUE


@dataclass(frozen=True)
class LessonResult:
    lesson: Lesson
    label: str
    good: int
    total: int

    @property
    def count_text(self) -> str:
        """How many of the lesson's choices were good, as " (2 of 3 choices good)"; "" when it never came up."""
        return f" ({self.good} of {self.total} choices good)" if self.total else ""

    @property
    def verdict(self) -> str:
        if self.total == 0:
            return "not met on this path"
        if self.good == self.total:
            return "handled well"
        if self.good == 0:
            return "missed"
        return "mixed"


@dataclass(frozen=True)
class Debrief:
    ending: Ending | None
    scorecard: Scorecard
    reviews: list[Review]
    best: list[Review]
    worst: list[Review]
    lessons: list[LessonResult]
    #: per axis, the run's score after each decision (mean of the roles scored so far), in [0, 1]
    history: dict[Axis, list[float]]
    #: per role and axis, that role's score after each decision (None before its first)
    role_history: dict[Role, dict[Axis, list[float | None]]]

    @property
    def handled_well(self) -> list[LessonResult]:
        return [r for r in self.lessons if r.verdict == "handled well"]


def option_value(campaign: Campaign, scene: Scene, index: int) -> float:
    """What picking a scene's choice would score: the engine's own figure for it."""
    return engine.decision_figures(campaign, scene, index)[1]


def best_option(campaign: Campaign, state: GameState) -> Option | None:
    """The available choice of the current scene with the highest value (the first one on a tie)."""
    node = engine.current(campaign, state)
    if not isinstance(node, Scene):
        return None
    best: Option | None = None
    for view in engine.choices(campaign, state):
        if not view.available:
            continue
        value = option_value(campaign, node, view.index)
        if best is None or value > best.value:
            feedback = engine.text(state, node.choices[view.index].feedback)
            best = Option(view.index, view.text, value, feedback)
    return best


def reviews(campaign: Campaign, state: GameState) -> list[Review]:
    """Every decision of the run, replayed from its seed, with the best option that was on offer."""
    out: list[Review] = []
    now = engine.new_game(campaign, state.seed)
    arrived_by_switch = False
    for number, made in enumerate(state.decisions, start=1):
        node = engine.current(campaign, now)
        assert isinstance(node, Scene)
        best = best_option(campaign, now)
        step = engine.choose(campaign, now, made.choice)
        handoff = engine.text(now, node.handoff) if arrived_by_switch and node.handoff else None
        out.append(
            Review(
                number=number,
                decision=step.decision,
                scene_title=engine.text(now, node.title),
                chapter=engine.text(now, node.chapter) or None,
                handoff=handoff,
                choice_text=engine.text(now, node.choices[made.choice].text),
                feedback=step.feedback,
                narration=step.narration,
                deltas=step.deltas,
                best=best if best is not None and best.value - step.decision.value >= MISSED_MARGIN else None,
            )
        )
        arrived_by_switch = step.role_switched
        now = step.state
    return out


def build(campaign: Campaign, state: GameState, top: int = 3) -> Debrief:
    """The debrief of a run (ended or not): scores, best and worst decisions, lessons, history."""
    done = reviews(campaign, state)
    node = engine.current(campaign, state)
    ending = node if isinstance(node, Ending) else None
    card = engine.score(campaign, state)
    by_value = sorted(done, key=lambda r: (-r.value, r.number))
    best = [r for r in by_value if r.good][:top]
    worst_first = sorted(done, key=lambda r: (r.value - r.missed, r.number))
    worst = [r for r in worst_first if r not in best and (r.missed > 0 or not r.good)][:top]
    lessons: list[LessonResult] = []
    for lesson in LESSONS:
        touched = [r for r in done if lesson in r.decision.lessons]
        lessons.append(LessonResult(lesson, LESSON_LABEL[lesson], sum(r.good for r in touched), len(touched)))
    history, role_history = axis_history(campaign, state)
    return Debrief(ending, card, done, best, worst, lessons, history, role_history)


def axis_history(
    campaign: Campaign, state: GameState
) -> tuple[dict[Axis, list[float]], dict[Role, dict[Axis, list[float | None]]]]:
    """The axis scores after each decision: per role, and the mean over the roles scored so far."""
    combined: dict[Axis, list[float]] = {a: [] for a in AXES}
    per_role: dict[Role, dict[Axis, list[float | None]]] = {r: {a: [] for a in AXES} for r in ROLES}
    for n in range(1, len(state.decisions) + 1):
        card = scorecard(state.decisions[:n], campaign.rubric)
        for axis in AXES:
            values = [card.axis(role, axis) for role in ROLES]
            for role, value in zip(ROLES, values, strict=True):
                per_role[role][axis].append(value)
            scored = [v for v in values if v is not None]
            combined[axis].append(sum(scored) / len(scored) if scored else 0.0)
    return combined, per_role
