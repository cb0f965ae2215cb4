"""The app's side of a training session: recording each change of the run, and what assessment allows.

The app calls `record` when a run begins, after each choice and after an undo; the recorder (in
`dealquest.training`) writes it to the results store at once. `blocked` says which actions a
session refuses: saved games always (the store keeps the run), and while an assessment is under
way, undo, restart, the journal and the title screen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from dealquest.training import TrainingSettings
from dealquest.training.recorder import RECORD_PATIENCE_SECONDS, Recorder, resumable
from dealquest.training.store import Store, StoreBusy, StoreError, open_store
from dealquest.tui.screens.recording import RecordingScreen

if TYPE_CHECKING:
    from dealquest.play.engine import GameState
    from dealquest.story.campaign import Campaign
    from dealquest.tui.app import DealQuestApp

#: Each try to record on a busy store waits this long (the screen stays responsive in between).
TRY_SECONDS = 0.2
#: And the next try comes this long after.
RETRY_SECONDS = 0.3

MODE_NOTE = {
    "assessment": "Assessment: no feedback and no undo until the debrief at the end.",
    "practice": "Practice: feedback after every choice; u undoes.",
}


class TrainingLink:
    """Records one trainee's runs for the app, and knows what the session's mode allows."""

    def __init__(self, app: DealQuestApp, settings: TrainingSettings) -> None:
        self.app = app
        self.settings = settings
        self.recorder: Recorder | None = None
        self.store: Store | None = None

    @property
    def assessing(self) -> bool:
        """An assessment run is under way: no feedback, no undo, no score until its debrief."""
        session = self.app.session
        return self.settings.mode == "assessment" and session is not None and not session.state.ended

    def record(self, what: str, *args: object, then: Callable[[], None] | None = None) -> None:
        """Pass a change of the run to the recorder (begin, chose or rewound; see Recorder), then do
        `then` (move the game on). On a busy store a notice stays up and it tries again; if it never
        goes through, `then` is not done: the game stays where it was and says why."""
        t, session = self.settings, self.app.session
        if t.trainee is None or t.mode is None or session is None:
            if then is not None:
                then()
            return  # not signed in yet
        started = time.monotonic()
        waiting: RecordingScreen | None = None

        def attempt() -> None:
            nonlocal waiting
            try:
                self._write(what, *args)
            except StoreBusy as exc:
                waited = time.monotonic() - started
                if waited < RECORD_PATIENCE_SECONDS:
                    if waiting is None:
                        waiting = RecordingScreen()
                        self.app.push_screen(waiting)
                    else:
                        waiting.waited(waited)
                    self.app.set_timer(RETRY_SECONDS, attempt)
                    return
                self._close(waiting)
                self._not_recorded(exc, then is not None)
                return
            except StoreError as exc:
                self._close(waiting)
                self._not_recorded(exc, then is not None)
                return
            self._close(waiting)
            if then is not None:
                then()

        attempt()

    def _close(self, waiting: RecordingScreen | None) -> None:
        if waiting is not None and waiting in self.app.screen_stack:
            waiting.dismiss()

    def _not_recorded(self, exc: StoreError, stays: bool) -> None:
        stay = " The game stays where it was: choose again." if stays else ""
        self.app.notify(
            f"Not recorded: {exc}.{stay}", title="Results store", severity="error", timeout=15, markup=False
        )

    def _write(self, what: str, *args: object) -> None:
        t, session = self.settings, self.app.session
        assert t.trainee is not None and t.mode is not None and session is not None
        if self.store is None:
            self.store = open_store(t.store)
            self.store.write_wait(TRY_SECONDS)
        if self.recorder is None or self.recorder.campaign is not session.campaign:
            if what != "begin":
                what, args = "begin", (session.state,)
            self.recorder = Recorder(self.store, session.campaign, t.trainee, t.mode, t.trainee_id)
            self.app.notify(
                f"{t.trainee}, every choice is recorded for your trainer. {MODE_NOTE[t.mode]}",
                title=f"Training: {t.mode}",
                timeout=8,
                markup=False,
            )
        getattr(self.recorder, what)(*args)

    def resume(self, campaign: Campaign) -> GameState | None:
        """The state of this trainee's unfinished run of the campaign, now recorded to again; None
        when there is none (or the store cannot be read: a new run starts and says so)."""
        t = self.settings
        if t.trainee is None or t.mode is None:
            return None
        try:
            if self.store is None:
                self.store = open_store(t.store)
                self.store.write_wait(TRY_SECONDS)
            run = resumable(self.store, campaign, t.trainee, t.trainee_id)
            if run is None:
                return None
            recorder = Recorder(self.store, campaign, t.trainee, run.mode, t.trainee_id)
            state = recorder.resume(run)
        except StoreError:
            return None
        self.recorder = recorder
        t.mode = run.mode
        return state

    def assessed(self, ended: bool) -> None:
        """After a choice in assessment mode: a neutral word; at the ending, practice from then on."""
        if not ended:
            self.app.notify("Choice recorded.", timeout=2)
            return
        self.settings.mode = "practice"
        if self.recorder is not None:
            self.recorder.mode = "practice"
        self.app.set_class(False, "-assessment")
        self.app.notify(
            "Assessment recorded. Here is your debrief; any further runs are practice, with feedback.",
            title="Assessment done",
            timeout=10,
        )

    def blocked(self, action: str) -> str | None:
        """Why the session does not allow an action (or a command titled so) now; None when it does."""
        action = action.lower().replace(" ", "_")
        if self.settings.trainee is None and action in ("new_game", "title_screen"):
            return "Sign in first: type your name and press Enter."
        if action in ("save", "load"):
            return "Saved games are off in a training session: every choice is recorded for your trainer."
        if self.assessing and action in ("undo", "restart", "journal", "title_screen"):
            return "Not during an assessment: undo, restart and the journal open up at the debrief."
        return None
