"""The play screen: the role banner, the scene as Markdown, the choices, the score and the state."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Markdown, Static

from ... import engine
from ...model import Scene
from ..safe import clean, plain
from ..session import position
from ..widgets.choice_list import ChoiceList
from ..widgets.footer import Footer
from ..widgets.role_banner import RoleBanner
from ..widgets.score_panel import ScorePanel
from ..widgets.state_panel import StatePanel

if TYPE_CHECKING:
    from ..app import DealQuestApp


class PlayScreen(Screen[None]):
    """One scene at a time; the app calls `show_run` whenever the state changes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "pick(1)", "Choose", key_display="1-9"),
        *(Binding(str(n), f"pick({n})", show=False) for n in range(2, 10)),
        Binding("u", "app.undo", "Undo"),
        Binding("j", "app.journal", "Journal"),
        Binding("s", "app.save", "Save"),
        Binding("l", "app.load", "Load"),
        Binding("r", "app.restart", "Restart", show=False),
        Binding("t", "app.title_screen", "Title", show=False),
    ]

    @property
    def game(self) -> DealQuestApp:
        return cast("DealQuestApp", self.app)

    def compose(self) -> ComposeResult:
        yield RoleBanner(id="banner")
        with Horizontal(id="play-body"):
            with Vertical(id="story"):
                yield Static(id="scene-title")
                with VerticalScroll(id="scene-scroll"):
                    yield Markdown(id="scene-text", open_links=False)
                yield ChoiceList(id="choices")
            with VerticalScroll(id="side"):
                yield ScorePanel(id="score")
                yield StatePanel(id="state")
        yield Footer()

    def on_mount(self) -> None:
        self.show_run()

    def show_run(self) -> None:
        """Show the current scene of the app's session."""
        session = self.game.session
        if session is None:
            return
        campaign, state = session.campaign, session.state
        node = engine.current(campaign, state)
        role = node.role if isinstance(node, Scene) else None
        aim = getattr(campaign.rubric, role).aim if role else ""
        self.query_one(RoleBanner).show(role, aim, position(campaign, state))
        choices = self.query_one(ChoiceList)
        # On the choices, not the screen: a class on the screen would restyle every widget on it.
        choices.set_class(role == "marketer", "-marketer")
        choices.set_class(role == "salesperson", "-salesperson")
        self.query_one("#scene-title", Static).update(plain(engine.text(campaign, state, node.title), "bold"))
        self.query_one("#scene-text", Markdown).update(clean(engine.text(campaign, state, node.text)))
        self.query_one("#scene-scroll", VerticalScroll).scroll_home(animate=False)
        choices.show(engine.choices(campaign, state))
        choices.border_title = "Your move" if role else None
        self.query_one(ScorePanel).show(engine.score(campaign, state), role, campaign.rubric)
        self.query_one(StatePanel).show(campaign, state, session.before)
        choices.focus()

    def action_pick(self, number: int) -> None:
        problem = self.query_one(ChoiceList).pick_number(number)
        if problem:
            self.notify(problem[0].upper() + problem[1:] + ".", severity="warning", markup=False)

    def on_choice_list_picked(self, message: ChoiceList.Picked) -> None:
        self.game.choose(message.index)
