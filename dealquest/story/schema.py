"""JSON Schema for story files, generated from the Pydantic models the loader validates with."""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel

from dealquest.story.model import CampaignFile, StoryFile, StoryTestFile

Kind = Literal["campaign", "story", "tests"]
_MODELS: dict[str, type[BaseModel]] = {"campaign": CampaignFile, "story": StoryFile, "tests": StoryTestFile}
_TITLES = {
    "campaign": "DealQuest campaign.yaml",
    "story": "DealQuest scene file",
    "tests": "DealQuest story test file",
}


def json_schema(kind: Kind) -> str:
    schema = _MODELS[kind].model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = _TITLES[kind]
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
