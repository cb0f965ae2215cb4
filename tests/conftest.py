from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"


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
