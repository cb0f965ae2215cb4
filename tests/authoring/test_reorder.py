"""Reordering a scene's options changes nothing in the game, so it changes nothing in the playtest's best
and worst strategies either (issue 18): the exploration numbers states, and the search breaks ties, in an
order of its own."""

from __future__ import annotations

import pytest

from dealquest.authoring.exploration import explore
from dealquest.authoring.playtest import _search
from dealquest.story.campaign import Campaign
from dealquest.story.library import bundled

from ..conftest import campaign as loaded


def _reordered(campaign: Campaign, how: str) -> Campaign:
    """The same campaign with every scene's options listed in another order (reversed, or rotated by one)."""
    scenes = {}
    for sid, scene in campaign.scenes.items():
        choices = list(scene.choices)
        choices = choices[::-1] if how == "reversed" else choices[1:] + choices[:1]
        scenes[sid] = scene.model_copy(update={"choices": choices})
    return Campaign(
        header=campaign.header,
        folder=campaign.folder,
        scenes=scenes,
        endings=campaign.endings,
        origins=campaign.origins,
    )


def _grades(campaign: Campaign) -> tuple[float, float]:
    """The best and worst expected grades, as `playtest --exhaustive` finds and prints them."""
    searched = _search(explore(campaign), seed=1)
    assert searched is not None
    return round(searched.best_grade, 2), round(searched.worst_grade, 2)


@pytest.mark.parametrize("folder", bundled(), ids=lambda p: p.name)
def test_reordering_every_scenes_options_leaves_best_and_worst_unchanged(folder: object) -> None:
    campaign = loaded(folder)  # type: ignore[arg-type]
    expected = _grades(campaign)
    for how in ("reversed", "rotated"):
        assert _grades(_reordered(campaign, how)) == expected, how
