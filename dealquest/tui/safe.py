"""Story text made safe to show: never read as markup, and stripped of terminal escape sequences.

Story files are written by people other than the player; a scene text such as `[bold]x[/]` or
`\x1b]8;;file:///etc/passwd\x1b\\` must show (or vanish) harmlessly, never style or link anything.
The stripping itself lives in `dealquest.story.text`, shared with the plain line mode.
"""

from __future__ import annotations

from textual.content import Content

from dealquest.story.text import clean, markdown_text

__all__ = ["clean", "markdown_text", "plain"]


def plain(text: str | None, style: str = "") -> Content:
    """Story text as Content that is shown literally, whatever brackets it contains."""
    return Content.styled(clean(text), style) if style else Content(clean(text))
