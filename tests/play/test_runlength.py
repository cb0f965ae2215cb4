"""How long a typical run is: the decisions and minutes `dealquest list`, the title and playtest show."""

from __future__ import annotations

from pathlib import Path

from dealquest.play.runlength import SECONDS_PER_DECISION, WORDS_PER_MINUTE, run_length
from dealquest.story.campaign import Campaign
from dealquest.story.loader import load_campaign

HEADER = """\
id: line
title: Line
summary: Three rooms in a row.
version: "1.0"
start: a
rubric:
  marketer: {push_share: 0.4, aim: Aim., audience: Segments.}
  salesperson: {push_share: 0.8, aim: Aim., audience: One buyer.}
  grades:
    - {min: 0, grade: E, label: Any}
"""


def _scene(sid: str, goto: str, words: int) -> str:
    return f"""\
  - id: {sid}
    role: salesperson
    title: Room
    text: {" ".join(["word"] * words)}
    choices:
      - text: Go on
        goto: {goto}
        technique: push
        addresses: one
        closing: 1
        feedback: The buyer nods and walks on.
"""


def _campaign(tmp_path: Path, story: str) -> Campaign:
    (tmp_path / "campaign.yaml").write_text(HEADER)
    (tmp_path / "story.yaml").write_text(story)
    campaign = load_campaign(tmp_path).campaign
    assert campaign is not None
    return campaign


def test_a_run_is_its_decisions_and_the_words_it_shows_at_a_reading_pace(tmp_path: Path) -> None:
    story = "scenes:\n" + _scene("a", "b", 460) + _scene("b", "c", 460) + _scene("c", "done", 460)
    story += "endings:\n  - {id: done, title: Done, text: The door closes behind you., outcome: success}\n"
    run = run_length(_campaign(tmp_path, story))
    assert run is not None
    # Each room shows its title (1 word), its text (460), its option (2) and the feedback (6); the
    # ending shows its title (1) and text (5). Every run is the same three decisions.
    words = 3 * (1 + 460 + 2 + 6) + 1 + 5
    assert run.decisions == 3 and run.runs == 60
    assert run.minutes == round(words / WORDS_PER_MINUTE + 3 * SECONDS_PER_DECISION / 60) == 7
    assert run.describe() == "about 3 decisions, 7 min a run"


def test_the_figure_is_the_same_every_time_and_none_when_no_run_ends(tmp_path: Path) -> None:
    mini = Path(__file__).parent.parent / "fixtures" / "mini"
    campaign = load_campaign(mini).campaign
    assert campaign is not None
    assert run_length(campaign) == run_length(campaign)
    loop = "scenes:\n" + _scene("a", "b", 5) + _scene("b", "a", 5)
    assert run_length(_campaign(tmp_path, loop), runs=3) is None
