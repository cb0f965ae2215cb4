"""`dealquest playtest`: the writer's safety net as one report, in text or JSON.

The JSON form is documented in docs/AUTHORING.md; `problems` lists what makes the command fail.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from dealquest.authoring.exploration import (
    AXIS_NAMES,
    NAIVE,
    Exploration,
    Move,
    PathStep,
    expected_grade,
    explore,
    extreme_line,
    improve,
    lessons_by_ending,
    lessons_of,
    likeliest_line,
    line_tallies,
    mix_extremes,
    naive_policy,
    outcome_scale,
    policy_table,
    position_bias,
    random_runs,
    sample_grade,
    steps_of,
    strategy,
    switch_range,
)
from dealquest.authoring.storytests import run_story_tests
from dealquest.play.debrief import NO_SCORE, percent
from dealquest.play.scoring import scorecard_of
from dealquest.story.campaign import Campaign
from dealquest.story.checks import reachable
from dealquest.story.conditions import apply_effects
from dealquest.story.model import ROLES, Axis, Ending, Outcome, Role
from dealquest.story.template import render
from dealquest.story.text import clean

RANDOM_SAMPLES = 4000  # playthroughs that estimate the random strategy
IMPROVE_TRIALS = 3000  # strategies evaluated per direction, shared by the starting strategies
NAIVE_MARGIN = 0.10  # a naive strategy within 10% of the best grade is a warning and fails


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
) -> dict[str, Any]:
    problems: list[str] = []
    report: dict[str, Any] = {"campaign": campaign.id, "version": campaign.version, "path": shown}

    static = reachable(campaign)
    for node in [*campaign.scenes, *campaign.endings]:
        if node not in static:
            problems.append(f"'{node}' can never be reached (no choice leads to it)")

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
        }
        for sid, count in rr.stuck.items():
            problems.append(f"{count} random runs got stuck at '{sid}' with no choice available")
        if rr.too_long:
            problems.append(f"{rr.too_long} random runs went on for more than 1000 choices (a loop with no way out?)")

    if exhaustive:
        ex = explore(campaign, max_states)
        report["exhaustive"] = _exhaustive(ex, problems)

    bias = position_bias(campaign)
    report["position_bias"] = {
        "scenes": bias.scenes,
        "first_is_best": len(bias.first_is_best),
        "share": round(bias.share, 3),
        "scene_ids": bias.first_is_best,
    }

    results, diags = run_story_tests(campaign, shown)
    report["tests"] = [
        {"file": r.file, "line": r.line, "column": r.column, "name": r.name, "passed": r.passed, "message": r.message}
        for r in results
    ]
    problems += [d.format() for d in diags]
    problems += [r.format() for r in results if not r.passed]
    report["problems"] = problems
    return report


def _exhaustive(ex: Exploration, problems: list[str]) -> dict[str, Any]:
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
    for node in out["scenes_never_reached"] + out["endings_never_reached"]:
        problems.append(f"'{node}' is never reached in any playthrough (its conditions never hold)")
    out["dead_ends"] = sorted({ex.keys[i][0] for i in ex.stuck})
    for sid in out["dead_ends"]:
        problems.append(f"scene '{sid}' can be reached with every choice unavailable")
    if ex.order is None:
        out["loop"] = ex.loop
        problems.append(f"a playthrough can loop forever without changing the state, through: {', '.join(ex.loop)}")
        return out
    if not any(ex.is_end(i) for i in range(ex.states)):
        problems.append("no playthrough reaches an ending")
        return out

    # The strategy by expected points is a start: the grade averages per role, so one choice at a
    # time is then changed wherever the exact expected grade improves, starting also from every
    # deterministic naive strategy, and the best result is kept.
    naive_tables = {name: policy_table(ex, naive_policy(ex, p)) for name, p in NAIVE.items() if name != "random"}
    lines: dict[str, Any] = {}
    found_high: tuple[float, list[tuple[int, int, int]]] = (-1.0, [])
    found_low: tuple[float, list[tuple[int, int, int]]] = (101.0, [])
    for name, maximise in (("best", True), ("worst", False)):
        candidates = [strategy(ex, maximise), *naive_tables.values()]
        results = [improve(ex, c, maximise, trials=IMPROVE_TRIALS // len(candidates)) for c in candidates]
        scored = [(ev.expected, table, ev) for table, ev in results if ev is not None]
        if not scored:
            problems.append("the strategies have too many chance outcomes to evaluate exactly")
            return out
        expected, chosen, _ = (max if maximise else min)(scored, key=lambda x: x[0])
        for _, _, e in scored:
            found_high = max(found_high, e.high, key=lambda x: x[0])
            found_low = min(found_low, e.low, key=lambda x: x[0])
        steps, end = likeliest_line(ex, chosen)
        card = scorecard_of(dict(zip(ROLES, line_tallies(ex, steps), strict=True)), campaign.rubric, _outcome(ex, end))
        lines[name] = {
            "expected_grade": round(expected, 2),
            "path": _path(ex.campaign, steps),
            "ending": ex.keys[end][0],
            "grade": card.grade,
            "percent": card.percent,
        }
    out.update(lines)
    best = lines["best"]["expected_grade"]

    extremes: dict[str, Any] = {}
    rubric = campaign.rubric
    scale = outcome_scale(ex)
    for name, role, axis in [("grade", None, None), *((f"{r}.{a}", r, a) for r, a in AXIS_NAMES)]:
        entry: dict[str, Any] = {}
        if role is not None and axis == "push_pull":
            for label, (mix, steps, end) in mix_extremes(ex, role).items():
                entry[label] = {"value": round(mix, 4), "path": _path(ex.campaign, steps), "ending": ex.keys[end][0]}
            extremes[name] = entry
            continue
        measure = (lambda m: m.points) if role is None or axis is None else _axis_measure(role, axis)
        for label, maximise in (("max", True), ("min", False)):
            leaf = (lambda s: scale * ex.outcome_value(s)) if role is None else (lambda s: 0.0)
            steps, end = extreme_line(ex, measure, leaf, maximise)
            card = scorecard_of(dict(zip(ROLES, line_tallies(ex, steps), strict=True)), rubric, _outcome(ex, end))
            reached = card.percent if role is None or axis is None else card.axis(role, axis)
            if role is None:  # the strategies' evaluations may have played a better (or worse) line
                played = found_high if maximise else found_low
                if played[1] and (reached is None or (played[0] > reached if maximise else played[0] < reached)):
                    reached, steps, end = played[0], steps_of(ex, played[1]), played[1][-1][2]
            entry[label] = {
                "value": None if reached is None else round(reached, 4),
                "path": _path(ex.campaign, steps),
                "ending": ex.keys[end][0],
            }
        extremes[name] = entry
    out["extremes"] = extremes

    naive: dict[str, Any] = {}
    for name, policy in NAIVE.items():
        estimate: dict[str, Any] = {}
        scored_naive: float | None
        if name == "random":  # its exact expectation would need every path: estimate it
            scored_naive, error = sample_grade(ex, naive_policy(ex, policy), runs=RANDOM_SAMPLES)
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


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _outcome(ex: Exploration, sid: int) -> Outcome | None:
    node = ex.campaign.node(ex.keys[sid][0])
    return node.outcome if isinstance(node, Ending) else None


def _axis_measure(role: Role, axis: Axis) -> Callable[[Move], float]:
    def measure(m: Move) -> float:
        if m.role != role:
            return 0.0
        return float(m.audience if axis == "audience" else m.closing)

    return measure


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
        state = "complete" if ex["complete"] else f"STOPPED at the cap of {ex['max_states']:,}"
        lines.append(
            f"Exhaustive: {ex['states']:,} states ({state}) in {ex['seconds']:.2f}s, "
            f"{ex['states_per_second']:,} states/s"
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
                lines.append(
                    f"  {key} strategy: expected grade {_grade(b['expected_grade'])}; its likeliest line ends at "
                    f"'{b['ending']}' with {b['grade']} ({b['percent']:.1f}%):"
                )
                lines.append("    " + " -> ".join(f"{s['scene']}#{s['choice']}" for s in b["path"]))
            lines.append("  extremes (max / min reachable, each with one path in --format json):")
            for name, e in ex["extremes"].items():
                lines.append(
                    f"    {name:<24} max {_num(e['max']['value'])} (ends '{e['max']['ending']}')"
                    f"   min {_num(e['min']['value'])} (ends '{e['min']['ending']}')"
                )
            lines.append("  naive strategies (expected grade, share of the best):")
            for name, n in ex["naive"].items():
                ratio = n["ratio_to_best"]
                flag = "  <-- too close to the best" if ratio is not None and ratio >= 1 - NAIVE_MARGIN else ""
                shown = f"{percent(ratio):>6}"
                estimate = (
                    f"  (estimated from {n['estimated_from_runs']:,} runs, ±{n['standard_error']:.1f})"
                    if ("estimated_from_runs" in n)
                    else ""
                )
                lines.append(f"    {name:<18} {_grade(n['expected_grade']):>7}  {shown}{flag}{estimate}")
            rs = ex["role_switches"]
            lines.append(f"  role switches per playthrough: {rs['min']} to {rs['max']}")
            lines.append("  lessons by ending (fewest on any path; all lessons met on some path):")
            for ending, c in ex["lessons_by_ending"].items():
                least = c["paths_teach_at_least"]
                lines.append(f"    {ending:<24} {c['outcome']:<8} at least {least}: {', '.join(c['lessons'])}")
        lines.append("")
    pb = report["position_bias"]
    lines.append(
        f"Position bias: the best choice is listed first in {pb['first_is_best']} of {pb['scenes']} scenes "
        f"({pb['share']:.0%})"
    )
    tests = report["tests"]
    if tests:
        passed = sum(t["passed"] for t in tests)
        lines.append(f"Story tests: {passed} of {len(tests)} passed")
        for t in tests:
            if not t["passed"]:
                lines.append(f"  {t['file']}:{t['line']}:{t['column']}: test '{t['name']}': FAILED: {t['message']}")
    else:
        lines.append("Story tests: none (add some under tests/ in the campaign folder)")
    lines.append("")
    if report["problems"]:
        lines.append(f"{len(report['problems'])} problem(s):")
        lines += [f"  - {p}" for p in report["problems"]]
    else:
        lines.append("No problems found.")
    # Ids, grades and titles come from the story: through the one output-safety rule, as escapes.
    return "\n".join(clean(line, visible=True, line=True) for line in lines)


def _grade(value: float | None) -> str:
    """An expected grade, already in percent, to a tenth: "73.4%"."""
    return NO_SCORE if value is None else f"{value:.1f}%"


def _num(value: float | None) -> str:
    return f"{NO_SCORE:>7}" if value is None else f"{value:>7.2f}"
