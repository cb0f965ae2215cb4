"""The writer's tools: playtest, story tests, graph and schema."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from dealquest.authoring.exploration import (
    as_policy,
    expected_grade,
    explore,
    likeliest_line,
    live_variables,
    position_bias,
    strategy,
)
from dealquest.authoring.playtest import build_report, format_text
from dealquest.cli.main import main
from dealquest.play import engine
from dealquest.story.campaign import Campaign
from dealquest.story.loader import load_campaign
from dealquest.story.model import AXES, ROLES

from ..conftest import MINI
from . import designs


@pytest.fixture(scope="module")
def mini() -> Campaign:
    campaign = load_campaign(MINI).campaign
    assert campaign is not None
    return campaign


def test_exhaustive_exploration_finds_every_end_and_the_best_expected_grade(mini: Campaign) -> None:
    ex = explore(mini)
    assert ex.complete and ex.order is not None
    assert {ex.scene(i) for i in range(ex.states) if ex.is_end(i)} == {"won", "lost", "slipped"}
    # Every deterministic strategy, one choice per state: the search finds the best of them.
    playing = [sid for sid in range(ex.states) if ex.moves[sid]]
    grades = []
    for picks in itertools.product(*([m.choice for m in ex.moves[sid]] for sid in playing)):
        table = dict(zip(playing, picks, strict=True))
        grades.append(expected_grade(ex, as_policy(table, ex)))
    chosen = strategy(ex)
    assert expected_grade(ex, as_policy(chosen, ex)) == max(g for g in grades if g is not None)
    report = build_report(mini, "mini", runs=0, exhaustive=True)
    assert report["exhaustive"]["best"]["expected_grade"] == round(max(g for g in grades if g is not None), 2)
    assert report["exhaustive"]["worst"]["expected_grade"] == round(min(g for g in grades if g is not None), 2)
    assert likeliest_line(ex, chosen)[0][0].scene == "research"


def test_states_differing_only_in_variables_nobody_reads_again_are_merged(mini: Campaign) -> None:
    live = live_variables(mini)
    assert live["pitch"] == {"intel", "days_left"}  # case_study is never read after 'brief'
    assert live["research"] == {"intel", "days_left", "case_study"}


def _replayed(campaign: Campaign, path: list[dict[str, Any]]) -> engine.GameState:
    """A path of the report played through the engine, each chance landing where the path says."""
    state = engine.new_game(campaign, 1)
    for step in path:
        choice = campaign.scenes[step["scene"]].choices[step["choice"] - 1]
        branches = range(len(choice.chance)) if choice.chance else [None]
        for branch in branches:
            landed = engine.choose(campaign, state, step["choice"] - 1, branch).state
            if landed.scene == step["landed"]:
                break
        state = landed
    return state


def test_the_extremes_of_each_axis_come_with_a_path_that_reaches_them(mini: Campaign) -> None:
    report = build_report(mini, "mini", runs=0, exhaustive=True)
    extremes = report["exhaustive"]["extremes"]
    assert set(extremes) == {"grade", *(f"{r}.{a}" for r in ROLES for a in AXES)}
    for name, entry in extremes.items():
        for bound in ("max", "min"):
            state = _replayed(mini, entry[bound]["path"])
            assert state.ended and state.scene == entry[bound]["ending"]
            card = engine.score(mini, state)
            if name == "grade":
                assert card.percent == entry[bound]["value"]
            else:
                role, axis = name.split(".")
                assert card.axis(role, axis) == pytest.approx(entry[bound]["value"], abs=1e-4)
    assert extremes["grade"]["max"]["value"] == report["exhaustive"]["best"]["percent"]
    assert report["exhaustive"]["role_switches"] == {"min": 1, "max": 1}


def test_the_best_line_shows_each_roles_push_share_as_information(mini: Campaign) -> None:
    best = build_report(mini, "mini", runs=0, exhaustive=True)["exhaustive"]["best"]
    for role in ROLES:
        mix = best["mix"][role]
        moves = mix["push"] + mix["pull"] + mix["blend"]
        assert mix["share"] == (None if not moves else round((mix["push"] + mix["blend"] / 2) / moves, 3))
        assert mix["usual"] == getattr(mini.rubric, role).push_share


def test_exploration_stops_at_the_cap_and_says_so(mini: Campaign) -> None:
    ex = explore(mini, max_states=5)
    assert not ex.complete and ex.states == 5
    report = build_report(mini, "mini", runs=0, exhaustive=True, max_states=5)
    assert any("cap of 5 states" in p for p in report["problems"])


def test_position_bias_counts_scenes_whose_first_choice_is_best(mini: Campaign) -> None:
    bias = position_bias(mini)
    assert bias.scenes == 3
    for scene in mini.scenes.values():
        values = [engine.decision_figures(mini, scene, i).value for i in range(len(scene.choices))]
        alone_first = values[0] == max(values) and values.count(max(values)) == 1
        assert (scene.id in bias.first_is_best) == alone_first


def test_random_runs_report_coverage_and_speed(mini: Campaign) -> None:
    report = build_report(mini, "mini", runs=200, seed=3)
    r = report["random"]
    assert r["runs"] == 200 and sum(r["endings"].values()) == 200
    assert r["scenes_never_reached"] == [] and r["choices_never_taken"] == []
    assert r["runs_per_second"] > 0
    # research, brief and pitch at least; the pitch can be put off until the clock runs out
    d = r["decisions"]
    assert 3 <= d["min"] <= d["median"] <= d["max"] and isinstance(r["minutes"], int)
    assert report["design"]["best"]["decisions"] >= 3
    text = format_text(report)
    assert f"decisions per run: median {d['median']:g} (from {d['min']} to {d['max']})" in text
    assert f"{report['design']['best']['decisions']} decisions on its likeliest line" in text
    assert report == {**report}  # plain JSON data
    json.dumps(report)


def test_story_tests_pass_and_a_broken_one_names_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    campaign = load_campaign(folder).campaign
    assert campaign is not None
    assert [t["passed"] for t in build_report(campaign, str(folder), runs=0)["tests"]] == [True, True, True]
    tests = folder / "tests" / "paths.yaml"
    tests.write_text(tests.read_text().replace("lands: won}", "lands: lost}"))
    report = build_report(load_campaign(folder).campaign, str(folder), runs=0)  # type: ignore[arg-type]
    failed = [t for t in report["tests"] if not t["passed"]]
    assert len(failed) == 1
    assert failed[0]["line"] == 7
    assert "expected to land at 'lost' but landed at 'won'" in failed[0]["message"]
    assert any(f"{tests}:7:9: test 'research and a pilot win the committee': FAILED" in p for p in report["problems"])


def test_a_malformed_story_test_file_is_a_diagnostic(tmp_path: Path) -> None:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    (folder / "tests" / "bad.yaml").write_text("tests:\n  - name: x\n    pth: []\n")
    report = build_report(load_campaign(folder).campaign, str(folder), runs=0)  # type: ignore[arg-type]
    assert any("bad.yaml:3:5: error[DQ011]" in p and "did you mean 'path'?" in p for p in report["problems"])


def test_playtest_command_exit_codes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fair = designs.fair(tmp_path / "fair").folder
    first = designs.write(tmp_path / "first", designs.scenes(best_at=(0, 0, 0, 0))).folder
    assert main(["playtest", str(fair), "--runs", "50"]) == 0
    assert main(["playtest", str(fair), "--runs", "0", "--exhaustive", "--strict"]) == 0
    assert main(["playtest", str(first), "--runs", "0"]) == 0  # position bias alone is a warning
    assert main(["playtest", str(first), "--runs", "0", "--strict"]) == 1
    assert main(["playtest", str(first), "--runs", "0", "--exhaustive"]) == 1  # always first is too good
    capsys.readouterr()
    assert main(["playtest", str(fair), "--runs", "5", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {
        "campaign",
        "random",
        "position_bias",
        "length_bias",
        "design",
        "tests",
        "warnings",
        "problems",
    }
    assert main(["playtest", "no-such-campaign"]) == 1
    with pytest.raises(SystemExit):
        main(["playtest", str(MINI), "--runs", "-3"])


def test_graph_shows_roles_endings_and_labelled_edges(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["graph", str(MINI)]) == 0
    out = capsys.readouterr().out
    assert 'research["MKT: What does the segment crave?' in out
    assert 'won(["END success: Signed' in out
    assert 'brief -->|"1 [case_study]"| pitch' in out
    assert 'pitch -->|"2 (50-80%, more if intel ≥ 2)"| won' in out
    target = tmp_path / "g.dot"
    assert main(["graph", str(MINI), "--format", "dot", "-o", str(target)]) == 0
    text = target.read_text()
    assert text.startswith('digraph "mini"') and '"brief" -> "pitch" [label="1 [case_study]"];' in text


def test_schema_describes_every_file_kind(capsys: pytest.CaptureFixture[str]) -> None:
    for kind, field in (("campaign", "rubric"), ("story", "hooks"), ("tests", "tests")):
        assert main(["schema", "--kind", kind]) == 0
        schema = json.loads(capsys.readouterr().out)
        assert field in schema["properties"]
        assert schema["additionalProperties"] is False


def test_new_scaffolds_a_campaign_that_validates_and_playtests_clean(tmp_path: Path) -> None:
    assert main(["new", "coffee_club", "--dir", str(tmp_path)]) == 0
    folder = tmp_path / "coffee_club"
    result = load_campaign(folder)
    assert result.ok and result.diagnostics == []
    assert result.campaign is not None and result.campaign.id == "coffee_club"
    report = build_report(result.campaign, str(folder), runs=100, exhaustive=True)
    assert report["problems"] == []
    assert len(report["tests"]) >= 3
    for path in folder.rglob("*.yaml"):
        first = path.read_text().splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=") and first.endswith(".json")
        schema_file = (path.parent / first.split("=", 1)[1]).resolve()
        assert schema_file.is_file()
        assert json.loads(schema_file.read_text())["additionalProperties"] is False


def test_new_refuses_a_bad_id_or_an_existing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "Bad-Id", "--dir", str(tmp_path)]) == 2
    assert "not a valid campaign id" in capsys.readouterr().err
    assert main(["new", "x", "--dir", str(tmp_path)]) == 0
    before = (tmp_path / "x" / "campaign.yaml").read_text()
    assert main(["new", "x", "--dir", str(tmp_path)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert (tmp_path / "x" / "campaign.yaml").read_text() == before
