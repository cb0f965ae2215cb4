"""What a run teaches, in data: each decision against the best option on offer, lessons, luck, and
which decisions made the ending what it was.

Built by replaying the run through the engine, so every figure is the engine's own. The game's
debrief screen and journal, `--plain` and the reports show this. The sentences every front end
says alike (the ending, the scale, an empty list, a verdict, the odds) are made here too.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from dealquest.play import engine
from dealquest.play.engine import Chance, Decision, GameState
from dealquest.play.scoring import Scorecard, format_mark, mix_sentence, scorecard
from dealquest.story.campaign import Campaign
from dealquest.story.conditions import Vars, apply_effects, atoms, holds
from dealquest.story.model import (
    AXES,
    LESSONS,
    ROLES,
    SCORE_MAX,
    SCORE_MIN,
    Axis,
    Choice,
    Condition,
    Ending,
    Lesson,
    Outcome,
    Role,
    Scene,
)
from dealquest.story.text import clean, full_stop

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
#: What the numbers mean, said once wherever the scores are shown.
SCALE_TEXT = (
    f"Each axis is the mean of its marks, from {SCORE_MIN} to +{SCORE_MAX}; the grade is their mean as a "
    "percentage and judges the decisions alone."
)
NO_BEST_TEXT = "No choice earned a good verdict on this run."
NO_WORST_TEXT = "None: you took the strongest option every time."

#: A better option counts as missed when it was worth at least this much more (on the -2..+2 scale).
MISSED_MARGIN = 0.25
#: A decision counts as a turning point when it moved the ending's chance by at least this much.
TURNING = 0.05
#: How many states the exact "why this ending" computation may visit before it samples instead.
EXACT_LIMIT = 20_000
SAMPLES = 400


def percent(value: float | None) -> str:
    """A share from 0 to 1 as a whole percentage ("73%"), or NO_SCORE while there is none."""
    return NO_SCORE if value is None else f"{value:.0%}"


def ending_heading(ending: Ending, state: GameState) -> str:
    return f"The end: {clean(engine.text(state, ending.title))}"


def outcome_text(ending: Ending) -> str:
    return f"Outcome: {OUTCOME_TEXT[ending.outcome]} (reported beside the grade, never inside it)"


@dataclass(frozen=True)
class Option:
    """A choice that was on offer at a decision, with what it would have scored."""

    index: int
    text: str
    value: float
    verdict: str
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
    chance: Chance | None
    why: str  # why the verdict is lower than the marks' mean alone would give ("" when it is not)
    best: Option | None  # the highest-value available option, when it beats the choice made

    @property
    def role(self) -> Role:
        return self.decision.role

    @property
    def value(self) -> float:
        return self.decision.value

    @property
    def verdict(self) -> str:
        return self.decision.verdict

    @property
    def missed(self) -> float:
        """How much more the best available option was worth (0 when the best was taken)."""
        return max(0.0, self.best.value - self.value) if self.best else 0.0

    @property
    def good(self) -> bool:
        return self.decision.good

    def marks(self) -> dict[Axis, float | None]:
        return {a: self.decision.mark(a) for a in AXES}


def marks_line(decision: Decision) -> str:
    """A decision's marks as every front end shows them: "Push/pull +1 · Audience +2 · Closing -1"."""
    names = {"push_pull": "Push/pull", "audience": "Audience", "closing": "Closing"}
    return " · ".join(
        f"{names[a]} {format_mark(m)}" if (m := decision.mark(a)) is not None else f"{names[a]} not marked"
        for a in AXES
    )


def verdict_line(decision: Decision, why: str = "") -> str:
    """The verdict and the choice's value: "Good choice (+1.3)", with the reason when it was held down
    (its closing full stop left off: the line goes on, with the scale or the marks)."""
    line = f"{decision.verdict} ({format_mark(decision.value)})"
    why = why.strip().rstrip(".").rstrip()
    if why:
        line += f": {why}"
    return line


def odds_line(branches: tuple[tuple[str, float], ...]) -> str:
    """Odds as the player reads them: "odds: she books 60%, she walks 40%"."""
    return "odds: " + ", ".join(f"{label} {p:.0%}" for label, p in branches)


def odds_lines(chance: Chance | None, good: bool) -> list[str]:
    """What the player is told about the odds after a chance choice, in plain words."""
    if chance is None or len(chance.branches) < 2:
        return []  # a roll with one possible outcome (the others switched off by the state) is no gamble
    lines = [full_stop(f"The {odds_line(chance.branches)}; this time: {chance.branches[chance.taken][0]}")]
    hoped_label, hoped = chance.branches[chance.hoped]
    before = chance.base[chance.hoped]
    if chance.raised_by and abs(hoped - before) >= 0.005:
        which = ", ".join(str(n) for n in chance.raised_by)
        plural = "s" if len(chance.raised_by) > 1 else ""
        direction = "raised" if hoped > before else "lowered"
        lines.append(
            f"Your earlier choice{plural} (decision{plural} {which}) {direction} the odds of “{hoped_label}” "
            f"from {before:.0%} to {hoped:.0%}."
        )
    if chance.luck == "bad" and good:
        lines.append(
            f"Good play, bad luck: this turn had a {1 - chance.odds:.0%} chance of going your way, and it did not. "
            "The grade judges your decision, not the dice."
        )
    elif chance.luck == "bad":
        lines.append(f"Luck did not help either: this turn had a {chance.odds:.0%} chance of going this way.")
    elif chance.luck == "good" and not good:
        lines.append(f"Luck helped: this turn had only a {chance.odds:.0%} chance of going this way.")
    return lines


def weakest_sentence(review: Review) -> str:
    """The run's weakest decision in a sentence (it is always named, even in a strong run)."""
    verdict = verdict_line(review.decision, review.why)  # its reason without a full stop: it goes in brackets
    where = f"{review.number}, {review.scene_title}: “{review.choice_text}” ({verdict})"
    if review.good:
        return f"Even your weakest decision was a good one: {where}."
    return f"Your weakest decision: {where}."


@dataclass(frozen=True)
class LessonResult:
    lesson: Lesson
    label: str
    good: int
    total: int

    @property
    def share(self) -> float | None:
        return self.good / self.total if self.total else None

    @property
    def verdict(self) -> str:
        """The share in honest words."""
        share = self.share
        if share is None:
            return "not met on this path"
        if share >= 0.8:
            return "handled well"
        if share >= 0.5:
            return "mixed"
        if share > 0:
            return "needs work"
        return "missed"

    @property
    def sentence(self) -> str:
        if not self.total:
            return f"{self.label}: not met on this path"
        return f"{self.label}: {self.good} of {self.total} choice{'s' if self.total != 1 else ''} good: {self.verdict}"


@dataclass(frozen=True)
class TurningPoint:
    """A decision that changed the chance of the ending the run reached."""

    number: int
    scene_title: str
    choice_text: str
    made: float  # the chance of this ending after the choice made, with the best play after it
    instead: float | None  # ... had the best available option been taken instead
    best_text: str | None
    locked: tuple[str, ...]  # better options that were locked by an earlier choice, in words

    @property
    def sentence(self) -> str:
        text = full_stop(f"Decision {self.number}, {self.scene_title}: you chose “{self.choice_text}”")
        if self.instead is not None and self.best_text is not None:
            text += (
                f" With “{self.best_text}” instead, this ending would have had a {self.instead:.0%} chance,"
                f" not {self.made:.0%}."
            )
        return " ".join([text, *self.locked])


@dataclass(frozen=True)
class Debrief:
    ending: Ending | None
    scorecard: Scorecard
    reviews: list[Review]
    best: list[Review]
    worst: list[Review]
    weakest: Review | None  # always the run's lowest-valued decision
    turning_points: list[TurningPoint]
    lessons: list[LessonResult]
    mix: list[str]  # the push/pull mix per role next to the role's profile: information, not a score
    #: per axis, the run's score after each decision (mean of the roles scored so far), -2..+2
    history: dict[Axis, list[float]]
    #: per role and axis, that role's score after each decision (None before its first mark)
    role_history: dict[Role, dict[Axis, list[float | None]]]

    @property
    def handled_well(self) -> list[LessonResult]:
        return [r for r in self.lessons if r.verdict == "handled well"]


def option_value(campaign: Campaign, scene: Scene, index: int) -> float:
    """What picking a scene's choice would score: the engine's own figure for it."""
    return engine.decision_figures(campaign, scene, index).value


def best_option(campaign: Campaign, state: GameState) -> Option | None:
    """The available choice of the current scene with the highest value (the first one on a tie)."""
    node = engine.current(campaign, state)
    if not isinstance(node, Scene):
        return None
    best: Option | None = None
    for view in engine.choices(campaign, state):
        if not view.available:
            continue
        figures = engine.decision_figures(campaign, node, view.index)
        if best is None or figures.value > best.value:
            feedback = engine.text(state, node.choices[view.index].feedback)
            best = Option(view.index, view.text, figures.value, figures.verdict.label, feedback)
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
                chance=step.chance,
                why=step.why,
                best=best if best is not None and best.value - step.decision.value >= MISSED_MARGIN else None,
            )
        )
        arrived_by_switch = step.role_switched
        now = step.state
    return out


class _Chances:
    """The chance of reaching one ending from a state when the best available option is always
    taken: exact over every chance branch while the states stay few, sampled beyond that."""

    def __init__(self, campaign: Campaign, ending: str) -> None:
        self.campaign = campaign
        self.ending = ending
        self.memo: dict[tuple[object, ...], float] = {}
        self.exact = True

    def _key(self, state: GameState) -> tuple[object, ...]:
        return (state.scene, tuple(sorted(state.vars.items())), state.fired)

    def of(self, state: GameState) -> float:
        if self.exact:
            try:
                return self._exact(state, 0)
            except _TooMany:
                self.exact = False
                self.memo.clear()
        return self._sampled(state)

    def after(self, state: GameState, index: int) -> float:
        return sum(p * self.of(step.state) for p, step in engine.outcomes(self.campaign, state, index))

    def _exact(self, state: GameState, depth: int) -> float:
        if state.ended or state.scene in self.campaign.endings:
            return 1.0 if state.scene == self.ending else 0.0
        key = self._key(state)
        found = self.memo.get(key)
        if found is not None:
            return found
        if len(self.memo) >= EXACT_LIMIT or depth > 500:
            raise _TooMany
        self.memo[key] = 0.0  # a loop without an ending never reaches it
        best = best_option(self.campaign, state)
        if best is None:
            return 0.0
        total = sum(
            p * self._exact(step.state, depth + 1) for p, step in engine.outcomes(self.campaign, state, best.index)
        )
        self.memo[key] = total
        return total

    def _sampled(self, state: GameState) -> float:
        key = ("sampled", *self._key(state))
        found = self.memo.get(key)
        if found is not None:
            return found
        rng = random.Random(f"{state.seed}:{state.turn}:{state.scene}")
        hits = 0
        for _ in range(SAMPLES):
            now = state.model_copy(update={"seed": rng.randrange(2**31)})
            for _ in range(2_000):
                if now.ended:
                    break
                best = best_option(self.campaign, now)
                if best is None:
                    break
                now = engine.choose(self.campaign, now, best.index).state
            hits += now.scene == self.ending
        self.memo[key] = hits / SAMPLES
        return hits / SAMPLES


class _TooMany(Exception):
    pass


def _touches(choice: Choice) -> set[str]:
    return {*choice.set, *choice.add, *choice.clamp}


def _opens(campaign: Campaign, choice: Choice, requires: Condition | None, values: Vars) -> bool:
    """Whether making `choice` on top of `values` would have met a requirement: its effects applied to a
    copy of the state, then the requirement tested, so `not`, `any` and several limits count as written
    (a choice that sets a flag a requirement forbids does not open it)."""
    trial = dict(values)
    apply_effects(choice, trial, campaign.header.state)
    return holds(requires, trial)


def locked_by_earlier(campaign: Campaign, state: GameState, review_list: list[Review], number: int) -> list[str]:
    """Better options of decision `number` that were locked, each tied to the earlier choice that
    locked it: "“Quote from the case study” was locked (Needs the case study): at decision 3 you
    chose “…”; “…” would have opened it."."""
    review = review_list[number - 1]
    node = campaign.scenes.get(review.decision.scene)
    if node is None:
        return []
    out = []
    for index, choice in enumerate(node.choices):
        if choice.requires is None or index == review.decision.choice:
            continue
        figures = engine.decision_figures(campaign, node, index)
        if figures.value < review.value + MISSED_MARGIN:
            continue
        replay = engine.replay(campaign, state.seed, [d.choice for d in state.decisions[: number - 1]])
        if holds(choice.requires, replay.vars):
            continue  # it was open; not a locked option
        needed = {name for name, _, _ in atoms(choice.requires)}
        hint = f" ({engine.text(replay, choice.locked)})" if choice.locked else ""
        cause, only_by_breach = "", False
        for earlier in reversed(review_list[: number - 1]):
            scene = campaign.scenes.get(earlier.decision.scene)
            if scene is None:
                continue
            made = scene.choices[earlier.decision.choice]
            if needed & _touches(made):
                continue
            openers = [
                c
                for i, c in enumerate(scene.choices)
                if i != earlier.decision.choice and _opens(campaign, c, choice.requires, replay.vars)
            ]
            opener = next((c for c in openers if not c.breach), None)  # a breach is never advice
            only_by_breach = only_by_breach or (opener is None and bool(openers))
            if opener is not None:
                cause = (
                    f": at decision {earlier.number} you chose “{earlier.choice_text}”; "
                    f"“{engine.text(replay, opener.text)}” would have opened it"
                )
                break
        if not cause and only_by_breach:
            continue  # only a breach opens it: not an option an honest player missed
        out.append(full_stop(f"“{engine.text(replay, choice.text)}” was locked{hint}{cause}"))
    return out


def turning_points(campaign: Campaign, state: GameState, review_list: list[Review], top: int = 3) -> list[TurningPoint]:
    """The decisions that most changed the chance of the ending the run reached (at most `top`)."""
    if state.scene not in campaign.endings:
        return []
    chances = _Chances(campaign, state.scene)
    found: list[tuple[float, TurningPoint]] = []
    now = engine.new_game(campaign, state.seed)
    for review in review_list:
        made = review.decision.choice
        best = best_option(campaign, now)
        p_made = chances.after(now, made)
        p_best = chances.after(now, best.index) if best is not None and best.index != made else None
        locked = locked_by_earlier(campaign, state, review_list, review.number)
        # A turning point made this ending likelier than the best option on offer would have.
        effect = p_made - p_best if p_best is not None else 0.0
        if effect >= TURNING or locked:
            # The comparison is said only when it shows a difference (a locked option alone may be why).
            shown = p_best if effect >= TURNING else None
            found.append(
                (
                    max(effect, 0.0) + (0.01 if locked else 0.0),
                    TurningPoint(
                        review.number,
                        review.scene_title,
                        review.choice_text,
                        p_made,
                        shown,
                        best.text if best is not None and shown is not None else None,
                        tuple(locked),
                    ),
                )
            )
        now = engine.choose(campaign, now, made).state
    found.sort(key=lambda item: (-item[0], item[1].number))
    return sorted((tp for _, tp in found[:top]), key=lambda tp: tp.number)


def build(campaign: Campaign, state: GameState, top: int = 3) -> Debrief:
    """The debrief of a run (ended or not): scores, best and worst decisions, turning points, lessons."""
    done = reviews(campaign, state)
    node = engine.current(campaign, state)
    ending = node if isinstance(node, Ending) else None
    card = engine.score(campaign, state)
    by_value = sorted(done, key=lambda r: (-r.value, r.number))
    best = [r for r in by_value if r.good][:top]
    worst_first = sorted(done, key=lambda r: (r.value - r.missed, r.number))
    worst = [r for r in worst_first if r not in best and (r.missed > 0 or not r.good)][:top]
    weakest = min(done, key=lambda r: (r.value, -r.number)) if done else None
    lessons: list[LessonResult] = []
    for lesson in LESSONS:
        touched = [r for r in done if lesson in r.decision.lessons]
        lessons.append(LessonResult(lesson, LESSON_LABEL[lesson], sum(r.good for r in touched), len(touched)))
    history, role_history = axis_history(campaign, state)
    points = turning_points(campaign, state, done) if ending is not None else []
    mix = [mix_sentence(card.roles[role]) for role in ROLES]
    return Debrief(ending, card, done, best, worst, weakest, points, lessons, mix, history, role_history)


def axis_history(
    campaign: Campaign, state: GameState
) -> tuple[dict[Axis, list[float]], dict[Role, dict[Axis, list[float | None]]]]:
    """The axis scores after each decision: per role, and the mean over the roles scored so far."""
    combined: dict[Axis, list[float]] = {a: [] for a in AXES}
    per_role: dict[Role, dict[Axis, list[float | None]]] = {r: {a: [] for a in AXES} for r in ROLES}
    for n in range(1, len(state.decisions) + 1):
        card = scorecard(state.decisions[:n], campaign.rubric)
        for axis in AXES:
            for role in ROLES:
                per_role[role][axis].append(card.axis(role, axis))
            combined[axis].append(card.overall(axis) or 0.0)
    return combined, per_role
