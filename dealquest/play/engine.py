"""The story engine: a small API over one state object.

`new_game` starts a run, `choices` lists what the player may pick now, `choose` applies one and
returns the new state with its score event, `scorecard` gives the totals and grade. The state is
an immutable Pydantic model that round-trips through JSON, so saves, undo and replays are free.
The same seed and the same choices always give the same run.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict

from dealquest.play.scoring import Scorecard, decision_value, effective_closing, scorecard
from dealquest.story.campaign import Campaign
from dealquest.story.conditions import Vars, apply_effects, holds
from dealquest.story.model import AXES, Axis, Choice, Ending, Lesson, Role, Rubric, Scene, Technique
from dealquest.story.template import render


class EngineError(Exception):
    """A request the engine cannot honour (an unavailable choice, a save that does not fit)."""


class Decision(BaseModel):
    """One choice made, with the figures it scored, kept so a debrief never has to guess."""

    model_config = ConfigDict(frozen=True)

    scene: str
    choice: int  # index in the scene's list of choices
    role: Role
    technique: Technique
    audience: int
    closing: float  # after the audience rule
    value: float
    lessons: tuple[Lesson, ...] = ()
    landed: str  # where the choice led, after chance and deadlines


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


@dataclass(frozen=True)
class Step:
    """What one choice did: the new state and the score event to show the player."""

    state: GameState
    decision: Decision
    feedback: str
    narration: tuple[str, ...]
    role_switched: bool
    previous: GameState
    rubric: Rubric

    @cached_property
    def deltas(self) -> dict[Axis, float]:
        """The change in the role's axis scores (each in [-1, 1]) that this choice made."""
        role = self.decision.role
        before = scorecard(self.previous.decisions, self.rubric).roles[role].axes
        after = scorecard(self.state.decisions, self.rubric).roles[role].axes
        return {a: (after[a] or 0.0) - (before[a] or 0.0) for a in AXES}


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
    memo = campaign.memo
    out = []
    for i, choice in enumerate(node.choices):
        ok = choice.requires is None or holds(choice.requires, values)
        if ok or choice.locked:
            # A view is immutable: one per choice and availability serves every state, unless the
            # text or the hint depends on the state.
            key = ("view", node.id, i, ok)
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


def decision_figures(campaign: Campaign, scene: Scene, index: int) -> tuple[float, float, tuple[Lesson, ...]]:
    """A choice's effective closing, its own value and its lessons; they depend on nothing else."""
    key = ("figures", scene.id, index)
    found: tuple[float, float, tuple[Lesson, ...]] | None = campaign.memo.get(key)
    if found is not None and campaign.scenes.get(scene.id) is scene:
        return found
    choice = scene.choices[index]
    rubric = campaign.rubric
    closing = effective_closing(choice.closing, choice.addresses, rubric)
    value = round(decision_value(choice.technique, scene.role, choice.audience, closing, rubric), 4)
    found = closing, value, tuple(dict.fromkeys([*choice.lessons, *scene.lessons]))
    if campaign.scenes.get(scene.id) is scene:
        campaign.memo[key] = found
    return found


def _decision(campaign: Campaign, scene: Scene, index: int, landed: str) -> Decision:
    """The record of a choice; equal choices landing alike share one (it is immutable)."""
    key = ("decision", scene.id, index, landed)
    decision: Decision | None = campaign.memo.get(key)
    if decision is None or campaign.scenes.get(scene.id) is not scene:
        choice = scene.choices[index]
        closing, value, lessons = decision_figures(campaign, scene, index)
        decision = Decision(
            scene=scene.id,
            choice=index,
            role=scene.role,
            technique=choice.technique,
            audience=choice.audience,
            closing=closing,
            value=value,
            lessons=lessons,
            landed=landed,
        )
        if campaign.scenes.get(scene.id) is scene:
            campaign.memo[key] = decision
    return decision


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


def choose(campaign: Campaign, state: GameState, index: int) -> Step:
    """Apply the choice at `index` of the current scene."""
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
    if choice.chance is not None:
        weights = branch_weights(choice, values)
        if sum(weights) > 0:
            rng = random.Random(f"{state.seed}:{state.turn}")
            pick = rng.choices(range(len(weights)), weights=weights)[0]
        else:
            pick = fallback_branch(choice, values)
        branch = choice.chance[pick]
        target = branch.goto
        if branch.text:
            narration.append(render(branch.text, values))
    assert target is not None
    target, fired, said = land(campaign, node.role, target, values, state.fired)
    if said:
        narration.append(said)
    decision = _decision(campaign, node, index, target)
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
    return Step(new, decision, render(choice.feedback, values), tuple(narration), switched, state, campaign.rubric)


def score(campaign: Campaign, state: GameState) -> Scorecard:
    """The run's scorecard; the outcome counts once the run has reached an ending."""
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
