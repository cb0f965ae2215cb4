"""The title screen: the campaigns on offer, and New, Continue, Load, Quit.

It paints first and loads second: the campaigns (YAML, Pydantic, every check) and the latest
autosave are read by a worker thread after the first frame, so starting the game costs little
more than starting Textual. The summary's Markdown widget is mounted once they are in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from dealquest.tui import messages
from dealquest.tui.markdown import needs_light_rendering
from dealquest.tui.safe import clean, markdown_text, plain
from dealquest.tui.session import Entry, Game
from dealquest.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from textual.widgets import Markdown

    from dealquest.play.saves import SaveInfo

TAGLINE = "A role-play about sales and marketing: play both sides of the same deals."


def length_line(entry: Entry, words: bool = False, sep: str = " · ", short: bool = False) -> str:
    """How long a campaign is: scenes, endings and a typical run's decisions and minutes (and the words).
    The run's length comes after `sep` ("\n" in the list: a phrase is never cut in two); `short`
    says it in few enough words for the list's narrow column ("25 decisions · 40 min")."""
    s = entry.stats
    if s is None:
        errors = len(entry.errors)
        return f"does not load: {errors} error{'s' * (errors != 1)}"
    size = f"{' · ' if sep == ' · ' else sep}{s.words:,} words" if words else ""
    if entry.run is None:
        run = "no run reaches an ending"
    else:
        run = f"{entry.run.decisions} decisions · {entry.run.minutes} min" if short else entry.run.describe()
    return f"{s.scenes} scenes · {s.endings} endings{size}{sep}{run}"


class TitleScreen(Screen[None]):
    """The first screen: pick a campaign and start, or continue the latest autosave."""

    # Set in compose, not changed in on_mount: each change of focus or of a button before the first
    # frames makes the footer lay out its keys again.
    AUTO_FOCUS = "#campaigns"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_game", "New game"),
        Binding("c", "continue_game", "Continue"),
        Binding("l", "app.load", "Load"),
    ]

    def __init__(self, game: Game) -> None:
        super().__init__()
        self.game = game

    def compose(self) -> ComposeResult:
        with Vertical(id="title-top"):
            yield Static(Content.styled("D E A L Q U E S T", "bold"), id="logo")
            yield Static(Content(TAGLINE), id="tagline")
        with Horizontal(id="title-body"):
            loading = Option(Content.styled("Loading the campaigns…", "italic"), disabled=True)
            yield OptionList(loading, id="campaigns", markup=False)
            with VerticalScroll(id="campaign-detail"):
                yield Static(id="detail-title")
                yield Static(id="detail-length")
                # the summary's Markdown comes with the campaigns (see `show_library`)
                yield Static(id="detail-problems")
        with Horizontal(id="title-buttons"):
            yield Button("New game", id="new", variant="primary")
            yield Button("Continue", id="continue", disabled=True)
            yield Button("Load", id="load")
            yield Button("Quit", id="quit", variant="error")
        yield Static(id="continue-info")
        yield Footer()

    #: True once the campaigns and the latest autosave are shown
    ready = False
    _loading = False
    _waited = 0

    def on_mount(self) -> None:
        self.query_one("#campaigns", OptionList).border_title = "Campaigns"

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Load once the title is really shown: `dealquest play CAMPAIGN` opens a run on top of it
        # at once and never needs the library.
        if not self.ready and not self._loading:
            self.call_after_refresh(self._load)

    def _load(self) -> None:
        if not self.is_current or self.ready or self._loading:
            return
        # The footer lists its keys a frame or two after the first: wait for that (a little), or
        # the worker, busy on the same interpreter, would hold back the screen's last strokes.
        if not self.query_one(Footer).children and self._waited < 25:
            self._waited += 1
            self.set_timer(0.02, self._load)
            return
        self._loading = True
        self.call_after_refresh(self.run_worker, self._read_library, name="library", thread=True, exit_on_error=False)

    def _read_library(self) -> SaveInfo | None:
        """In a worker thread: the campaigns, the latest autosave, and the Markdown widget's import."""
        import textual.widgets._markdown  # noqa: F401 (imported here, not while the player waits)

        from dealquest.play import saves

        library = self.game.library
        if not library.loaded:
            library.load()
        return saves.latest_autosave()

    async def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "library" or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        if event.state == WorkerState.ERROR:  # pragma: no cover - load_campaign reports, never raises
            self.game.library.load()
        await self.show_library(event.worker.result)

    async def show_library(self, latest: SaveInfo | None) -> None:
        """Fill the list, the summary and the Continue line once the campaigns are loaded."""
        from textual.widgets import Markdown

        await self.query_one("#campaign-detail").mount(
            Markdown(id="detail-summary", open_links=False), after="#detail-length"
        )
        campaigns = self.query_one("#campaigns", OptionList)
        campaigns.clear_options()
        entries = self.game.library.entries
        for i, entry in enumerate(entries):
            mark = "" if entry.campaign is not None else "⚠ "
            length = length_line(entry, sep="\n", short=True)
            prompt = Content.assemble((mark + clean(entry.title), "bold"), "\n", (length, "italic"))
            campaigns.add_option(Option(prompt, id=f"campaign-{i}"))
        if entries:
            campaigns.highlighted = 0
        else:
            self.query_one("#detail-title", Static).update(
                Content("No campaigns are installed. Play one from its folder: dealquest play PATH")
            )
        self.show_saves(latest)
        self.ready = True

    @on(messages.SavesChanged)
    def refresh_saves(self) -> None:
        from dealquest.play import saves

        if self.ready:
            self.show_saves(saves.latest_autosave())

    def show_saves(self, latest: SaveInfo | None) -> None:
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
        if not self.ready:
            return None
        campaigns = self.query_one("#campaigns", OptionList)
        index = campaigns.highlighted
        entries = self.game.library.entries
        return entries[index] if index is not None and 0 <= index < len(entries) else None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if not self.ready and not self.game.library.loaded:
            return
        entry = self.game.library.entries[event.option_index]
        self.query_one("#detail-title", Static).update(plain(entry.title, "bold"))
        self.query_one("#detail-length", Static).update(Content(length_line(entry, words=True, sep="\n")))
        summary = cast("Markdown", self.query_one("#detail-summary"))
        problems = self.query_one("#detail-problems", Static)
        loaded = entry.result.campaign
        text = clean(loaded.header.summary) if loaded is not None else ""
        if text and needs_light_rendering(text):  # one block, not a widget for each of thousands
            text = "~~~text\n" + markdown_text(text).replace("~~~", "---") + "\n~~~"
        summary.update(text)
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
        if not self.ready:
            self.notify("The campaigns are still loading.", severity="warning")
            return
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
        self.post_message(messages.StartGame(entry.campaign))

    def action_continue_game(self) -> None:
        self.post_message(messages.ContinueLatest())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        match event.button.id:
            case "new":
                self.action_new_game()
            case "continue":
                self.action_continue_game()
            case "load":
                self.post_message(messages.OpenLoad())
            case "quit":
                self.app.exit()
