"""Where a run goes between two scenes, decided once for every front end (the app, `--plain`, serve).

- `handoff_after`: whether a choice hands the deal to the other role, and the story's message for
  the card that says so;
- `another_path`: the run rewound to just before its weakest decision, for "try another path";
- `last_turn`: the run's last choice made again, to show its feedback or handoff card on resuming.
"""

from __future__ import annotations

from dataclasses import dataclass

from dealquest.play import engine
from dealquest.play.debrief import Review, reviews
from dealquest.play.engine import GameState, Step
from dealquest.story.campaign import Campaign
from dealquest.story.model import Role, Scene


@dataclass(frozen=True)
class Handoff:
    """The card shown when a choice hands the deal to the other role."""

    #: the role the player takes next
    to: Role
    #: the story's message for the card, filled in from the state; None when the scene has none
    message: str | None


def handoff_after(campaign: Campaign, step: Step) -> Handoff | None:
    """The handoff card a choice leads to; None when the role stays (or the run has ended)."""
    node = engine.current(campaign, step.state)
    if not (step.role_switched and isinstance(node, Scene)):
        return None
    message = engine.text(step.state, node.handoff) if node.handoff else None
    return Handoff(node.role, message)


@dataclass(frozen=True)
class Rewind:
    """A run taken back to just before one of its decisions, so the player can choose again there."""

    #: the decision to take again
    review: Review
    #: the run just before it: the same seed and the choices made until then
    state: GameState


def another_path(campaign: Campaign, state: GameState) -> Rewind | None:
    """The run rewound to just before its weakest decision: the lowest value once what a better
    option would have added is taken off (the earliest on a tie); None when nothing was decided."""
    done = reviews(campaign, state)
    if not done:
        return None
    weakest = min(done, key=lambda r: (r.value - r.missed, r.number))
    picks = [d.choice for d in state.decisions[: weakest.number - 1]]
    return Rewind(weakest, engine.replay(campaign, state.seed, picks))


@dataclass(frozen=True)
class LastTurn:
    """The run's last choice once more: the state it was made at and what it did, so that a resumed
    run can show its feedback, or the handoff card it led to, exactly as they were."""

    before: GameState
    step: Step


def last_turn(campaign: Campaign, state: GameState) -> LastTurn | None:
    """The last choice of the run made again from its seed (the engine is deterministic, chance
    included); None when nothing was decided yet or the choices no longer replay to this state."""
    if not state.decisions:
        return None
    try:
        before = engine.undo(campaign, state)
        step = engine.choose(campaign, before, state.decisions[-1].choice)
    except engine.EngineError:
        return None
    if step.state.scene != state.scene or step.state.vars != state.vars:
        return None
    return LastTurn(before, step)
