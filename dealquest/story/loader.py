"""Load a campaign folder: every file parsed, validated and checked, all findings in one pass."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from dealquest.story import model
from dealquest.story.bulk import collector_paused
from dealquest.story.campaign import CAMPAIGN_FILE, Campaign, LoadResult, Origin
from dealquest.story.checks import check_campaign, check_targets
from dealquest.story.diagnostics import (
    DQ004_ERRORS,
    DQ004_MOVES,
    DQ004_SCENES,
    DQ007,
    DQ008,
    DQ013_HOOK,
    DQ101,
    DQ104,
    DQ108,
    Diagnostic,
    Location,
    did_you_mean,
    has_errors,
)
from dealquest.story.files import story_files
from dealquest.story.model import CampaignFile, Ending, Scene, StoryFile
from dealquest.story.schemaerrors import schema_diagnostics
from dealquest.story.yamlsource import Source, parse_text, read_file

#: Scenes and endings of a campaign: twice the largest benchmark campaign. The densest campaign
#: these limits allow (nine choices each) loads in about 0.4 GB; see SECURITY.md.
MAX_SCENES = 20_000
#: Errors after which the rest of a campaign is not read: past them, each file costs time and
#: memory and tells the writer nothing new.
MAX_ERRORS = 1_000
#: Choices and chance branches of a campaign, counted file by file as they load: what a campaign's
#: memory grows with (nine choices of twenty branches each made 9,600 scenes take 1.3 GB).
MAX_MOVES = 200_000


# ---------------------------------------------------------------------------- loading


def load_campaign(path: str | Path, unsaved: Mapping[Path, str] | None = None) -> LoadResult:
    """Load a campaign folder (or the folder of a file in it). Never raises on bad input.

    `unsaved` gives the text of files as an editor holds them, read instead of the file on disk.
    """
    with collector_paused():
        return _load_campaign(path, unsaved or {})


def _load_campaign(path: str | Path, unsaved: Mapping[Path, str]) -> LoadResult:
    given = str(path)
    folder = Path(path)
    if folder.is_file():
        folder = folder.parent
        given = str(folder)
    if not folder.is_dir():
        return LoadResult(None, [DQ008.at(Location(given))])
    if not (folder / CAMPAIGN_FILE).is_file():
        return LoadResult(None, [DQ108.at(Location(given), file=CAMPAIGN_FILE)])
    listing = story_files(folder, given)
    files, diags = listing.files, listing.diagnostics
    header: tuple[CampaignFile, Source] | None = None
    parsed: list[tuple[StoryFile, Source]] = []
    complete = True
    salvaged: set[str] = set()  # ids written in files or items that failed to load
    ids_unknown = False  # a file or item failed whose ids could not be read at all
    header_salvage: tuple[StoryFile, Source] | None = None
    digest = hashlib.sha256()
    moves = 0
    for number, (file_path, shown) in enumerate(files):
        if sum(d.severity == "error" for d in diags) > MAX_ERRORS:
            diags.append(DQ004_ERRORS.at(Location(given), limit=MAX_ERRORS, left=len(files) - number))
            complete = False
            break
        edited = unsaved.get(file_path.absolute()) if unsaved else None
        source, found = read_file(file_path, shown) if edited is None else parse_text(edited, shown)
        diags += found
        if found:
            written = _ids_written(source.text)
            salvaged |= written or set()
            ids_unknown = ids_unknown or written is None
            continue
        digest.update(shown.encode() + b"\0" + source.text.encode())
        if not isinstance(source.data, dict):
            diags.append(DQ007.at(Location(shown, 1, 1)))
            continue
        is_header = file_path.name == CAMPAIGN_FILE and file_path.parent == folder
        schema: type[StoryFile] = CampaignFile if is_header else StoryFile
        try:
            story = schema.model_validate(source.data)
            lost: set[str] | None = None
        except ValidationError as exc:
            diags += schema_diagnostics(exc, source, schema)
            complete = False
            story, lost, unnamed = _salvage(source.data)
            ids_unknown = ids_unknown or unnamed
            lost |= _ids_written(source.text) or set()  # what the file writes, wherever it wrote it
        # The models hold the story now and the positions do not need the raw data or the text:
        # letting go of them keeps a 10,000-scene campaign in well under half the memory.
        source.data, source.text = None, ""
        if lost is not None:
            salvaged |= lost
            if is_header:
                header_salvage = (story, source)
                continue
        if isinstance(story, CampaignFile):
            header = (story, source)
        parsed.append((story, source))
        moves += _moves(story)
        if moves > MAX_MOVES:
            diags.append(DQ004_MOVES.at(Location(given), limit=MAX_MOVES, left=len(files) - number - 1))
            complete = False
            break
    complete = complete and not any(d.severity == "error" for d in diags)
    if header is None:
        if header_salvage is not None:
            diags += _check_without_header(header_salvage, parsed, folder, salvaged, ids_unknown)
        return LoadResult(None, _dedupe(diags))
    campaign, found = _assemble(header[0], parsed, folder, salvaged, ids_unknown)
    campaign.header_source = header[1]
    diags += found
    campaign.complete = complete and not has_errors(found)
    campaign.salvaged_ids = salvaged
    campaign.ids_unknown = ids_unknown
    campaign.content_hash = digest.hexdigest()[:16]
    diags += check_campaign(campaign)
    return LoadResult(campaign, _dedupe(diags))


def _check_without_header(
    salvage: tuple[StoryFile, Source],
    parsed: list[tuple[StoryFile, Source]],
    folder: Path,
    salvaged: set[str],
    ids_unknown: bool,
) -> list[Diagnostic]:
    """With campaign.yaml invalid there is no campaign, but targets can still be checked."""
    story, source = salvage
    stand_in = CampaignFile.model_construct(  # type: ignore[call-arg]  # only what the target check reads
        scenes=story.scenes, endings=story.endings, hooks=story.hooks, deadlines=[], state={}, start=""
    )
    campaign, found = _assemble(stand_in, [(stand_in, source), *parsed], folder, salvaged, ids_unknown)
    campaign.complete = False
    campaign.salvaged_ids = salvaged
    campaign.ids_unknown = ids_unknown
    out: list[Diagnostic] = []
    check_targets(campaign, out)
    return found + out


def _moves(story: StoryFile) -> int:
    """The choices and chance branches a file adds."""
    choices = [c for s in story.scenes for c in s.choices] + [c for h in story.hooks for c in h.choices]
    return sum(1 + len(c.chance or ()) for c in choices)


def _salvage(data: dict[str, Any]) -> tuple[StoryFile, set[str], bool]:
    """The valid items of a file that failed validation, the ids of the invalid ones, and whether an
    invalid one had no id to read."""
    kept: dict[str, list[Any]] = {"scenes": [], "endings": [], "hooks": []}
    lost: set[str] = set()
    unnamed = False
    kinds: dict[str, type[BaseModel]] = {"scenes": Scene, "endings": Ending, "hooks": model.Hook}
    for key, cls in kinds.items():
        items = data.get(key)
        for item in items[: model.MAX_ITEMS_PER_FILE] if isinstance(items, list) else []:
            try:
                kept[key].append(cls.model_validate(item))
            except ValidationError:
                ident = item.get("id") if isinstance(item, dict) else None
                if isinstance(ident, str):
                    lost.add(ident)
                elif key != "hooks":
                    unnamed = True
    return StoryFile.model_validate(kept), lost, unnamed


_WRITTEN_ID = re.compile(r"""(?:^[ \t]*(?:-[ \t]+)?|[{,][ \t]*)id:[ \t]*["']?([a-z][a-z0-9_]*)""", re.M)


def _ids_written(text: str) -> set[str] | None:
    """The ids a file that could not be parsed defines, read from its lines (None without its text)."""
    return set(_WRITTEN_ID.findall(text)) if text else None


def _dedupe(diags: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(set(diags), key=lambda d: (d.file, d.line, d.column, d.code, d.message))


def _assemble(
    header: CampaignFile,
    parsed: list[tuple[StoryFile, Source]],
    folder: Path,
    salvaged: set[str] | None = None,
    ids_unknown: bool = False,
) -> tuple[Campaign, list[Diagnostic]]:
    diags: list[Diagnostic] = []
    campaign = Campaign(header=header, folder=folder, scenes={}, endings={})
    for story, source in parsed:
        for i, scene in enumerate(story.scenes):
            _add_node(campaign, campaign.scenes, scene, Origin(source, ("scenes", i)), diags)
            for j in range(len(scene.choices)):
                campaign.choice_origins[(scene.id, j)] = Origin(source, ("scenes", i, "choices", j))
        for i, ending in enumerate(story.endings):
            _add_node(campaign, campaign.endings, ending, Origin(source, ("endings", i)), diags)
    total = len(campaign.scenes) + len(campaign.endings)
    if total > MAX_SCENES:
        diags.append(DQ004_SCENES.at(Location(str(folder)), count=total, limit=MAX_SCENES))
    for story, source in parsed:
        for i, hook in enumerate(story.hooks):
            origin = Origin(source, ("hooks", i))
            hooked = campaign.scenes.get(hook.scene)
            if hooked is None:
                if ids_unknown or hook.scene in (salvaged or ()):
                    continue  # it may be defined in the part that failed to load
                hint = did_you_mean(hook.scene, campaign.scenes)
                diags.append(DQ104.at(origin, "scene", hook=i + 1, scene=hook.scene, hint=hint))
                continue
            if len(hooked.choices) + len(hook.choices) > model.MAX_CHOICES:
                diags.append(DQ013_HOOK.at(origin, "choices", hook=i + 1, scene=hook.scene, limit=model.MAX_CHOICES))
                continue
            base = len(hooked.choices)
            for j in range(len(hook.choices)):
                campaign.choice_origins[(hooked.id, base + j)] = Origin(source, ("hooks", i, "choices", j))
            campaign.scenes[hook.scene] = hooked.model_copy(update={"choices": [*hooked.choices, *hook.choices]})
    return campaign, diags


def _add_node(
    campaign: Campaign, table: dict[str, Any], node: Scene | Ending, origin: Origin, diags: list[Diagnostic]
) -> None:
    if node.id in campaign.scenes or node.id in campaign.endings:
        first = campaign.origins[node.id].locate("id")
        diags.append(DQ101.at(origin, "id", id=node.id, file=first.file, line=first.line))
        return
    table[node.id] = node
    campaign.origins[node.id] = origin


def fingerprint(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """What changes when any story or test file of a campaign changes: names, sizes and times."""
    found: list[tuple[str, int, int]] = []
    for path in sorted(folder.rglob("*.y*ml")):
        try:
            info = path.stat()
        except OSError:
            continue
        found.append((str(path.relative_to(folder)), info.st_size, info.st_mtime_ns))
    return tuple(found)
