"""Whatever text or YAML the loader is given, it answers with diagnostics or a campaign."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dealquest.story.loader import load_campaign
from dealquest.story.yamlsource import parse_text

from ..conftest import MINI

_settings = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30)
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner, max_size=6),
    max_leaves=30,
)
keys = st.sampled_from(
    [
        "scenes",
        "endings",
        "hooks",
        "id",
        "role",
        "choices",
        "goto",
        "text",
        "title",
        "feedback",
        "chance",
        "requires",
        "set",
        "add",
        "state",
        "rubric",
        "start",
    ]
)
story_like = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=6),
    max_leaves=40,
)


def _load_with(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")
    result = load_campaign(folder)
    assert result.campaign is not None or result.diagnostics
    for d in result.diagnostics:
        assert d.file and d.code.startswith("DQ") and d.message


@_settings
@given(text=st.text(max_size=400))
def test_arbitrary_text_gives_diagnostics_not_exceptions(text: str) -> None:
    _source, diagnostics = parse_text(text, "x.yaml")
    for d in diagnostics:
        assert d.line >= 1 and d.column >= 1


@_settings
@given(doc=documents | story_like)
def test_arbitrary_yaml_scene_file_gives_diagnostics_or_a_campaign(tmp_path_factory, doc: object) -> None:
    folder = tmp_path_factory.mktemp("c") / "mini"
    shutil.copytree(MINI, folder)
    _load_with(folder, "extra.yaml", yaml.safe_dump(doc, allow_unicode=True))


@_settings
@given(doc=story_like)
def test_arbitrary_yaml_campaign_file_gives_diagnostics_or_a_campaign(tmp_path_factory, doc: object) -> None:
    folder = tmp_path_factory.mktemp("c") / "mini"
    shutil.copytree(MINI, folder)
    _load_with(folder, "campaign.yaml", yaml.safe_dump(doc, allow_unicode=True))


@_settings
@given(data=st.binary(max_size=300))
def test_arbitrary_bytes_give_diagnostics(tmp_path_factory, data: bytes) -> None:
    folder = tmp_path_factory.mktemp("c") / "mini"
    shutil.copytree(MINI, folder)
    (folder / "extra.yaml").write_bytes(data)
    result = load_campaign(folder)
    assert result.campaign is not None or result.diagnostics
