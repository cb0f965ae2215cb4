"""The debrief at an ending: the result per role and axis, best and worst decisions, lessons, a chart."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, DataTable, Markdown, Static

from dealquest.play import engine
from dealquest.play.debrief import (
    NO_BEST_TEXT,
    NO_WORST_TEXT,
    SCALE_TEXT,
    Debrief,
    Review,
    build,
    ending_heading,
    marks_line,
    odds_lines,
    outcome_text,
    verdict_line,
    weakest_sentence,
)
from dealquest.play.route import route_map
from dealquest.play.scoring import AXIS_LABEL, ROLE_LABEL, RoleScore, format_mark
from dealquest.story.campaign import Campaign
from dealquest.story.model import AXES, ROLES, Axis
from dealquest.tui import messages
from dealquest.tui.markdown import needs_light_rendering, story_content
from dealquest.tui.safe import clean, markdown_text
from dealquest.tui.session import Game
from dealquest.tui.widgets.axes_chart import AxesChart
from dealquest.tui.widgets.footer import Footer
from dealquest.tui.widgets.role_banner import role_tag
from dealquest.tui.widgets.route_map import RouteView


def result_text(axis: Axis, score: RoleScore) -> str:
    """How the score on an axis was earned, in the scoring module's own words."""
    return score.reasons[axis]


def aims_text(campaign: Campaign) -> Content:
    """The rubric's targets in words: each role's aim and audience, and what 100% means."""
    lines = [Content(SCALE_TEXT)]
    for role in ROLES:
        target = getattr(campaign.rubric, role)
        lines.append(
            Content.assemble(
                (f"{ROLE_LABEL[role]}: ", "bold"), clean(target.aim), ("  Talks to: ", "italic"), clean(target.audience)
            )
        )
    return Content("\n").join(lines)


def review_block(review: Review, show_better: bool) -> Content:
    parts: list[str | Content | tuple[str, str]] = [
        (f"Decision {review.number} · {role_tag(review.role)} · ", "bold"),
        (clean(review.scene_title), "bold"),
        f"\nYou chose: {clean(review.choice_text)}\n",
        (clean(verdict_line(review.decision, review.why)), "bold"),
        f" · {marks_line(review.decision)}\n",
        (markdown_text(review.feedback), "italic"),
    ]
    for line in odds_lines(review.chance, review.good):
        parts += ["\n", (clean(line), "italic")]
    if show_better and review.best is not None:
        parts += [
            ("\nBetter option missed: ", "bold"),
            f"{clean(review.best.text)} ({review.best.verdict}, {format_mark(review.best.value)})\n",
            (markdown_text(review.best.feedback), "italic"),
        ]
    return Content.assemble(*parts)


class DebriefScreen(Screen[None]):
    """Everything the run teaches, figures straight from the engine's scorecard."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "play_again", "Play again"),
        Binding("a", "another_path", "Another path"),
        Binding("j", "app.journal", "Journal"),
        Binding("u", "app.undo", "Undo"),
        Binding("t", "app.title_screen", "Title"),
    ]

    def __init__(self, game: Game, scroll: int = 0) -> None:
        """`scroll`: the line to open at (a resumed run's debrief, as far down as it was read)."""
        super().__init__()
        self.game = game
        self._resume_line = scroll

    @property
    def page_top(self) -> int:
        return round(self.query_one("#debrief", VerticalScroll).scroll_offset.y)

    def compose(self) -> ComposeResult:
        session = self.game.session
        assert session is not None
        campaign, state = session.campaign, session.state
        report: Debrief = build(campaign, state)
        self.report = report
        card = report.scorecard
        with VerticalScroll(id="debrief"):
            ending = report.ending
            grade = Content.assemble(
                ("Grade ", "bold"), (clean(card.grade), "bold reverse"), f" · {clean(card.label)} · {card.percent:.0f}%"
            )
            heading = ending_heading(ending, state) if ending else "The run so far"
            yield Static(Content.styled(heading, "bold"), id="debrief-ending-title")
            if ending is not None:
                text = clean(engine.text(state, ending.text))
                if needs_light_rendering(text):  # a widget per block would freeze the screen
                    yield Static(story_content(text), id="debrief-ending-text")
                else:
                    yield Markdown(text, id="debrief-ending-text", open_links=False)
                yield Static(grade, id="debrief-grade")
                yield Static(Content(outcome_text(ending)), id="debrief-outcome")
                yield Static(Content.styled("Why this ending", "bold underline"), classes="section")
                why = [Content(f"• {clean(tp.sentence)}") for tp in report.turning_points]
                if not why:
                    why = [Content("• No single decision changed this ending's chance by much: it was the whole run.")]
                if report.weakest is not None:
                    why.append(Content(f"• {clean(weakest_sentence(report.weakest))}"))
                yield Static(Content("\n").join(why), id="debrief-why")
            else:
                yield Static(grade, id="debrief-grade")
            # The per-axis reasons are the table's last column; the last reason says what the grade judges.
            yield Static(Content(clean(card.reasons[-1])), id="debrief-reasons")
            yield Static(Content.styled("Per role and axis", "bold underline"), classes="section")
            yield DataTable(id="debrief-table", cursor_type="none", zebra_stripes=True)
            yield Static(aims_text(campaign), id="debrief-aims")
            yield Static(Content("\n").join(Content(f"• {clean(m)}") for m in report.mix), id="debrief-mix")
            yield AxesChart(report.history, id="debrief-chart")
            sections = (
                ("Best decisions", report.best, False, "-best", NO_BEST_TEXT),
                ("Decisions to rethink", report.worst, True, "-worst", NO_WORST_TEXT),
            )
            for title, chosen, show_better, kind, none in sections:
                yield Static(Content.styled(title, "bold underline"), classes="section")
                for review in chosen:
                    yield Static(review_block(review, show_better), classes=f"review {kind}")
                if not chosen:
                    yield Static(Content(none), classes="review")
            yield Static(Content.styled("Lessons", "bold underline"), classes="section")
            lines = [
                Content.assemble(("✓ " if r.verdict == "handled well" else "· ", "bold"), r.sentence)
                for r in report.lessons
            ]
            yield Static(Content("\n").join(lines), id="debrief-lessons")
            yield RouteView(route_map(campaign, state), id="debrief-route")
        with Horizontal(id="debrief-buttons"):
            yield Button("Play again (p)", id="play-again", variant="primary")
            yield Button("Try another path (a)", id="another-path")
            yield Button("Journal (j)", id="journal")
            yield Button("Title (t)", id="title")
        yield Footer()

    def on_mount(self) -> None:
        session = self.game.session
        assert session is not None
        table = self.query_one("#debrief-table", DataTable)
        table.add_columns("Role", "Axis", "Score", "How it was earned")
        card = self.report.scorecard
        for role in ROLES:
            score = card.roles[role]
            for axis in AXES:
                table.add_row(
                    Text(ROLE_LABEL[role]),
                    Text(AXIS_LABEL[axis]),
                    Text(format_mark(score.axes[axis]), style="bold"),
                    Text(result_text(axis, score)),
                    key=f"{role}-{axis}",
                )
        debrief = self.query_one("#debrief", VerticalScroll)
        debrief.focus()
        if self._resume_line:
            self.call_after_refresh(debrief.scroll_to, y=self._resume_line, animate=False, immediate=True)

    def action_play_again(self) -> None:
        self.post_message(messages.PlayAgain())

    def action_another_path(self) -> None:
        self.post_message(messages.TryAnotherPath())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        match event.button.id:
            case "play-again":
                self.action_play_again()
            case "another-path":
                self.action_another_path()
            case "journal":
                self.post_message(messages.OpenJournal())
            case "title":
                self.post_message(messages.OpenTitle())
