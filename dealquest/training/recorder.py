"""Recording a run as it is played: each choice, with the engine's figures for it, stored at once.

The full-screen app and the plain line mode both drive a `Recorder`: `begin` when a run starts
(or `resume` when the trainee signs in again to an unfinished run), `chose` after every choice,
`rewound` after an undo. The front end records a choice *before* it moves the game on; when the
store is busy it tells the trainee and tries again (`patiently`), and it never goes past a choice
that is not recorded. A finished run is final: changing it after its ending (undo at the debrief,
try another path) starts a new run that carries the earlier choices over, so the graded attempt
stays as it was.
"""

from __future__ import annotations

import time
import uuid
import weakref
from collections.abc import Callable
from typing import TypeVar

from dealquest.play import engine
from dealquest.play.debrief import best_option
from dealquest.play.engine import EngineError, GameState, Step
from dealquest.story.campaign import Campaign
from dealquest.story.model import ROLES, Ending
from dealquest.training import Mode, normalise_name
from dealquest.training.store import DecisionRecord, NewRun, RunRecord, RunSummary, Store, StoreBusy, now

#: How long a front end keeps trying to record a choice on a busy store before it gives up (and
#: stays at the same decision, so the trainee can choose again).
RECORD_PATIENCE_SECONDS = 120.0

T = TypeVar("T")


def patiently(
    write: Callable[[], T],
    waiting: Callable[[float], None],
    patience: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> T:
    """Do a write, trying again while the store is busy; `waiting(seconds_so_far)` is called after
    each busy attempt (to tell the trainee). StoreBusy once `patience` seconds (default
    RECORD_PATIENCE_SECONDS) have gone by."""
    patience = RECORD_PATIENCE_SECONDS if patience is None else patience
    start = clock()
    while True:
        try:
            return write()
        except StoreBusy:
            waited = clock() - start
            if waited >= patience:
                raise
            waiting(waited)


def summary(campaign: Campaign, state: GameState) -> RunSummary:
    """The run's figures now: the engine's scorecard and, once it has one, the ending."""
    card = engine.score(campaign, state)
    totals = {role: dict(card.roles[role].axes) for role in ROLES}
    node = engine.current(campaign, state)
    if isinstance(node, Ending):
        title = engine.text(state, node.title)
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
    available = {view.index for view in engine.choices(campaign, before) if view.available}
    return DecisionRecord(
        number=step.state.turn,
        scene=made.scene,
        scene_title=engine.text(before, scene.title),
        choice=made.choice,
        choice_text=engine.text(before, scene.choices[made.choice].text),
        role=made.role,
        technique=made.technique,
        push_pull=made.push_pull,
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
        options=tuple(engine.text(before, choice.text) for choice in scene.choices),
        locked=tuple(i for i in range(len(scene.choices)) if i not in available),
        verdict=made.verdict,
        good=made.good,
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


def resumable(store: Store, campaign: Campaign, trainee: str, trainee_id: str | None = None) -> RunRecord | None:
    """The unfinished run this trainee left in this campaign, when nobody is playing it now and its
    choices still replay on the campaign as it is; None when there is none to go on with."""
    run = store.unfinished(campaign.id, trainee, trainee_id)
    if run is None or run.campaign_version != campaign.version or store.session_alive(run.session):
        return None
    try:
        engine.replay(campaign, run.seed, [d.choice for d in run.decisions])
    except EngineError:
        return None
    return run


class Recorder:
    """Writes one trainee's runs of one campaign to the store, a transaction per choice."""

    def __init__(
        self, store: Store, campaign: Campaign, trainee: str, mode: Mode, trainee_id: str | None = None
    ) -> None:
        self.store = store
        self.campaign = campaign
        self.trainee = normalise_name(trainee)
        self.trainee_id = trainee_id.strip() if trainee_id else None
        self.mode: Mode = mode
        self.run_id: int | None = None
        self.finished = False
        #: This process (a terminal, a browser tab): tells two people of the same name apart.
        self.session = str(uuid.uuid4())
        self._held: weakref.finalize[[], Recorder] | None = None

    def hold(self) -> None:
        """Say, while this process lives, that it is playing this session's runs (see
        `Store.session_alive`)."""
        if self._held is not None:
            return
        release = self.store.hold_session(self.session)
        if release is not None:
            self._held = weakref.finalize(self, release)

    def release(self) -> None:
        """This process stops playing: a sign-in elsewhere may resume its run."""
        if self._held is not None:
            self._held()
            self._held = None

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
            trainee_id=self.trainee_id,
            session=self.session,
        )
        carried = replayed_records(self.campaign, state) if state.decisions else []
        self.hold()
        self.run_id = self.store.start_run(run, summary(self.campaign, state), carried)
        self.finished = state.ended
        return self.run_id

    def resume(self, run: RunRecord) -> GameState:
        """Go on with an unfinished run (see `resumable`): its state, replayed from its seed."""
        state = engine.replay(self.campaign, run.seed, [d.choice for d in run.decisions])
        self.hold()
        self.store.resumed(run.id, self.session)
        self.run_id = run.id
        self.mode = run.mode
        self.finished = False
        return state

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
