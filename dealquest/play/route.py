"""A run's route as data for a picture: the scenes it passed through, role by role, where it
branched, the options that were locked and why, and the best route beside it.

The debrief draws it with Textual widgets (`tui/widgets/route_map.py`) and the trainer's HTML
report as HTML (`training/report.py`); both draw this, so they always show the same route. The
best route is the engine's: from the same start and the same dice (the run's seed), the option of
the highest value every time.
"""

from __future__ import annotations

from dataclasses import dataclass

from dealquest.play import engine
from dealquest.play.debrief import best_option
from dealquest.play.engine import GameState
from dealquest.play.scoring import format_mark
from dealquest.story.campaign import Campaign
from dealquest.story.model import Ending, Outcome, Role, Scene

#: A best route longer than this is cut short (a loop the best play never leaves).
MAX_STOPS = 500
#: What a locked option without a hint says.
NO_HINT = "not available now"


@dataclass(frozen=True)
class Locked:
    """An option shown locked at a decision, and the writer's reason."""

    text: str
    why: str


@dataclass(frozen=True)
class Stop:
    """One decision on a route: the scene, the option taken, and what else was there."""

    number: int
    role: Role
    scene: str  # the scene's id
    title: str
    choice: str
    verdict: str
    value: float
    good: bool
    #: the scene's options lead to more than one place: the route could have gone another way here
    branch: bool
    #: the best option's text, when it was not the one taken
    missed: str | None
    locked: tuple[Locked, ...]
    #: what the dice did on a chance choice ("the CFO signs, 80%"), else None
    chance: str | None

    @property
    def verdict_line(self) -> str:
        return f"{self.verdict} ({format_mark(self.value)})"


@dataclass(frozen=True)
class Route:
    """The decisions of one route in order, and the ending it reached (None: not reached yet)."""

    stops: tuple[Stop, ...]
    ending: str | None
    outcome: Outcome | None

    def legs(self) -> list[tuple[Role, list[Stop]]]:
        """The stops in runs of one role: a leg for each stretch the player spends in one role."""
        legs: list[tuple[Role, list[Stop]]] = []
        for stop in self.stops:
            if legs and legs[-1][0] == stop.role:
                legs[-1][1].append(stop)
            else:
                legs.append((stop.role, [stop]))
        return legs


@dataclass(frozen=True)
class RouteMap:
    """The run's route beside the best route from the same start, and where they parted."""

    run: Route
    best: Route
    #: the first decision at which the run took another option than the best route (None: never)
    parted: int | None


def _targets(scene: Scene) -> set[str]:
    found: set[str] = set()
    for choice in scene.choices:
        if choice.goto:
            found.add(choice.goto)
        found.update(branch.goto for branch in choice.chance or ())
    return found


def _stop(campaign: Campaign, state: GameState, index: int) -> tuple[Stop, GameState]:
    """The decision to take option `index` at `state`, as a stop, and the state after it."""
    node = engine.current(campaign, state)
    assert isinstance(node, Scene)
    views = engine.choices(campaign, state)
    best = best_option(campaign, state)
    step = engine.choose(campaign, state, index)
    decision = step.decision
    chance = None
    if step.chance is not None:
        label, odds = step.chance.branches[step.chance.taken]
        chance = f"{label}, {odds:.0%}"
    stop = Stop(
        number=state.turn + 1,
        role=node.role,
        scene=node.id,
        title=engine.text(state, node.title),
        choice=engine.text(state, node.choices[index].text),
        verdict=decision.verdict,
        value=decision.value,
        good=decision.good,
        branch=len(_targets(node)) > 1,
        missed=best.text if best is not None and best.index != index and best.value > decision.value else None,
        locked=tuple(Locked(v.text, v.locked or NO_HINT) for v in views if not v.available),
        chance=chance,
    )
    return stop, step.state


def _ending(campaign: Campaign, state: GameState) -> tuple[str | None, Outcome | None]:
    node = engine.current(campaign, state)
    if isinstance(node, Ending):
        return engine.text(state, node.title), node.outcome
    return None, None


def route(campaign: Campaign, state: GameState) -> Route:
    """The route of a run (ended or not), replayed from its seed."""
    stops: list[Stop] = []
    now = engine.new_game(campaign, state.seed)
    for made in state.decisions:
        stop, now = _stop(campaign, now, made.choice)
        stops.append(stop)
    return Route(tuple(stops), *_ending(campaign, now))


def best_route(campaign: Campaign, seed: int) -> Route:
    """The best option every time, from the start, with these dice (at most MAX_STOPS decisions)."""
    stops: list[Stop] = []
    now = engine.new_game(campaign, seed)
    while not now.ended and len(stops) < MAX_STOPS:
        best = best_option(campaign, now)
        if best is None:  # a scene where nothing can be chosen: the route stops there
            break
        stop, now = _stop(campaign, now, best.index)
        stops.append(stop)
    return Route(tuple(stops), *_ending(campaign, now))


def route_map(campaign: Campaign, state: GameState) -> RouteMap:
    """The run's route, the best route from its start, and the decision where they parted."""
    run = route(campaign, state)
    best = best_route(campaign, state.seed)
    parted = next(
        (
            mine.number
            for mine, ideal in zip(run.stops, best.stops, strict=False)
            if (mine.scene, mine.choice) != (ideal.scene, ideal.choice)
        ),
        None,
    )
    return RouteMap(run, best, parted)
