"""Recording a run as it is played: each choice, with the engine's figures for it, stored at once.

The full-screen app and the plain line mode both drive a `Recorder`: `begin` when a run starts,
`chose` after every choice, `rewound` after an undo. A finished run is final: changing it after
its ending (undo at the debrief, try another path) starts a new run that carries the earlier
choices over, so the graded attempt stays as it was.
"""

from __future__ import annotations

from dealquest.play import engine
from dealquest.play.debrief import best_option
from dealquest.play.engine import GameState, Step
from dealquest.play.scoring import technique_fit
from dealquest.story.campaign import Campaign
from dealquest.story.model import ROLES, Ending
from dealquest.training import Mode
from dealquest.training.store import DecisionRecord, NewRun, RunSummary, Store, now


def summary(campaign: Campaign, state: GameState) -> RunSummary:
    """The run's figures now: the engine's scorecard and, once it has one, the ending."""
    card = engine.score(campaign, state)
    totals = {role: dict(card.roles[role].axes) for role in ROLES}
    node = engine.current(campaign, state)
    if isinstance(node, Ending):
        title = engine.text(campaign, state, node.title)
        return RunSummary(card.percent, card.grade, card.label, totals, node.id, title, node.outcome, now())
    return RunSummary(card.percent, card.grade, card.label, totals)


def decision_record(
    campaign: Campaign, before: GameState, step: Step, seconds: float | None, carried: bool = False
) -> DecisionRecord:
    """One choice as the store keeps it: the engine's decision, the texts shown and the best option."""
    scene = engine.current(campaign, before)
    assert not isinstance(scene, Ending)
    made = step.decision
    best = best_option(campaign, before)
    return DecisionRecord(
        number=step.state.turn,
        scene=made.scene,
        scene_title=engine.text(campaign, before, scene.title),
        choice=made.choice,
        choice_text=engine.text(campaign, before, scene.choices[made.choice].text),
        role=made.role,
        technique=made.technique,
        push_pull=technique_fit(made.technique, made.role, campaign.rubric),
        audience=made.audience,
        closing=made.closing,
        value=made.value,
        lessons=made.lessons,
        landed=made.landed,
        best_choice=best.index if best else None,
        best_text=best.text if best else None,
        best_value=best.value if best else None,
        seconds=None if seconds is None else round(max(0.0, seconds), 2),
        decided_at=now(),
        carried=carried,
    )


def replayed_records(campaign: Campaign, state: GameState) -> list[DecisionRecord]:
    """The records of every choice of a state, replayed from its seed, marked as carried over."""
    out: list[DecisionRecord] = []
    current = engine.new_game(campaign, state.seed)
    for made in state.decisions:
        step = engine.choose(campaign, current, made.choice)
        out.append(decision_record(campaign, current, step, None, carried=True))
        current = step.state
    return out


class Recorder:
    """Writes one trainee's runs of one campaign to the store, a transaction per choice."""

    def __init__(self, store: Store, campaign: Campaign, trainee: str, mode: Mode) -> None:
        self.store = store
        self.campaign = campaign
        self.trainee = trainee.strip()
        self.mode: Mode = mode
        self.run_id: int | None = None
        self.finished = False

    def begin(self, state: GameState) -> int:
        """Start recording a run at this state; choices already in it are carried over."""
        carried_from = self.run_id if state.decisions else None
        run = NewRun(
            campaign=self.campaign.id,
            campaign_version=self.campaign.version,
            campaign_title=self.campaign.title,
            campaign_path=str(self.campaign.folder.resolve()),
            trainee=self.trainee,
            mode=self.mode,
            seed=state.seed,
            started_at=now(),
            carried_from=carried_from,
        )
        carried = replayed_records(self.campaign, state) if state.decisions else []
        self.run_id = self.store.start_run(run, summary(self.campaign, state), carried)
        self.finished = state.ended
        return self.run_id

    def chose(self, before: GameState, step: Step, seconds: float | None) -> None:
        """Record the choice just made, and the run's figures after it."""
        if self.run_id is None or self.finished:
            self.begin(before)
        assert self.run_id is not None
        record = decision_record(self.campaign, before, step, seconds)
        self.store.add_decision(self.run_id, record, summary(self.campaign, step.state))
        self.finished = step.state.ended

    def rewound(self, state: GameState) -> None:
        """The run went back to `state` (undo, another path): forget later choices, or start anew."""
        if self.run_id is None or self.finished:
            self.begin(state)
            return
        self.store.truncate(self.run_id, state.turn, summary(self.campaign, state))
