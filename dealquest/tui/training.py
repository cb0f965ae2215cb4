"""The app's side of a training session: recording each change of the run, and what assessment allows.

The app calls `record` when a run begins, after each choice and after an undo; the recorder (in
`dealquest.training`) writes it to the results store at once. `blocked` says which actions a
session refuses: saved games always (the store keeps the run), and while an assessment is under
way, undo, restart, the journal and the title screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dealquest.training import TrainingSettings
from dealquest.training.recorder import Recorder
from dealquest.training.store import Store, StoreError, open_store

if TYPE_CHECKING:
    from dealquest.tui.app import DealQuestApp

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

    def record(self, what: str, *args: object) -> None:
        """Pass a change of the run to the recorder: begin, chose or rewound (see Recorder)."""
        t, session = self.settings, self.app.session
        if t.trainee is None or t.mode is None or session is None:
            return  # not signed in yet
        try:
            if self.store is None:
                self.store = open_store(t.store)
            if self.recorder is None or self.recorder.campaign is not session.campaign:
                if what != "begin":
                    what, args = "begin", (session.state,)
                self.recorder = Recorder(self.store, session.campaign, t.trainee, t.mode)
                self.app.notify(
                    f"{t.trainee}, every choice is recorded for your trainer. {MODE_NOTE[t.mode]}",
                    title=f"Training: {t.mode}",
                    timeout=8,
                    markup=False,
                )
            getattr(self.recorder, what)(*args)
        except StoreError as exc:
            self.app.notify(f"Not recorded: {exc}", title="Results store", severity="error", timeout=15, markup=False)

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
