from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from dealquest.story.campaign import Campaign
from dealquest.story.loader import load_campaign

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
HOSTILE = FIXTURES / "hostile"
#: With this seed the mini campaign's pilot branch (intel 2) lands on 'won'.
WINNING_SEED = 7


@pytest.fixture(autouse=True)
def dealquest_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test keeps its saves and settings in its own folder, never the player's."""
    home = tmp_path / "home"
    monkeypatch.setenv("DEALQUEST_HOME", str(home))
    return home


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the mini campaign."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


def broken_campaign(name: str, tmp_path: Path) -> Path:
    """The mini campaign with the files of tests/fixtures/broken/NAME laid over it."""
    target = tmp_path / name
    shutil.copytree(MINI, target)
    for path in (FIXTURES / "broken" / name).iterdir():
        shutil.copy(path, target / path.name)
    return target


def campaign(folder: Path = MINI) -> Campaign:
    """A campaign folder loaded; the test fails with the diagnostics when it does not load."""
    result = load_campaign(folder)
    assert result.campaign is not None, result.diagnostics
    return result.campaign


@pytest.fixture(scope="session")
def pg_server() -> Iterator[object]:
    """A throwaway PostgreSQL server for the whole session (see tests/pg.py); skips, saying why,
    where none can be started or psycopg is not installed."""
    from . import pg

    try:
        import psycopg  # noqa: F401
        import psycopg_pool  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed (pip install '.[postgres]')")
    try:
        server = pg.start()
    except pg.Unavailable as exc:
        pytest.skip(f"no PostgreSQL server for the tests: {exc}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: object) -> str:
    """The URL of an empty database of this test's own on the test server."""
    from .pg import Server

    assert isinstance(pg_server, Server)
    return pg_server.new_database()
