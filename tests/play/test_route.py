"""A run's route beside the best route: the data the debrief and the trainer's report draw."""

from __future__ import annotations

from dealquest.play import engine
from dealquest.play.route import best_route, route, route_map

from ..conftest import WINNING_SEED, campaign


def test_a_run_that_left_the_best_route_at_its_first_decision() -> None:
    mini = campaign()
    state = engine.replay(mini, WINNING_SEED, [1, 1, 1])  # the billboard, wing it, the pilot
    routes = route_map(mini, state)
    run = routes.run
    assert [s.scene for s in run.stops] == ["research", "brief", "pitch"]
    assert [role for role, _ in run.legs()] == ["marketer", "salesperson"]
    assert [len(stops) for _, stops in run.legs()] == [1, 2]
    first, second, third = run.stops
    assert first.choice == "Buy a billboard" and first.missed == "Interview ten customers"
    assert not first.branch and third.branch  # the pilot's chance leads to two endings
    assert [(lock.text, lock.why) for lock in second.locked] == [
        ("Use the case study", "Needs a case study from marketing")
    ]
    assert third.chance is not None and third.chance.startswith(("the CFO signs", "a rival undercuts you"))
    assert routes.parted == 1
    assert [s.choice for s in routes.best.stops] == [
        "Interview ten customers",
        "Use the case study",
        "Propose a pilot with a decision date",
    ]
    assert routes.best.stops[1].locked == ()  # on the best route the case study is there
    assert run.ending == engine.current(mini, state).title


def test_the_best_route_taken_never_parts() -> None:
    mini = campaign()
    best = best_route(mini, WINNING_SEED)
    state = engine.replay(mini, WINNING_SEED, [0, 0, 1])
    routes = route_map(mini, state)
    assert routes.parted is None
    assert routes.run == best == routes.best
    assert best.ending == "Signed" and best.outcome == "success"


def test_an_unfinished_run_has_no_ending_yet() -> None:
    mini = campaign()
    state = engine.replay(mini, 3, [1])
    r = route(mini, state)
    assert len(r.stops) == 1 and r.ending is None and r.outcome is None
