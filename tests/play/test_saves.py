"""Save files as a specification: atomic, named, listed, and refused with a reason when unusable."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dealquest.play import engine, saves
from dealquest.play.saves import SaveError
from dealquest.story.campaign import LoadResult
from dealquest.story.loader import load_campaign

from ..conftest import HOSTILE, MINI, broken_campaign, campaign


def test_the_save_folder_is_under_dealquest_home(dealquest_home: Path) -> None:
    assert saves.saves_root() == dealquest_home / "saves"


def test_a_save_names_its_campaign_version_and_content(dealquest_home: Path) -> None:
    mini = campaign()
    state = engine.replay(mini, 7, [0])
    path = saves.save(mini, state, "Before the call")
    assert path == dealquest_home / "saves" / "mini" / "before-the-call.json"
    data = json.loads(path.read_text())
    assert data["format"] == saves.FORMAT_VERSION
    assert (data["campaign"], data["campaign_version"], data["content_hash"]) == ("mini", "1.2", mini.content_hash)
    assert data["slot"] == "Before the call"
    assert saves.load(path, mini) == state


def test_writing_leaves_no_temporary_files_and_replaces_the_old_save() -> None:
    mini = campaign()
    first = saves.autosave(mini, engine.replay(mini, 7, [0]))
    second = saves.autosave(mini, engine.replay(mini, 7, [0, 1]))
    assert first == second
    assert [p.name for p in first.parent.iterdir()] == ["autosave.json"]
    assert saves.load(first, mini).turn == 2


def test_a_failed_write_keeps_the_old_save(monkeypatch: pytest.MonkeyPatch) -> None:
    mini = campaign()
    path = saves.autosave(mini, engine.replay(mini, 7, [0]))

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(SaveError, match="No space left on device"):
        saves.autosave(mini, engine.replay(mini, 7, [0, 1]))
    monkeypatch.undo()
    assert saves.load(path, mini).turn == 1
    assert [p.name for p in path.parent.iterdir()] == ["autosave.json"]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "give the save a name"),
        ("x" * 41, "at most 40 characters"),
        ("../../etc/passwd", "letters, digits"),
        ("Autosave", "kept for the automatic save"),
        ("[bold]x[/]", "letters, digits"),
    ],
)
def test_a_slot_name_must_be_plain_and_not_the_autosave(name: str, problem: str) -> None:
    reason = saves.check_slot_name(name)
    assert reason is not None and problem in reason
    with pytest.raises(SaveError, match=problem.split(",")[0]):
        saves.save(campaign(), engine.new_game(campaign(), 1), name)


def test_saves_are_listed_newest_first_and_continue_takes_the_latest_autosave() -> None:
    mini, hostile = campaign(), campaign(HOSTILE)
    saves.save(mini, engine.new_game(mini, 1), "first")
    saves.autosave(mini, engine.replay(mini, 1, [0]))
    saves.autosave(hostile, engine.new_game(hostile, 1))
    listed = saves.list_saves()
    assert [(s.campaign, s.slot) for s in listed] == [("hostile", "autosave"), ("mini", "autosave"), ("mini", "first")]
    latest = saves.latest_autosave()
    assert latest is not None and latest.campaign == "hostile"
    assert [s.slot for s in saves.list_saves("mini")] == ["autosave", "first"]


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda text: text[: len(text) // 2], "cut short (truncated)"),
        (lambda text: "", "empty"),
        (lambda text: text.replace('"state"', '"stat"'), "damaged"),
        (lambda text: "[1, 2, 3]", "not a DealQuest save"),
        (lambda text: "{nonsense}", "damaged"),
    ],
)
def test_a_damaged_save_is_refused_with_a_reason_and_set_aside(damage, reason: str) -> None:  # type: ignore[no-untyped-def]
    mini = campaign()
    path = saves.autosave(mini, engine.replay(mini, 7, [0]))
    damaged = damage(path.read_text())
    path.write_text(damaged)
    with pytest.raises(SaveError, match=re.escape(reason)) as caught:
        saves.load(path, mini)
    assert "kept as autosave.damaged-" in str(caught.value)
    assert not path.exists()
    (kept,) = path.parent.glob("autosave.damaged-*.json.bak")
    assert kept.read_text() == damaged


def test_a_set_aside_file_never_overwrites_an_earlier_one() -> None:
    mini = campaign()
    for _ in range(3):
        path = saves.autosave(mini, engine.new_game(mini, 1))
        path.write_text("{")
        with pytest.raises(SaveError):
            saves.load(path, mini)
    assert len(list(path.parent.glob("autosave.damaged-*"))) == 3


def test_a_save_from_a_newer_dealquest_is_refused_and_kept() -> None:
    mini = campaign()
    path = saves.autosave(mini, engine.new_game(mini, 1))
    data = json.loads(path.read_text())
    data["format"] = saves.FORMAT_VERSION + 1
    path.write_text(json.dumps(data))
    with pytest.raises(SaveError, match="newer DealQuest"):
        saves.load(path, mini)
    assert path.exists()


def test_a_save_for_another_campaign_or_an_old_story_says_why() -> None:
    mini, hostile = campaign(), campaign(HOSTILE)
    path = saves.autosave(hostile, engine.new_game(hostile, 1))
    with pytest.raises(SaveError, match="for campaign 'hostile', not 'mini'"):
        saves.load(path, mini)
    path = saves.autosave(mini, engine.replay(mini, 7, [1, 1]))
    data = json.loads(path.read_text())
    data["state"]["scene"] = "gone"
    path.write_text(json.dumps(data))
    with pytest.raises(SaveError, match="saved scene 'gone' no longer exists"):
        saves.load(path, mini)
    assert path.exists()


def test_saves_and_debrief_do_not_import_textual() -> None:
    code = (
        "import sys\nimport dealquest.play.saves, dealquest.play.debrief\n"
        "assert not any(m.startswith('textual') for m in sys.modules), 'textual imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=MINI.parent.parent.parent)


# ---------------------------------------------------------------------------- which campaign a save is for


def installed(*folders: Path) -> list[tuple[Path, LoadResult]]:
    return [(folder, load_campaign(folder)) for folder in folders]


def test_a_save_of_the_campaign_being_played_gets_that_campaign_without_reading_the_others() -> None:
    mini = campaign()

    def unread() -> Iterator[tuple[Path, LoadResult]]:
        raise AssertionError("the installed campaigns were read")
        yield  # pragma: no cover

    assert saves.find_campaign("mini", playing=mini, installed=unread()) is mini


def test_a_save_finds_an_installed_campaign() -> None:
    found = saves.find_campaign("mini", playing=campaign(HOSTILE), installed=installed(HOSTILE, MINI))
    assert found.id == "mini" and found.folder == MINI


def test_an_installed_campaign_with_errors_is_named_with_how_to_check_it(tmp_path: Path) -> None:
    broken = broken_campaign("unknown_target", tmp_path)
    errors = sum(d.severity == "error" for d in load_campaign(broken).diagnostics)
    expected = f"campaign 'mini' has {errors} errors and cannot be played; run `dealquest validate {broken}`"
    with pytest.raises(SaveError, match=re.escape(expected)):
        saves.find_campaign("mini", str(MINI), installed=installed(broken))


def test_a_save_falls_back_on_the_folder_it_was_played_from(tmp_path: Path) -> None:
    assert saves.find_campaign("mini", str(MINI), installed=installed(HOSTILE)).folder == MINI
    broken = broken_campaign("unknown_target", tmp_path)
    with pytest.raises(SaveError, match=f"campaign 'mini' at {re.escape(str(broken))} has errors"):
        saves.find_campaign("mini", str(broken))


def test_a_campaign_found_nowhere_is_not_installed(tmp_path: Path) -> None:
    with pytest.raises(SaveError, match="campaign 'mini' is not installed here"):
        saves.find_campaign("mini", str(tmp_path / "gone"), installed=installed(HOSTILE))
    with pytest.raises(SaveError, match="campaign 'elsewhere' is not installed here"):
        saves.find_campaign("elsewhere", str(MINI), installed=installed(MINI))
