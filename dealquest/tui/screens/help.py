"""Help: the keys, and how scoring works in this campaign, read from its rubric."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from dealquest.play.debrief import LESSON_LABEL
from dealquest.play.scoring import ROLE_LABEL
from dealquest.story.campaign import Campaign
from dealquest.story.model import ROLES, SCORE_MAX, SCORE_MIN
from dealquest.tui.safe import clean
from dealquest.tui.widgets.role_banner import role_tag

KEYS: list[tuple[str, str]] = [
    ("1-9", "pick a choice"),
    ("↑ ↓ Enter", "move, pick (or click)"),
    ("Enter / space", "go on after feedback"),
    ("PgUp PgDn", "scroll (or the wheel)"),
    ("u", "undo the last choice"),
    ("r", "restart the run"),
    ("b", "brisk play on/off"),
    ("j", "journal: the run so far"),
    ("s / l", "save / load"),
    ("t", "title screen"),
    ("? / F1", "this help"),
    ("Esc", "close a window"),
    ("ctrl+p", "commands and themes"),
    ("ctrl+t", "next theme (kept)"),
    ("q", "quit (saved as you go)"),
]

GENERAL = (
    "Every choice is scored on three axes, separately for each role:\n"
    "• Push/pull: whether the choice's technique (push, pull or a blend) suits your role at this moment. "
    "Research and listening are not a technique and are not marked.\n"
    "• Audience: whether you address the right people for the role and the moment.\n"
    "• Closing: whether the choice moves toward a decision (a signed deal for the salesperson, "
    "a qualified, well-briefed handoff for the marketer).\n"
    f"Each choice gets a mark from {SCORE_MIN} to +{SCORE_MAX} on each axis; a gauge shows the mean of your marks "
    "on the same scale. The grade judges your decisions, not the dice: the ending is reported beside it."
)


def rubric_text(campaign: Campaign) -> Content:
    rubric = campaign.rubric
    lines: list[Content] = [Content.styled(f"Scoring in “{clean(campaign.title)}”", "bold underline")]
    for role in ROLES:
        target = getattr(rubric, role)
        lines.append(
            Content.assemble(
                (role_tag(role), "bold"),
                f"\n  Aim: {clean(target.aim)}\n  Talk to: {clean(target.audience)}\n"
                f"  Usual mix: about {target.push_share:.0%} push (shown in the debrief, never scored)",
            )
        )
    if rubric.closing_ceiling:
        ceilings = ", ".join(f"{who} above {limit:+d}" for who, limit in rubric.closing_ceiling.items())
        lines.append(
            Content(
                f"Closing pressure backfires when it is too much for the audience: {ceilings}. "
                f"Each point over costs {rubric.backfire:g} on the closing mark."
            )
        )
    w = rubric.weights
    lines.append(
        Content(
            f"Weights in the grade: push/pull {w.push_pull:g}, audience {w.audience:g}, closing {w.closing:g}. "
            "The ending is reported beside the grade, never inside it."
        )
    )
    bands = ", ".join(f"{clean(b.grade)} from {b.min:g}% ({clean(b.label)})" for b in rubric.grades)
    lines.append(Content(f"Grades: {bands}."))
    return Content("\n\n").join(lines)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close", show=False),
        Binding("f1", "dismiss", "Close", show=False),
    ]

    def __init__(self, campaign: Campaign | None) -> None:
        super().__init__()
        self.campaign = campaign

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog", classes="dialog") as box:
            box.border_title = "Help"
            box.border_subtitle = "Esc closes"
            # Two columns where there is room (keys, scoring); one below the other on a narrow
            # terminal (see modals.tcss). Either way it all scrolls together.
            with VerticalScroll(id="help-columns"):
                with Vertical(id="help-keys-column"):
                    width = max(len(k) for k, _ in KEYS)
                    keys = Content("\n").join(Content.assemble((f"{k:<{width}}  ", "bold"), what) for k, what in KEYS)
                    yield Static(Content.styled("Keys", "bold underline"), classes="section")
                    yield Static(keys, id="help-keys")
                with Vertical(id="help-body"):
                    if self.campaign is not None:
                        yield Static(rubric_text(self.campaign), id="help-rubric", classes="section")
                    yield Static(Content.styled("How scoring works", "bold underline"), classes="section")
                    yield Static(Content(GENERAL), id="help-general")
                    lessons = ", ".join(LESSON_LABEL.values())
                    yield Static(
                        Content(f"The five lessons: {lessons}. The debrief says which you handled well."),
                        id="help-lessons",
                        classes="section",
                    )
                    yield Static(
                        Content(
                            f"Roles: {', '.join(ROLE_LABEL.values())}; the banner at the top "
                            "always says which one you are playing."
                        ),
                        id="help-roles",
                        classes="section",
                    )

    def on_mount(self) -> None:
        self.query_one("#help-columns", VerticalScroll).focus()
