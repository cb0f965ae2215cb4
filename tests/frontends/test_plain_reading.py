"""`--plain` reads well aloud: no doubled stops anywhere, the aim once per switch of role, short
state labels (s for the long ones), Enter alone repeats the hint, a stuck scene says so, and input
that ends mid-run keeps the run and says where to go on."""

from __future__ import annotations

import io
import re
import shutil
import sys
from pathlib import Path

import pytest

from dealquest.cli.main import main
from dealquest.frontends.plain import debrief_text, feedback_text, handoff_text, scene_text, short_label, spoken
from dealquest.play import engine, saves
from dealquest.play.debrief import build
from dealquest.play.turns import handoff_after
from dealquest.story.campaign import Campaign
from dealquest.story.library import bundled
from dealquest.story.model import Scene
from dealquest.story.text import full_stop

from ..conftest import MINI, WINNING_SEED, campaign

#: A stop after a stop ("booking..", "crave?.", "secret.”."), but not an ellipsis ("...").
DOUBLED = re.compile(r"(?<!\.)[.?!,;:]\.(?!\.)|[.?!][”’\"')\]]+\.")
CAMPAIGNS = [pytest.param(folder, id=folder.name) for folder in bundled()]


def strings(c: Campaign) -> list[str]:
    """Every text a writer wrote in a campaign."""
    found = [c.title, c.rubric.marketer.aim, c.rubric.marketer.audience]
    found += [c.rubric.salesperson.aim, c.rubric.salesperson.audience]
    found += [var.label for var in c.header.state.values()]
    for scene in c.scenes.values():
        found += [scene.title, scene.text, scene.chapter or "", scene.handoff or ""]
        for choice in scene.choices:
            found += [choice.text, choice.feedback, choice.locked or ""]
    for ending in c.endings.values():
        found += [ending.title, ending.text]
    return [s for s in found if s]


def assert_reads_well(text: str, where: str) -> None:
    """As `--plain` says it (PlainGame.say): no stop said twice on any line."""
    for line in spoken(text).splitlines():
        found = DOUBLED.search(line)
        assert found is None, f"{where}: a doubled stop {found.group()!r} in {line!r}"


@pytest.mark.parametrize("folder", CAMPAIGNS)
def test_no_doubled_stop_in_any_text_of_a_bundled_campaign(folder: Path) -> None:
    c = campaign(folder)
    for raw in strings(c):
        assert_reads_well(full_stop(engine.text(engine.new_game(c, 1), raw)), f"{c.id}: {raw[:40]!r}")
        assert DOUBLED.search(full_stop("Aim: " + raw)[-3:]) is None, raw  # the helper adds none of its own
    start = engine.new_game(c, 1)
    for scene in c.scenes.values():
        # Each scene as the plain game says it, from a state at that scene, and each choice on it.
        at = start.model_copy(update={"scene": scene.id})
        assert_reads_well(scene_text(c, at), f"{c.id} scene {scene.id}")
        for view in engine.choices(c, at):
            if not view.available:
                continue
            step = engine.choose(c, at, view.index)
            assert_reads_well(feedback_text(c, at, step), f"{c.id} {scene.id} choice {view.index + 1}")
            handoff = handoff_after(c, step)
            if handoff is not None:
                assert_reads_well(handoff_text(handoff), f"{c.id} handoff after {scene.id}")
    # Whole runs to an ending (the first option each time, then the last): their debriefs.
    for pick_last in (False, True):
        state = engine.new_game(c, 2)
        while not state.ended:
            views = [v for v in engine.choices(c, state) if v.available]
            state = engine.choose(c, state, (views[-1] if pick_last else views[0]).index).state
        assert_reads_well(debrief_text(c, state, build(c, state)), f"{c.id} debrief")


def test_the_sentence_helper_never_doubles_a_stop() -> None:
    for text in ["one booking.", "crave?", "secret!”", "x", "a (b.)", "wait..."]:
        assert DOUBLED.search(full_stop(text)) is None, text


def test_the_aim_is_said_once_per_switch_of_role(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["play", str(MINI), "--plain", "--seed", str(WINNING_SEED), "--choices", "1,1,2"]) == 0
    out = capsys.readouterr().out
    # Decision 1 (marketer) and 2 (salesperson) say their aim; decision 3 (salesperson again) does not.
    assert out.count("Aim: ") == 2
    assert "Aim: Hand sales a qualified lead. Talk to: The segment." in out
    decision_3 = out.split("Decision 3")[1]
    assert "Aim: " not in decision_3.split("Choices:")[0]


def test_h_repeats_the_scene_with_its_aim(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("1\n1\nh\nq\n"))
    assert main(["play", str(MINI), "--plain", "--seed", str(WINNING_SEED)]) == 0
    out = capsys.readouterr().out
    assert out.count("Aim: Close inside the clock.") == 2  # on arriving, and when asked again


def test_state_has_short_labels_and_s_reads_the_long_ones(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bistro = next(f for f in bundled() if f.name == "bistro")
    c = campaign(bistro)
    long = [v.label for v in c.header.state.values() if v.show and v.type != "flag" and ":" in v.label]
    assert long, "the test needs a label with a description"
    monkeypatch.setattr(sys, "stdin", io.StringIO("s\nq\n"))
    assert main(["play", str(bistro), "--plain", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    state_line = next(line for line in out.splitlines() if line.startswith("State: "))
    for label in long:
        assert short_label(label) in state_line and label not in state_line
    full = next(line for line in out.splitlines() if "State in full: " in line)
    assert all(label in full for label in long if c.header.state)


def test_short_labels_stop_where_the_description_starts() -> None:
    assert short_label("Deal clock: days left on the hotel's hold") == "Deal clock"
    assert short_label("Price per head quoted (£)") == "Price per head quoted"
    assert short_label("Bought reviews, removed by Google") == "Bought reviews"
    assert short_label("Intel") == "Intel"


def test_enter_alone_repeats_the_hint(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n\nq\n"))
    assert main(["play", str(MINI), "--plain", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "Type a number from 1 to" not in out
    assert out.count("Type a choice's number and press Enter") == 3  # at the start, then twice


def test_a_stuck_scene_says_so_and_undo_gets_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stuck = tmp_path / "stuck"
    shutil.copytree(MINI, stuck)
    sales = stuck / "sales.yaml"
    sales.write_text(
        sales.read_text().replace(
            "      - text: Wing it\n",
            "      - text: Wing it\n        requires: {flag: case_study}\n        locked: Needs it too\n",
        )
    )
    c = campaign(stuck)
    at = engine.choose(c, engine.new_game(c, 1), 1).state  # the billboard: no case study
    assert isinstance(engine.current(c, at), Scene) and not any(v.available for v in engine.choices(c, at))
    monkeypatch.setattr(sys, "stdin", io.StringIO("2\n1\nu\n1\nq\n"))
    assert main(["play", str(stuck), "--plain", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "Every choice here is locked, so the run cannot go on from this scene." in out
    assert "Stuck here: u undoes, q stops: " in out
    assert "Choice 1 is locked: Needs a case study from marketing." in out
    assert "Undone." in out and "You chose: Interview ten customers" in out


def test_input_ending_mid_run_saves_it_exits_0_and_continue_goes_on(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("1\n"))
    assert main(["play", str(MINI), "--plain", "--seed", str(WINNING_SEED)]) == 0
    out = capsys.readouterr().out
    assert "The input ended at decision 2, before the run did." in out
    assert f"The run is saved: `dealquest play {MINI} --plain --continue` goes on from here" in out
    record = saves.open_record(saves.slot_path("mini", saves.AUTOSAVE))
    assert record.state.turn == 1
    monkeypatch.setattr(sys, "stdin", io.StringIO("1\n2\n"))
    assert main(["play", str(MINI), "--plain", "--continue"]) == 0
    out = capsys.readouterr().out
    assert "Continuing your saved run at decision 2." in out and "The end: Signed" in out


def test_continue_without_an_autosave_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["play", str(MINI), "--plain", "--continue"]) == 1
    assert "--continue: no autosave of 'mini' to go on with" in capsys.readouterr().err
    assert main(["play", str(MINI), "--continue"]) == 2
