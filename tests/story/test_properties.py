"""Whatever text or YAML the loader is given, it answers with diagnostics or a campaign."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dealquest.story.loader import load_campaign
from dealquest.story.model import Variable
from dealquest.story.template import all_text, names, problems, render
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


# ---------------------------------------------------------------------------- text that follows the state

_SPEC = {
    "intel": Variable(initial=0, min=0, max=3, label="Intel"),
    "kit": Variable(type="flag", initial=False, label="Kit"),
}
_PIECES = ["{", "}", "|", ":", "{{", "}}", "{|}", "{}}", " ", "\n", "\n\n", "not ", " and ", " or ", "plural ",
           "intel", "kit", "x", "<", "<=", "=", "!=", ">=", "=>", "1", "-2", "true", "Gus nods.", ".", "é"]  # fmt: skip
brace_text = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join) | st.text(max_size=200)
values = st.fixed_dictionaries({"intel": st.integers(-5, 5), "kit": st.booleans()})


@settings(max_examples=600, deadline=None)
@given(text=brace_text, state=values)
def test_render_never_raises_and_problems_are_inside_the_text(text: str, state: dict[str, int | bool]) -> None:
    shown = render(text, state)
    assert isinstance(shown, str)
    assert render(text, state) == shown
    if "{" not in text and "}" not in text:
        assert shown is text
    for problem in problems(text, _SPEC, unchanged=()):
        assert 0 <= problem.offset < len(text), problem
        assert problem.message
    all_text(text)
    names(text)


@settings(max_examples=200, deadline=None)
@given(
    text=st.lists(
        st.sampled_from(["{", "{x}", "Gus", " ", "\n", "'", '"', "\\", "é", "\t", ":", "#", "-"]), max_size=25
    )
    .map("".join)
    .filter(lambda t: "{" in t),
    style=st.sampled_from([None, "'", '"', "|", ">"]),
)
def test_a_character_inside_any_text_value_is_located_where_it_was_written(text: str, style: str | None) -> None:
    written = yaml.dump({"pad": 1, "text": text}, default_style=style, allow_unicode=True, width=20)
    assume(yaml.safe_load(written)["text"] == text)  # PyYAML's folded style does not always read back
    source, diagnostics = parse_text(written, "x.yaml")
    assert diagnostics == []
    value = source.data["text"]
    assert value == text
    lines = written.splitlines()
    for offset, char in enumerate(value):
        if char == "{":
            line, column = source.where_char(("text",), value, offset)
            assert lines[line - 1][column - 1] == "{", (written, offset)
