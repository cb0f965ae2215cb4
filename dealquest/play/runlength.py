"""How long one run of a campaign takes a first-time player, from seeded random runs.

A run's reading is what the player sees: each scene's title and text, the handoff card when the
role switches, every option's text, the feedback and narration of the choice made, and the
ending. Its time is that reading at a steady pace plus a few seconds to weigh each decision. The
figures are medians over a fixed number of runs with a fixed seed, so they are the same every
time for the same story: `dealquest list`, the title screen and `dealquest playtest` show them.
"""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass

from dealquest.play import engine
from dealquest.story.campaign import Campaign
from dealquest.story.library import word_count
from dealquest.story.model import Scene

#: Reading pace for story text on a screen, in words a minute.
WORDS_PER_MINUTE = 230
#: Time to weigh the options of one decision, in seconds, on top of reading them.
SECONDS_PER_DECISION = 8
#: Random runs behind each figure, and their seed.
RUNS = 60
SEED = 1
#: A run that has not ended after this many choices is left out (a loop the playtest reports).
MAX_STEPS = 1000


@dataclass(frozen=True)
class RunLength:
    """The median run: how many decisions it takes, and how many minutes."""

    decisions: int
    minutes: int
    runs: int  # the runs that ended, out of RUNS

    def describe(self) -> str:
        return f"about {self.decisions} decisions, {self.minutes} min a run"


def run_length(campaign: Campaign, runs: int = RUNS, seed: int = SEED) -> RunLength | None:
    """The median decisions and minutes of `runs` random runs; None when no run ends."""
    rng = random.Random(seed)
    decisions: list[int] = []
    minutes: list[float] = []
    for _ in range(runs):
        ended = _one_run(campaign, rng)
        if ended is not None:
            decisions.append(ended[0])
            minutes.append(ended[1] / WORDS_PER_MINUTE + ended[0] * SECONDS_PER_DECISION / 60)
    if not decisions:
        return None
    return RunLength(round(statistics.median(decisions)), max(1, round(statistics.median(minutes))), len(decisions))


def _one_run(campaign: Campaign, rng: random.Random) -> tuple[int, int] | None:
    """(decisions, words read) of one random run, or None when it gets stuck or never ends."""
    state = engine.new_game(campaign, rng.randrange(2**31))
    words = 0
    for _step in range(MAX_STEPS):
        node = engine.current(campaign, state)
        words += word_count(engine.text(state, node.title)) + word_count(engine.text(state, node.text))
        if not isinstance(node, Scene):
            return len(state.decisions), words
        views = engine.choices(campaign, state)
        words += sum(word_count(engine.text(state, node.choices[v.index].text)) for v in views)
        available = [v.index for v in views if v.available]
        if not available:
            return None
        step = engine.choose(campaign, state, rng.choice(available))
        words += word_count(step.feedback) + sum(word_count(n) for n in step.narration)
        landed = engine.current(campaign, step.state)
        if step.role_switched and isinstance(landed, Scene) and landed.handoff:
            words += word_count(engine.text(step.state, landed.handoff))
        state = step.state
    return None
