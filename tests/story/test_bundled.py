"""The bundled campaigns: clean, listed, and every ending reached by a scripted path that passes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dealquest.authoring.storytests import run_story_tests
from dealquest.cli.main import main
from dealquest.play import engine
from dealquest.play.scoring import format_mark
from dealquest.story.library import bundled
from dealquest.story.loader import load_campaign
from dealquest.story.model import StoryTestFile
from dealquest.story.yamlsource import read_file

CAMPAIGNS = bundled()


def test_there_are_bundled_campaigns() -> None:
    assert [p.name for p in CAMPAIGNS] == sorted(p.name for p in CAMPAIGNS) and CAMPAIGNS


@pytest.mark.parametrize("folder", CAMPAIGNS, ids=lambda p: p.name)
def test_bundled_campaign_is_clean_and_every_ending_has_a_passing_scripted_path(folder: Path) -> None:
    result = load_campaign(folder)
    assert result.ok and result.diagnostics == [], [d.format() for d in result.diagnostics]
    campaign = result.campaign
    assert campaign is not None
    results, problems = run_story_tests(campaign, str(folder))
    assert problems == []
    assert results and all(r.passed for r in results), [r.format() for r in results if not r.passed]
    expected_endings = set()
    for path in sorted((folder / "tests").glob("*.yaml")):
        source, _ = read_file(path, path.name)
        for test in StoryTestFile.model_validate(source.data).tests:
            if test.expect.ending:
                expected_endings.add(test.expect.ending)
    assert expected_endings == set(campaign.endings)


#: The counters in which a bundled campaign's own story records that a role fell short (its handoff
#: cards and endings read them to say which side let the deal down). Rooftop keeps no such counter.
SHORTFALL = {
    "bistro": {"marketer": "mkt_slips", "salesperson": "sales_slips"},
    "dispatch": {"marketer": "m_slips", "salesperson": "s_slips"},
    "launch": {"marketer": "mkt_miss", "salesperson": "sales_miss"},
}


@pytest.mark.parametrize("name", sorted(SHORTFALL))
def test_a_move_the_story_counts_as_falling_short_is_never_called_good(name: str) -> None:
    """The verdict beside a choice's feedback must not call good a move the story itself counts
    as its role falling short: the score would promise what the story takes back."""
    campaign = load_campaign(next(p for p in CAMPAIGNS if p.name == name)).campaign
    assert campaign is not None
    assert set(SHORTFALL[name].values()) <= set(campaign.header.state)
    counted, wrong = 0, []
    for scene in campaign.scenes.values():
        for index, choice in enumerate(scene.choices):
            for role, counter in SHORTFALL[name].items():
                if choice.add.get(counter, 0) <= 0:
                    continue
                file, line, _ = campaign.choice_origins[(scene.id, index)].at()
                assert role == scene.role, f"{file}:{line}: a {scene.role}'s move counts {counter}"
                counted += 1
                figures = engine.decision_figures(campaign, scene, index)
                if figures.verdict.good:
                    label = f"{figures.verdict.label} ({format_mark(figures.value)})"
                    wrong.append(f"{file}:{line}: {scene.id} choice {index + 1} adds to {counter} but is a {label}")
    assert counted >= 40, "the counters are in use, so the check is not vacuous"
    assert wrong == []


def test_list_shows_every_bundled_campaign_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["path"] for r in rows] == [str(p) for p in CAMPAIGNS]
    for row in rows:
        assert set(row) == {"id", "title", "path", "scenes", "choices", "endings", "words", "decisions", "minutes"}
        assert row["scenes"] >= 25 and row["endings"] >= 3
        assert row["decisions"] >= 12 and row["minutes"] >= 10


def test_rooftop_fits_a_45_minute_class_and_is_the_shortest_run(capsys: pytest.CaptureFixture[str]) -> None:
    """The facilitator guide recommends it for 15-20 minutes of play and a debrief in one session."""
    assert main(["list", "--format", "json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    rooftop = rows["rooftop"]
    assert 12 <= rooftop["decisions"] <= 18 and 15 <= rooftop["minutes"] <= 20
    assert all(r["minutes"] > rooftop["minutes"] for r in rows.values() if r is not rooftop)
    assert main(["list"]) == 0
    text = capsys.readouterr().out
    assert "DECISIONS  MINUTES" in text
    line = next(line for line in text.splitlines() if line.startswith("rooftop "))
    assert line.split()[5:7] == [str(rooftop["decisions"]), str(rooftop["minutes"])]
    # The facilitator's guide recommends it with the figures `list` gives.
    guide = (Path(__file__).parents[2] / "docs" / "FACILITATOR.md").read_text(encoding="utf-8")
    found = re.search(r"\| `rooftop` \|[^\n]*\| about (\d+) decisions, (\d+) minutes \|", guide)
    assert found, "the guide's table of campaigns lists rooftop's run length"
    assert abs(int(found[1]) - rooftop["decisions"]) <= 1 and abs(int(found[2]) - rooftop["minutes"]) <= 2
    assert "## A 45-minute session with Rooftop" in guide
