"""Saves as a hostile hand (or a crash) leaves them: each is listed with a reason, set aside when
loaded, never trusted for its figures, and never hangs or crashes the game.

The cases of issue 17: JSON nested 200,000 deep, a seed of 5,000 digits, a time that overflows,
a FIFO or a link to /dev/zero in the autosave's place, forged figures, temporary files left by kills.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from dealquest.play import engine, saves
from dealquest.play.saves import SaveError

from ..conftest import campaign


def autosave_path() -> Path:
    mini = campaign()
    return saves.autosave(mini, engine.replay(mini, 7, [0]))


def edited(change: Callable[[dict[str, object]], None]) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        data = json.loads(path.read_text())
        change(data)
        path.write_text(json.dumps(data))

    return write


def set_state(key: str, value: object) -> Callable[[dict[str, object]], None]:
    return lambda data: data["state"].__setitem__(key, value)  # type: ignore[attr-defined]


def replace_with_fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def link_to_dev_zero(path: Path) -> None:
    path.unlink()
    path.symlink_to("/dev/zero")


def set_top(key: str, value: object) -> Callable[[dict[str, object]], None]:
    return lambda data: data.__setitem__(key, value)


def huge_seed(path: Path) -> None:
    path.write_text(path.read_text().replace('"seed": 7', '"seed": ' + "9" * 5000))


def many_decisions(data: dict[str, object]) -> None:
    state: dict[str, list[object]] = data["state"]  # type: ignore[assignment]
    state["decisions"] = state["decisions"][:1] * 10_001


HOSTILE = {
    "nested 200,000 deep": (lambda p: p.write_text("[" * 200_000 + "]" * 200_000), "nest too deep"),
    "a seed of 5,000 digits": (huge_seed, "too large"),
    "a seed past 2**63": (edited(set_state("seed", 2**64)), "seed is out of range"),
    "a time that overflows": (edited(set_top("saved_at", "9999-12-31T23:59:59-23:59")), "cannot be read"),
    "a time that is not one": (edited(set_top("saved_at", "yesterday")), "cannot be read"),
    "a variable of 10^12": (edited(set_state("vars", {"intel": 10**12})), "out of range"),
    "ten thousand and one decisions": (edited(many_decisions), "more decisions"),
    "a slot of a megabyte": (edited(set_top("slot", "x" * 1_000_000)), "damaged"),
    "a FIFO": (replace_with_fifo, "named pipe"),
    "a link to /dev/zero": (link_to_dev_zero, "symlink"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_autosave_is_listed_with_a_reason_and_set_aside_when_loaded(name: str) -> None:
    damage, reason = HOSTILE[name]
    path = autosave_path()
    damage(path)
    started = time.monotonic()
    latest = saves.latest_autosave()  # what the title screen asks at start
    assert latest is not None and latest.problem is not None and reason in latest.problem, latest
    assert latest.when  # never raises, whatever the time says
    with pytest.raises(SaveError, match=reason):
        saves.load(path, campaign())  # what Continue does
    assert time.monotonic() - started < 10  # a FIFO or /dev/zero used to hang or eat memory
    assert not path.exists() and not path.is_symlink()
    assert len(list(path.parent.glob("autosave.damaged-*"))) == 1
    assert saves.latest_autosave() is None


def test_forged_figures_are_recomputed_by_replay() -> None:
    """The save of the report showed 98.9% against 62.8% on replay: now the replay's figures count."""
    mini = campaign()
    honest = engine.replay(mini, 7, [1, 1])
    path = saves.autosave(mini, honest)
    data = json.loads(path.read_text())
    for decision in data["state"]["decisions"]:
        decision.update(value=2.0, audience=2, closing=2.0, technique="pull", lessons=["aims", "audience"])
    path.write_text(json.dumps(data))
    loaded = saves.load(path, mini)
    assert loaded == honest
    assert engine.score(mini, loaded).percent == engine.score(mini, honest).percent


def test_forged_figures_on_a_changed_campaign_are_scored_again(mini_copy: Path) -> None:
    mini = campaign(mini_copy)
    honest = engine.replay(mini, 7, [1])
    path = saves.autosave(mini, honest)
    data = json.loads(path.read_text())
    data["state"]["decisions"][0].update(value=2.0, audience=2, closing=2.0)
    path.write_text(json.dumps(data))
    story = mini_copy / "campaign.yaml"  # the choice's feedback changes: the run no longer replays exactly
    story.write_text(story.read_text().replace("intel: {initial: 0,", "intel: {initial: 1,"))
    changed = campaign(mini_copy)
    state, note = saves.resume(saves.open_record(path), changed)
    assert note is not None and "changed since this save" in note
    assert [d.value for d in state.decisions] == [d.value for d in honest.decisions]


def test_temporary_files_left_by_killed_saves_are_cleared_at_start() -> None:
    folder = autosave_path().parent
    old = time.time() - 3600
    for i in range(79):
        leftover = folder / f".autosave-{i:02}.tmp"
        leftover.write_text("{")
        os.utime(leftover, (old, old))
    fresh = folder / ".autosave-now.tmp"  # a save being written right now by another game
    fresh.write_text("{")
    saves.list_saves()
    assert sorted(p.name for p in folder.glob(".*.tmp")) == [fresh.name]
    assert [s.slot for s in saves.list_saves()] == ["autosave"]


def test_choices_that_do_not_replay_on_the_campaign_they_were_saved_with_are_damage() -> None:
    """Found by the save fuzzer: a doubled decision list resumed as if the campaign had changed."""
    mini = campaign()
    path = saves.autosave(mini, engine.replay(mini, 3, [1]))
    data = json.loads(path.read_text())
    data["state"]["decisions"] *= 2
    path.write_text(json.dumps(data))
    with pytest.raises(SaveError, match=r"damaged: .* on the campaign it was saved with"):
        saves.load(path, mini)
