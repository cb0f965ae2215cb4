"""The cohort's figures for one campaign: what the trainer's report and debrief are made of.

Every figure comes from the store, which holds the engine's own numbers for each choice and each
run; the campaign, when it can be loaded here, adds the options nobody picked and the rubric.
Each trainee counts once in the group's figures, through one run (`attempts.counted_run`, the
first attempt unless the facilitator says otherwise). Finished and unfinished runs, and practice
and assessment, are never averaged together: each `Group` has its own figures.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from dealquest.play import engine
from dealquest.play.debrief import LESSON_LABEL, MISSED_MARGIN, option_value
from dealquest.story.campaign import Campaign
from dealquest.story.loader import load_campaign
from dealquest.story.model import AXES, LESSONS, ROLES, Axis, Lesson, Role
from dealquest.training import MODES, Mode
from dealquest.training.attempts import ATTEMPT_TEXT, AttemptRule, counted_run, trainees
from dealquest.training.store import RunRecord

#: The report lists at most this many decisions that split the group, and missed choices.
TOP_DECISIONS = 8
TOP_MISSED = 5
#: A trainee handled a lesson well with at least this share of good choices on it, and mostly
#: missed it below MOSTLY_MISSED.
MOSTLY_GOOD = 2 / 3
MOSTLY_MISSED = 1 / 3


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def run_axis(run: RunRecord, axis: Axis) -> float | None:
    """A run's score on an axis over both roles: the mean of the roles that scored it."""
    return mean([v for role in ROLES if (v := run.totals[role][axis]) is not None])


def run_role(run: RunRecord, role: Role) -> float | None:
    """A run's score for a role over the three axes (unweighted mean of those scored)."""
    return mean([v for axis in AXES if (v := run.totals[role][axis]) is not None])


@dataclass(frozen=True)
class TraineeResult:
    """One trainee's runs of the campaign, and the runs the report singles out."""

    trainee: str  # as shown (with "(n)" when two people share a name)
    runs: list[RunRecord]
    counted: RunRecord | None
    first: RunRecord | None  # the first finished run
    best: RunRecord | None  # the finished run with the highest grade percentage (the earliest on a tie)
    restarted: list[RunRecord] = field(default_factory=list)  # assessments left unfinished, then started again

    @property
    def finished(self) -> int:
        return sum(r.finished for r in self.runs)

    @property
    def unfinished(self) -> list[RunRecord]:
        return [r for r in self.runs if not r.finished]


@dataclass(frozen=True)
class Group:
    """The counted runs of one mode that did (or did not yet) reach an ending, with their figures."""

    mode: Mode
    finished: bool
    runs: list[RunRecord]

    @property
    def label(self) -> str:
        return f"{self.mode.capitalize()}, {'finished' if self.finished else 'unfinished (scores so far)'}"

    @property
    def percent(self) -> float | None:
        return mean([r.percent for r in self.runs])

    @property
    def averages(self) -> dict[Role, dict[Axis, float | None]]:
        return {
            role: {axis: mean([v for r in self.runs if (v := r.totals[role][axis]) is not None]) for axis in AXES}
            for role in ROLES
        }

    @property
    def role_averages(self) -> dict[Role, float | None]:
        return {role: mean([v for r in self.runs if (v := run_role(r, role)) is not None]) for role in ROLES}

    @property
    def axis_averages(self) -> dict[Axis, float | None]:
        return {axis: mean([v for r in self.runs if (v := run_axis(r, axis)) is not None]) for axis in AXES}

    def grades(self, order: list[str]) -> list[tuple[str, int]]:
        """How many runs got each grade, in the campaign's order; only a finished run has a grade."""
        if not self.finished:
            return []
        counts = Counter(r.grade for r in self.runs)
        return [(g, counts.get(g, 0)) for g in order] + sorted((g, n) for g, n in counts.items() if g not in order)

    @property
    def outcomes(self) -> list[tuple[str, int]]:
        counts = Counter(r.outcome for r in self.runs if r.outcome)
        return [(o, counts[o]) for o in ("success", "partial", "failure") if counts[o]]


@dataclass(frozen=True)
class OptionTally:
    index: int
    text: str
    value: float | None
    picked_by: int  # trainees who chose it at this scene
    locked_for: int = 0  # trainees who reached the scene with this option locked


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
    """How the group did on a lesson: the share of good choices on it, and how many trainees did well."""

    lesson: Lesson
    label: str
    trainees: int  # counted trainees with at least one choice
    met_by: int  # of them, those whose path touched the lesson
    good: int  # choices on the lesson that scored above zero
    total: int  # choices on the lesson
    mostly_good: int  # trainees with at least MOSTLY_GOOD of their choices on it good
    mostly_missed: int  # trainees with less than MOSTLY_MISSED of them good

    @property
    def share(self) -> float | None:
        return self.good / self.total if self.total else None

    @property
    def in_between(self) -> int:
        return self.met_by - self.mostly_good - self.mostly_missed


@dataclass
class Cohort:
    campaign_id: str
    title: str
    versions: list[str]
    campaign: Campaign | None
    rule: AttemptRule
    trainees: list[TraineeResult]
    counted: list[RunRecord]
    groups: list[Group]  # non-empty ones: assessment before practice, finished before unfinished
    splits: list[DecisionSplit]
    splits_total: int
    missed: list[MissedChoice]
    lessons: list[LessonCoverage]
    notes: list[str] = field(default_factory=list)  # what the figures leave out
    warnings: list[str] = field(default_factory=list)  # what the trainer should check

    @property
    def runs(self) -> list[RunRecord]:
        return [r for t in self.trainees for r in t.runs]

    @property
    def headline(self) -> Group | None:
        """The group the debrief talks about first: finished assessments, else finished practice, else
        the furthest anyone got."""
        finished = [g for g in self.groups if g.finished]
        return next(iter(finished or self.groups), None)

    @property
    def grade_order(self) -> list[str]:
        return [band.grade for band in self.campaign.rubric.grades] if self.campaign is not None else []

    @property
    def rule_text(self) -> str:
        return ATTEMPT_TEXT[self.rule]


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
    locked: dict[str, dict[int, set[int]]] = {}
    seen: dict[tuple[str, int], tuple[str, float]] = {}
    titles: dict[str, tuple[str, Role]] = {}
    for run in counted:
        for d in run.decisions:
            reached.setdefault(d.scene, set()).add(run.id)
            picks.setdefault(d.scene, {}).setdefault(d.choice, set()).add(run.id)
            for index in d.locked:
                locked.setdefault(d.scene, {}).setdefault(index, set()).add(run.id)
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
            OptionTally(
                index, text, value, len(picks[scene_id].get(index, ())), len(locked.get(scene_id, {}).get(index, ()))
            )
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
    played = [run for run in counted if run.decisions]
    out = []
    for lesson in LESSONS:
        shares = []
        good = total = 0
        for run in played:
            touched = [d for d in run.decisions if lesson in d.lessons]
            if touched:
                right = sum(d.good for d in touched)  # the verdict's word, as the debrief counts
                good, total = good + right, total + len(touched)
                shares.append(right / len(touched))
        out.append(
            LessonCoverage(
                lesson,
                LESSON_LABEL[lesson],
                trainees=len(played),
                met_by=len(shares),
                good=good,
                total=total,
                mostly_good=sum(share >= MOSTLY_GOOD for share in shares),
                mostly_missed=sum(share < MOSTLY_MISSED for share in shares),
            )
        )
    return out


def build_cohort(
    runs: list[RunRecord], campaign: Campaign | None, rule: AttemptRule = "first", notes: list[str] | None = None
) -> Cohort:
    """The figures of one campaign's runs (all of the same campaign id)."""
    people, warnings = trainees(runs)
    results = []
    for person in people:
        own = list(person.runs)
        finished = [r for r in own if r.finished]
        best = max(finished, key=lambda r: (r.percent, -finished.index(r))) if finished else None
        results.append(
            TraineeResult(
                person.name, own, counted_run(own, rule), finished[0] if finished else None, best, person.restarted
            )
        )
    results.sort(key=lambda t: (t.trainee.casefold(), t.trainee))
    counted = [t.counted for t in results if t.counted is not None]
    groups = [
        group
        for mode in sorted(MODES, key=lambda m: m != "assessment")
        for done in (True, False)
        if (group := Group(mode, done, [r for r in counted if r.mode == mode and r.finished == done])).runs
    ]
    splits = _splits(campaign, counted)
    versions = sorted({r.campaign_version for r in runs})
    notes = list(notes or [])
    if campaign is None:
        notes.append(
            f"The campaign '{runs[0].campaign}' could not be loaded here: options nobody picked are not listed."
        )
    elif any(v != campaign.version for v in versions):
        notes.append(
            f"Runs were played on version {', '.join(versions)}; options nobody picked come from version "
            f"{campaign.version}."
        )
    absent = [t.trainee for t in results if t.counted is None]
    if absent:
        notes.append(f"Not in the group's figures (no choice made yet): {', '.join(absent)}.")
    for t in results:
        for run in t.restarted:
            warnings.append(
                f"{t.trainee} left an assessment unfinished at decision {len(run.decisions) + 1} and started it "
                f"again; their {rule} attempt counts (--attempt {rule})."
            )
    return Cohort(
        campaign_id=runs[0].campaign,
        title=campaign.title if campaign is not None else runs[-1].campaign_title,
        versions=versions,
        campaign=campaign,
        rule=rule,
        trainees=results,
        counted=counted,
        groups=groups,
        splits=splits[:TOP_DECISIONS],
        splits_total=len(splits),
        missed=_missed(counted)[:TOP_MISSED],
        lessons=_lessons(counted),
        notes=notes,
        warnings=warnings,
    )


def cohorts(runs: list[RunRecord], load: bool = True, rule: AttemptRule = "first") -> list[Cohort]:
    """One cohort per campaign in the runs, in the order of their first run."""
    by_campaign: dict[str, list[RunRecord]] = {}
    for run in runs:
        by_campaign.setdefault(run.campaign, []).append(run)
    return [build_cohort(group, find_campaign(group) if load else None, rule) for group in by_campaign.values()]
