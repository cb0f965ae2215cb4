"""DealQuest's performance figures, each against a floor measured side by side in the same run.

    python benchmarks/run.py            # every figure, a few minutes
    python benchmarks/run.py --quick    # a smaller set, a few minutes

One line per figure: what was measured, the floor it is compared with, the ratio, the target,
and ok or MISS. The exit status is 1 when any figure misses its target. Floors and subjects
take turns (and repeat, and the medians are compared) so other work on the machine weighs on
both alike. Nothing here is a test: the test suite has no timed assertions.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from first_paint import first_paint  # noqa: E402
from gen_campaign import generate, generate_densest  # noqa: E402

from dealquest.authoring import exploration as analysis  # noqa: E402
from dealquest.cli.main import main as dealquest_main  # noqa: E402
from dealquest.play import engine, saves  # noqa: E402
from dealquest.story import files as story_listing  # noqa: E402
from dealquest.story.campaign import Campaign  # noqa: E402
from dealquest.story.library import bundled  # noqa: E402
from dealquest.story.loader import MAX_SCENES, load_campaign  # noqa: E402
from dealquest.userdata.files import HOME_ENV  # noqa: E402

PYTHON = sys.executable
DEALQUEST = str(Path(PYTHON).with_name("dealquest"))
MB = 1024 * 1024


# ---------------------------------------------------------------------------------------- report


@dataclass
class Figure:
    name: str
    measured: str
    floor: str
    ratio: float | None
    target: str
    ok: bool

    def line(self) -> str:
        ratio = "" if self.ratio is None else f"{self.ratio:.2f}x"
        verdict = "ok" if self.ok else "MISS"
        return f"{self.name:<46} {self.measured:>17} {self.floor:>17} {ratio:>7}  {self.target:<12} {verdict}"


FIGURES: list[Figure] = []


def report(name: str, measured: str, floor: str, ratio: float | None, target: str, ok: bool) -> None:
    figure = Figure(name, measured, floor, ratio, target, ok)
    FIGURES.append(figure)
    print(figure.line(), flush=True)


def against(name: str, subject: float, floor: float, limit: float, unit: str = "s") -> None:
    """A figure that is a ratio to a floor: at most `limit` times it."""
    ratio = subject / floor
    report(name, _show(subject, unit), _show(floor, unit), ratio, f"<= {limit:g}x", ratio <= limit)


def _show(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "us":
        return f"{value * 1e6:.1f} us/step"
    return f"{value:.1f} {unit}"


def side_by_side(floor: Callable[[], float], subject: Callable[[], float], rounds: int) -> tuple[float, float]:
    """Medians of the two timings, taken in turns (floor first in odd rounds, subject first in even)."""
    floors: list[float] = []
    subjects: list[float] = []
    for n in range(rounds):
        if n % 2:
            subjects.append(subject())
            floors.append(floor())
        else:
            floors.append(floor())
            subjects.append(subject())
    return statistics.median(floors), statistics.median(subjects)


def timed(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        yield


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def loaded(folder: Path) -> Campaign | None:
    result = load_campaign(folder)
    return result.campaign if result.ok else None


# -------------------------------------------------------------------------------------- cold start


def install_wheel(work: Path) -> Path | None:
    """Build the wheel and install it (no dependencies) into a folder, as pip installs it for a player."""
    wheels, target = work / "wheel", work / "installed"
    build = [PYTHON, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)]
    with contextlib.suppress(ImportError):
        import hatchling  # noqa: F401 (the build backend: with it here, no download is needed)

        build.insert(4, "--no-build-isolation")
    if subprocess.run(build, capture_output=True, check=False).returncode != 0:
        return None
    wheel = next(wheels.glob("dealquest-*.whl"))
    install = [PYTHON, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target", str(target), str(wheel)]
    if subprocess.run(install, capture_output=True, check=False).returncode != 0:
        return None
    return target


def byte_compiled(installed: Path | None) -> None:
    """pip byte-compiles the wheel's modules when it installs them: every module has its .pyc."""
    if installed is None:
        report("install: wheel modules byte-compiled", "wheel not built", "", None, "all .pyc", False)
        return
    modules = list((installed / "dealquest").rglob("*.py"))
    compiled = [m for m in modules if list(m.parent.glob(f"__pycache__/{m.stem}.*.pyc"))]
    report(
        "install: wheel modules byte-compiled",
        f"{len(compiled)} of {len(modules)}",
        "",
        None,
        "all .pyc",
        len(compiled) == len(modules),
    )


def cold_start(rounds: int, home: Path, installed: Path | None) -> None:
    env = {"DEALQUEST_HOME": str(home)}
    floor_cmd = [PYTHON, str(HERE / "floor_app.py")]
    if installed is not None:  # the game as a player has it: installed from the wheel, byte-compiled
        env["PYTHONPATH"] = str(installed)
        subject_cmd = [PYTHON, str(installed / "bin" / "dealquest")]
    else:  # no wheel (no build backend here): the checkout, byte-compiled as an install would be
        import compileall

        compileall.compile_dir(ROOT / "dealquest", quiet=1)
        subject_cmd = [DEALQUEST]
    first_paint(floor_cmd, b"A minimal Textual app")  # the page cache, for both, before timing
    first_paint(subject_cmd, b"D E A L Q U E S T", env)
    floor, subject = side_by_side(
        lambda: first_paint(floor_cmd, b"A minimal Textual app"),
        lambda: first_paint(subject_cmd, b"D E A L Q U E S T", env),
        rounds,
    )
    against("cold start: `dealquest` to its painted title", subject, floor, 1.3)


def no_textual_for_commands(folder: Path) -> None:
    """validate, list, schema and playtest never import Textual (tests/test_import_hygiene.py too)."""
    commands = [["validate", str(folder)], ["list"], ["schema"], ["playtest", str(folder), "--runs", "20"]]
    code = (
        "import sys, contextlib, io\n"
        "from dealquest.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        f"    for argv in {commands!r}: main(argv)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual')[:3])\n"
    )
    out = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    report(
        "imports: validate/list/schema/playtest",
        "no Textual" if out == "[]" else f"imports {out}",
        "",
        None,
        "no Textual",
        out == "[]",
    )


# ------------------------------------------------------------------------------------ turn latency


def turn_latency(turns: int, folder: Path) -> None:
    out = subprocess.run(
        [PYTHON, str(HERE / "turns.py"), str(turns), str(folder)], capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        report("turn latency", "failed", "", None, "", False)
        print(out.stderr[-2000:], file=sys.stderr)
        return
    result = json.loads(out.stdout)
    floor = result["floor"]
    for label, key in (("choice key -> feedback painted", "choice"), ("Enter -> next scene painted", "continue")):
        for share, name in ((0.5, "p50"), (0.95, "p95")):
            against(f"turn {name}: {label}", percentile(result[key], share), percentile(floor, share), 1.5)


# ---------------------------------------------------------------------------------- serve, many tabs


def serve_tabs(tabs: int, choices: int, think: tuple[float, float]) -> None:
    """`dealquest serve` with TABS browser sessions at once (benchmarks/serve_tabs.py): the choice's
    latency against one tab alone, the memory per tab against a bare Textual app served the same way."""
    command = [PYTHON, str(HERE / "serve_tabs.py"), "--json", "--tabs", str(tabs), "--choices", str(choices)]
    command += ["--think", *(f"{s:g}" for s in think)]
    out = subprocess.run(command, capture_output=True, text=True, check=False, timeout=1200)
    name = f"serve {tabs} tabs"
    if out.returncode != 0:
        report(f"{name}: the run", "failed", "", None, "", False)
        print(out.stderr[-2000:], file=sys.stderr)
        return
    result = json.loads(out.stdout)
    solo, many = result["solo"], result["many"]
    against(f"{name}: choice -> next screen p95", percentile(many, 0.95), percentile(solo, 0.95), 3)
    print(
        f"    p50 {percentile(many, 0.5) * 1000:.1f} ms, one tab alone {percentile(solo, 0.5) * 1000:.1f} ms; "
        f"{len(many)} choices at {tabs} tabs, {len(solo)} alone, {think[0]:g}-{think[1]:g} s to read each screen"
    )
    per_tab = statistics.fmean(result["tabs_mib"])
    bare = statistics.fmean(result["bare_tabs_mib"])
    against(f"{name}: memory per tab (PSS)", per_tab, bare, 1.3, unit="MiB")
    total = result["server_mib"] + sum(result["tabs_mib"])
    print(
        f"    server {result['server_mib']:.1f} MiB, in all {total / 1024:.2f} GiB with its {tabs} games "
        f"(the largest {max(result['tabs_mib']):.1f} MiB); CPU per choice {result['cpu_per_choice'] * 1000:.0f} ms; "
        f"all {tabs} tabs opened and signed in at once in {result['signed_in']:.1f} s"
    )
    lost = result["problems"]
    report(
        f"{name}: choices recorded",
        f"{result['recorded']:,} of {result['expected']:,}",
        "",
        None,
        "none lost",
        not lost and result["recorded"] == result["expected"],
    )
    for problem in lost[:5]:
        print(f"    {problem}")


# -------------------------------------------------------------------------------------- validation


def story_files(folder: Path) -> list[Path]:
    return [path for path, _ in story_listing.story_files(folder, str(folder)).files]


def parse_only(files: list[Path]) -> None:
    for path in files:
        yaml.load(path.read_bytes().decode("utf-8"), Loader=yaml.CSafeLoader)


def validate(folder: Path) -> None:
    with quiet():
        dealquest_main(["validate", str(folder)])


def validation_against_parsing(name: str, folder: Path, rounds: int) -> tuple[float, float]:
    """`dealquest validate` of a folder against PyYAML's C loader parsing its story files: both times."""
    files = story_files(folder)
    floor, subject = side_by_side(
        lambda: timed(lambda: parse_only(files)), lambda: timed(lambda: validate(folder)), rounds
    )
    against(name, subject, floor, 3)
    return subject, floor


def validation_bundled(rounds: int) -> None:
    for folder in bundled():
        validation_against_parsing(f"validate {folder.name} (vs PyYAML C loader)", folder, rounds)


def validation_synthetic(sizes: tuple[int, ...], rounds: int, work: Path) -> None:
    """The same 3x at every size, and time per scene flat from the smallest to the largest: the
    growth is compared with the parser's over the same files, which is linear in their size."""
    times: dict[int, tuple[float, float]] = {}
    for size in sizes:
        folder = generate(size, work / f"synthetic_{size}")
        times[size] = validation_against_parsing(
            f"validate {size:,} synthetic scenes", folder, rounds if size < 5000 else max(1, rounds // 2)
        )
    small, large = min(sizes), max(sizes)
    shown = ", ".join(f"{n:,} scenes {times[n][0]:.2f} s ({times[n][0] / n * 1e3:.2f} ms/scene)" for n in sizes)
    print(f"    validation time by size: {shown}")
    ours = (times[large][0] / large) / (times[small][0] / small)
    parser = (times[large][1] / large) / (times[small][1] / small)
    report(
        f"validate: time/scene {large:,} vs {small:,}",
        f"x{ours:.2f} per scene",
        f"x{parser:.2f} (parser)",
        ours / parser,
        "<= 1.3x",
        ours / parser <= 1.3,
    )


# ------------------------------------------------------------------------------------------ engine


def plain_graph(campaign: Campaign) -> dict[str, Any]:
    """The campaign as plain dicts and lists: the graph a bare walk needs, and nothing else."""

    def cond(c: Any) -> Any:
        return None if c is None else c.model_dump(by_alias=True, exclude_none=True)

    return {
        "start": campaign.header.start,
        "initial": {n: v.initial for n, v in campaign.header.state.items()},
        "ranges": {n: (v.min, v.max) for n, v in campaign.header.state.items() if v.type == "counter"},
        "endings": set(campaign.endings),
        "roles": {sid: s.role for sid, s in campaign.scenes.items()},
        "deadlines": [
            {"id": d.id, "when": cond(d.when), "roles": list(d.roles), "goto": d.goto}
            for d in campaign.header.deadlines
        ],
        "scenes": {
            sid: [
                {
                    "requires": cond(c.requires),
                    "set": dict(c.set),
                    "add": dict(c.add),
                    "clamp": {k: tuple(v) for k, v in c.clamp.items()},
                    "goto": c.goto,
                    "chance": None
                    if c.chance is None
                    else [
                        {
                            "goto": b.goto,
                            "weight": b.weight,
                            "when": cond(b.when),
                            "bonus": b.bonus,
                            "bonus_when": cond(b.bonus_when),
                        }
                        for b in c.chance
                    ],
                }
                for c in s.choices
            ]
            for sid, s in campaign.scenes.items()
        },
    }


def _holds(c: Any, values: dict[str, Any]) -> bool:
    if c is None:
        return True
    if "flag" in c:
        return bool(values.get(c["flag"]))
    if "all" in c:
        return all(_holds(x, values) for x in c["all"])
    if "any" in c:
        return any(_holds(x, values) for x in c["any"])
    if "not" in c:
        return not _holds(c["not"], values)
    value = values.get(c["var"], 0)
    for op, limit in c.items():
        if op == "eq":
            return bool(value == limit)
        if op == "ne":
            return bool(value != limit)
        if op == "lt":
            return bool(value < limit)
        if op == "lte":
            return bool(value <= limit)
        if op == "gt":
            return bool(value > limit)
        if op == "gte":
            return bool(value >= limit)
    return False


def bare_walk(graph: dict[str, Any], runs: int, seed: int) -> int:
    """Random playthroughs over plain dicts with the same rules (conditions, effects, chance,
    deadlines); the number of steps taken."""
    rng = random.Random(seed)
    scenes, endings, roles, ranges = graph["scenes"], graph["endings"], graph["roles"], graph["ranges"]
    steps = 0
    for _ in range(runs):
        values = dict(graph["initial"])
        scene = graph["start"]
        fired: list[str] = []
        for _step in range(analysis.MAX_RUN_STEPS):
            if scene in endings:
                break
            options = [c for c in scenes[scene] if _holds(c["requires"], values)]
            if not options:
                break
            choice = rng.choice(options)
            steps += 1
            values.update(choice["set"])
            for name, delta in choice["add"].items():
                values[name] = values.get(name, 0) + delta
            for name, (low, high) in choice["clamp"].items():
                values[name] = max(low, min(high, values[name]))
            for name in (*choice["set"], *choice["add"], *choice["clamp"]):
                if name in ranges:
                    low, high = ranges[name]
                    values[name] = max(low, min(high, values[name]))
            target = choice["goto"]
            if choice["chance"] is not None:
                branches = choice["chance"]
                weights = [
                    (b["weight"] + (b["bonus"] if b["bonus_when"] and _holds(b["bonus_when"], values) else 0))
                    if _holds(b["when"], values)
                    else 0
                    for b in branches
                ]
                target = (
                    branches[rng.choices(range(len(branches)), weights)[0]]["goto"]
                    if sum(weights)
                    else branches[0]["goto"]
                )
            for deadline in graph["deadlines"]:
                if (
                    deadline["id"] not in fired
                    and roles[scene] in deadline["roles"]
                    and _holds(deadline["when"], values)
                ):
                    target = deadline["goto"]
                    fired.append(deadline["id"])
                    break
            scene = target
    return steps


def engine_step(name: str, campaign: Campaign, runs: int, rounds: int) -> None:
    """A step of seeded random playthroughs (`dealquest playtest`'s) against the bare walk's."""
    graph = plain_graph(campaign)

    def floor() -> float:
        began = time.perf_counter()
        steps = bare_walk(graph, runs, 7)
        return (time.perf_counter() - began) / steps

    def subject() -> float:
        began = time.perf_counter()
        played = analysis.random_runs(campaign, runs, 7)
        return (time.perf_counter() - began) / sum(played.choices.values())

    f, s = side_by_side(floor, subject, rounds)
    against(name, s, f, 10, unit="us")


def engine_steps(runs: int, rounds: int) -> None:
    for folder in bundled():
        campaign = loaded(folder)
        if campaign is None:
            report(f"engine step: {folder.name}", "does not load", "", None, "<= 10x", False)
            continue
        engine_step(f"engine step: {folder.name} random playthrough", campaign, runs, rounds)


def playtest_runs(folder: Path, runs: int) -> None:
    out = subprocess.run(
        [DEALQUEST, "playtest", str(folder), "--runs", str(runs)], capture_output=True, text=True, check=False
    ).stdout
    found = re.search(r"Random runs: (\d+) .* in ([\d.]+)s, ([\d,]+) runs/s", out)
    if found is None:
        report(f"playtest --runs {runs:,} {folder.name}", "no timing printed", "", None, "prints it", False)
        return
    report(f"playtest --runs {runs:,} {folder.name}", f"{float(found[2]):.2f} s", "", None, "prints time", True)
    print(f"    it printed: {found[0]}")


# -------------------------------------------------------------------------------------- exhaustive


def exhaustive() -> None:
    for folder in bundled():
        campaign = loaded(folder)
        if campaign is None:
            report(f"explore {folder.name} completely", "does not load", "", None, "< 30 s", False)
            continue
        gc.collect()
        ex = analysis.explore(campaign)
        shown = f"{ex.seconds:.2f} s"
        report(f"explore {folder.name} completely", shown, "", None, "< 30 s", ex.complete and ex.seconds < 30)
        print(f"    {ex.states:,} states, {ex.states_per_second:,.0f} states/s, complete: {ex.complete}")


# ------------------------------------------------------------------------------------------ memory


def rss_of_loading(folder: Path) -> tuple[float, float]:
    """Peak RSS (MB) of a process that loads the campaign, and of one that only imports the loader.

    The peak is the process's own high-water mark (VmHWM): `ru_maxrss` would also count what this
    process held when it started the child."""
    code = (
        "import re, sys\n"
        "from dealquest.story.loader import load_campaign\n"
        "if sys.argv[1] != '-': assert load_campaign(sys.argv[1]).campaign is not None\n"
        "print(re.search(r'VmHWM:\\s+(\\d+) kB', open('/proc/self/status').read())[1])\n"
    )

    def peak(arg: str) -> float:
        out = subprocess.run([PYTHON, "-c", code, arg], capture_output=True, text=True, check=True).stdout
        return int(out) / 1024

    return peak(str(folder)), peak("-")


def memory_load(folder: Path, scenes: int) -> None:
    loaded_mb, bare_mb = rss_of_loading(folder)
    report(
        f"memory: {scenes:,}-scene campaign loaded (peak RSS)",
        f"{loaded_mb:.0f} MB",
        f"{bare_mb:.0f} MB",
        None,
        "<= 200 MB",
        loaded_mb <= 200,
    )


def memory_at_the_limits(work: Path) -> None:
    """The largest campaign the loader's limits allow, in its densest valid shape: MAX_SCENES scenes
    of nine short choices each (more scenes, more choices or more files than that are refused)."""
    folder = generate_densest(MAX_SCENES, work / "densest")
    size = sum(p.stat().st_size for p in folder.iterdir())
    started = time.perf_counter()
    loaded_mb, bare_mb = rss_of_loading(folder)
    seconds = time.perf_counter() - started
    report(
        f"memory: the largest campaign the limits allow ({MAX_SCENES:,} scenes)",
        f"{loaded_mb:.0f} MB",
        f"{bare_mb:.0f} MB",
        None,
        "<= 600 MB",
        loaded_mb <= 600,
    )
    count = len(list(folder.iterdir()))
    print(f"    {size / MB:.1f} MB of YAML in {count} files, loaded and checked in {seconds:.1f} s")


def longest_run(ex: analysis.Exploration) -> int:
    """The most decisions any complete playthrough makes (the exploration's graph is acyclic)."""
    assert ex.order is not None
    longest = [0] * ex.states
    for sid in ex.order:
        longest[sid] = max((1 + longest[c] for m in ex.moves[sid] for _, c in m.branches), default=0)
    return longest[0]


def save_sizes(home: Path, runs: int) -> None:
    os.environ[HOME_ENV] = str(home)
    for folder in bundled():
        campaign = loaded(folder)
        if campaign is None:
            report(f"save of a complete run: {folder.name}", "does not load", "", None, "< 32 KB", False)
            continue
        rng = random.Random(3)
        longest: engine.GameState | None = None
        for _ in range(runs):
            state = engine.new_game(campaign, rng.randrange(2**31))
            while not state.ended:
                options = [v.index for v in engine.choices(campaign, state) if v.available]
                if not options:
                    break
                state = engine.choose(campaign, state, rng.choice(options)).state
            if state.ended and (longest is None or state.turn > longest.turn):
                longest = state
        assert longest is not None
        size = saves.save(campaign, longest, "benchmark").stat().st_size
        ex = analysis.explore(campaign)
        most = longest_run(ex) if ex.order is not None and ex.complete else longest.turn
        bound = size * most / longest.turn  # the size grows with the decisions, a record each
        report(
            f"save of a complete run: {folder.name}", f"{bound / 1024:.1f} KB", "", None, "< 32 KB", bound < 32 * 1024
        )
        print(
            f"    the longest of {runs} random runs, {longest.turn} decisions, saves in {size / 1024:.1f} KB; "
            f"the longest possible run has {most}, so at most {bound / 1024:.1f} KB"
        )


def undo_history(folder: Path, steps: int) -> None:
    campaign = loaded(folder)
    assert campaign is not None
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    history = [engine.new_game(campaign, 1)]
    for _ in range(steps):
        history.append(engine.choose(campaign, history[-1], 0).state)
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    report(f"memory: undo history of {steps} steps", f"{held / MB:.2f} MB", "", None, "< 10 MB", held < 10 * MB)
    del history


# -------------------------------------------------------------------------------------------- main


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller set, in a few minutes")
    parser.add_argument(
        "--only", nargs="*", metavar="PART", help="some parts: start, turns, validate, engine, explore, memory, tabs"
    )
    args = parser.parse_args(argv)
    quick = args.quick
    parts = set(args.only or ("start", "turns", "validate", "engine", "explore", "memory", "tabs"))
    starter = next((f for f in bundled() if f.name == "launch"), bundled()[0])
    print(f"DealQuest benchmarks{' (quick)' if quick else ''} on {machine()}")
    print(f"{'figure':<46} {'measured':>17} {'floor':>17} {'ratio':>7}  {'target':<12} result")
    with tempfile.TemporaryDirectory(prefix="dealquest-bench-") as tmp:
        work = Path(tmp)
        home = work / "home"
        if "start" in parts:
            campaign = loaded(starter)
            if campaign is not None:  # a player's title screen has a Continue line to read
                os.environ[HOME_ENV] = str(home)
                saves.autosave(campaign, engine.new_game(campaign, 1))
            installed = install_wheel(work)
            byte_compiled(installed)
            cold_start(3 if quick else 9, home, installed)
            no_textual_for_commands(starter)
        if "turns" in parts:
            turn_latency(20 if quick else 100, starter)
        if "validate" in parts:
            validation_bundled(3 if quick else 7)
            validation_synthetic((250, 500, 1000) if quick else (1000, 5000, 10_000), 3 if quick else 5, work)
        if "engine" in parts:
            engine_steps(100 if quick else 500, 3 if quick else 5)
            playtest_runs(starter, 2000 if quick else 10_000)
        if "explore" in parts:
            exhaustive()
        if "memory" in parts:
            if not quick:
                big = work / "synthetic_10000"
                if not big.is_dir():
                    generate(10_000, big)
                memory_load(big, 10_000)
                memory_at_the_limits(work)
            save_sizes(home, 100 if quick else 2000)
            synthetic = work / "synthetic_1000"
            if not synthetic.is_dir():
                generate(1000, synthetic)
            undo_history(synthetic, 500)
        if "tabs" in parts:
            serve_tabs(*((6, 6, (1.0, 2.0)) if quick else (60, 20, (4.0, 8.0))))
    missed = [f.name for f in FIGURES if not f.ok]
    print(
        f"{len(FIGURES) - len(missed)} of {len(FIGURES)} figures meet their target"
        + (f"; MISS: {', '.join(missed)}" if missed else "")
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
