"""The story format: Pydantic models of campaign, scene and story-test files.

Every model forbids unknown fields, so a misspelt key is an error at its line rather than
something silently ignored. The semantic checks that need the whole campaign (targets,
reachability, state use) live in :mod:`dealquest.story.checks`.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Self, TypeGuard

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator
from pydantic_core import PydanticCustomError

Role = Literal["marketer", "salesperson"]
ROLES: tuple[Role, ...] = ("marketer", "salesperson")
Technique = Literal["push", "pull", "blend", "none"]
TECHNIQUES: tuple[Technique, ...] = ("push", "pull", "blend", "none")
#: Who a choice speaks to: one buyer, a small group, a buying committee, a market segment, the broad
#: market, or the player's own sales team (a marketer's brief, a handoff).
Addressee = Literal["one", "group", "committee", "segment", "market", "team"]
ADDRESSEES: tuple[Addressee, ...] = ("one", "group", "committee", "segment", "market", "team")
#: The techniques that are scored on the push/pull axis (`none`, research and listening, is not).
Move = Literal["push", "pull", "blend"]
Outcome = Literal["success", "partial", "failure"]
Lesson = Literal["facilitation", "aims", "audience", "horizon", "push_pull"]
LESSONS: tuple[Lesson, ...] = ("facilitation", "aims", "audience", "horizon", "push_pull")
Axis = Literal["push_pull", "audience", "closing"]
AXES: tuple[Axis, ...] = ("push_pull", "audience", "closing")

#: Bounds of a choice's marks on each axis, and of every score shown on the axes.
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


def given(name: str) -> dict[str, Any]:
    """JSON Schema: the field is written with a value (validate reads `name: null` as not written)."""
    return {"required": [name], "properties": {name: {"not": {"type": "null"}}}}


_FORMS = ("flag", "var", "all", "any", "not")
_COMPARATORS = ("eq", "ne", "lt", "lte", "gt", "gte")


def _condition_schema(schema: dict[str, Any]) -> None:
    # The rules of Condition._one_form, for editors: exactly one form; `var` with exactly one comparator.
    def only(form: str) -> dict[str, Any]:
        others = [given(f) for f in (*_FORMS, *_COMPARATORS) if f != form and (form != "var" or f in _FORMS)]
        rule: dict[str, Any] = {**given(form), "not": {"anyOf": others}}
        if form == "var":
            rule["oneOf"] = [given(op) for op in _COMPARATORS]
        return rule

    schema["oneOf"] = [only(form) for form in _FORMS]


class Condition(_Strict):
    """A test on the state, written as data: exactly one of the forms below."""

    model_config = ConfigDict(json_schema_extra=_condition_schema)

    flag: Ident | None = Field(None, description="True when this flag is set.")
    var: Ident | None = Field(None, description="A counter or flag compared with one operator.")
    eq: Value | None = Field(None, description="With var: equal to this (a number, or true/false for a flag).")
    ne: Value | None = Field(None, description="With var: not equal to this.")
    lt: Number | None = Field(None, description="With var: below this number.")
    lte: Number | None = Field(None, description="With var: at most this number.")
    gt: Number | None = Field(None, description="With var: above this number.")
    gte: Number | None = Field(None, description="With var: at least this number.")
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

    goto: Ident = Field(description="Where this branch leads: a scene or an ending.")
    weight: float = Field(
        1.0, ge=0, le=1000, description="Its share of the draw: weight / total of the branches switched on."
    )
    when: Condition | None = Field(None, description="The branch counts only while this holds.")
    bonus: float = Field(0.0, ge=0, le=1000, description="Added to weight while bonus_when holds.")
    bonus_when: Condition | None = Field(None, description="While this holds, bonus is added to weight.")
    text: Text | None = Field(None, description="Narration shown when this branch is taken.")
    label: ShortText | None = Field(None, description="What happens on this branch, as the odds show it.")
    luck: Literal["good", "bad"] | None = Field(
        None, description="Whether landing here is good or bad luck for a player who chose well."
    )


def _choice_schema(schema: dict[str, Any]) -> None:
    # The rules of Choice._one_target, for editors.
    # A marks line stands for the fields its words name (see dealquest.story.marks).
    def in_marks(*words: str, mark: bool = False) -> dict[str, Any]:
        return {"required": ["marks"], "properties": {"marks": {"pattern": _marks_term(*words, mark=mark)}}}

    def in_line(pattern: str) -> dict[str, Any]:
        return {"required": ["marks"], "properties": {"marks": {"pattern": pattern}}}

    def not_both(field: str, *in_line: dict[str, Any]) -> dict[str, Any]:
        return {"not": {"allOf": [given(field), {"anyOf": list(in_line)}]}}

    schema["allOf"] = [
        {"oneOf": [given("goto"), given("chance")]},
        {"anyOf": [given("addresses"), given("audience"), in_marks(*ADDRESSEES, "audience")]},
        {
            "if": given("push_pull"),
            "then": {
                "anyOf": [
                    {"required": ["technique"], "properties": {"technique": {"not": {"const": "none"}}}},
                    in_marks("push", "pull", "blend"),
                ]
            },
        },
        {"not": in_marks("none", mark=True)},
        not_both("technique", in_marks(*TECHNIQUES)),
        not_both("push_pull", in_marks(*TECHNIQUES, mark=True)),
        not_both("addresses", in_marks(*ADDRESSEES)),
        not_both("audience", in_marks("audience"), in_marks(*ADDRESSEES, mark=True)),
        not_both("closing", in_marks("closing")),
        not_both("pressure", in_marks("pressure")),
        *(
            {"not": in_line(_marks_twice(*words))}
            for words in (TECHNIQUES, ADDRESSEES, ("closing",), ("audience",), ("pressure",))
        ),
        {"not": {"allOf": [in_marks("audience"), in_marks(*ADDRESSEES, mark=True)]}},
    ]


def _marks_term(*words: str, mark: bool = False) -> str:
    """A pattern that finds a term of a marks line made of one of the words (and, with `mark`, a number)."""
    after = _MARK_NUMBER + "[^,]*" if mark else r"([ \t][^,]*)?"
    return r"(^|,)\s*(" + "|".join(words) + ")" + after + r"(,|$)"


def _marks_twice(*words: str) -> str:
    """A pattern that finds two terms of a marks line made of the words."""
    term = "(" + "|".join(words) + r")([ \t][^,]*)?"
    return r"(^|,)\s*" + term + r",(.*,)?\s*" + term + r"(,|$)"


#: The marks line, as the schema checks it (dealquest.story.marks reads it): terms separated by commas.
_MARK_NUMBER = r"[ \t]+[+-]?0*[0-2]"
_MARKS_TERM = (
    "((" + "|".join((*TECHNIQUES, *ADDRESSEES)) + f")({_MARK_NUMBER})?|(audience|closing){_MARK_NUMBER}|pressure)"
)
_MARKS_PATTERN = rf"^\s*{_MARKS_TERM}\s*(,\s*{_MARKS_TERM}\s*)*$"


class Choice(_Strict):
    """An option in a scene: where it leads, how it scores and what it teaches."""

    model_config = ConfigDict(json_schema_extra=_choice_schema)

    text: ShortText = Field(description="What the player picks.")
    marks: Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=_MARKS_PATTERN)] | None = Field(
        None,
        description=(
            "The marks on one line, instead of technique, push_pull, addresses, audience, closing and pressure:"
            " e.g. 'pull +2, one +2, closing +1'."
        ),
    )
    goto: Ident | None = Field(None, description="The scene or ending it leads to (or chance, not both).")
    chance: list[Branch] | None = Field(
        None,
        min_length=1,
        max_length=20,
        description="Weighted branches, one drawn when the choice is taken (or goto, not both).",
    )
    odds: Literal["before", "after"] = Field(
        "after", description="Show a chance choice's odds before the player picks it, or only after."
    )
    technique: Technique = Field("none", description="push, pull, blend, or none (research, listening).")
    push_pull: AxisScore | None = Field(
        None, description="Whether the technique suits this role now; default from the rubric's techniques."
    )
    addresses: Addressee | None = Field(None, description="Who the choice speaks to.")
    audience: AxisScore | None = Field(
        None, description="Whether that is who this role should address now; default from the addressee."
    )
    closing: AxisScore = Field(0, description="Movement toward a decision on the role's horizon.")
    pressure: bool = Field(False, description="Pressure the story condemns: closing never scores above zero.")
    breach: ShortText | None = Field(None, description="A breach of conduct, and why: the lowest verdict.")
    feedback: Text = Field(description="The teaching moment: what the customer or colleague did, and why.")
    lessons: list[Lesson] = Field(
        default_factory=list, description="Lesson tags: facilitation, aims, audience, horizon, push_pull."
    )
    requires: Condition | None = Field(None, description="The choice is available only while this holds.")
    locked: ShortText | None = Field(
        None, description="Shown, greyed, while `requires` fails; without it the choice is hidden."
    )
    set: dict[Ident, Value] = Field(default_factory=dict, description="Effects: a new value for flags and counters.")
    add: dict[Ident, Number] = Field(
        default_factory=dict, description="Effects: a change to counters, then clamped to [min, max]."
    )
    clamp: dict[Ident, tuple[Number, Number]] = Field(
        default_factory=dict, description="Effects: an extra [low, high] clamp for counters, for this choice only."
    )

    @model_validator(mode="before")
    @classmethod
    def _read_marks(cls, data: Any) -> Any:
        """A marks line becomes the fields it stands for, so the compact form is the long form's model."""
        if not isinstance(data, dict) or not isinstance(data.get("marks"), str):
            return data
        from dealquest.story import marks  # marks reads this module's words

        try:
            fields = marks.parse(data["marks"])
        except marks.MarksError as exc:
            raise PydanticCustomError(
                "marks", "{problem}", {"problem": exc.problem, "offset": exc.offset, "hint": exc.hint}
            ) from None
        for name in marks.FIELDS:
            if name in fields and data.get(name) is not None:
                raise PydanticCustomError(
                    "marks",
                    "{problem}",
                    {
                        "problem": f"'{name}' is given twice, in marks and as a field of its own",
                        "offset": None,
                        "field": name,
                        "hint": f"keep one: remove '{name}:' or its part of marks",
                    },
                )
        return {**{k: v for k, v in data.items() if k != "marks"}, **fields}

    @model_validator(mode="after")
    def _one_target(self) -> Choice:
        if (self.goto is None) == (self.chance is None):
            raise ValueError("a choice needs exactly one of 'goto' or 'chance'")
        if self.addresses is None and self.audience is None:
            raise ValueError("a choice needs 'addresses' (whom it speaks to) or an explicit 'audience' mark")
        if self.technique == "none" and self.push_pull is not None:
            raise ValueError("'push_pull' marks a technique: a choice with technique none has no push/pull mark")
        return self

    @field_validator("clamp")
    @classmethod
    def _ordered(cls, clamp: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
        for name, (low, high) in clamp.items():
            if low > high:
                raise ValueError(f"the clamp of '{name}' is [{low}, {high}]: the lower bound comes first")
        return clamp


class Scene(_Strict):
    id: Ident = Field(description="Unique across the whole campaign.")
    role: Role = Field(description="Who plays it: marketer or salesperson.")
    title: ShortText = Field(description="The scene's heading.")
    text: Text = Field(description="What happens, in Markdown; may follow the state.")
    chapter: ShortText | None = Field(None, description="Where the player is, shown in the app.")
    handoff: Text | None = Field(None, description="Shown as a handoff card when the role switches into this scene.")
    lessons: list[Lesson] = Field(
        default_factory=list, description="Lesson tags this scene teaches, added to every choice made in it."
    )
    addressees: dict[Addressee, AxisScore] = Field(
        default_factory=dict,
        description="Audience marks for who this scene's choices address, over the rubric's for the role.",
    )
    choices: list[Choice] = Field(min_length=1, max_length=MAX_CHOICES, description="1 to 9 options.")


class Ending(_Strict):
    id: Ident = Field(description="Unique across the whole campaign.")
    title: ShortText = Field(description="The ending's heading.")
    text: Text = Field(description="What happened; may follow the state.")
    outcome: Outcome = Field(description="success, partial or failure: reported beside the grade, never in it.")
    lessons: list[Lesson] = Field(default_factory=list, description="Lesson tags this ending teaches.")


class Hook(_Strict):
    """Extra choices a branch file adds to a scene defined elsewhere."""

    scene: Ident = Field(description="The scene, defined in another file, that gets the choices.")
    choices: list[Choice] = Field(
        min_length=1, max_length=MAX_CHOICES, description="Appended to the scene's own (a scene holds at most 9)."
    )


#: Scenes, endings or hooks in one file: a 4 MiB file holds about 1,400 scenes as writers write them.
#: Checked before the items, so a list of 200,000 junk items is one error, not 200,000.
MAX_ITEMS_PER_FILE = 5_000


class StoryFile(_Strict):
    """Any `*.yaml` file of a campaign folder."""

    scenes: list[Scene] = Field(
        default_factory=list, max_length=MAX_ITEMS_PER_FILE, description="The scenes this file defines."
    )
    endings: list[Ending] = Field(
        default_factory=list, max_length=MAX_ITEMS_PER_FILE, description="The endings this file defines."
    )
    hooks: list[Hook] = Field(
        default_factory=list,
        max_length=MAX_ITEMS_PER_FILE,
        description="Choices this file adds to scenes defined in other files.",
    )


def _whole(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _variable_schema(schema: dict[str, Any]) -> None:
    # The rules of Variable._consistent that need no arithmetic, for editors.
    is_flag = {"required": ["type"], "properties": {"type": {"const": "flag"}}}
    schema["allOf"] = [
        {
            "if": is_flag,
            "then": {
                "properties": {"initial": {"type": "boolean"}},
                "not": {"anyOf": [given("min"), given("max"), given("clock")]},
            },
            "else": {"properties": {"initial": {"type": "integer"}}},
        },
        {"if": {"required": ["show"], "properties": {"show": {"const": False}}}, "else": given("label")},
    ]


class Variable(_Strict):
    """A declared flag or counter. Counters are clamped to [min, max] after every effect."""

    model_config = ConfigDict(json_schema_extra=_variable_schema)

    type: Literal["counter", "flag"] = Field("counter", description="counter (a whole number) or flag (true or false).")
    initial: Value = Field(
        0,
        description="The starting value. Default: false for a flag; 0 for a counter, or its nearest bound when 0 "
        "is outside [min, max].",
    )
    min: Number | None = Field(None, description="A counter's lowest value: it is clamped to it after every change.")
    max: Number | None = Field(None, description="A counter's highest value: it is clamped to it after every change.")
    label: ShortText | None = Field(
        None, description="What the player sees in the state panel; required unless show is false."
    )
    show: bool = Field(True, description="Shown in the player's state panel.")
    clock: Literal["deal", "horizon"] | None = Field(
        None, description="Marks the sales deal clock (days) or the marketing horizon (quarters)."
    )

    @model_validator(mode="before")
    @classmethod
    def _default_initial(cls, data: Any) -> Any:
        """A flag starts false; a counter at 0, or at the bound nearest 0 when its range leaves 0 out."""
        if not isinstance(data, dict) or data.get("initial") is not None:
            return data
        if data.get("type") == "flag":
            return {**data, "initial": False}
        low, high = data.get("min"), data.get("max")
        if _whole(low) and low > 0:
            return {**data, "initial": low}
        if _whole(high) and high < 0:
            return {**data, "initial": high}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Variable:
        if self.show and self.label is None:
            raise ValueError("a variable shown in the state panel needs a label (or show: false)")
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
                low = "" if self.min is None else self.min
                high = "" if self.max is None else self.max
                raise ValueError(f"its initial value {self.initial} is outside [{low}, {high}] (min, max)")
        return self


class Deadline(_Strict):
    """A transition that fires once, after a choice, when its condition first holds."""

    id: Ident = Field(description="The deadline's id (a run records which deadlines fired).")
    when: Condition = Field(description="Fires after a choice, the first time this holds.")
    goto: Ident = Field(description="Where the story goes instead of where the choice led: a scene or an ending.")
    roles: list[Role] = Field(
        default_factory=lambda: list(ROLES), description="Checked only after choices made in scenes of these roles."
    )
    text: Text | None = Field(None, description="Shown when it fires.")


class RoleTarget(_Strict):
    """What one role is for: its aim, whom it addresses, and the marks its choices get by default."""

    push_share: float = Field(
        ge=0, le=1, description="The usual share of push in this role's moves (the debrief shows it; never scored)."
    )
    aim: ShortText = Field(description="What this role is trying to achieve, for the help screen.")
    audience: ShortText = Field(description="Who this role should be talking to.")
    techniques: dict[Move, AxisScore] = Field(
        default_factory=dict, description="Push/pull mark of each technique for this role, over the defaults."
    )
    addressees: dict[Addressee, AxisScore] = Field(
        default_factory=dict, description="Audience mark of each addressee for this role, over the defaults."
    )


def _weights_schema(schema: dict[str, Any]) -> None:
    # Weights._something_counts: not all three written as 0 (an axis left out weighs 1).
    schema["not"] = {"required": list(AXES), "properties": {axis: {"const": 0} for axis in AXES}}


class Weights(_Strict):
    """How much each axis counts in a choice's value and in the grade."""

    model_config = ConfigDict(json_schema_extra=_weights_schema)

    push_pull: float = Field(1.0, ge=0, le=100, description="The weight of the push/pull axis.")
    audience: float = Field(1.0, ge=0, le=100, description="The weight of the audience axis.")
    closing: float = Field(1.0, ge=0, le=100, description="The weight of the closing axis.")

    @model_validator(mode="after")
    def _something_counts(self) -> Weights:
        if not (self.push_pull or self.audience or self.closing):
            raise ValueError("the weights are all 0, so nothing would count in the grade")
        return self


class GradeBand(_Strict):
    min: float = Field(ge=0, le=100, description="The lowest percentage that gets this grade.")
    grade: Annotated[str, StringConstraints(min_length=1, max_length=3)] = Field(
        description="The grade, up to 3 characters."
    )
    label: ShortText = Field(description="The grade's name, shown beside it.")


class Verdict(_Strict):
    """A word for a choice's value (the mean of its marks, -2 to +2), from `min` up."""

    min: float = Field(
        ge=SCORE_MIN, le=SCORE_MAX, description="The lowest value (mean of the marks, -2 to +2) that gets this verdict."
    )
    label: ShortText = Field(description="The word shown for the choice.")
    good: bool = Field(False, description="Counts as a good choice (debrief, lessons, reports).")


def _default_verdicts() -> list[Verdict]:
    return [
        Verdict(min=1.5, label="Strong choice", good=True),
        Verdict(min=0.5, label="Good choice", good=True),
        Verdict(min=-0.5, label="Middling choice"),
        Verdict(min=-1.5, label="Weak choice"),
        Verdict(min=-2, label="Poor choice"),
    ]


class Rubric(_Strict):
    """How choices are marked, what the marks are called and how a run's marks become a grade.

    See "How scoring works" in docs/AUTHORING.md.
    """

    marketer: RoleTarget = Field(description="What the marketer is for and the marks of its moves.")
    salesperson: RoleTarget = Field(description="What the salesperson is for and the marks of its moves.")
    closing_ceiling: dict[Addressee, AxisScore] = Field(
        default_factory=dict,
        description="The most closing pressure this audience takes; above it, pressure backfires.",
    )
    backfire: float = Field(2.0, ge=0, le=10, description="Closing marks lost per point over the ceiling.")
    weights: Weights = Field(
        default_factory=Weights, description="How much each axis counts in a choice's value and in the grade."
    )
    verdicts: list[Verdict] = Field(
        default_factory=_default_verdicts,
        min_length=1,
        description="The words for a choice's value, highest min first, the last at -2.",
    )
    cap_below: int = Field(
        -1,
        ge=SCORE_MIN,
        le=0,
        description="A choice with any mark at or below this is never called good, whatever its mean.",
    )
    grades: list[GradeBand] = Field(min_length=1, description="Grade bands from the highest min to 0.")

    @model_validator(mode="after")
    def _bands(self) -> Rubric:
        mins = [b.min for b in self.grades]
        if mins != sorted(mins, reverse=True):
            raise ValueError("grades must be listed from the highest min to the lowest")
        if mins[-1] != 0:
            raise ValueError("the last grade band must have min: 0 so every score gets a grade")
        lows = [v.min for v in self.verdicts]
        if lows != sorted(lows, reverse=True):
            raise ValueError("verdicts must be listed from the highest min to the lowest")
        if lows[-1] != SCORE_MIN:
            raise ValueError(f"the last verdict must have min: {SCORE_MIN} so every choice gets one")
        return self


class CampaignFile(StoryFile):
    """`campaign.yaml`: the campaign-wide settings, plus scenes like any other file."""

    id: Ident = Field(description="The campaign's id: lowercase letters, digits and _, starting with a letter.")
    title: ShortText = Field(description="Shown on the title screen.")
    summary: Text = Field(description="One paragraph for the title screen and `dealquest list`.")
    version: Annotated[str, StringConstraints(pattern=r"^[0-9]{1,9}(\.[0-9]{1,9}){0,2}$")] = Field(  # ASCII digits
        description='One to three groups of digits with dots, quoted: "1.0", "2.3.1". Saves record it.'
    )
    start: Ident = Field(description="The id of the first scene.")
    state: dict[Ident, Variable] = Field(default_factory=dict, description="The variables the story keeps, by name.")
    deadlines: list[Deadline] = Field(
        default_factory=list, description="Transitions that fire after a choice when their condition first holds."
    )
    rubric: Rubric = Field(description="How choices are marked and how marks become a grade.")


# ---------------------------------------------------------------------------- story tests
# A campaign's `tests/*.yaml` files: each test a seed, the choices to make and what to expect.
# Replaying them through the engine is dealquest.authoring.storytests' work; the format is here.


class Bound(_Strict):
    """A number that must lie within bounds: gte and/or lte."""

    gte: float | None = Field(None, ge=-MAX_NUMBER, le=MAX_NUMBER, description="At least this.")
    lte: float | None = Field(None, ge=-MAX_NUMBER, le=MAX_NUMBER, description="At most this.")

    def holds(self, value: float) -> bool:
        return (self.gte is None or value >= self.gte - 1e-9) and (self.lte is None or value <= self.lte + 1e-9)

    def show(self) -> str:
        parts = [f">= {self.gte:g}" if self.gte is not None else "", f"<= {self.lte:g}" if self.lte is not None else ""]
        return " and ".join(p for p in parts if p)


class StoryStep(_Strict):
    at: Ident | None = Field(None, description="The scene this choice is made in.")
    choose: Annotated[int, Field(ge=1, le=9)] | Annotated[str, StringConstraints(max_length=500)] = Field(
        description="Choice number as the player sees it (1 is the first shown) or the start of its text."
    )
    lands: Ident | None = Field(None, description="Where the choice must lead.")
    draw: Ident | None = Field(
        None, description="For a chance choice: the branch to take, by where it goes (no seed hunting)."
    )


class Expect(_Strict):
    ending: Ident | None = Field(None, description="The ending the path must reach.")
    scene: Ident | None = Field(None, description="The scene the path must stop at (for unfinished paths).")
    grade: str | None = Field(None, description="The grade the run must get.")
    percent: Bound | None = Field(None, description="Bounds for the run's grade as a percentage.")
    axes: dict[Role, dict[Axis, Bound]] = Field(default_factory=dict, description="Axis scores from 0 to 1.")


class StoryTest(_Strict):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(
        description="What the test checks, shown when it fails."
    )
    seed: int = Field(
        1, ge=0, le=MAX_SEED, description="The seed of the run: the same seed draws the same chance branches."
    )
    path: list[StoryStep] = Field(default_factory=list, description="The choices to make, in order.")
    expect: Expect = Field(default_factory=Expect, description="What must hold where the path stops.")


class StoryTestFile(_Strict):
    tests: list[StoryTest] = Field(min_length=1, description="One or more story tests.")
