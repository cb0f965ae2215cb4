"""The story engine: a small API over one state object.

`new_game` starts a run, `choices` lists what the player may pick now, `choose` applies one and
returns the new state with its score event, `scorecard` gives the totals and grade. The state is
an immutable Pydantic model that round-trips through JSON, so saves, undo and replays are free.
The same seed and the same choices always give the same run.
"""

from __future__ import annotations

import random
import secrets
import weakref
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from dealquest.play.scoring import Marks, Scorecard, Verdict, marks, scorecard, value, verdict
from dealquest.story.campaign import Campaign
from dealquest.story.conditions import Vars, apply_effects, atoms, holds
from dealquest.story.model import Axis, Choice, Ending, Lesson, Role, Rubric, Scene, Technique
from dealquest.story.template import render


class EngineError(Exception):
    """A request the engine cannot honour (an unavailable choice, a save that does not fit)."""


class Decision(BaseModel):
    """One choice made, with the marks it got, kept so a debrief never has to guess."""

    model_config = ConfigDict(frozen=True)

    scene: str
    choice: int  # index in the scene's list of choices
    role: Role
    technique: Technique
    push_pull: float | None = None  # the marks, -2..+2 (None: research and listening are no technique)
    audience: float
    closing: float  # after the audience and pressure rules
    value: float  # the weighted mean of the marks
    verdict: str = ""
    good: bool = False
    breach: bool = False
    lessons: tuple[Lesson, ...] = ()
    landed: str  # where the choice led, after chance and deadlines
    odds: float | None = None  # the chance the branch taken had, for a chance choice
    luck: Literal["good", "bad"] | None = None  # how that branch turned out for the player

    def mark(self, axis: Axis) -> float | None:
        return self.push_pull if axis == "push_pull" else self.audience if axis == "audience" else self.closing


class GameState(BaseModel):
    """Everything that changes during a run. Totals are derived from `decisions`."""

    model_config = ConfigDict(frozen=True)

    campaign: str
    version: str
    seed: int
    scene: str
    vars: dict[str, int | bool]
    fired: tuple[str, ...] = ()
    decisions: tuple[Decision, ...] = ()
    ended: bool = False

    @property
    def turn(self) -> int:
        return len(self.decisions)


@dataclass(frozen=True)
class ChoiceView:
    """A choice as the player sees it now."""

    index: int  # in the scene's list of choices; pass it to `choose`
    text: str
    available: bool
    locked: str | None = None
    #: a chance choice whose writer shows the odds before the pick: (what happens, probability) each
    odds: tuple[tuple[str, float], ...] | None = None


@dataclass(frozen=True)
class Chance:
    """The odds of a chance choice as the player is shown them."""

    branches: tuple[tuple[str, float], ...]  # (what happens, probability) for each possible branch
    taken: int  # index into `branches`
    base: tuple[float, ...]  # each branch's probability without the bonuses earlier choices earned
    raised_by: tuple[int, ...]  # 1-based numbers of the earlier decisions that earned a bonus
    luck: Literal["good", "bad"] | None  # of the branch taken
    hoped: int  # the branch a player who chose well hopes for (the first not marked bad luck)

    @property
    def odds(self) -> float:
        return self.branches[self.taken][1]


@dataclass(frozen=True)
class Step:
    """What one choice did: the new state and what to show the player about it."""

    state: GameState
    decision: Decision
    feedback: str
    narration: tuple[str, ...]
    role_switched: bool
    previous: GameState
    rubric: Rubric
    why: str = ""  # why the verdict is lower than the marks' mean alone would give
    #: what the odds are worked out from (campaign, state before, choice, values after its effects,
    #: branch taken), for a chance choice: the odds are shown after some choices, not computed in every step
    chance_of: tuple[Campaign, GameState, Choice, Vars, int] | None = field(default=None, repr=False, compare=False)

    @cached_property
    def chance(self) -> Chance | None:
        """The odds the player had, for a chance choice (None for any other)."""
        return None if self.chance_of is None else _chance(*self.chance_of)

    @property
    def marks(self) -> dict[Axis, float | None]:
        return {
            "push_pull": self.decision.push_pull,
            "audience": self.decision.audience,
            "closing": self.decision.closing,
        }


@dataclass(frozen=True)
class Figures:
    """What a choice scores; it depends on nothing but the choice, its scene and the rubric."""

    marks: Marks
    value: float
    verdict: Verdict
    lessons: tuple[Lesson, ...]


@dataclass
class _Cache:
    """What the engine works out once per campaign and reuses."""

    views: dict[tuple[str, int, bool], ChoiceView] = field(default_factory=dict)
    figures: dict[tuple[str, int], Figures] = field(default_factory=dict)
    decisions: dict[tuple[str, int, str, float | None, str | None], Decision] = field(default_factory=dict)


_CACHES: dict[int, _Cache] = {}


def _cache(campaign: Campaign) -> _Cache:
    found = _CACHES.get(id(campaign))
    if found is None:
        found = _CACHES[id(campaign)] = _Cache()
        weakref.finalize(campaign, _CACHES.pop, id(campaign), None)
    return found


def new_game(campaign: Campaign, seed: int | None = None) -> GameState:
    if seed is None:
        seed = secrets.randbelow(2**31)
    values = {name: var.initial for name, var in campaign.header.state.items()}
    return GameState(
        campaign=campaign.id, version=campaign.version, seed=seed, scene=campaign.header.start, vars=values
    )


def current(campaign: Campaign, state: GameState) -> Scene | Ending:
    return campaign.node(state.scene)


def text(state: GameState, raw: str | None) -> str:
    """Story text as the state shows it: variables filled in, alternatives chosen (see template)."""
    return render(raw or "", state.vars)


def choices(campaign: Campaign, state: GameState) -> list[ChoiceView]:
    """The choices to show: available ones, and locked ones that carry a hint."""
    node = campaign.scenes.get(state.scene)
    if node is None:
        current(campaign, state)  # an ending has no choices; an unknown scene is an error
        return []
    values = state.vars
    memo = _cache(campaign).views
    out = []
    for i, choice in enumerate(node.choices):
        ok = choice.requires is None or holds(choice.requires, values)
        if ok or choice.locked:
            # A view is immutable: one per choice and availability serves every state, unless the
            # text or the hint depends on the state.
            if ok and choice.chance is not None and choice.odds == "before":
                shown = odds_before(campaign, choice, values)
                out.append(ChoiceView(i, render(choice.text, values), ok, None, shown if len(shown) > 1 else None))
                continue
            key = (node.id, i, ok)
            view = memo.get(key)
            locked = None if ok else choice.locked
            if view is None or view.text is not choice.text or view.locked is not locked:
                hint = None if locked is None else render(locked, values)
                view = ChoiceView(i, render(choice.text, values), ok, hint)
                if view.text is choice.text and view.locked is locked:
                    memo[key] = view
            out.append(view)
    return out


def branch_weights(choice: Choice, values: Vars) -> list[float]:
    """The weight of each branch of a chance choice, given the state after the choice's effects."""
    return [
        (b.weight + (b.bonus if b.bonus_when is not None and holds(b.bonus_when, values) else 0.0))
        if holds(b.when, values)
        else 0.0
        for b in choice.chance or ()
    ]


def fallback_branch(choice: Choice, values: Vars) -> int:
    """The branch taken when every weight is zero (the checks warn about it): the first switched on."""
    branches = choice.chance or []
    return next((i for i, b in enumerate(branches) if holds(b.when, values)), 0)


def land(
    campaign: Campaign, role: Role, target: str, values: Vars, fired: tuple[str, ...]
) -> tuple[str, tuple[str, ...], str | None]:
    """Where a move really lands once deadlines are applied: (target, fired deadlines, narration)."""
    for deadline in campaign.header.deadlines:
        if deadline.id not in fired and role in deadline.roles and holds(deadline.when, values):
            return deadline.goto, (*fired, deadline.id), deadline.text and render(deadline.text, values)
    return target, fired, None


def decision_figures(campaign: Campaign, scene: Scene, index: int) -> Figures:
    """A choice's marks, value, verdict and lessons; they depend on nothing else."""
    memo = _cache(campaign).figures
    key = (scene.id, index)
    found = memo.get(key)
    if found is not None and campaign.scenes.get(scene.id) is scene:
        return found
    choice = scene.choices[index]
    rubric = campaign.rubric
    m = marks(choice, scene, rubric)
    worth = value(m, rubric)
    found = Figures(
        m,
        worth,
        verdict(m, worth, rubric, choice.breach, choice.pressure),
        tuple(dict.fromkeys([*choice.lessons, *scene.lessons])),
    )
    if campaign.scenes.get(scene.id) is scene:
        memo[key] = found
    return found


def _decision(
    campaign: Campaign,
    scene: Scene,
    index: int,
    landed: str,
    odds: float | None = None,
    luck: Literal["good", "bad"] | None = None,
) -> Decision:
    """The record of a choice; equal choices landing alike share one (it is immutable)."""
    if odds is not None:
        odds = round(odds, 4)
    memo = _cache(campaign).decisions
    key = (scene.id, index, landed, odds, luck)
    decision = memo.get(key)
    if decision is None or campaign.scenes.get(scene.id) is not scene:
        choice = scene.choices[index]
        f = decision_figures(campaign, scene, index)
        decision = Decision(
            scene=scene.id,
            choice=index,
            role=scene.role,
            technique=choice.technique,
            push_pull=f.marks.push_pull,
            audience=f.marks.audience,
            closing=f.marks.closing,
            value=f.value,
            verdict=f.verdict.label,
            good=f.verdict.good,
            breach=bool(choice.breach),
            lessons=f.lessons,
            landed=landed,
            odds=odds,
            luck=luck,
        )
        if campaign.scenes.get(scene.id) is scene:
            memo[key] = decision
    return decision


def odds(choice: Choice, values: Vars) -> list[float]:
    """The probability of each branch of a chance choice, given the state after its effects."""
    weights = branch_weights(choice, values)
    total = sum(weights)
    if total <= 0:
        fallback = fallback_branch(choice, values)
        return [1.0 if i == fallback else 0.0 for i in range(len(weights))]
    return [w / total for w in weights]


def branch_label(campaign: Campaign, choice: Choice, index: int, values: Vars) -> str:
    """What a branch means to the player: its label, else the title of where it leads."""
    branch = (choice.chance or [])[index]
    if branch.label:
        return render(branch.label, values)
    return render(campaign.node(branch.goto).title, values)


def odds_before(campaign: Campaign, choice: Choice, values: Vars) -> tuple[tuple[str, float], ...]:
    """The odds of a chance choice as they would stand if the player picked it now."""
    after = dict(values)
    apply_effects(choice, after, campaign.header.state)
    return tuple((branch_label(campaign, choice, i, after), p) for i, p in enumerate(odds(choice, after)) if p > 0)


def _chance(campaign: Campaign, state: GameState, choice: Choice, values: Vars, pick: int) -> Chance:
    probabilities = odds(choice, values)
    branches = choice.chance or []
    kept = [i for i, p in enumerate(probabilities) if p > 0 or i == pick]
    shown = tuple((branch_label(campaign, choice, i, values), probabilities[i]) for i in kept)
    plain = [b.weight if holds(b.when, values) else 0.0 for b in branches]
    base = tuple(plain[i] / sum(plain) if sum(plain) > 0 else probabilities[i] for i in kept)
    hoped = next((n for n, i in enumerate(kept) if branches[i].luck != "bad"), kept.index(pick))
    earned: set[str] = set()
    for b in branches:
        if b.bonus and b.bonus_when is not None and holds(b.when, values) and holds(b.bonus_when, values):
            earned.update(name for name, _, _ in atoms(b.bonus_when))
    raised_by = tuple(
        n
        for n, d in enumerate(state.decisions, start=1)
        if earned & _touched(campaign.scenes[d.scene].choices[d.choice])
        if d.scene in campaign.scenes
    )
    return Chance(shown, kept.index(pick), base, raised_by, branches[pick].luck, hoped)


def _touched(choice: Choice) -> set[str]:
    return {*choice.set, *choice.add, *choice.clamp}


def _advance(state: GameState, **changes: Any) -> GameState:
    """`state.model_copy(update=changes)` without pydantic's general-purpose copy, which was a fifth
    of the time of a step: the new state shares the unchanged values, as model_copy's does."""
    new = GameState.__new__(GameState)
    values = dict(state.__dict__)
    values.update(changes)
    object.__setattr__(new, "__dict__", values)
    object.__setattr__(new, "__pydantic_fields_set__", state.__pydantic_fields_set__ | changes.keys())
    object.__setattr__(new, "__pydantic_extra__", None)
    object.__setattr__(new, "__pydantic_private__", None)
    return new


def choose(campaign: Campaign, state: GameState, index: int, force: int | None = None) -> Step:
    """Apply the choice at `index` of the current scene (`force` picks a chance choice's branch)."""
    node = current(campaign, state)
    if not isinstance(node, Scene):
        raise EngineError("the run has ended; there are no more choices")
    if not 0 <= index < len(node.choices):
        raise EngineError(f"scene '{node.id}' has no choice {index + 1}")
    choice = node.choices[index]
    if not holds(choice.requires, state.vars):
        raise EngineError(f"choice {index + 1} of scene '{node.id}' is not available now")
    values = dict(state.vars)
    apply_effects(choice, values, campaign.header.state)
    narration: list[str] = []
    target = choice.goto
    chance_of: tuple[Campaign, GameState, Choice, Vars, int] | None = None
    odds_taken: float | None = None
    luck: Literal["good", "bad"] | None = None
    if choice.chance is not None:
        weights = branch_weights(choice, values)
        if force is not None:
            pick = force
        elif sum(weights) > 0:
            rng = random.Random(f"{state.seed}:{state.turn}")
            pick = rng.choices(range(len(weights)), weights=weights)[0]
        else:
            pick = fallback_branch(choice, values)
        branch = choice.chance[pick]
        target = branch.goto
        chance_of = (campaign, state, choice, values, pick)
        total = sum(weights)
        odds_taken = weights[pick] / total if total > 0 else 1.0
        luck = branch.luck
        if branch.text:
            narration.append(render(branch.text, values))
    assert target is not None
    target, fired, said = land(campaign, node.role, target, values, state.fired)
    if said:
        narration.append(said)
    decision = _decision(campaign, node, index, target, odds_taken, luck)
    new = _advance(
        state,
        scene=target,
        vars=values,
        fired=fired,
        decisions=(*state.decisions, decision),
        ended=target in campaign.endings,
    )
    next_node = campaign.node(target)
    switched = isinstance(next_node, Scene) and next_node.role != node.role
    why = decision_figures(campaign, node, index).verdict.why
    return Step(
        new,
        decision,
        render(choice.feedback, values),
        tuple(narration),
        switched,
        state,
        campaign.rubric,
        why,
        chance_of,
    )


def outcomes(campaign: Campaign, state: GameState, index: int) -> list[tuple[float, Step]]:
    """Every way a choice can turn out, with its probability (one, certain, for a choice without chance)."""
    node = current(campaign, state)
    if not isinstance(node, Scene):
        raise EngineError("the run has ended; there are no more choices")
    choice = node.choices[index]
    if choice.chance is None:
        return [(1.0, choose(campaign, state, index))]
    values = dict(state.vars)
    apply_effects(choice, values, campaign.header.state)
    return [(p, choose(campaign, state, index, i)) for i, p in enumerate(odds(choice, values)) if p > 0]


def score(campaign: Campaign, state: GameState) -> Scorecard:
    """The run's scorecard; once the run has reached an ending, its outcome is reported beside it."""
    node = current(campaign, state)
    outcome = node.outcome if isinstance(node, Ending) else None
    return scorecard(state.decisions, campaign.rubric, outcome)


def replay(campaign: Campaign, seed: int, picks: list[int]) -> GameState:
    """Replay a run from its seed and choice indices; raises EngineError if it no longer fits."""
    state = new_game(campaign, seed)
    for i, pick in enumerate(picks):
        try:
            state = choose(campaign, state, pick).state
        except EngineError as exc:
            raise EngineError(f"step {i + 1}: {exc}") from None
    return state


def undo(campaign: Campaign, state: GameState) -> GameState:
    """The state before the last choice (the start state stays where it is)."""
    if not state.decisions:
        return state
    return replay(campaign, state.seed, [d.choice for d in state.decisions[:-1]])


def check_fits(campaign: Campaign, state: GameState) -> str | None:
    """Why a saved state does not fit this campaign, or None when it does."""
    if state.campaign != campaign.id:
        return f"the save is for campaign '{state.campaign}', not '{campaign.id}'"
    if state.scene not in campaign.scenes and state.scene not in campaign.endings:
        return f"the saved scene '{state.scene}' no longer exists in version {campaign.version}"
    try:
        replayed = replay(campaign, state.seed, [d.choice for d in state.decisions])
    except EngineError as exc:
        return f"the saved choices no longer fit version {campaign.version}: {exc}"
    if replayed.scene != state.scene or replayed.vars != state.vars:
        return f"replaying the saved choices on version {campaign.version} leads somewhere else"
    return None


def carry_over(campaign: Campaign, state: GameState) -> tuple[GameState, str]:
    """A state moved onto a changed version of its campaign, and a sentence saying what happened.

    The run replays when it still fits; otherwise the player stays at the same scene with the
    variables the campaign still declares; when that scene is gone, the run starts again.
    """
    if check_fits(campaign, state) is None:
        return state.model_copy(update={"version": campaign.version}), "Reloaded the campaign."
    if state.scene in campaign.scenes or state.scene in campaign.endings:
        values = {name: state.vars.get(name, var.initial) for name, var in campaign.header.state.items()}
        kept = state.model_copy(
            update={
                "campaign": campaign.id,
                "version": campaign.version,
                "vars": values,
                "ended": state.scene in campaign.endings,
            }
        )
        return kept, f"Reloaded; your earlier choices no longer replay exactly, so you stay at '{state.scene}'."
    fresh = new_game(campaign, state.seed)
    return fresh, f"Reloaded; the scene '{state.scene}' no longer exists, so the run starts again."
