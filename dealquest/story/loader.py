"""Load a campaign folder: every file parsed, validated and checked, all findings in one pass."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

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
    DQ010,
    DQ011,
    DQ012,
    DQ012_NUMBER_AS_TEXT,
    DQ013,
    DQ013_HOOK,
    DQ013_ID,
    DQ013_SCORE,
    DQ014,
    DQ101,
    DQ104,
    DQ108,
    Descriptor,
    Diagnostic,
    Location,
    closest,
    did_you_mean,
    has_errors,
)
from dealquest.story.files import story_files
from dealquest.story.model import CampaignFile, Ending, Scene, StoryFile
from dealquest.story.yamlsource import PathKey, Source, read_file

#: Scenes and endings of a campaign: twice the largest benchmark campaign. The densest campaign
#: these limits allow (nine choices each) loads in about 0.4 GB; see SECURITY.md.
MAX_SCENES = 20_000
#: Errors after which the rest of a campaign is not read: past them, each file costs time and
#: memory and tells the writer nothing new.
MAX_ERRORS = 1_000
#: Choices and chance branches of a campaign, counted file by file as they load: what a campaign's
#: memory grows with (nine choices of twenty branches each made 9,600 scenes take 1.3 GB).
MAX_MOVES = 200_000


# ---------------------------------------------------------------------------- schema errors

_SCHEMA_CODES = {
    "missing": DQ010,
    "extra_forbidden": DQ011,
    "value_error": DQ014,
    "assertion_error": DQ014,
}
_RANGE_TYPES = (
    "greater_than",
    "less_than",
    "literal_error",
    "string_pattern_mismatch",
    "too_long",
    "too_short",
    "string_too_long",
    "string_too_short",
    "enum",
    "finite_number",
)

_VOCABULARY: dict[type[BaseModel], set[str]] = {}


def _vocabulary(schema: type[BaseModel]) -> set[str]:
    """Every field name a model and its nested models accept, for 'did you mean' hints."""
    if schema not in _VOCABULARY:
        names: set[str] = set()

        def collect(node: Any) -> None:
            if isinstance(node, dict):
                props = node.get("properties")
                if isinstance(props, dict):
                    names.update(props)
                for value in node.values():
                    collect(value)
            elif isinstance(node, list):
                for value in node:
                    collect(value)

        collect(schema.model_json_schema(by_alias=True))
        _VOCABULARY[schema] = names
    return _VOCABULARY[schema]


def describe(path: PathKey, data: Any) -> str:
    """A location in words: "choice 2 of scene 'demo_call'", "variable 'intel'"..."""
    parts: list[str] = []
    node = data
    i = 0
    while i < len(path):
        key = path[i]
        nxt = path[i + 1] if i + 1 < len(path) else None
        child = node.get(key) if isinstance(node, dict) else None
        if key in ("scenes", "endings", "hooks", "choices", "chance", "deadlines", "grades") and isinstance(nxt, int):
            item = child[nxt] if isinstance(child, list) and nxt < len(child) else None
            label = {
                "scenes": "scene",
                "endings": "ending",
                "hooks": "hook",
                "choices": "choice",
                "chance": "branch",
                "deadlines": "deadline",
                "grades": "grade band",
            }[key]
            ident = item.get("id") if isinstance(item, dict) else None
            if key == "hooks" and isinstance(item, dict):
                ident = item.get("scene")
                parts.append(f"the hook on scene '{ident}'" if isinstance(ident, str) else f"hook {nxt + 1}")
            elif isinstance(ident, str):
                parts.append(f"{label} '{ident}'")
            else:
                parts.append(f"{label} {nxt + 1}")
            node = item
            i += 2
            continue
        if key == "state" and isinstance(nxt, str):
            parts.append(f"variable '{nxt}'")
            node = child.get(nxt) if isinstance(child, dict) else None
            i += 2
            continue
        if key == "rubric":
            parts.append("the rubric")
        node = child
        i += 1
    return " of ".join(reversed(parts)) if parts else "the file"


def schema_diagnostics(exc: ValidationError, source: Source, schema: type[BaseModel]) -> list[Diagnostic]:
    """Pydantic's validation errors as diagnostics at their lines, in the writer's words."""
    out: list[Diagnostic] = []
    seen: set[PathKey] = set()
    typos: set[tuple[str, str]] = set()  # (the path the unknown field's owner is keyed by, the field meant)
    for err in exc.errors(include_url=False):
        raw_loc = tuple(err["loc"])
        # Unions and dict keys add type tags to the location; keep the part that is in the data.
        loc: PathKey = tuple(p for p in raw_loc if p != "[key]")
        data_loc = _in_data(loc, source.data)
        if data_loc in seen:
            continue
        seen.add(data_loc)
        etype = err["type"]
        kind = _SCHEMA_CODES.get(etype) or (DQ013 if etype.startswith(_RANGE_TYPES) else DQ012)
        field_name = str(data_loc[-1]) if data_loc else ""
        owner = describe(data_loc[:-1], source.data) if data_loc else "the file"
        path_text = ".".join(str(p) for p in data_loc)
        line, col = source.where(data_loc, key=kind is DQ011)
        place = Location(source.name, line, col, path_text)
        if kind is DQ010:
            out.append(DQ010.at(place, owner=owner, field=str(loc[-1]) if loc else ""))
        elif kind is DQ011:
            vocabulary = sorted(_vocabulary(schema))
            meant = closest(field_name, vocabulary)
            if meant is not None:
                typos.add((path_text.rsplit(".", 1)[0], meant))
            out.append(DQ011.at(place, owner=owner, field=field_name, hint=did_you_mean(field_name, vocabulary)))
        else:
            what = f"'{field_name}' of {owner}" if isinstance(data_loc[-1:] and data_loc[-1], str) else owner
            out.append(_value_error(kind, err, field_name, what, place))

    # "missing 'title'" says nothing new next to "unknown field 'titel' (did you mean 'title'?)"
    def explained(d: Diagnostic) -> bool:
        owner, _, name = d.path.rpartition(".")
        return d.code == DQ010.code and (owner, name) in typos

    return [d for d in out if not explained(d)]


def _value_error(kind: Descriptor, err: ErrorDetails, field_name: str, what: str, place: Location) -> Diagnostic:
    """A value of the wrong type, out of range or breaking a rule of the format."""
    etype, value = err["type"], err.get("input")
    if field_name in ("audience", "closing") and etype.startswith(("greater", "less")):
        return DQ013_SCORE.at(place, what=what, value=value, low=model.SCORE_MIN, high=model.SCORE_MAX)
    if etype == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == model.ID_PATTERN.pattern:
        return DQ013_ID.at(place, what=what, value=value)
    reason = err["msg"].removeprefix("Value error, ")
    reason = reason[:1].lower() + reason[1:]
    if etype == "string_type" and isinstance(value, int | float):
        return DQ012_NUMBER_AS_TEXT.at(place, what=what, reason=reason)
    return kind.at(place, what=what, reason=reason)


def _in_data(loc: PathKey, data: Any) -> PathKey:
    """The longest prefix of loc that names something in data, plus a missing final key."""
    node = data
    kept: list[str | int] = []
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str):
            kept.append(part)  # a missing field: report it on its owner
            break
        else:
            continue  # a union or type tag added by pydantic
        kept.append(part)
    return tuple(kept)


# ---------------------------------------------------------------------------- loading


def load_campaign(path: str | Path) -> LoadResult:
    """Load a campaign folder (or the folder of a file in it). Never raises on bad input."""
    with collector_paused():
        return _load_campaign(path)


def _load_campaign(path: str | Path) -> LoadResult:
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
    salvaged: set[str] = set()
    header_salvage: tuple[StoryFile, Source] | None = None
    digest = hashlib.sha256()
    moves = 0
    for number, (file_path, shown) in enumerate(files):
        if sum(d.severity == "error" for d in diags) > MAX_ERRORS:
            diags.append(DQ004_ERRORS.at(Location(given), limit=MAX_ERRORS, left=len(files) - number))
            complete = False
            break
        source, found = read_file(file_path, shown)
        diags += found
        if found:
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
            story, lost = _salvage(source.data)
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
            diags += _check_without_header(header_salvage, parsed, folder, salvaged)
        return LoadResult(None, _dedupe(diags))
    campaign, found = _assemble(header[0], parsed, folder)
    campaign.header_source = header[1]
    diags += found
    campaign.complete = complete and not has_errors(found)
    campaign.salvaged_ids = salvaged
    campaign.content_hash = digest.hexdigest()[:16]
    diags += check_campaign(campaign)
    return LoadResult(campaign, _dedupe(diags))


def _check_without_header(
    salvage: tuple[StoryFile, Source], parsed: list[tuple[StoryFile, Source]], folder: Path, salvaged: set[str]
) -> list[Diagnostic]:
    """With campaign.yaml invalid there is no campaign, but targets can still be checked."""
    story, source = salvage
    stand_in = CampaignFile.model_construct(  # type: ignore[call-arg]  # only what the target check reads
        scenes=story.scenes, endings=story.endings, hooks=story.hooks, deadlines=[], state={}, start=""
    )
    campaign, found = _assemble(stand_in, [(stand_in, source), *parsed], folder)
    campaign.complete = False
    campaign.salvaged_ids = salvaged
    out: list[Diagnostic] = []
    check_targets(campaign, out)
    return found + out


def _moves(story: StoryFile) -> int:
    """The choices and chance branches a file adds."""
    choices = [c for s in story.scenes for c in s.choices] + [c for h in story.hooks for c in h.choices]
    return sum(1 + len(c.chance or ()) for c in choices)


def _salvage(data: dict[str, Any]) -> tuple[StoryFile, set[str]]:
    """The valid items of a file that failed validation, and the ids of the invalid ones."""
    kept: dict[str, list[Any]] = {"scenes": [], "endings": [], "hooks": []}
    lost: set[str] = set()
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
    return StoryFile.model_validate(kept), lost


def _dedupe(diags: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(set(diags), key=lambda d: (d.file, d.line, d.column, d.code, d.message))


def _assemble(
    header: CampaignFile, parsed: list[tuple[StoryFile, Source]], folder: Path
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
