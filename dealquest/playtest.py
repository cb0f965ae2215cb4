"""`dealquest playtest`: the writer's safety net as one report, in text or JSON.

The JSON form is documented in docs/AUTHORING.md; `problems` lists what makes the command fail.
"""

from __future__ import annotations

from typing import Any

from .analysis import (
    AXIS_NAMES,
    NAIVE,
    Exploration,
    PathStep,
    best_line,
    expected_grade,
    explore,
    lessons_of,
    position_bias,
    random_runs,
    switch_range,
)
from .checks import reachable
from .loader import Campaign
from .storytests import run_story_tests

NAIVE_MARGIN = 0.10  # a naive strategy within 10% of the best grade is a warning and fails


def _path(steps: list[PathStep]) -> list[dict[str, Any]]:
    return [{"scene": s.scene, "choice": s.choice, "text": s.text, "landed": s.landed} for s in steps]


def build_report(
    campaign: Campaign,
    shown: str,
    *,
    runs: int = 1000,
    seed: int = 1,
    exhaustive: bool = False,
    max_states: int = 500_000,
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
    }
    if not ex.complete:
        problems.append(
            f"exploration stopped at the cap of {ex.max_states:,} states; figures are partial "
            "(raise --max-states to explore everything)"
        )
    seen = {ex.keys[i][0] for i in range(ex.states)}
    out["scenes_never_reached"] = [s for s in campaign.scenes if s not in seen]
    out["endings_never_reached"] = [e for e in campaign.endings if e not in seen]
    if ex.complete:
        for node in out["scenes_never_reached"] + out["endings_never_reached"]:
            problems.append(f"'{node}' is never reached in any playthrough (its conditions never hold)")
    out["dead_ends"] = sorted({ex.keys[i][0] for i in ex.stuck})
    for sid in out["dead_ends"]:
        problems.append(f"scene '{sid}' can be reached with every choice unavailable")

    terminals = ex.terminals()
    if not terminals:
        problems.append("no playthrough reaches an ending")
        return out

    best_value = expected_grade(ex, None, maximise=True)
    worst_value = expected_grade(ex, None, maximise=False)
    best_steps, best_end = best_line(ex, best_value, maximise=True)
    worst_steps, worst_end = best_line(ex, worst_value, maximise=False)
    best = best_value[0]
    out["best"] = {
        "expected_grade": round(best, 2),
        "path": _path(best_steps),
        "ending": ex.keys[best_end][0],
        "grade": ex.card(best_end).grade,
        "percent": ex.percent(best_end),
    }
    out["worst"] = {
        "expected_grade": round(worst_value[0], 2),
        "path": _path(worst_steps),
        "ending": ex.keys[worst_end][0],
        "grade": ex.card(worst_end).grade,
        "percent": ex.percent(worst_end),
    }

    extremes: dict[str, Any] = {}
    cards = {t: ex.card(t) for t in terminals}
    measures: list[tuple[str, Any]] = [("grade", lambda t: cards[t].percent)]
    for role, axis in AXIS_NAMES:
        measures.append((f"{role}.{axis}", lambda t, r=role, a=axis: cards[t].axis(r, a)))
    for name, measure in measures:
        scored = [(measure(t), t) for t in terminals if measure(t) is not None]
        if not scored:
            continue
        high = max(scored, key=lambda x: (x[0], -x[1]))
        low = min(scored, key=lambda x: (x[0], x[1]))
        extremes[name] = {
            "max": {"value": round(high[0], 4), "path": _path(ex.path_to(high[1])), "ending": ex.keys[high[1]][0]},
            "min": {"value": round(low[0], 4), "path": _path(ex.path_to(low[1])), "ending": ex.keys[low[1]][0]},
        }
    out["extremes"] = extremes

    naive: dict[str, Any] = {}
    for name, policy in NAIVE.items():
        value = expected_grade(ex, policy)[0]
        ratio = value / best if best else 1.0
        naive[name] = {"expected_grade": round(value, 2), "ratio_to_best": round(ratio, 3)}
        if ratio >= 1 - NAIVE_MARGIN:
            problems.append(
                f"the naive strategy '{name}' scores {value:.1f}%, within {NAIVE_MARGIN:.0%} of the best "
                f"strategy's {best:.1f}%: the story rewards a rule of thumb"
            )
    out["naive"] = naive

    low_switches, high_switches = switch_range(ex)
    out["role_switches"] = {"min": low_switches, "max": high_switches}

    coverage: dict[str, Any] = {}
    for ending in campaign.endings:
        masks = [ex.keys[t][4] for t in terminals if ex.keys[t][0] == ending]
        if not masks:
            continue
        union = 0
        for m in masks:
            union |= m
        coverage[ending] = {
            "paths_teach_at_least": min(bin(m).count("1") for m in masks),
            "lessons": lessons_of(union),
            "outcome": campaign.endings[ending].outcome,
        }
    out["lessons_by_ending"] = coverage
    spread: dict[str, int] = {}
    for t in terminals:
        spread[ex.keys[t][0]] = spread.get(ex.keys[t][0], 0) + 1
    out["end_states_by_ending"] = spread
    return out


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
        lines.append(f"  scenes never reached: {', '.join(ex['scenes_never_reached']) or 'none'}")
        lines.append(f"  endings never reached: {', '.join(ex['endings_never_reached']) or 'none'}")
        if "best" in ex:
            for key in ("best", "worst"):
                b = ex[key]
                lines.append(
                    f"  {key} strategy: expected grade {b['expected_grade']:.1f}%; its likeliest line ends at "
                    f"'{b['ending']}' with {b['grade']} ({b['percent']:.1f}%):"
                )
                lines.append("    " + " -> ".join(f"{s['scene']}#{s['choice']}" for s in b["path"]))
            lines.append("  extremes (max / min reachable, each with one path in --format json):")
            for name, e in ex["extremes"].items():
                lines.append(
                    f"    {name:<24} max {e['max']['value']:>7.2f} (ends '{e['max']['ending']}')"
                    f"   min {e['min']['value']:>7.2f} (ends '{e['min']['ending']}')"
                )
            lines.append("  naive strategies (expected grade, share of the best):")
            for name, n in ex["naive"].items():
                flag = "  <-- too close to the best" if n["ratio_to_best"] >= 1 - NAIVE_MARGIN else ""
                lines.append(f"    {name:<18} {n['expected_grade']:>6.1f}%  {n['ratio_to_best']:>6.0%}{flag}")
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
    return "\n".join(lines)
