"""Playtesting: seeded random runs, exhaustive exploration, best paths and naive strategies.

Exploration walks every reachable state with the engine's own rules (branch weights, deadlines,
decision figures), merging states that are equal in everything that can still matter: the scene,
the variables, the deadlines fired, each role's score tally and the lessons met so far. Chance
choices branch into every outcome with its probability, so strategies are compared by their
expected grade and extremes are shown with one path that reaches them.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from . import engine
from .loader import Campaign
from .model import AXES, LESSONS, ROLES, Axis, Ending, Lesson, Role, Scene
from .rules import apply_effects, holds
from .scoring import Scorecard, Tally, scorecard_of

MAX_RUN_STEPS = 1000
AXIS_NAMES: tuple[tuple[Role, Axis], ...] = tuple((r, a) for r in ROLES for a in AXES)

# ---------------------------------------------------------------------------- random runs


@dataclass
class RandomReport:
    runs: int
    seed: int
    seconds: float
    scenes: Counter[str] = field(default_factory=Counter)
    choices: Counter[tuple[str, int]] = field(default_factory=Counter)
    endings: Counter[str] = field(default_factory=Counter)
    grades: Counter[str] = field(default_factory=Counter)
    stuck: Counter[str] = field(default_factory=Counter)  # scenes where a run found no choice
    too_long: int = 0

    @property
    def runs_per_second(self) -> float:
        return self.runs / self.seconds if self.seconds else float("inf")


def random_runs(campaign: Campaign, runs: int, seed: int) -> RandomReport:
    """Play `runs` games picking uniformly among the available choices, reproducibly from `seed`."""
    rng = random.Random(seed)
    report = RandomReport(runs, seed, 0.0)
    began = time.perf_counter()
    for _ in range(runs):
        state = engine.new_game(campaign, rng.randrange(2**31))
        for _step in range(MAX_RUN_STEPS):
            report.scenes[state.scene] += 1
            if state.ended:
                report.endings[state.scene] += 1
                report.grades[engine.score(campaign, state).grade] += 1
                break
            available = [v.index for v in engine.choices(campaign, state) if v.available]
            if not available:
                report.stuck[state.scene] += 1
                break
            pick = rng.choice(available)
            report.choices[(state.scene, pick)] += 1
            state = engine.choose(campaign, state, pick).state
        else:
            report.too_long += 1
    report.seconds = time.perf_counter() - began
    return report


# ---------------------------------------------------------------------------- exploration

Key = tuple[str, tuple[int | bool, ...], tuple[str, ...], tuple[Tally, Tally], int]


@dataclass(frozen=True)
class Move:
    choice: int
    branches: tuple[tuple[float, int], ...]  # (probability, child state id)


@dataclass(frozen=True)
class PathStep:
    scene: str
    choice: int  # 1-based, as in the scene's list of choices
    text: str
    landed: str


@dataclass
class Exploration:
    campaign: Campaign
    keys: list[Key]
    moves: list[list[Move]]
    parent: list[tuple[int, int] | None]  # (parent id, choice index)
    complete: bool
    seconds: float
    max_states: int
    stuck: list[int] = field(default_factory=list)  # states with no available choice

    @property
    def states(self) -> int:
        return len(self.keys)

    @property
    def states_per_second(self) -> float:
        return self.states / self.seconds if self.seconds else float("inf")

    def is_end(self, sid: int) -> bool:
        return self.keys[sid][0] in self.campaign.endings

    def terminals(self) -> list[int]:
        return [i for i in range(self.states) if self.is_end(i)]

    def percent(self, sid: int) -> float:
        return self.card(sid).percent

    def card(self, sid: int) -> Scorecard:
        scene, _, _, tallies, _ = self.keys[sid]
        node = self.campaign.node(scene)
        outcome = node.outcome if isinstance(node, Ending) else None
        return scorecard_of(dict(zip(ROLES, tallies, strict=True)), self.campaign.rubric, outcome)

    def path_to(self, sid: int) -> list[PathStep]:
        steps: list[PathStep] = []
        while (link := self.parent[sid]) is not None:
            prev, choice = link
            scene = self.campaign.scenes[self.keys[prev][0]]
            steps.append(PathStep(scene.id, choice + 1, scene.choices[choice].text, self.keys[sid][0]))
            sid = prev
        return steps[::-1]


def _lesson_bits(lessons: Iterable[Lesson]) -> int:
    return sum(1 << LESSONS.index(lesson) for lesson in set(lessons))


def lessons_of(mask: int) -> list[str]:
    return [lesson for i, lesson in enumerate(LESSONS) if mask & (1 << i)]


def explore(campaign: Campaign, max_states: int = 500_000) -> Exploration:
    """Every reachable state, merged, up to `max_states`."""
    began = time.perf_counter()
    names = list(campaign.header.state)
    spec = campaign.header.state
    figures = {
        (sid, i): engine.decision_figures(campaign, scene, i)
        for sid, scene in campaign.scenes.items()
        for i in range(len(scene.choices))
    }
    start = engine.new_game(campaign, 0)
    first: Key = (start.scene, tuple(start.vars[n] for n in names), (), (Tally(), Tally()), 0)
    index: dict[Key, int] = {first: 0}
    keys: list[Key] = [first]
    moves: list[list[Move]] = []
    parent: list[tuple[int, int] | None] = [None]
    stuck: list[int] = []
    complete = True
    cursor = 0
    while cursor < len(keys):
        scene_id, vals, fired, tallies, mask = keys[cursor]
        here: list[Move] = []
        moves.append(here)
        scene = campaign.scenes.get(scene_id)
        if scene is None:  # an ending
            cursor += 1
            continue
        values = dict(zip(names, vals, strict=True))
        role_at = ROLES.index(scene.role)
        for i, choice in enumerate(scene.choices):
            if not holds(choice.requires, values):
                continue
            after = dict(values)
            apply_effects(choice, after, spec)
            if choice.chance is None:
                targets: list[tuple[float, str]] = [(1.0, choice.goto or "")]
            else:
                weights = engine.branch_weights(choice, after)
                total = sum(weights)
                if total > 0:
                    targets = [(w / total, b.goto) for w, b in zip(weights, choice.chance, strict=True) if w > 0]
                else:
                    targets = [(1.0, choice.chance[engine.fallback_branch(choice, after)].goto)]
            closing, _, lessons = figures[(scene_id, i)]
            new_tallies = list(tallies)
            new_tallies[role_at] = tallies[role_at].add(choice.technique, choice.audience, closing)
            new_mask = mask | _lesson_bits(lessons)
            after_vals = tuple(after[n] for n in names)
            branches: list[tuple[float, int]] = []
            for probability, target in targets:
                landed, new_fired, _ = engine.land(campaign, scene.role, target, after, fired)
                node = campaign.node(landed)
                end_mask = new_mask | (_lesson_bits(node.lessons) if isinstance(node, Ending) else 0)
                key: Key = (landed, after_vals, new_fired, (new_tallies[0], new_tallies[1]), end_mask)
                child = index.get(key)
                if child is None:
                    if len(keys) >= max_states:
                        complete = False
                        continue
                    child = len(keys)
                    index[key] = child
                    keys.append(key)
                    parent.append((cursor, i))
                branches.append((probability, child))
            if branches:
                here.append(Move(i, tuple(branches)))
        if not here and complete:
            stuck.append(cursor)
        cursor += 1
    return Exploration(campaign, keys, moves, parent, complete, time.perf_counter() - began, max_states, stuck)


# ---------------------------------------------------------------------------- strategies

Policy = Callable[[Scene, list[int]], list[int]]


def _prefer(order: tuple[str, ...]) -> Policy:
    def pick(scene: Scene, available: list[int]) -> list[int]:
        rank = {t: r for r, t in enumerate(order)}
        best = min(available, key=lambda i: (rank[scene.choices[i].technique], i))
        return [best]

    return pick


def _first(scene: Scene, available: list[int]) -> list[int]:
    return [available[0]]


def _uniform(scene: Scene, available: list[int]) -> list[int]:
    return available


def _greedy_closing(scene: Scene, available: list[int]) -> list[int]:
    return [max(available, key=lambda i: (scene.choices[i].closing, -i))]


NAIVE: dict[str, Policy] = {
    "always push": _prefer(("push", "blend", "none", "pull")),
    "always pull": _prefer(("pull", "blend", "none", "push")),
    "always first": _first,
    "random": _uniform,
    "greedy on closing": _greedy_closing,
}


def expected_grade(ex: Exploration, policy: Policy | None, maximise: bool = True) -> dict[int, float]:
    """Expected final grade from each state under a policy (None: the best or worst strategy)."""
    order = sorted(range(ex.states), key=lambda s: -sum(t.decisions for t in ex.keys[s][3]))
    value: dict[int, float] = {}
    for sid in order:
        if ex.is_end(sid):
            value[sid] = ex.percent(sid)
            continue
        moves = ex.moves[sid]
        if not moves:
            value[sid] = ex.percent(sid)  # stuck: scored as it stands, without an outcome
            continue
        worth = {m.choice: sum(p * value[c] for p, c in m.branches) for m in moves}
        if policy is None:
            value[sid] = max(worth.values()) if maximise else min(worth.values())
        else:
            scene = ex.campaign.scenes[ex.keys[sid][0]]
            picks = policy(scene, sorted(worth))
            value[sid] = sum(worth[i] for i in picks) / len(picks)
    return value


def best_line(ex: Exploration, value: dict[int, float], maximise: bool = True) -> tuple[list[PathStep], int]:
    """Follow the best (or worst) strategy, taking the likeliest branch at each chance."""
    sid = 0
    steps: list[PathStep] = []
    while not ex.is_end(sid) and ex.moves[sid]:

        def worth(m: Move) -> float:
            return sum(p * value[c] for p, c in m.branches)

        move = max(ex.moves[sid], key=worth) if maximise else min(ex.moves[sid], key=worth)
        _, child = max(move.branches, key=lambda b: b[0])
        scene = ex.campaign.scenes[ex.keys[sid][0]]
        steps.append(PathStep(scene.id, move.choice + 1, scene.choices[move.choice].text, ex.keys[child][0]))
        sid = child
    return steps, sid


def switch_range(ex: Exploration) -> tuple[int, int]:
    """The fewest and most switches of role over complete playthroughs."""
    order = sorted(range(ex.states), key=lambda s: -sum(t.decisions for t in ex.keys[s][3]))
    low: dict[int, int] = {}
    high: dict[int, int] = {}
    campaign = ex.campaign
    for sid in order:
        if ex.is_end(sid) or not ex.moves[sid]:
            low[sid] = high[sid] = 0
            continue
        role = campaign.scenes[ex.keys[sid][0]].role
        options = []
        for move in ex.moves[sid]:
            for _, child in move.branches:
                node = campaign.node(ex.keys[child][0])
                switch = int(isinstance(node, Scene) and node.role != role)
                options.append((switch + low[child], switch + high[child]))
        low[sid] = min(o[0] for o in options)
        high[sid] = max(o[1] for o in options)
    return low[0], high[0]


# ---------------------------------------------------------------------------- static figures


@dataclass(frozen=True)
class PositionBias:
    scenes: int
    first_is_best: list[str]

    @property
    def share(self) -> float:
        return len(self.first_is_best) / self.scenes if self.scenes else 0.0


def position_bias(campaign: Campaign) -> PositionBias:
    """How often a scene's best choice (by its own value) is the first one listed."""
    first: list[str] = []
    counted = 0
    for sid, scene in campaign.scenes.items():
        if len(scene.choices) < 2:
            continue
        counted += 1
        values = [engine.decision_figures(campaign, scene, i)[1] for i in range(len(scene.choices))]
        if values[0] >= max(values) and values.count(max(values)) == 1:
            first.append(sid)
    return PositionBias(counted, first)
