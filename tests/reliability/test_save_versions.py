"""A save from an older version of a campaign is never silently wrong."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dealquest.play import engine, saves
from dealquest.play.saves import SaveError
from dealquest.story.campaign import Campaign
from dealquest.story.loader import load_campaign

from ..conftest import MINI


def load(folder: Path) -> Campaign:
    result = load_campaign(folder)
    assert result.campaign is not None
    return result.campaign


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DEALQUEST_HOME", str(tmp_path / "home"))
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


def bump(folder: Path, old: str, new: str, where: str = "campaign.yaml") -> None:
    path = folder / where
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1).replace('version: "1.2"', 'version: "1.3"'))


def test_an_unchanged_path_resumes_exactly_and_quietly(folder: Path) -> None:
    state = engine.replay(load(folder), 7, [0])
    path = saves.autosave(load(folder), state)
    bump(folder, "Intel so far, {intel}.", "Intel gathered so far, {intel}.")
    resumed, note = saves.resume(saves.open_record(path), load(folder))
    assert resumed.scene == state.scene and resumed.decisions == state.decisions and note is None


def test_a_changed_path_resumes_at_the_same_scene_and_says_what_changed(folder: Path) -> None:
    state = engine.replay(load(folder), 7, [0])  # interview: intel 2, case study, at 'brief'
    path = saves.autosave(load(folder), state)
    bump(folder, "add: {intel: 2}", "add: {intel: 1}")
    resumed, note = saves.resume(saves.open_record(path), load(folder))
    assert resumed.scene == "brief" and resumed.vars == state.vars
    assert note is not None
    assert "saved with version 1.2, now version 1.3" in note and "resume at the same scene, 'brief'" in note


def test_a_save_whose_scene_is_gone_says_so_and_asks_for_a_new_game(folder: Path) -> None:
    path = saves.autosave(load(folder), engine.replay(load(folder), 7, [0]))
    bump(folder, "id: brief", "id: first_call", where="sales.yaml")
    bump(folder, "goto: brief\n", "goto: first_call\n")
    bump(folder, "goto: brief\n", "goto: first_call\n")
    with pytest.raises(SaveError, match=r"saved scene 'brief' no longer exists in version 1.3; start a new game"):
        saves.resume(saves.open_record(path), load(folder))
    assert path.exists()  # not damaged: kept for the player
