"""Finding campaigns: the bundled ones, and a campaign named by id or by path.

Finding them costs no YAML and no Pydantic (the title screen lists them before either is
imported); loading one imports the loader, lazily, in the functions that load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from dealquest.story.campaign import CAMPAIGN_FILE, Campaign, LoadResult
from dealquest.story.diagnostics import DQ008_UNKNOWN_CAMPAIGN, Diagnostic, Location

_WORD = re.compile(r"[\w'’-]+")


def bundled_root() -> Path:
    """Where the bundled campaigns live: inside the package once installed, else the repo's story/."""
    package = Path(__file__).resolve().parent.parent
    inside = package / "bundled"
    if inside.is_dir():
        return inside
    return package.parent / "story"


def bundled() -> list[Path]:
    root = bundled_root()
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / CAMPAIGN_FILE).is_file())


def bundled_names() -> str:
    """The bundled campaigns' folder names, for messages: "bistro, dispatch, launch" (or "none")."""
    return ", ".join(p.name for p in bundled()) or "none"


def unknown(name: str) -> Diagnostic:
    """The finding for a name that is neither a campaign folder nor a bundled campaign."""
    return DQ008_UNKNOWN_CAMPAIGN.at(Location(name), name=name, known=bundled_names())


def resolve(name: str) -> Path | None:
    """A campaign folder from an id of a bundled campaign or a path; None when neither fits."""
    path = Path(name)
    if path.exists():
        return path
    for folder in bundled():
        if folder.name == name:
            return folder
    from dealquest.story.loader import load_campaign

    for folder in bundled():  # an id may differ from its folder's name
        result = load_campaign(folder)
        if result.campaign is not None and result.campaign.id == name:
            return folder
    return None


def load(name: str) -> LoadResult:
    from dealquest.story.loader import load_campaign

    folder = resolve(name)
    if folder is None:
        return LoadResult(None, [unknown(name)])
    return load_campaign(folder)


def word_count(text: str | None) -> int:
    """The words of a story text, the words of every alternative in it included."""
    from dealquest.story.template import all_text

    return len(_WORD.findall(all_text(text)))


@dataclass(frozen=True)
class Stats:
    id: str
    title: str
    summary: str
    path: str
    scenes: int
    choices: int
    endings: int
    words: int


def stats(campaign: Campaign, path: Path) -> Stats:
    words = word_count(campaign.title) + word_count(campaign.header.summary)
    for scene in campaign.scenes.values():
        words += sum(word_count(t) for t in (scene.title, scene.text, scene.handoff))
        for choice in scene.choices:
            words += word_count(choice.text) + word_count(choice.feedback)
            words += sum(word_count(b.text) for b in choice.chance or ())
    for ending in campaign.endings.values():
        words += word_count(ending.title) + word_count(ending.text)
    words += sum(word_count(d.text) for d in campaign.header.deadlines)
    choices = sum(len(s.choices) for s in campaign.scenes.values())
    return Stats(
        campaign.id,
        campaign.title,
        campaign.header.summary.strip(),
        str(path),
        len(campaign.scenes),
        choices,
        len(campaign.endings),
        words,
    )
