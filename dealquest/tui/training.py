"""The app's side of a training session: recording each change of the run as it happens.

The app calls `begin` when a run begins, `chose` after each choice and `rewound` after an undo;
the recorder (in `dealquest.training`) writes it to the results store at once. What the session
allows is `Game.allows` (`dealquest.training.permissions`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import App

from dealquest.training.recorder import RECORD_PATIENCE_SECONDS, Recorder, resumable
from dealquest.training.store import Store, StoreBusy, StoreError, open_store
from dealquest.tui.screens.recording import RecordingScreen
from dealquest.tui.session import Game

if TYPE_CHECKING:
    from dealquest.play.engine import GameState, Step
    from dealquest.story.campaign import Campaign

#: Each try to record on a busy store waits this long (the screen stays responsive in between).
TRY_SECONDS = 0.2
#: And the next try comes this long after.
RETRY_SECONDS = 0.3

MODE_NOTE = {
    "assessment": "Assessment: no feedback and no undo until the debrief at the end.",
    "practice": "Practice: feedback after every choice; u undoes.",
}


class TrainingLink:
    """Records one trainee's runs of the app's `Game`, and says so in the app's notifications."""

    def __init__(self, app: App[None], game: Game) -> None:
        assert game.training is not None
        self.app = app
        self.game = game
        self.settings = game.training
        self.recorder: Recorder | None = None
        self.store: Store | None = None

    def begin(self, state: GameState) -> None:
        """A run begins (or resumes) at this state."""
        self.record(lambda recorder: recorder.begin(state))

    def chose(self, before: GameState, step: Step, seconds: float, then: Callable[[], None]) -> None:
        """A choice was made at `before`, in `seconds` from the scene being shown; `then` moves the game on."""
        self.record(lambda recorder: recorder.chose(before, step, seconds), then)

    def rewound(self, state: GameState, then: Callable[[], None] | None = None) -> None:
        """The run goes back to this state (undo, another path)."""
        self.record(lambda recorder: recorder.rewound(state), then)

    def record(self, change: Callable[[Recorder], object], then: Callable[[], None] | None = None) -> None:
        """Pass a change of the run to the recorder (see Recorder), then do `then` (move the game
        on). On a busy store a notice stays up and it tries again; if it never goes through, `then`
        is not done: the game stays where it was and says why."""
        t, session = self.settings, self.game.session
        if t.trainee is None or t.mode is None or session is None:
            if then is not None:
                then()
            return  # not signed in yet
        started = time.monotonic()
        waiting: RecordingScreen | None = None

        def attempt() -> None:
            nonlocal waiting
            try:
                self._write(change)
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

    def _write(self, change: Callable[[Recorder], object]) -> None:
        t, session = self.settings, self.game.session
        assert t.trainee is not None and t.mode is not None and session is not None
        if self.store is None:
            self.store = open_store(t.store)
            self.store.write_wait(TRY_SECONDS)
        if self.recorder is None or self.recorder.campaign is not session.campaign:
            self.recorder = Recorder(self.store, session.campaign, t.trainee, t.mode, t.trainee_id)
            self.app.notify(
                f"{t.trainee}, every choice is recorded for your trainer. {MODE_NOTE[t.mode]}",
                title=f"Training: {t.mode}",
                timeout=8,
                markup=False,
            )
            self.recorder.begin(session.state)  # a new recorder starts with the run as it is now
            return
        change(self.recorder)

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

    def close(self) -> None:
        """The app ends: let go of the run (a sign-in elsewhere may resume it) and of the store."""
        if self.recorder is not None:
            self.recorder.release()
        if self.store is not None:
            self.store.close()
            self.store = None

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
