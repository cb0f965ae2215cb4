"""A run replayed on an edited campaign, for `dealquest play --watch` (what Inky does for ink).

After an edit the player's recorded choices are made again, from the start and with the same seed
(so the same rolls of the dice), on the edited campaign. Each choice is found again by its text
(so options may be reordered, and one whose text was edited in place still counts as itself). The
run goes as far as its choices replay: the player stays where they were with the edited effects
applied, or stops just after the last choice that replays, and `Replay.message` says exactly which
choice no longer replays and why.
"""

from __future__ import annotations

from dataclasses import dataclass

from dealquest.play import engine
from dealquest.play.engine import GameState
from dealquest.story.campaign import Campaign
from dealquest.story.conditions import atoms, describe, holds
from dealquest.story.model import Condition, Scene
from dealquest.story.text import full_stop


@dataclass(frozen=True)
class Replay:
    """A run made again on an edited campaign."""

    #: the run on the edited campaign: every recorded choice that still replays, made again
    state: GameState
    #: how many of the recorded choices replayed, and how many there were
    replayed: int
    recorded: int
    #: why the run stops short of where it was (which choice, what changed); None when it does not
    stopped: str | None = None
    #: the variables whose values the edit changed where the player is, e.g. "intel 3 (was 2)"
    changed: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        """Whether the player is where they were: every choice replayed and landed where it did."""
        return self.stopped is None

    @property
    def message(self) -> str:
        """What the player is told about the reload, in one or two sentences."""
        if self.stopped is not None:
            where = f"you are at '{self.state.scene}'"
            if self.replayed == 0:
                return f"{full_stop(self.stopped)} The run starts again: {where}."
            return f"{full_stop(self.stopped)} {self.replayed} of your {self.recorded} decisions replay: {where}."
        done = "your decision replays" if self.recorded == 1 else f"your {self.recorded} decisions replay"
        if self.recorded == 0:
            done = "you are at the start"
        if self.changed:
            return f"Reloaded: {done}; now {', '.join(self.changed)}."
        return f"Reloaded: {done} as before."


def replay_run(before: Campaign, state: GameState, after: Campaign) -> Replay:
    """The run `state` (played on `before`) made again from its seed on the edited campaign `after`."""
    run = engine.new_game(after, state.seed)
    recorded = len(state.decisions)
    first = state.decisions[0].scene if state.decisions else state.scene
    if run.scene != first:
        return Replay(run, 0, recorded, f"The campaign now starts at '{run.scene}', not '{first}'")
    for number, decision in enumerate(state.decisions, start=1):
        scene = after.scenes.get(decision.scene)
        old_scene = before.scenes.get(decision.scene)
        old_text = _old_text(old_scene, decision.choice)
        said = f"Decision {number} in '{decision.scene}'"
        if scene is None:  # not reached: the landing before it would have differed; kept for safety
            return Replay(run, number - 1, recorded, f"{said}: the scene no longer exists")
        index = same_choice(old_scene, decision.choice, scene)
        if index is None:
            shown = f" ({_quote(run, old_text)})" if old_text else ""
            return Replay(run, number - 1, recorded, f"{said}{shown} no longer exists")
        choice = scene.choices[index]
        said = f"{said} ({_quote(run, choice.text)})"
        if not holds(choice.requires, run.vars):
            assert choice.requires is not None
            return Replay(run, number - 1, recorded, f"{said} is now locked: {_needs(choice.requires, run)}")
        step = engine.choose(after, run, index)
        if step.decision.landed != decision.landed:
            why = _why_elsewhere(before, state, decision.landed, run, step.state, choice.chance is not None)
            stopped = f"{said} now leads to '{step.decision.landed}' instead of '{decision.landed}'{why}"
            return Replay(step.state, number, recorded, stopped)
        run = step.state
    changed = tuple(
        f"{name} {_value(value)} (was {_value(state.vars[name])})" if name in state.vars else f"{name} {_value(value)}"
        for name, value in run.vars.items()
        if name not in state.vars or state.vars[name] != value
    )
    return Replay(run, recorded, recorded, None, changed)


def same_choice(before: Scene | None, index: int, after: Scene) -> int | None:
    """Where the choice at `index` of a scene as it was is in the scene as it is now, or None when
    it is gone: found by its text; else the one at its place, when that is not another old one."""
    if before is None or not 0 <= index < len(before.choices):
        return index if 0 <= index < len(after.choices) else None
    text = before.choices[index].text
    same = [i for i, c in enumerate(after.choices) if c.text == text]
    if same:
        return index if index in same else same[0]
    old_texts = {c.text for c in before.choices}
    if index < len(after.choices) and after.choices[index].text not in old_texts:
        return index  # its text was edited in place
    return None


def _old_text(scene: Scene | None, index: int) -> str | None:
    return scene.choices[index].text if scene is not None and 0 <= index < len(scene.choices) else None


def _quote(state: GameState, raw: str | None) -> str:
    return f"'{engine.text(state, raw)}'"


def _value(value: int | bool) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _needs(requires: Condition, state: GameState) -> str:
    """What a locked choice needs, and the values it is compared with here."""
    names = dict.fromkeys(name for name, _, _ in atoms(requires))
    now = ", ".join(f"{name} is {_value(state.vars.get(name, 0))}" for name in names)
    return f"it needs {describe(requires)}, and {now} here"


def _why_elsewhere(
    old: Campaign, played: GameState, landed: str, before: GameState, after: GameState, chance: bool
) -> str:
    """Why a choice lands somewhere else now: a deadline that fires now or no longer does, or (for
    a chance choice) edited branches met by the same roll of the dice."""
    fired = [d for d in after.fired if d not in before.fired]
    if fired:
        return f" (the deadline '{fired[-1]}' fires now)"
    for deadline in old.header.deadlines:
        if deadline.id in played.fired and deadline.goto == landed and deadline.id not in after.fired:
            return f" (the deadline '{deadline.id}' no longer fires there)"
    return " (the same roll of the dice on the edited branches)" if chance else ""
