"""graph: odds as the engine draws them, honouring `when` and bonuses; deadlines drawn from where they
fire (issue 18)."""

from __future__ import annotations

from pathlib import Path

from dealquest.authoring.graph import dot, mermaid

from .designs import scenes, write


def _close(tmp_path: Path) -> Path:
    listed = scenes()
    best = listed[3]["choices"][3]
    del best["goto"]
    # Two branches that exclude each other and one that is always on: 2:1 whichever way 'kit' is.
    best["chance"] = [
        {"goto": "won", "weight": 2, "when": {"flag": "kit"}},
        {"goto": "won", "weight": 2, "when": {"not": {"flag": "kit"}}},
        {"goto": "lost", "weight": 1},
    ]
    second = listed[2]["choices"][0]
    del second["goto"]
    second["chance"] = [
        {"goto": "s3", "weight": 2, "bonus": 2, "bonus_when": {"flag": "kit"}},
        {"goto": "lost", "weight": 1},
    ]
    listed[0]["choices"][0]["set"] = {"kit": True}
    listed[2]["choices"][1]["add"] = {"days": -5}
    state = {
        "kit": {"type": "flag", "initial": False, "label": "Kit"},
        "days": {"initial": 10, "min": 0, "max": 10, "label": "Days"},
    }
    write(tmp_path / "odds", listed, state=state)
    header = tmp_path / "odds" / "campaign.yaml"
    header.write_text(
        header.read_text(encoding="utf-8")
        + "deadlines:\n- {id: clock, when: {var: days, lte: 0}, roles: [salesperson], goto: lost, text: Time.}\n",
        encoding="utf-8",
    )
    return tmp_path / "odds"


def test_branches_that_exclude_each_other_get_their_real_odds(tmp_path: Path) -> None:
    from ..conftest import campaign as loaded

    drawn = mermaid(loaded(_close(tmp_path)))
    assert 's3 -->|"4 (67%, if kit)"| won' in drawn
    assert 's3 -->|"4 (67%, if not kit)"| won' in drawn
    assert 's3 -->|"4 (33%)"| lost' in drawn


def test_a_bonus_gives_a_range(tmp_path: Path) -> None:
    from ..conftest import campaign as loaded

    drawn = mermaid(loaded(_close(tmp_path)))
    assert 's2 -->|"1 (67-80%, more if kit)"| s3' in drawn
    assert 's2 -->|"1 (20-33%)"| lost' in drawn


def test_a_deadline_is_drawn_from_the_scenes_where_it_can_fire(tmp_path: Path) -> None:
    from ..conftest import campaign as loaded

    campaign = loaded(_close(tmp_path))
    drawn = mermaid(campaign)
    assert 'deadline_clock{{"deadline clock: days ≤ 0"}} -.-> lost' in drawn
    assert 's2 -.->|"when days ≤ 0"| deadline_clock' in drawn
    assert '"s2" -> "deadline:clock" [style=dashed, label="when days ≤ 0"];' in dot(campaign)


def test_a_condition_in_words_brackets_only_what_needs_it() -> None:
    from dealquest.story.conditions import describe
    from dealquest.story.model import Condition

    def words(data: object) -> str:
        return describe(Condition.model_validate(data))

    assert words({"not": {"flag": "kit"}}) == "not kit"
    assert words({"not": {"var": "intel", "gte": 2}}) == "not (intel ≥ 2)"
    assert words({"all": [{"flag": "kit"}, {"not": {"any": [{"flag": "a"}, {"flag": "b"}]}}]}) == "kit and not (a or b)"
