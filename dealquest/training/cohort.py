"""The cohort's figures for one campaign: what the trainer's report and debrief are made of.

Every figure comes from the store, which holds the engine's own numbers for each choice and each
run; the campaign, when it can be loaded here, adds the options nobody picked and the rubric.
Each trainee counts once in the group's figures, through one run (see `counted_run`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from dealquest.play import engine
from dealquest.play.debrief import LESSON_LABEL, MISSED_MARGIN, LessonResult, option_value
from dealquest.story.campaign import Campaign
from dealquest.story.loader import load_campaign
from dealquest.story.model import AXES, LESSONS, ROLES, Axis, Lesson, Role
from dealquest.training.store import RunRecord

#: The report lists at most this many decisions that split the group, and missed choices.
TOP_DECISIONS = 8
TOP_MISSED = 5

COUNTED_RULE = (
    "Each trainee counts once: through their first finished assessment run, else their first finished run, "
    "else (when time ran out) their longest unfinished run, with its scores so far."
)


def counted_run(runs: list[RunRecord]) -> RunRecord | None:
    """The run that stands for a trainee in the group's figures: a finished assessment first, then the
    first finished run; in a time-boxed session, the unfinished run that got furthest."""
    finished = [r for r in runs if r.finished]
    assessed = [r for r in finished if r.mode == "assessment"]
    chosen = assessed or finished
    if chosen:
        return chosen[0]
    started = [r for r in runs if r.decisions]
    return max(started, key=lambda r: (len(r.decisions), r.started_at)) if started else None


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def run_axis(run: RunRecord, axis: Axis) -> float | None:
    """A run's score on an axis over both roles: the mean of the roles that scored it."""
    return mean([v for role in ROLES if (v := run.totals[role][axis]) is not None])


def run_role(run: RunRecord, role: Role) -> float | None:
    """A run's score for a role over the three axes (unweighted mean of those scored)."""
    return mean([v for axis in AXES if (v := run.totals[role][axis]) is not None])


def lesson_results(run: RunRecord) -> list[LessonResult]:
    """The debrief's lesson verdicts for a run, from its recorded choices and their verdicts."""
    out = []
    for lesson in LESSONS:
        touched = [d for d in run.decisions if lesson in d.lessons]
        out.append(LessonResult(lesson, LESSON_LABEL[lesson], sum(d.good for d in touched), len(touched)))
    return out


@dataclass(frozen=True)
class TraineeResult:
    """One trainee's runs of the campaign, and the runs the report singles out."""

    trainee: str
    runs: list[RunRecord]
    counted: RunRecord | None
    first: RunRecord | None  # the first finished run
    best: RunRecord | None  # the finished run with the highest grade percentage (the earliest on a tie)

    @property
    def finished(self) -> int:
        return sum(r.finished for r in self.runs)

    @property
    def unfinished(self) -> list[RunRecord]:
        return [r for r in self.runs if not r.finished]


@dataclass(frozen=True)
class OptionTally:
    index: int
    text: str
    value: float | None
    picked_by: int  # trainees who chose it at least once at this scene


@dataclass(frozen=True)
class DecisionSplit:
    """A decision where the options differ enough to matter, and how the group chose."""

    scene: str
    title: str
    role: Role
    reached: int
    options: list[OptionTally]

    @property
    def spread(self) -> float:
        values = [o.value for o in self.options if o.value is not None]
        return max(values) - min(values) if len(values) > 1 else 0.0

    @property
    def best(self) -> OptionTally | None:
        valued = [o for o in self.options if o.value is not None]
        return max(valued, key=lambda o: (o.value, -o.index)) if valued else None


@dataclass(frozen=True)
class MissedChoice:
    """A stronger option passed over: where, by how many, by how much, and what they chose instead."""

    scene: str
    title: str
    role: Role
    best_text: str
    best_value: float
    missed_by: int
    reached: int
    points: float  # the average value given up
    instead: list[tuple[str, int]]


@dataclass(frozen=True)
class LessonCoverage:
    lesson: Lesson
    label: str
    handled_well: int
    mixed: int
    missed: int
    not_met: int

    @property
    def met(self) -> int:
        return self.handled_well + self.mixed + self.missed


@dataclass
class Cohort:
    campaign_id: str
    title: str
    versions: list[str]
    campaign: Campaign | None
    trainees: list[TraineeResult]
    counted: list[RunRecord]
    averages: dict[Role, dict[Axis, float | None]]
    role_averages: dict[Role, float | None]
    axis_averages: dict[Axis, float | None]
    percent: float | None
    grades: list[tuple[str, int]]
    splits: list[DecisionSplit]
    splits_total: int
    missed: list[MissedChoice]
    lessons: list[LessonCoverage]
    notes: list[str] = field(default_factory=list)

    @property
    def runs(self) -> list[RunRecord]:
        return [r for t in self.trainees for r in t.runs]


def find_campaign(runs: list[RunRecord]) -> Campaign | None:
    """The campaign the runs were played on: from the folder they recorded, else a bundled one by id."""
    from dealquest.story.library import resolve

    if not runs:
        return None
    wanted = runs[0].campaign
    folders = [Path(r.campaign_path) for r in reversed(runs) if r.campaign_path]
    bundled = resolve(wanted)
    for folder in [*dict.fromkeys(folders), *([bundled] if bundled else [])]:
        if not folder.is_dir():
            continue
        result = load_campaign(folder)
        if result.ok and result.campaign is not None and result.campaign.id == wanted:
            return result.campaign
    return None


def _splits(campaign: Campaign | None, counted: list[RunRecord]) -> list[DecisionSplit]:
    reached: dict[str, set[int]] = {}
    picks: dict[str, dict[int, set[int]]] = {}
    seen: dict[tuple[str, int], tuple[str, float]] = {}
    titles: dict[str, tuple[str, Role]] = {}
    for run in counted:
        for d in run.decisions:
            reached.setdefault(d.scene, set()).add(run.id)
            picks.setdefault(d.scene, {}).setdefault(d.choice, set()).add(run.id)
            seen.setdefault((d.scene, d.choice), (d.choice_text, d.value))
            if d.best_choice is not None and d.best_text is not None and d.best_value is not None:
                seen.setdefault((d.scene, d.best_choice), (d.best_text, d.best_value))
            titles.setdefault(d.scene, (d.scene_title, d.role))
    start = engine.new_game(campaign, 0) if campaign is not None else None
    out = []
    for scene_id, runs in reached.items():
        options: dict[int, tuple[str, float | None]] = {
            index: (text, value) for (s, index), (text, value) in seen.items() if s == scene_id
        }
        scene = campaign.scenes.get(scene_id) if campaign is not None else None
        if campaign is not None and scene is not None:
            # Options nobody picked, with the campaign's own figure for each (texts as at the start).
            for index, choice in enumerate(scene.choices):
                if index not in options:
                    options[index] = (
                        engine.text(start, choice.text) if start else choice.text,
                        option_value(campaign, scene, index),
                    )
        tallies = [
            OptionTally(index, text, value, len(picks[scene_id].get(index, ())))
            for index, (text, value) in sorted(options.items())
        ]
        title, role = titles[scene_id]
        out.append(DecisionSplit(scene_id, title, role, len(runs), tallies))
    mattered = [s for s in out if s.spread >= MISSED_MARGIN]
    return sorted(mattered, key=lambda s: (-s.reached, -s.spread, s.scene))


def _missed(counted: list[RunRecord]) -> list[MissedChoice]:
    reached: dict[str, set[int]] = {}
    groups: dict[tuple[str, int], list[tuple[int, float, str]]] = {}
    info: dict[tuple[str, int], tuple[str, Role, str, float]] = {}
    for run in counted:
        for d in run.decisions:
            reached.setdefault(d.scene, set()).add(run.id)
            if d.best_choice is None or d.best_value is None or d.missed < MISSED_MARGIN:
                continue
            key = (d.scene, d.best_choice)
            groups.setdefault(key, []).append((run.id, d.missed, d.choice_text))
            info.setdefault(key, (d.scene_title, d.role, d.best_text or "", d.best_value))
    out = []
    for key, misses in groups.items():
        title, role, best_text, best_value = info[key]
        instead = Counter(text for _, _, text in misses).most_common()
        out.append(
            MissedChoice(
                scene=key[0],
                title=title,
                role=role,
                best_text=best_text,
                best_value=best_value,
                missed_by=len({run_id for run_id, _, _ in misses}),
                reached=len(reached[key[0]]),
                points=sum(points for _, points, _ in misses) / len(misses),
                instead=instead,
            )
        )
    return sorted(out, key=lambda m: (-m.missed_by, -m.points, m.scene))


def _lessons(counted: list[RunRecord]) -> list[LessonCoverage]:
    verdicts: dict[Lesson, Counter[str]] = {lesson: Counter() for lesson in LESSONS}
    for run in counted:
        for result in lesson_results(run):
            verdicts[result.lesson][result.verdict] += 1
    return [
        LessonCoverage(
            lesson,
            LESSON_LABEL[lesson],
            verdicts[lesson]["handled well"],
            verdicts[lesson]["mixed"],
            verdicts[lesson]["missed"],
            verdicts[lesson]["not met on this path"],
        )
        for lesson in LESSONS
    ]


def build_cohort(runs: list[RunRecord], campaign: Campaign | None = None) -> Cohort:
    """The cohort figures of the runs of one campaign (the campaign adds option lists and grade bands)."""
    assert runs and len({r.campaign for r in runs}) == 1, "one campaign's runs at a time"
    by_name: dict[str, list[RunRecord]] = {}
    spelled: dict[str, str] = {}
    for run in runs:
        key = run.trainee.casefold()
        spelled.setdefault(key, run.trainee)
        by_name.setdefault(key, []).append(run)
    trainees = []
    for key in sorted(by_name, key=lambda k: (k, spelled[k])):
        own = sorted(by_name[key], key=lambda r: (r.started_at, r.id))
        finished = [r for r in own if r.finished]
        best = max(finished, key=lambda r: (r.percent, -finished.index(r))) if finished else None
        trainees.append(TraineeResult(spelled[key], own, counted_run(own), finished[0] if finished else None, best))
    counted = [t.counted for t in trainees if t.counted is not None]
    averages = {
        role: {axis: mean([v for r in counted if (v := r.totals[role][axis]) is not None]) for axis in AXES}
        for role in ROLES
    }
    role_averages = {role: mean([v for r in counted if (v := run_role(r, role)) is not None]) for role in ROLES}
    axis_averages = {axis: mean([v for r in counted if (v := run_axis(r, axis)) is not None]) for axis in AXES}
    grade_counts = Counter(r.grade for r in counted)
    if campaign is not None:
        order = [band.grade for band in campaign.rubric.grades]
        grades = [(g, grade_counts.get(g, 0)) for g in order] + [
            (g, n) for g, n in grade_counts.items() if g not in order
        ]
    else:
        grades = sorted(grade_counts.items())
    splits = _splits(campaign, counted)
    versions = sorted({r.campaign_version for r in runs})
    notes = []
    if campaign is None:
        notes.append(
            f"The campaign '{runs[0].campaign}' could not be loaded here: options nobody picked are not listed."
        )
    elif any(v != campaign.version for v in versions):
        notes.append(
            f"Runs were played on version {', '.join(versions)}; options nobody picked come from version "
            f"{campaign.version}."
        )
    unfinished = [t.trainee for t in trainees if t.counted is not None and not t.counted.finished]
    if unfinished:
        notes.append(
            f"No ending reached yet, so their scores so far count (without the outcome): {', '.join(unfinished)}."
        )
    absent = [t.trainee for t in trainees if t.counted is None]
    if absent:
        notes.append(f"Not in the group's figures (no choice made yet): {', '.join(absent)}.")
    return Cohort(
        campaign_id=runs[0].campaign,
        title=campaign.title if campaign is not None else runs[-1].campaign_title,
        versions=versions,
        campaign=campaign,
        trainees=trainees,
        counted=counted,
        averages=averages,
        role_averages=role_averages,
        axis_averages=axis_averages,
        percent=mean([r.percent for r in counted]),
        grades=grades,
        splits=splits[:TOP_DECISIONS],
        splits_total=len(splits),
        missed=_missed(counted)[:TOP_MISSED],
        lessons=_lessons(counted),
        notes=notes,
    )


def cohorts(runs: list[RunRecord], load: bool = True) -> list[Cohort]:
    """One cohort per campaign in the runs, in the order of their first run."""
    by_campaign: dict[str, list[RunRecord]] = {}
    for run in runs:
        by_campaign.setdefault(run.campaign, []).append(run)
    return [build_cohort(group, find_campaign(group) if load else None) for group in by_campaign.values()]
