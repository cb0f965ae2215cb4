"""`dealquest new`: a campaign folder that validates and plays at once, with every feature shown."""

from __future__ import annotations

from pathlib import Path

from dealquest.story.model import ID_PATTERN
from dealquest.story.schema import json_schema

TEMPLATE = Path(__file__).resolve().parent / "templates" / "new"


class ScaffoldError(Exception):
    """Why no campaign was written."""


def invalid_id(campaign_id: str) -> str:
    """Why a campaign id cannot be used, for `dealquest new` to say."""
    return f"'{campaign_id}' is not a valid campaign id: use lowercase letters, digits and _, starting with a letter"


def create(campaign_id: str, parent: Path) -> Path:
    """Write a new campaign folder `parent / campaign_id`; raises ScaffoldError, writing nothing, if it cannot."""
    if not ID_PATTERN.match(campaign_id):
        raise ScaffoldError(invalid_id(campaign_id))
    target = parent / campaign_id
    if target.exists() and any(target.iterdir()):
        raise ScaffoldError(f"{target} already exists and is not empty; nothing was written")
    title = campaign_id.replace("_", " ").capitalize()
    files: dict[Path, str] = {}
    for source in sorted(TEMPLATE.rglob("*.yaml")):
        text = source.read_text(encoding="utf-8").replace("__ID__", campaign_id).replace("__TITLE__", title)
        files[target / source.relative_to(TEMPLATE)] = text
    for kind in ("campaign", "story", "tests"):
        files[target / ".schema" / f"{kind}.json"] = json_schema(kind)
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ScaffoldError(f"cannot write {exc.filename}: {exc.strerror}") from None
    return target
