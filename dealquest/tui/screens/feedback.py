"""After each choice: its feedback and the change on each axis, before the story goes on."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Markdown, Static

from ... import engine
from ...debrief import LESSON_LABEL, best_option, rating
from ...engine import GameState, Step
from ...loader import Campaign
from ...model import AXES, SCORE_MAX, Scene
from ...scoring import AXIS_LABEL
from ..safe import clean
from ..widgets.role_banner import role_tag


def delta_line(axis_label: str, delta: float, now: float | None) -> Content:
    arrow = "▲" if delta > 0.0005 else "▼" if delta < -0.0005 else "="
    change = f"{arrow} {100 * delta:+.0f} pts" if arrow != "=" else "= no change"
    after = "–" if now is None else f"{now:.0%}"
    return Content.assemble(f"{axis_label:<10}", (f"{change:<14}", "bold"), f"now {after}")


class FeedbackScreen(ModalScreen[None]):
    """The teaching moment: what the choice did and why, with the score changes it earned."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "go_on", "Continue", priority=True),
        Binding("space", "go_on", "Continue", show=False),
        Binding("escape", "go_on", "Continue", show=False),
    ]

    def __init__(self, campaign: Campaign, before: GameState, step: Step) -> None:
        super().__init__()
        self.campaign = campaign
        self.before = before
        self.step = step

    def compose(self) -> ComposeResult:
        step, campaign = self.step, self.campaign
        scene = engine.current(campaign, self.before)
        assert isinstance(scene, Scene)
        decision = step.decision
        picked = engine.text(campaign, self.before, scene.choices[decision.choice].text)
        card = engine.score(campaign, step.state).roles[decision.role]
        with Vertical(id="feedback-dialog", classes=f"dialog -{decision.role}") as box:
            box.border_title = f"Feedback · {role_tag(decision.role)}"
            with VerticalScroll(id="feedback-body"):
                yield Static(Content.assemble(("You chose: ", "bold"), clean(picked)), id="feedback-choice")
                yield Markdown(clean(step.feedback), id="feedback-text", open_links=False)
                for line in step.narration:
                    yield Markdown(clean(line), classes="feedback-narration", open_links=False)
                verdict = f"{rating(decision.value)}: {decision.value:+.2f} on a scale of ±{SCORE_MAX}"
                yield Static(Content.styled(verdict, "bold"), id="feedback-value")
                lines = [delta_line(AXIS_LABEL[a], step.deltas[a], card.axes[a]) for a in AXES]
                yield Static(Content("\n").join(lines), id="feedback-deltas")
                best = best_option(campaign, self.before)
                if best is not None and best.value - decision.value >= 0.25:
                    yield Static(
                        Content.assemble(
                            ("A stronger option was: ", "italic"), clean(best.text), f" ({best.value:+.2f})"
                        ),
                        id="feedback-better",
                    )
                if decision.lessons:
                    names = ", ".join(LESSON_LABEL[lesson] for lesson in decision.lessons)
                    yield Static(Content(f"Lessons: {names}"), id="feedback-lessons")
            yield Button("Continue (Enter)", id="go-on", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#go-on", Button).focus()

    def action_go_on(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)
