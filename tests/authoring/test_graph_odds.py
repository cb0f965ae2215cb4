"""graph: odds as the engine draws them, honouring `when` and bonuses; deadlines drawn from where they
fire (issue 18)."""

from __future__ import annotations

from pathlib import Path

from dealquest.authoring.graph import dot, mermaid

from .designs import scenes, write


def with_clock(folder: Path) -> Path:
    """The campaign in `folder` with a sales deadline: it ends in 'lost' once `days` is 0."""
    header = folder / "campaign.yaml"
    header.write_text(
        header.read_text(encoding="utf-8")
        + "deadlines:\n- {id: clock, when: {var: days, lte: 0}, roles: [salesperson], goto: lost, text: Time.}\n",
        encoding="utf-8",
    )
    return folder


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
    return with_clock(tmp_path / "odds")


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


def _deadline_after_marketing(tmp_path: Path, initial: int, marketer_spends: bool) -> Path:
    """The four design scenes (two marketer, then two salesperson) and a sales deadline on `days`,
    which only a marketer's choice changes (or nobody's, and it holds from the start)."""
    listed = scenes()
    if marketer_spends:
        listed[0]["choices"][1]["add"] = {"days": -10}
    state = {"days": {"initial": initial, "min": 0, "max": 10, "label": "Days"}}
    write(tmp_path / "late", listed, state=state)
    return with_clock(tmp_path / "late")


def test_a_deadline_made_true_by_another_roles_choice_is_drawn_from_the_next_scene_it_fires_after(
    tmp_path: Path,
) -> None:
    # The marketer's choice in s0 runs the clock out; the sales deadline fires after the next sales
    # choice, in s2. Only scenes whose own choices change `days` used to get an edge: here, none.
    from dealquest.play import engine

    from ..conftest import campaign as loaded

    campaign = loaded(_deadline_after_marketing(tmp_path, initial=10, marketer_spends=True))
    state = engine.replay(campaign, 1, [1, 0, 0])  # s0's spending option, then on to s2 and its choice
    assert state.scene == "lost"  # the engine agrees: it fired after s2's choice
    drawn = mermaid(campaign)
    assert 's2 -.->|"when days ≤ 0"| deadline_clock' in drawn
    assert "s3 -.->" not in drawn and "s0 -.->" not in drawn and "s1 -.->" not in drawn


def test_a_deadline_that_holds_from_the_start_is_drawn_from_the_first_scene_it_fires_after(tmp_path: Path) -> None:
    from dealquest.play import engine

    from ..conftest import campaign as loaded

    campaign = loaded(_deadline_after_marketing(tmp_path, initial=0, marketer_spends=False))
    assert engine.replay(campaign, 1, [0, 0, 0]).scene == "lost"
    drawn = mermaid(campaign)
    assert 's2 -.->|"when days ≤ 0"| deadline_clock' in drawn
    assert '"s2" -> "deadline:clock" [style=dashed, label="when days ≤ 0"];' in dot(campaign)
