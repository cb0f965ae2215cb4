"""Playtesting: seeded random runs, exhaustive exploration, best paths and naive strategies.

Exploration walks every reachable game state with the engine's own rules (branch weights,
deadlines, decision figures), merging states that are equal in everything that can still change
what happens: the scene, the variables still read later, and the deadlines fired. Marks are not
part of the state; strategies are played over the explored graph with exact tallies to get their
expected grade over every chance outcome, and extremes come with one path each. The grade judges
the decisions alone, so the endings reached are figures beside it (`outcome_odds`), never in it.
"""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from dealquest.play import engine
from dealquest.play.scoring import Tally, percent_of
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
    Lesson,
    Role,
    Rubric,
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
    decisions: list[int] = field(default_factory=list)  # how many decisions each run that ended took

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
                report.decisions.append(state.turn)
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
    """One available choice from a state, with its marks and where it can lead."""

    choice: int
    branches: tuple[tuple[float, int], ...]  # (probability, child state id)
    role: Role
    technique: Technique
    push_pull: float | None  # the marks, -2..+2, as the engine gives them (None: the axis does not apply)
    audience: float | None
    closing: float
    value: float  # the weighted mean of the marks, -2..+2
    lessons: int  # bit mask over LESSONS

    def mark(self, axis: Axis) -> float | None:
        return self.push_pull if axis == "push_pull" else self.audience if axis == "audience" else self.closing


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


def explore(campaign: Campaign, max_states: int = 1_000_000) -> Exploration:
    """Every reachable game state, merged, up to `max_states`."""
    with collector_paused():
        return _explore(campaign, max_states)


def _explore(campaign: Campaign, max_states: int) -> Exploration:
    began = time.perf_counter()
    names = list(campaign.header.state)
    spec = campaign.header.state
    live = live_variables(campaign)
    figures: dict[tuple[str, int], tuple[float | None, float | None, float, float, int]] = {}
    for owner in campaign.scenes.values():
        for i in range(len(owner.choices)):
            f = engine.decision_figures(campaign, owner, i)
            m = f.marks
            figures[(owner.id, i)] = (m.push_pull, m.audience, m.closing, f.value, _lesson_bits(f.lessons))

    # Per node, the names to read into its key, a name that is never a variable where the
    # variable is dead there: `values.get` then gives None for it (every state has every name).
    dead = "\0dead"
    slots = {
        node: tuple(n if n in live.get(node, ()) else dead for n in names)
        for node in (*campaign.scenes, *campaign.endings)
    }

    def key_of(scene: str, values: dict[str, int | bool], fired: tuple[str, ...]) -> Key:
        return scene, tuple(map(values.get, slots[scene])), fired

    # Moves are explored in an order of their own (by text), not as listed: states are numbered,
    # and ties between equal strategies broken, the same way however a writer orders the options.
    order = {sid: canonical_order(scene) for sid, scene in campaign.scenes.items()}
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
        for i in order[scene_id]:
            choice = scene.choices[i]
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
            push_pull, audience, closing, worth, lessons = figures[(scene_id, i)]
            if branches:
                here.append(
                    Move(i, tuple(branches), scene.role, choice.technique, push_pull, audience, closing, worth, lessons)
                )
        if not here and complete:
            stuck.append(cursor)
        cursor += 1
    ex = Exploration(campaign, keys, moves, parent, complete, 0.0, max_states, stuck)
    ex.order, ex.loop = _children_first(ex)
    ex.seconds = time.perf_counter() - began
    return ex


def canonical_order(scene: Scene) -> list[int]:
    """A scene's choices in an order that does not depend on how they are listed: by text, then target."""
    c = scene.choices
    return sorted(range(len(c)), key=lambda i: (c[i].text, c[i].goto or "", [b.goto for b in c[i].chance or ()], i))


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
    return None, _one_loop(ex, [p > 0 for p in pending])


def _one_loop(ex: Exploration, left: list[bool]) -> list[str]:
    """The scenes of one loop among the states a topological order could not place, in the order they
    lead to each other, starting at the scene defined first (each state left over leads to another)."""
    sid = next(s for s in range(ex.states) if left[s])
    seen: dict[int, int] = {}
    path: list[int] = []
    while sid not in seen:
        seen[sid] = len(path)
        path.append(sid)
        sid = next(c for m in ex.moves[sid] for _, c in m.branches if left[c])
    scenes = [ex.keys[s][0] for s in path[seen[sid] :]]
    listed = list(ex.campaign.scenes)
    first = min(range(len(scenes)), key=lambda i: listed.index(scenes[i]))
    return scenes[first:] + scenes[:first]


# ---------------------------------------------------------------------------- strategies

#: A strategy as a rule of thumb: given a scene and the moves available, the moves it may take (one
#: is picked uniformly at random when it returns several: ties broken at random).
Policy = Callable[[Scene, list[Move]], list[Move]]
#: A strategy over the explored graph: given a state id and its moves, the moves it may take.
Pick = Callable[[int, list[Move]], list[Move]]


def _prefer(order: tuple[Technique, ...]) -> Policy:
    rank = {t: r for r, t in enumerate(order)}

    def pick(scene: Scene, moves: list[Move]) -> list[Move]:
        # Among equals, the first in the exploration's order, which does not depend on the listing.
        return [min(enumerate(moves), key=lambda im: (rank[im[1].technique], im[0]))[1]]

    return pick


def _first(scene: Scene, moves: list[Move]) -> list[Move]:
    return [min(moves, key=lambda m: m.choice)]


def _uniform(scene: Scene, moves: list[Move]) -> list[Move]:
    return moves


def _longest(scene: Scene, moves: list[Move]) -> list[Move]:
    longest = max(len(scene.choices[m.choice].text) for m in moves)
    return [m for m in moves if len(scene.choices[m.choice].text) == longest]


NAIVE: dict[str, Policy] = {
    "always push": _prefer(("push", "blend", "none", "pull")),
    "always pull": _prefer(("pull", "blend", "none", "push")),
    "always first": _first,
    "always longest": _longest,
    "random": _uniform,
}


def greedy(axis: Axis) -> Policy:
    """Always the highest mark on one axis, ties broken at random; a choice without a mark on that
    axis (technique `none` on push/pull) counts as 0."""

    def pick(scene: Scene, moves: list[Move]) -> list[Move]:
        top = max(m.mark(axis) or 0.0 for m in moves)
        return [m for m in moves if (m.mark(axis) or 0.0) == top]

    return pick


#: Words that say nothing about an option: a strategy that follows them is not a tell.
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just let me more
    most my myself no nor not now of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves s t don ll re ve d m o y""".split()  # noqa: SIM905 (a list to read)
)
_WORD = re.compile(r"[a-z0-9]+")
_BRACES = re.compile(r"\{[^{}]*\}")


def words(text: str) -> frozenset[str]:
    """The words of an option's text that could be a tell: lower case, no stop words, no `{...}`."""
    return frozenset(_WORD.findall(_BRACES.sub(" ", text.lower().replace("’", "'")))) - STOP_WORDS


def word_policy(word: str) -> Policy:
    """Take an option whose text contains `word` when one does (at random among them), else any."""
    cache: dict[tuple[str, int], bool] = {}

    def has(scene: Scene, choice: int) -> bool:
        key = (scene.id, choice)
        found = cache.get(key)
        if found is None:
            found = cache[key] = word in words(scene.choices[choice].text)
        return found

    def pick(scene: Scene, moves: list[Move]) -> list[Move]:
        return [m for m in moves if has(scene, m.choice)] or moves

    return pick


def _move(ex: Exploration, sid: int, choice: int) -> Move:
    return next(m for m in ex.moves[sid] if m.choice == choice)


def reach(ex: Exploration, chosen: dict[int, int]) -> list[float]:
    """The probability that a strategy (a choice per state) passes through each state."""
    assert ex.order is not None
    odds = [0.0] * ex.states
    odds[0] = 1.0
    for sid in reversed(ex.order):  # parents first
        p = odds[sid]
        if p and sid in chosen:
            for q, child in _move(ex, sid, chosen[sid]).branches:
                odds[child] += p * q
    return odds


def visits_at_random(ex: Exploration) -> dict[str, float]:
    """How often each scene is met, on average, by a player who picks uniformly at random."""
    assert ex.order is not None
    odds = [0.0] * ex.states
    odds[0] = 1.0
    out: dict[str, float] = {}
    for sid in reversed(ex.order):  # parents first
        p = odds[sid]
        moves = ex.moves[sid]
        if p and moves:
            scene = ex.keys[sid][0]
            out[scene] = out.get(scene, 0.0) + p
            share = p / len(moves)
            for m in moves:
                for q, child in m.branches:
                    odds[child] += share * q
    return out


def expected_marks(ex: Exploration, chosen: dict[int, int]) -> dict[tuple[Role, Axis], tuple[float, float]]:
    """For each role and axis, a strategy's expected sum of marks and expected number of marks."""
    odds = reach(ex, chosen)
    sums = {ra: [0.0, 0.0] for ra in AXIS_NAMES}
    for sid, choice in chosen.items():
        p = odds[sid]
        if p:
            move = _move(ex, sid, choice)
            for axis in AXES:
                x = move.mark(axis)
                if x is not None:
                    entry = sums[(move.role, axis)]
                    entry[0] += p * x
                    entry[1] += p
    return {ra: (s, n) for ra, (s, n) in sums.items()}


def _linear_table(ex: Exploration, reward: Callable[[Move], float], maximise: bool) -> dict[int, int]:
    """The choice per state that maximises (or minimises) the expected sum of `reward` to the end."""
    assert ex.order is not None
    value = [0.0] * ex.states
    chosen: dict[int, int] = {}
    paid: dict[tuple[Role, float | None, float | None, float], float] = {}  # a reward depends on the marks
    sign = 1.0 if maximise else -1.0
    for sid in ex.order:
        top = -float("inf")
        for m in ex.moves[sid]:
            key = (m.role, m.push_pull, m.audience, m.closing)
            r = paid.get(key)
            if r is None:
                r = paid[key] = reward(m)
            branches = m.branches
            v = r + (value[branches[0][1]] if len(branches) == 1 else sum(p * value[c] for p, c in branches))
            if sign * v > top + 1e-12:  # the first of equals, as listed
                top, value[sid], chosen[sid] = sign * v, v, m.choice
    return chosen


def _first_order(rubric: Rubric, figures: dict[tuple[Role, Axis], tuple[float, float]]) -> Callable[[Move], float]:
    """What a move adds to the grade, to first order around a strategy's expected marks: the
    weight times (mark - that axis's mean) over the number of marks the mean is made of."""
    w = rubric.weights
    scored = [(getattr(w, a), s / n) for (_, a), (s, n) in figures.items() if n > 1e-9]
    overall = sum(wa * mean for wa, mean in scored) / sum(wa for wa, _ in scored) if scored else 0.0
    table: dict[tuple[Role, Axis], tuple[float, float, float]] = {}
    for (role, axis), (s, n) in figures.items():
        weight = getattr(w, axis)
        table[(role, axis)] = (weight, s / n, n) if n > 1e-9 else (weight, overall, 1.0)

    def reward(m: Move) -> float:
        total = 0.0
        for axis in AXES:
            x = m.mark(axis)
            if x is not None:
                weight, mean, n = table[(m.role, axis)]
                total += weight * (x - mean) / n
        return total

    return reward


def strategy(ex: Exploration, maximise: bool = True, rounds: int = 4) -> dict[int, int]:
    """A good start for the best (or worst) strategy: a choice per state for the expected grade.

    The grade is a weighted mean of each role's axis means, not a sum, so no single pass over the
    states finds its optimum. The first pass takes the weighted sum of marks; each later pass pays a
    move what it adds to the grade to first order around the previous strategy's expected means.
    The pass with the best exact expected grade is kept; `improve` then refines it.
    """
    rubric = ex.campaign.rubric
    zero = {ra: (0.0, 1.0) for ra in AXIS_NAMES}
    tables: list[dict[int, int]] = []
    figures = zero
    for _ in range(rounds):
        table = _linear_table(ex, _first_order(rubric, figures), maximise)
        if table in tables:
            break
        tables.append(table)
        figures = expected_marks(ex, table)
    if len(tables) == 1:
        return tables[0]
    graded = [(expected_grade(ex, as_policy(t, ex)), i) for i, t in enumerate(tables)]
    known = [(g, i) for g, i in graded if g is not None]
    if not known:
        return tables[0]
    return tables[(max if maximise else min)(known)[1]]


def as_policy(chosen: dict[int, int], ex: Exploration) -> Pick:
    return lambda sid, moves: [m for m in moves if m.choice == chosen[sid]]


@dataclass
class Evaluation:
    """A strategy's exact expected grade, the states it visits and the best and worst lines it plays."""

    expected: float
    visited: set[int]
    high: tuple[float, list[tuple[int, int, int]]]  # (grade, [(state, choice, child), ...])
    low: tuple[float, list[tuple[int, int, int]]]


#: One role's running sums: push/pull marks and their number, audience marks and their number,
#: closing marks, decisions. The grade depends on nothing else (the push share is not scored).
Counts = tuple[float, int, float, int, float, int]
_ZERO: Counts = (0.0, 0, 0.0, 0, 0.0, 0)
_ROLE_AT = {role: i for i, role in enumerate(ROLES)}


def _bump(c: Counts, m: Move) -> Counts:
    pp, au = m.push_pull, m.audience
    return (
        c[0] + (pp or 0.0),
        c[1] + (pp is not None),
        c[2] + (au or 0.0),
        c[3] + (au is not None),
        c[4] + m.closing,
        c[5] + 1,
    )


class _Grades:
    """The grade of a pair of role counts, each pair worked out once.

    It is `scoring.scorecard_of(...).percent` without the scorecard's reasons and labels, which
    cost more than the sum itself when millions of lines are graded; a test keeps the two equal.
    """

    def __init__(self, rubric: Rubric) -> None:
        w = rubric.weights
        self.weights = (w.push_pull, w.audience, w.closing)
        self.known: dict[tuple[Counts, Counts], float] = {}

    def __call__(self, marketer: Counts, salesperson: Counts) -> float:
        key = (marketer, salesperson)
        found = self.known.get(key)
        if found is None:
            wp, wa, wc = self.weights
            weighted = weight = 0.0
            for c in (marketer, salesperson):
                if c[1]:
                    weighted += wp * c[0] / c[1]
                    weight += wp
                if c[3]:
                    weighted += wa * c[2] / c[3]
                    weight += wa
                if c[5]:
                    weighted += wc * c[4] / c[5]
                    weight += wc
            found = self.known[key] = round(percent_of(weighted / weight), 2) if weight else 0.0
        return found


def evaluate(ex: Exploration, pick: Pick, limit: int = 200_000) -> Evaluation | None:
    """Play a strategy over every chance outcome with exact tallies (None past `limit` nodes).

    A strategy that returns several moves takes each with equal probability."""
    grade = _Grades(ex.campaign.rubric)
    memo: dict[tuple[int, Counts, Counts], float] = {}
    budget = [limit]
    trail: list[tuple[int, int, int]] = []
    result = Evaluation(0.0, set(), (-1.0, []), (101.0, []))

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
            value = grade(m_counts, s_counts)
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


def sample_grade(ex: Exploration, pick: Pick, runs: int = 4000, seed: int = 1) -> tuple[float, float]:
    """A strategy's expected grade estimated from seeded playthroughs: (mean, standard error).

    For strategies that pick at random, whose exact expectation would need every path.
    """
    rng = random.Random(seed)
    grade = _Grades(ex.campaign.rubric)
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
        grades.append(grade(counts[0], counts[1]))
    mean = sum(grades) / len(grades)
    spread = (sum((g - mean) ** 2 for g in grades) / max(1, len(grades) - 1)) ** 0.5
    return mean, spread / len(grades) ** 0.5


def expected_grade(ex: Exploration, pick: Pick, limit: int = 200_000) -> float | None:
    """The exact expected grade of a strategy, over every chance outcome (None past `limit` nodes)."""
    found = evaluate(ex, pick, limit)
    return None if found is None else found.expected


def grade_of(ex: Exploration, pick: Pick, runs: int = 4000, limit: int = 200_000) -> tuple[float, float | None]:
    """A strategy's expected grade and, when it had to be estimated from `runs` seeded playthroughs
    because the exact evaluation passed `limit` nodes, its standard error (None when exact)."""
    exact = expected_grade(ex, pick, limit)
    if exact is not None:
        return exact, None
    return sample_grade(ex, pick, runs)


def steps_of(ex: Exploration, trail: list[tuple[int, int, int]]) -> list[PathStep]:
    out = []
    for sid, choice, child in trail:
        scene = ex.campaign.scenes[ex.keys[sid][0]]
        out.append(PathStep(scene.id, choice + 1, scene.choices[choice].text, ex.keys[child][0]))
    return out


def improve(
    ex: Exploration, chosen: dict[int, int], maximise: bool = True, trials: int = 500
) -> tuple[dict[int, int], Evaluation | None]:
    """Change one choice at a time wherever that raises (or lowers) the exact expected grade.

    Each pass tries the changes that promise most to first order first (weighted by how often the
    strategy meets the state), keeping every one that helps; it stops after a pass that found none.
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
        for sid, choice in _promising(ex, current, maximise):
            if left <= 0:
                break
            if sid not in found.visited or current[sid] == choice:
                continue  # an earlier change of this pass took the strategy elsewhere
            left -= 1
            trial = {**current, sid: choice}
            attempt = evaluate(ex, as_policy(trial, ex))
            if attempt is not None and better(attempt.expected, found.expected):
                current, found, changed = trial, attempt, True
    return current, found


def _promising(ex: Exploration, chosen: dict[int, int], maximise: bool) -> list[tuple[int, int]]:
    """Every other choice at every state a strategy meets, the most promising change first: what it
    adds to the grade to first order, times the chance of meeting the state."""
    odds = reach(ex, chosen)
    met = [sid for sid in ex.order or () if odds[sid] > 0 and sid in chosen]  # children first
    taken = {sid: _move(ex, sid, chosen[sid]) for sid in met}
    sums = {ra: [0.0, 0.0] for ra in AXIS_NAMES}
    for sid, m in taken.items():
        for axis in AXES:
            x = m.mark(axis)
            if x is not None:
                entry = sums[(m.role, axis)]
                entry[0] += odds[sid] * x
                entry[1] += odds[sid]
    reward = _first_order(ex.campaign.rubric, {ra: (s, n) for ra, (s, n) in sums.items()})
    value: dict[int, float] = {}  # a state the strategy does not meet counts 0, a neutral guess
    for sid in met:
        m = taken[sid]
        value[sid] = reward(m) + sum(p * value.get(c, 0.0) for p, c in m.branches)
    sign = 1.0 if maximise else -1.0
    options: list[tuple[float, int, int, int]] = []
    for sid in met:
        for rank, m in enumerate(ex.moves[sid]):
            if m.choice != chosen[sid]:
                gain = reward(m) + sum(p * value.get(c, 0.0) for p, c in m.branches) - value[sid]
                options.append((-sign * gain * odds[sid], sid, rank, m.choice))
    options.sort()
    return [(sid, choice) for _, sid, _, choice in options]


def policy_table(ex: Exploration, pick: Pick) -> dict[int, int]:
    """A deterministic strategy as a table (a random one is not deterministic: it keeps the first pick)."""
    return {sid: pick(sid, moves)[0].choice for sid, moves in enumerate(ex.moves) if moves}


def naive_policy(ex: Exploration, policy: Policy) -> Pick:
    return lambda sid, moves: policy(ex.campaign.scenes[ex.keys[sid][0]], moves)


def likeliest_line(ex: Exploration, chosen: dict[int, int]) -> tuple[list[PathStep], int]:
    """Follow a strategy from the start, taking the likeliest branch at each chance."""
    sid = 0
    steps: list[PathStep] = []
    while sid in chosen:
        move = _move(ex, sid, chosen[sid])
        _, child = max(move.branches, key=lambda b: b[0])
        scene = ex.campaign.scenes[ex.keys[sid][0]]
        steps.append(PathStep(scene.id, move.choice + 1, scene.choices[move.choice].text, ex.keys[child][0]))
        sid = child
    return steps, sid


def line_tallies(ex: Exploration, steps: list[PathStep]) -> tuple[Tally, Tally]:
    """Each role's tally along a line, as the engine would keep it (the push share included)."""
    tallies = [Tally(), Tally()]
    for step in steps:
        scene = ex.campaign.scenes[step.scene]
        m = engine.decision_figures(ex.campaign, scene, step.choice - 1).marks
        r = ROLES.index(scene.role)
        tallies[r] = tallies[r].add(scene.choices[step.choice - 1].technique, m.push_pull, m.audience, m.closing)
    return tallies[0], tallies[1]


def mean_line(
    ex: Exploration, mark: Callable[[Move], float | None], maximise: bool
) -> tuple[float, list[PathStep], int] | None:
    """The path (chance outcomes chosen too) whose mean of `mark` over the moves that have one is
    the highest (or lowest), with that mean; None when no path has a mark.

    Exact, by Dinkelbach's method: find the path that most exceeds the mean found so far, take its
    mean, and repeat until no path exceeds it.
    """
    assert ex.order is not None
    sign = 1.0 if maximise else -1.0
    lam = -float("inf")
    found: tuple[float, list[PathStep], int] | None = None
    for _ in range(100):
        line = _exceeding(ex, mark, sign, lam)
        if line is None:
            break
        total, count, steps, end = line
        mean = total / count
        if found is not None and sign * mean <= lam + 1e-9:
            break
        found, lam = (mean, steps, end), sign * mean
    return found


def _exceeding(
    ex: Exploration, mark: Callable[[Move], float | None], sign: float, lam: float
) -> tuple[float, int, list[PathStep], int] | None:
    """The path with at least one mark that maximises the sum of (sign x mark - lam): its sum of
    marks, their number, its steps and its end (lam = -inf: any path with a mark, the first found)."""
    assert ex.order is not None
    none = -float("inf")
    free = [False] * ex.states  # a way from here to an end with no marked move
    best = [none] * ex.states  # the best sum from here over ways with at least one marked move
    step: dict[int, tuple[int, int, bool]] = {}  # state -> (choice, child, go on freely after it)
    loose: dict[int, tuple[int, int]] = {}  # state -> an unmarked move to a child with a free way
    offset = 0.0 if lam == -float("inf") else lam
    for sid in ex.order:
        moves = ex.moves[sid]
        if not moves:
            free[sid] = True
            continue
        for m in moves:
            x = mark(m)
            for _, child in m.branches:
                if x is None:
                    if free[child] and sid not in loose:
                        free[sid] = True
                        loose[sid] = (m.choice, child)
                    if best[child] > best[sid]:
                        best[sid], step[sid] = best[child], (m.choice, child, False)
                else:
                    gain = sign * x - offset if lam != -float("inf") else 0.0
                    tail = max(best[child], 0.0 if free[child] else none)
                    if tail > none and gain + tail > best[sid]:
                        best[sid], step[sid] = gain + tail, (m.choice, child, best[child] < 0.0 and free[child])
    if best[0] == none:
        return None
    total, count, steps = 0.0, 0, []
    sid, freely = 0, False
    while ex.moves[sid]:
        if freely:
            choice, child = loose[sid]
        else:
            choice, child, freely = step[sid]
        move = _move(ex, sid, choice)
        x = mark(move)
        if x is not None:
            total, count = total + x, count + 1
        scene = ex.campaign.scenes[ex.keys[sid][0]]
        steps.append(PathStep(scene.id, choice + 1, scene.choices[choice].text, ex.keys[child][0]))
        sid = child
    return total, count, steps, sid


def outcome_odds(ex: Exploration, chosen: dict[int, int]) -> dict[str, float]:
    """The probability of each ending under a strategy ("" for getting stuck)."""
    odds = reach(ex, chosen)
    out: dict[str, float] = {}
    for sid, p in enumerate(odds):
        if p and not ex.moves[sid]:
            name = ex.keys[sid][0] if ex.is_end(sid) else ""
            out[name] = out.get(name, 0.0) + p
    return out


@dataclass(frozen=True)
class Turn:
    """A move of a strategy on its way to an unwanted end: a roll that can send it there, or the
    move that lands there."""

    scene: str
    choice: int  # 1-based
    chance: bool  # a roll whose branches differ in how likely the unwanted end is after them
    share: float  # a roll: the probability it adds beyond its best branch; a landing: how often it happens


def turns_toward(ex: Exploration, chosen: dict[int, int], unwanted: Callable[[int], bool]) -> list[Turn]:
    """Where a strategy turns toward an unwanted end (an end for which `unwanted(state)` holds):
    the rolls whose branches differ in how likely that end is after them, and the other moves that
    land on it. The biggest share first."""
    assert ex.order is not None
    risk = [0.0] * ex.states  # the probability of an unwanted end from each state under the strategy
    for sid in ex.order:
        if sid in chosen:
            risk[sid] = sum(q * risk[c] for q, c in _move(ex, sid, chosen[sid]).branches)
        elif not ex.moves[sid]:
            risk[sid] = 1.0 if unwanted(sid) else 0.0
    odds = reach(ex, chosen)
    found: dict[tuple[str, int, bool], float] = {}
    for sid, choice in chosen.items():
        p = odds[sid]
        if not p or risk[sid] < 1e-12:
            continue
        branches = _move(ex, sid, choice).branches
        risks = [risk[c] for _, c in branches]
        if max(risks) - min(risks) > 1e-9:
            key = (ex.keys[sid][0], choice + 1, True)
            found[key] = found.get(key, 0.0) + p * (risk[sid] - min(risks))
        elif landed := sum(q for q, c in branches if not ex.moves[c] and unwanted(c)):
            key = (ex.keys[sid][0], choice + 1, False)
            found[key] = found.get(key, 0.0) + p * landed
    return sorted((Turn(s, c, k, round(v, 4)) for (s, c, k), v in found.items()), key=lambda t: (-t.share, t.scene))


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


def best_options(campaign: Campaign, scene: Scene) -> list[int]:
    """The indices of a scene's best options by their own value (several when they tie)."""
    values = [engine.decision_figures(campaign, scene, i).value for i in range(len(scene.choices))]
    top = max(values)
    return [i for i, v in enumerate(values) if v >= top - 1e-9]


@dataclass(frozen=True)
class PositionBias:
    scenes: int
    first_is_best: list[str]

    @property
    def share(self) -> float:
        return len(self.first_is_best) / self.scenes if self.scenes else 0.0


def position_bias(campaign: Campaign) -> PositionBias:
    """How often a scene's best choice (by its own value, alone at the top) is the first one listed."""
    first: list[str] = []
    counted = 0
    for sid, scene in campaign.scenes.items():
        if len(scene.choices) < 2:
            continue
        counted += 1
        if best_options(campaign, scene) == [0]:
            first.append(sid)
    return PositionBias(counted, first)


@dataclass(frozen=True)
class LengthBias:
    scenes: int
    longest_is_best: list[str]

    @property
    def share(self) -> float:
        return len(self.longest_is_best) / self.scenes if self.scenes else 0.0


def length_bias(campaign: Campaign) -> LengthBias:
    """How often a scene's best choice (by its own value, alone at the top) has the longest text."""
    longest: list[str] = []
    counted = 0
    for sid, scene in campaign.scenes.items():
        if len(scene.choices) < 2:
            continue
        counted += 1
        best = best_options(campaign, scene)
        lengths = [len(c.text) for c in scene.choices]
        if len(best) == 1 and lengths[best[0]] == max(lengths) and lengths.count(max(lengths)) == 1:
            longest.append(sid)
    return LengthBias(counted, longest)


# ---------------------------------------------------------------------------- exact strategies

#: A strategy that may look at the marks earned so far: given a state and each role's running
#: counts, the index of the choice it takes there (a table of one choice per state ignores the counts).
Choose = Callable[[int, Counts, Counts], int]
#: Per role: marks on push/pull, marks on audience, decisions (what the grade divides by).
Numbers = tuple[int, int, int, int, int, int]
#: Per role: the sums of push/pull, audience and closing marks.
Sums = tuple[float, float, float, float, float, float]
#: What a strategy from a position promises: grade = alpha . sums + beta (sums of marks so far).
Piece = tuple[tuple[float, ...], float]

#: Positions (state and numbers of marks so far) an exact search may hold before it gives up.
EXACT_POSITIONS = 150_000
#: Pieces one position may keep before the exact search gives up.
EXACT_PIECES = 64


def table_chooser(table: dict[int, int]) -> Choose:
    """A one-choice-per-state table as a strategy."""
    return lambda sid, m_counts, s_counts: table[sid]


def _numbers(m: Counts, s: Counts) -> Numbers:
    return (m[1], m[3], m[5], s[1], s[3], s[5])


def _sums(m: Counts, s: Counts) -> Sums:
    return (m[0], m[2], m[4], s[0], s[2], s[4])


def _steps(move: Move) -> tuple[Numbers, Sums]:
    """What a move adds to the numbers of marks and to their sums."""
    n = (int(move.push_pull is not None), int(move.audience is not None), 1)
    x = (move.push_pull or 0.0, move.audience or 0.0, move.closing)
    if _ROLE_AT[move.role] == 0:
        return (*n, 0, 0, 0), (*x, 0.0, 0.0, 0.0)
    return (0, 0, 0, *n), (0.0, 0.0, 0.0, *x)


def _all_steps(ex: Exploration) -> list[list[tuple[Numbers, Sums]]]:
    """`_steps` of every move, state by state (worked out once per kind of move: most share their marks)."""
    known: dict[tuple[Role, float | None, float | None, float], tuple[Numbers, Sums]] = {}
    out = []
    for moves in ex.moves:
        row = []
        for m in moves:
            key = (m.role, m.push_pull, m.audience, m.closing)
            step = known.get(key)
            if step is None:
                step = known[key] = _steps(m)
            row.append(step)
        out.append(row)
    return out


def _end_piece(rubric: Rubric, numbers: Numbers) -> Piece:
    """The grade at an end as a linear function of the sums: each axis's weight over its number of
    marks, over the total weight of the axes with marks, on the percentage scale."""
    w = rubric.weights
    weights = (w.push_pull, w.audience, w.closing) * 2
    total = sum(wk for wk, nk in zip(weights, numbers, strict=True) if nk)
    if not total:
        return (0.0,) * 6, 0.0
    scale = 100 / (SCORE_MAX - SCORE_MIN)
    alpha = tuple(scale * wk / (total * nk) if nk else 0.0 for wk, nk in zip(weights, numbers, strict=True))
    return alpha, scale * -SCORE_MIN


class ExactPlay:
    """The exact best (or worst) strategy over every chance outcome, for a player who may look at the
    marks earned so far (the gauges show them).

    The grade is a weighted mean of axis means, so what a choice is worth depends on the marks before
    it and on how many follow. For a given number of marks so far, though, the grade from a position
    is linear in their sums: a strategy from there promises `alpha . sums + beta`. Each position (a
    state and the numbers of marks so far) keeps the promises no other beats for every sum it can
    have, and a choice is made by the promise that is best for the sums actually earned.
    """

    def __init__(self, ex: Exploration, maximise: bool, pieces: dict[tuple[int, Numbers], list[Piece]]) -> None:
        self.ex, self.maximise = ex, maximise
        self.pieces = pieces  # signed: the search maximises the grade, or minus the grade for the worst

    @property
    def expected(self) -> float:
        """The exact expected grade from the start (before each line's grade is rounded)."""
        sign = 1.0 if self.maximise else -1.0
        return sign * max(beta for _, beta in self.pieces[(0, (0, 0, 0, 0, 0, 0))])

    def _worth(self, numbers: Numbers, sums: Sums, move: Move) -> float:
        dn, dx = _steps(move)
        after_n = tuple(a + b for a, b in zip(numbers, dn, strict=True))
        after_x = [a + b for a, b in zip(sums, dx, strict=True)]
        total = 0.0
        for p, child in move.branches:
            total += p * max(
                sum(a * x for a, x in zip(alpha, after_x, strict=True)) + beta
                for alpha, beta in self.pieces[(child, after_n)]  # type: ignore[index]
            )
        return total

    def __call__(self, sid: int, m_counts: Counts, s_counts: Counts) -> int:
        numbers, sums = _numbers(m_counts, s_counts), _sums(m_counts, s_counts)
        best, top = -1, -float("inf")
        for move in self.ex.moves[sid]:  # in the exploration's own order: ties do not depend on the listing
            v = self._worth(numbers, sums, move)
            if v > top + 1e-9:
                best, top = move.choice, v
        return best


#: Every position of a campaign: for each state, the numbers of marks it can be reached with, and the
#: least and most each sum of marks can be there (the box a promise has to win somewhere in to be kept).
Positions = list[dict[Numbers, tuple[list[float], list[float]]]]


def exact_positions(ex: Exploration, positions: int = EXACT_POSITIONS) -> Positions | None:
    """Every position (`Positions`), or None when there are more than `positions`. It is the same for
    the best and the worst strategy, so a search works it out once for both."""
    assert ex.order is not None
    steps = _all_steps(ex)
    if not _positions_fit(ex, steps, positions):
        return None
    reached: Positions = [{} for _ in range(ex.states)]
    reached[0][(0, 0, 0, 0, 0, 0)] = ([0.0] * 6, [0.0] * 6)
    count = 1
    for sid in reversed(ex.order):
        for move, (dn, dx) in zip(ex.moves[sid], steps[sid], strict=True):
            for numbers, (lo, hi) in reached[sid].items():
                after: Numbers = tuple(a + b for a, b in zip(numbers, dn, strict=True))  # type: ignore[assignment]
                low = [a + b for a, b in zip(lo, dx, strict=True)]
                high = [a + b for a, b in zip(hi, dx, strict=True)]
                for _, child in move.branches:
                    box = reached[child].get(after)
                    if box is None:
                        reached[child][after] = (list(low), list(high))
                        count += 1
                        if count > positions:
                            return None
                    else:
                        box[0][:] = map(min, box[0], low)
                        box[1][:] = map(max, box[1], high)
    return reached


def _positions_fit(ex: Exploration, steps: list[list[tuple[Numbers, Sums]]], positions: int) -> bool:
    """Whether there are at most `positions` positions: counted without their boxes, so a campaign
    too big for the exact search is told so in a fraction of the time."""
    assert ex.order is not None
    seen: list[set[Numbers]] = [set() for _ in range(ex.states)]
    seen[0].add((0, 0, 0, 0, 0, 0))
    count = 1
    for sid in reversed(ex.order):
        here = seen[sid]
        for move, (dn, _) in zip(ex.moves[sid], steps[sid], strict=True):
            children = {child for _, child in move.branches}
            for numbers in here:
                after = tuple(a + b for a, b in zip(numbers, dn, strict=True))
                for child in children:
                    there = seen[child]
                    if after not in there:
                        there.add(after)  # type: ignore[arg-type]
                        count += 1
                        if count > positions:
                            return False
    return True


def exact_play(
    ex: Exploration, maximise: bool = True, positions: int = EXACT_POSITIONS, reached: Positions | None = None
) -> ExactPlay | None:
    """The exact best (or worst) strategy, or None when it needs more than `positions` positions or
    too many promises at one (the search then falls back on `strategy` and `improve`). `reached` is
    `exact_positions(ex, positions)` when the caller has it already."""
    assert ex.order is not None
    rubric = ex.campaign.rubric
    sign = 1.0 if maximise else -1.0
    steps = _all_steps(ex)
    if reached is None:
        reached = exact_positions(ex, positions)
        if reached is None:
            return None
    # Children first: the promises at each position, signed so that the search always maximises.
    pieces: dict[tuple[int, Numbers], list[Piece]] = {}
    for sid in ex.order:
        for numbers, box in reached[sid].items():
            if not ex.moves[sid]:
                alpha, beta = _end_piece(rubric, numbers)
                pieces[(sid, numbers)] = [(tuple(sign * a for a in alpha), sign * beta)]
                continue
            found: list[Piece] = []
            for move, (dn, dx) in zip(ex.moves[sid], steps[sid], strict=True):
                after: Numbers = tuple(a + b for a, b in zip(numbers, dn, strict=True))  # type: ignore[assignment]
                if len(move.branches) == 1:  # no chance: the child's promises, moved by the marks (filtered below)
                    for ca, cb in pieces[(move.branches[0][1], after)]:
                        found.append((ca, cb + sum(c * x for c, x in zip(ca, dx, strict=True))))
                    continue
                combos: list[Piece] = [((0.0,) * 6, 0.0)]
                for p, child in move.branches:
                    nxt = []
                    for alpha, beta in combos:
                        for ca, cb in pieces[(child, after)]:
                            nxt.append(
                                (
                                    tuple(a + p * c for a, c in zip(alpha, ca, strict=True)),
                                    beta + p * (cb + sum(c * x for c, x in zip(ca, dx, strict=True))),
                                )
                            )
                    combos = _undominated(nxt, box)
                    if len(combos) > EXACT_PIECES:
                        return None
                found.extend(combos)
            kept = _undominated(found, box)
            if len(kept) > EXACT_PIECES:
                return None
            pieces[(sid, numbers)] = kept
    return ExactPlay(ex, maximise, pieces)


def _undominated(pieces: list[Piece], box: tuple[list[float], list[float]]) -> list[Piece]:
    """The promises that no single other one matches or beats for every sum of marks in the box (the
    least and most each sum can be at the position)."""
    if len(pieces) == 1:  # most positions: nothing to compare
        alpha, beta = pieces[0]
        return [(tuple(round(a, 12) for a in alpha), beta)]
    lo, hi = box
    unique: dict[tuple[float, ...], float] = {}
    for alpha, beta in pieces:
        key = tuple(round(a, 12) for a in alpha)
        if key not in unique or beta > unique[key]:
            unique[key] = beta
    listed = sorted(unique.items(), key=lambda kv: -kv[1])
    kept: list[Piece] = []
    for alpha, beta in listed:
        dominated = False
        for other, other_beta in kept:
            # the least, over the box of sums, of (other - this): other wins everywhere when it is >= 0
            low = other_beta - beta
            for o, a, x, y in zip(other, alpha, lo, hi, strict=True):
                d = o - a
                low += d * x if d >= 0 else d * y  # x <= y: the lesser of d*x and d*y
            if low >= -1e-9:
                dominated = True
                break
        if not dominated:
            kept.append((alpha, beta))
    return kept


@dataclass
class Played:
    """A strategy played over every chance outcome with exact tallies: its expected grade, where it
    ends, its likeliest line and the best and worst lines it plays."""

    expected: float
    ends: dict[int, float]  # end state -> probability
    line: list[tuple[int, int, int]]  # the likeliest line: (state, choice, child)
    high: tuple[float, list[tuple[int, int, int]]]
    low: tuple[float, list[tuple[int, int, int]]]
    nodes: dict[tuple[int, Counts, Counts], tuple[int, list[tuple[float, tuple[int, Counts, Counts]]]]]

    def outcome_odds(self, ex: Exploration) -> dict[str, float]:
        """The probability of each ending ("" for getting stuck)."""
        out: dict[str, float] = {}
        for sid, p in self.ends.items():
            name = ex.keys[sid][0] if ex.is_end(sid) else ""
            out[name] = out.get(name, 0.0) + p
        return out


def play(ex: Exploration, choose: Choose, limit: int = 200_000) -> Played | None:
    """Play a deterministic strategy over every chance outcome (None past `limit` positions)."""
    assert ex.order is not None
    grade = _Grades(ex.campaign.rubric)
    Node = tuple[int, Counts, Counts]
    nodes: dict[Node, tuple[int, list[tuple[float, Node]]]] = {}
    odds: dict[Node, float] = {(0, _ZERO, _ZERO): 1.0}
    rank = {sid: i for i, sid in enumerate(reversed(ex.order))}  # parents first
    waiting: dict[int, list[Node]] = {0: [(0, _ZERO, _ZERO)]}
    ends: dict[int, float] = {}
    expected = 0.0
    high: tuple[float, Node | None] = (-1.0, None)
    low: tuple[float, Node | None] = (101.0, None)
    came: dict[Node, Node] = {}
    for sid in sorted(ex.order, key=rank.__getitem__):
        for node in waiting.pop(sid, ()):
            p = odds[node]
            _, m_counts, s_counts = node
            if not ex.moves[sid]:
                g = grade(m_counts, s_counts)
                expected += p * g
                ends[sid] = ends.get(sid, 0.0) + p
                if g > high[0]:
                    high = (g, node)
                if g < low[0]:
                    low = (g, node)
                nodes[node] = (-1, [])
                continue
            move = _move(ex, sid, choose(sid, m_counts, s_counts))
            if _ROLE_AT[move.role] == 0:
                nm, ns = _bump(m_counts, move), s_counts
            else:
                nm, ns = m_counts, _bump(s_counts, move)
            children = []
            for q, child in move.branches:
                key = (child, nm, ns)
                if key not in odds:
                    if len(odds) >= limit:
                        return None
                    odds[key] = 0.0
                    came[key] = node
                    waiting.setdefault(child, []).append(key)
                odds[key] += p * q
                children.append((q, key))
            nodes[node] = (move.choice, children)

    def trail(end: Node | None) -> list[tuple[int, int, int]]:
        out = []
        while end is not None and end in came:
            parent = came[end]
            out.append((parent[0], nodes[parent][0], end[0]))
            end = parent
        return out[::-1]

    line: list[tuple[int, int, int]] = []
    here: Node = (0, _ZERO, _ZERO)
    while nodes[here][0] >= 0:
        choice, children = nodes[here]
        _, nxt = max(children, key=lambda c: c[0])
        line.append((here[0], choice, nxt[0]))
        here = nxt
    return Played(expected, ends, line, (high[0], trail(high[1])), (low[0], trail(low[1])), nodes)


def turns_of(ex: Exploration, played: Played, unwanted: Callable[[int], bool]) -> list[Turn]:
    """`turns_toward` for a strategy that may look at the marks earned so far."""
    assert ex.order is not None
    rank = {sid: i for i, sid in enumerate(ex.order)}  # children first
    ordered = sorted(played.nodes, key=lambda n: rank[n[0]])
    risk: dict[tuple[int, Counts, Counts], float] = {}
    for node in ordered:
        choice, children = played.nodes[node]
        risk[node] = sum(q * risk[c] for q, c in children) if choice >= 0 else float(unwanted(node[0]))
    odds: dict[tuple[int, Counts, Counts], float] = {(0, _ZERO, _ZERO): 1.0}
    for node in reversed(ordered):  # parents first
        for q, c in played.nodes[node][1]:
            odds[c] = odds.get(c, 0.0) + odds.get(node, 0.0) * q
    found: dict[tuple[str, int, bool], float] = {}
    for node, (choice, children) in played.nodes.items():
        p = odds.get(node, 0.0)
        if choice < 0 or not p or risk[node] < 1e-12:
            continue
        risks = [risk[c] for _, c in children]
        if max(risks) - min(risks) > 1e-9:
            key = (ex.keys[node[0]][0], choice + 1, True)
            found[key] = found.get(key, 0.0) + p * (risk[node] - min(risks))
        elif landed := sum(q for q, c in children if not ex.moves[c[0]] and unwanted(c[0])):
            key = (ex.keys[node[0]][0], choice + 1, False)
            found[key] = found.get(key, 0.0) + p * landed
    return sorted((Turn(s, c, k, round(v, 4)) for (s, c, k), v in found.items()), key=lambda t: (-t.share, t.scene))
