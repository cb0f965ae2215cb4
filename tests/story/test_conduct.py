"""A breach of conduct must change the story (SUBJECT.md: "a consequence in the story")."""

from __future__ import annotations

from pathlib import Path

from dealquest.story.loader import load_campaign

BRIBE = """
      - text: Slip the buyer's assistant a finder's fee for an early look at the tender
        goto: pitch
        technique: push
        addresses: one
        closing: 2
        breach: a bribe to the buyer's assistant
        feedback: The assistant pockets the envelope and sends the tender a day early.
"""


def with_bribe(folder: Path, extra: str = "") -> list[str]:
    sales = folder / "sales.yaml"
    text = sales.read_text()
    marker = "        add: {days_left: -5}\n"
    sales.write_text(text.replace(marker, marker + BRIBE.lstrip("\n") + extra, 1))
    result = load_campaign(folder)
    return [d.format() for d in result.diagnostics if d.code == "DQ209"]


def test_a_breach_that_changes_nothing_is_reported_at_its_line(mini_copy: Path) -> None:
    (found,) = with_bribe(mini_copy)
    assert "sales.yaml:" in found and "warning[DQ209]" in found
    assert "choice 3 of scene 'brief' is a breach of conduct with no consequence" in found
    line = int(found.split("sales.yaml:")[1].split(":")[0])
    assert (mini_copy / "sales.yaml").read_text().splitlines()[line - 1].strip().startswith("breach:")


def test_a_breach_that_sets_state_a_later_condition_reads_is_fine(mini_copy: Path) -> None:
    assert with_bribe(mini_copy, "        set: {case_study: false}\n") == []


def test_a_breach_that_leads_to_a_scene_of_its_own_is_fine(mini_copy: Path) -> None:
    assert with_bribe(mini_copy)  # to 'pitch', where the honest choices go too
    sales = mini_copy / "sales.yaml"
    sales.write_text(sales.read_text().replace("tender\n        goto: pitch\n", "tender\n        goto: lost\n", 1))
    assert [d for d in load_campaign(mini_copy).diagnostics if d.code == "DQ209"] == []
