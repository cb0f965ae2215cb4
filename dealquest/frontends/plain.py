"""`dealquest play --plain`: the game line by line on standard input and output.

For screen readers, terminals where the full-screen app cannot run, and scripted runs
(`--choices 1,3,2` or piped input). It drives the same engine as the app and records to the same
store; the debrief at the end is the app's debrief, as text. Lines are plain words, with no box
drawing or icons, so that a screen reader reads them as sentences.
"""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TextIO

from dealquest.play import engine
from dealquest.play.debrief import (
    LESSON_LABEL,
    MISSED_MARGIN,
    NO_BEST_TEXT,
    NO_WORST_TEXT,
    SCALE_TEXT,
    Debrief,
    Review,
    best_option,
    build,
    ending_heading,
    marks_line,
    odds_line,
    odds_lines,
    outcome_text,
    verdict_line,
    weakest_sentence,
)
from dealquest.play.engine import ChoiceView, EngineError, GameState
from dealquest.play.scoring import AXIS_LABEL, ROLE_LABEL, format_mark
from dealquest.play.turns import Handoff, handoff_after
from dealquest.story.campaign import Campaign
from dealquest.story.model import AXES, ROLES, SCORE_MAX, SCORE_MIN, Role, Scene
from dealquest.story.text import clean, markdown_text
from dealquest.training import Mode
from dealquest.training.permissions import Permissions, permissions
from dealquest.training.recorder import Recorder, patiently
from dealquest.training.store import StoreError

HANDOFF_TITLE: dict[Role, str] = {
    "salesperson": "Handoff: marketing passes the deal to sales.",
    "marketer": "Report back: sales tells marketing what happened.",
}


class ScriptError(Exception):
    """A scripted choice that does not fit the run."""


@dataclass
class Line:
    """What the player typed (or the script said), and how long they took."""

    text: str
    seconds: float


def state_text(campaign: Campaign, state: GameState) -> str:
    """The visible variables in one line: clocks, counters, then what has been gathered."""
    parts: list[str] = []
    gathered: list[str] = []
    for name, var in campaign.header.state.items():
        if not var.show:
            continue
        value = state.vars.get(name, var.initial)
        if var.type == "flag":
            if value:
                gathered.append(clean(var.label))
        elif var.max is not None and not var.clock:
            parts.append(f"{clean(var.label)} {int(value)} of {var.max}")
        else:
            parts.append(f"{clean(var.label)} {int(value)}")
    if gathered:
        parts.append("gathered: " + ", ".join(gathered))
    return "; ".join(parts)


def choice_lines(views: list[ChoiceView]) -> list[str]:
    lines = []
    for number, view in enumerate(views, start=1):
        if view.available:
            odds = f" ({clean(odds_line(view.odds))})" if view.odds else ""
            lines.append(f"  {number}. {clean(view.text)}{odds}")
        else:
            lines.append(f"  {number}. (locked: {clean(view.locked or 'not available now')}) {clean(view.text)}")
    return lines


def scene_text(campaign: Campaign, state: GameState) -> str:
    """A scene as the player reads it: where, who, the text, the state and the numbered choices."""
    node = engine.current(campaign, state)
    assert isinstance(node, Scene)
    target = getattr(campaign.rubric, node.role)
    where = f", {clean(engine.text(state, node.chapter))}" if node.chapter else ""
    lines = [
        f"Decision {state.turn + 1}{where}. You are the {node.role}.",
        f"{markdown_text(engine.text(state, node.title))}",
        f"Aim: {clean(target.aim)}. Talk to: {clean(target.audience)}.",
        "",
        markdown_text(engine.text(state, node.text)),
    ]
    status = state_text(campaign, state)
    if status:
        lines += ["", f"State: {status}."]
    lines += ["", "Choices:", *choice_lines(engine.choices(campaign, state))]
    return "\n".join(lines)


def feedback_text(campaign: Campaign, before: GameState, step: engine.Step) -> str:
    """What the app's feedback window says after a choice, as lines of text."""
    decision = step.decision
    scene = engine.current(campaign, before)
    assert isinstance(scene, Scene)
    picked = engine.text(before, scene.choices[decision.choice].text)
    card = engine.score(campaign, step.state).roles[decision.role]
    lines = [f"You chose: {clean(picked)}", markdown_text(step.feedback)]
    lines += [markdown_text(line) for line in step.narration]
    lines += [clean(line) for line in odds_lines(step.chance, decision.good)]
    lines.append(f"{clean(verdict_line(decision, step.why))}, on a scale of {SCORE_MIN} to +{SCORE_MAX}.")
    for axis in AXES:
        mark = decision.mark(axis)
        shown = "not marked" if mark is None else format_mark(mark)
        lines.append(
            f"{AXIS_LABEL[axis]}: {shown}; your {decision.role}'s score is now {format_mark(card.axes[axis])}."
        )
    best = best_option(campaign, before)
    if best is not None and best.value - decision.value >= MISSED_MARGIN:
        lines.append(f"A stronger option was: {clean(best.text)} ({best.verdict}, {format_mark(best.value)}).")
    if decision.lessons:
        lines.append("Lessons: " + ", ".join(LESSON_LABEL[lesson] for lesson in decision.lessons) + ".")
    return "\n".join(lines)


def handoff_text(handoff: Handoff) -> str:
    to = handoff.to
    came_from: Role = "marketer" if to == "salesperson" else "salesperson"
    lines = [HANDOFF_TITLE[to]]
    if handoff.message:
        lines.append(markdown_text(handoff.message))
    return "\n".join(lines) + f"\nYou now play the {to}; the {came_from}'s part is done for now."


def review_text(review: Review, better: bool) -> str:
    lines = [
        f"Decision {review.number}, {review.role}: {clean(review.scene_title)}",
        f"  You chose: {clean(review.choice_text)}.",
        f"  {clean(verdict_line(review.decision, review.why))}; {marks_line(review.decision)}.",
        f"  {markdown_text(review.feedback)}",
    ]
    lines += [f"  {clean(line)}" for line in odds_lines(review.chance, review.good)]
    if better and review.best is not None:
        best = review.best
        lines.append(f"  Better option missed: {clean(best.text)} ({best.verdict}, {format_mark(best.value)}).")
        lines.append(f"  {markdown_text(review.best.feedback)}")
    return "\n".join(lines)


def debrief_text(campaign: Campaign, state: GameState, report: Debrief) -> str:
    """The app's debrief screen as text: ending, grade, how each score was earned, decisions, lessons."""
    card = report.scorecard
    out: list[str] = []
    if report.ending is not None:
        out += [
            ending_heading(report.ending, state),
            markdown_text(engine.text(state, report.ending.text)),
            f"{outcome_text(report.ending)}.",
        ]
        out += ["", "Why this ending:"]
        out += [f"  {clean(tp.sentence)}" for tp in report.turning_points] or [
            "  No single decision changed this ending's chance by much: it was the whole run."
        ]
        if report.weakest is not None:
            out.append(f"  {clean(weakest_sentence(report.weakest))}")
    else:
        out.append("The run so far (it has not reached an ending).")
    out += ["", f"Grade {card.grade}, {clean(card.label)}, {card.percent:.0f}%."]
    out += ["", "Per role and axis:"]
    for role in ROLES:
        score = card.roles[role]
        for axis in AXES:
            out.append(
                f"  {ROLE_LABEL[role]}, {AXIS_LABEL[axis]}: {format_mark(score.axes[axis])} ({score.reasons[axis]})."
            )
    out.append(SCALE_TEXT)
    out += [f"{clean(line)}" for line in report.mix]
    for role in ROLES:
        target = getattr(campaign.rubric, role)
        out.append(f"{ROLE_LABEL[role]}: {clean(target.aim)}. Talks to: {clean(target.audience)}.")
    out += ["", "Best decisions:"]
    out += [review_text(r, False) for r in report.best] or [f"  {NO_BEST_TEXT}"]
    out += ["", "Decisions to rethink:"]
    out += [review_text(r, True) for r in report.worst] or [f"  {NO_WORST_TEXT}"]
    out += ["", "Lessons:"]
    out += [f"  {lesson.sentence}." for lesson in report.lessons]
    return "\n".join(out)


class PlainGame:
    """One run on a stream of lines; the caller gives the input and output streams."""

    def __init__(
        self,
        campaign: Campaign,
        state: GameState,
        out: TextIO,
        *,
        mode: Mode = "practice",
        recorder: Recorder | None = None,
        err: TextIO | None = None,
    ) -> None:
        self.campaign = campaign
        self.state = state
        self.out = out
        self.err = err or out
        self.mode: Mode = mode
        self.recorder = recorder

    def say(self, text: str = "") -> None:
        """Every line the player reads goes out here, through the one output-safety rule."""
        self.out.write(clean(text) + "\n")
        self.out.flush()

    @property
    def allows(self) -> Permissions:
        """What the run allows now (an assessment: no feedback and no undo until the debrief)."""
        return permissions(self.mode, running=not self.state.ended, recorded=self.recorder is not None)

    def _record(self, change: Callable[[Recorder], object], what: str = "your choice") -> bool:
        """Record a change of the run before the game moves on; on a busy store, wait (saying so)
        and try again. False, after saying why, when it could not be recorded."""
        recorder = self.recorder
        if recorder is None:
            return True
        told = False

        def waiting(seconds: float) -> None:
            nonlocal told
            if not told:
                self.err.write(
                    "dealquest: the results store is busy (another program is writing to it); waiting to record "
                    f"{what}...\n"
                )
                self.err.flush()
                told = True

        try:
            patiently(lambda: change(recorder), waiting)
        except StoreError as exc:
            self.err.write(f"dealquest: not recorded, so the game stays where it was: {clean(str(exc), line=True)}\n")
            self.err.flush()
            return False
        if told:
            self.err.write("dealquest: recorded.\n")
            self.err.flush()
        return True

    def begin(self) -> bool:
        """Record the start of the run (waiting for a busy store); False when it cannot be."""
        start = self.state
        return self._record(lambda recorder: recorder.begin(start), what="the start of your run")

    def introduce(self, trainee: str | None, resumed: bool = False) -> None:
        c = self.campaign
        self.say(f"DealQuest: {clean(c.title)}, version {c.version}. Seed {self.state.seed}.")
        if trainee:
            how = (
                "practice: feedback after every choice, u undoes"
                if self.mode == "practice"
                else "assessment: no feedback and no undo until the debrief at the end"
            )
            self.say(f"Trainee {clean(trainee)}, {how}. Every choice is recorded as you make it.")
            if resumed:
                self.say(
                    f"Welcome back: your unfinished run goes on at decision {self.state.turn + 1} "
                    f"({self.state.turn} choice{'s' * (self.state.turn != 1)} already recorded)."
                )
        self.say(self.keys())

    def keys(self) -> str:
        undo = ", u undoes the last choice" if self.allows.undo else ""
        return f"Type a choice's number and press Enter{undo}, h repeats the scene, q quits."

    def prompt(self) -> str:
        count = len(engine.choices(self.campaign, self.state))
        return f"Your choice, 1 to {count}: "

    def play(self, lines: Iterator[Line], echo: bool = False) -> bool:
        """Play until the ending, q, or the end of the input; False when the input ran out first."""
        self.say()
        self.say(scene_text(self.campaign, self.state))
        while not self.state.ended:
            self.out.write(self.prompt())
            self.out.flush()
            line = next(lines, None)
            if line is None:
                self.say()
                self.say(f"The input ended before the run did, at decision {self.state.turn + 1}.")
                return False
            if echo:
                self.say(line.text)
            answer = line.text.strip().lower()
            if answer in ("q", "quit"):
                if self.recorder is not None and self.state.decisions:
                    # q sits under 1 and 2: a training run is not ended by a slip of the finger.
                    self.out.write(f"Stop this run at decision {self.state.turn + 1}? Type y to stop, Enter to go on: ")
                    self.out.flush()
                    sure = next(lines, None)
                    if echo and sure is not None:
                        self.say(sure.text)
                    if sure is not None and sure.text.strip().lower() not in ("y", "yes", "q"):
                        self.say(scene_text(self.campaign, self.state))
                        continue
                    self.say(
                        f"Stopped at decision {self.state.turn + 1}; the choices so far are kept. Sign in again with "
                        "the same name to go on from here."
                    )
                    return True
                self.say(f"Stopped at decision {self.state.turn + 1}; the choices so far are kept.")
                return True
            if answer in ("h", "?", "help"):
                self.say(self.keys())
                self.say(scene_text(self.campaign, self.state))
                continue
            if answer in ("u", "undo"):
                self.undo()
                continue
            self.pick(answer, line.seconds)
        self.say()
        self.say(debrief_text(self.campaign, self.state, build(self.campaign, self.state)))
        return True

    def undo(self) -> None:
        if not self.allows.undo:
            self.say("Undo is off in assessment mode until the debrief.")
            return
        if not self.state.decisions:
            self.say("Nothing to undo: this is the start of the run.")
            return
        undone = engine.undo(self.campaign, self.state)
        if not self._record(lambda recorder: recorder.rewound(undone)):
            return
        self.state = undone
        self.say("Undone.")
        self.say(scene_text(self.campaign, self.state))

    def pick(self, answer: str, seconds: float) -> None:
        views = engine.choices(self.campaign, self.state)
        problem = self.problem(answer, views)
        if problem:
            self.say(problem)
            return
        view = views[int(answer) - 1]
        before = self.state
        feedback = self.allows.feedback  # as the choice is made: an assessment's last one gets none either
        try:
            step = engine.choose(self.campaign, before, view.index)
        except EngineError as exc:  # not expected: the view said it was available
            self.say(f"Not possible: {exc}.")
            return
        if not self._record(lambda recorder: recorder.chose(before, step, seconds)):
            self.say(f"Your choice was not recorded; you are still at decision {before.turn + 1}. Choose again.")
            return
        self.state = step.state
        self.say()
        if feedback:
            self.say(feedback_text(self.campaign, before, step))
        else:
            self.say("Recorded.")
            for line in step.narration:  # story, not feedback: what happened next
                self.say(markdown_text(line))
        if self.state.ended:
            return
        handoff = handoff_after(self.campaign, step)
        if handoff is not None:
            self.say()
            self.say(handoff_text(handoff))
        self.say()
        self.say(scene_text(self.campaign, self.state))

    @staticmethod
    def problem(answer: str, views: list[ChoiceView]) -> str | None:
        """Why an answer is not a choice that can be made now, or None. Whatever was typed, this
        answers: "²", "①" and "٣" are digits to Python but not to int(), and 5,000 digits are too many."""
        if not (answer.isascii() and answer.isdigit() and len(answer) <= 3):
            return f"Type a number from 1 to {len(views)}, or h for help."
        number = int(answer)
        if not 1 <= number <= len(views):
            return f"There is no choice {number} here; type a number from 1 to {len(views)}."
        view = views[number - 1]
        if not view.available:
            return f"Choice {number} is locked: {clean(view.locked or 'not available now')}."
        return None


#: The most of a typed line that is read; the rest of a longer line is dropped (it is no answer).
MAX_LINE = 1000


def typed_lines(stream: TextIO) -> Iterator[Line]:
    """Lines from a stream, each with the seconds since the previous one was asked for. Bytes that
    are not UTF-8 read as U+FFFD and a line is read no further than MAX_LINE characters, so what
    a player types or pastes is always an answer to reply to, never an exception."""
    if isinstance(stream, io.TextIOWrapper):
        with contextlib.suppress(ValueError, OSError):
            stream.reconfigure(errors="replace")
    while True:
        asked = time.monotonic()
        text = stream.readline(MAX_LINE + 1)
        if not text:
            return
        if len(text) > MAX_LINE and not text.endswith("\n"):
            rest = text
            while rest and not rest.endswith("\n"):  # drop the rest of the line, a piece at a time
                rest = stream.readline(MAX_LINE + 1)
            text = text[:MAX_LINE]
        yield Line(text.rstrip("\n"), time.monotonic() - asked)


def scripted_lines(game: PlainGame, numbers: list[int]) -> Iterator[Line]:
    """The --choices numbers as lines; ScriptError when one is not a choice at its decision."""
    for position, number in enumerate(numbers, start=1):
        views = engine.choices(game.campaign, game.state)
        problem = PlainGame.problem(str(number), views)
        if problem:
            raise ScriptError(f"--choices item {position} ({number}), at decision {game.state.turn + 1}: {problem}")
        yield Line(str(number), 0.0)


def parse_choices(text: str) -> list[int]:
    """`1,3,2` as numbers; ValueError with the reason when it is not a list of whole numbers."""
    items = [item.strip() for item in text.replace(" ", ",").split(",") if item.strip()]
    if not items:
        raise ValueError("give the choice numbers separated by commas, e.g. --choices 1,3,2")
    for item in items:
        if not (item.isascii() and item.isdigit() and len(item) <= 3) or int(item) < 1:
            raise ValueError(f"'{item}' is not a choice number (1, 2, 3 ...)")
    return [int(item) for item in items]
