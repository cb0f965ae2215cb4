"""The statement rules of xAPI 1.0.3 (Part Two: Experience API Data), checked without a network.

Written from the specification, section by section, for the statements DealQuest sends: an LRS
refuses a batch with a statement that breaks any of these (400 Bad Request). `problems(statements)`
lists every break as "statement N (id): where: what"; an empty list means a conforming batch.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

# 2.4.1 Statement: the properties a statement may have.
STATEMENT_KEYS = {
    "id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority", "version",
    "attachments",
}  # fmt: skip
REQUIRED = {"actor", "verb", "object"}
AGENT_KEYS = {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"}
IFIS = {"mbox", "mbox_sha1sum", "openid", "account"}
VERB_KEYS = {"id", "display"}
ACTIVITY_KEYS = {"objectType", "id", "definition"}
DEFINITION_KEYS = {
    "name", "description", "type", "moreInfo", "extensions", "interactionType", "correctResponsesPattern",
    "choices", "scale", "source", "target", "steps",
}  # fmt: skip
INTERACTION_TYPES = {
    "true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing", "likert",
    "numeric", "other",
}  # fmt: skip
# 2.4.4.1 Interaction components allowed per interaction type.
COMPONENTS = {"choice": {"choices"}, "sequencing": {"choices"}, "likert": {"scale"}, "matching": {"source", "target"}}
RESULT_KEYS = {"score", "success", "completion", "response", "duration", "extensions"}
SCORE_KEYS = {"scaled", "raw", "min", "max"}
CONTEXT_KEYS = {
    "registration", "instructor", "team", "contextActivities", "revision", "platform", "language", "statement",
    "extensions",
}  # fmt: skip
CONTEXT_ACTIVITY_KEYS = {"parent", "grouping", "category", "other"}
VOIDED = "http://adlnet.gov/expapi/verbs/voided"

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
# RFC 3987 IRIs, as far as an LRS checks them: a scheme, then no spaces or angle brackets.
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
# RFC 5646 language tags (the common shape: language, optional script, region and variants).
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-[A-Za-z0-9]{5,8})*$")
# ISO 8601 durations; xAPI keeps them to 0.01 s.
DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")


class Checker:
    def __init__(self) -> None:
        self.found: list[str] = []
        self.where = ""

    def fail(self, path: str, what: str) -> None:
        self.found.append(f"{self.where}: {path}: {what}")

    def keys(self, path: str, value: Any, allowed: set[str]) -> bool:
        if not isinstance(value, dict):
            self.fail(path, "is not an object")
            return False
        for key in set(value) - allowed:
            self.fail(f"{path}.{key}", "is not a property xAPI 1.0.3 defines here")
        for key, item in value.items():
            if item is None:
                self.fail(f"{path}.{key}", "is null (a property is left out, never null)")
        return True

    def iri(self, path: str, value: Any) -> None:
        if not isinstance(value, str) or not IRI.match(value):
            self.fail(path, f"{value!r} is not an IRI")

    def uuid(self, path: str, value: Any) -> None:
        if not isinstance(value, str) or not UUID.match(value):
            self.fail(path, f"{value!r} is not a UUID")

    def language_map(self, path: str, value: Any) -> None:
        if not isinstance(value, dict) or not value:
            self.fail(path, "is not a language map")
            return
        for tag, text in value.items():
            if not LANGUAGE.match(tag):
                self.fail(path, f"{tag!r} is not an RFC 5646 language tag")
            if not isinstance(text, str):
                self.fail(f"{path}.{tag}", "is not a string")

    def extensions(self, path: str, value: Any) -> None:
        if not isinstance(value, dict):
            self.fail(path, "is not an object")
            return
        for key in value:
            self.iri(f"{path} key", key)

    def timestamp(self, path: str, value: Any) -> None:
        try:
            when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            self.fail(path, f"{value!r} is not an ISO 8601 timestamp")
            return
        if when.tzinfo is None:
            self.fail(path, f"{value!r} has no time zone")

    def agent(self, path: str, value: Any) -> None:
        if not self.keys(path, value, AGENT_KEYS):
            return
        if value.get("objectType", "Agent") != "Agent":
            self.fail(f"{path}.objectType", "an actor here is an Agent")
        ifis = IFIS & set(value)
        if len(ifis) != 1:
            self.fail(path, f"has {len(ifis)} inverse functional identifiers; an Agent has exactly one")
        if "name" in value and not isinstance(value["name"], str):
            self.fail(f"{path}.name", "is not a string")
        if "account" in value and self.keys(f"{path}.account", value["account"], {"homePage", "name"}):
            account = value["account"]
            if set(account) != {"homePage", "name"}:
                self.fail(f"{path}.account", "needs homePage and name")
            self.iri(f"{path}.account.homePage", account.get("homePage"))
            if not isinstance(account.get("name"), str) or not account.get("name"):
                self.fail(f"{path}.account.name", "is not a non-empty string")

    def activity(self, path: str, value: Any) -> None:
        if not self.keys(path, value, ACTIVITY_KEYS):
            return
        if value.get("objectType", "Activity") != "Activity":
            self.fail(f"{path}.objectType", "is not Activity")
        self.iri(f"{path}.id", value.get("id"))
        definition = value.get("definition")
        if definition is None or not self.keys(f"{path}.definition", definition, DEFINITION_KEYS):
            return
        for key in ("name", "description"):
            if key in definition:
                self.language_map(f"{path}.definition.{key}", definition[key])
        for key in ("type", "moreInfo"):
            if key in definition:
                self.iri(f"{path}.definition.{key}", definition[key])
        if "extensions" in definition:
            self.extensions(f"{path}.definition.extensions", definition["extensions"])
        kind = definition.get("interactionType")
        parts = {"choices", "scale", "source", "target", "steps", "correctResponsesPattern"} & set(definition)
        if kind is None:
            if parts:
                self.fail(f"{path}.definition", "has interaction components without an interactionType")
            return
        if kind not in INTERACTION_TYPES:
            self.fail(f"{path}.definition.interactionType", f"{kind!r} is not an interaction type")
            return
        for part in parts - {"correctResponsesPattern"} - COMPONENTS.get(kind, set()):
            self.fail(f"{path}.definition.{part}", f"is not a component of a {kind} interaction")
        pattern = definition.get("correctResponsesPattern")
        if pattern is not None and (not isinstance(pattern, list) or not all(isinstance(p, str) for p in pattern)):
            self.fail(f"{path}.definition.correctResponsesPattern", "is not an array of strings")
        for part in COMPONENTS.get(kind, set()) & set(definition):
            items = definition[part]
            if not isinstance(items, list):
                self.fail(f"{path}.definition.{part}", "is not an array")
                continue
            ids = [item.get("id") if isinstance(item, dict) else None for item in items]
            for i, item in enumerate(items):
                where = f"{path}.definition.{part}[{i}]"
                if self.keys(where, item, {"id", "description"}):
                    if not isinstance(item.get("id"), str) or not item["id"] or re.search(r"\s", item["id"]):
                        self.fail(f"{where}.id", "is not an id without whitespace")
                    if "description" in item:
                        self.language_map(f"{where}.description", item["description"])
            if len(set(ids)) != len(ids):
                self.fail(f"{path}.definition.{part}", "has duplicate ids")
            if kind == "choice" and pattern:
                for response in pattern:
                    for chosen in response.split("[,]") if response else []:
                        if chosen not in ids:
                            self.fail(f"{path}.definition.correctResponsesPattern", f"{chosen!r} is not a choice id")

    def result(self, path: str, value: Any, choice_ids: list[str] | None) -> None:
        if not self.keys(path, value, RESULT_KEYS):
            return
        for key in ("success", "completion"):
            if key in value and not isinstance(value[key], bool):
                self.fail(f"{path}.{key}", "is not a boolean")
        if "response" in value:
            if not isinstance(value["response"], str):
                self.fail(f"{path}.response", "is not a string")
            elif choice_ids is not None:
                for chosen in value["response"].split("[,]") if value["response"] else []:
                    if chosen not in choice_ids:
                        self.fail(f"{path}.response", f"{chosen!r} is not one of the interaction's choice ids")
        if "duration" in value and (not isinstance(value["duration"], str) or not DURATION.match(value["duration"])):
            self.fail(f"{path}.duration", f"{value['duration']!r} is not an ISO 8601 duration")
        if "extensions" in value:
            self.extensions(f"{path}.extensions", value["extensions"])
        score = value.get("score")
        if score is not None and self.keys(f"{path}.score", score, SCORE_KEYS):
            for key, figure in score.items():
                if isinstance(figure, bool) or not isinstance(figure, int | float):
                    self.fail(f"{path}.score.{key}", "is not a number")
                    return
            if "scaled" in score and not -1 <= score["scaled"] <= 1:
                self.fail(f"{path}.score.scaled", f"{score['scaled']} is outside -1..1")
            low, high = score.get("min"), score.get("max")
            if low is not None and high is not None and not low < high:
                self.fail(f"{path}.score", "min is not below max")
            raw = score.get("raw")
            if raw is not None and ((low is not None and raw < low) or (high is not None and raw > high)):
                self.fail(f"{path}.score.raw", f"{raw} is outside min..max")

    def context(self, path: str, value: Any, object_is_activity: bool) -> None:
        if not self.keys(path, value, CONTEXT_KEYS):
            return
        if "registration" in value:
            self.uuid(f"{path}.registration", value["registration"])
        for key in ("revision", "platform"):
            if key in value:
                if not object_is_activity:
                    self.fail(f"{path}.{key}", "is only allowed when the object is an Activity")
                if not isinstance(value[key], str):
                    self.fail(f"{path}.{key}", "is not a string")
        if "language" in value and not LANGUAGE.match(str(value["language"])):
            self.fail(f"{path}.language", f"{value['language']!r} is not an RFC 5646 language tag")
        if "extensions" in value:
            self.extensions(f"{path}.extensions", value["extensions"])
        activities = value.get("contextActivities")
        if activities is not None and self.keys(f"{path}.contextActivities", activities, CONTEXT_ACTIVITY_KEYS):
            for key, items in activities.items():
                for i, item in enumerate(items if isinstance(items, list) else [items]):
                    self.activity(f"{path}.contextActivities.{key}[{i}]", item)

    def statement(self, n: int, s: Any) -> None:
        self.where = f"statement {n} ({s.get('id') if isinstance(s, dict) else '?'})"
        if not self.keys("statement", s, STATEMENT_KEYS):
            return
        for key in REQUIRED - set(s):
            self.fail(key, "is required")
        if "id" in s:
            self.uuid("id", s["id"])
        if "version" in s and not re.match(r"^1\.0(\.\d+)?$", str(s["version"])):
            self.fail("version", f"{s['version']!r} is not 1.0.x")
        if "timestamp" in s:
            self.timestamp("timestamp", s["timestamp"])
        self.agent("actor", s.get("actor"))
        verb = s.get("verb")
        if self.keys("verb", verb, VERB_KEYS):
            self.iri("verb.id", verb.get("id"))
            if "display" in verb:
                self.language_map("verb.display", verb["display"])
        target = s.get("object")
        kind = target.get("objectType", "Activity") if isinstance(target, dict) else None
        choice_ids: list[str] | None = None
        if kind == "Activity":
            self.activity("object", target)
            definition = target.get("definition") or {}
            if definition.get("interactionType") == "choice":
                choice_ids = [c.get("id") for c in definition.get("choices", []) if isinstance(c, dict)]
        elif kind == "StatementRef":
            if self.keys("object", target, {"objectType", "id"}):
                self.uuid("object.id", target.get("id"))
        else:
            self.fail("object", f"objectType {kind!r} is not one DealQuest sends")
        # 2.3.2 Voided: the object of a voiding statement is a StatementRef.
        if isinstance(verb, dict) and verb.get("id") == VOIDED and kind != "StatementRef":
            self.fail("object", "a voiding statement's object must be a StatementRef")
        if "result" in s:
            self.result("result", s["result"], choice_ids)
        if "context" in s:
            self.context("context", s["context"], kind == "Activity")


def problems(statements: list[Any]) -> list[str]:
    """Every break of the xAPI 1.0.3 statement rules in a batch; empty when it conforms."""
    check = Checker()
    for n, statement in enumerate(statements, start=1):
        check.statement(n, statement)
    check.where = "batch"
    ids = [s.get("id") for s in statements if isinstance(s, dict) and "id" in s]
    if len(set(ids)) != len(ids):
        check.fail("ids", "a statement id is used twice (an LRS keeps the first and refuses the batch)")
    by_id = {s.get("id"): s for s in statements if isinstance(s, dict)}
    for s in statements:
        if isinstance(s, dict) and s.get("verb", {}).get("id") == VOIDED:
            target = by_id.get(s.get("object", {}).get("id"))
            if target is None:
                check.fail(s.get("id", "?"), "voids a statement that is not in the batch")
            elif target.get("verb", {}).get("id") == VOIDED:
                check.fail(s.get("id", "?"), "voids a voiding statement")
    return check.found
