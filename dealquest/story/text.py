r"""Text made safe to show: the one rule for every place text leaves DealQuest.

Story files, saves, trainee names and the results store are written by people other than the one
reading the output. A scene text such as `\x1b]8;;file:///etc/passwd\x1b\\`, a grade band `"\x1bc"`
(which wipes the terminal) or a right-to-left override (U+202E, which turns `exe.txt` into
`txt.exe` on screen) must vanish, or show as a visible escape, wherever it is printed: the
full-screen app (see `dealquest.tui.safe`), `play --plain`, diagnostics, reports and exports.
`clean` is that rule; the edges call it, and `tests/story/test_text.py` holds its table.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: Bidirectional embeddings, overrides and isolates: they reorder what follows them on screen
#: ("Trojan Source"). The marks U+200E and U+200F only nudge neutral characters and stay.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/PM/APC/SOS strings, the other escapes
# (ESC, intermediates, one final byte: "ESC c" resets, "ESC 7" saves the cursor, "ESC ( 0"
# switches to line drawing), and the 8-bit C1 forms: removed whole, parameters and all.
_SEQUENCES = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]
    | \x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?
    | \x9b[0-?]*[ -/]*[@-~]
    | [\x9d\x90\x98\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?
    | \x1b[ -/]*[0-~]?
    """,
    re.VERBOSE,
)
# Every other control character (C0 but tab and newline, DEL, C1), the bidi controls, and the
# Unicode line and paragraph separators, which some terminals and editors take as line breaks.
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f" + BIDI_CONTROLS + "\u2028\u2029"
_CONTROL = re.compile(f"[{_CONTROLS}]")
_LINE_CONTROL = re.compile(f"[\t\n{_CONTROLS}]")
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def clean(text: str | None, *, visible: bool = False, line: bool = False) -> str:
    r"""Text that cannot move the cursor, restyle, retitle or reset a terminal, or reorder itself.

    By default escape sequences and control characters are removed, as for story text shown to a
    player. With `visible`, each control character shows as an escape instead (`\x1b`, `\u202e`):
    what a writer needs to find it in a diagnostic. With `line`, newlines and tabs count as control
    characters too (removed as a space), for one-line places: a table cell, a list, a message.
    """
    if not text:
        return ""
    if visible:
        return (_LINE_CONTROL if line else _CONTROL).sub(_visible, text)
    text = _SEQUENCES.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if line:
        return _CONTROL.sub("", text.replace("\n", " ").replace("\t", " "))
    return _CONTROL.sub("", text)


def json_text(data: Any, **options: Any) -> str:
    r"""JSON that keeps every string exactly and is still safe to print: control characters, bidi
    controls and line separators are written as \u escapes (valid JSON, decoded back unchanged)."""
    text = json.dumps(data, ensure_ascii=False, **options)
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def markdown_text(text: str | None) -> str:
    """Story Markdown as plain text (emphasis markers dropped, paragraphs and list bullets kept),
    for places that show many short texts, like the journal, where a Markdown widget each is too heavy."""
    from markdown_it import MarkdownIt

    paragraphs: list[str] = []
    bullet = ""
    for token in MarkdownIt("commonmark").parse(clean(text)):
        if token.type == "list_item_open":
            bullet = "• "
        elif token.type == "inline":
            parts: list[str] = []
            for child in token.children or []:
                if child.type in ("text", "code_inline", "html_inline"):
                    parts.append(child.content)
                elif child.type == "softbreak":
                    parts.append(" ")
                elif child.type == "hardbreak":
                    parts.append("\n")
            paragraphs.append(bullet + "".join(parts))
            bullet = ""
        elif token.type in ("code_block", "fence", "html_block"):
            paragraphs.append(token.content.rstrip("\n"))
    return "\n\n".join(p for p in paragraphs if p)


# ---------------------------------------------------------------------- sentences

#: What ends a sentence, and what may close around its end ("… one booking." or “… tonight!”).
_ENDS = ".!?…"
_CLOSERS = "\"'”’)]»*_"
_ENDED = re.compile(f"[{re.escape(_ENDS)}][{re.escape(_CLOSERS)}]*$")


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 scene`, `2 scenes`: a count with its noun (`many` where adding "s" is wrong)."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def full_stop(text: str) -> str:
    """The text as one sentence: a full stop added unless it already ends in one (or in ? ! …,
    inside closing quotes and brackets too), so that "crave?" never becomes "crave?." and
    "booking." never "booking..". Trailing spaces go; an empty text stays empty."""
    text = text.rstrip()
    if not text or _ENDED.search(text):
        return text
    if text[-1] in ",;:":  # a clause left open by a writer: closed, not doubled
        text = text[:-1].rstrip()
    return text + "."


def sentences(*parts: str | None) -> str:
    """Parts said one after another, each as a sentence (see `full_stop`); empty parts are left out.
    The one way every front end joins a label and a writer's text ("Aim: …", "Locked: …")."""
    return " ".join(full_stop(part) for part in parts if part and part.strip())


_DOUBLED_AFTER_CLOSER = re.compile(f"([{re.escape(_ENDS)}][{re.escape(_CLOSERS)}]+)\\.(?!\\.)")
_DOUBLED = re.compile(r"(?<!\.)([?!,;:]|(?<![.])\.)\.(?!\.)")


def tidy_stops(text: str) -> str:
    """Text with no stop said twice: "Go.'." becomes "Go.'", "crave?." "crave?" and "booking.."
    "booking."; an ellipsis ("...") stays. For what is read aloud line by line (`play --plain`),
    where a writer's quotation that ends a sentence inside a sentence would be read as two stops."""
    text = _DOUBLED_AFTER_CLOSER.sub(r"\1", text)
    return _DOUBLED.sub(r"\1", text)
