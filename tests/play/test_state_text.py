"""The engine and the debrief show every story text as the state has it (tests/fixtures/stateful)."""

from __future__ import annotations

from dealquest.play import debrief, engine

from ..conftest import FIXTURES, campaign

STATEFUL = FIXTURES / "stateful"


def test_choices_and_locked_hints_follow_the_state() -> None:
    story = campaign(STATEFUL)
    cold = engine.replay(story, 1, [1])  # the billboard: no case study
    views = engine.choices(story, cold)
    assert [(v.text, v.available, v.locked) for v in views] == [
        ("Start with the case study", False, "Needs a case study: marketing sent 0 notes and no study"),
        ("Wing it", True, None),
    ]
    prepared = engine.replay(story, 1, [0])
    views = engine.choices(story, prepared)
    assert [(v.text, v.available, v.locked) for v in views] == [
        ("Open with the case study", True, None),
        ("Wing it", True, None),
    ]
    assert engine.choices(story, cold)[0].locked == "Needs a case study: marketing sent 0 notes and no study"


def test_scene_fields_follow_the_state() -> None:
    story = campaign(STATEFUL)
    start = engine.new_game(story, 1)
    assert engine.text(start, story.scenes["research"].text) == (
        "You know nothing about the segment yet.\n\nDecide how to spend the month.\n"
    )
    prepared = engine.replay(story, 1, [0])
    brief = story.scenes["brief"]
    shown = [engine.text(prepared, t) for t in (brief.chapter, brief.title, brief.handoff)]
    assert shown == [
        "Calls, prepared",
        "The first call, case study in hand",
        "Marketing passed on 2 pieces of intel and a case study.",
    ]
    cold = engine.replay(story, 1, [1])
    shown = [engine.text(cold, t) for t in (brief.chapter, brief.title, brief.handoff)]
    assert shown == ["Calls, cold", "The first call", "Marketing passed on 0 pieces of intel."]


def test_feedback_narration_and_deadlines_follow_the_state_after_the_choice() -> None:
    story = campaign(STATEFUL)
    step = engine.choose(story, engine.new_game(story, 1), 0)
    assert step.feedback == "Listening to the segment finds what it craves, and the case study is written up for sales."
    step = engine.choose(story, engine.replay(story, 1, [1]), 1)
    assert step.narration == ("Somehow it works.", "The quarter closed.")
    step = engine.choose(story, engine.replay(story, 1, [0]), 1)
    assert step.narration == ("The notes save you.", "The quarter closed with the case study still unread.")


def test_the_debrief_tells_each_decision_as_it_was_shown() -> None:
    story = campaign(STATEFUL)
    state = engine.replay(story, 1, [0, 0])
    reviews = debrief.reviews(story, state)
    assert [(r.chapter, r.scene_title, r.choice_text) for r in reviews] == [
        ("Research", "What does the segment crave?", "Interview ten customers"),
        ("Calls, prepared", "The first call, case study in hand", "Open with the case study"),
    ]
    assert reviews[1].handoff == "Marketing passed on 2 pieces of intel and a case study."
    ending = debrief.build(story, state).ending
    assert ending is not None
    assert engine.text(state, ending.title) == "Signed, with the study"
    assert engine.text(state, ending.text) == "Marketing's notes carried the call."
