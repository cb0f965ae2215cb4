"""Debrief questions for the group, in the After-Action Review order.

What was supposed to happen, what happened, why it happened, what to do next time: generated from
the campaign's rubric and lessons and from the cohort's own figures, so the trainer can read them
out as they are or pick the ones that fit the room.
"""

from __future__ import annotations

from dataclasses import dataclass

from dealquest.play.scoring import AXIS_LABEL, ROLE_LABEL, format_mark
from dealquest.story.model import AXES, ROLES, Axis, Lesson, Role
from dealquest.training.cohort import Cohort, LessonCoverage

PHASES = (
    "What was supposed to happen?",
    "What happened?",
    "Why did it happen?",
    "What will we do next time?",
)

#: For each lesson: what should have happened, why it may not have, and what to try next time.
LESSON_PROMPTS: dict[Lesson, tuple[str, str, str]] = {
    "facilitation": (
        "What should marketing have gathered or made before sales met the customer, and how should sales use it?",
        "Where did a salesperson work blind, or marketing's work never reach a closing conversation? What led there?",
        "Name one thing marketing will hand to sales earlier next time, and how sales will use it in the room.",
    ),
    "aims": (
        "What was each role's aim: a decision for the salesperson, the audience's needs for the marketer?",
        "When a conversation ended without a decision, or marketing guessed instead of asking, what got in the way?",
        "What will the salesperson ask for at the end of the next call? What will the marketer ask the audience first?",
    ),
    "audience": (
        "Who should each role have been talking to: one buyer, a committee, a segment, the wider market?",
        "Where did someone address the wrong people for their role? What made them look like the right people then?",
        "Before each move next time, how will you check who the move is really for?",
    ),
    "horizon": (
        "Which moves should have paid off within the sales cycle, and which over months of marketing?",
        "Where did short-term pressure crowd out long-term marketing, or a long campaign hold up a ready sale?",
        "What one long-term marketing move and one short-term sales move will you plan together next time?",
    ),
    "push_pull": (
        "How much should each role push the product, and how much pull the customer toward it?",
        "When did pushing put off a customer who needed drawing in, or pulling leave a ready buyer waiting?",
        "Which of your moves would you switch from push to pull, or the other way round, and why?",
    ),
}

AXIS_NEXT: dict[tuple[Role, Axis], str] = {
    **{
        (role, "push_pull"): "Before each move, say out loud whether it pushes or pulls, and whether that suits "
        f"the {role}."
        for role in ROLES
    },
    **{
        (role, "audience"): "Before each move, name who it is for: one buyer, a committee, a segment or the market."
        for role in ROLES
    },
    ("marketer", "closing"): "Before marketing hands a lead to sales, agree what a qualified, well-briefed handoff "
    "contains, and hand over nothing less.",
    ("salesperson", "closing"): "For each sales conversation, decide beforehand what decision you will ask for, and "
    "size it to the audience (a committee needs a smaller, safer next step than a single buyer).",
}


@dataclass(frozen=True)
class AarSection:
    title: str
    context: list[str]  # figures and aims the trainer can read out first
    questions: list[str]


def quoted(text: str) -> str:
    """Story text quoted in a sentence of the report (a full stop at its end is left to the sentence)."""
    text = text.strip()
    return f"“{text[:-1] if text.endswith('.') and not text.endswith('..') else text}”"


def _weakest(lessons: list[LessonCoverage], top: int = 2) -> list[LessonCoverage]:
    """The lessons the group handled worst (lowest share of good choices), leaving out those with
    every choice good."""
    met = [c for c in lessons if c.total and c.good < c.total]
    return sorted(met, key=lambda c: (c.good / c.total, -c.total, c.lesson))[:top]


def _axis_extremes(cohort: Cohort) -> tuple[tuple[Role, Axis, float], tuple[Role, Axis, float]] | None:
    group = cohort.headline
    if group is None:
        return None
    averages = group.averages
    scored = [(role, axis, value) for role in ROLES for axis in AXES if (value := averages[role][axis]) is not None]
    if len(scored) < 2:
        return None
    ordered = sorted(scored, key=lambda item: item[2])
    return ordered[-1], ordered[0]


def questions(cohort: Cohort) -> list[AarSection]:
    """The four AAR sections for this cohort, each with context lines and questions."""
    touched = [c.lesson for c in cohort.lessons if c.met_by] or [c.lesson for c in cohort.lessons]

    # 1. What was supposed to happen?
    context = []
    if cohort.campaign is not None:
        rubric = cohort.campaign.rubric
        for role in ROLES:
            target = getattr(rubric, role)
            context.append(
                f"{ROLE_LABEL[role]}. Aim: {target.aim.rstrip('.')}. Talks to: {target.audience.rstrip('.')}. "
                f"Usual mix: about {target.push_share:.0%} push (information, not a score)."
            )
    supposed = ["What did each of you understand your aim to be as the marketer, and as the salesperson?"]
    supposed += [LESSON_PROMPTS[lesson][0] for lesson in touched]

    # 2. What happened?
    happened_context = []
    for group in cohort.groups:
        trainees = f"{len(group.runs)} trainee{'s' * (len(group.runs) != 1)}"
        line = f"{group.label}: {trainees}, average {group.percent or 0:.0f}%"
        grades = ", ".join(f"{grade} {count}" for grade, count in group.grades(cohort.grade_order) if count)
        if grades:
            line += f"; grades {grades}"
        endings = ", ".join(f"{count} {outcome}" for outcome, count in group.outcomes)
        if endings:
            line += f"; endings {endings}"
        happened_context.append(line + ".")
    happened = ["Does that match how the run felt while you played it? What surprised you?"]
    extremes = _axis_extremes(cohort)
    if extremes:
        (hr, ha, hv), (lr, la, lv) = extremes
        happened.append(
            f"The group scored highest on {ROLE_LABEL[hr].lower()} {AXIS_LABEL[ha].lower()} ({format_mark(hv)}) "
            f"and lowest on {ROLE_LABEL[lr].lower()} {AXIS_LABEL[la].lower()} ({format_mark(lv)}). "
            "Where in the story did you feel that?"
        )
    for split in cohort.splits[:2]:
        picked = sorted((o for o in split.options if o.picked_by), key=lambda o: -o.picked_by)
        if len(picked) >= 2:
            a, b = picked[0], picked[1]
            happened.append(
                f"At {quoted(split.title)} ({split.role}), {a.picked_by} of {split.reached} chose {quoted(a.text)} "
                f"and {b.picked_by} chose {quoted(b.text)}. What did each side see in the situation?"
            )

    # 3. Why did it happen?
    why = []
    for missed in cohort.missed[:2]:
        instead = quoted(missed.instead[0][0]) if missed.instead else "another option"
        why.append(
            f"{missed.missed_by} of {missed.reached} passed over {quoted(missed.best_text)} at {quoted(missed.title)} "
            f"({missed.best_value:+.2f}), most often for {instead}. What made that option look better at the time?"
        )
    weakest = _weakest(cohort.lessons)
    for coverage in weakest:
        why.append(
            f"{quoted(coverage.label)}: {coverage.good} of {coverage.total} choices on it were good "
            f"({coverage.good / coverage.total:.0%}). " + LESSON_PROMPTS[coverage.lesson][1]
        )
    if not why:
        why.append("The group took strong options throughout. What made the right moves easy to see?")

    # 4. What will we do next time?
    next_time = [LESSON_PROMPTS[c.lesson][2] for c in weakest]
    if extremes:
        next_time.append(AXIS_NEXT[extremes[1][0], extremes[1][1]])
    next_time.append("What will each of you do differently in your own work next week, as a marketer or in sales?")

    return [
        AarSection(PHASES[0], context, supposed),
        AarSection(PHASES[1], happened_context, happened),
        AarSection(PHASES[2], [], why),
        AarSection(PHASES[3], [], next_time),
    ]
