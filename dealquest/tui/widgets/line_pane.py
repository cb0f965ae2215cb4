"""Scrollable lines of text that repaint only the lines that changed, and never lay out the screen.

The play screen's widgets (the story page, the score and the state) change on every turn. Textual
lays the screen out again when a Static's text changes and repaints every line of it; laying out
and repainting a whole screen of widgets costs several times what a bare app pays to replace one
Static's text. A `LinePane` keeps its size (its place in the grid is fixed), so it sets its
scrollable size without a layout, and it compares the new lines with those on the screen and
repaints only the ones that differ: a turn that changes two figures in the state repaints two lines.
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget


class LinePane(ScrollView):
    """Rendered lines (`Strip`s) in a scrollable pane; subclasses build them in `build_lines`."""

    #: How many rendered paragraphs a pane keeps: a side panel's lines mostly repeat from turn to turn.
    CACHE_SIZE = 256

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._lines: list[Strip] = []
        #: the content width the lines were built for; -1 when they must be built again
        self._width = -1
        self._rendered: dict[tuple[Content, int, tuple[str, ...]], list[Strip]] = {}

    # ------------------------------------------------------------------ for subclasses

    def build_lines(self, width: int) -> list[Strip]:
        """The lines to show at this content width."""
        return []

    def render_content(self, content: Content, width: int, style_names: tuple[str, ...] = ()) -> list[Strip]:
        """Content wrapped to `width` in this widget's style (plus component classes), padded to width.

        Kept for the next turns (until the styles change): most paragraphs of a pane come back.
        """
        key = (content, width, style_names)
        strips = self._rendered.get(key)
        if strips is None:
            style = self.visual_style
            for name in style_names:
                style += self.get_visual_style(name)
            strips = Visual.to_strips(self, content, width, None, style, pad=True)
            if len(self._rendered) >= self.CACHE_SIZE:
                del self._rendered[next(iter(self._rendered))]
            self._rendered[key] = strips
        return strips

    def blank_line(self, width: int) -> Strip:
        return Strip.blank(width, self.visual_style.rich_style)

    # ------------------------------------------------------------------ showing

    @property
    def content_width(self) -> int:
        return self.scrollable_content_region.width

    def rebuild(self, scroll_home: bool = False) -> None:
        """Build the lines again (the text changed) and repaint the ones that differ."""
        self._width = -1
        self._build(scroll_home)

    def _build(self, scroll_home: bool = False) -> None:
        width = self.content_width if self.is_mounted else 0
        if width <= 0 or width == self._width:
            return
        self._width = width
        old, self._lines = self._lines, self.build_lines(width)
        size = Size(width, len(self._lines))
        # Not `self.virtual_size = size`: that lays out the screen. The pane keeps its size, and
        # `_scroll_update` moves the scrollbar's thumb (or the scroll offset) for the new length.
        self.set_reactive(Widget.virtual_size, size)
        self._scroll_update(size)
        top = self.scroll_offset.y
        if scroll_home and top:
            self.scroll_to(0, 0, animate=False, immediate=True)
            self.refresh()
            return
        self._repaint_changes(old, top)

    def _repaint_changes(self, old: list[Strip], top: int) -> None:
        new = self._lines
        start: int | None = None
        for y in range(top, top + self.scrollable_content_region.height + 1):
            before = old[y] if y < len(old) else None
            after = new[y] if y < len(new) else None
            if before != after:
                start = y if start is None else start
            elif start is not None:
                self.refresh_lines(start, y - start)
                start = None
        if start is not None:
            self.refresh_lines(start, top + self.scrollable_content_region.height + 1 - start)

    def on_resize(self, event: events.Resize) -> None:
        self._width = -1
        self._build()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # The theme or a style changed: every line is drawn again, once Textual has updated the
        # component classes' styles too (it does that after telling us), so not right now.
        self._rendered.clear()
        if self.is_mounted:
            self.call_next(self._restyle)

    def _restyle(self) -> None:
        self._rendered.clear()
        self._visual_style_cache.clear()
        self._width = -1
        self._build()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        number = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if 0 <= number < len(self._lines):
            return self._lines[number].crop_extend(0, width, self.rich_style)
        return Strip.blank(width, self.rich_style)


class TextPane(LinePane, can_focus=False):
    """One Content, wrapped to the pane's width: a Static that repaints only the lines that changed.

    Not focusable: a click on it leaves the keys with the story page. Its bottom border says when
    there is more to scroll to (wheel).
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.content = Content("")

    def show(self, content: Content) -> None:
        if content == self.content and self._width > 0:
            return
        self.content = content
        self.rebuild()

    def build_lines(self, width: int) -> list[Strip]:
        lines: list[Strip] = []
        for paragraph in self.content.split("\n"):  # one at a time: most come back next turn
            lines += self.render_content(paragraph, width)
        return lines

    def _build(self, scroll_home: bool = False) -> None:
        super()._build(scroll_home)
        self._show_more()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._show_more()

    def _show_more(self) -> None:
        below = len(self._lines) - self.scroll_offset.y - self.scrollable_content_region.height
        hint = "▼ more (wheel)" if below > 0 and self.is_mounted else ""
        if hint != (self.border_subtitle or ""):
            self.border_subtitle = hint
