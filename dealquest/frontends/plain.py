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
from pathlib import Path
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
from dealquest.play.replay import replay_run
from dealquest.play.scoring import AXIS_LABEL, ROLE_LABEL, format_mark
from dealquest.play.turns import Handoff, handoff_after
from dealquest.story.campaign import Campaign
from dealquest.story.loader import fingerprint, load_campaign
from dealquest.story.model import AXES, ROLES, SCORE_MAX, SCORE_MIN, Role, Scene
from dealquest.story.text import clean, full_stop, markdown_text, sentences, tidy_stops
from dealquest.training import Mode
from dealquest.training.permissions import Permissions, permissions
from dealquest.training.recorder import Recorder, patiently
from dealquest.training.store import StoreError

HANDOFF_TITLE: dict[Role, str] = {
    "salesperson": "Handoff: marketing passes the deal to sales.",
    "marketer": "Report back: sales tells marketing what happened.",
}


def spoken(text: str) -> str:
    """Text as `--plain` says it: made safe (the one output-safety rule), and no stop said twice,
    not even where a writer's quotation ends a sentence inside a sentence ("… Go.'.")."""
    return tidy_stops(clean(text))


class ScriptError(Exception):
    """A scripted choice that does not fit the run."""


@dataclass
class Line:
    """What the player typed (or the script said), and how long they took."""

    text: str
    seconds: float


#: Where a variable's label stops being its name and starts describing it ("Deal clock: days left…").
_LABEL_ENDS = (":", " (", ",", " - ", " – ", " — ")


def short_label(label: str) -> str:
    """A state variable's name, short enough to hear before every decision: its label up to the
    first colon, bracket or comma ("Deal clock" of "Deal clock: days left on the hotel's hold")."""
    cut = min((i for i in (label.find(end) for end in _LABEL_ENDS) if i > 0), default=len(label))
    return label[:cut].strip() or label


def state_text(campaign: Campaign, state: GameState, full: bool = False) -> str:
    """The visible variables in one line: clocks, counters, then what has been gathered. Short
    labels unless `full` (the `s` key): a screen reader reads the long ones once, when asked."""
    parts: list[str] = []
    gathered: list[str] = []
    for name, var in campaign.header.state.items():
        if not var.show:
            continue
        label = clean(var.label or name) if full else clean(short_label(var.label or name))
        value = state.vars.get(name, var.initial)
        if var.type == "flag":
            if value:
                gathered.append(label)
        elif var.max is not None and not var.clock:
            parts.append(f"{label} {int(value)} of {var.max}")
        else:
            parts.append(f"{label} {int(value)}")
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


def aim_text(campaign: Campaign, role: Role) -> str:
    """A role's aim and audience, as two sentences."""
    target = getattr(campaign.rubric, role)
    return sentences(f"Aim: {clean(target.aim)}", f"Talk to: {clean(target.audience)}")


def scene_text(campaign: Campaign, state: GameState, aim: bool = True) -> str:
    """A scene as the player reads it: where, who, the text, the state and the numbered choices;
    the role's aim with it when `aim` (once per switch of role: it is the same until the next)."""
    node = engine.current(campaign, state)
    assert isinstance(node, Scene)
    where = f", {clean(engine.text(state, node.chapter))}" if node.chapter else ""
    lines = [
        sentences(f"Decision {state.turn + 1}{where}", f"You are the {node.role}"),
        f"{markdown_text(engine.text(state, node.title))}",
    ]
    if aim:
        lines.append(aim_text(campaign, node.role))
    lines += ["", markdown_text(engine.text(state, node.text))]
    status = state_text(campaign, state)
    if status:
        lines += ["", full_stop(f"State: {status}")]
    views = engine.choices(campaign, state)
    lines += ["", "Choices:", *choice_lines(views)]
    if not any(view.available for view in views):
        lines += ["", STUCK]
    return "\n".join(lines)


#: Said at a scene where no choice can be made (a campaign the validator warned about, DQ203).
STUCK = (
    "Every choice here is locked, so the run cannot go on from this scene. "
    "Type u to undo your last choice, or q to stop."
)


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
        f"  {full_stop(f'You chose: {clean(review.choice_text)}')}",
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
            full_stop(outcome_text(report.ending)),
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
        out.append(sentences(f"{ROLE_LABEL[role]}: {clean(target.aim)}", f"Talks to: {clean(target.audience)}"))
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
        save: Callable[[Campaign, GameState], str | None] | None = None,
        watch: Path | None = None,
    ) -> None:
        self.campaign = campaign
        self.state = state
        self.out = out
        self.err = err or out
        self.mode: Mode = mode
        self.recorder = recorder
        #: keeps the run after each choice (solo play: the autosave); returns why it could not
        self.save = save
        #: the role whose aim was last read out: the aim is said again only when the role switches
        self._aim_said: Role | None = None
        #: --watch: the campaign folder read again, and the run replayed on it, when a file changes
        self.watch = watch
        self._fingerprint = fingerprint(watch) if watch is not None else ()

    def say(self, text: str = "") -> None:
        """Every line the player reads goes out here, through the one output-safety rule."""
        self.out.write(spoken(text) + "\n")
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
        elif resumed:
            self.say(f"Continuing your saved run at decision {self.state.turn + 1}.")
        self.say(self.keys())

    def keys(self) -> str:
        undo = ", u undoes the last choice" if self.allows.undo else ""
        return f"Type a choice's number and press Enter{undo}, h repeats the scene, s reads the state in full, q quits."

    def prompt(self) -> str:
        views = engine.choices(self.campaign, self.state)
        if not any(view.available for view in views):
            return "Stuck here: u undoes, q stops: " if self.allows.undo else "Stuck here: q stops: "
        return f"Your choice, 1 to {len(views)}: "

    def scene(self, aim: bool | None = None) -> str:
        """The current scene; its role's aim with it the first time that role plays (or when `aim`)."""
        node = engine.current(self.campaign, self.state)
        role = node.role if isinstance(node, Scene) else None
        say_aim = aim if aim is not None else role != self._aim_said
        self._aim_said = role
        return scene_text(self.campaign, self.state, aim=say_aim)

    def _keep(self) -> None:
        """Keep the run as it is now (solo play: the autosave); a failure is said, once a time."""
        if self.save is None:
            return
        problem = self.save(self.campaign, self.state)
        if problem:
            self.err.write(f"dealquest: the run could not be saved: {clean(problem, line=True)}\n")
            self.err.flush()

    def play(self, lines: Iterator[Line], echo: bool = False) -> bool:
        """Play until the ending, q, or the end of the input; False when the input ran out first."""
        self.say()
        self.say(self.scene())
        while not self.state.ended:
            self.out.write(self.prompt())
            self.out.flush()
            line = next(lines, None)
            if line is None:
                self.say()
                self.say(self.input_ended())
                return True
            if echo:
                self.say(line.text)
            answer = line.text.strip().lower()
            if answer not in ("q", "quit") and self.reload_if_changed():
                if answer:  # typed for the scene as it was: the options may have changed
                    self.say(f"(“{clean(line.text.strip(), line=True)}” was typed before the reload: type it again.)")
                continue
            if answer in ("q", "quit"):
                if self.recorder is not None and self.state.decisions:
                    # q sits under 1 and 2: a training run is not ended by a slip of the finger.
                    self.out.write(f"Stop this run at decision {self.state.turn + 1}? Type y to stop, Enter to go on: ")
                    self.out.flush()
                    sure = next(lines, None)
                    if echo and sure is not None:
                        self.say(sure.text)
                    if sure is not None and sure.text.strip().lower() not in ("y", "yes", "q"):
                        self.say(self.scene(aim=True))
                        continue
                    self.say(
                        f"Stopped at decision {self.state.turn + 1}; the choices so far are kept. Sign in again with "
                        "the same name to go on from here."
                    )
                    return True
                self._keep()
                self.say(f"Stopped at decision {self.state.turn + 1}; the choices so far are kept.")
                return True
            if answer in ("h", "?", "help"):
                self.say(self.keys())
                self.say(self.scene(aim=True))
                continue
            if not answer:  # Enter on its own: what can be typed here
                self.say(self.keys())
                continue
            if answer in ("s", "state"):
                self.say(self.state_in_full())
                continue
            if answer in ("u", "undo"):
                self.undo()
                continue
            self.pick(answer, line.seconds)
        self.say()
        self.say(debrief_text(self.campaign, self.state, build(self.campaign, self.state)))
        return True

    def reload_if_changed(self) -> bool:
        """--watch: when a file of the campaign changed, read it again and replay the run on it from
        the start (`play/replay`), saying where that leaves the player; True when it was reloaded.
        A campaign with errors is reported where they are, and the game goes on with the last good one."""
        if self.watch is None:
            return False
        now = fingerprint(self.watch)
        if now == self._fingerprint:
            return False
        self._fingerprint = now
        result = load_campaign(self.watch)
        if not result.ok or result.campaign is None:
            self.err.write("dealquest: the campaign has errors; still playing the last good version:\n")
            for d in result.diagnostics:
                if d.severity == "error":
                    self.err.write(d.format() + "\n")
            self.err.flush()
            return False
        replay = replay_run(self.campaign, self.state, result.campaign)
        self.campaign, self.state = result.campaign, replay.state
        self._keep()
        self.say()
        self.say(replay.message)
        if not self.state.ended:
            self.say()
            self.say(self.scene(aim=True))
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
        self._keep()
        self.say("Undone.")
        self.say(self.scene())

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
        self._keep()
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
        self.say(self.scene())

    def state_in_full(self) -> str:
        """The `s` key: every visible variable under its whole label."""
        status = state_text(self.campaign, self.state, full=True)
        return full_stop(f"State in full: {status}") if status else "Nothing is tracked in this campaign."

    def input_ended(self) -> str:
        """What is said when the input runs out before the run does: where it stopped and how to go on."""
        where = f"The input ended at decision {self.state.turn + 1}, before the run did"
        if self.recorder is not None:
            how = "Your choices so far are recorded: run the same command with the same name to go on from here"
        elif self.save is not None:
            how = (
                f"The run is saved: `dealquest play {self.campaign.folder} --plain --continue` goes on from here "
                "(or Continue in the full-screen game)"
            )
        else:
            how = "Scripted choices are not saved: give more with --choices to go further"
        return sentences(where, how)

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
            return full_stop(f"Choice {number} is locked: {clean(view.locked or 'not available now')}")
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
