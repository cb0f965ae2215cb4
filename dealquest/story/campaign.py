"""A loaded campaign: the header, every scene and ending by id, and where each was written.

The loader builds a `Campaign`; everything that plays, checks or explains a story reads one.
Importing this costs no YAML and no Pydantic (the models are only named in annotations), so the
library can find campaign folders, and the title screen can be painted, before either is imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dealquest.story.diagnostics import Diagnostic, Location, has_errors

if TYPE_CHECKING:
    from dealquest.story.model import CampaignFile, Ending, Rubric, Scene
    from dealquest.story.yamlsource import PathKey, Source

CAMPAIGN_FILE = "campaign.yaml"  # the file every campaign folder starts with


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a scene, ending, choice or hook was written: the file and the path inside it."""

    source: Source
    path: PathKey

    def at(self, *more: str | int, key: bool = False) -> tuple[str, int, int]:
        line, col = self.source.where((*self.path, *more), key=key)
        return self.source.name, line, col

    def locate(self, *below: str | int, key: bool = False) -> Location:
        """Where the value `below` this origin was written, and its path, for a diagnostic."""
        file, line, col = self.at(*below, key=key)
        return Location(file, line, col, ".".join(str(p) for p in (*self.path, *below)))

    def locate_char(self, value: str, offset: int, *below: str | int) -> Location:
        """Where the character at `offset` of the text `value` (the field `below` this origin) was written."""
        line, col = self.source.where_char((*self.path, *below), value, offset)
        return Location(self.source.name, line, col, ".".join(str(p) for p in (*self.path, *below)))


@dataclass
class Campaign:
    """A validated campaign: the header, every scene and ending by id, and where each came from."""

    header: CampaignFile
    folder: Path
    scenes: dict[str, Scene]
    endings: dict[str, Ending]
    origins: dict[str, Origin] = field(default_factory=dict)
    #: (scene id, choice index) -> where the choice was written (a hook may add it elsewhere)
    choice_origins: dict[tuple[str, int], Origin] = field(default_factory=dict)
    content_hash: str = ""
    #: False when a file failed to load: whole-campaign checks would then report false alarms
    complete: bool = True
    #: ids defined in files or items that failed to load, so targets to them are not reported
    salvaged_ids: set[str] = field(default_factory=set)
    #: True when a file or item failed to load without its ids being readable: no target is then reported missing
    ids_unknown: bool = False
    #: campaign.yaml as parsed, for the positions of campaign-wide fields
    header_source: Source | None = None
    #: what the engine works out once per campaign and reuses (decision figures, decisions)
    memo: dict[tuple[object, ...], Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def id(self) -> str:
        return self.header.id

    @property
    def title(self) -> str:
        return self.header.title

    @property
    def version(self) -> str:
        return self.header.version

    @property
    def rubric(self) -> Rubric:
        return self.header.rubric

    def node(self, node_id: str) -> Scene | Ending:
        return self.scenes.get(node_id) or self.endings[node_id]


@dataclass
class LoadResult:
    """What loading a campaign folder gave: the campaign (None when it could not be built) and every finding."""

    campaign: Campaign | None
    diagnostics: list[Diagnostic]

    @property
    def ok(self) -> bool:
        return self.campaign is not None and not has_errors(self.diagnostics)
