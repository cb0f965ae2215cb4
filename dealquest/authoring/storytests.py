"""Expected-path story tests: a campaign's `tests/*.yaml` files, replayed against the story.

A test is a seed and a list of choices, each optionally saying which scene it is made in and
where it should land, and at the end the ending, grade or axis scores expected. A failure names
the test file and the line of the step or expectation that no longer holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from dealquest.play import engine
from dealquest.story.campaign import Campaign
from dealquest.story.diagnostics import Diagnostic
from dealquest.story.files import story_test_files
from dealquest.story.model import ROLES, Ending, Scene, StoryTest, StoryTestFile
from dealquest.story.schemaerrors import schema_diagnostics
from dealquest.story.text import clean
from dealquest.story.yamlsource import Source, read_file


@dataclass(frozen=True)
class StoryTestResult:
    file: str
    line: int
    column: int
    name: str
    passed: bool
    message: str = ""

    def format(self) -> str:
        verdict = "ok" if self.passed else f"FAILED: {self.message}"
        return clean(f"{self.file}:{self.line}:{self.column}: test '{self.name}': {verdict}", visible=True, line=True)


def run_story_tests(campaign: Campaign, shown: str) -> tuple[list[StoryTestResult], list[Diagnostic]]:
    """Run every test file of the campaign; malformed test files give diagnostics."""
    results: list[StoryTestResult] = []
    listing = story_test_files(campaign.folder, shown)
    diags: list[Diagnostic] = listing.diagnostics
    for path, name in listing.files:
        source, found = read_file(path, name)
        if found:
            diags += found
            continue
        try:
            parsed = StoryTestFile.model_validate(source.data)
        except ValidationError as exc:
            diags += schema_diagnostics(exc, source, StoryTestFile)
            continue
        for i, test in enumerate(parsed.tests):
            results.append(_run(campaign, test, source, ("tests", i)))
    return results, diags


def _pick(campaign: Campaign, state: engine.GameState, scene: Scene, choose: int | str) -> int | None:
    """The choice a step names: by number, or by the start of its text as shown now (or as written)."""
    if isinstance(choose, int):
        return choose - 1 if 1 <= choose <= len(scene.choices) else None
    wanted = choose.strip().lower()
    for texts in ((engine.text(state, c.text) for c in scene.choices), (c.text for c in scene.choices)):
        for i, shown in enumerate(texts):
            if shown.lower().startswith(wanted):
                return i
    return None


def _run(campaign: Campaign, test: StoryTest, source: Source, at: tuple[str | int, ...]) -> StoryTestResult:
    def result(passed: bool, message: str = "", *where: str | int) -> StoryTestResult:
        line, col = source.where((*at, *where))
        return StoryTestResult(source.name, line, col, test.name, passed, message)

    state = engine.new_game(campaign, test.seed)
    for n, step in enumerate(test.path):
        node = engine.current(campaign, state)
        if step.at is not None and state.scene != step.at:
            return result(False, f"step {n + 1} expected to be at '{step.at}' but is at '{state.scene}'", "path", n)
        if not isinstance(node, Scene):
            return result(False, f"step {n + 1}: the run already ended at '{state.scene}'", "path", n)
        index = _pick(campaign, state, node, step.choose)
        if index is None:
            return result(False, f"step {n + 1}: scene '{node.id}' has no choice {step.choose!r}", "path", n)
        try:
            state = engine.choose(campaign, state, index).state
        except engine.EngineError as exc:
            return result(False, f"step {n + 1}: {exc}", "path", n)
        if step.lands is not None and state.scene != step.lands:
            return result(
                False, f"step {n + 1} expected to land at '{step.lands}' but landed at '{state.scene}'", "path", n
            )
    expect = test.expect
    node = engine.current(campaign, state)
    if expect.ending is not None and state.scene != expect.ending:
        return result(False, f"expected ending '{expect.ending}' but the path stops at '{state.scene}'", "expect")
    if expect.scene is not None and state.scene != expect.scene:
        return result(False, f"expected to stop at '{expect.scene}' but stops at '{state.scene}'", "expect")
    if expect.ending is not None and not isinstance(node, Ending):
        return result(False, f"'{state.scene}' is not an ending", "expect")
    card = engine.score(campaign, state)
    if expect.grade is not None and card.grade != expect.grade:
        return result(False, f"expected grade {expect.grade} but got {card.grade} ({card.percent:.1f}%)", "expect")
    if expect.percent is not None and not expect.percent.holds(card.percent):
        return result(False, f"expected a grade {expect.percent.show()}% but got {card.percent:.1f}%", "expect")
    for role in ROLES:
        for axis, bound in expect.axes.get(role, {}).items():
            value = card.axis(role, axis)
            if value is None or not bound.holds(value):
                shown = "no score" if value is None else f"{value:.2f}"
                return result(False, f"expected {role} {axis} {bound.show()} but got {shown}", "expect", "axes")
    return result(True)
