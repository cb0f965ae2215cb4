"""Playtesting: seeded random runs, exhaustive exploration, best paths and naive strategies.

Exploration walks every reachable game state with the engine's own rules (branch weights,
deadlines, decision figures), merging states that are equal in everything that can still change
what happens: the scene, the variables still read later, and the deadlines fired. Score tallies
are not part of the state; strategies are played over the explored graph with exact tallies to
get their expected grade over every chance outcome, and extremes come with one path each.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from dealquest.play import engine
from dealquest.play.scoring import Tally, scorecard_of
from dealquest.story.bulk import collector_paused
from dealquest.story.campaign import Campaign
from dealquest.story.checks import successors
from dealquest.story.conditions import apply_effects, atoms, holds
from dealquest.story.model import (
    AXES,
    LESSONS,
    ROLES,
    SCORE_MAX,
    SCORE_MIN,
    Axis,
    Ending,
    Lesson,
    Outcome,
    Role,
    Scene,
    Technique,
)

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

Key = tuple[str, tuple[int | bool | None, ...], tuple[str, ...]]


@dataclass(frozen=True)
class Move:
    """One available choice from a state, with what it scores and where it can lead."""

    choice: int
    branches: tuple[tuple[float, int], ...]  # (probability, child state id)
    role: Role
    technique: Technique
    audience: int
    closing: float
    points: float  # the decision's own value mapped to [0, 1]
    lessons: int  # bit mask over LESSONS


@dataclass(frozen=True)
class PathStep:
    scene: str
    choice: int  # 1-based, as in the scene's list of choices
    text: str
    landed: str


def _lesson_bits(lessons: Iterable[Lesson]) -> int:
    return sum(1 << LESSONS.index(lesson) for lesson in set(lessons))


def lessons_of(mask: int) -> list[str]:
    return [lesson for i, lesson in enumerate(LESSONS) if mask & (1 << i)]


def live_variables(campaign: Campaign) -> dict[str, frozenset[str]]:
    """For each scene, the variables that may still be read at it or after it.

    A variable nobody reads any more cannot change what happens next, so states that differ
    only in such variables are merged. Deadline conditions are read after every choice.
    """
    always = {name for d in campaign.header.deadlines for name, _, _ in atoms(d.when)}
    reads: dict[str, set[str]] = {}
    for sid, scene in campaign.scenes.items():
        names = set(always)
        for choice in scene.choices:
            names |= {n for n, _, _ in atoms(choice.requires)}
            for branch in choice.chance or ():
                names |= {n for n, _, _ in atoms(branch.when)} | {n for n, _, _ in atoms(branch.bonus_when)}
        reads[sid] = names
    changed = True
    while changed:  # a fixed point over the scene graph (which may have cycles)
        changed = False
        for sid in campaign.scenes:
            for nxt in successors(campaign, sid):
                extra = reads.get(nxt, set()) - reads[sid]
                if extra:
                    reads[sid] |= extra
                    changed = True
    return {sid: frozenset(names) for sid, names in reads.items()}


@dataclass
class Exploration:
    """Every reachable game state (scene, live variables, deadlines fired) and the moves between them."""

    campaign: Campaign
    keys: list[Key]
    moves: list[list[Move]]
    parent: list[tuple[int, int] | None]  # (parent id, choice index): one way in
    complete: bool
    seconds: float
    max_states: int
    stuck: list[int] = field(default_factory=list)  # states with no available choice
    order: list[int] | None = None  # children before parents; None when a loop exists
    loop: list[str] = field(default_factory=list)  # scenes on a loop, if any
    _leaves: dict[int, Outcome | None] | None = None

    @property
    def states(self) -> int:
        return len(self.keys)

    @property
    def states_per_second(self) -> float:
        return self.states / self.seconds if self.seconds else float("inf")

    def scene(self, sid: int) -> str:
        return self.keys[sid][0]

    def is_end(self, sid: int) -> bool:
        return self.keys[sid][0] in self.campaign.endings

    def outcome_value(self, sid: int) -> float:
        node = self.campaign.node(self.keys[sid][0])
        return self.campaign.rubric.outcomes.get(node.outcome, 0.0) if isinstance(node, Ending) else 0.0

    def leaf_outcomes(self) -> dict[int, Outcome | None]:
        """The outcome of every state without moves (None for a stuck state), worked out once."""
        if self._leaves is None:
            self._leaves = {sid: _outcome_of(self, sid) for sid in range(self.states) if not self.moves[sid]}
        return self._leaves


def explore(campaign: Campaign, max_states: int = 1_000_000) -> Exploration:
    """Every reachable game state, merged, up to `max_states`."""
    with collector_paused():
        return _explore(campaign, max_states)


def _explore(campaign: Campaign, max_states: int) -> Exploration:
    began = time.perf_counter()
    names = list(campaign.header.state)
    spec = campaign.header.state
    live = live_variables(campaign)
    figures: dict[tuple[str, int], tuple[float, float, int]] = {}
    for owner in campaign.scenes.values():
        for i in range(len(owner.choices)):
            eff, own, taught = engine.decision_figures(campaign, owner, i)
            figures[(owner.id, i)] = (eff, (own - SCORE_MIN) / (SCORE_MAX - SCORE_MIN), _lesson_bits(taught))

    # Per node, the names to read into its key, a name that is never a variable where the
    # variable is dead there: `values.get` then gives None for it (every state has every name).
    dead = "\0dead"
    slots = {
        node: tuple(n if n in live.get(node, ()) else dead for n in names)
        for node in (*campaign.scenes, *campaign.endings)
    }

    def key_of(scene: str, values: dict[str, int | bool], fired: tuple[str, ...]) -> Key:
        return scene, tuple(map(values.get, slots[scene])), fired

    start = engine.new_game(campaign, 0)
    index: dict[Key, int] = {}
    keys: list[Key] = []
    full: list[dict[str, int | bool]] = []  # one full set of values per state (dead ones never matter)
    parent: list[tuple[int, int] | None] = []
    moves: list[list[Move]] = []
    stuck: list[int] = []
    complete = True

    def add(key: Key, values: dict[str, int | bool], link: tuple[int, int] | None) -> int | None:
        nonlocal complete
        sid = index.get(key)
        if sid is not None:
            return sid
        if len(keys) >= max_states:
            complete = False
            return None
        index[key] = len(keys)
        keys.append(key)
        full.append(values)
        parent.append(link)
        return len(keys) - 1

    add(key_of(start.scene, dict(start.vars), ()), dict(start.vars), None)
    cursor = 0
    while cursor < len(keys):
        scene_id, _, fired = keys[cursor]
        here: list[Move] = []
        moves.append(here)
        scene = campaign.scenes.get(scene_id)
        if scene is None:  # an ending
            cursor += 1
            continue
        values = full[cursor]
        for i, choice in enumerate(scene.choices):
            if not holds(choice.requires, values):
                continue
            after = values  # shared when nothing changes: no state's values are changed once made
            if choice.set or choice.add or choice.clamp:
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
            branches: list[tuple[float, int]] = []
            for probability, target in targets:
                landed, new_fired, _ = engine.land(campaign, scene.role, target, after, fired)
                child = add(key_of(landed, after, new_fired), after, (cursor, i))
                if child is not None:
                    branches.append((probability, child))
            closing, points, lessons = figures[(scene_id, i)]
            if branches:
                here.append(
                    Move(i, tuple(branches), scene.role, choice.technique, choice.audience, closing, points, lessons)
                )
        if not here and complete:
            stuck.append(cursor)
        cursor += 1
    ex = Exploration(campaign, keys, moves, parent, complete, 0.0, max_states, stuck)
    ex.order, ex.loop = _children_first(ex)
    ex.seconds = time.perf_counter() - began
    return ex


def _children_first(ex: Exploration) -> tuple[list[int] | None, list[str]]:
    """A topological order with children first, or the scenes of a loop if there is one."""
    pending = [0] * ex.states
    parents: list[list[int]] = [[] for _ in range(ex.states)]
    for sid, moves in enumerate(ex.moves):
        children = {c for m in moves for _, c in m.branches}
        pending[sid] = len(children)
        for c in children:
            parents[c].append(sid)
    ready = [s for s in range(ex.states) if pending[s] == 0]
    order: list[int] = []
    while ready:
        sid = ready.pop()
        order.append(sid)
        for p in parents[sid]:
            pending[p] -= 1
            if pending[p] == 0:
                ready.append(p)
    if len(order) == ex.states:
        return order, []
    return None, sorted({ex.keys[s][0] for s in range(ex.states) if pending[s] > 0})


# ---------------------------------------------------------------------------- strategies

Policy = Callable[[Scene, list[Move]], list[Move]]


def _prefer(order: tuple[Technique, ...]) -> Policy:
    rank = {t: r for r, t in enumerate(order)}

    def pick(scene: Scene, moves: list[Move]) -> list[Move]:
        return [min(moves, key=lambda m: (rank[m.technique], m.choice))]

    return pick


def _first(scene: Scene, moves: list[Move]) -> list[Move]:
    return [moves[0]]


def _uniform(scene: Scene, moves: list[Move]) -> list[Move]:
    return moves


def _greedy_closing(scene: Scene, moves: list[Move]) -> list[Move]:
    return [max(moves, key=lambda m: (scene.choices[m.choice].closing, -m.choice))]


NAIVE: dict[str, Policy] = {
    "always push": _prefer(("push", "blend", "none", "pull")),
    "always pull": _prefer(("pull", "blend", "none", "push")),
    "always first": _first,
    "random": _uniform,
    "greedy on closing": _greedy_closing,
}


def _dp(
    ex: Exploration,
    worth: Callable[[int, list[float]], float],
    leaf: Callable[[int], float],
    step: Callable[[Move], float],
) -> list[float]:
    """Value of every state, children first: `leaf` at ends and stuck states, `worth` picks among moves."""
    assert ex.order is not None
    value = [0.0] * ex.states
    for sid in ex.order:
        moves = ex.moves[sid]
        if not moves:
            value[sid] = leaf(sid)
            continue
        value[sid] = worth(sid, [step(m) + sum(p * value[c] for p, c in m.branches) for m in moves])
    return value


def mean_length(ex: Exploration) -> float:
    """The expected number of choices in a playthrough when every choice is equally likely."""
    return _dp(ex, lambda _s, v: sum(v) / len(v), lambda _s: 0.0, lambda _m: 1.0)[0]


def outcome_scale(ex: Exploration) -> float:
    """What an ending's outcome value is worth in decision points, as the rubric weighs it."""
    w = ex.campaign.rubric.weights
    axes = w.push_pull + w.audience + w.closing
    return (w.outcome / axes if axes else 1.0) * max(1.0, mean_length(ex))


def strategy(ex: Exploration, maximise: bool = True) -> dict[int, int]:
    """The best (or worst) choice at every state, by expected points.

    A move earns its own value (mapped to [0, 1]) and an ending earns its outcome value, weighted as
    the rubric weighs the outcome against the three axes over a typical playthrough. The grade
    itself averages per role, so it is not a sum; the strategy's exact expected grade is then
    computed by `expected_grade`.
    """
    scale = outcome_scale(ex)
    pick = max if maximise else min
    # Points centred on zero: a detour through a poor choice and a recovery must not pay.
    value = _dp(ex, lambda _s, v: pick(v), lambda s: scale * ex.outcome_value(s), lambda m: m.points - 0.5)
    chosen: dict[int, int] = {}
    for sid in range(ex.states):
        moves = ex.moves[sid]
        if moves:
            scores = [m.points - 0.5 + sum(p * value[c] for p, c in m.branches) for m in moves]
            chosen[sid] = moves[scores.index(pick(scores))].choice
    return chosen


def as_policy(chosen: dict[int, int], ex: Exploration) -> Callable[[int, list[Move]], list[Move]]:
    return lambda sid, moves: [m for m in moves if m.choice == chosen[sid]]


@dataclass
class Evaluation:
    """A strategy's exact expected grade, the states it visits and the best and worst lines it plays."""

    expected: float
    visited: set[int]
    high: tuple[float, list[tuple[int, int, int]]]  # (grade, [(state, choice, child), ...])
    low: tuple[float, list[tuple[int, int, int]]]


Counts = tuple[int, int, int, float, float, int]  # push, pull, blend, audience, closing, decisions
_ZERO: Counts = (0, 0, 0, 0.0, 0.0, 0)
_ROLE_AT = {role: i for i, role in enumerate(ROLES)}


def _bump(c: Counts, m: Move) -> Counts:
    t = m.technique
    return (
        c[0] + (t == "push"),
        c[1] + (t == "pull"),
        c[2] + (t == "blend"),
        c[3] + m.audience,
        c[4] + m.closing,
        c[5] + 1,
    )


def evaluate(ex: Exploration, pick: Callable[[int, list[Move]], list[Move]], limit: int = 200_000) -> Evaluation | None:
    """Play a strategy over every chance outcome with exact score tallies (None past `limit` nodes)."""
    rubric = ex.campaign.rubric
    memo: dict[tuple[int, Counts, Counts], float] = {}
    budget = [limit]
    trail: list[tuple[int, int, int]] = []
    result = Evaluation(0.0, set(), (-1.0, []), (101.0, []))
    outcomes = ex.leaf_outcomes()

    def go(sid: int, m_counts: Counts, s_counts: Counts) -> float:
        key = (sid, m_counts, s_counts)
        cached = memo.get(key)
        if cached is not None:
            return cached
        budget[0] -= 1
        if budget[0] < 0:
            raise OverflowError
        result.visited.add(sid)
        moves = ex.moves[sid]
        if not moves:
            tallies = {"marketer": Tally(*m_counts), "salesperson": Tally(*s_counts)}
            value = scorecard_of(tallies, rubric, outcomes[sid]).percent  # type: ignore[arg-type]
            if value > result.high[0]:
                result.high = (value, list(trail))
            if value < result.low[0]:
                result.low = (value, list(trail))
        else:
            picked = pick(sid, moves)
            total = 0.0
            for m in picked:
                if _ROLE_AT[m.role] == 0:
                    nm, ns = _bump(m_counts, m), s_counts
                else:
                    nm, ns = m_counts, _bump(s_counts, m)
                for probability, child in m.branches:
                    trail.append((sid, m.choice, child))
                    total += probability * go(child, nm, ns)
                    trail.pop()
            value = total / len(picked)
        memo[key] = value
        return value

    try:
        result.expected = go(0, _ZERO, _ZERO)
    except (OverflowError, RecursionError):
        return None
    return result


def _outcome_of(ex: Exploration, sid: int) -> Outcome | None:
    node = ex.campaign.node(ex.keys[sid][0])
    return node.outcome if isinstance(node, Ending) else None


def sample_grade(
    ex: Exploration, pick: Callable[[int, list[Move]], list[Move]], runs: int = 4000, seed: int = 1
) -> tuple[float, float]:
    """A strategy's expected grade estimated from seeded playthroughs: (mean, standard error).

    For strategies that pick at random, whose exact expectation would need every path.
    """
    rng = random.Random(seed)
    rubric = ex.campaign.rubric
    grades: list[float] = []
    for _ in range(runs):
        sid, counts = 0, [_ZERO, _ZERO]
        while ex.moves[sid]:
            m = rng.choice(pick(sid, ex.moves[sid]))
            r = _ROLE_AT[m.role]
            counts[r] = _bump(counts[r], m)
            draw, acc = rng.random(), 0.0
            child = m.branches[-1][1]
            for probability, c in m.branches:
                acc += probability
                if draw < acc:
                    child = c
                    break
            sid = child
        tallies = {"marketer": Tally(*counts[0]), "salesperson": Tally(*counts[1])}
        grades.append(scorecard_of(tallies, rubric, _outcome_of(ex, sid)).percent)  # type: ignore[arg-type]
    mean = sum(grades) / len(grades)
    spread = (sum((g - mean) ** 2 for g in grades) / max(1, len(grades) - 1)) ** 0.5
    return mean, spread / len(grades) ** 0.5


def expected_grade(
    ex: Exploration, pick: Callable[[int, list[Move]], list[Move]], limit: int = 200_000
) -> float | None:
    """The exact expected grade of a strategy, over every chance outcome (None past `limit` nodes)."""
    found = evaluate(ex, pick, limit)
    return None if found is None else found.expected


def steps_of(ex: Exploration, trail: list[tuple[int, int, int]]) -> list[PathStep]:
    out = []
    for sid, choice, child in trail:
        scene = ex.campaign.scenes[ex.keys[sid][0]]
        out.append(PathStep(scene.id, choice + 1, scene.choices[choice].text, ex.keys[child][0]))
    return out


def improve(
    ex: Exploration, chosen: dict[int, int], maximise: bool = True, trials: int = 1500
) -> tuple[dict[int, int], Evaluation | None]:
    """Change one choice at a time wherever that raises (or lowers) the exact expected grade.

    At most `trials` strategies are evaluated, so the result does not depend on the machine's speed.
    """
    left = trials
    current = dict(chosen)
    found = evaluate(ex, as_policy(current, ex))
    if found is None:
        return current, None

    def better(a: float, b: float) -> bool:
        return a > b + 1e-9 if maximise else a < b - 1e-9

    changed = True
    while changed and left > 0:
        changed = False
        for sid in sorted(found.visited):
            for move in ex.moves[sid]:
                if move.choice == current.get(sid) or left <= 0:
                    continue
                left -= 1
                trial = {**current, sid: move.choice}
                attempt = evaluate(ex, as_policy(trial, ex))
                if attempt is not None and better(attempt.expected, found.expected):
                    current, found, changed = trial, attempt, True
                    break
            if changed:
                break
    return current, found


def policy_table(ex: Exploration, pick: Callable[[int, list[Move]], list[Move]]) -> dict[int, int]:
    """A deterministic strategy as a table (a random one is not deterministic: it keeps the first pick)."""
    return {sid: pick(sid, moves)[0].choice for sid, moves in enumerate(ex.moves) if moves}


def naive_policy(ex: Exploration, policy: Policy) -> Callable[[int, list[Move]], list[Move]]:
    return lambda sid, moves: policy(ex.campaign.scenes[ex.keys[sid][0]], moves)


def likeliest_line(ex: Exploration, chosen: dict[int, int]) -> tuple[list[PathStep], int]:
    """Follow a strategy from the start, taking the likeliest branch at each chance."""
    sid = 0
    steps: list[PathStep] = []
    while sid in chosen:
        move = next(m for m in ex.moves[sid] if m.choice == chosen[sid])
        _, child = max(move.branches, key=lambda b: b[0])
        scene = ex.campaign.scenes[ex.keys[sid][0]]
        steps.append(PathStep(scene.id, move.choice + 1, scene.choices[move.choice].text, ex.keys[child][0]))
        sid = child
    return steps, sid


def line_tallies(ex: Exploration, steps: list[PathStep]) -> tuple[Tally, Tally]:
    tallies = [Tally(), Tally()]
    for step in steps:
        scene = ex.campaign.scenes[step.scene]
        closing, _, _ = engine.decision_figures(ex.campaign, scene, step.choice - 1)
        choice = scene.choices[step.choice - 1]
        r = ROLES.index(scene.role)
        tallies[r] = tallies[r].add(choice.technique, choice.audience, closing)
    return tallies[0], tallies[1]


def extreme_line(
    ex: Exploration, measure: Callable[[Move], float], leaf: Callable[[int], float], maximise: bool
) -> tuple[list[PathStep], int]:
    """A path (chance outcomes chosen too) that maximises or minimises a sum over its moves."""
    pick = max if maximise else min
    value = [0.0] * ex.states
    best_move: dict[int, tuple[int, int]] = {}
    assert ex.order is not None
    for sid in ex.order:
        options = [(measure(m) + value[c], m.choice, c) for m in ex.moves[sid] for _, c in m.branches]
        if not options:
            value[sid] = leaf(sid)
            continue
        top = pick(options, key=lambda o: o[0])
        value[sid] = top[0]
        best_move[sid] = (top[1], top[2])
    sid = 0
    steps: list[PathStep] = []
    while sid in best_move:
        choice, child = best_move[sid]
        scene = ex.campaign.scenes[ex.keys[sid][0]]
        steps.append(PathStep(scene.id, choice + 1, scene.choices[choice].text, ex.keys[child][0]))
        sid = child
    return steps, sid


def mix_extremes(ex: Exploration, role: Role) -> dict[str, tuple[float, list[PathStep], int]]:
    """The highest and lowest push/pull axis score a role can end with, each with one path.

    The score depends only on the role's number of push/pull moves m and its push points
    P = 2 push + blend (the share is P / 2m). Each state keeps, for each m, a bit mask of the P
    that reach it, so the sets merge with a shift and an OR; one path is then found backwards.
    """
    assert ex.order is not None
    rubric = ex.campaign.rubric
    target = getattr(rubric, role).push_share
    points = {"push": 2, "pull": 0, "blend": 1}
    reach: list[dict[int, int]] = [{} for _ in range(ex.states)]
    reach[0][0] = 1
    parents: list[list[tuple[int, Move]]] = [[] for _ in range(ex.states)]
    for sid in reversed(ex.order):  # parents first
        for move in ex.moves[sid]:
            step = points.get(move.technique) if move.role == role else None
            for _, child in move.branches:
                parents[child].append((sid, move))
                target_sets = reach[child]
                for m, mask in reach[sid].items():
                    if step is None:
                        target_sets[m] = target_sets.get(m, 0) | mask
                    else:
                        target_sets[m + 1] = target_sets.get(m + 1, 0) | (mask << step)
    scored: list[tuple[float, int, int, int]] = []  # (score, end state, m, P)
    for sid in range(ex.states):
        if ex.moves[sid]:
            continue
        for m, mask in reach[sid].items():
            if not m:
                continue
            for pts in range(2 * m + 1):
                if mask >> pts & 1:
                    share = pts / (2 * m)
                    scored.append((max(0.0, 1 - abs(share - target) / rubric.mix_tolerance), sid, m, pts))
    out: dict[str, tuple[float, list[PathStep], int]] = {}
    if not scored:
        return out
    for label, (value, end, m, pts) in (("max", max(scored)), ("min", min(scored))):
        steps: list[PathStep] = []
        sid = end
        while sid != 0 or m or pts:
            for prev, move in parents[sid]:
                step = points.get(move.technique) if move.role == role else None
                pm, pp = (m, pts) if step is None else (m - 1, pts - step)
                if pm >= 0 and pp >= 0 and reach[prev].get(pm, 0) >> pp & 1:
                    scene = ex.campaign.scenes[ex.keys[prev][0]]
                    steps.append(PathStep(scene.id, move.choice + 1, scene.choices[move.choice].text, ex.keys[sid][0]))
                    sid, m, pts = prev, pm, pp
                    break
            else:  # pragma: no cover - the forward sets guarantee a way back
                break
        out[label] = (value, steps[::-1], end)
    return out


def switch_range(ex: Exploration) -> tuple[int, int]:
    """The fewest and most switches of role over complete playthroughs."""
    assert ex.order is not None
    low = [0] * ex.states
    high = [0] * ex.states
    for sid in ex.order:
        options = []
        for move in ex.moves[sid]:
            for _, child in move.branches:
                node = ex.campaign.node(ex.keys[child][0])
                switch = int(isinstance(node, Scene) and node.role != move.role)
                options.append((switch + low[child], switch + high[child]))
        if options:
            low[sid] = min(o[0] for o in options)
            high[sid] = max(o[1] for o in options)
    return low[0], high[0]


def lessons_by_ending(ex: Exploration) -> dict[str, set[int]]:
    """For each ending, the lesson masks of the paths that reach it (one mask per distinct set)."""
    assert ex.order is not None
    masks: list[dict[str, set[int]]] = [{} for _ in range(ex.states)]
    for sid in ex.order:
        if ex.is_end(sid):
            node = ex.campaign.endings[ex.keys[sid][0]]
            masks[sid] = {node.id: {_lesson_bits(node.lessons)}}
            continue
        here: dict[str, set[int]] = {}
        for move in ex.moves[sid]:
            for _, child in move.branches:
                for ending, found in masks[child].items():
                    here.setdefault(ending, set()).update(m | move.lessons for m in found)
        masks[sid] = here
    return masks[0]


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
