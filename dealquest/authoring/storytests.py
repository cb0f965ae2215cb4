"""Expected-path story tests: a campaign's `tests/*.yaml` files, replayed against the story.

A test is a seed and a list of choices, each optionally saying which scene it is made in and
where it should land, and at the end the ending, grade or axis scores expected. A failure names
the test file and the line of the step or expectation that no longer holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from dealquest.play import engine
from dealquest.story.campaign import Campaign
from dealquest.story.conditions import apply_effects
from dealquest.story.diagnostics import DQ110, Diagnostic, Location, did_you_mean
from dealquest.story.files import story_test_files
from dealquest.story.model import ROLES, Ending, Scene, StoryTest, StoryTestFile
from dealquest.story.schemaerrors import schema_diagnostics
from dealquest.story.text import clean
from dealquest.story.yamlsource import Source, parse_text, read_file


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
    files, diags = read_test_files(campaign.folder, shown)
    diags += unknown_names(campaign, files)  # as validate says them: one truth for the folder
    for parsed, source in files:
        for i, test in enumerate(parsed.tests):
            results.append(_run(campaign, test, source, ("tests", i)))
    return results, diags


def read_test_files(
    folder: Path, shown: str, unsaved: Mapping[Path, str] | None = None
) -> tuple[list[tuple[StoryTestFile, Source]], list[Diagnostic]]:
    """Every story test file of a campaign folder, parsed and validated, and what is wrong with the others."""
    listing = story_test_files(folder, shown)
    diags: list[Diagnostic] = list(listing.diagnostics)
    files: list[tuple[StoryTestFile, Source]] = []
    for path, name in listing.files:
        edited = unsaved.get(path.absolute()) if unsaved else None
        source, found = read_file(path, name) if edited is None else parse_text(edited, name)
        if found:
            diags += found
            continue
        try:
            files.append((StoryTestFile.model_validate(source.data), source))
        except ValidationError as exc:
            diags += schema_diagnostics(exc, source, StoryTestFile)
    return files, diags


def check_test_files(
    campaign: Campaign | None, folder: Path, shown: str, unsaved: Mapping[Path, str] | None = None
) -> list[Diagnostic]:
    """What `validate` says about a campaign's story tests: files that do not read, and scenes or
    endings they name that do not exist (with the campaign)."""
    files, diags = read_test_files(folder, shown, unsaved)
    if campaign is None or not campaign.complete:
        return diags
    return diags + unknown_names(campaign, files)


def unknown_names(campaign: Campaign, files: list[tuple[StoryTestFile, Source]]) -> list[Diagnostic]:
    """DQ110 for every scene or ending a story test names that the campaign does not have."""
    diags: list[Diagnostic] = []
    known = [*campaign.scenes, *campaign.endings]
    for parsed, source in files:
        for i, test in enumerate(parsed.tests):
            named: list[tuple[str | None, tuple[str | int, ...], str]] = []
            for j, step in enumerate(test.path):
                for key in ("at", "lands", "draw"):
                    named.append(
                        (getattr(step, key), ("tests", i, "path", j, key), f"step {j + 1} of test '{test.name}'")
                    )
            for key in ("ending", "scene"):
                named.append(
                    (getattr(test.expect, key), ("tests", i, "expect", key), f"the expect of test '{test.name}'")
                )
            for target, path, what in named:
                if target is not None and target not in known:
                    place = Location(source.name, *source.where(path), ".".join(map(str, path)))
                    diags.append(DQ110.at(place, what=what, target=target, hint=did_you_mean(target, known)))
    return diags


def _pick(campaign: Campaign, state: engine.GameState, choose: int | str) -> tuple[int | None, str]:
    """The choice a step names, numbered as the player sees them (hidden choices are not counted), or
    by the start of its text as shown now (or as written); with why not, when it names none."""
    views = engine.choices(campaign, state)
    if isinstance(choose, int):
        if not 1 <= choose <= len(views):
            return None, f"the player sees {len(views)} choice{'s' * (len(views) != 1)} here, not {choose}"
        view = views[choose - 1]
        return (view.index, "") if view.available else (None, f"choice {choose} is locked: {view.locked}")
    wanted = choose.strip().lower()
    node = engine.current(campaign, state)
    assert isinstance(node, Scene)
    for texts in (((v.index, v.text) for v in views), enumerate(c.text for c in node.choices)):
        for index, text in texts:
            if text.lower().startswith(wanted):
                available = any(v.index == index and v.available for v in views)
                return (index, "") if available else (None, f"the choice {choose!r} is not available now")
    return None, f"no choice starts with {choose!r}"


def _branch(campaign: Campaign, state: engine.GameState, index: int, draw: str) -> tuple[int | None, str]:
    """The branch of a chance choice that goes to `draw`, if it can be drawn in this state."""
    node = engine.current(campaign, state)
    assert isinstance(node, Scene)
    choice = node.choices[index]
    if choice.chance is None:
        return None, f"the choice is not a chance choice, so there is nothing to draw (it goes to '{choice.goto}')"
    values = dict(state.vars)
    apply_effects(choice, values, campaign.header.state)
    odds = engine.odds(choice, values)
    targets = [b.goto for b in choice.chance]
    for i, branch in enumerate(choice.chance):
        if branch.goto == draw and odds[i] > 0:
            return i, ""
    if draw in targets:
        return None, f"the branch to '{draw}' cannot be drawn in this state (its weight is 0)"
    return None, f"the choice has no branch to '{draw}' (its branches go to {', '.join(targets)})"


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
        index, why = _pick(campaign, state, step.choose)
        if index is None:
            return result(False, f"step {n + 1} at '{node.id}': {why}", "path", n)
        force = None
        if step.draw is not None:
            force, why = _branch(campaign, state, index, step.draw)
            if force is None:
                return result(False, f"step {n + 1} at '{node.id}': {why}", "path", n, "draw")
        try:
            state = engine.choose(campaign, state, index, force).state
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
