"""Settings that outlast a run: the theme is remembered; a damaged settings file loses nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from dealquest.tui.app import DealQuestApp
from dealquest.userdata.settings import load_settings, save_setting, settings_path


@pytest.fixture
def home(dealquest_home: Path) -> Path:
    """The folder the settings file lives in (the test's own, from tests/conftest.py)."""
    dealquest_home.mkdir(parents=True, exist_ok=True)
    return dealquest_home


def test_a_setting_is_saved_and_read_back_with_the_others_kept() -> None:
    assert load_settings() == ({}, None)
    assert save_setting("theme", "textual-light") is None
    assert save_setting("other", "x") is None
    assert load_settings() == ({"other": "x", "theme": "textual-light"}, None)


@pytest.mark.parametrize("text", ["{broken", "[1, 2]", "\xff\xfe"])
def test_a_damaged_settings_file_is_set_aside_and_the_defaults_used(home: Path, text: str) -> None:
    settings_path().write_bytes(text.encode("latin-1"))
    settings, problem = load_settings()
    assert settings == {}
    assert problem is not None and "was damaged" in problem and "set aside as settings.damaged-" in problem
    [kept] = home.glob("settings.damaged-*.json.bak")
    assert kept.read_bytes() == text.encode("latin-1")  # nothing lost
    assert not settings_path().exists()


def test_values_that_are_not_text_are_ignored(home: Path) -> None:
    settings_path().write_text('{"theme": 3, "ok": "yes"}', encoding="utf-8")
    assert load_settings() == ({"ok": "yes"}, None)


async def test_the_theme_chosen_is_the_theme_of_the_next_start() -> None:
    app = DealQuestApp(library=[])
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.theme == "textual-light"
    again = DealQuestApp(library=[])
    async with again.run_test() as pilot:
        await pilot.pause()
        assert again.theme == "textual-light"


async def test_an_unknown_theme_name_falls_back_to_the_default(home: Path) -> None:
    settings_path().write_text('{"theme": "no-such-theme"}', encoding="utf-8")
    app = DealQuestApp(library=[])
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"


def test_a_settings_file_nested_too_deep_for_json_is_set_aside(home: Path) -> None:
    settings_path().write_text("[" * 60_000, encoding="utf-8")
    settings, problem = load_settings()
    assert settings == {} and problem is not None and "was damaged" in problem
    assert len(list(home.glob("settings.damaged-*.json.bak"))) == 1


def test_a_settings_path_that_is_not_a_file_is_neither_read_nor_written(home: Path) -> None:
    settings_path().mkdir()
    settings, problem = load_settings()
    assert settings == {} and problem is not None and "is not a file" in problem
    assert save_setting("theme", "textual-light") is not None
    assert settings_path().is_dir()


def test_a_pipe_in_place_of_the_settings_file_does_not_hang_the_start(home: Path) -> None:
    import os

    os.mkfifo(settings_path())
    settings, problem = load_settings()  # reading a pipe would wait for a writer forever
    assert settings == {} and problem is not None and "is not a file" in problem
