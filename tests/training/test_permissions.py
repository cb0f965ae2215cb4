"""What a run allows, from its mode: one answer for the app and the plain line mode."""

from __future__ import annotations

from typing import get_args

import pytest

from dealquest.training.permissions import (
    NO_SAVED_GAMES,
    NOT_WHILE_ASSESSED,
    SIGN_IN_FIRST,
    Action,
    Permissions,
    is_action,
    permissions,
)

ACTIONS: tuple[Action, ...] = get_args(Action)


def refusals(allows: Permissions) -> dict[Action, str]:
    return {action: why for action in ACTIONS if (why := allows.refusal(action)) is not None}


def test_solo_play_allows_everything() -> None:
    allows = Permissions()
    assert allows.feedback and refusals(allows) == {}


@pytest.mark.parametrize("running", [True, False])
def test_practice_in_a_training_session_only_leaves_out_saved_games(running: bool) -> None:
    allows = permissions("practice", running=running, recorded=True)
    assert allows.feedback
    assert refusals(allows) == {"save": NO_SAVED_GAMES, "load": NO_SAVED_GAMES}


def test_an_assessment_under_way_gives_no_feedback_undo_restart_journal_or_title() -> None:
    allows = permissions("assessment", running=True, recorded=True)
    assert not allows.feedback
    assert refusals(allows) == {
        "save": NO_SAVED_GAMES,
        "load": NO_SAVED_GAMES,
        "undo": NOT_WHILE_ASSESSED,
        "restart": NOT_WHILE_ASSESSED,
        "journal": NOT_WHILE_ASSESSED,
        "title_screen": NOT_WHILE_ASSESSED,
    }


def test_at_the_debrief_an_assessment_opens_up() -> None:
    allows = permissions("assessment", running=False, recorded=True)
    assert allows.feedback and set(refusals(allows)) == {"save", "load"}


def test_an_unrecorded_assessment_keeps_saved_games() -> None:  # dealquest play --plain --mode assessment
    allows = permissions("assessment", running=True, recorded=False)
    assert not allows.feedback and not allows.undo and allows.refusal("save") is None


def test_before_signing_in_nothing_can_be_started() -> None:
    allows = permissions(None, running=False, recorded=True, signed_in=False)
    assert allows.refusal("new_game") == SIGN_IN_FIRST and allows.refusal("title_screen") == SIGN_IN_FIRST


def test_only_the_actions_a_run_may_refuse_are_actions() -> None:
    assert all(is_action(a) for a in ACTIONS)
    assert not any(is_action(a) for a in ("quit", "help", "pick", "cycle_theme", "Title screen"))
