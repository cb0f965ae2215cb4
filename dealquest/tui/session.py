"""The run in progress and the campaigns on offer: plain data the app's screens read.

The app owns one `Game` and changes it; each screen is given it when made, reads it, and posts
its requests to the app as messages (`dealquest.tui.messages`), so no screen imports the app.
Importing this costs nothing heavy: the title screen is painted before the loader (YAML,
Pydantic) is imported, and the library is loaded after that, off the main thread.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dealquest.training.permissions import Permissions, permissions

if TYPE_CHECKING:
    from dealquest.play.engine import GameState
    from dealquest.play.runlength import RunLength
    from dealquest.story.campaign import Campaign, LoadResult
    from dealquest.story.diagnostics import Diagnostic
    from dealquest.story.library import Stats
    from dealquest.training import TrainingSettings


@dataclass
class Session:
    """One campaign being played: its state now, and the state before the last choice."""

    campaign: Campaign
    state: GameState
    #: the state before the last choice, to show what it changed; None after undo or load
    before: GameState | None = None


@dataclass(frozen=True)
class Entry:
    """A campaign on the title screen: loaded, or the diagnostics that stop it from loading."""

    folder: Path
    result: LoadResult
    stats: Stats | None = None
    #: a typical run of it (the median of seeded random runs), or None when no run ends
    run: RunLength | None = None

    @property
    def campaign(self) -> Campaign | None:
        return self.result.campaign if self.result.ok else None

    @property
    def title(self) -> str:
        loaded = self.result.campaign
        return loaded.title if loaded is not None else self.folder.name

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.result.diagnostics if d.severity == "error"]


def load_entry(folder: Path) -> Entry:
    from dealquest.play.runlength import run_length
    from dealquest.story.library import stats
    from dealquest.story.loader import load_campaign

    result = load_campaign(folder)
    if not result.ok or result.campaign is None:
        return Entry(folder, result)
    return Entry(folder, result, stats(result.campaign, folder), run_length(result.campaign))


def chapters(campaign: Campaign) -> list[str]:
    """The campaign's chapter names in the order their first scene was written."""
    names = campaign.memo.get(("chapters",))
    if names is None:
        names = list(dict.fromkeys(s.chapter for s in campaign.scenes.values() if s.chapter))
        campaign.memo[("chapters",)] = names
    return list(names)


def position(campaign: Campaign, state: GameState, short: bool = False) -> str:
    """Where the player is: the chapter (n of total) and the decision number; `short` gives the
    chapter by its number alone, for a border too narrow for its name."""
    from dealquest.play.engine import text
    from dealquest.story.model import Scene

    node = campaign.node(state.scene)
    parts: list[str] = []
    if isinstance(node, Scene) and node.chapter:
        names = chapters(campaign)
        number = f"{names.index(node.chapter) + 1}/{len(names)}"
        parts.append(f"Chapter {number}" if short else f"{text(state, node.chapter)} ({number})")
    parts.append(f"Decision {state.turn + 1}" if not state.ended else f"{state.turn} decisions made")
    return " · ".join(parts)


@dataclass
class Library:
    """The campaigns the title screen offers."""

    folders: list[Path]
    entries: list[Entry] = field(default_factory=list)
    #: False until `load` has run: the title screen loads the library after its first paint
    loaded: bool = False

    def load(self) -> list[Entry]:
        self.entries = [load_entry(folder) for folder in self.folders]
        self.loaded = True
        return self.entries

    def find(self, campaign_id: str) -> Entry | None:
        for entry in self.entries:
            loaded = entry.result.campaign
            if loaded is not None and loaded.id == campaign_id:
                return entry
        return None


@dataclass
class Game:
    """What the screens read: the campaigns on offer, the run being played, and what it allows."""

    library: Library
    #: a recorded training session (dealquest play --trainee, dealquest serve); None for solo play
    training: TrainingSettings | None = None
    session: Session | None = None
    #: brisk play: the feedback on a choice shows above the next scene (one key press moves on)
    brisk: bool = False

    @property
    def allows(self) -> Permissions:
        """What the player may do now: everything in solo play; in a training session, what its
        mode allows (an assessment under way: no feedback, no score, no undo)."""
        t = self.training
        if t is None:
            return Permissions()
        running = self.session is not None and not self.session.state.ended
        return permissions(t.mode, running=running, recorded=True, signed_in=t.trainee is not None)

    def installed(self) -> Iterator[tuple[Path, LoadResult]]:
        """The campaigns on offer as a save looks for its own (`saves.find_campaign`); the library
        is loaded here when the title screen's worker has not done it yet."""
        if not self.library.loaded:
            self.library.load()
        for entry in self.library.entries:
            yield entry.folder, entry.result
