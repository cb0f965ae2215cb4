"""The JSON Schema an editor checks with rejects what `dealquest validate` rejects, and nothing it accepts.

Every shape of condition and choice below goes through both: the loader's models (what validate
runs) and a real JSON Schema validator over the schema `dealquest schema` prints. They must agree.
"""

from __future__ import annotations

import json
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from pydantic import ValidationError

from dealquest.story.library import bundled_root
from dealquest.story.loader import load_campaign
from dealquest.story.model import CampaignFile, StoryFile, StoryTestFile
from dealquest.story.schema import Kind, json_schema

from ..conftest import MINI

CAMPAIGNS = ("bistro", "dispatch", "launch", "rooftop")


@cache
def _validator(kind: Kind) -> Draft202012Validator:
    schema = json.loads(json_schema(kind))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _schema_accepts(kind: Kind, data: Any) -> bool:
    return _validator(kind).is_valid(data)


def _validate_accepts(kind: Kind, data: Any) -> bool:
    model = {"campaign": CampaignFile, "story": StoryFile, "tests": StoryTestFile}[kind]
    try:
        model.model_validate(data)
    except ValidationError:
        return False
    return True


def _choice(**fields: Any) -> dict[str, Any]:
    return {"text": "Call", "feedback": "She picks up on the second ring.", **fields}


def _story(choice: dict[str, Any]) -> dict[str, Any]:
    scene = {"id": "call", "role": "salesperson", "title": "A call", "text": "The phone.", "choices": [choice]}
    return {"scenes": [scene]}


# (a condition, whether validate accepts it)
CONDITIONS: list[tuple[Any, bool]] = [
    ({"flag": "kit"}, True),
    ({"var": "intel", "gte": 2}, True),
    ({"var": "kit", "eq": True}, True),
    ({"var": "intel", "ne": 0}, True),
    ({"all": [{"flag": "kit"}, {"var": "intel", "lt": 3}]}, True),
    ({"any": [{"flag": "kit"}]}, True),
    ({"not": {"flag": "kit"}}, True),
    ({"not": {"not": {"var": "intel", "gte": 1}}}, True),
    ({"flag": "kit", "var": None}, True),  # `var:` with nothing after it is not written
    ({"var": "intel", "gte": 2, "lt": None}, True),
    ({"flag": "kit", "var": "intel", "gte": 1}, False),  # two forms
    ({"var": "pipeline"}, False),  # no comparator
    ({"var": "p", "gte": 1, "lt": 3}, False),  # two comparators
    ({"flag": "kit", "gte": 1}, False),  # a comparator without var
    ({"all": [{"flag": "kit"}], "eq": 1}, False),
    ({"all": [{"flag": "kit"}], "any": [{"flag": "kit"}]}, False),
    ({}, False),  # no form at all
    ({"flag": None}, False),
    ({"var": "intel", "gte": None}, False),
    ({"not": {"var": "intel"}}, False),  # a broken condition inside a good one
    ({"all": [{"flag": "kit"}, {"var": "p", "gte": 1, "lt": 3}]}, False),
    ({"var": "intel", ">=": 2}, False),
    ({"var": "intel", "gte": 1.5}, False),
    ("intel >= 2", False),
]

# (the fields of a choice besides text and feedback, whether validate accepts it)
CHOICES: list[tuple[dict[str, Any], bool]] = [
    ({"goto": "won", "addresses": "one"}, True),
    ({"chance": [{"goto": "won"}, {"goto": "lost", "weight": 2}], "addresses": "one"}, True),
    ({"goto": "won", "audience": 1}, True),
    ({"goto": "won", "addresses": "one", "chance": None}, True),
    ({"goto": "won", "addresses": "one", "technique": "push", "push_pull": 2}, True),
    ({"goto": "won", "addresses": "one", "technique": "none"}, True),
    ({"goto": "won", "chance": [{"goto": "lost"}], "addresses": "one"}, False),  # both targets
    ({"addresses": "one"}, False),  # neither target
    ({"goto": None, "chance": None, "addresses": "one"}, False),
    ({"chance": [], "addresses": "one"}, False),
    ({"goto": "won"}, False),  # whom it speaks to: neither addresses nor audience
    ({"goto": "won", "addresses": None, "audience": None}, False),
    ({"goto": "won", "addresses": "one", "push_pull": 1}, False),  # a push/pull mark on technique none
    ({"goto": "won", "addresses": "one", "technique": "none", "push_pull": 1}, False),
    ({"goto": "won", "addresses": "one", "closing": 3}, False),
    ({"goto": "won", "addresses": "one", "requires": {"var": "intel"}}, False),
    ({"goto": "won", "addresses": "one", "requires": {"flag": "kit", "var": "x", "gte": 1}}, False),
    ({"chance": [{"goto": "won", "when": {"var": "p", "gte": 1, "lt": 3}}], "addresses": "one"}, False),
    # the compact form: one marks line for technique, push_pull, addresses, audience, closing and pressure
    ({"goto": "won", "marks": "pull +2, one +2, closing +1"}, True),
    ({"goto": "won", "marks": "pull, one, closing -1, pressure"}, True),
    ({"goto": "won", "marks": " none , segment , closing +0"}, True),
    ({"goto": "won", "marks": "audience +1, closing 0"}, True),
    ({"goto": "won", "marks": "pull, one", "push_pull": 2}, True),
    ({"goto": "won", "marks": "push, closing 1", "addresses": "team"}, True),
    ({"goto": "won", "marks": "push, one", "audience": -1}, True),
    ({"goto": "won", "marks": "push, audience 1", "addresses": "one"}, True),
    ({"goto": "won", "marks": "push, closing +1"}, False),  # whom it speaks to: nowhere
    ({"goto": "won", "marks": "none +1, one"}, False),
    ({"goto": "won", "marks": "none, one", "push_pull": 1}, False),
    ({"goto": "won", "marks": "push, one", "technique": "push"}, False),
    ({"goto": "won", "marks": "push +1, one", "push_pull": 1}, False),
    ({"goto": "won", "marks": "push, one", "addresses": "one"}, False),
    ({"goto": "won", "marks": "push, one +1", "audience": 1}, False),
    ({"goto": "won", "marks": "push, audience 1", "audience": 1}, False),
    ({"goto": "won", "marks": "push, one, closing 1", "closing": 0}, False),
    ({"goto": "won", "marks": "push, one, pressure", "pressure": False}, False),
    ({"goto": "won", "marks": "pushy, one"}, False),
    ({"goto": "won", "marks": "push, one +3"}, False),
    ({"goto": "won", "marks": "push, one, closing"}, False),
    ({"goto": "won", "marks": "push, one, pressure 1"}, False),
    ({"goto": "won", "marks": "push one"}, False),
    ({"goto": "won", "marks": "push, , one"}, False),
    ({"goto": "won", "marks": ""}, False),
    ({"goto": "won", "marks": "push, pull, one"}, False),
    ({"goto": "won", "marks": "push, one, team"}, False),
    ({"goto": "won", "marks": "push, one, closing 1, closing 2"}, False),
    ({"goto": "won", "marks": "push, one +1, audience 2"}, False),
    ({"goto": "won", "marks": "push, one, pressure, pressure"}, False),
    ({"goto": "won", "marks": 2, "addresses": "one"}, False),
]


@pytest.mark.parametrize(("condition", "accepted"), CONDITIONS, ids=[json.dumps(c) for c, _ in CONDITIONS])
def test_schema_and_validate_agree_on_a_condition(condition: Any, accepted: bool) -> None:
    data = _story(_choice(goto="won", addresses="one", requires=condition))
    assert _validate_accepts("story", data) is accepted
    assert _schema_accepts("story", data) is accepted


@pytest.mark.parametrize(("fields", "accepted"), CHOICES, ids=[json.dumps(c) for c, _ in CHOICES])
def test_schema_and_validate_agree_on_a_choice(fields: dict[str, Any], accepted: bool) -> None:
    data = _story(_choice(**fields))
    assert _validate_accepts("story", data) is accepted
    assert _schema_accepts("story", data) is accepted


@pytest.mark.parametrize(
    ("weights", "accepted"),
    [({"push_pull": 0, "audience": 0, "closing": 0}, False), ({"push_pull": 0, "audience": 0}, True), ({}, True)],
)
def test_schema_and_validate_agree_on_weights(weights: dict[str, float], accepted: bool) -> None:
    data = yaml.safe_load((MINI / "campaign.yaml").read_text())
    data["rubric"]["weights"] = weights
    assert _validate_accepts("campaign", data) is accepted
    assert _schema_accepts("campaign", data) is accepted


# What the issue found the schema let through, as a writer writes it: validate's message and place.
FOUND = [
    (
        "requires: {flag: case_study}",
        "requires: {flag: case_study, var: intel, gte: 1}",
        (9, 19),
        "a condition takes exactly one of flag, var, all, any, not (found flag, var)",
    ),
    (
        "bonus_when: {var: intel, gte: 2}",
        "bonus_when: {var: intel}",
        (44, 58),
        "'var' needs exactly one of eq, ne, lt, lte, gt, gte",
    ),
    (
        "bonus_when: {var: intel, gte: 2}",
        "bonus_when: {var: intel, gte: 1, lt: 3}",
        (44, 58),
        "'var' needs exactly one of eq, ne, lt, lte, gt, gte",
    ),
    (
        "        goto: lost\n      - text: Propose",
        "        goto: lost\n        chance: [{goto: won}]\n      - text: Propose",
        (31, 9),
        "a choice needs exactly one of 'goto' or 'chance'",
    ),
    (
        "        add: {days_left: -10}\n        goto: pitch\n",
        "        add: {days_left: -10}\n",
        (46, 9),
        "a choice needs exactly one of 'goto' or 'chance'",
    ),
]


@pytest.mark.parametrize(("old", "new", "where", "message"), FOUND)
def test_what_the_schema_let_through_is_rejected_by_both(
    tmp_path: Path, old: str, new: str, where: tuple[int, int], message: str
) -> None:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    sales = folder / "sales.yaml"
    text = sales.read_text()
    assert old in text
    sales.write_text(text.replace(old, new, 1))

    errors = [d for d in load_campaign(folder).diagnostics if d.severity == "error"]
    assert [(d.code, d.line, d.column) for d in errors] == [("DQ014", *where)], [d.format() for d in errors]
    assert message in errors[0].message

    assert not _schema_accepts("story", yaml.safe_load(sales.read_text()))


@pytest.mark.parametrize("name", CAMPAIGNS)
def test_every_file_of_a_bundled_campaign_passes_the_schema(name: str) -> None:
    folder = bundled_root() / name
    files = sorted(folder.rglob("*.yaml"))
    assert len(files) > 3
    for path in files:
        relative = path.relative_to(folder)
        kind: Kind = "tests" if relative.parts[0] == "tests" else "story"
        if relative == Path("campaign.yaml"):
            kind = "campaign"
        errors = [e.message for e in _validator(kind).iter_errors(yaml.safe_load(path.read_text(encoding="utf-8")))]
        assert errors == [], (str(relative), errors[:3])


# (a variable under state:, whether validate accepts it)
VARIABLES: list[tuple[dict[str, Any], bool]] = [
    ({"label": "Intel"}, True),
    ({"type": "flag", "label": "Kit ready"}, True),  # a flag starts false
    ({"type": "flag", "initial": True, "label": "Kit ready"}, True),
    ({"min": 1, "max": 5, "show": False}, True),  # hidden: no label needed; starts at 1
    ({"type": "flag", "show": False}, True),
    ({"initial": 3, "min": 0, "max": 5, "label": "Intel"}, True),
    ({}, False),  # shown, so it needs a label
    ({"show": True, "initial": 1}, False),
    ({"type": "flag", "initial": 0, "label": "Kit"}, False),
    ({"initial": True, "label": "Intel"}, False),
    ({"type": "flag", "min": 0, "label": "Kit"}, False),
    ({"type": "flag", "clock": "deal", "label": "Kit"}, False),
]


@pytest.mark.parametrize(("variable", "accepted"), VARIABLES, ids=[json.dumps(v) for v, _ in VARIABLES])
def test_schema_and_validate_agree_on_a_variable(variable: dict[str, Any], accepted: bool) -> None:
    data = yaml.safe_load((MINI / "campaign.yaml").read_text())
    data["state"]["extra"] = variable
    assert _validate_accepts("campaign", data) is accepted
    assert _schema_accepts("campaign", data) is accepted
