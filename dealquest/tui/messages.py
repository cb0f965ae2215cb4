"""How the app and its screens talk without importing each other.

Screens read the run from the `Game` they are given (`dealquest.tui.session`) and post the player's
requests up to the app, which handles them with `@on`. The app changes the run, then tells the
screen on show what to show with the messages at the end of this module (they do not bubble).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from dealquest.play.engine import GameState, Step
    from dealquest.play.turns import Handoff
    from dealquest.story.campaign import Campaign
    from dealquest.training import Mode


# ---------------------------------------------------------------------- screens to the app


class Chose(Message):
    """The player picked a choice (its engine index) of the scene shown at `state`."""

    def __init__(self, index: int, state: GameState) -> None:
        super().__init__()
        self.index = index
        #: the state the choice was offered at: a choice asked for on a state that has gone is dropped
        self.state = state


class FeedbackRead(Message):
    """Enter on the feedback of a choice: the run goes on (a handoff card, the scene or the debrief)."""

    def __init__(self, before: GameState, step: Step) -> None:
        super().__init__()
        self.before = before
        self.step = step


class HandoffClosed(Message):
    """Enter on a handoff card: the scene comes next."""


class StartGame(Message):
    """A new run of a campaign (the title screen's New game)."""

    def __init__(self, campaign: Campaign) -> None:
        super().__init__()
        self.campaign = campaign


class ContinueLatest(Message):
    """Resume the latest autosave (the title screen's Continue)."""


class PlayAgain(Message):
    """A new run of the campaign just played, with a new seed (from the debrief)."""


class TryAnotherPath(Message):
    """Rewind to just before the run's weakest decision (from the debrief)."""


class OpenLoad(Message):
    """The list of saved games (a Load button; the key is the app's `load` action)."""


class OpenJournal(Message):
    """The journal of the run (a Journal button; the key is the app's `journal` action)."""


class OpenTitle(Message):
    """Back to the title screen (a Title button; the key is the app's `title_screen` action)."""


class SignedIn(Message):
    """A trainee signed in: start their recorded run of this campaign in this mode."""

    def __init__(self, trainee: str, campaign: Campaign, mode: Mode, trainee_id: str | None = None) -> None:
        super().__init__()
        self.trainee = trainee
        self.campaign = campaign
        self.mode = mode
        self.trainee_id = trainee_id


# ---------------------------------------------------------------------- the app to a screen


class ShowScene(Message, bubble=False):
    """The play screen shows the run's current scene (`highlight`: its first choice highlighted;
    `scroll`: the first line shown, when a resumed run goes on where it was read; `feedback`: the
    choice just made, whose feedback shows above the scene in brisk play)."""

    def __init__(self, highlight: bool = True, scroll: int = 0, feedback: tuple[GameState, Step] | None = None) -> None:
        super().__init__()
        self.highlight = highlight
        self.scroll = scroll
        self.feedback = feedback


class ShowFeedback(Message, bubble=False):
    """The play screen shows the feedback on the choice just made."""

    def __init__(self, before: GameState, step: Step, scroll: int = 0) -> None:
        super().__init__()
        self.before = before
        self.step = step
        self.scroll = scroll


class ShowHandoff(Message, bubble=False):
    """The play screen shows the handoff card a choice led to (in brisk play, below the feedback)."""

    def __init__(self, handoff: Handoff, scroll: int = 0, feedback: tuple[GameState, Step] | None = None) -> None:
        super().__init__()
        self.handoff = handoff
        self.scroll = scroll
        self.feedback = feedback


class SavesChanged(Message, bubble=False):
    """The saves on disk may have changed: the title screen reads its Continue line again."""
