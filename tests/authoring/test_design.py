"""The scenario-design checks of `dealquest playtest`: each one passes on a fair campaign and fails,
naming the scenes that cause it, on a campaign broken in that one way."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from dealquest.authoring.exploration import (
    as_policy,
    evaluate,
    explore,
    mean_line,
    naive_policy,
    outcome_odds,
    words,
)
from dealquest.authoring.playtest import build_report, format_text
from dealquest.cli.main import main
from dealquest.play import engine
from dealquest.story.campaign import Campaign
from dealquest.story.library import bundled
from dealquest.story.model import AXES, ROLES

from ..conftest import campaign as loaded
from . import designs
from .designs import BEST, option, scenes, write


def checks(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in report["design"]["checks"]}


def report_of(campaign: Campaign, **options: Any) -> dict[str, Any]:
    return build_report(campaign, "design", runs=0, **options)


@pytest.fixture
def fair(tmp_path: Path) -> Campaign:
    return designs.fair(tmp_path / "fair")


# ---------------------------------------------------------------------------- a fair campaign


def test_a_fair_campaign_passes_every_design_check(fair: Campaign, capsys: pytest.CaptureFixture[str]) -> None:
    report = report_of(fair)
    found = checks(report)
    assert set(found) == {
        "greedy_push_pull",
        "greedy_audience",
        "greedy_closing",
        "trade_offs",
        "locked_options",
        "word_tell",
        "best_play_endings",
        "position_bias",
        "length_bias",
        "rubric_words",
    }
    assert {k: c["passed"] for k, c in found.items() if c["passed"] is not True} == {}
    assert report["warnings"] == [] and report["problems"] == []
    assert report["design"]["best"]["expected_grade"] == 75.0  # every mark +1: (1 + 2) / 4
    assert report["design"]["best"]["endings"] == {"won": 1.0}
    assert main(["playtest", str(fair.folder), "--runs", "20", "--strict"]) == 0
    out = capsys.readouterr().out
    assert "Scenario design (--strict" in out and "FAIL" not in out


def test_the_design_figures_are_in_the_json_form(fair: Campaign, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["playtest", str(fair.folder), "--runs", "0", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"design", "warnings", "problems", "length_bias", "position_bias"}
    greedy = checks(data)["greedy_closing"]
    assert greedy["figures"] == {"expected_grade": 33.33, "best": 75.0, "gap": 41.67, "needed_gap": 15.0}
    assert greedy["scenes"] == []  # no scene where the highest closing mark is on the best option


# ---------------------------------------------------------------------------- single-axis greedy


def test_a_greedy_strategy_as_good_as_the_best_fails_and_names_the_scenes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The best option also has the highest closing mark everywhere: closing alone finds it.
    listed = scenes()
    for scene in listed:
        for choice in scene["choices"]:
            if (choice["push_pull"], choice["audience"], choice["closing"]) == BEST:
                choice["closing"] = 2
            elif choice["closing"] == 2:
                choice["closing"] = 1
    campaign = write(tmp_path / "greedy", listed)
    report = report_of(campaign)
    greedy = checks(report)["greedy_closing"]
    assert greedy["passed"] is False
    assert greedy["figures"]["gap"] == 0.0
    assert greedy["scenes"] == ["s0", "s1", "s2", "s3"]
    assert checks(report)["greedy_push_pull"]["passed"] is True
    assert any("always the highest closing mark" in w for w in report["warnings"])
    assert report["problems"] == []  # a warning: it fails the command only with --strict
    assert main(["playtest", str(campaign.folder), "--runs", "0"]) == 0
    assert main(["playtest", str(campaign.folder), "--runs", "0", "--strict"]) == 1
    assert "FAIL always the highest closing mark" in capsys.readouterr().out


def test_a_greedy_strategy_breaks_ties_at_random(tmp_path: Path) -> None:
    # The best option and a distractor share the top closing mark: greedy takes each half the time.
    listed = scenes()
    for scene in listed:
        for choice in scene["choices"]:
            if (choice["push_pull"], choice["audience"], choice["closing"]) == BEST:
                choice["closing"] = 2
    campaign = write(tmp_path / "ties", listed)
    greedy = checks(report_of(campaign))["greedy_closing"]
    # Expected means: push/pull and audience (1 - 2) / 2 = -0.5, closing 2; (1/3 + 2) / 4 = 58.33%.
    assert greedy["figures"]["expected_grade"] == pytest.approx(58.33, abs=0.01)
    assert "estimated_from_runs" not in greedy["figures"]  # small enough to be exact
    assert greedy["scenes"] == ["s0", "s1", "s2", "s3"]


# ---------------------------------------------------------------------------- trade-offs


def test_scenes_whose_best_option_wins_on_every_axis_are_listed_when_too_many(tmp_path: Path) -> None:
    listed = scenes()
    for scene in listed[:3]:  # three scenes where the best option wins on every axis
        for choice in scene["choices"]:
            if choice["closing"] != 1 or choice["push_pull"] != 1:
                choice["push_pull"], choice["audience"], choice["closing"] = 0, 0, 0
    campaign = write(tmp_path / "dominant", listed)
    trade = checks(report_of(campaign))["trade_offs"]
    assert trade["passed"] is False
    assert trade["figures"]["with_trade_off"] == 1 and trade["figures"]["share"] == 0.25
    assert trade["scenes"] == ["s0", "s1", "s2"]


def test_half_the_scenes_with_a_trade_off_is_enough(tmp_path: Path) -> None:
    listed = scenes()
    for scene in listed[:2]:
        for choice in scene["choices"]:
            if choice["closing"] != 1 or choice["push_pull"] != 1:
                choice["push_pull"], choice["audience"], choice["closing"] = 0, 0, 0
    trade = checks(report_of(write(tmp_path / "half", listed)))["trade_offs"]
    assert trade["passed"] is True and trade["figures"]["share"] == 0.5


# ---------------------------------------------------------------------------- locked options


def _with_gated(marks: tuple[int, int, int]) -> list[dict[str, Any]]:
    """The fair scenes, where the best option of s0 sets a flag that opens one more option in each
    later scene, marked `marks`."""
    listed = scenes()
    listed[0]["choices"][0]["set"] = {"briefed": True}
    for k, scene in enumerate(listed[1:], start=1):
        scene["choices"].append(
            option(
                f"gated{k}",
                marks,
                f"s{k + 1}" if k < 3 else "won",
                requires={"flag": "briefed"},
                locked="Needs the brief from the first scene",
            )
        )
    return listed


BRIEFED = {"briefed": {"type": "flag", "initial": False, "label": "Briefed"}}


def test_an_option_unlocked_earlier_that_is_always_best_fails(tmp_path: Path) -> None:
    campaign = write(tmp_path / "locked", _with_gated((2, 2, 2)), BRIEFED)
    locked = checks(report_of(campaign))["locked_options"]
    assert locked["passed"] is False
    assert locked["figures"] == {"scenes": 3, "locked_best": 3, "share": 1.0, "most_share": 0.6}
    assert locked["scenes"] == ["s1", "s2", "s3"]


def test_an_option_unlocked_earlier_that_is_sometimes_a_distractor_passes(tmp_path: Path) -> None:
    campaign = write(tmp_path / "locked", _with_gated((0, 0, 0)), BRIEFED)
    locked = checks(report_of(campaign))["locked_options"]
    assert locked["passed"] is True
    assert locked["figures"]["scenes"] == 3 and locked["figures"]["locked_best"] == 0


def test_an_option_that_can_never_be_unlocked_is_not_counted(tmp_path: Path) -> None:
    listed = _with_gated((2, 2, 2))
    del listed[0]["choices"][0]["set"]  # nothing sets the flag any more
    campaign = write(tmp_path / "never", listed, BRIEFED)
    assert checks(report_of(campaign))["locked_options"]["figures"]["scenes"] == 0


# ---------------------------------------------------------------------------- word tell


def test_a_word_that_marks_the_best_option_everywhere_is_a_tell(tmp_path: Path) -> None:
    listed = scenes()
    for scene in listed:
        for choice in scene["choices"]:
            if choice["closing"] == 1 and choice["push_pull"] == 1:
                choice["text"] += ", and listen"
    campaign = write(tmp_path / "tell", listed)
    tell = checks(report_of(campaign))["word_tell"]
    assert tell["passed"] is False
    assert tell["figures"]["word"] == "listen" and tell["figures"]["gap"] == 0.0
    assert tell["scenes"] == ["s0", "s1", "s2", "s3"]
    assert tell["figures"]["candidates"][0] == {"word": "listen", "expected_grade": 75.0}


def test_stop_words_and_variables_are_not_tells() -> None:
    assert words("Ask the buyer {name} what she needs, and listen") == {"ask", "buyer", "needs", "listen"}


# ---------------------------------------------------------------------------- best play's endings


def _last_best(listed: list[dict[str, Any]]) -> dict[str, Any]:
    return next(c for c in listed[3]["choices"] if c["closing"] == 1 and c["push_pull"] == 1)


def test_best_play_that_can_end_in_failure_fails_and_names_the_roll(tmp_path: Path) -> None:
    listed = scenes()
    best = _last_best(listed)
    del best["goto"]
    best["chance"] = [{"goto": "won", "weight": 1}, {"goto": "lost", "weight": 1}]
    campaign = write(tmp_path / "luck", listed)
    endings = checks(report_of(campaign))["best_play_endings"]
    assert endings["passed"] is False
    assert endings["figures"]["success"] == 0.5 and endings["figures"]["failure"] == 0.5
    assert endings["figures"]["turns"][0] == {"scene": "s3", "choice": 4, "roll": True, "share": 0.5}
    assert endings["scenes"][0] == "s3#4 (roll, 50%)"


def test_best_play_that_lands_on_a_failure_names_the_move(tmp_path: Path) -> None:
    listed = scenes()
    _last_best(listed)["goto"] = "lost"
    endings = checks(report_of(write(tmp_path / "doomed", listed)))["best_play_endings"]
    assert endings["passed"] is False and endings["figures"]["failure"] == 1.0
    assert endings["scenes"] == ["s3#4 (lands, 100%)"]


def test_eighty_percent_success_and_no_failure_is_enough(tmp_path: Path) -> None:
    listed = scenes()
    best = _last_best(listed)
    del best["goto"]
    best["chance"] = [{"goto": "won", "weight": 4}, {"goto": "slipped", "weight": 1}]
    slipped = {"id": "slipped", "title": "Slipped", "text": "Next quarter, maybe.", "outcome": "partial"}
    campaign = write(tmp_path / "partial", listed, endings=(slipped,))
    endings = checks(report_of(campaign))["best_play_endings"]
    assert endings["passed"] is True
    assert (endings["figures"]["success"], endings["figures"]["partial"]) == (0.8, 0.2)
    assert endings["figures"]["turns"] == [{"scene": "s3", "choice": 4, "roll": True, "share": 0.2}]
    ex = explore(campaign)
    table = {sid: max(ex.moves[sid], key=lambda m: m.value).choice for sid in range(ex.states) if ex.moves[sid]}
    assert outcome_odds(ex, table) == pytest.approx({"won": 0.8, "slipped": 0.2})


# ---------------------------------------------------------------------------- position and length


def test_the_best_option_always_first_fails_position_and_the_naive_strategy(tmp_path: Path) -> None:
    campaign = write(tmp_path / "first", scenes(best_at=(0, 0, 0, 0)))
    report = report_of(campaign, exhaustive=True)
    position = checks(report)["position_bias"]
    assert position["passed"] is False
    assert position["figures"]["by_position"] == {"1": 4} and position["figures"]["first_share"] == 1.0
    assert position["scenes"] == ["s0", "s1", "s2", "s3"]
    assert report["position_bias"]["share"] == 1.0
    assert report["exhaustive"]["naive"]["always first"]["ratio_to_best"] == 1.0
    assert any("'always first'" in p for p in report["problems"])  # a naive strategy fails without --strict


def test_the_best_option_always_longest_fails_length(tmp_path: Path) -> None:
    listed = scenes()
    for scene in listed:
        for choice in scene["choices"]:
            if choice["closing"] == 1 and choice["push_pull"] == 1:
                choice["text"] += ", after a long careful look at what the customer said she needs"
    report = report_of(write(tmp_path / "long", listed), exhaustive=True)
    length = checks(report)["length_bias"]
    assert length["passed"] is False and length["figures"]["longest_is_best"] == 4
    assert report["length_bias"]["scene_ids"] == ["s0", "s1", "s2", "s3"]
    assert report["exhaustive"]["naive"]["always longest"]["ratio_to_best"] == 1.0


# ---------------------------------------------------------------------------- rubric words


def test_feedback_in_the_rubrics_words_is_a_located_warning(tmp_path: Path) -> None:
    listed = scenes()
    listed[2]["choices"][1]["feedback"] = "Over the ceiling for a committee, so it backfires and scores nothing."
    campaign = write(tmp_path / "rubric", listed)
    report = report_of(campaign)
    words_check = checks(report)["rubric_words"]
    assert words_check["passed"] is False and words_check["scenes"] == ["s2#2"]
    source = (campaign.folder / "scenes.yaml").read_text().splitlines()
    line = next(i for i, text in enumerate(source, start=1) if "Over the ceiling" in text)
    column = source[line - 1].index("ceiling") + 1  # at the first of the words, not the start of the text
    assert report["warnings"] == [
        f"{campaign.folder / 'scenes.yaml'}:{line}:{column}: warning: the feedback of choice 2 of scene 's2' "
        "speaks the rubric's words (backfires, ceiling, scores): say what the customer or colleague did and why"
    ]
    assert report["problems"] == []
    assert report_of(campaign, strict=True)["problems"] == report["warnings"]


def test_a_rubric_word_inside_a_block_of_feedback_is_located_at_the_word(tmp_path: Path) -> None:
    listed = scenes()
    listed[2]["choices"][1]["feedback"] = "FEEDBACK-HERE"
    write(tmp_path / "block", listed)
    path = tmp_path / "block" / "scenes.yaml"
    source = path.read_text().splitlines()
    at = next(i for i, row in enumerate(source) if "FEEDBACK-HERE" in row)
    indent = " " * (len(source[at]) - len(source[at].lstrip()) + 2)
    key = source[at].split("FEEDBACK-HERE")[0]
    block = [f"{key}|", f"{indent}The committee heard you out.", f"{indent}Then your points went nowhere."]
    source[at : at + 1] = block
    path.write_text("\n".join(source) + "\n")
    campaign = loaded(tmp_path / "block")
    [warning] = report_of(campaign)["warnings"]
    line = at + 3  # the block's second line, counted from 1
    assert warning.startswith(f"{path}:{line}:{source[line - 1].index('points') + 1}: warning:"), warning


# ---------------------------------------------------------------------------- exact figures


def _tables(campaign: Campaign) -> list[dict[int, int]]:
    ex = explore(campaign)
    playing = [sid for sid in range(ex.states) if ex.moves[sid]]
    options = [[m.choice for m in ex.moves[sid]] for sid in playing]
    return [dict(zip(playing, picks, strict=True)) for picks in itertools.product(*options)]


def test_the_best_and_worst_strategies_are_the_exact_optimum(tmp_path: Path) -> None:
    listed = scenes()
    best = _last_best(listed)
    del best["goto"]
    best["chance"] = [{"goto": "won", "weight": 3}, {"goto": "lost", "weight": 1}]
    campaign = write(tmp_path / "exact", listed)
    ex = explore(campaign)
    every = [evaluate(ex, as_policy(t, ex)) for t in _tables(campaign)]
    grades = [e.expected for e in every if e is not None]
    assert len(grades) == 4**4
    report = report_of(campaign, exhaustive=True)
    assert report["exhaustive"]["best"]["expected_grade"] == round(max(grades), 2)
    assert report["exhaustive"]["worst"]["expected_grade"] == round(min(grades), 2)


def test_the_explored_grade_is_the_engines_grade(tmp_path: Path) -> None:
    campaign = designs.fair(tmp_path / "fair")
    ex = explore(campaign)
    for table in _tables(campaign)[::7]:
        found = evaluate(ex, as_policy(table, ex))
        assert found is not None
        sid, picks = 0, []
        while sid in table:
            picks.append(table[sid])
            sid = next(m for m in ex.moves[sid] if m.choice == table[sid]).branches[0][1]
        state = engine.replay(campaign, 1, picks)
        assert found.expected == engine.score(campaign, state).percent


def test_axis_extremes_are_the_exact_highest_and_lowest_means(tmp_path: Path) -> None:
    listed = scenes()
    listed[1]["choices"].append(option("zinnia", (0, 1, 0), "s2"))
    listed[1]["choices"][-1]["technique"] = "none"
    del listed[1]["choices"][-1]["push_pull"]
    campaign = write(tmp_path / "extremes", listed)
    ex = explore(campaign)
    every: list[dict[str, float | None]] = []
    for picks in itertools.product(*(range(len(s.choices)) for s in campaign.scenes.values())):
        state = engine.replay(campaign, 1, list(picks))
        card = engine.score(campaign, state)
        every.append({f"{r}.{a}": card.axis(r, a) for r in ROLES for a in AXES})
    extremes = report_of(campaign, exhaustive=True)["exhaustive"]["extremes"]
    for name in every[0]:
        values = [v for e in every if (v := e[name]) is not None]
        assert extremes[name]["max"]["value"] == pytest.approx(max(values))
        assert extremes[name]["min"]["value"] == pytest.approx(min(values))
    # the push/pull mean of a marketer who took the unmarked option in s1 is the one mark of s0
    line = mean_line(ex, lambda m: m.push_pull if m.role == "marketer" else None, True)
    assert line is not None and line[0] == 2.0


def test_a_strategy_is_played_through_its_rule_of_thumb(tmp_path: Path) -> None:
    campaign = designs.fair(tmp_path / "fair")
    ex = explore(campaign)
    first = naive_policy(ex, lambda scene, moves: [min(moves, key=lambda m: m.choice)])  # as listed
    found = evaluate(ex, first)
    assert found is not None and found.expected == pytest.approx(43.75)  # s0's best, then distractors


# ---------------------------------------------------------------------------- bundled campaigns


@pytest.mark.parametrize("folder", bundled(), ids=lambda f: f.name)
def test_every_bundled_campaign_prints_the_design_figures(folder: Path) -> None:
    report = build_report(loaded(folder), folder.name, runs=0)
    found = checks(report)
    assert len(found) == 10
    for check in found.values():
        assert check["passed"] is not None, check["summary"]  # complete exploration: nothing skipped
        assert check["figures"], check["id"]
    best = report["design"]["best"]
    assert 0 < best["expected_grade"] <= 100 and sum(best["endings"].values()) == pytest.approx(1.0)
    text = format_text(report)
    for check in found.values():
        assert check["title"] in text
    json.dumps(report)
