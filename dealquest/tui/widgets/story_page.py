"""A scrollable page of text blocks and numbered options: one turn of the story.

The play screen shows each turn (a scene and its choices, the feedback on a choice, a handoff
card) on one `StoryPage`. Showing a new page wraps its text and repaints the lines that changed;
it never lays out the screen again (see `LinePane`), which is what keeps a turn about as cheap
as replacing one Static's text.

Options are picked with their number (the screen binds 1-9), with the arrows and Enter, or with
the mouse; a disabled option shows why and cannot be picked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip

from dealquest.tui.widgets.line_pane import LinePane


@dataclass(frozen=True)
class PageOption:
    """One thing the player can pick; `value` is what `Selected` reports."""

    prompt: Content
    value: int
    enabled: bool = True
    #: shown under a disabled option: why it cannot be picked
    why_not: Content | None = None
    #: the option's number ("1."), shown in the margin so a long prompt wraps under its own text
    label: str = ""


class StoryPage(LinePane, can_focus=True):
    """Blocks of text, then options; `show` replaces them all."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "story-page--heading",
        "story-page--option",
        "story-page--highlight",
        "story-page--disabled",
        "story-page--more",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("enter", "select", "Select", show=False),
    ]

    class Selected(Message):
        """The player picked an enabled option."""

        def __init__(self, page: StoryPage, value: int) -> None:
            super().__init__()
            self.page = page
            self.value = value

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.blocks: list[Content] = []
        self.heading: Content | None = None
        self.options: list[PageOption] = []
        #: the option the arrows have reached (an index into `options`), None when none is enabled
        self.highlighted: int | None = None
        self._option_lines: list[tuple[int, int]] = []  # (first line, line count) per option
        #: where the run is, shown on the bottom border (the first of these that fits) with a hint
        #: when there is more to scroll to
        self.where: tuple[str, ...] = ()
        self._subtitle = ""
        #: the line to scroll to once the lines are built (a resumed page goes on where it was read)
        self._resume_line = 0

    # ------------------------------------------------------------------ what is shown

    def show(
        self,
        blocks: Sequence[Content],
        options: Sequence[PageOption] = (),
        heading: Content | None = None,
        highlight: bool = True,
        scroll: int = 0,
    ) -> None:
        """Show new blocks and options from the top (or from line `scroll`), the first enabled
        option highlighted (none when `highlight` is False: Enter then picks nothing until an arrow
        key chooses one)."""
        self.blocks = list(blocks)
        self.options = list(options)
        self.heading = heading
        first = next((i for i, o in enumerate(self.options) if o.enabled), None)
        self.highlighted = first if highlight else None
        self._resume_line = scroll
        self.rebuild(scroll_home=True)
        self._show_where()

    def _build(self, scroll_home: bool = False) -> None:
        super()._build(scroll_home)
        if self._resume_line and self._width > 0:
            line, self._resume_line = self._resume_line, 0
            self.scroll_to(0, line, animate=False, immediate=True)
            self.refresh()

    @property
    def text(self) -> str:
        """Everything on the page as plain text."""
        parts = [b.plain for b in self.blocks]
        if self.heading is not None:
            parts.append(self.heading.plain)
        parts += [f"{o.label} {o.prompt.plain}" if o.label else o.prompt.plain for o in self.options]
        return "\n\n".join(parts)

    @property
    def option_lines(self) -> list[tuple[int, int]]:
        """Where each option is on the page: its first line and how many lines it takes (once built)."""
        return list(self._option_lines)

    def build_lines(self, width: int) -> list[Strip]:
        lines: list[Strip] = []
        blank = self.blank_line(width)
        for block in self.blocks:
            if lines:
                lines.append(blank)
            lines += self.render_content(block, width)
        if lines and (self.heading is not None or self.options):
            lines.append(blank)
        if self.heading is not None:
            lines += self.render_content(self.heading, width, ("story-page--heading",))
        self._option_lines = []
        for index in range(len(self.options)):
            rendered = self._render_option(index, width)
            self._option_lines.append((len(lines), len(rendered)))
            lines += rendered
        return lines

    def _render_option(self, index: int, width: int) -> list[Strip]:
        option = self.options[index]
        names = ["story-page--option"]
        if not option.enabled:
            names.append("story-page--disabled")
        elif index == self.highlighted and self.has_focus:
            names.append("story-page--highlight")
        prompt = option.prompt
        if option.why_not is not None:
            prompt = prompt + Content("\n") + option.why_not
        style = self.visual_style
        for name in names:
            style += self.get_visual_style(name)
        marker = "▶ " if index == self.highlighted and option.enabled else "  "
        margin = Content.assemble(marker, (f"{option.label} " if option.label else "", "bold"))
        indent = margin.cell_length
        body = self.render_content(prompt, max(1, width - indent), tuple(names))
        gutter = [Strip.blank(indent, style.rich_style) for _ in body]
        gutter[0] = Strip(list(margin.render_segments(style)), indent)
        return [Strip.join([g, line]) for g, line in zip(gutter, body, strict=True)]

    def _redraw_options(self) -> None:
        if self._width < 0:
            return
        old = list(self._lines)
        for index, (first, count) in enumerate(self._option_lines):
            rendered = self._render_option(index, self._width)
            if len(rendered) != count:  # cannot happen at the same width; start over rather than misdraw
                self.rebuild()
                return
            self._lines[first : first + count] = rendered
        self._repaint_changes(old, self.scroll_offset.y)

    def _show_where(self) -> None:
        below = len(self._lines) - self.scroll_offset.y - self.scrollable_content_region.height
        room = self.size.width - 6  # the border's corners and the spaces around the text
        where = [*self.where, ""]
        if below > 0:
            candidates = [f"▼ more below (PgDn, wheel) · {w}" for w in where[:1]]
            candidates += [f"▼ more below · {w}" for w in where] + [f"▼ {w}" for w in where]
        else:
            candidates = where
        subtitle = next((c.rstrip(" ·") for c in candidates if len(c.rstrip(" ·")) <= room), "")
        if subtitle != self._subtitle:  # as Content: a chapter's name is never read as markup
            self._subtitle = subtitle
            self.border_subtitle = Content(subtitle)
        self._show_options_below()

    def options_below(self) -> int:
        """How many options start below the last line in sight (0 when they are all in sight)."""
        if not self._option_lines or self._width < 0:
            return 0
        bottom = self.scroll_offset.y + self.scrollable_content_region.height
        return sum(1 for first, count in self._option_lines if first + count > bottom)

    def _options_hint(self) -> Content | None:
        """The line shown at the foot of the page, beside the options, when some are out of sight."""
        hidden = self.options_below()
        if not hidden:
            return None
        if len(self.options) == 1 and not self.options[0].label:
            return Content("▼ more below · Enter goes on")
        plural = "s" if hidden > 1 else ""
        return Content(f"▼ {hidden} more option{plural} below · ↓ or PgDn")

    def _show_options_below(self) -> None:
        hint = self._options_hint()
        if hint != self._hint_shown:
            self._hint_shown = hint
            height = self.scrollable_content_region.height
            if height > 0:
                self.refresh_lines(height - 1)

    _hint_shown: Content | None = None

    def render_line(self, y: int) -> Strip:
        height = self.scrollable_content_region.height
        if y == height - 1 and height > 2 and self._hint_shown is not None:
            width = self.scrollable_content_region.width
            style = self.visual_style + self.get_visual_style("story-page--more")
            return Strip(list(self._hint_shown.render_segments(style)), self._hint_shown.cell_length).crop_extend(
                0, width, style.rich_style
            )
        return super().render_line(y)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._show_where()

    def on_resize(self, event: events.Resize) -> None:
        super().on_resize(event)
        self._show_where()

    # ------------------------------------------------------------------ picking

    def on_focus(self) -> None:
        self._redraw_options()

    def on_blur(self) -> None:
        self._redraw_options()

    def action_move(self, step: int) -> None:
        """Up/Down: move the highlight among the enabled options while they are on screen;
        otherwise (or past the first or last option) scroll one line, so all text can be read."""
        enabled = [i for i, o in enumerate(self.options) if o.enabled]
        if self.highlighted not in enabled:  # none yet: the first (or last) one, once it is on screen
            nearest = enabled[0 if step > 0 else -1] if enabled else None
            if nearest is None or not self._on_screen(nearest):
                self.scroll_relative(y=step, animate=False)
                return
            self.highlighted = nearest
            self._redraw_options()
            return
        at = enabled.index(self.highlighted)
        if not self._on_screen(enabled[at]) or not 0 <= at + step < len(enabled):
            self.scroll_relative(y=step, animate=False)
            return
        self.highlighted = enabled[at + step]
        self._redraw_options()
        self._reveal(self.highlighted)

    def _on_screen(self, index: int) -> bool:
        first, count = self._option_lines[index]
        top = self.scroll_offset.y
        return top <= first and first + count <= top + self.scrollable_content_region.height

    def _reveal(self, index: int) -> None:
        first, count = self._option_lines[index]
        self.scroll_to_region(Region(0, first, 1, count), animate=False, immediate=True)

    def action_select(self) -> None:
        if self.highlighted is None:  # nothing highlighted (after a reload): the arrows pick one first
            self.action_move(1)
            return
        if self.options[self.highlighted].enabled:
            self.post_message(self.Selected(self, self.options[self.highlighted].value))

    def select_value(self, value: int) -> None:
        """Report the enabled option with this value picked, as Enter would (the screen's space key)."""
        for option in self.options:
            if option.value == value and option.enabled:
                self.post_message(self.Selected(self, value))
                return

    def _option_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        if self._hint_shown is not None and offset.y == self.scrollable_content_region.height - 1:
            return None  # the "more below" line: no option is under it
        line = self.scroll_offset.y + offset.y
        for index, (first, count) in enumerate(self._option_lines):
            if first <= line < first + count:
                return index
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        index = self._option_at(event)
        if index is not None and index != self.highlighted and self.options[index].enabled:
            self.highlighted = index
            self._redraw_options()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        on_hint = offset is not None and offset.y == self.scrollable_content_region.height - 1
        if on_hint and self._hint_shown is not None:
            self.scroll_end(animate=False)  # a click on "more options below" shows them
            return
        index = self._option_at(event)
        if index is not None and self.options[index].enabled:
            self.highlighted = index
            self._redraw_options()
            self.post_message(self.Selected(self, self.options[index].value))
