"""The title screen: the campaigns on offer, and New, Continue, Load, Quit."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from ... import saves
from ..safe import clean, plain
from ..session import Entry

if TYPE_CHECKING:
    from ..app import DealQuestApp

TAGLINE = "A role-play about sales and marketing: play both sides of the same deals."


def length_line(entry: Entry, words: bool = False) -> str:
    """How long a campaign is: scenes, endings and a reading time for one run (and the words)."""
    s = entry.stats
    if s is None:
        errors = len(entry.errors)
        return f"does not load: {errors} error{'s' * (errors != 1)}"
    minutes = max(5, round(s.words / 200 / 2 / 5) * 5)  # one path reads about half the words
    size = f" · {s.words:,} words" if words else ""
    return f"{s.scenes} scenes · {s.endings} endings{size} · about {minutes} min a run"


class TitleScreen(Screen[None]):
    """The first screen: pick a campaign and start, or continue the latest autosave."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_game", "New game"),
        Binding("c", "continue_game", "Continue"),
        Binding("l", "app.load", "Load"),
    ]

    @property
    def game(self) -> DealQuestApp:
        return cast("DealQuestApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="title-top"):
            yield Static(Content.styled("D E A L Q U E S T", "bold"), id="logo")
            yield Static(Content(TAGLINE), id="tagline")
        with Horizontal(id="title-body"):
            yield OptionList(id="campaigns", markup=False)
            with VerticalScroll(id="campaign-detail"):
                yield Static(id="detail-title")
                yield Static(id="detail-length")
                yield Markdown(id="detail-summary", open_links=False)
                yield Static(id="detail-problems")
        with Horizontal(id="title-buttons"):
            yield Button("New game", id="new", variant="primary")
            yield Button("Continue", id="continue")
            yield Button("Load", id="load")
            yield Button("Quit", id="quit", variant="error")
        yield Static(id="continue-info")
        yield Footer()

    def on_mount(self) -> None:
        campaigns = self.query_one("#campaigns", OptionList)
        campaigns.border_title = "Campaigns"
        entries = self.game.library.entries
        for i, entry in enumerate(entries):
            mark = "" if entry.campaign is not None else "⚠ "
            prompt = Content.assemble((mark + clean(entry.title), "bold"), "\n  ", (length_line(entry), "italic"))
            campaigns.add_option(Option(prompt, id=f"campaign-{i}"))
        if entries:
            campaigns.highlighted = 0
        else:
            self.query_one("#detail-title", Static).update(
                Content("No campaigns are installed. Play one from its folder: dealquest play PATH")
            )
        self.refresh_saves()
        campaigns.focus()

    def refresh_saves(self) -> None:
        latest = saves.latest_autosave()
        button = self.query_one("#continue", Button)
        button.disabled = latest is None
        info = self.query_one("#continue-info", Static)
        if latest is None:
            info.update(Content("No autosave yet: pick a campaign and start a new game."))
            return
        if latest.problem is not None:
            info.update(
                Content(f"The latest autosave ({clean(latest.campaign)}) cannot be loaded: {clean(latest.problem)}")
            )
            return
        entry = self.game.library.find(latest.campaign)
        title = entry.title if entry else latest.campaign
        where = "at its ending" if latest.ended else f"at decision {latest.turn + 1}"
        info.update(Content(f"Continue: {clean(title)}, {where} (autosaved {latest.when})"))

    def selected(self) -> Entry | None:
        campaigns = self.query_one("#campaigns", OptionList)
        index = campaigns.highlighted
        entries = self.game.library.entries
        return entries[index] if index is not None and 0 <= index < len(entries) else None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        entry = self.game.library.entries[event.option_index]
        self.query_one("#detail-title", Static).update(plain(entry.title, "bold"))
        self.query_one("#detail-length", Static).update(Content(length_line(entry, words=True)))
        summary = self.query_one("#detail-summary", Markdown)
        problems = self.query_one("#detail-problems", Static)
        loaded = entry.result.campaign
        summary.update(clean(loaded.header.summary) if loaded is not None else "")
        if entry.campaign is None:
            lines = [d.format() for d in entry.result.diagnostics if d.severity == "error"][:40]
            problems.update(
                Content.assemble(
                    ("This campaign cannot be played until these are fixed:\n", "bold"),
                    clean("\n".join(lines)),
                    f"\n\nCheck it with: dealquest validate {entry.folder}",
                )
            )
            problems.display = True
        else:
            problems.display = False

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_new_game()

    def action_new_game(self) -> None:
        entry = self.selected()
        if entry is None:
            self.notify("Pick a campaign first.", severity="warning")
            return
        if entry.campaign is None:
            self.notify(
                f"{entry.title} does not load; its errors are listed on the right.",
                title="Cannot play",
                severity="error",
                markup=False,
            )
            return
        self.game.new_game(entry.campaign)

    def action_continue_game(self) -> None:
        self.game.continue_latest()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        match event.button.id:
            case "new":
                self.action_new_game()
            case "continue":
                self.action_continue_game()
            case "load":
                self.game.action_load()
            case "quit":
                self.app.exit()
