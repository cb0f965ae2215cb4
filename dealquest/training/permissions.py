"""What a run allows the player now, from its mode: one answer for the app and the plain line mode.

Solo play allows everything. A recorded run (a training session) has no saved games: the results
store keeps the run. An assessment, while it runs, shows no feedback and no score and allows no
undo, restart, journal or title screen; they open up at its debrief. Before a trainee signs in,
nothing can be started.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeGuard, get_args

from dealquest.training import Mode

#: What a player can ask for that a run may refuse (the app's actions of the same names).
Action = Literal["new_game", "title_screen", "save", "load", "undo", "restart", "journal"]
ACTIONS: frozenset[str] = frozenset(get_args(Action))

SIGN_IN_FIRST = "Sign in first: type your name and press Enter."
NO_SAVED_GAMES = "Saved games are off in a training session: every choice is recorded for your trainer."
NOT_WHILE_ASSESSED = "Not during an assessment: undo, restart and the journal open up at the debrief."


def is_action(name: str) -> TypeGuard[Action]:
    """Whether a name (of an app action) is one a run may refuse."""
    return name in ACTIONS


@dataclass(frozen=True)
class Permissions:
    """What the player may do now. The defaults allow everything (solo play)."""

    #: feedback after each choice, and the score as the run goes
    feedback: bool = True
    #: taking back choices: undo, and restarting the run
    undo: bool = True
    journal: bool = True
    #: leaving the run for the title screen
    title_screen: bool = True
    #: saving and loading games
    saved_games: bool = True
    #: whether someone has signed in (a training session asks first)
    signed_in: bool = True

    def refusal(self, action: Action) -> str | None:
        """Why the run does not allow an action now, in the player's words; None when it does."""
        if not self.signed_in and action in ("new_game", "title_screen"):
            return SIGN_IN_FIRST
        if not self.saved_games and action in ("save", "load"):
            return NO_SAVED_GAMES
        allowed = {"undo": self.undo, "restart": self.undo, "journal": self.journal, "title_screen": self.title_screen}
        if not allowed.get(action, True):
            return NOT_WHILE_ASSESSED
        return None


def permissions(mode: Mode | None, *, running: bool, recorded: bool, signed_in: bool = True) -> Permissions:
    """What a run in this mode allows: `running` while it has not reached its ending, `recorded`
    in a training session (the results store keeps it), `signed_in` once the trainee is known."""
    assessing = mode == "assessment" and running
    return Permissions(
        feedback=not assessing,
        undo=not assessing,
        journal=not assessing,
        title_screen=not assessing,
        saved_games=not recorded,
        signed_in=signed_in,
    )
