"""Untrusted story files: structured mutations of real campaigns and raw bytes end in diagnostics
with a location, or in a valid campaign that plays; nothing else is ever raised.

CI runs a few hundred cases; `pytest -m fuzz` runs 10,000 of each kind.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dealquest.play import engine
from dealquest.story.loader import load_campaign
from dealquest.story.yamlsource import read_file

from ..conftest import FIXTURES

ROOT = Path(__file__).resolve().parent.parent.parent
#: Diagnostics about a folder rather than a place in a file carry no line.
FOLDER_LEVEL = {"DQ004", "DQ008", "DQ108"}
ODD_TEXT = [
    "",
    " ",
    "\u202e\u0645\u0631\u062d\u0628\u0627",
    "\u200b\u200d",
    "😀" * 50,
    "\x00\x07\x1b[31m",
    "{",
    "}}{{",
    "[bold]x[/]",
    "a" * 30_000,
    "\ud7ff\ue000",
    "NaN",
    "~",
    "null",
    "yes",
    "0x1F",
    "1e309",
]
ODD_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    10**30,
    -(10**30),
    1.5,
    float("inf"),
    [],
    {},
    [[[]]],
    {"x": {"y": {}}},
    *ODD_TEXT,
]


def campaigns() -> list[Path]:
    folders = [FIXTURES / "mini", ROOT / "dealquest" / "authoring" / "templates" / "new"]
    folders += sorted(p for p in (ROOT / "story").iterdir() if (p / "campaign.yaml").is_file())
    return folders


def _nodes(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _nodes(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _nodes(v, (*path, i))
    return out


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        data = data[p]
    return data


def mutate(data: Any, rng: random.Random, ids: list[str]) -> Any:
    """One structural mutation: a wrong type, a missing field, a deleted or duplicated item, a
    retargeted goto (cycles), odd unicode, a huge number or deep nesting."""
    paths = [p for p in _nodes(data) if p]
    if not paths:
        return rng.choice(ODD_VALUES)
    path = rng.choice(paths)
    parent = _get(data, path[:-1])
    key = path[-1]
    kind = rng.randrange(7)
    if kind == 0:
        parent[key] = rng.choice(ODD_VALUES)
    elif kind == 1 and isinstance(parent, dict):
        del parent[key]
    elif kind == 2 and isinstance(parent, list):
        del parent[key]
    elif kind == 3 and isinstance(parent, list):
        parent.append(parent[key])
    elif kind == 4:
        gotos = [p for p in paths if p[-1] == "goto"]
        if gotos:
            target = rng.choice(gotos)
            _get(data, target[:-1])[target[-1]] = rng.choice([*ids, "nowhere", rng.choice(ODD_TEXT)])
    elif kind == 5:
        value: Any = parent[key]
        for _ in range(rng.choice([5, 40, 70])):
            value = [value]
        parent[key] = value
    else:
        parent[key] = rng.choice(ODD_TEXT) if isinstance(parent[key], str) else rng.choice(ODD_VALUES)
    return data


def check(folder: Path) -> None:
    result = load_campaign(folder)
    assert result.campaign is not None or result.diagnostics
    for d in result.diagnostics:
        assert d.file and d.code.startswith("DQ") and d.message
        assert d.line >= 1 or d.code in FOLDER_LEVEL, d.format()
    if result.ok and result.campaign is not None:  # a valid campaign must also play
        campaign = result.campaign
        state = engine.new_game(campaign, 1)
        rng = random.Random(0)
        for _ in range(200):
            options = [v.index for v in engine.choices(campaign, state) if v.available]
            if state.ended or not options:
                break
            state = engine.choose(campaign, state, rng.choice(options)).state
        engine.score(campaign, state)


def run_mutation(tmp: Path, seed: int, rounds: int) -> None:
    rng = random.Random(seed)
    source = rng.choice(campaigns())
    folder = tmp / f"case{seed}"
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns("tests", ".*"))
    files = sorted(folder.glob("*.yaml"))
    loaded = {f: read_file(f, f.name)[0].data for f in files}
    ids = [
        item["id"]
        for data in loaded.values()
        if isinstance(data, dict)
        for key in ("scenes", "endings")
        for item in data.get(key) or []
        if isinstance(item, dict) and "id" in item
    ]
    for _ in range(rounds):
        target = rng.choice(files)
        loaded[target] = mutate(loaded[target], rng, [i for i in ids if isinstance(i, str)])
        target.write_text(yaml.safe_dump(loaded[target], allow_unicode=True, sort_keys=False), encoding="utf-8")
    check(folder)
    shutil.rmtree(folder)


_quick = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
_full = settings(max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck))


@_quick
@given(seed=st.integers(0, 2**32 - 1), rounds=st.integers(1, 4))
def test_mutated_campaigns_give_located_diagnostics_or_play(
    tmp_path_factory: pytest.TempPathFactory, seed: int, rounds: int
) -> None:
    run_mutation(tmp_path_factory.mktemp("fuzz"), seed, rounds)


@_quick
@given(data=st.binary(max_size=2000))
def test_raw_bytes_give_located_diagnostics(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    folder = tmp_path_factory.mktemp("bytes") / "mini"
    shutil.copytree(FIXTURES / "mini", folder)
    (folder / "sales.yaml").write_bytes(data)
    check(folder)


@pytest.mark.fuzz
@_full
@given(seed=st.integers(0, 2**32 - 1), rounds=st.integers(1, 6))
def test_fuzz_mutated_campaigns_at_full_size(tmp_path_factory: pytest.TempPathFactory, seed: int, rounds: int) -> None:
    run_mutation(tmp_path_factory.mktemp("fuzz"), seed, rounds)


@pytest.mark.fuzz
@_full
@given(data=st.binary(max_size=5000))
def test_fuzz_raw_bytes_at_full_size(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    folder = tmp_path_factory.mktemp("bytes") / "mini"
    shutil.copytree(FIXTURES / "mini", folder)
    (folder / "sales.yaml").write_bytes(data)
    check(folder)
