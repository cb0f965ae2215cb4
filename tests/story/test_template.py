"""Text that follows the state: every form rendered, malformed braces shown as written and located."""

from __future__ import annotations

import time

import pytest

from dealquest.story.diagnostics import Location
from dealquest.story.model import Variable
from dealquest.story.template import all_text, names, parse, problems, render

STATE: dict[str, int | bool] = {
    "tide_card": True,
    "newsletter": False,
    "intel": 3,
    "one": 1,
    "none": 0,
    "days_left": 5,
    "discount": -10,
}

# text -> what the player sees with STATE
RENDERED = {
    # plain text and {name}, as before
    "No braces at all.": "No braces at all.",
    "Quarter {intel}.": "Quarter 3.",
    "{ intel } spaces inside": "3 spaces inside",
    "Kit ready: {tide_card}, newsletter: {newsletter}": "Kit ready: yes, newsletter: no",
    "Debt {discount}": "Debt -10",
    "{{intel}} and {{{intel}}}": "{intel} and {3}",
    # alternatives
    "{tide_card: Gus taps the card.|Gus frowns at the empty board.}": "Gus taps the card.",
    "{newsletter: Issue one is out.|No newsletter yet.}": "No newsletter yet.",
    "{tide_card: Shown.}": "Shown.",
    "{newsletter: Hidden.}": "",
    "{not newsletter: Start one.}": "Start one.",
    "{not not tide_card: Double negation.}": "Double negation.",
    "{intel: Some intel.|None.}": "Some intel.",
    "{none: Some intel.|None.}": "None.",
    # comparisons, every operator
    "{days_left < 7: Hurry.}": "Hurry.",
    "{days_left <= 5: a}{days_left > 5: b}{days_left >= 5: c}": "ac",
    "{intel = 3: eq}{intel == 3: eq2}{intel != 3: ne}": "eqeq2",
    "{discount = -10: minus ten}": "minus ten",
    "{tide_card = true: T}{newsletter = false: F}{tide_card != false: N}": "TFN",
    "{missing: shown|not shown}": "not shown",
    # and / or, `and` binding tighter
    "{tide_card and intel > 2: both}": "both",
    "{tide_card and newsletter: both|not both}": "not both",
    "{newsletter or intel > 2: either}": "either",
    "{tide_card or newsletter and none: a}": "a",  # tide_card or (newsletter and none)
    "{newsletter and none or intel = 3: b}": "b",  # (newsletter and none) or intel = 3
    "{newsletter or none and tide_card: c|not c}": "not c",
    # plurals: 0, 1, 2 and more, negative one
    "{plural intel: piece|pieces}": "3 pieces",
    "{plural one: piece|pieces}": "1 piece",
    "{plural none: piece|pieces}": "0 pieces",
    "{plural days_left: day|days} left": "5 days left",
    # nesting: both branches may hold {name}, plurals and further alternatives
    "{tide_card: You have {plural intel: piece|pieces}}": "You have 3 pieces",
    "{tide_card: Gus has {intel} notes.|Nothing.}": "Gus has 3 notes.",
    "{newsletter: x|{tide_card: inner yes|inner no}}": "inner yes",
    "{tide_card: {newsletter: a|b}|c}": "b",
    "{plural intel: {tide_card: card|note}|{tide_card: cards|notes}}": "3 cards",
    "{tide_card: Gus says: fine|no}": "Gus says: fine",
    # branches are trimmed; an empty alternative takes a space or its line with it
    "{tide_card:   spaced   |x}": "spaced",
    "Gus nods {newsletter: happily}.": "Gus nods.",
    "Gus {newsletter: slowly} nods.": "Gus nods.",
    "{newsletter: Slowly} Gus nods.": "Gus nods.",
    "Gus nods {newsletter: happily}": "Gus nods",
    "Gus {newsletter: a} {newsletter: b} nods.": "Gus nods.",
    "Tom{newsletter: and Ann}'s stall": "Tom's stall",
    "A\n\n{newsletter: Para.}\n\nB": "A\n\nB",
    "A\n\n{newsletter: Para.}\n\nB\n": "A\n\nB\n",
    "{newsletter: Para.}\n\nB": "B",
    "A\n\n{newsletter: Para.}\n": "A\n",
    "A\n\n{newsletter: Para.}": "A",
    "- one\n{newsletter: - two}\n- three": "- one\n- three",
    "A\n\n{newsletter: Para one.\n\nPara two.|Other.\n\nMore.}\n\nB": "A\n\nOther.\n\nMore.\n\nB",
    "A\n\n{tide_card: Para one.\n\nPara two.}\n\nB": "A\n\nPara one.\n\nPara two.\n\nB",
    "A\n\n{newsletter: x}\n\n{newsletter: y}\n\nB": "A\n\nB",
    # escapes
    "{|}": "|",
    "a | b": "a | b",
    "{tide_card: turbot {|} hake|none}": "turbot | hake",
    "{tide_card: a {{ b {}} c}": "a { b } c",
    "Set {{x}}: {|}": "Set {x}: |",
    "{{|}}": "{|}",
    "colon: fine | bar: fine": "colon: fine | bar: fine",
}

# malformed input is shown as written (the parts that can be read still render)
AS_WRITTEN = {
    "{intel.count} pieces": "{intel.count} pieces",
    "{Intel}": "{Intel}",
    "{}": "{}",
    "{oops: never closed": "{oops: never closed",
    "{oops: never {intel} closed": "{oops: never 3 closed",
    "stray } brace": "stray } brace",
    "{days_left => 3: x}": "{days_left => 3: x}",
    "{not tide_card}": "{not tide_card}",
    "{days_left < 7}": "{days_left < 7}",
    "{tide_card: a|b|c}": "{tide_card: a|b|c}",
    "{plural intel: pieces}": "{plural intel: pieces}",
    "{plural tide card: x|y}": "{plural tide card: x|y}",
    "{tide_card and: x}": "{tide_card and: x}",
    "{: x}": "{: x}",
    "{intel < many: x}": "{intel < many: x}",
    "{a b: x}": "{a b: x}",
    "{tide_card {intel}: x}": "{tide_card {intel}: x}",
    "Before {tide_card: ok} {bad.name} after {intel}": "Before ok {bad.name} after 3",
    "{unknown_var} stays": "{unknown_var} stays",
    "{plural unknown_var: a|b}": "{plural unknown_var: a|b}",
}


@pytest.mark.parametrize(("text", "shown"), RENDERED.items())
def test_every_form_renders(text: str, shown: str) -> None:
    assert render(text, STATE) == shown
    assert problems(text) == [], problems(text)


@pytest.mark.parametrize(("text", "shown"), AS_WRITTEN.items())
def test_unreadable_braces_stay_as_written(text: str, shown: str) -> None:
    assert render(text, STATE) == shown
    if "unknown_var" not in text:
        assert [p.code for p in problems(text)] == ["DQ107"]


def test_plural_counts() -> None:
    for count, shown in [(0, "0 pieces"), (1, "1 piece"), (2, "2 pieces"), (-1, "-1 piece"), (11, "11 pieces")]:
        assert render("{plural n: piece|pieces}", {"n": count}) == shown


def test_text_without_braces_is_the_same_object() -> None:
    text = "".join(["A long scene ", "with no braces at all."])
    assert render(text, STATE) is text


def test_parsed_templates_are_cached() -> None:
    text = "".join(["{tide_card: ", "cached|not}"])
    assert parse(text) is parse("{tide_card: cached|not}")


def test_render_is_fast() -> None:
    text = "Day {days_left}. {tide_card: Gus taps {plural intel: note|notes}.|Nothing.} " * 20
    render(text, STATE)
    began = time.perf_counter()
    for _ in range(2000):
        render(text, STATE)
    per_call = (time.perf_counter() - began) / 2000
    assert per_call < 0.001, per_call


def test_deep_and_long_malformed_input_is_shown_quickly() -> None:
    # 2,500 braces never closed, then 2,500 nested far deeper than allowed
    text = "{tide_card: " * 5000 + "x" + "}" * 2500
    began = time.perf_counter()
    shown = render(text, STATE)
    assert time.perf_counter() - began < 1
    assert shown.startswith("{tide_card: " * 2500)
    assert shown.endswith("x" + "}" * (2500 - 16))  # the 16 levels allowed render; the rest is as written
    messages = {p.message.split("'")[-1] for p in problems(text)}
    assert messages == {" in the text is never closed", "braces nest deeper than 16 levels"}


def test_names_and_all_text() -> None:
    text = "{tide_card: {plural intel: piece|pieces}|none} {days_left} {discount < 0 and not newsletter: x}"
    assert names(text) == {"tide_card", "intel", "days_left", "discount", "newsletter"}
    assert all_text(text).split() == ["piece", "pieces", "none", "days_left", "x"]
    assert all_text("no braces") == "no braces"


# ---------------------------------------------------------------------------------------- problems

SPEC = {
    "tide_card": Variable(type="flag", initial=False, label="Tide card"),
    "intel": Variable(initial=0, min=0, max=2, label="Intel"),
    "days_left": Variable(initial=20, min=0, max=20, label="Days"),
    "budget": Variable(initial=5, label="Budget"),
    "steady": Variable(initial=1, min=0, max=3, label="Never changed"),
}

# text -> (code, offset of the offending character, words in the message)
PROBLEMS = {
    "{intell}": ("DQ105", 1, "the variable 'intell' is not declared"),
    "Left: {plural dayz_left: day|days}": ("DQ105", 14, "'dayz_left' is not declared"),
    "{tide_card and intell > 1: x}": ("DQ105", 15, "'intell'"),
    "{tide_card: {intell}}": ("DQ105", 13, "'intell'"),
    "{plural tide_card: card|cards}": ("DQ106", 8, "'tide_card' is a flag; a plural needs a counter"),
    "{tide_card = 1: x}": ("DQ106", 13, "'tide_card' is a flag; compare it with true or false"),
    "{tide_card > 0: x}": ("DQ106", 13, "'tide_card' is a flag"),
    "{intel = true: x}": ("DQ106", 9, "'intel' is a counter; compare it with a whole number"),
    "Hi {days_left < 0: never}": ("DQ208", 4, "'days_left < 0' can never hold: days_left stays between 0 and 20"),
    "{intel >= 0: always}": ("DQ208", 1, "'intel >= 0' always holds"),
    "{not days_left > 20: x}": ("DQ208", 1, "'not days_left > 20' always holds"),
    "{intel < 2 or intel >= 2: x}": ("DQ208", 1, "the condition 'intel < 2 or intel >= 2' always holds"),
    "{tide_card and not tide_card: x}": ("DQ208", 1, "can never hold"),
    "{steady > 1: x}": ("DQ204", 1, "'steady' is tested but no choice ever changes it"),
    "x {intel.count}": ("DQ107", 2, "'{intel.count}' in the text is not a variable name"),
    "ok }": ("DQ107", 3, "'}' in the text has no '{' before it"),
    "open {tide_card: x": ("DQ107", 5, "is never closed"),
    "{intel => 1: x}": ("DQ107", 7, "unknown operator '=>'"),
    "{intel ≥ 1: x}": ("DQ107", 7, "unknown operator '≥'"),
    "{not tide_card}": ("DQ107", 14, "needs ':' and the text to show"),
    "{tide_card: a|b|c}": ("DQ107", 15, "has more than two texts"),
    "{plural intel: piece}": ("DQ107", 20, "needs two forms"),
    "{tide_card and: x}": ("DQ107", 14, "a condition is missing before ':'"),
    "{intel < lots: x}": ("DQ107", 9, "'<' is followed by 'lots'"),
    "{Tide_card: x}": ("DQ107", 1, "'Tide_card' is not a variable name"),
}


@pytest.mark.parametrize(("text", "expected"), PROBLEMS.items())
def test_problems_name_the_offending_character(text: str, expected: tuple[str, int, str]) -> None:
    code, offset, words = expected
    found = problems(text, SPEC, unchanged={"steady"})
    assert len(found) == 1, found
    (problem,) = found
    assert (problem.code, problem.offset) == (code, offset), problem
    assert words in problem.message, problem.message


def test_unknown_variables_get_a_suggestion() -> None:
    (problem,) = problems("{plural intell: a|b}", SPEC)
    assert problem.at(Location("f.yaml", 1, 9)).format() == (
        "f.yaml:1:9: error[DQ105]: the variable 'intell' is not declared (did you mean 'intel'?)"
    )
    (problem,) = problems("{zzz}", SPEC)
    assert problem.at(Location("f.yaml")).hint == "declare it under state: in campaign.yaml"


def test_conditions_that_can_vary_are_fine() -> None:
    for text in [
        "{tide_card: a|b}",
        "{intel > 0: a}",
        "{intel = 2 and not tide_card: a}",
        "{days_left < 7 or tide_card: a}",
        "{budget > 1000: a}",  # no max: it may get there
        "{plural intel: note|notes} {days_left}",
    ]:
        assert problems(text, SPEC, unchanged={"steady"}) == [], text
