"""What the play screen shows on each page of a turn, as Content: no widgets, no Textual layout.

A turn has up to three pages, all on the play screen's one `StoryPage`:
- the scene: its title, its text and the numbered choices;
- the feedback on the choice just made: what it did and why, and the change on each axis;
- the handoff card, when the role switches: what one role passes to the other.
The side panel (score gauges and the state) is built here too.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content

from dealquest.play import engine
from dealquest.play.debrief import LESSON_LABEL, MISSED_MARGIN, best_option, odds_line, odds_lines, verdict_line
from dealquest.play.engine import GameState, Step
from dealquest.play.scoring import AXIS_LABEL, RoleScore, Scorecard, format_mark
from dealquest.play.scoring import gauge as gauge_share
from dealquest.story.campaign import Campaign
from dealquest.story.model import AXES, ROLES, Axis, Role, Scene
from dealquest.tui.markdown import story_content
from dealquest.tui.safe import clean
from dealquest.tui.widgets.role_banner import role_tag
from dealquest.tui.widgets.state_panel import state_lines
from dealquest.tui.widgets.story_page import PageOption

#: The value `StoryPage.Selected` reports for "go on" (a choice's value is its engine index, >= 0).
GO_ON = -1

HANDOFF_TITLE: dict[Role, str] = {
    "salesperson": "Handoff: marketing passes the deal to sales",
    "marketer": "Report back: sales tells marketing what happened",
}
HANDOFF_DEFAULT: dict[Role, str] = {
    "salesperson": "Marketing hands its work to sales. Use what it gathered.",
    "marketer": "Sales reports back. Marketing adjusts the strategy to what the customers said.",
}
GAUGE_WIDTH = 12


@dataclass(frozen=True)
class Page:
    """One page of a turn: a title line, blocks of text, a heading over the options, the options."""

    kind: str  # "scene", "feedback" or "handoff"
    title: Content
    blocks: list[Content]
    options: list[PageOption]
    heading: Content | None = None


def scene_page(campaign: Campaign, state: GameState) -> Page:
    node = engine.current(campaign, state)
    options = []
    for number, view in enumerate(engine.choices(campaign, state), start=1):
        prompt = Content(clean(view.text))
        if view.odds:
            prompt = Content.assemble(prompt, Content.styled(f"  ({clean(odds_line(view.odds))})", "italic"))
        if view.available:
            options.append(PageOption(prompt, view.index, label=f"{number}."))
        else:
            why = Content.styled(f"Locked: {clean(view.locked or 'not available now')}", "italic")
            options.append(PageOption(prompt.stylize("strike"), view.index, False, why, f"{number}."))
    title = Content.styled(clean(engine.text(state, node.title)), "bold")
    text = story_content(engine.text(state, node.text))
    heading = Content.styled("Your move", "bold") if options else None
    return Page("scene", title, [text], options, heading)


def mark_line(axis: Axis, mark: float | None, now: float | None, note: str = "") -> Content:
    """One axis after a choice: the choice's own mark, and the role's score on that axis now (the
    mean of its marks, on the same scale)."""
    shown = format_mark(mark)
    return Content.assemble(
        f"{AXIS_LABEL[axis]:<10}", (f"{shown:<11}", "bold"), f"now {format_mark(now)}", (note, "dim")
    )


def feedback_page(campaign: Campaign, before: GameState, step: Step, then: str, brisk: bool = False) -> Page:
    """The teaching moment after a choice; `then` says what Enter leads to. `brisk`: the shorter
    form shown above the next scene (the verdict without the marks per axis, which the side panel
    and the journal show, and without the lessons), so that the next choices are soon in sight."""
    scene = engine.current(campaign, before)
    assert isinstance(scene, Scene)
    decision = step.decision
    picked = engine.text(before, scene.choices[decision.choice].text)
    card = engine.score(campaign, step.state).roles[decision.role]
    blocks = [Content.assemble(("You chose: ", "bold"), clean(picked)), story_content(step.feedback)]
    blocks += [story_content(line).stylize_before("italic") for line in step.narration]
    blocks += [Content.styled(clean(line), "italic") for line in odds_lines(step.chance, decision.good)]
    lines = [Content.styled(clean(verdict_line(decision, step.why)), "bold")]
    notes: dict[Axis, str] = {
        "push_pull": f"  ({decision.technique})" if decision.technique != "none" else "  (no technique: not marked)"
    }
    if not brisk:
        lines += [mark_line(a, decision.mark(a), card.axes[a], notes.get(a, "")) for a in AXES]
    blocks.append(Content("\n").join(lines))
    best = best_option(campaign, before)
    if best is not None and best.value - decision.value >= MISSED_MARGIN:
        blocks.append(
            Content.assemble(
                ("A stronger option was: ", "italic"), clean(best.text), f" ({best.verdict}, {format_mark(best.value)})"
            )
        )
    if decision.lessons and not brisk:
        names = ", ".join(LESSON_LABEL[lesson] for lesson in decision.lessons)
        blocks.append(Content.styled(f"Lessons: {names}", "dim"))
    title = Content.styled(f"Feedback · {role_tag(decision.role)}", "bold")
    go_on = PageOption(Content.assemble(("Continue ", "bold"), f"({then}, Enter)"), GO_ON)
    return Page("feedback", title, blocks, [go_on])


def handoff_page(campaign: Campaign, state: GameState, to: Role, message: str | None, assessing: bool) -> Page:
    """The card shown on a switch of role, `to` being the role the player plays next."""
    came_from: Role = "marketer" if to == "salesperson" else "salesperson"
    blocks = [
        Content.styled(f"{role_tag(came_from)}  ──▶  {role_tag(to)}", "bold"),
        story_content(message or HANDOFF_DEFAULT[to]),
    ]
    lines = state_lines(campaign, state)
    if lines:
        blocks.append(Content("\n").join([Content.styled("What you have now", "bold underline"), *lines]))
    if not assessing:  # an assessment shows no score until its debrief
        scores = engine.score(campaign, state).roles[came_from]
        figures = ", ".join(f"{AXIS_LABEL[a].lower()} {format_mark(scores.axes[a])}" for a in AXES)
        blocks.append(Content.styled(f"How the {came_from} did: {figures}", "dim"))
    title = Content.styled(HANDOFF_TITLE[to], "bold")
    go_on = PageOption(Content.assemble(("Play as ", "bold"), (role_tag(to), "bold"), " (Enter)"), GO_ON)
    return Page("handoff", title, blocks, [go_on])


def with_feedback_above(feedback: Page, page: Page) -> Page:
    """Brisk play: the feedback on the choice just made above the next page (a scene or a handoff
    card), so that the next choice is one key press away. The feedback's "Continue" is left out."""
    title = Content.styled(f"{feedback.title.plain}: your last choice", "bold underline")
    rule = Content.styled("─" * 24, "dim")
    return Page(page.kind, page.title, [title, *feedback.blocks, rule, *page.blocks], page.options, page.heading)


# ---------------------------------------------------------------------- the side panel


def gauge(label: str, value: float | None, bar: int = GAUGE_WIDTH) -> Content:
    """One axis as a text gauge: a bar of `bar` cells and the mean mark (-2..+2); None shows a dash.
    It takes 15 columns more than the bar: the label's 10 and the figure's 5."""
    filled = 0 if value is None else round(bar * gauge_share(value))
    return Content.assemble(
        f"{label:<10}",
        ("█" * filled, "bold"),
        ("░" * (bar - filled), "dim"),
        (f" {format_mark(value):>4}", "bold"),
    )


def axis_detail(axis: Axis, score: RoleScore) -> str:
    """The push/pull mix, shown as information beside the gauge (it is never scored)."""
    if axis != "push_pull":
        return ""
    share = "–" if score.push_share is None else f"{score.push_share:.0%}"
    return f"push {share}, usually {score.profile_share:.0%}"


def score_content(card: Scorecard, current: Role | None, width: int = GAUGE_WIDTH + 15) -> Content:
    """Both roles' gauges and the grade so far, in 13 lines whatever the run (see play.tcss), each
    line within `width` columns (the panel's): the bars shrink, never the figures."""
    bar = max(4, min(GAUGE_WIDTH, width - 15))
    lines: list[Content] = []
    for role in ROLES:
        score = card.roles[role]
        title = role_tag(role) + ("  ◀ you" if role == current else "")
        lines.append(Content.styled(title, "bold reverse" if role == current else "bold"))
        for axis in AXES:
            lines.append(gauge(AXIS_LABEL[axis], score.axes[axis], bar))
            if axis == "push_pull":
                lines.append(Content.styled(f"  {axis_detail(axis, score)}", "dim"))
        lines.append(Content(""))
    decided = sum(rs.decisions for rs in card.roles.values())
    lines.append(
        Content("Grade so far: –")
        if decided == 0
        else Content.assemble("Grade so far: ", (clean(card.grade), "bold"), f" ({card.percent:.0f}%)")
    )
    return Content("\n").join(lines)


def state_content(campaign: Campaign, state: GameState, before: GameState | None) -> Content:
    lines = state_lines(campaign, state, before.vars if before is not None else None)
    return Content("\n").join(lines) if lines else Content("Nothing to track in this campaign.")
