"""The play screen: the role banner, one page for the turn, the score and the state.

A turn is a scene and its choices, then the feedback on the choice made, then (when the role
switches) the handoff card, all on the same `StoryPage`. Every widget here has a fixed place in
the screen's grid, so a turn only repaints them: the screen is never laid out again, which keeps
a turn close to what a bare Textual app costs to replace one Static's text (benchmarks/turns.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen

from dealquest.play import engine
from dealquest.play.engine import GameState, Step
from dealquest.story.model import Role, Scene
from dealquest.tui.pages import GO_ON, Page, feedback_page, handoff_page, scene_page, score_content, state_content
from dealquest.tui.safe import clean
from dealquest.tui.session import position
from dealquest.tui.widgets.footer import Footer
from dealquest.tui.widgets.line_pane import TextPane
from dealquest.tui.widgets.role_banner import RoleBanner
from dealquest.tui.widgets.story_page import StoryPage

if TYPE_CHECKING:
    from dealquest.tui.app import DealQuestApp


class PlayScreen(Screen[None]):
    """One page at a time; the app calls `show_run`, `show_feedback` and `show_handoff`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "pick(1)", "Choose", key_display="1-9"),
        *(Binding(str(n), f"pick({n})", show=False) for n in range(2, 10)),
        Binding("space", "go_on", "Continue", show=False),
        Binding("u", "app.undo", "Undo"),
        Binding("j", "app.journal", "Journal"),
        Binding("s", "app.save", "Save"),
        Binding("l", "app.load", "Load"),
        Binding("r", "app.restart", "Restart", show=False),
        Binding("t", "app.title_screen", "Title", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        #: what the page shows: "scene", "feedback" or "handoff"
        self.view = "scene"
        self.page_shown: Page | None = None
        self._after_feedback: tuple[GameState, Step] | None = None
        self._side: tuple[object, ...] = ()

    @property
    def game(self) -> DealQuestApp:
        return cast("DealQuestApp", self.app)

    def compose(self) -> ComposeResult:
        yield RoleBanner(id="banner")
        yield StoryPage(id="page")
        yield TextPane(id="score")
        yield TextPane(id="state")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#score").border_title = "Score"
        self.query_one("#state").border_title = "State"
        self.show_run()

    # ------------------------------------------------------------------ pages

    def _show(self, page: Page, role: Role | None, at: GameState | None = None, highlight: bool = True) -> None:
        """Show a page; `at` is the state whose position the page's border gives (default: now)."""
        session = self.game.session
        assert session is not None
        campaign, state = session.campaign, at or session.state
        self.view = page.kind
        self.page_shown = page
        aim = getattr(campaign.rubric, role).aim if role else ""
        self.query_one(RoleBanner).show(role, aim)
        story = self.query_one(StoryPage)
        story.border_title = page.title
        story.where = clean(position(campaign, state))
        story.show(page.blocks, page.options, page.heading, highlight)
        self._show_side(role)
        if not story.has_focus:
            story.focus()

    def _show_side(self, role: Role | None) -> None:
        session = self.game.session
        assert session is not None
        campaign, state = session.campaign, session.state
        # The same state objects and role: nothing to redraw (compared by identity, not field by field).
        shown = self._side
        if shown and shown[0] is state and shown[1] == role and shown[2] is session.before:
            return
        self._side = (state, role, session.before)
        score = self.query_one("#score", TextPane)
        if self.game.assessing:  # no score until the debrief
            score.show(Content.styled("Assessment:\nyour scores are shown\nat the debrief.", "italic"))
        else:
            score.show(score_content(engine.score(campaign, state), role))
        self.query_one("#state", TextPane).show(state_content(campaign, state, session.before))

    def show_run(self, highlight: bool = True) -> None:
        """Show the current scene of the app's session (with no choice highlighted, Enter picks
        nothing: for a scene that replaces a page the player did not leave, as on a reload)."""
        session = self.game.session
        if session is None:
            return
        self._after_feedback = None
        node = engine.current(session.campaign, session.state)
        role = node.role if isinstance(node, Scene) else None
        self._show(scene_page(session.campaign, session.state), role, highlight=highlight)

    def show_feedback(self, before: GameState, step: Step) -> None:
        """The feedback on the choice just made; Enter goes on to the next scene or the handoff."""
        session = self.game.session
        assert session is not None
        self._after_feedback = (before, step)
        then = (
            "the debrief" if step.state.ended else "the handoff" if self.game.handoff_after(step) else "the next scene"
        )
        self._show(feedback_page(session.campaign, before, step, then), step.decision.role, at=before)

    def show_handoff(self, to: Role, message: str | None) -> None:
        session = self.game.session
        assert session is not None
        self._after_feedback = None
        page = handoff_page(session.campaign, session.state, to, message, self.game.assessing)
        self._show(page, to)

    # ------------------------------------------------------------------ keys

    def action_pick(self, number: int) -> None:
        if self.view != "scene":
            self.notify("Press Enter to go on.", timeout=2, markup=False)
            return
        options = self.query_one(StoryPage).options
        if not 1 <= number <= len(options):
            problem = f"There is no choice {number} here." if options else "There are no choices here."
            self.notify(problem, severity="warning", markup=False)
            return
        option = options[number - 1]
        if not option.enabled:
            why = (option.why_not.plain if option.why_not else "").strip().removeprefix("Locked: ")
            self.notify(f"Choice {number} is locked: {why}.", severity="warning", markup=False)
            return
        self.game.choose(option.value)

    def action_go_on(self) -> None:
        if self.view != "scene":
            self.query_one(StoryPage).select_value(GO_ON)

    def on_story_page_selected(self, message: StoryPage.Selected) -> None:
        if message.value != GO_ON:
            if self.view == "scene":
                self.game.choose(message.value)
            return
        if self.view == "feedback" and self._after_feedback is not None:
            self.game.after_feedback(*self._after_feedback)
        elif self.view == "handoff":
            self.game.handoff_closed()
