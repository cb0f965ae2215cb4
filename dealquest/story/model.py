"""The story format: Pydantic models of campaign, scene and story-test files.

Every model forbids unknown fields, so a misspelt key is an error at its line rather than
something silently ignored. The semantic checks that need the whole campaign (targets,
reachability, state use) live in :mod:`dealquest.story.checks`.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

Role = Literal["marketer", "salesperson"]
ROLES: tuple[Role, ...] = ("marketer", "salesperson")
Technique = Literal["push", "pull", "blend", "none"]
Addressee = Literal["one", "group", "committee", "segment", "market"]
Outcome = Literal["success", "partial", "failure"]
Lesson = Literal["facilitation", "aims", "audience", "horizon", "push_pull"]
LESSONS: tuple[Lesson, ...] = ("facilitation", "aims", "audience", "horizon", "push_pull")
Axis = Literal["push_pull", "audience", "closing"]
AXES: tuple[Axis, ...] = ("push_pull", "audience", "closing")

#: Bounds of a choice's audience and closing scores.
SCORE_MIN = -2
SCORE_MAX = 2
#: The most choices a scene can offer (the keys 1 to 9), hooks included.
MAX_CHOICES = 9

#: The largest whole number a story holds (counters, effects, conditions): far above any story's
#: needs, and every figure computed from it stays exact and finite.
MAX_NUMBER = 1_000_000_000
MAX_SEED = 2**63 - 1

#: What every id and variable name looks like: a lowercase letter, then lowercase letters, digits
#: and _, 64 characters at most.
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
Ident = Annotated[str, StringConstraints(pattern=ID_PATTERN.pattern)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=500)]
AxisScore = Annotated[int, Field(ge=SCORE_MIN, le=SCORE_MAX)]
Number = Annotated[int, Field(ge=-MAX_NUMBER, le=MAX_NUMBER)]
Value = Number | bool


#: One set of "fields given" per distinct combination. Pydantic keeps such a set on every model;
#: a 10,000-scene campaign has a hundred thousand models but only a few dozen combinations, and
#: the models are frozen, so they can share them (pydantic copies the set before any change).
_FIELDS_GIVEN: dict[frozenset[str], set[str]] = {}


class _Strict(BaseModel):
    # No NaN or infinity anywhere: a "1e400" or "nan" text would otherwise become one.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)

    @model_validator(mode="after")
    def _share_fields_given(self) -> Self:
        given = self.__pydantic_fields_set__
        shared = _FIELDS_GIVEN.setdefault(frozenset(given), given)
        if shared is not given:
            object.__setattr__(self, "__pydantic_fields_set__", shared)
        return self


class Condition(_Strict):
    """A test on the state, written as data: exactly one of the forms below."""

    flag: Ident | None = Field(None, description="True when this flag is set.")
    var: Ident | None = Field(None, description="A counter or flag compared with one operator.")
    eq: Value | None = None
    ne: Value | None = None
    lt: Number | None = None
    lte: Number | None = None
    gt: Number | None = None
    gte: Number | None = None
    all: list[Condition] | None = Field(None, max_length=50, description="True when every one holds.")
    any: list[Condition] | None = Field(None, max_length=50, description="True when one holds.")
    not_: Condition | None = Field(None, alias="not", description="True when this one fails.")

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        forms = [n for n in ("flag", "var", "all", "any", "not_") if getattr(self, n) is not None]
        ops = [n for n in ("eq", "ne", "lt", "lte", "gt", "gte") if getattr(self, n) is not None]
        if len(forms) != 1:
            raise ValueError(
                "a condition takes exactly one of flag, var, all, any, not"
                + (f" (found {', '.join(f.rstrip('_') for f in forms)})" if forms else "")
            )
        if forms == ["var"] and len(ops) != 1:
            raise ValueError("'var' needs exactly one of eq, ne, lt, lte, gt, gte")
        if forms != ["var"] and ops:
            raise ValueError(f"'{ops[0]}' only goes with 'var'")
        return self


class Branch(_Strict):
    """One outcome of a chance choice: taken with probability weight / total weight."""

    goto: Ident
    weight: float = Field(1.0, ge=0, le=1000)
    when: Condition | None = Field(None, description="The branch counts only while this holds.")
    bonus: float = Field(0.0, ge=0, le=1000, description="Added to weight while bonus_when holds.")
    bonus_when: Condition | None = None
    text: Text | None = Field(None, description="Narration shown when this branch is taken.")


class Choice(_Strict):
    """An option in a scene: where it leads, how it scores and what it teaches."""

    text: ShortText
    goto: Ident | None = None
    chance: list[Branch] | None = Field(None, min_length=1, max_length=20)
    technique: Technique = "none"
    audience: AxisScore = 0
    closing: AxisScore = 0
    addresses: Addressee | None = Field(None, description="Who the choice speaks to.")
    feedback: Text
    lessons: list[Lesson] = Field(default_factory=list)
    requires: Condition | None = None
    locked: ShortText | None = Field(
        None, description="Shown, greyed, while `requires` fails; without it the choice is hidden."
    )
    set: dict[Ident, Value] = Field(default_factory=dict)
    add: dict[Ident, Number] = Field(default_factory=dict)
    clamp: dict[Ident, tuple[Number, Number]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_target(self) -> Choice:
        if (self.goto is None) == (self.chance is None):
            raise ValueError("a choice needs exactly one of 'goto' or 'chance'")
        return self

    @field_validator("clamp")
    @classmethod
    def _ordered(cls, clamp: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
        for name, (low, high) in clamp.items():
            if low > high:
                raise ValueError(f"the clamp of '{name}' is [{low}, {high}]: the lower bound comes first")
        return clamp


class Scene(_Strict):
    id: Ident
    role: Role
    title: ShortText
    text: Text
    chapter: ShortText | None = None
    handoff: Text | None = Field(None, description="Shown as a handoff card when the role switches into this scene.")
    lessons: list[Lesson] = Field(default_factory=list)
    choices: list[Choice] = Field(min_length=1, max_length=MAX_CHOICES)


class Ending(_Strict):
    id: Ident
    title: ShortText
    text: Text
    outcome: Outcome
    lessons: list[Lesson] = Field(default_factory=list)


class Hook(_Strict):
    """Extra choices a branch file adds to a scene defined elsewhere."""

    scene: Ident
    choices: list[Choice] = Field(min_length=1, max_length=MAX_CHOICES)


#: Scenes, endings or hooks in one file: a 4 MiB file holds about 1,400 scenes as writers write them.
#: Checked before the items, so a list of 200,000 junk items is one error, not 200,000.
MAX_ITEMS_PER_FILE = 5_000


class StoryFile(_Strict):
    """Any `*.yaml` file of a campaign folder."""

    scenes: list[Scene] = Field(default_factory=list, max_length=MAX_ITEMS_PER_FILE)
    endings: list[Ending] = Field(default_factory=list, max_length=MAX_ITEMS_PER_FILE)
    hooks: list[Hook] = Field(default_factory=list, max_length=MAX_ITEMS_PER_FILE)


class Variable(_Strict):
    """A declared flag or counter. Counters are clamped to [min, max] after every effect."""

    type: Literal["counter", "flag"] = "counter"
    initial: Value = 0
    min: Number | None = None
    max: Number | None = None
    label: ShortText
    show: bool = Field(True, description="Shown in the player's state panel.")
    clock: Literal["deal", "horizon"] | None = Field(
        None, description="Marks the sales deal clock (days) or the marketing horizon (quarters)."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Variable:
        if self.type == "flag":
            if not isinstance(self.initial, bool):
                raise ValueError("a flag's initial value is true or false")
            if self.min is not None or self.max is not None or self.clock:
                raise ValueError("a flag takes no min, max or clock")
        else:
            if isinstance(self.initial, bool):
                raise ValueError("a counter's initial value is a whole number")
            if self.min is not None and self.max is not None and self.min > self.max:
                raise ValueError(f"min ({self.min}) is above max ({self.max})")
            if (self.min is not None and self.initial < self.min) or (self.max is not None and self.initial > self.max):
                raise ValueError("initial value is outside [min, max]")
        return self


class Deadline(_Strict):
    """A transition that fires once, after a choice, when its condition first holds."""

    id: Ident
    when: Condition
    goto: Ident
    roles: list[Role] = Field(default_factory=lambda: list(ROLES))
    text: Text | None = None


class RoleTarget(_Strict):
    push_share: float = Field(ge=0, le=1, description="Target share of push among push/pull moves.")
    aim: ShortText = Field(description="What this role is trying to achieve, for the help screen.")
    audience: ShortText = Field(description="Who this role should be talking to.")


class Weights(_Strict):
    push_pull: float = Field(1.0, ge=0, le=100)
    audience: float = Field(1.0, ge=0, le=100)
    closing: float = Field(1.0, ge=0, le=100)
    outcome: float = Field(1.0, ge=0, le=100)

    @model_validator(mode="after")
    def _something_counts(self) -> Weights:
        if not (self.push_pull or self.audience or self.closing or self.outcome):
            raise ValueError("the weights are all 0, so nothing would count in the grade")
        return self


class GradeBand(_Strict):
    min: float = Field(ge=0, le=100)
    grade: Annotated[str, StringConstraints(min_length=1, max_length=3)]
    label: ShortText


def _default_outcomes() -> dict[Outcome, float]:
    return {"success": 1.0, "partial": 0.5, "failure": 0.0}


class Rubric(_Strict):
    """How choices become axis scores and totals become a grade; see docs/AUTHORING.md."""

    marketer: RoleTarget
    salesperson: RoleTarget
    mix_tolerance: float = Field(
        0.5, ge=0.01, le=1, description="A push share this far from the target scores zero (0.01 to 1)."
    )
    closing_ceiling: dict[Addressee, AxisScore] = Field(
        default_factory=dict,
        description="Closing pressure above this, for this audience, backfires.",
    )
    backfire: float = Field(2.0, ge=0, le=10, description="Points lost per point over the ceiling.")
    weights: Weights = Field(default_factory=Weights)
    outcomes: dict[Outcome, Annotated[float, Field(ge=0, le=1)]] = Field(
        default_factory=_default_outcomes, description="What an ending of each outcome is worth, from 0 to 1."
    )
    grades: list[GradeBand] = Field(min_length=1)

    @model_validator(mode="after")
    def _bands(self) -> Rubric:
        mins = [b.min for b in self.grades]
        if mins != sorted(mins, reverse=True):
            raise ValueError("grades must be listed from the highest min to the lowest")
        if mins[-1] != 0:
            raise ValueError("the last grade band must have min: 0 so every score gets a grade")
        return self


class CampaignFile(StoryFile):
    """`campaign.yaml`: the campaign-wide settings, plus scenes like any other file."""

    id: Ident
    title: ShortText
    summary: Text
    version: Annotated[str, StringConstraints(pattern=r"^[0-9]{1,9}(\.[0-9]{1,9}){0,2}$")]  # ASCII digits only
    start: Ident
    state: dict[Ident, Variable] = Field(default_factory=dict)
    deadlines: list[Deadline] = Field(default_factory=list)
    rubric: Rubric


# ---------------------------------------------------------------------------- story tests
# A campaign's `tests/*.yaml` files: each test a seed, the choices to make and what to expect.
# Replaying them through the engine is dealquest.authoring.storytests' work; the format is here.


class Bound(_Strict):
    """A number that must lie within bounds: gte and/or lte."""

    gte: float | None = Field(None, ge=-MAX_NUMBER, le=MAX_NUMBER)
    lte: float | None = Field(None, ge=-MAX_NUMBER, le=MAX_NUMBER)

    def holds(self, value: float) -> bool:
        return (self.gte is None or value >= self.gte - 1e-9) and (self.lte is None or value <= self.lte + 1e-9)

    def show(self) -> str:
        parts = [f">= {self.gte:g}" if self.gte is not None else "", f"<= {self.lte:g}" if self.lte is not None else ""]
        return " and ".join(p for p in parts if p)


class StoryStep(_Strict):
    at: Ident | None = Field(None, description="The scene this choice is made in.")
    choose: Annotated[int, Field(ge=1, le=9)] | Annotated[str, StringConstraints(max_length=500)] = Field(
        description="Choice number (1-based, as listed in the scene) or its text's start."
    )
    lands: Ident | None = Field(None, description="Where the choice must lead.")


class Expect(_Strict):
    ending: Ident | None = None
    scene: Ident | None = Field(None, description="The scene the path must stop at (for unfinished paths).")
    grade: str | None = None
    percent: Bound | None = None
    axes: dict[Role, dict[Axis, Bound]] = Field(default_factory=dict, description="Axis scores from 0 to 1.")


class StoryTest(_Strict):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    seed: int = Field(1, ge=0, le=MAX_SEED)
    path: list[StoryStep] = Field(default_factory=list)
    expect: Expect = Field(default_factory=Expect)


class StoryTestFile(_Strict):
    tests: list[StoryTest] = Field(min_length=1)
