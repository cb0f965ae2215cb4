"""A simulated class of fourteen trainees on a bundled campaign, as docs/FACILITATOR.md runs one: one
seed for the group, practice and assessment, scripted `--plain` runs in their own processes (all at
once, one results store), an undo, a restarted assessment, two people who typed the same name, and
trainees who play in the full-screen app under Pilot. Every figure of the report is then checked
against a tally made here from the engine alone, and every export against the xAPI 1.0.3 rules."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from dealquest.play import engine
from dealquest.play.debrief import MISSED_MARGIN, best_option, option_value
from dealquest.play.engine import GameState
from dealquest.story.campaign import Campaign
from dealquest.story.library import resolve
from dealquest.story.loader import load_campaign
from dealquest.story.model import AXES, LESSONS, ROLES, Scene
from dealquest.training import TrainingSettings
from dealquest.training.cohort import MOSTLY_GOOD, MOSTLY_MISSED, TOP_MISSED, build_cohort
from dealquest.training.export import to_csv, to_json, to_xapi
from dealquest.training.recorder import Recorder
from dealquest.training.report import render
from dealquest.training.store import RunRecord, open_store

from .xapi_rules import problems

ROOT = Path(__file__).resolve().parents[2]
CAMPAIGN = "launch"
SEED = 2024  # the trainer's seed: everyone meets the same chances

Strategy = Callable[[Campaign, GameState, random.Random], int]


def available(campaign: Campaign, state: GameState) -> list[int]:
    return [v.index for v in engine.choices(campaign, state) if v.available]


def value_of(campaign: Campaign, state: GameState, index: int) -> float:
    scene = engine.current(campaign, state)
    assert isinstance(scene, Scene)
    return option_value(campaign, scene, index)


STRATEGIES: dict[str, Strategy] = {
    "best": lambda c, s, r: max(available(c, s), key=lambda i: (value_of(c, s, i), -i)),
    "worst": lambda c, s, r: min(available(c, s), key=lambda i: (value_of(c, s, i), i)),
    "first": lambda c, s, r: available(c, s)[0],
    "last": lambda c, s, r: available(c, s)[-1],
    "random": lambda c, s, r: r.choice(available(c, s)),
    "alternate": lambda c, s, r: (STRATEGIES["best"] if s.turn % 2 == 0 else STRATEGIES["worst"])(c, s, r),
}


@dataclass
class Trainee:
    name: str
    mode: str
    strategy: str
    stop_after: int | None = None  # time ran out after this many choices
    how: str = "plain"  # plain (a process), undo (a process, typed input with an undo), tui, tab
    picks: list[int] = field(default_factory=list)  # engine indices, filled by `plan`
    numbers: list[int] = field(default_factory=list)  # as typed: positions among the choices shown


CLASS = [
    Trainee("Ana", "assessment", "best"),
    Trainee("Bo", "assessment", "worst"),
    Trainee("Cy", "practice", "first"),
    Trainee("Dee", "practice", "last"),
    Trainee("Eli", "assessment", "random", stop_after=8),
    Trainee("Fay", "practice", "random", stop_after=12),
    Trainee("Gus", "practice", "best"),
    Trainee("Hal", "practice", "worst", stop_after=5),
    Trainee("Ida", "assessment", "random"),
    Trainee("Jo", "assessment", "alternate"),
    Trainee("Ken", "assessment", "worst", stop_after=4),  # leaves, then starts the assessment again
    Trainee("Ken", "assessment", "best"),
    Trainee("Vic", "practice", "random", stop_after=9, how="undo"),
    Trainee("Sam", "practice", "best", stop_after=6, how="tab"),  # two people, two tabs, one name
    Trainee("Sam", "practice", "worst", stop_after=6, how="tab"),
    Trainee("Tia", "practice", "best", stop_after=4, how="tui"),
    Trainee("Uma", "assessment", "first", stop_after=3, how="tui"),
]


def plan(campaign: Campaign, trainee: Trainee, salt: int) -> GameState:
    """The trainee's path, decided from the engine: the engine indices and the numbers they type."""
    rng = random.Random(f"{trainee.name}-{salt}")
    state = engine.new_game(campaign, SEED)
    trainee.picks, trainee.numbers = [], []
    while not state.ended and (trainee.stop_after is None or len(trainee.picks) < trainee.stop_after):
        index = STRATEGIES[trainee.strategy](campaign, state, rng)
        shown = [v.index for v in engine.choices(campaign, state)]
        trainee.picks.append(index)
        trainee.numbers.append(shown.index(index) + 1)
        state = engine.choose(campaign, state, index).state
    return state


def play_command(store: Path, trainee: Trainee) -> list[str]:
    return [
        sys.executable, "-m", "dealquest", "play", CAMPAIGN, "--plain", "--trainee", trainee.name,
        "--mode", trainee.mode, "--seed", str(SEED), "--results", str(store),
    ]  # fmt: skip


async def play_in_the_app(campaign: Campaign, store: Path, trainee: Trainee) -> None:
    """The full-screen app under Pilot, keys as a trainee presses them."""
    from dealquest.tui.app import DealQuestApp

    from ..tui.conftest import on_screen, view_of, wait_for

    settings = TrainingSettings(store=store, trainee=trainee.name, mode=trainee.mode, seed=SEED)  # type: ignore[arg-type]
    app = DealQuestApp(campaign=campaign, library=[], training=settings)
    app.animation_level = "none"
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        for turn, number in enumerate(trainee.numbers, start=1):
            await wait_for(pilot, lambda: view_of(app) == "scene", timeout=10)
            await pilot.press(str(number))
            await wait_for(pilot, lambda t=turn: app.session is not None and app.session.state.turn == t, timeout=10)
            for _ in range(3):  # past the feedback and a handoff card, to the next scene
                await pilot.pause()
                if view_of(app) in ("feedback", "handoff"):
                    await pilot.press("enter")


@dataclass
class Tally:
    """What the engine alone says each counted trainee did."""

    name: str
    mode: str
    state: GameState
    campaign: Campaign

    @property
    def card(self) -> engine.Scorecard:  # type: ignore[name-defined]
        return engine.score(self.campaign, self.state)


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Campaign, list[RunRecord], list[Tally], Path]:
    folder = resolve(CAMPAIGN)
    assert folder is not None
    loaded = load_campaign(folder)
    assert loaded.campaign is not None
    campaign = loaded.campaign
    home = tmp_path_factory.mktemp("class")
    store = home / "session.sqlite"
    states = [plan(campaign, t, i) for i, t in enumerate(CLASS)]
    env = {**os.environ, "DEALQUEST_HOME": str(home / "home"), "PYTHONPATH": str(ROOT)}

    # Ken's first assessment ends before the others start: he comes back to it later.
    ken = CLASS.index(next(t for t in CLASS if t.name == "Ken"))
    first = subprocess.run(
        [*play_command(store, CLASS[ken]), "--choices", ",".join(map(str, CLASS[ken].numbers))],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert "before the run did. Your choices so far are recorded" in first.stdout, first.stderr
    # Everyone scripted plays at once, each in their own process, into the one store.
    processes = []
    for i, trainee in enumerate(CLASS):
        if i == ken or trainee.how in ("tui", "tab"):
            continue
        if trainee.how == "undo":  # typed input: a detour undone, then the planned path
            first_pick = trainee.numbers[0]
            detour = 1 if first_pick != 1 else 2
            lines = [str(detour), "u", *map(str, trainee.numbers)]
            processes.append((trainee, subprocess.Popen(
                play_command(store, trainee), env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, text=True,
            ), "\n".join(lines) + "\n"))  # fmt: skip
        else:
            command = [*play_command(store, trainee), "--choices", ",".join(map(str, trainee.numbers))]
            processes.append((trainee, subprocess.Popen(
                command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            ), None))  # fmt: skip
    for trainee, process, typed in processes:
        _, err = process.communicate(typed, timeout=300)
        # Finished or not (input that ends mid-run keeps the run and says where to go on): exit 0.
        assert process.returncode == 0, (trainee.name, err)
        assert "not recorded" not in err, err
    # Two people called Sam, in two tabs at the same time.
    with open_store(store) as opened:
        sams = [t for t in CLASS if t.how == "tab"]
        recorders = [Recorder(opened, campaign, t.name, t.mode) for t in sams]  # type: ignore[arg-type]
        walking = [engine.new_game(campaign, SEED) for _ in sams]
        for recorder, state in zip(recorders, walking, strict=True):
            recorder.begin(state)
        for turn in range(max(len(t.picks) for t in sams)):
            for n, (trainee, recorder) in enumerate(zip(sams, recorders, strict=True)):
                if turn < len(trainee.picks):
                    step = engine.choose(campaign, walking[n], trainee.picks[turn])
                    recorder.chose(walking[n], step, 12.5)
                    walking[n] = step.state
    # And two in the full-screen app.
    import asyncio

    for trainee in (t for t in CLASS if t.how == "tui"):
        asyncio.run(play_in_the_app(campaign, store, trainee))

    with open_store(store, readonly=True) as opened:
        runs = opened.runs()
        assert opened.damaged == []
    # The runs that count (the first attempt): Ken's first, unfinished assessment.
    counted: dict[str, int] = {}
    tallies = []
    for i, trainee in enumerate(CLASS):
        label = trainee.name
        if trainee.how == "tab":
            label = f"Sam ({[t for t in CLASS if t.how == 'tab'].index(trainee) + 1})"
        if label in counted:
            continue  # Ken's second attempt does not count
        counted[label] = i
        tallies.append(Tally(label, trainee.mode, states[i], campaign))
    return campaign, runs, tallies, store


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def test_the_class_is_all_in_the_store(simulated: tuple[Campaign, list[RunRecord], list[Tally], Path]) -> None:
    campaign, runs, tallies, _ = simulated
    assert len(runs) == len(CLASS) and len(tallies) == 16  # Ken twice, everyone else once
    for trainee, state in ((t, engine.replay(campaign, SEED, t.picks)) for t in CLASS):
        own = [r for r in runs if r.trainee == trainee.name and [d.choice for d in r.decisions] == trainee.picks]
        assert own, f"{trainee.name}'s run is not in the store as played"
        run = own[0]
        card = engine.score(campaign, state)
        assert (run.percent, run.grade, run.finished) == (card.percent, card.grade, state.ended)
        assert run.totals == {role: dict(card.roles[role].axes) for role in ROLES}
    vic = next(r for r in runs if r.trainee == "Vic")
    assert vic.undos == 1 and len(vic.undone) == 1


def test_every_figure_of_the_report_matches_an_independent_tally(
    simulated: tuple[Campaign, list[RunRecord], list[Tally], Path],
) -> None:
    campaign, runs, tallies, _ = simulated
    cohort = build_cohort(runs, campaign)
    # Trainees and the run that counts for each.
    assert sorted(t.trainee for t in cohort.trainees) == sorted(t.name for t in tallies)
    by_name = {t.trainee: t for t in cohort.trainees}
    for tally in tallies:
        run = by_name[tally.name].counted
        assert run is not None and [d.choice for d in run.decisions] == [d.choice for d in tally.state.decisions]
        assert (run.percent, run.grade) == (tally.card.percent, tally.card.grade)
    assert [t.trainee for t in cohort.trainees if t.restarted] == ["Ken"]
    assert any("Sam" in w and "share the name" in w for w in cohort.warnings)
    # The groups: mode by finished, never mixed.
    expected_groups: dict[tuple[str, bool], list[Tally]] = {}
    for tally in tallies:
        expected_groups.setdefault((tally.mode, tally.state.ended), []).append(tally)
    assert {(g.mode, g.finished): len(g.runs) for g in cohort.groups} == {k: len(v) for k, v in expected_groups.items()}
    order = [band.grade for band in campaign.rubric.grades]
    for group in cohort.groups:
        members = expected_groups[(group.mode, group.finished)]
        assert group.percent == pytest.approx(mean([t.card.percent for t in members]))
        for role in ROLES:
            for axis in AXES:
                values = [v for t in members if (v := t.card.roles[role].axes[axis]) is not None]
                assert group.averages[role][axis] == pytest.approx(mean(values))
        grades = Counter(t.card.grade for t in members) if group.finished else Counter()
        assert dict(group.grades(order)) == ({g: grades.get(g, 0) for g in order} if group.finished else {})
    # Lesson coverage.
    for coverage in cohort.lessons:
        shares = []
        good = total = 0
        for tally in tallies:
            touched = [d for d in tally.state.decisions if coverage.lesson in d.lessons]
            if touched:
                right = sum(d.good for d in touched)  # the verdict says which choices are good
                good, total = good + right, total + len(touched)
                shares.append(right / len(touched))
        assert (coverage.good, coverage.total, coverage.met_by) == (good, total, len(shares))
        assert coverage.trainees == len(tallies)
        assert coverage.mostly_good == sum(s >= MOSTLY_GOOD for s in shares)
        assert coverage.mostly_missed == sum(s < MOSTLY_MISSED for s in shares)
    assert {c.lesson for c in cohort.lessons} == set(LESSONS)
    # Decisions that mattered: who reached each, who picked each option, for whom it was locked.
    reached: Counter[str] = Counter()
    picked: Counter[tuple[str, int]] = Counter()
    locked: Counter[tuple[str, int]] = Counter()
    misses: dict[tuple[str, int], list[float]] = {}
    for tally in tallies:
        state = engine.new_game(campaign, SEED)
        for made in tally.state.decisions:
            scene = engine.current(campaign, state)
            assert isinstance(scene, Scene)
            reached[scene.id] += 1
            picked[(scene.id, made.choice)] += 1
            open_now = set(available(campaign, state))
            for index in range(len(scene.choices)):
                if index not in open_now:
                    locked[(scene.id, index)] += 1
            best = best_option(campaign, state)
            if best is not None and best.index != made.choice and best.value - made.value >= MISSED_MARGIN:
                misses.setdefault((scene.id, best.index), []).append(best.value - made.value)
            state = engine.choose(campaign, state, made.choice).state
    assert cohort.splits, "a class this size splits somewhere"
    for split in cohort.splits:
        assert split.reached == reached[split.scene]
        for option in split.options:
            assert option.picked_by == picked[(split.scene, option.index)], (split.scene, option.index)
            assert option.locked_for == locked[(split.scene, option.index)], (split.scene, option.index)
    mattered = {s for s in reached if max_spread(campaign, s) >= MISSED_MARGIN}
    assert cohort.splits_total == len(mattered)
    # Choices most often missed.
    expected_missed = sorted(
        ((scene, index, len(points), sum(points) / len(points)) for (scene, index), points in misses.items()),
        key=lambda m: (-m[2], -m[3], m[0]),
    )[:TOP_MISSED]
    assert [(m.scene, m.missed_by) for m in cohort.missed] == [(s, n) for s, _, n, _ in expected_missed]
    for m, (_, _, _, points) in zip(cohort.missed, expected_missed, strict=True):
        assert m.points == pytest.approx(points) and m.reached == reached[m.scene]
    # And the rendered report says the same.
    text = " ".join(render([cohort], "text").split())
    for group in cohort.groups:
        assert f"{group.label} {len(group.runs)} {(group.percent or 0) / 100:.0%}" in text
    for coverage in cohort.lessons:
        if coverage.total:
            assert f"{coverage.good / coverage.total:.0%} ({coverage.good} of {coverage.total})" in text
    for tally in tallies:
        score = f"{tally.card.percent:.0f}%" + ("" if tally.state.ended else " so far")
        assert f"{tally.name} {tally.mode}" in text and score in text
    anonymous = render([cohort], "text", anonymous=True)
    assert not any(t.name.split()[0] in anonymous for t in tallies if len(t.name) > 2)


def max_spread(campaign: Campaign, scene_id: str) -> float:
    scene = campaign.scenes[scene_id]
    values = [option_value(campaign, scene, i) for i in range(len(scene.choices))]
    return max(values) - min(values)


def test_every_export_of_the_class_is_complete_and_xapi_1_0_3(
    simulated: tuple[Campaign, list[RunRecord], list[Tally], Path],
) -> None:
    _, runs, _, store = simulated
    statements = json.loads(to_xapi(runs, "https://lrs.example.org/dealquest"))
    assert problems(statements) == []
    verbs = Counter(s["verb"]["display"]["en-US"] for s in statements)
    live = sum(len(r.decisions) for r in runs)
    undone = sum(len(r.undone) for r in runs)
    assert verbs["answered"] == live + undone and verbs["voided"] == undone == 1
    assert verbs["completed"] == sum(r.finished for r in runs)
    assert verbs["passed"] + verbs["failed"] == sum(r.finished and r.mode == "assessment" for r in runs)
    rows = list(csv.DictReader(io.StringIO(to_csv(runs))))
    assert len(rows) == live and all(int(r["choice_number"]) >= 1 for r in rows)
    records = json.loads(to_json(runs))
    assert len(records) == len(runs) and sum(len(r["decisions"]) for r in records) == live
    from dealquest.cli.main import main

    for fmt in ("csv", "json", "xapi"):
        assert (
            main(
                ["results", "export", "--format", fmt, "--results", str(store), "-o", str(store.with_suffix(f".{fmt}"))]
            )
            == 0
        )
    assert problems(json.loads(store.with_suffix(".xapi").read_text(encoding="utf-8"))) == []
