"""Story text made safe to print: terminal escape sequences stripped, Markdown flattened to plain text.

Story files are written by people other than the player; a scene text such as
`\x1b]8;;file:///etc/passwd\x1b\\` must vanish harmlessly wherever it is shown, in the full-screen
app (see `dealquest.tui.safe`) or on a plain terminal line (`dealquest play --plain`).
"""

from __future__ import annotations

import re

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/PM/APC/SOS strings, two-byte escapes,
# the 8-bit C1 forms of the same, and any other control character except tab and newline.
_ESCAPES = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]
    | \x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?
    | \x9b[0-?]*[ -/]*[@-~]
    | [\x9d\x90\x98\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?
    | \x1b[@-Z\\-_]?
    | [\x00-\x08\x0b-\x1f\x7f-\x9f]
    """,
    re.VERBOSE,
)


def clean(text: str | None) -> str:
    """Text with every terminal escape sequence and control character removed."""
    if not text:
        return ""
    return _ESCAPES.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


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
