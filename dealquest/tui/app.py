"""The DealQuest app: screens on top of the engine. It keeps the run, autosaves it and routes keys.

All game logic lives in `dealquest.play` (and what a training run allows in `dealquest.training`);
the app only shows state and sends choices. The screens read the app's `Game` (`tui/session.py`)
and post their requests as messages (`tui/messages.py`), which the app handles with `@on`; it
tells the screen on show what to show with messages too. No screen imports the app.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import Notification, Notify, SeverityLevel
from textual.screen import Screen

from dealquest.story.library import bundled
from dealquest.story.text import full_stop, sentences
from dealquest.training.permissions import Action, is_action
from dealquest.tui import messages
from dealquest.tui.screens.title import TitleScreen
from dealquest.tui.screens.too_small import TooSmallScreen
from dealquest.tui.session import Game, Library, Session

# The title screen is painted before anything below is imported (Pydantic, YAML, the engine,
# the other screens): each method imports what it uses, and Python imports a module only once.
if TYPE_CHECKING:
    from dealquest.play.engine import GameState, Step
    from dealquest.play.saves import SaveView
    from dealquest.story.campaign import Campaign
    from dealquest.training import Mode, TrainingSettings
    from dealquest.tui.screens.play import PlayScreen

#: Below this size the app shows a notice instead of screens that cannot fit.
MIN_WIDTH = 60
MIN_HEIGHT = 18

#: From this width the play screen has a side panel (score and state) beside the page.
NARROW = 76

#: The themes `ctrl+t` cycles through: dark, light, and the two that use the terminal's own palette.
THEME_CYCLE = ("textual-dark", "textual-light", "ansi-dark", "ansi-light")


#: How often --watch looks for changed files.
WATCH_SECONDS = 1.0


class DealQuestApp(App[None]):
    """A full-screen game of one or more campaigns."""

    TITLE = "DealQuest"
    SUB_TITLE = "sales and marketing, side by side"
    #: The title screen's styles; those of the other screens come after them, in GAME_CSS_PATH.
    CSS_PATH = [  # noqa: RUF012 (typed by Textual's App; a ClassVar annotation would clash)
        "styles/app.tcss",
        "styles/title.tcss",
    ]
    #: Read (in this order, after CSS_PATH) when the first screen other than the title opens: the
    #: title is painted sooner for not parsing them. Add the styles of a new screen here.
    GAME_CSS_PATH = (
        "styles/play.tcss",
        "styles/modals.tcss",
        "styles/debrief.tcss",
        "styles/widgets.tcss",
        "styles/training.tcss",
    )
    #: Classes on each screen by terminal width: narrow terminals get a slimmer side panel, and
    #: the narrowest none, so the story keeps a readable width (see play.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-tiny"), (NARROW, "-narrow"), (90, "-wide")]  # noqa: RUF012 (as CSS_PATH)
    #: Below 30 lines windows take the terminal's whole height (see app.tcss).
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]  # noqa: RUF012 (as CSS_PATH)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("f1", "help", "Help", show=False),
        Binding("ctrl+t", "cycle_theme", "Theme", show=False),
    ]

    def __init__(
        self,
        *,
        campaign: Campaign | None = None,
        seed: int | None = None,
        library: list[Path] | None = None,
        watch: Path | None = None,
        training: TrainingSettings | None = None,
    ) -> None:
        super().__init__()
        #: what the screens read: the campaigns on offer, the run, what the run allows
        self.game = Game(Library(bundled() if library is None else list(library)), training)
        if training is not None:
            from dealquest.tui.training import TrainingLink
        self.link = TrainingLink(self, self.game) if training is not None else None
        self._shown_at = time.monotonic()
        self.watch_folder = watch
        if watch is not None:
            from dealquest.story.loader import fingerprint
        self._fingerprint = fingerprint(watch) if watch is not None else ()
        self._start_campaign = campaign
        self._start_seed = seed
        self.too_small = False
        self._game_css_read = False
        #: writes (autosave, training record) waiting for the screen to be painted
        self._writes: list[Callable[[], None]] = []
        #: the kind of each notification on its way to the screen, and the one shown of each kind
        self._note_kinds: dict[str, str] = {}
        self._notes_shown: dict[str, Notification] = {}
        # The theme the player chose last time (not in a training session: a shared machine).
        from dealquest.userdata.settings import load_settings

        self._settings, self._settings_problem = load_settings() if training is None else ({}, None)
        if self._settings.get("theme") in self.available_themes:
            self.theme = self._settings["theme"]
        self.game.brisk = self._settings.get("brisk") == "on"

    @property
    def training(self) -> TrainingSettings | None:
        """A recorded training session (dealquest play --trainee, dealquest serve); None for solo play."""
        return self.game.training

    @property
    def library(self) -> Library:
        return self.game.library

    @property
    def session(self) -> Session | None:
        """The run being played; None on the title screen before a game starts."""
        return self.game.session

    @session.setter
    def session(self, session: Session | None) -> None:
        self.game.session = session

    # ------------------------------------------------------------------ unexpected errors

    #: Where the traceback of an unexpected error was written; the command says so and exits 1.
    crash_log: Path | None = None

    def _handle_exception(self, error: Exception) -> None:
        """An unexpected error ends the app (Textual's rule); its details go to a log file, not to
        the player's screen, and the exit code says it failed."""
        import platform
        import traceback

        from textual import __version__ as textual_version

        from dealquest import __version__
        from dealquest.userdata.files import write_crash_log

        details = "".join(traceback.format_exception(error))
        try:
            if self.crash_log is None:
                header = f"DealQuest {__version__}, Textual {textual_version}, Python {platform.python_version()}\n\n"
                self.crash_log = write_crash_log(header + details)
            else:  # a second error while the first one ends the app: the same log
                with self.crash_log.open("a", encoding="utf-8") as log:
                    log.write("\nThen:\n" + details)
        except OSError:
            pass
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """Textual prints a full-screen traceback here; ours is in the crash log instead."""
        if self.crash_log is None:
            super()._fatal_error()
            return
        self.bell()
        self._close_messages_no_wait()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
        kind: str | None = None,
    ) -> None:
        """Every notification, the app's and each screen's, goes out through the one output-safety
        rule: they quote choices, campaign titles, save names and diagnostics.

        One notification of a `kind` shows at a time (by default its title, or its severity when
        it has none): a new one replaces the last instead of piling up (25 presses of `u` at the
        start of a run show one "Nothing to undo", not 25). Where they show is in app.tcss: over the
        side panel, or the banner on a terminal too narrow for one; never over the choices.
        """
        from dealquest.story.text import clean

        message, title = clean(message), clean(title, line=True)
        notification = Notification(
            message, title, severity, self.NOTIFICATION_TIMEOUT if timeout is None else timeout, markup=markup
        )
        # Below NARROW columns a notification takes the play screen's banner: one at a time there.
        narrow = self.size.width < NARROW
        self._note_kinds[notification.identity] = "any" if narrow else kind or title or severity
        self.post_message(Notify(notification))

    def _on_notify(self, event: Notify) -> None:
        kind = self._note_kinds.pop(event.notification.identity, None)
        if kind is not None:
            shown = self._notes_shown.get(kind)
            if shown is not None and shown in self._notifications:
                self._unnotify(shown, refresh=False)
                # The toast's holder too: Textual leaves it behind, an empty line in the stack.
                from textual.widgets._toast import ToastRack

                for holder in self.screen.query(f"#{ToastRack._toast_id(shown)}"):
                    holder.remove()
            self._notes_shown[kind] = event.notification
        super()._on_notify(event)

    # ------------------------------------------------------------------ start and size

    def push_screen(self, *args: Any, **kwargs: Any) -> Any:
        self._read_game_css()
        return super().push_screen(*args, **kwargs)

    def _read_game_css(self) -> None:
        if self._game_css_read:
            return
        self._game_css_read = True
        folder = Path(__file__).parent
        for name in self.GAME_CSS_PATH:
            self.stylesheet.read(folder / name)
        self.stylesheet.reparse()
        self.stylesheet.update(self)

    def get_default_screen(self) -> Screen[None]:
        return TitleScreen(self.game)  # it loads the library once it has been painted

    def on_mount(self) -> None:
        if self._settings_problem:
            self.notify(self._settings_problem, title="Settings", severity="warning", timeout=10, markup=False)
        if self.training is None:
            self.theme_changed_signal.subscribe(self, self._remember_theme)
        t = self.training
        if t is not None and (t.trainee is None or t.mode is None or self._start_campaign is None):
            from dealquest.tui.screens.sign_in import SignInScreen

            if self._start_campaign is None and not self.library.loaded:
                self.library.load()
            campaigns = [self._start_campaign] if self._start_campaign else [e.campaign for e in self.library.entries]
            self.push_screen(SignInScreen([c for c in campaigns if c is not None], t.mode))
        elif self._start_campaign is not None:
            self.start_or_resume(self._start_campaign, self._start_seed)
        self._check_size(self.size.width, self.size.height)
        if self.watch_folder is not None:
            self.set_interval(WATCH_SECONDS, self.reload_if_changed)

    # ------------------------------------------------------------------ --watch

    def reload_if_changed(self) -> None:
        """Reload the watched campaign when a file changed and replay the run on it from the start
        (`play/replay`); the page and any window on screen stay. A campaign with errors is shown
        where they are, and the game goes on with the last good version until they are fixed."""
        if self.watch_folder is None:
            return
        from dealquest.play.replay import replay_run
        from dealquest.story.loader import fingerprint, load_campaign

        now = fingerprint(self.watch_folder)
        if now == self._fingerprint:
            return
        self._fingerprint = now
        result = load_campaign(self.watch_folder)
        if not result.ok or result.campaign is None:
            errors = [d.format() for d in result.diagnostics if d.severity == "error"]
            shown = "\n".join(errors[:6]) + (f"\n... and {len(errors) - 6} more" if len(errors) > 6 else "")
            self.notify(
                shown,
                title="The campaign has errors; still playing the last good version",
                severity="error",
                timeout=30,
                markup=False,
            )
            return
        session = self.session
        if session is None:
            self.library.load()
            return
        view = self._view()  # read before the session changes: the page the player has on screen
        replay = replay_run(session.campaign, session.state, result.campaign)
        self.session = Session(result.campaign, replay.state)
        if replay.complete:
            self.notify(replay.message, title="Campaign reloaded", markup=False)
        else:
            self.notify(
                replay.message,
                title="Campaign reloaded: your run replays only so far",
                severity="warning",
                timeout=30,
                markup=False,
            )
        self._show_reloaded(view if replay.complete else None)
        self._write_soon(self._autosave_now)  # the autosave keeps the page on screen

    def _show_reloaded(self, view: SaveView | None) -> None:
        """Show the reloaded run where the player is, on the page they had (`view`; None: the scene,
        with nothing highlighted, for a run that now stops elsewhere); windows above it stay."""
        session = self.session
        assert session is not None
        from dealquest.tui.screens.debrief import DebriefScreen
        from dealquest.tui.screens.journal import JournalScreen

        play = self._play_screen()
        if any(isinstance(s, DebriefScreen) for s in self.screen_stack):
            # The debrief is made from the run when it opens: it is opened again (a window over it closes).
            self.show_run(view)
            return
        for window in self.screen_stack:
            if isinstance(window, JournalScreen):  # made when it opened: made again from the edited run
                self.run_worker(window.show(session.campaign, session.state), group="journal")
        if play is None:
            return  # the title screen: the run is there to go on with
        page = self._page_to_restore(session, view) if view is not None else None
        if page is None and session.state.ended:
            self.show_run()
            return
        if page is None:
            # Enter may be about to go on from a page the player did not leave: on a scene they
            # did not see it must pick nothing, so no choice is highlighted until an arrow key.
            same_page = view is not None and view.page == "scene"
            page = messages.ShowScene(highlight=same_page, scroll=view.scroll if view is not None and same_page else 0)
            self._scene_shown()
        play.post_message(page)

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        if small and not isinstance(self.screen, TooSmallScreen):
            self.too_small = True
            self.push_screen(TooSmallScreen(MIN_WIDTH, MIN_HEIGHT))
        elif small:
            self.screen.query_one(TooSmallScreen.NOTICE).refresh()
        elif not small and isinstance(self.screen, TooSmallScreen):
            self.too_small = False
            self.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While the size notice shows, only quitting makes sense.
        if self.too_small and action not in ("quit", "help_quit"):
            return False
        return not is_action(action) or self._blocked(action) is None

    # ------------------------------------------------------------------ screens

    def _clear_to_title(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def show_run(self, view: SaveView | None = None) -> None:
        """Show the run in progress: the play screen, or the debrief once it has ended; with a
        saved `view`, the page the player had on screen (feedback, handoff card, scroll position)."""
        self._clear_to_title()
        session = self.session
        if session is None:
            return
        self.set_class(self.assessing, "-assessment")
        self._scene_shown()
        from dealquest.tui.screens.play import PlayScreen

        first = self._page_to_restore(session, view) if view is not None else None
        if session.state.ended and first is None:
            # Imported only here: the debrief brings the Markdown widget, a table and the route map,
            # memory and start-up time that every tab of `dealquest serve` would pay for nothing.
            from dealquest.tui.screens.debrief import DebriefScreen

            self.push_screen(DebriefScreen(self.game, scroll=view.scroll if view and view.page == "debrief" else 0))
            return
        if first is None and view is not None and view.page == "scene" and view.scroll:
            first = messages.ShowScene(scroll=view.scroll)
        self.push_screen(PlayScreen(self.game, first))

    def _page_to_restore(
        self, session: Session, view: SaveView
    ) -> messages.ShowScene | messages.ShowFeedback | messages.ShowHandoff | None:
        """The feedback or handoff card a saved view had on screen (or, in brisk play, the scene
        with the feedback above it), made again from the run's last choice; None for a plain scene
        or the debrief, or when the last choice no longer replays."""
        if view.page not in ("feedback", "handoff") and not (view.page == "scene" and view.feedback_above):
            return None
        from dealquest.play.turns import handoff_after, last_turn

        last = last_turn(session.campaign, session.state)
        if last is None:
            return None
        # The run is the replayed one from here: the page's Enter goes on from this very state.
        session.state = last.step.state
        if view.page == "feedback" and self.game.allows.feedback:
            session.before = last.before
            return messages.ShowFeedback(last.before, last.step, view.scroll)
        above = (last.before, last.step) if view.feedback_above and self.game.allows.feedback else None
        if view.page == "scene":
            session.before = last.before
            return messages.ShowScene(highlight=above is None, scroll=view.scroll, feedback=above)
        handoff = handoff_after(session.campaign, last.step)
        if view.page == "handoff" and handoff is not None:
            session.before = last.before
            return messages.ShowHandoff(handoff, view.scroll, feedback=above)
        return None

    @staticmethod
    def _scene_view() -> SaveView:
        """The view of a run shown from its scene (or its debrief, once ended), from the top."""
        from dealquest.play.saves import SaveView

        return SaveView()

    def _view(self) -> SaveView:
        """What the player has on screen now, as a save keeps it: the play screen's page and how far
        it is scrolled, or the debrief's scroll position."""
        from dealquest.play.saves import SaveView

        play = self._play_screen()
        if play is not None and play.page_shown is not None:
            return SaveView(page=play.page_shown.kind, scroll=play.page_top, feedback_above=play.feedback_above)
        # No debrief can be open before its module was imported (it is imported only to show one):
        # the autosave after every choice must not import it.
        debrief = sys.modules.get("dealquest.tui.screens.debrief")
        if debrief is not None:
            for screen in reversed(self.screen_stack):
                if isinstance(screen, debrief.DebriefScreen):
                    return SaveView(page="debrief", scroll=screen.page_top)
        return SaveView()

    def action_title_screen(self) -> None:
        if self._refused("title_screen"):
            return
        self._clear_to_title()
        title = self.screen
        if isinstance(title, TitleScreen):
            title.post_message(messages.SavesChanged())

    def _play_scene(self, play: PlayScreen) -> None:
        """Show the run's current scene on the play screen; the time a choice takes counts from now."""
        play.post_message(messages.ShowScene())
        self._scene_shown()

    def _play_screen(self) -> PlayScreen | None:
        from dealquest.tui.screens.play import PlayScreen

        for screen in reversed(self.screen_stack):
            if isinstance(screen, PlayScreen):
                return screen
        return None

    # ------------------------------------------------------------------ the run

    def new_game(self, campaign: Campaign, seed: int | None = None) -> None:
        """Start a new run of a campaign and show its first scene."""
        if self.training is not None and self.training.seed is not None:
            seed = self.training.seed  # the trainer's seed: the whole group meets the same chances
        from dealquest.play import engine

        self.session = Session(campaign, engine.new_game(campaign, seed))
        self._autosave(self._scene_view())
        self._record_begin(self.session.state)
        self.show_run()

    def resume(self, campaign: Campaign, state: GameState) -> None:
        self.session = Session(campaign, state)
        self._autosave(self._scene_view())
        self._record_begin(state)
        self.show_run()

    @on(messages.Chose)
    def _chose(self, message: messages.Chose) -> None:
        session = self.session
        if session is not None and session.state is message.state:  # else asked on a state now gone
            self.choose(message.index)

    def choose(self, index: int) -> None:
        """Apply a choice, then show its feedback on the play screen before the story goes on.

        A training session's record is written first (the game never moves past an unrecorded
        choice); the autosave just after the feedback is painted: the player sees the feedback
        without waiting for the disk, and the save is on disk before the next key is read.
        """
        session = self.session
        if session is None or session.state.ended:
            return
        from dealquest.play import engine

        before = session.state
        try:
            step = engine.choose(session.campaign, before, index)
        except engine.EngineError as exc:
            self.notify(str(exc), title="Not possible", severity="warning", markup=False)
            return
        took = time.monotonic() - self._shown_at
        if self.link is not None:
            # A training run is recorded before the game moves on: never past an unrecorded choice.
            self.flush_writes()
            self.link.chose(before, step, took, then=lambda: self._chosen(session, before, step))
        else:
            self._chosen(session, before, step)

    def _chosen(self, session: Session, before: GameState, step: Step) -> None:
        """The choice is made (and recorded, in a training run): feedback, or straight on."""
        if self.session is not session or session.state is not before:
            return
        allows = self.game.allows  # before the choice lands: an assessment's last one gets no feedback either
        session.state = step.state
        session.before = before
        if allows.feedback and self.game.brisk and not step.state.ended:
            self._brisk_on(before, step)
        elif allows.feedback:
            play = self._play_screen()
            if play is not None:
                play.post_message(messages.ShowFeedback(before, step))
        else:
            assert self.link is not None
            self.link.assessed(step.state.ended)
            self.after_feedback(before, step)  # no feedback until the debrief
        self._write_soon(self._autosave_now)

    def _brisk_on(self, before: GameState, step: Step) -> None:
        """Brisk play: no page of its own for the feedback; it shows above what comes next (the
        handoff card or the next scene), whose choices are one key press away."""
        play = self._play_screen()
        if play is None or self.session is None:
            return
        from dealquest.play.turns import handoff_after

        handoff = handoff_after(self.session.campaign, step)
        if handoff is not None:
            play.post_message(messages.ShowHandoff(handoff, feedback=(before, step)))
        else:
            # Nothing highlighted: Enter must not pick a choice before the feedback is read.
            play.post_message(messages.ShowScene(highlight=False, feedback=(before, step)))
            self._scene_shown()

    def action_brisk(self) -> None:
        """Brisk play on or off (b): the feedback above the next scene, or on a page of its own."""
        self.game.brisk = not self.game.brisk
        if self.training is None:
            from dealquest.userdata.settings import save_setting

            problem = save_setting("brisk", "on" if self.game.brisk else "off")
            if problem:
                self.notify(problem, title="Setting not remembered", severity="warning", markup=False)
        if self.game.brisk:
            text = "The feedback on each choice shows above the next scene: press a number to go on. b turns it off."
        else:
            text = "The feedback on each choice shows on its own page: Enter goes on. b turns brisk play on."
        self.notify(text, title=f"Brisk play {'on' if self.game.brisk else 'off'}", markup=False)

    @on(messages.FeedbackRead)
    def _feedback_read(self, message: messages.FeedbackRead) -> None:
        self.after_feedback(message.before, message.step)

    def after_feedback(self, before: GameState, step: Step) -> None:
        """Enter on the feedback: the debrief at an ending, else the handoff card or the next scene."""
        session = self.session
        if session is None or session.state is not step.state:
            return
        if step.state.ended:
            self.show_run()
            return
        play = self._play_screen()
        if play is None:
            return
        from dealquest.play.turns import handoff_after

        handoff = handoff_after(session.campaign, step)
        if handoff is not None:
            play.post_message(messages.ShowHandoff(handoff))
        else:
            self._play_scene(play)
        self._write_soon(self._autosave_now)  # the autosave keeps the page on screen

    @on(messages.HandoffClosed)
    def handoff_closed(self) -> None:
        play = self._play_screen()
        if play is not None:
            play.post_message(messages.ShowScene())
        self._scene_shown()
        self._write_soon(self._autosave_now)

    def action_undo(self) -> None:
        session = self.session
        if session is None or self._refused("undo"):
            return
        if not session.state.decisions:
            self.notify("Nothing to undo: this is the start of the run.", severity="warning")
            return
        from dealquest.play import engine

        undone = engine.undo(session.campaign, session.state)
        if self.link is not None:
            self.flush_writes()
            self.link.rewound(undone, then=lambda: self._undone(session, undone))
        else:
            self._undone(session, undone)

    def _undone(self, session: Session, undone: GameState) -> None:
        from dealquest.play import engine

        if self.session is not session or not session.state.decisions:
            return
        last = session.state.decisions[-1]
        session.state = undone
        session.before = None
        self._autosave(self._scene_view())
        self._scene_shown()
        scene = session.campaign.scenes[last.scene]
        picked = engine.text(session.state, scene.choices[last.choice].text)
        self.notify(full_stop(f"Undid “{picked}”"), title="Undo", markup=False)
        play = self._play_screen()
        if play is not None and self.screen is play:
            play.post_message(messages.ShowScene())
        else:
            self.show_run()

    def action_restart(self) -> None:
        session = self.session
        if session is None or self._refused("restart"):
            return

        def confirmed(yes: bool | None) -> None:
            if yes and self.session is session:
                self.new_game(session.campaign, session.state.seed)
                self.notify("Back at the start, same seed.", title="Restart")

        from dealquest.tui.screens.confirm import ConfirmScreen

        self.push_screen(
            ConfirmScreen(
                "Restart this run from the first scene?", "Your choices so far are undone (save first to keep them)."
            ),
            confirmed,
        )

    def _in_front(self, kind: type[Screen[None]]) -> bool:
        """Whether a screen of this kind is the one shown: a request it posted still stands (a key
        pressed twice before the first request was handled asks once)."""
        return isinstance(self.screen, kind)

    @on(messages.StartGame)
    def _start_game(self, message: messages.StartGame) -> None:
        if self._in_front(TitleScreen):
            self.new_game(message.campaign)

    @on(messages.PlayAgain)
    def _play_again(self) -> None:
        from dealquest.tui.screens.debrief import DebriefScreen

        if self._in_front(DebriefScreen):
            self.play_again()

    def play_again(self) -> None:
        """A new run of the same campaign, with a new seed."""
        if self.session is not None:
            self.new_game(self.session.campaign)

    @on(messages.TryAnotherPath)
    def _try_another_path(self) -> None:
        from dealquest.tui.screens.debrief import DebriefScreen

        if self._in_front(DebriefScreen):
            self.try_another_path()

    def try_another_path(self) -> None:
        """Rewind to just before the weakest decision of the run, so the player can take another option."""
        session = self.session
        if session is None:
            return
        from dealquest.play.turns import another_path

        rewind = another_path(session.campaign, session.state)
        if rewind is None:
            return
        session.state = rewind.state
        session.before = None
        self._record_rewound(session.state)
        self.show_run()
        self._autosave(self._scene_view())  # the rewound run is the game on screen: Continue comes back to it
        self.notify(
            sentences(
                f"Rewound to decision {rewind.review.number}, “{rewind.review.scene_title}”", "Try another option"
            ),
            title="Another path",
            markup=False,
        )

    def new_game_command(self) -> None:
        if self._refused("new_game"):
            return
        if self.session is not None:
            self.play_again()
        else:
            self.action_title_screen()

    @on(messages.OpenJournal)
    def _open_journal(self) -> None:
        self.action_journal()

    @on(messages.OpenTitle)
    def _open_title(self) -> None:
        self.action_title_screen()

    # ------------------------------------------------------------------ training sessions

    @property
    def assessing(self) -> bool:
        """An assessment run is under way: no feedback, no undo, no score until its debrief."""
        return not self.game.allows.feedback

    @on(messages.SignedIn)
    def _signed_in(self, message: messages.SignedIn) -> None:
        from dealquest.tui.screens.sign_in import SignInScreen

        if self._in_front(SignInScreen):
            self.start_training(message.trainee, message.campaign, message.mode, message.trainee_id)

    def start_training(self, trainee: str, campaign: Campaign, mode: Mode, trainee_id: str | None = None) -> None:
        """Start the recorded run the sign-in screen asked for."""
        from dealquest.training import normalise_name

        assert self.training is not None
        self.training.trainee = normalise_name(trainee)
        if trainee_id:
            self.training.trainee_id = normalise_name(trainee_id)
        self.training.mode = mode
        self.start_or_resume(campaign, self._start_seed)

    def start_or_resume(self, campaign: Campaign, seed: int | None) -> None:
        """A trainee who signs in again (same name, campaign and store) goes on with the run they left
        unfinished; anyone else starts a new run."""
        resumed = self.link.resume(campaign) if self.link is not None else None
        if resumed is None:
            self.new_game(campaign, seed)
            return
        self.session = Session(campaign, resumed)
        self.show_run()
        self.notify(
            f"Welcome back: your run goes on at decision {resumed.turn + 1}; the {resumed.turn} choices you made "
            "are kept.",
            title="Resumed",
            timeout=10,
            markup=False,
        )

    async def action_quit(self) -> None:
        """Quit; in a training run under way, only after a yes (q sits under 1 and 2)."""
        session = self.session
        if self.link is None or session is None or not session.state.decisions or session.state.ended:
            self.exit()
            return
        from dealquest.tui.screens.confirm import ConfirmScreen

        if isinstance(self.screen, ConfirmScreen):
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(
            ConfirmScreen(
                f"Stop this run at decision {session.state.turn + 1}?",
                "Your choices so far are kept. Sign in again with the same name to go on from here.",
            ),
            confirmed,
        )

    def _scene_shown(self) -> None:
        """A scene is in front of the player from now: the time a choice takes counts from here."""
        self._shown_at = time.monotonic()

    def _record_begin(self, state: GameState) -> None:
        self.flush_writes()  # in order: a choice's record before the undo that takes it back
        if self.link is not None:
            self.link.begin(state)

    def _record_rewound(self, state: GameState) -> None:
        self.flush_writes()
        if self.link is not None:
            self.link.rewound(state)

    def _blocked(self, action: Action) -> str | None:
        return self.game.allows.refusal(action)

    def _refused(self, action: Action) -> bool:
        why = self._blocked(action)
        if why:
            self.notify(why, severity="warning", markup=False)
        return why is not None

    # ------------------------------------------------------------------ saves

    def _write_soon(self, write: Callable[[], None]) -> None:
        """Write once the screen is painted (the player sees the result without waiting for the
        disk); quitting first writes whatever is still waiting, so nothing is lost.

        The screen in front is asked first, so the wait for its paint starts once it has shown
        the page just posted to it (not before: it would find nothing to paint, and write at once).
        """
        self._writes.append(write)
        if len(self._writes) == 1 and not self.screen.call_later(self.call_after_refresh, self.flush_writes):
            self.call_after_refresh(self.flush_writes)

    @property
    def writes_waiting(self) -> int:
        """How many writes (autosave, training record) wait for the screen to be painted."""
        return len(self._writes)

    def flush_writes(self) -> None:
        writes, self._writes = self._writes, []
        for write in writes:
            write()

    def exit(self, *args: Any, **kwargs: Any) -> None:
        self.flush_writes()  # however the app ends (q, ctrl+q, the palette), nothing waits unwritten
        if self.link is not None:
            self.link.close()
        if self.session is not None and self.crash_log is None:
            self._autosave_now()  # with the page on screen and how far it was scrolled
        super().exit(*args, **kwargs)

    def _autosave(self, view: SaveView | None = None) -> None:
        self.flush_writes()
        self._autosave_now(view)

    def _autosave_now(self, view: SaveView | None = None) -> None:
        """The run as it is now, and what is on screen (`view`, read from the screens when not given):
        the autosave is always the game the player last had in front of them."""
        # A training session records to the results store instead: on a shared machine (dealquest
        # serve) every tab would otherwise overwrite the same autosave.
        if self.session is None or self.training is not None:
            return
        from dealquest.play import saves

        try:
            saves.autosave(self.session.campaign, self.session.state, view or self._view())
        except saves.SaveError as exc:
            self.notify(f"Autosave failed: {exc}", severity="error", timeout=10, markup=False)

    def action_save(self) -> None:
        session = self.session
        if self._refused("save"):
            return
        if session is None:
            self.notify("Start or load a game first; there is nothing to save yet.", severity="warning")
            return

        def save_as(slot: str | None) -> None:
            if not slot:
                return
            try:
                saves.save(session.campaign, session.state, slot)
            except saves.SaveError as exc:
                self.notify(str(exc), title="Not saved", severity="error", markup=False)
                return
            self.notify(full_stop(f"Saved as “{slot.strip()}”"), title="Saved", markup=False)

        from dealquest.play import saves
        from dealquest.tui.screens.save_game import SaveScreen

        self.push_screen(SaveScreen(saves.list_saves(session.campaign.id)), save_as)

    def action_load(self) -> None:
        if self._refused("load"):
            return

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.load_save(path)

        from dealquest.play import saves
        from dealquest.tui.screens.load_game import LoadScreen

        self.push_screen(LoadScreen(saves.list_saves()), chosen)

    @on(messages.OpenLoad)
    def _open_load(self) -> None:
        if self._in_front(TitleScreen):
            self.action_load()

    @on(messages.ContinueLatest)
    def _continue_latest(self) -> None:
        if self._in_front(TitleScreen):
            self.continue_latest()

    def continue_latest(self) -> None:
        if self._refused("load"):
            return
        from dealquest.play import saves

        latest = saves.latest_autosave()
        if latest is None:
            self.notify("There is no autosave yet: start a new game.", severity="warning")
            return
        self.load_save(latest.path)

    def load_save(self, path: Path) -> bool:
        """Load a save file and show its run; on failure say why and stay where we are."""
        from dealquest.play import saves

        try:
            record = saves.open_record(path)
            campaign = saves.find_campaign(
                record.campaign,
                record.campaign_path,
                playing=self.session.campaign if self.session else None,
                installed=self.game.installed(),
            )
            state, changed = saves.resume(record, campaign)
        except saves.SaveError as exc:
            self.notify(
                f"Cannot load {path.name}: {exc}", title="Not loaded", severity="error", timeout=10, markup=False
            )
            title = self.screen_stack[0]
            if isinstance(title, TitleScreen):
                title.post_message(messages.SavesChanged())
            return False
        self.session = Session(campaign, state)
        self.show_run(record.view if not changed else None)
        self._autosave(record.view if not changed else None)  # Continue now comes back to this game
        where = "at its ending" if state.ended else f"decision {state.turn + 1}"
        self.notify(f"Loaded “{record.slot}”: {campaign.title}, {where}", title="Loaded", markup=False)
        if changed:
            self.notify(changed, title="The campaign changed", severity="warning", timeout=15, markup=False)
        return True

    # ------------------------------------------------------------------ panels and themes

    def action_help(self) -> None:
        from dealquest.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.session.campaign if self.session else None))

    def action_journal(self) -> None:
        if self._refused("journal"):
            return
        if self.session is None:
            self.notify("The journal shows a run; start or load a game first.", severity="warning")
            return
        from dealquest.tui.screens.journal import JournalScreen

        if isinstance(self.screen, JournalScreen):
            return
        self.push_screen(JournalScreen(self.session.campaign, self.session.state))

    def _remember_theme(self, theme: object) -> None:
        name = self.theme
        if self._settings.get("theme") == name:
            return
        from dealquest.userdata.settings import save_setting

        self._settings["theme"] = name
        problem = save_setting("theme", name)
        if problem:
            self.notify(problem, title="Theme not remembered", severity="warning", markup=False)

    def action_cycle_theme(self) -> None:
        current = self.theme if self.theme in THEME_CYCLE else THEME_CYCLE[-1]
        self.theme = THEME_CYCLE[(THEME_CYCLE.index(current) + 1) % len(THEME_CYCLE)]
        self.notify(f"Theme: {self.theme}", timeout=2)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        # A training session leaves out what it does not allow (saved games; undo while assessing).
        allows = self.game.allows
        yield from (
            c for action, c in self._system_commands(screen) if action is None or allows.refusal(action) is None
        )

    def _system_commands(self, screen: Screen[object]) -> Iterable[tuple[Action | None, SystemCommand]]:
        """Each command of the palette, with the action a run may refuse (None: always offered)."""
        playing = self.session is not None
        yield (
            "new_game",
            SystemCommand(
                "New game", "Start a new run (of this campaign when one is being played)", self.new_game_command
            ),
        )
        if playing:
            yield "save", SystemCommand("Save", "Save the run under a name", self.action_save)
        yield "load", SystemCommand("Load", "Load a saved run", self.action_load)
        if playing:
            yield "undo", SystemCommand("Undo", "Take back the last choice", self.action_undo)
            yield "restart", SystemCommand("Restart", "Start this run again from the first scene", self.action_restart)
            yield (
                "journal",
                SystemCommand("Journal", "The run so far: scenes, choices and feedback", self.action_journal),
            )
        yield None, SystemCommand("Help", "Keys, and how scoring works in this campaign", self.action_help)
        brisk = "off" if self.game.brisk else "on"
        yield (
            None,
            SystemCommand(
                f"Brisk play {brisk}", "Feedback above the next scene: one key press per choice (b)", self.action_brisk
            ),
        )
        yield "title_screen", SystemCommand("Title screen", "Back to the list of campaigns", self.action_title_screen)
        yield (
            None,
            SystemCommand("Cycle theme", "Dark, light, and the terminal's own palette (ansi)", self.action_cycle_theme),
        )
        yield None, SystemCommand("Keys", "Every key of the game (the help window)", self.action_help)
        # Of Textual's own: the theme picker and Quit. Its "Keys" panel (replaced above: it squeezed
        # the story and listed 2 to 9 unlabelled), "Maximize" and "Screenshot" do nothing for a player.
        for command in super().get_system_commands(screen):
            if command.title in ("Theme", "Quit"):
                yield None, command
