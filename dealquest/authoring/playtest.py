"""`dealquest playtest`: the writer's safety net as one report, in text or JSON.

The JSON form is documented in docs/AUTHORING.md; `problems` lists what makes the command fail,
`warnings` what fails it only under `--strict` (the scenario-design checks among them).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Callable
from typing import Any

from dealquest.authoring.exploration import (
    NAIVE,
    Exploration,
    Move,
    PathStep,
    Pick,
    Played,
    as_policy,
    best_options,
    evaluate,
    exact_play,
    exact_positions,
    expected_grade,
    explore,
    grade_of,
    greedy,
    improve,
    length_bias,
    lessons_by_ending,
    lessons_of,
    line_tallies,
    mean_line,
    naive_policy,
    play,
    policy_table,
    position_bias,
    random_runs,
    sample_grade,
    steps_of,
    strategy,
    switch_range,
    table_chooser,
    turns_of,
    visits_at_random,
    word_policy,
    words,
)
from dealquest.authoring.storytests import run_story_tests
from dealquest.play import engine
from dealquest.play.debrief import NO_SCORE
from dealquest.play.runlength import run_length
from dealquest.play.scoring import AXIS_LABEL, Scorecard, format_mark, scorecard_of
from dealquest.story.campaign import Campaign
from dealquest.story.checks import reachable, successors
from dealquest.story.conditions import apply_effects
from dealquest.story.model import AXES, ROLES, Axis, Ending, Outcome, Role, Scene
from dealquest.story.template import render
from dealquest.story.text import clean

RANDOM_SAMPLES = 4000  # playthroughs that estimate the random strategy
STRATEGY_SAMPLES = 1000  # playthroughs that estimate a strategy that breaks ties at random
RANDOMISED_LIMIT = 5000  # nodes an exact evaluation of such a strategy may take before sampling
IMPROVE_TRIALS = 3000  # strategies evaluated per direction, shared by the starting strategies
NAIVE_MARGIN = 0.10  # a naive strategy within 10% of the best grade is a warning and fails

# The scenario-design checks (SUBJECT.md, "Trade-offs"; issue 13, item 6).
GREEDY_GAP = 15.0  # a single-axis greedy strategy ends at least this many grade points below the best
WORD_GAP = 15.0  # so does following any one word
TRADE_OFF_SHARE = 0.5  # at least this share of scenes has a non-best option as good on some axis
LOCKED_BEST_SHARE = 0.6  # an option that can be locked is the best in at most this share of its scenes
SUCCESS_SHARE = 0.8  # best play ends in success in at least this share of seeds, never in failure
POSITION_SHARE = 0.5  # the best option sits at one position in at most this share of scenes
LENGTH_SHARE = 0.5  # the best option is the longest in at most this share of scenes
WORD_CANDIDATES = 8  # words whose strategy is played, the likeliest tells by a quick estimate
SHOWN_SCENES = 8  # scenes listed per check in the text form (all of them in JSON)
#: The rubric's words: feedback should speak of the customer and colleagues, the panel of numbers.
RUBRIC_WORDS = re.compile(r"\b(ceilings?|backfire[sd]?|backfiring|points|axis|axes|score[sd]?|scoring)\b", re.I)


def _path(campaign: Campaign, steps: list[PathStep]) -> list[dict[str, Any]]:
    """A line from the start as JSON, each choice's text as the player saw it there.

    Effects do not depend on chance, so replaying them along the line gives the exact values.
    """
    values = {name: var.initial for name, var in campaign.header.state.items()}
    out = []
    for s in steps:
        choice = campaign.scenes[s.scene].choices[s.choice - 1]
        out.append({"scene": s.scene, "choice": s.choice, "text": render(s.text, values), "landed": s.landed})
        apply_effects(choice, values, campaign.header.state)
    return out


def build_report(
    campaign: Campaign,
    shown: str,
    *,
    runs: int = 1000,
    seed: int = 1,
    exhaustive: bool = False,
    max_states: int = 1_000_000,
    strict: bool = False,
) -> dict[str, Any]:
    problems: list[str] = []
    warnings: list[str] = []
    report: dict[str, Any] = {"campaign": campaign.id, "version": campaign.version, "path": shown}

    static = reachable(campaign)
    for node in [*campaign.scenes, *campaign.endings]:
        if node not in static:
            problems.append(f"'{node}' can never be reached ({_why_unreachable(campaign, node, static)})")

    if runs > 0:
        rr = random_runs(campaign, runs, seed)
        never_taken = [
            f"{sid}#{i + 1}"
            for sid, scene in campaign.scenes.items()
            for i in range(len(scene.choices))
            if (sid, i) not in rr.choices
        ]
        report["random"] = {
            "runs": rr.runs,
            "seed": rr.seed,
            "seconds": round(rr.seconds, 3),
            "runs_per_second": round(rr.runs_per_second, 1),
            "endings": dict(rr.endings.most_common()),
            "grades": dict(sorted(rr.grades.items())),
            "scenes_never_reached": [s for s in campaign.scenes if s not in rr.scenes],
            "endings_never_reached": [e for e in campaign.endings if e not in rr.endings],
            "choices_never_taken": never_taken,
            "stuck": dict(rr.stuck),
            "too_long": rr.too_long,
            "decisions": _decisions(rr.decisions),
        }
        typical = run_length(campaign)
        report["random"]["minutes"] = typical.minutes if typical is not None else None
        for sid, count in rr.stuck.items():
            problems.append(f"{count} random runs got stuck at '{sid}' with no choice available")
        if rr.too_long:
            problems.append(f"{rr.too_long} random runs went on for more than 1000 choices (a loop with no way out?)")

    # The design checks need every reachable state, so the exploration always runs; --exhaustive
    # adds what only a writer tuning the state space needs.
    ex = explore(campaign, max_states)
    searched = _search(ex, seed) if _playable(ex) else None
    if exhaustive:
        report["exhaustive"] = _exhaustive(ex, searched, problems, seed)
    elif ex.order is None and ex.complete:
        problems.append(_loop_problem(ex.loop))
    elif not ex.complete:
        warnings.append(
            f"exploration stopped at the cap of {ex.max_states:,} states: the design checks that play "
            "strategies are skipped (raise --max-states, or see 'Keeping the state small' in docs/AUTHORING.md)"
        )

    bias = position_bias(campaign)
    report["position_bias"] = {
        "scenes": bias.scenes,
        "first_is_best": len(bias.first_is_best),
        "share": round(bias.share, 3),
        "scene_ids": bias.first_is_best,
    }
    long = length_bias(campaign)
    report["length_bias"] = {
        "scenes": long.scenes,
        "longest_is_best": len(long.longest_is_best),
        "share": round(long.share, 3),
        "scene_ids": long.longest_is_best,
    }
    report["design"] = _design(campaign, ex, searched, seed)
    for check in report["design"]["checks"]:
        if check["passed"] is False:
            warnings.extend(check.get("lines") or [f"design: {check['title']}: {check['summary']}"])

    results, diags = run_story_tests(campaign, shown)
    report["tests"] = [
        {"file": r.file, "line": r.line, "column": r.column, "name": r.name, "passed": r.passed, "message": r.message}
        for r in results
    ]
    report["test_file_errors"] = [d.format() for d in diags if d.severity == "error"]
    problems += [d.format() for d in diags]
    problems += [r.format() for r in results if not r.passed]
    report["warnings"] = warnings
    report["problems"] = problems + (warnings if strict else [])
    report["strict"] = strict
    return report


def _why_unreachable(campaign: Campaign, node: str, static: set[str]) -> str:
    """Why a scene or ending can never be reached: nothing leads to it, or only scenes that cannot be
    reached themselves do."""
    sources = [sid for sid in campaign.scenes if node in successors(campaign, sid)]
    sources += [f"deadline {d.id}" for d in campaign.header.deadlines if d.goto == node]
    if not sources:
        return "no choice, branch or deadline leads to it"
    return "only from " + ", ".join(f"'{s}'" for s in sources) + ", which cannot be reached either"


def _loop_problem(loop: list[str]) -> str:
    shown = " -> ".join(f"'{s}'" for s in [*loop, loop[0]])
    return f"a playthrough can loop forever without changing the state: {shown}"


def _decisions(counts: list[int]) -> dict[str, float | int] | None:
    """The median, fewest and most decisions of the random runs that ended (None if none did)."""
    if not counts:
        return None
    return {"median": statistics.median(counts), "min": min(counts), "max": max(counts)}


def _playable(ex: Exploration) -> bool:
    """Whether strategies can be played over the exploration: complete, without loops, with an end."""
    return ex.complete and ex.order is not None and any(ex.is_end(i) for i in range(ex.states))


class _Searched:
    """The best and worst strategies, each played over every chance outcome, and whether each is the
    exact optimum or the best (worst) the search found."""

    def __init__(self, best: tuple[Played, bool], worst: tuple[Played, bool], high: Any, low: Any):
        (self.best, self.best_exact), (self.worst, self.worst_exact) = best, worst
        self.best_grade, self.worst_grade = self.best.expected, self.worst.expected
        self.high: tuple[float, list[tuple[int, int, int]]] = high
        self.low: tuple[float, list[tuple[int, int, int]]] = low


def _search(ex: Exploration, seed: int) -> _Searched | None:
    """The best and worst strategies by exact expected grade (decisions only: the ending is not in it).

    Exact where it fits (`exact_play`: every position, a state with the marks earned so far). Where it
    does not, the search starts from a strategy worked out to first order and changes one choice at a
    time wherever the exact expected grade improves; a deterministic naive strategy that does better
    than the result is improved in turn. That is the best (worst) found, and is labelled so.
    """
    # "always first" depends on how the options are listed, so it does not seed the search: the best
    # and worst strategies are the same however a writer orders a scene's options.
    seeds = [p for name, p in NAIVE.items() if name not in ("random", "always first")]
    naive_tables = [policy_table(ex, naive_policy(ex, p)) for p in seeds]
    high: tuple[float, list[tuple[int, int, int]]] = (-1.0, [])
    low: tuple[float, list[tuple[int, int, int]]] = (101.0, [])
    found: dict[bool, tuple[Played, bool]] = {}
    # Worked out once for both directions: the positions, and the naive strategies' figures.
    reached = exact_positions(ex)
    naive_played = [evaluate(ex, as_policy(table, ex)) for table in naive_tables]
    for other in naive_played:
        if other is not None:
            high = max(high, other.high, key=lambda x: x[0])
            low = min(low, other.low, key=lambda x: x[0])
    for maximise in (True, False):
        sign = 1 if maximise else -1
        exact = exact_play(ex, maximise, reached=reached) if reached is not None else None
        played = play(ex, exact) if exact is not None else None
        if played is None:
            chosen, ev = improve(ex, strategy(ex, maximise), maximise, trials=IMPROVE_TRIALS // 2)
            if ev is None:
                return None
            for table, other in zip(naive_tables, naive_played, strict=True):
                if other is not None and sign * other.expected > sign * ev.expected:
                    table, other = improve(ex, table, maximise, trials=IMPROVE_TRIALS // 2 // len(naive_tables))
                    if other is not None and sign * other.expected > sign * ev.expected:
                        chosen, ev = table, other
            played = play(ex, table_chooser(chosen))
            if played is None:
                return None
        high = max(high, played.high, key=lambda x: x[0])
        low = min(low, played.low, key=lambda x: x[0])
        found[maximise] = (played, exact is not None)
    return _Searched(found[True], found[False], high, low)


def _card(ex: Exploration, steps: list[PathStep], end: int) -> Scorecard:
    return scorecard_of(dict(zip(ROLES, line_tallies(ex, steps), strict=True)), ex.campaign.rubric, _outcome(ex, end))


def _mix(card: Scorecard) -> dict[str, Any]:
    """Each role's push share on a line, next to the role's usual profile: information, not a score."""
    return {
        role: {
            "push": rs.push,
            "pull": rs.pull,
            "blend": rs.blend,
            "share": None if rs.push_share is None else round(rs.push_share, 3),
            "usual": rs.profile_share,
        }
        for role, rs in card.roles.items()
    }


def _exhaustive(ex: Exploration, searched: _Searched | None, problems: list[str], seed: int) -> dict[str, Any]:
    campaign = ex.campaign
    out: dict[str, Any] = {
        "states": ex.states,
        "complete": ex.complete,
        "max_states": ex.max_states,
        "seconds": round(ex.seconds, 3),
        "states_per_second": round(ex.states_per_second),
        "busiest_scenes": dict(Counter(k[0] for k in ex.keys).most_common(5)),
        "spread_at_busiest": _spread(ex),
    }
    if not ex.complete:
        problems.append(
            f"exploration stopped at the cap of {ex.max_states:,} states; figures are partial "
            "(raise --max-states, or merge state: see 'Keeping the state small' in docs/AUTHORING.md)"
        )
        return out
    seen = {k[0] for k in ex.keys}
    out["scenes_never_reached"] = [s for s in campaign.scenes if s not in seen]
    out["endings_never_reached"] = [e for e in campaign.endings if e not in seen]
    static = reachable(campaign)
    for node in out["scenes_never_reached"] + out["endings_never_reached"]:
        if node in static:  # the others are reported once already, with their own reason
            problems.append(
                f"'{node}' is never reached in any playthrough (the choices, branches and deadlines that lead "
                "to it are never available where they are met)"
            )
    out["dead_ends"] = sorted({ex.keys[i][0] for i in ex.stuck})
    for sid in out["dead_ends"]:
        problems.append(f"scene '{sid}' can be reached with every choice unavailable")
    if ex.order is None:
        out["loop"] = ex.loop
        problems.append(_loop_problem(ex.loop))
        return out
    if not any(ex.is_end(i) for i in range(ex.states)):
        problems.append("no playthrough reaches an ending")
        return out
    if searched is None:
        problems.append("the strategies have too many chance outcomes to evaluate exactly")
        return out

    for name, played, exact in (
        ("best", searched.best, searched.best_exact),
        ("worst", searched.worst, searched.worst_exact),
    ):
        steps = steps_of(ex, played.line)
        end = played.line[-1][2] if played.line else 0
        card = _card(ex, steps, end)
        out[name] = {
            "expected_grade": round(played.expected, 2),
            "exact": exact,
            "path": _path(ex.campaign, steps),
            "ending": ex.keys[end][0],
            "grade": card.grade,
            "percent": card.percent,
            "mix": _mix(card),
        }
    best = searched.best_grade

    extremes: dict[str, Any] = {}
    entry: dict[str, Any] = {}
    for label, maximise in (("max", True), ("min", False)):
        # The grade is a mean of means: the line with the highest (lowest) mean value is a candidate,
        # and so is every line the strategies played.
        line = mean_line(ex, lambda m: m.value, maximise)
        reached: float | None = None
        steps = []
        end = 0
        if line is not None:
            _, steps, end = line
            reached = _card(ex, steps, end).percent
        line_played = searched.high if maximise else searched.low
        if line_played[1] and (reached is None or (line_played[0] > reached if maximise else line_played[0] < reached)):
            reached, steps, end = line_played[0], steps_of(ex, line_played[1]), line_played[1][-1][2]
        entry[label] = {"value": _round(reached, 4), "path": _path(ex.campaign, steps), "ending": ex.keys[end][0]}
    extremes["grade"] = entry
    for role in ROLES:
        for axis in AXES:
            entry = {}
            for label, maximise in (("max", True), ("min", False)):
                found = mean_line(ex, _axis_mark(role, axis), maximise)
                if found is None:
                    entry[label] = {"value": None, "path": [], "ending": None}
                else:
                    mean, steps, end = found
                    entry[label] = {
                        "value": round(mean, 4),
                        "path": _path(ex.campaign, steps),
                        "ending": ex.keys[end][0],
                    }
            extremes[f"{role}.{axis}"] = entry
    out["extremes"] = extremes

    naive: dict[str, Any] = {}
    for name, policy in NAIVE.items():
        estimate: dict[str, Any] = {}
        scored_naive: float | None
        if name == "random":  # its exact expectation would need every path: estimate it
            scored_naive, error = sample_grade(ex, naive_policy(ex, policy), runs=RANDOM_SAMPLES, seed=seed)
            estimate = {"estimated_from_runs": RANDOM_SAMPLES, "standard_error": round(error, 2)}
        else:
            scored_naive = expected_grade(ex, naive_policy(ex, policy))
        ratio = scored_naive / best if scored_naive is not None and best else None
        naive[name] = {
            "expected_grade": _round(scored_naive),
            "ratio_to_best": None if ratio is None else round(ratio, 3),
            **estimate,
        }
        if scored_naive is not None and ratio is not None and ratio >= 1 - NAIVE_MARGIN:
            problems.append(
                f"the naive strategy '{name}' scores {scored_naive:.1f}%, within {NAIVE_MARGIN:.0%} of the best "
                f"strategy's {best:.1f}%: the story rewards a rule of thumb"
            )
    out["naive"] = naive

    low_switches, high_switches = switch_range(ex)
    out["role_switches"] = {"min": low_switches, "max": high_switches}

    coverage: dict[str, Any] = {}
    for ending, masks in lessons_by_ending(ex).items():
        union = 0
        for m in masks:
            union |= m
        coverage[ending] = {
            "paths_teach_at_least": min(bin(m).count("1") for m in masks),
            "lessons": lessons_of(union),
            "outcome": campaign.endings[ending].outcome,
        }
    out["lessons_by_ending"] = coverage
    return out


# ---------------------------------------------------------------------------- scenario design


def _design(campaign: Campaign, ex: Exploration, searched: _Searched | None, seed: int) -> dict[str, Any]:
    """The scenario-design checks: does the story reward weighing all three axes, and nothing else?"""
    scenes = [s for s in campaign.scenes.values() if len(s.choices) >= 2]
    best_of = {s.id: set(best_options(campaign, s)) for s in scenes}
    out: dict[str, Any] = {"best": None, "checks": []}
    checks: list[dict[str, Any]] = out["checks"]
    why_not = (
        None
        if searched is not None
        else (
            "needs a complete exploration"
            if not ex.complete
            else "needs playthroughs that end without a loop"
            if ex.order is None or not any(ex.is_end(i) for i in range(ex.states))
            else "the strategies have too many chance outcomes to evaluate exactly"
        )
    )
    best = searched.best_grade if searched is not None else None
    # Only an exact search may call its line *the* best strategy.
    best_words = "the best strategy's" if searched is None or searched.best_exact else "the best found strategy's"
    if searched is not None:
        steps = steps_of(ex, searched.best.line)
        end = searched.best.line[-1][2] if searched.best.line else 0
        odds = searched.best.outcome_odds(ex)
        out["best"] = {
            "expected_grade": round(searched.best_grade, 2),
            "exact": searched.best_exact,
            "decisions": len(steps),
            "endings": {k or "(stuck)": round(v, 4) for k, v in sorted(odds.items(), key=lambda kv: -kv[1])},
            "mix": _mix(_card(ex, steps, end)),
        }

    for axis in AXES:
        checks.append(_greedy_check(campaign, ex, scenes, best_of, axis, best, why_not, seed, best_words))
    checks.append(_trade_off_check(campaign, scenes, best_of))
    checks.append(_locked_check(campaign, ex, best_of))
    checks.append(_word_check(campaign, ex, scenes, best_of, best, why_not, seed, best_words))
    checks.append(_endings_check(ex, searched, why_not))
    checks.append(_position_check(campaign, scenes, best_of))
    checks.append(_length_check(campaign, scenes, best_of))
    checks.append(_rubric_words_check(campaign))
    return out


def _check(
    id_: str, title: str, passed: bool | None, summary: str, figures: dict[str, Any], scenes: list[str]
) -> dict[str, Any]:
    return {"id": id_, "title": title, "passed": passed, "summary": summary, "figures": figures, "scenes": scenes}


def _skipped(id_: str, title: str, why: str) -> dict[str, Any]:
    return _check(id_, title, None, f"skipped: {why}", {}, [])


def _played(ex: Exploration, pick: Pick, seed: int) -> tuple[float, dict[str, Any]]:
    """A strategy's expected grade, exact when it fits, else estimated; and how it was found."""
    grade, error = grade_of(ex, pick, runs=STRATEGY_SAMPLES, limit=RANDOMISED_LIMIT)
    if error is None:
        return grade, {}
    return grade, {"estimated_from_runs": STRATEGY_SAMPLES, "standard_error": round(error, 2)}


def _mark(campaign: Campaign, scene: Scene, i: int, axis: Axis) -> float | None:
    return engine.decision_figures(campaign, scene, i).marks.of(axis)


def _greedy_check(
    campaign: Campaign,
    ex: Exploration,
    scenes: list[Scene],
    best_of: dict[str, set[int]],
    axis: Axis,
    best: float | None,
    why_not: str | None,
    seed: int,
    best_words: str = "the best strategy's",
) -> dict[str, Any]:
    label = AXIS_LABEL[axis].lower()
    id_, title = f"greedy_{axis}", f"always the highest {label} mark"
    if best is None:
        return _skipped(id_, title, why_not or "")
    grade, how = _played(ex, naive_policy(ex, greedy(axis)), seed)
    gap = best - grade
    # The scenes where the axis alone finds a best option: where the story lets one axis stand for all.
    agree = []
    for scene in scenes:
        marks = [_mark(campaign, scene, i, axis) or 0.0 for i in range(len(scene.choices))]
        top = max(marks)
        if any(marks[i] == top for i in best_of[scene.id]):
            agree.append(scene.id)
    passed = gap >= GREEDY_GAP - 1e-9
    summary = (
        f"expected grade {grade:.1f}%, {gap:.1f} points below {best_words} {best:.1f}% "
        f"(needs {GREEDY_GAP:.0f} or more); the highest {label} mark is on a best option in "
        f"{len(agree)} of {len(scenes)} scenes"
    )
    figures = {
        "expected_grade": round(grade, 2),
        "best": round(best, 2),
        "gap": round(gap, 2),
        "needed_gap": GREEDY_GAP,
        **how,
    }
    return _check(id_, title, passed, summary, figures, agree)


def _trade_off_check(campaign: Campaign, scenes: list[Scene], best_of: dict[str, set[int]]) -> dict[str, Any]:
    """Some non-best option beats or equals a best one on at least one axis, in enough scenes."""
    without = []
    for scene in scenes:
        best = best_of[scene.id]
        others = [i for i in range(len(scene.choices)) if i not in best]
        traded = False
        for j in others:
            for b in best:
                for axis in AXES:
                    mj, mb = _mark(campaign, scene, j, axis), _mark(campaign, scene, b, axis)
                    if mj is not None and mb is not None and mj >= mb:
                        traded = True
        if not traded:
            without.append(scene.id)
    share = 1 - len(without) / len(scenes) if scenes else 1.0
    passed = share >= TRADE_OFF_SHARE - 1e-9
    summary = (
        f"{len(scenes) - len(without)} of {len(scenes)} scenes ({share:.0%}) have a non-best option as good "
        f"as the best on some axis (needs {TRADE_OFF_SHARE:.0%}); listed: the scenes where the best wins on every axis"
    )
    figures = {
        "scenes": len(scenes),
        "with_trade_off": len(scenes) - len(without),
        "share": round(share, 3),
        "needed_share": TRADE_OFF_SHARE,
    }
    return _check("trade_offs", "trade-offs", passed, summary, figures, without)


def _locked_check(campaign: Campaign, ex: Exploration, best_of: dict[str, set[int]]) -> dict[str, Any]:
    """An option that needs earlier choices (`requires`) is not the best too often where it is available."""
    appears: set[tuple[str, int]] | None = None
    if ex.complete:
        appears = {(ex.keys[sid][0], m.choice) for sid, moves in enumerate(ex.moves) for m in moves}
    counted: list[str] = []
    locked_best: list[str] = []
    for scene in campaign.scenes.values():
        values = [engine.decision_figures(campaign, scene, i).value for i in range(len(scene.choices))]
        gated = [
            i
            for i, c in enumerate(scene.choices)
            if c.requires is not None and (appears is None or (scene.id, i) in appears)
        ]
        if not gated:
            continue
        counted.append(scene.id)
        free = [values[i] for i, c in enumerate(scene.choices) if c.requires is None]
        if not free or max(values[i] for i in gated) > max(free) + 1e-9:
            locked_best.append(scene.id)
    share = len(locked_best) / len(counted) if counted else 0.0
    passed = share <= LOCKED_BEST_SHARE + 1e-9
    summary = (
        f"an option that needs an earlier choice is the best option in {len(locked_best)} of the {len(counted)} "
        f"scenes where it can be available ({share:.0%}; at most {LOCKED_BEST_SHARE:.0%})"
    )
    figures = {
        "scenes": len(counted),
        "locked_best": len(locked_best),
        "share": round(share, 3),
        "most_share": LOCKED_BEST_SHARE,
    }
    return _check(
        "locked_options", "options unlocked earlier are not the answer", passed, summary, figures, locked_best
    )


def _word_check(
    campaign: Campaign,
    ex: Exploration,
    scenes: list[Scene],
    best_of: dict[str, set[int]],
    best: float | None,
    why_not: str | None,
    seed: int,
    best_words: str = "the best strategy's",
) -> dict[str, Any]:
    """No single word whose strategy, "take the option containing it when one does", nears the best."""
    id_, title = "word_tell", "no word tells the best option"
    if best is None:
        return _skipped(id_, title, why_not or "")
    # A quick estimate picks the likeliest tells: the value of what the word strategy takes, scene
    # by scene, weighted by how often a player meets the scene; only those words are played.
    values = {s.id: [engine.decision_figures(campaign, s, i).value for i in range(len(s.choices))] for s in scenes}
    met = visits_at_random(ex)
    found: dict[str, dict[str, list[int]]] = {}
    for scene in scenes:
        for i, choice in enumerate(scene.choices):
            for w in words(choice.text):
                found.setdefault(w, {}).setdefault(scene.id, []).append(i)
    at_random = sum(met.get(s.id, 0.0) * sum(values[s.id]) / len(values[s.id]) for s in scenes)
    estimate: list[tuple[float, str]] = []
    for w, where in found.items():
        total = at_random
        for sid, taken in where.items():
            vs = values[sid]
            total += met.get(sid, 0.0) * (sum(vs[i] for i in taken) / len(taken) - sum(vs) / len(vs))
        estimate.append((-total, w))
    estimate.sort()
    played = []
    for _, w in estimate[:WORD_CANDIDATES]:
        grade, how = _played(ex, naive_policy(ex, word_policy(w)), seed)
        played.append((grade, w, how))
    if not played:
        return _check(id_, title, True, "no option has a word other than stop words", {"candidates": []}, [])
    played.sort(key=lambda p: (-p[0], p[1]))
    grade, word, how = played[0]
    gap = best - grade
    tells = [s.id for s in scenes if any(i in best_of[s.id] for i in found[word].get(s.id, ()))]
    passed = gap >= WORD_GAP - 1e-9
    summary = (
        f"taking the option with '{word}' whenever there is one ends at {grade:.1f}%, {gap:.1f} points below "
        f"{best_words} {best:.1f}% (needs {WORD_GAP:.0f} or more); '{word}' is in a best option in "
        f"{len(tells)} scene{'s' if len(tells) != 1 else ''}"
    )
    figures = {
        "word": word,
        "expected_grade": round(grade, 2),
        "best": round(best, 2),
        "gap": round(gap, 2),
        "needed_gap": WORD_GAP,
        **how,
        "candidates": [{"word": w, "expected_grade": round(g, 2)} for g, w, _ in played],
    }
    return _check(id_, title, passed, summary, figures, tells)


def _endings_check(ex: Exploration, searched: _Searched | None, why_not: str | None) -> dict[str, Any]:
    """Best play ends in success in most seeds and never in failure: the story rewards good play."""
    id_, title = "best_play_endings", "best play ends well"
    if searched is None:
        return _skipped(id_, title, why_not or "")
    odds = searched.best.outcome_odds(ex)
    outcomes: dict[str, float] = {"success": 0.0, "partial": 0.0, "failure": 0.0, "stuck": 0.0}
    for ending, p in odds.items():
        node = ex.campaign.endings.get(ending)
        outcomes[node.outcome if node is not None else "stuck"] += p
    success, failure = outcomes["success"], outcomes["failure"] + outcomes["stuck"]
    passed = success >= SUCCESS_SHARE - 1e-9 and failure < 1e-9
    turns = turns_of(ex, searched.best, lambda sid: _outcome(ex, sid) != "success")
    summary = (
        f"best play ends in success in {success:.0%} of seeds, partial {outcomes['partial']:.0%}, "
        f"failure {outcomes['failure']:.0%}"
        + (f", stuck {outcomes['stuck']:.0%}" if outcomes["stuck"] else "")
        + f" (needs {SUCCESS_SHARE:.0%} success and no failure); listed: where it turns away from success"
    )
    figures = {
        **{k: round(v, 4) for k, v in outcomes.items()},
        "needed_success": SUCCESS_SHARE,
        "turns": [{"scene": t.scene, "choice": t.choice, "roll": t.chance, "share": t.share} for t in turns],
    }
    scenes = [f"{t.scene}#{t.choice} ({'roll' if t.chance else 'lands'}, {t.share:.0%})" for t in turns]
    return _check(id_, title, passed, summary, figures, scenes)


def _position_check(campaign: Campaign, scenes: list[Scene], best_of: dict[str, set[int]]) -> dict[str, Any]:
    """The best option (alone at the top) does not sit at one position in most scenes."""
    at: dict[int, list[str]] = {}
    for scene in scenes:
        best = best_of[scene.id]
        if len(best) == 1:
            at.setdefault(next(iter(best)), []).append(scene.id)
    position, where = max(at.items(), key=lambda kv: (len(kv[1]), -kv[0]), default=(0, []))
    share = len(where) / len(scenes) if scenes else 0.0
    first = len(at.get(0, [])) / len(scenes) if scenes else 0.0
    passed = share <= POSITION_SHARE + 1e-9
    summary = (
        f"the best option is listed at position {position + 1} in {len(where)} of {len(scenes)} scenes ({share:.0%}; "
        f"at most {POSITION_SHARE:.0%}); first in {first:.0%}"
    )
    figures = {
        "scenes": len(scenes),
        "by_position": {str(p + 1): len(ids) for p, ids in sorted(at.items())},
        "most_common_position": position + 1,
        "share": round(share, 3),
        "first_share": round(first, 3),
        "most_share": POSITION_SHARE,
    }
    return _check("position_bias", "the best option is not always in the same place", passed, summary, figures, where)


def _length_check(campaign: Campaign, scenes: list[Scene], best_of: dict[str, set[int]]) -> dict[str, Any]:
    bias = length_bias(campaign)
    passed = bias.share <= LENGTH_SHARE + 1e-9
    summary = (
        f"the best option is the longest in {len(bias.longest_is_best)} of {bias.scenes} scenes "
        f"({bias.share:.0%}; at most {LENGTH_SHARE:.0%})"
    )
    figures = {"scenes": bias.scenes, "longest_is_best": len(bias.longest_is_best), "share": round(bias.share, 3)}
    figures["most_share"] = LENGTH_SHARE
    return _check("length_bias", "the best option is not the longest", passed, summary, figures, bias.longest_is_best)


def _rubric_words_check(campaign: Campaign) -> dict[str, Any]:
    """Feedback that speaks the rubric's words instead of the customer's: each line a warning."""
    lines: list[str] = []
    where: list[str] = []
    total = 0
    for scene in campaign.scenes.values():
        for i, choice in enumerate(scene.choices):
            total += 1
            found = list(RUBRIC_WORDS.finditer(choice.feedback))
            if not found:
                continue
            said = sorted({m.group(0).lower() for m in found})
            where.append(f"{scene.id}#{i + 1}")
            origin = campaign.choice_origins.get((scene.id, i))
            at = ""
            if origin is not None:  # at the first of the words, inside a block of text too
                place = origin.locate_char(choice.feedback, found[0].start(), "feedback")
                at = f"{place.file}:{place.line}:{place.column}: "
            lines.append(
                f"{at}warning: the feedback of choice {i + 1} of scene '{scene.id}' speaks the rubric's words "
                f"({', '.join(said)}): say what the customer or colleague did and why"
            )
    summary = f"{len(where)} of {total} feedback lines use the rubric's words ({', '.join(_RUBRIC_LIST)})"
    check = _check(
        "rubric_words",
        "feedback speaks of people, not the rubric",
        not where,
        summary,
        {"lines": len(where), "of": total},
        where,
    )
    check["lines"] = lines
    return check


_RUBRIC_LIST = ("ceiling", "backfire", "points", "axis", "score")


def _spread(ex: Exploration) -> dict[str, int]:
    """How many values each variable takes among the states of the busiest scene: what multiplies states."""
    if not ex.keys:
        return {}
    busiest = Counter(k[0] for k in ex.keys).most_common(1)[0][0]
    names = list(ex.campaign.header.state)
    values: dict[str, set[object]] = {n: set() for n in names}
    for key in ex.keys:
        if key[0] == busiest:
            for name, value in zip(names, key[1], strict=True):
                values[name].add(value)
    counts = {n: len(v) for n, v in values.items() if len(v) > 1}
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _outcome(ex: Exploration, sid: int) -> Outcome | None:
    node = ex.campaign.node(ex.keys[sid][0])
    return node.outcome if isinstance(node, Ending) else None


def _axis_mark(role: Role, axis: Axis) -> Callable[[Move], float | None]:
    def mark(m: Move) -> float | None:
        return m.mark(axis) if m.role == role else None

    return mark


# ---------------------------------------------------------------------------- text


def format_text(report: dict[str, Any]) -> str:
    lines = [f"Playtest of {report['campaign']} {report['version']} ({report['path']})", ""]
    r = report.get("random")
    if r:
        lines.append(
            f"Random runs: {r['runs']} (seed {r['seed']}) in {r['seconds']:.2f}s, {r['runs_per_second']:.0f} runs/s"
        )
        total = sum(r["endings"].values()) or 1
        lines.append("  endings: " + ", ".join(f"{k} {v / total:.0%}" for k, v in r["endings"].items()))
        lines.append("  grades:  " + ", ".join(f"{k} {v / total:.0%}" for k, v in r["grades"].items()))
        d = r["decisions"]
        if d is not None:
            minutes = f"; about {r['minutes']} minutes for a first-time player" if r["minutes"] is not None else ""
            lines.append(f"  decisions per run: median {d['median']:g} (from {d['min']} to {d['max']}){minutes}")
        for key, label in (
            ("scenes_never_reached", "scenes never reached"),
            ("endings_never_reached", "endings never reached"),
            ("choices_never_taken", "choices never taken"),
        ):
            items = r[key]
            lines.append(f"  {label}: {', '.join(items) if items else 'none'}")
        lines.append("")
    ex = report.get("exhaustive")
    if ex:
        lines += _exhaustive_text(ex)
    pb = report["position_bias"]
    lines.append(
        f"Position bias: the best choice is listed first in {pb['first_is_best']} of {pb['scenes']} scenes "
        f"({pb['share']:.0%})"
    )
    lb = report["length_bias"]
    lines.append(
        f"Length bias: the best choice is the longest in {lb['longest_is_best']} of {lb['scenes']} scenes "
        f"({lb['share']:.0%})"
    )
    lines.append("")
    lines += _design_text(report["design"], report["strict"])
    tests = report["tests"]
    if tests:
        passed = sum(t["passed"] for t in tests)
        lines.append(f"Story tests: {passed} of {len(tests)} passed")
        for t in tests:
            if not t["passed"]:
                lines.append(f"  {t['file']}:{t['line']}:{t['column']}: test '{t['name']}': FAILED: {t['message']}")
    elif report.get("test_file_errors"):
        lines.append("Story tests: none could be run; the test files have errors (listed under problems)")
    else:
        lines.append("Story tests: none (add some under tests/ in the campaign folder)")
    lines.append("")
    warnings = [w for w in report["warnings"] if w not in report["problems"]]
    if warnings:
        lines.append(f"{len(warnings)} warning(s) (they fail the command with --strict):")
        lines += [f"  - {w}" for w in warnings]
        lines.append("")
    if report["problems"]:
        lines.append(f"{len(report['problems'])} problem(s):")
        lines += [f"  - {p}" for p in report["problems"]]
    else:
        lines.append("No problems found.")
    # Ids, grades and titles come from the story: through the one output-safety rule, as escapes.
    return "\n".join(clean(line, visible=True, line=True) for line in lines)


def _exhaustive_text(ex: dict[str, Any]) -> list[str]:
    lines = []
    state = "complete" if ex["complete"] else f"STOPPED at the cap of {ex['max_states']:,}"
    lines.append(
        f"Exhaustive: {ex['states']:,} states ({state}) in {ex['seconds']:.2f}s, {ex['states_per_second']:,} states/s"
    )
    lines.append("  most states at: " + ", ".join(f"{k} ({v:,})" for k, v in ex["busiest_scenes"].items()))
    if ex["spread_at_busiest"]:
        lines.append(
            "  values per variable there: " + ", ".join(f"{k} {v}" for k, v in ex["spread_at_busiest"].items())
        )
    if "scenes_never_reached" in ex:
        lines.append(f"  scenes never reached: {', '.join(ex['scenes_never_reached']) or 'none'}")
        lines.append(f"  endings never reached: {', '.join(ex['endings_never_reached']) or 'none'}")
    if "best" in ex:
        for key in ("best", "worst"):
            b = ex[key]
            name = f"{key} strategy (exact)" if b["exact"] else f"{key} found (the exact search did not fit)"
            lines.append(
                f"  {name}: expected grade {_pct(b['expected_grade'])}; its likeliest line ends at "
                f"'{b['ending']}' with {b['grade']} ({b['percent']:.1f}%):"
            )
            lines.append("    " + " -> ".join(f"{s['scene']}#{s['choice']}" for s in b["path"]))
            lines.append("    push share on it: " + _mix_text(b["mix"]))
        lines.append("  extremes (max / min reachable, each with one path in --format json):")
        for name, e in ex["extremes"].items():
            scale = _pct if name == "grade" else _mark_text
            lines.append(
                f"    {name:<24} max {scale(e['max']['value']):>7} (ends '{e['max']['ending']}')"
                f"   min {scale(e['min']['value']):>7} (ends '{e['min']['ending']}')"
            )
        lines.append("  naive strategies (expected grade, share of the best):")
        for name, n in ex["naive"].items():
            ratio = n["ratio_to_best"]
            flag = "  <-- too close to the best" if ratio is not None and ratio >= 1 - NAIVE_MARGIN else ""
            shown = f"{NO_SCORE:>6}" if ratio is None else f"{ratio:>6.0%}"
            estimate = (
                f"  (estimated from {n['estimated_from_runs']:,} runs, ±{n['standard_error']:.2f})"
                if ("estimated_from_runs" in n)
                else ""
            )
            lines.append(f"    {name:<18} {_pct(n['expected_grade']):>7}  {shown}{flag}{estimate}")
        rs = ex["role_switches"]
        lines.append(f"  role switches per playthrough: {rs['min']} to {rs['max']}")
        lines.append("  lessons by ending (fewest on any path; all lessons met on some path):")
        for ending, c in ex["lessons_by_ending"].items():
            least = c["paths_teach_at_least"]
            lines.append(f"    {ending:<24} {c['outcome']:<8} at least {least}: {', '.join(c['lessons'])}")
    lines.append("")
    return lines


def _mix_text(mix: dict[str, Any]) -> str:
    parts = []
    for role, m in mix.items():
        share = "no push or pull move" if m["share"] is None else f"{m['share']:.0%}"
        parts.append(f"{role} {share} (usually about {m['usual']:.0%})")
    return "; ".join(parts) + " (information, not scored)"


def _design_text(design: dict[str, Any], strict: bool) -> list[str]:
    lines = ["Scenario design" + (" (--strict: a failed check fails the command)" if strict else "") + ":"]
    best = design["best"]
    if best is not None:
        ends = ", ".join(f"{k} {v:.0%}" for k, v in best["endings"].items())
        name = "best strategy (exact)" if best["exact"] else "best found (the exact search did not fit)"
        lines.append(
            f"  {name}: expected grade {best['expected_grade']:.1f}%; ends {ends}; "
            f"{best['decisions']} decisions on its likeliest line"
        )
        lines.append("  push share on its likeliest line: " + _mix_text(best["mix"]))
    for check in design["checks"]:
        mark = {True: "ok  ", False: "FAIL", None: "skip"}[check["passed"]]
        lines.append(f"  {mark} {check['title']}: {check['summary']}")
        scenes = check["scenes"]
        if scenes and check["passed"] is not True:
            more = f" and {len(scenes) - SHOWN_SCENES} more" if len(scenes) > SHOWN_SCENES else ""
            lines.append(f"         {', '.join(scenes[:SHOWN_SCENES])}{more}")
    lines.append("")
    return lines


def _pct(value: float | None) -> str:
    return NO_SCORE if value is None else f"{value:.1f}%"


def _mark_text(value: float | None) -> str:
    return format_mark(value)
