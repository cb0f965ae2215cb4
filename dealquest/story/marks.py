"""A choice's marks on one line: `marks: pull +2, one +2, closing +1`.

The compact form says in one line what up to six fields say in the long form: the technique (with
its push/pull mark), whom the choice addresses (with its audience mark), the closing mark and
pressure. The model reads it into those same fields, so a compact choice and its long form are the
same choice; `compact` writes the line back from the fields.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from dealquest.story.model import ADDRESSEES, SCORE_MAX, SCORE_MIN, TECHNIQUES

#: The long-form fields the compact form stands for.
FIELDS = ("technique", "push_pull", "addresses", "audience", "closing", "pressure")
#: The words a marks line is made of.
WORDS: tuple[str, ...] = (*TECHNIQUES, *ADDRESSEES, "audience", "closing", "pressure")
EXAMPLE = "pull +2, one +2, closing +1"
HINT = f"write the marks as e.g. 'marks: {EXAMPLE}'"

_TERM = re.compile(r"\s*([^\s,]*)[ \t]*([^\s,]*)\s*([^,]*)")
_MARK = re.compile(r"[+-]?[0-9]+\Z")


@dataclass(frozen=True)
class MarksError(Exception):
    """What is wrong with a marks line, where in it (a character offset), and how to fix it."""

    offset: int
    problem: str
    hint: str = HINT


def parse(text: str) -> dict[str, Any]:
    """The long-form fields a marks line stands for; MarksError when it cannot be read."""
    found: dict[str, Any] = {}
    named: dict[str, str] = {}  # technique / addressee / closing / pressure / audience -> the word that gave it
    at = 0
    for piece in text.split(","):
        term = _TERM.match(piece)
        assert term is not None  # every group may be empty
        word, mark, rest = term.group(1), term.group(2), term.group(3).rstrip()
        word_at, mark_at = at + term.start(1), at + term.start(2)
        at += len(piece) + 1
        if not word:
            raise MarksError(
                min(word_at, max(len(text) - 1, 0)), "marks has an empty term (two commas, or one at an end)"
            )
        if rest:
            raise MarksError(at - len(piece) - 1 + term.start(3), f"'{rest}' follows '{word} {mark}' without a comma")
        if word not in WORDS:
            near = difflib.get_close_matches(word.lower(), WORDS, n=1, cutoff=0.6)
            hint = f"did you mean '{near[0]}'?" if near else f"marks are made of: {', '.join(WORDS)}"
            raise MarksError(word_at, f"'{word}' in marks is not a technique, an addressee, closing or pressure", hint)
        kind = "technique" if word in TECHNIQUES else "addressee" if word in ADDRESSEES else word
        if kind in named:
            raise MarksError(word_at, f"marks name {_kind(kind)} twice: '{named[kind]}' and '{word}'")
        named[kind] = word
        if word == "pressure":
            if mark:
                raise MarksError(mark_at, "'pressure' in marks takes no number", "write just 'pressure'")
            found["pressure"] = True
            continue
        if word in ("audience", "closing") and not mark:
            raise MarksError(
                word_at, f"'{word}' in marks needs a mark from {SCORE_MIN} to +{SCORE_MAX}", f"write '{word} +1'"
            )
        if kind == "technique":
            found["technique"] = word
        elif kind == "addressee":
            found["addresses"] = word
        if mark:
            field = {"technique": "push_pull", "addressee": "audience"}.get(kind, kind)
            if field in found:  # an addressee's mark and 'audience N' both give the audience mark
                raise MarksError(word_at, "marks give the audience mark twice", "keep the mark after the addressee")
            found[field] = _mark(mark, mark_at, word)
    return found


def _mark(mark: str, at: int, word: str) -> int:
    if mark in WORDS:
        raise MarksError(at, f"'{mark}' follows '{word}' without a comma", f"write '{word}, {mark}'")
    if not _MARK.match(mark):
        raise MarksError(
            at,
            f"'{mark}' after '{word}' in marks is not a mark",
            f"marks are whole numbers from {SCORE_MIN} to +{SCORE_MAX}",
        )
    value = int(mark)
    if not SCORE_MIN <= value <= SCORE_MAX:
        raise MarksError(
            at, f"the mark {mark} after '{word}' is outside {SCORE_MIN} to +{SCORE_MAX}", "marks go from -2 to +2"
        )
    return value


def _kind(kind: str) -> str:
    return {"technique": "a technique", "addressee": "whom the choice addresses"}.get(kind, f"'{kind}'")


def compact(fields: dict[str, Any]) -> str:
    """The marks line for a choice's long-form fields (those left out take their defaults)."""
    out: list[str] = []
    technique, push_pull = fields.get("technique", "none"), fields.get("push_pull")
    if technique != "none" or push_pull is not None or "technique" in fields:
        out.append(technique + ("" if push_pull is None else f" {push_pull:+d}"))
    addresses, audience = fields.get("addresses"), fields.get("audience")
    if addresses is not None:
        out.append(addresses + ("" if audience is None else f" {audience:+d}"))
    elif audience is not None:
        out.append(f"audience {audience:+d}")
    out.append(f"closing {fields.get('closing', 0):+d}")
    if fields.get("pressure"):
        out.append("pressure")
    return ", ".join(out)
