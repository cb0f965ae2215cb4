"""The play screen: the role banner, one page for the turn, the score and the state.

A turn is a scene and its choices, then the feedback on the choice made, then (when the role
switches) the handoff card, all on the same `StoryPage`. Every widget here has a fixed place in
the screen's grid, so a turn only repaints them: the screen is never laid out again, which keeps
a turn close to what a bare Textual app costs to replace one Static's text (benchmarks/turns.py).
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen

from dealquest.play import engine
from dealquest.play.engine import GameState, Step
from dealquest.play.turns import handoff_after
from dealquest.story.model import Role, Scene
from dealquest.story.text import full_stop
from dealquest.tui import messages
from dealquest.tui.pages import (
    GO_ON,
    Page,
    feedback_page,
    handoff_page,
    scene_page,
    score_content,
    state_content,
    with_feedback_above,
)
from dealquest.tui.safe import clean
from dealquest.tui.session import Game, position
from dealquest.tui.widgets.footer import Footer
from dealquest.tui.widgets.line_pane import TextPane
from dealquest.tui.widgets.role_banner import RoleBanner
from dealquest.tui.widgets.story_page import StoryPage

#: The score panel's room for text (its column in play.tcss less border and padding), wide and narrow.
SCORE_WIDTH = 32
SCORE_WIDTH_NARROW = 26
#: From this width the side panel is the wide one (DealQuestApp.HORIZONTAL_BREAKPOINTS).
WIDE = 90


class PlayScreen(Screen[None]):
    """One page at a time, of the `Game`'s run; the app says which with `ShowScene`, `ShowFeedback`
    and `ShowHandoff` (after a `--watch` reload too), and hears the player's choices as `Chose`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "pick(1)", "Choose", key_display="1-9"),
        *(Binding(str(n), f"pick({n})", show=False) for n in range(2, 10)),
        Binding("space", "go_on", "Continue", show=False),
        Binding("u", "app.undo", "Undo"),
        Binding("j", "app.journal", "Journal"),
        Binding("s", "app.save", "Save"),
        Binding("l", "app.load", "Load"),
        Binding("r", "app.restart", "Restart", show=False),
        Binding("b", "app.brisk", "Brisk play", show=False),
        Binding("t", "app.title_screen", "Title", show=False),
    ]

    def __init__(
        self, game: Game, first: messages.ShowScene | messages.ShowFeedback | messages.ShowHandoff | None = None
    ) -> None:
        """`first`: the page to open on instead of the scene (a resumed run's feedback or handoff card)."""
        super().__init__()
        self.game = game
        self._first = first
        #: what the page shows: "scene", "feedback" or "handoff"
        self.view = "scene"
        self.page_shown: Page | None = None
        #: the state whose scene the page shows: its choices are offered at that state
        self._scene_state: GameState | None = None
        self._after_feedback: tuple[GameState, Step] | None = None
        #: in brisk play, the feedback page to show above the next page
        self._brisk_feedback: Page | None = None
        self.feedback_above = False
        self._side: tuple[object, ...] = ()

    def compose(self) -> ComposeResult:
        yield RoleBanner(id="banner")
        yield StoryPage(id="page")
        yield TextPane(id="score")
        yield TextPane(id="state")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#score").border_title = "Score"
        self.query_one("#state").border_title = "State"
        first, self._first = self._first, None
        if isinstance(first, messages.ShowScene):
            self._show_scene(first)
        elif isinstance(first, messages.ShowFeedback):
            self.show_feedback(first)
        elif isinstance(first, messages.ShowHandoff):
            self.show_handoff(first)
        else:
            self.show_run()

    def on_resize(self) -> None:
        # Across a breakpoint the side panel changes width: its gauges are drawn again to fit.
        if self.page_shown is not None and self._side and self.game.session is not None:
            self._show_side(self._side[1])  # type: ignore[arg-type]

    @property
    def page_top(self) -> int:
        """The first line of the page on screen (what a save keeps to resume exactly)."""
        return round(self.query_one(StoryPage).scroll_offset.y)

    # ------------------------------------------------------------------ pages

    def _show(
        self, page: Page, role: Role | None, at: GameState | None = None, highlight: bool = True, scroll: int = 0
    ) -> None:
        """Show a page (from line `scroll`); `at` is the state whose position the border gives (default: now)."""
        #: brisk play: the last choice's feedback is shown above this page (a save keeps that too)
        self.feedback_above = self._brisk_feedback is not None
        if self._brisk_feedback is not None:
            page = with_feedback_above(self._brisk_feedback, page)
            self._brisk_feedback = None
        session = self.game.session
        assert session is not None
        campaign, state = session.campaign, at or session.state
        self.view = page.kind
        self.page_shown = page
        aim = getattr(campaign.rubric, role).aim if role else ""
        self.query_one(RoleBanner).show(role, aim)
        story = self.query_one(StoryPage)
        story.border_title = page.title
        story.where = (clean(position(campaign, state)), position(campaign, state, short=True))
        story.show(page.blocks, page.options, page.heading, highlight, scroll)
        self._show_side(role)
        if not story.has_focus:
            story.focus()

    def _show_side(self, role: Role | None) -> None:
        session = self.game.session
        assert session is not None
        campaign, state = session.campaign, session.state
        # The panel's width inside its border and padding (see play.tcss): the gauges fit in it.
        width = SCORE_WIDTH_NARROW if self.app.size.width < WIDE else SCORE_WIDTH
        # The same state objects, role and width: nothing to redraw (compared by identity, not field by field).
        shown = self._side
        if shown and shown[0] is state and shown[1] == role and shown[2] is session.before and shown[3] == width:
            return
        self._side = (state, role, session.before, width)
        score = self.query_one("#score", TextPane)
        if not self.game.allows.feedback:  # an assessment: no score until the debrief
            score.show(Content.styled("Assessment:\nyour scores are shown\nat the debrief.", "italic"))
        else:
            score.show(score_content(engine.score(campaign, state), role, width))
        self.query_one("#state", TextPane).show(state_content(campaign, state, session.before))

    def show_run(self, highlight: bool = True, scroll: int = 0) -> None:
        """Show the current scene of the app's session (with no choice highlighted, Enter picks
        nothing: for a scene that replaces a page the player did not leave, as on a reload)."""
        session = self.game.session
        if session is None:
            return
        self._after_feedback = None
        self._scene_state = session.state
        node = engine.current(session.campaign, session.state)
        role = node.role if isinstance(node, Scene) else None
        self._show(scene_page(session.campaign, session.state), role, highlight=highlight, scroll=scroll)

    @on(messages.ShowScene)
    def _show_scene(self, message: messages.ShowScene) -> None:
        self._brisk_feedback = self._feedback_page(message.feedback)
        self.show_run(highlight=message.highlight, scroll=message.scroll)

    def _feedback_page(self, feedback: tuple[GameState, Step] | None) -> Page | None:
        session = self.game.session
        if feedback is None or session is None:
            return None
        before, step = feedback
        return feedback_page(session.campaign, before, step, "", brisk=True)

    @on(messages.ShowFeedback)
    def show_feedback(self, message: messages.ShowFeedback) -> None:
        """The feedback on the choice just made; Enter goes on to the next scene or the handoff."""
        session = self.game.session
        assert session is not None
        before, step = message.before, message.step
        self._after_feedback = (before, step)
        then = (
            "the debrief"
            if step.state.ended
            else "the handoff"
            if handoff_after(session.campaign, step)
            else "the next scene"
        )
        page = feedback_page(session.campaign, before, step, then)
        self._show(page, step.decision.role, at=before, scroll=message.scroll)

    @on(messages.ShowHandoff)
    def show_handoff(self, message: messages.ShowHandoff) -> None:
        session = self.game.session
        assert session is not None
        self._after_feedback = None
        to = message.handoff.to
        self._brisk_feedback = self._feedback_page(message.feedback)
        page = handoff_page(session.campaign, session.state, to, message.handoff.message, not self.game.allows.feedback)
        self._show(page, to, scroll=message.scroll)

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
            self.notify(full_stop(f"Choice {number} is locked: {why}"), severity="warning", markup=False)
            return
        self._choose(option.value)

    def _choose(self, index: int) -> None:
        if self._scene_state is not None:
            self.post_message(messages.Chose(index, self._scene_state))

    def action_go_on(self) -> None:
        if self.view != "scene":
            self.query_one(StoryPage).select_value(GO_ON)

    def on_story_page_selected(self, message: StoryPage.Selected) -> None:
        if message.value != GO_ON:
            if self.view == "scene":
                self._choose(message.value)
            return
        if self.view == "feedback" and self._after_feedback is not None:
            self.post_message(messages.FeedbackRead(*self._after_feedback))
        elif self.view == "handoff":
            self.post_message(messages.HandoffClosed())
