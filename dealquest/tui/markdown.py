"""Story Markdown as Textual Content: what the play screen shows, without a Markdown widget.

Scene texts use a small part of Markdown (paragraphs, **bold**, *italic*, quotes, lists). Textual's
Markdown widget mounts a widget per block and lays the screen out again each time it changes,
which is most of the cost of a turn; a Content is painted by one widget that keeps its size.
Links show their text and are never followed; raw HTML shows as text. The text is cleaned of
terminal escapes first (see `dealquest.story.text`), and no markup is ever read from it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from textual.content import Content

from dealquest.story.text import clean

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

#: How each kind of inline span looks.
_INLINE_STYLE = {"strong": "bold", "em": "italic", "s": "strike"}
QUOTE_BAR = "▌ "


@lru_cache(maxsize=4096)
def story_content(text: str | None) -> Content:
    """Markdown text as one Content: blocks separated by blank lines, emphasis kept as styles."""
    tokens = _parser().parse(clean(text))
    blocks: list[Content] = []
    items: set[int] = set()  # the blocks that are list items: one after another they need no blank line
    quote = 0
    lists: list[list[int]] = []  # per open list: [next number] for ordered, [] for bullets
    prefix = ""
    heading = False
    for token in tokens:
        kind = token.type
        if kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote -= 1
        elif kind == "bullet_list_open":
            lists.append([])
        elif kind == "ordered_list_open":
            lists.append([int(token.attrGet("start") or 1)])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            indent = "  " * (len(lists) - 1)
            if lists and lists[-1]:
                prefix = f"{indent}{lists[-1][0]}. "
                lists[-1][0] += 1
            else:
                prefix = f"{indent}• "
        elif kind == "heading_open":
            heading = True
        elif kind == "heading_close":
            heading = False
        elif kind == "inline":
            line = _inline(token.children or [])
            if heading:
                line = line.stylize_before("bold underline")
            if quote:
                line = Content.assemble((QUOTE_BAR * quote, "dim"), line.stylize_before("italic"))
            if prefix:
                line = Content(prefix) + line
                prefix = ""
                items.add(len(blocks))
            blocks.append(line)
        elif kind in ("code_block", "fence", "html_block"):
            blocks.append(Content(token.content.rstrip("\n")))
        elif kind == "hr":
            blocks.append(Content.styled("─" * 20, "dim"))
    # Assembled once: adding block after block measured the growing text each time, and a 13 KB
    # list of 3,000 items took 24 s.
    pieces: list[Content | str] = []
    for number, block in enumerate(blocks):
        if number:
            pieces.append("\n" if number in items and number - 1 in items else "\n\n")
        pieces.append(block)
    return Content.assemble(*pieces)


#: Texts of more blocks (paragraphs, list items, headings) than this are shown as one Content
#: (`story_content`) rather than in Textual's Markdown widget, which builds a widget per block:
#: 600 list items took 9 s to show, 3,000 froze the debrief for 36 s.
MAX_MARKDOWN_BLOCKS = 60


def needs_light_rendering(text: str | None) -> bool:
    """Whether a story text has too many blocks for the Markdown widget (see MAX_MARKDOWN_BLOCKS)."""
    if not text:
        return False
    blocks = 0
    for token in _parser().parse(clean(text)):
        if token.type == "inline" or token.type in ("fence", "code_block", "html_block", "hr"):
            blocks += 1
            if blocks > MAX_MARKDOWN_BLOCKS:
                return True
    return False


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("strikethrough")


def _inline(children: list[Token]) -> Content:
    parts: list[tuple[str, str]] = []
    styles: list[str] = []
    for child in children:
        kind = child.type
        if kind.endswith("_open") and kind[:-5] in _INLINE_STYLE:
            styles.append(_INLINE_STYLE[kind[:-5]])
        elif kind.endswith("_close") and kind[:-6] in _INLINE_STYLE:
            if styles:
                styles.pop()
        elif kind in ("text", "html_inline"):
            parts.append((child.content, " ".join(styles)))
        elif kind == "code_inline":
            parts.append((child.content, " ".join([*styles, "bold"])))
        elif kind == "softbreak":
            parts.append((" ", ""))
        elif kind == "hardbreak":
            parts.append(("\n", ""))
        elif kind == "image":
            parts.append((child.content, " ".join(styles)))
    return Content.assemble(*parts)
