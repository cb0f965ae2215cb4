"""Save files: one JSON file per slot, written atomically, checked against the campaign on load.

A save names its campaign, the campaign's version and content hash, and holds the whole
`GameState`. Saves live in the user data folder (`DEALQUEST_HOME` overrides it), one folder per
campaign: `saves/<campaign id>/<slot>.json`. The autosave is the slot named `autosave`.
A file that cannot be read is set aside under a new name and never overwritten.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from dealquest.play.engine import GameState, carry_over, check_fits, decision_figures, replay
from dealquest.story.campaign import Campaign, LoadResult
from dealquest.story.files import Refused, read_regular
from dealquest.story.loader import load_campaign
from dealquest.story.model import MAX_NUMBER, MAX_SEED
from dealquest.userdata.files import home, set_aside, write_atomically

#: Bumped when the layout of a save file changes; layouts older than OLDEST_FORMAT are refused with a reason.
#: Format 2 adds `view` (what was on screen); a format 1 save resumes at its scene.
FORMAT_VERSION = 2
OLDEST_FORMAT = 1
AUTOSAVE = "autosave"
MAX_SLOT_LENGTH = 40
#: Larger files are not saves: a state is a few kilobytes.
MAX_SAVE_BYTES = 5_000_000
#: More decisions than any run makes (the longest bundled run has a few dozen), and more variables.
MAX_DECISIONS = 10_000
MAX_VARIABLES = 1_000
#: Leftover temporary files of a save older than this were left by a process that was killed.
STALE_TEMP_SECONDS = 60.0

_SLOT_TEXT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _-]*$")
_SLUG_DROP = re.compile(r"[^a-z0-9_-]+")


class SaveError(Exception):
    """A save that cannot be written or loaded; the message says why, in the player's words."""


#: What a save can show on resuming: a scene, the feedback on the last choice, the handoff card
#: it led to, or the debrief of an ended run.
Page = Literal["scene", "feedback", "handoff", "debrief"]
#: Further down than any page is long (the longest bundled page is a few hundred lines).
MAX_SCROLL = 100_000


class SaveView(BaseModel):
    """What the player had on screen when the save was written, so a resume shows exactly that."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    page: Page = "scene"
    #: the first line shown of the page (its scroll position)
    scroll: Annotated[int, Field(ge=0, le=MAX_SCROLL)] = 0
    #: brisk play: the last choice's feedback was shown above the page (a scene or a handoff card)
    feedback_above: bool = False


class SaveFile(BaseModel):
    """The JSON layout of a save file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: int
    campaign: Annotated[str, StringConstraints(max_length=64)]
    campaign_version: Annotated[str, StringConstraints(max_length=32)]
    content_hash: Annotated[str, StringConstraints(max_length=64)] = ""
    campaign_path: Annotated[str, StringConstraints(max_length=4096)] = ""
    saved_at: Annotated[str, StringConstraints(max_length=40)]
    slot: Annotated[str, StringConstraints(max_length=MAX_SLOT_LENGTH)]
    state: GameState = Field(description="Checked by `_check_state`; its figures are recomputed on resume.")
    view: SaveView = SaveView()


@dataclass(frozen=True)
class SaveInfo:
    """What a save list shows about one file; `problem` is set when the file cannot be read."""

    path: Path
    slot: str
    campaign: str
    campaign_version: str = ""
    saved_at: str = ""
    turn: int = 0
    scene: str = ""
    ended: bool = False
    campaign_path: str = ""
    problem: str | None = None

    @property
    def is_autosave(self) -> bool:
        return self.slot == AUTOSAVE

    @property
    def when(self) -> str:
        """The save time in local time, to the minute ("unknown time" when it cannot be shown)."""
        return local_time(self.saved_at) or "unknown time"


def local_time(stamp: str) -> str | None:
    """An ISO time as local time to the minute; None when it cannot be read or shown: a time
    such as 9999-12-31T23:59:59-23:59 overflows when it is moved to the local zone."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except (ValueError, OverflowError, OSError):
        return None


def saves_root() -> Path:
    return home() / "saves"


def check_slot_name(name: str) -> str | None:
    """Why a slot name cannot be used, or None when it can."""
    name = name.strip()
    if not name:
        return "give the save a name"
    if len(name) > MAX_SLOT_LENGTH:
        return f"a save name has at most {MAX_SLOT_LENGTH} characters"
    if not _SLOT_TEXT.match(name):
        return "a save name uses letters, digits, spaces, - and _, and starts with a letter or digit"
    if slug(name) == AUTOSAVE:
        return f"'{AUTOSAVE}' is kept for the automatic save; choose another name"
    return None


def slug(name: str) -> str:
    """The file name (without .json) for a slot name."""
    return _SLUG_DROP.sub("-", name.strip().lower()).strip("-") or "save"


def slot_path(campaign_id: str, slot: str) -> Path:
    return saves_root() / slug(campaign_id) / f"{slug(slot)}.json"


def save(campaign: Campaign, state: GameState, slot: str = AUTOSAVE, view: SaveView | None = None) -> Path:
    """Write the state (and what was on screen) to a slot atomically and return the file's path."""
    if slot != AUTOSAVE:
        problem = check_slot_name(slot)
        if problem:
            raise SaveError(problem)
        slot = slot.strip()
    if state.campaign != campaign.id:
        raise SaveError(f"the game is for campaign '{state.campaign}', not '{campaign.id}'")
    record = SaveFile(
        format=FORMAT_VERSION,
        campaign=campaign.id,
        campaign_version=campaign.version,
        content_hash=campaign.content_hash,
        campaign_path=str(campaign.folder.resolve()),
        saved_at=datetime.now(UTC).isoformat(timespec="microseconds"),
        slot=slot,
        state=state,
        view=view or SaveView(),
    )
    path = slot_path(campaign.id, slot)
    try:
        write_atomically(path, record.model_dump_json(indent=2) + "\n")
    except OSError as exc:
        raise SaveError(f"could not write {path}: {exc.strerror or exc}") from None
    return path


def autosave(campaign: Campaign, state: GameState, view: SaveView | None = None) -> Path:
    return save(campaign, state, AUTOSAVE, view)


def _read(path: Path) -> SaveFile:
    """Parse a save file; SaveError with the reason when it is missing, unreadable or damaged.

    Only a regular file is read (a FIFO or a link to /dev/zero is refused without waiting), at most
    MAX_SAVE_BYTES of it; nesting, numbers, lengths and the time are all bounded before use.
    """
    if not path.exists() and not path.is_symlink():
        raise SaveError("there is no such save")
    try:
        raw = read_regular(path, MAX_SAVE_BYTES)
    except Refused as exc:
        raise SaveError(f"the save cannot be read: {exc}") from None
    if not raw.strip():
        raise SaveError("the save is empty")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SaveError("the save is not text; it is damaged") from None
    except json.JSONDecodeError as exc:
        if raw.lstrip().startswith(b"{") and not raw.rstrip().endswith(b"}"):
            raise SaveError("the save is cut short (truncated)") from None
        raise SaveError(f"the save is damaged: {exc.msg} at line {exc.lineno}") from None
    except RecursionError:
        raise SaveError("the save is damaged: its values nest too deep") from None
    except ValueError:  # an integer of thousands of digits
        raise SaveError("the save is damaged: it holds a number too large to read") from None
    if not isinstance(data, dict):
        raise SaveError("the save is damaged: it is not a DealQuest save")
    fmt = data.get("format")
    if isinstance(fmt, int) and not isinstance(fmt, bool) and fmt > FORMAT_VERSION:
        raise SaveError(f"the save was written by a newer DealQuest (save format {fmt}); update DealQuest to load it")
    try:
        record = SaveFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "the file"
        raise SaveError(f"the save is damaged: {where}: {first['msg'].lower()}") from None
    if record.format < OLDEST_FORMAT:
        raise SaveError(f"the save uses an old format ({record.format}) that this DealQuest cannot read")
    if record.state.campaign != record.campaign:
        raise SaveError("the save is damaged: its state is for another campaign")
    problem = _check_state(record)
    if problem is not None:
        raise SaveError(f"the save is damaged: {problem}")
    return record


def _check_state(record: SaveFile) -> str | None:
    """What is out of bounds in a save's state, or None; the figures are not checked here, they
    are recomputed when the save is resumed."""
    state = record.state
    if local_time(record.saved_at) is None:
        return f"its time '{record.saved_at[:40]}' cannot be read"
    if not 0 <= state.seed <= MAX_SEED:
        return "its seed is out of range"
    if len(state.decisions) > MAX_DECISIONS or len(state.vars) > MAX_VARIABLES or len(state.fired) > MAX_DECISIONS:
        return "it holds more decisions or variables than any run"
    if any(not isinstance(v, bool) and not -MAX_NUMBER <= v <= MAX_NUMBER for v in state.vars.values()):
        return "a variable is out of range"
    if any(not 0 <= d.choice < 100 for d in state.decisions):
        return "a decision names a choice that no scene has"
    return None


def info(path: Path) -> SaveInfo:
    """What a save list shows about a file, without changing anything on disk. Whatever the file
    holds, this returns: a file that cannot be read is listed with its problem."""
    try:
        record = _read(path)
    except (SaveError, ValidationError, RecursionError, ValueError, OverflowError, MemoryError) as exc:
        if not isinstance(exc, SaveError):
            exc = SaveError(f"the save is damaged: {type(exc).__name__}")
        try:
            modified = datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(timespec="microseconds")
        except OSError:
            modified = ""
        return SaveInfo(path, path.stem, path.parent.name, saved_at=modified, problem=str(exc))
    state = record.state
    return SaveInfo(
        path,
        record.slot,
        record.campaign,
        record.campaign_version,
        record.saved_at,
        state.turn,
        state.scene,
        state.ended,
        record.campaign_path,
    )


def remove_leftovers(folder: Path) -> int:
    """Delete the temporary files that writers killed mid-save left in a save folder; how many.
    Only files older than a minute: a writer that is alive holds its own for milliseconds."""
    removed = 0
    now = time.time()
    for temp in folder.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            if now - temp.lstat().st_mtime > STALE_TEMP_SECONDS:
                temp.unlink()
                removed += 1
    return removed


def list_saves(campaign_id: str | None = None) -> list[SaveInfo]:
    """Every save, newest first; only those of one campaign when it is given. Leftover temporary
    files of killed saves are cleared on the way."""
    root = saves_root()
    if not root.is_dir():
        return []
    folders = [root / slug(campaign_id)] if campaign_id else sorted(p for p in root.iterdir() if p.is_dir())
    for folder in folders:
        if folder.is_dir() and not folder.is_symlink():
            remove_leftovers(folder)
    found = [info(p) for folder in folders if folder.is_dir() for p in sorted(folder.glob("*.json"))]
    return sorted(found, key=lambda s: (s.problem is None, s.saved_at), reverse=True)


def latest_autosave() -> SaveInfo | None:
    """The most recent autosave of any campaign: what Continue resumes (its `problem` says if it cannot)."""
    autosaves = [s for s in list_saves() if s.is_autosave]
    return max(autosaves, key=lambda s: s.saved_at, default=None)


def find_campaign(
    campaign_id: str,
    path: str = "",
    *,
    playing: Campaign | None = None,
    installed: Iterable[tuple[Path, LoadResult]] = (),
) -> Campaign:
    """The campaign a save names (its id, and the folder it was played from): the one being played,
    an installed one (folder and load result, read only when needed), or that folder when it still
    holds it. SaveError says why none can be played."""
    if playing is not None and playing.id == campaign_id:
        return playing
    for folder, result in installed:
        if result.campaign is None or result.campaign.id != campaign_id:
            continue
        if not result.ok:
            errors = sum(d.severity == "error" for d in result.diagnostics)
            raise SaveError(
                f"campaign '{campaign_id}' has {errors} errors and cannot be played; run `dealquest validate {folder}`"
            )
        return result.campaign
    if path and Path(path).is_dir():
        found = load_campaign(Path(path))
        if found.campaign is not None and found.campaign.id == campaign_id:
            if not found.ok:
                raise SaveError(f"campaign '{campaign_id}' at {path} has errors; run `dealquest validate {path}`")
            return found.campaign
    raise SaveError(f"campaign '{campaign_id}' is not installed here")


def open_record(path: Path) -> SaveFile:
    """Read a save file to load it; a damaged file is moved aside (see `set_aside`), then SaveError."""
    try:
        return _read(path)
    except SaveError as exc:
        if path.exists() and "newer DealQuest" not in str(exc):
            moved = set_aside(path)
            if moved is not None:
                raise SaveError(f"{exc}; the file was kept as {moved.name}") from None
        raise


def resume(record: SaveFile, campaign: Campaign) -> tuple[GameState, str | None]:
    """The saved state on this campaign, and a sentence when the campaign changed since the save.

    A run that still replays comes back exactly. When the story changed but the saved scene still
    exists, the player resumes there with the variables the campaign still declares, and the
    sentence says so. When the scene is gone, SaveError says what changed.
    """
    if record.campaign != campaign.id:
        raise SaveError(f"the save is for campaign '{record.campaign}', not '{campaign.id}'")
    problem = check_fits(campaign, record.state)
    if problem is None:
        # The figures of a save are never trusted: replaying its choices recomputes every one.
        return replay(campaign, record.state.seed, [d.choice for d in record.state.decisions]), None
    if record.content_hash and record.content_hash == campaign.content_hash:
        # The very campaign it was saved with: choices that do not replay were not made in it.
        raise SaveError(f"the save is damaged: {problem}, on the campaign it was saved with")
    versions = f"saved with version {record.campaign_version}, now version {campaign.version}"
    if record.state.scene not in campaign.scenes and record.state.scene not in campaign.endings:
        raise SaveError(f"the save no longer fits '{campaign.title}' ({versions}): {problem}; start a new game")
    state, _ = carry_over(campaign, record.state)
    state = rescored(campaign, state)
    return state, (
        f"'{campaign.title}' changed since this save ({versions}): {problem}. "
        f"You resume at the same scene, '{state.scene}', with your choices so far."
    )


def rescored(campaign: Campaign, state: GameState) -> GameState:
    """A carried-over state whose decisions are scored again from this campaign, never from the
    file; a decision whose scene or choice is gone no longer counts."""
    kept = []
    for decision in state.decisions:
        scene = campaign.scenes.get(decision.scene)
        if scene is None or not 0 <= decision.choice < len(scene.choices):
            continue
        choice = scene.choices[decision.choice]
        f = decision_figures(campaign, scene, decision.choice)
        figures = {
            "role": scene.role,
            "technique": choice.technique,
            "push_pull": f.marks.push_pull,
            "audience": f.marks.audience,
            "closing": f.marks.closing,
            "value": f.value,
            "verdict": f.verdict.label,
            "good": f.verdict.good,
            "breach": bool(choice.breach),
            "lessons": f.lessons,
        }
        kept.append(decision.model_copy(update=figures))
    return state.model_copy(update={"decisions": tuple(kept)})


def state_for(record: SaveFile, campaign: Campaign) -> GameState:
    """The saved state on this campaign (see `resume`); SaveError says why it cannot be used."""
    return resume(record, campaign)[0]


def load(path: Path, campaign: Campaign) -> GameState:
    """The state saved at path, checked against the campaign; SaveError says why it cannot be used."""
    return state_for(open_record(path), campaign)
