"""Textual's footer, laid out again only when the keys it shows have changed, and never without
Quit and Help: on a narrow terminal the keys that do not fit go, from the right, those two last."""

from __future__ import annotations

from textual import events, widgets
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets._footer import FooterKey

#: The actions a footer always shows: how to leave, and how to find every other key.
ESSENTIAL = frozenset({"quit", "app.quit", "help", "app.help"})
#: The room the command palette's key takes on the right ("^p palette" and its divider).
PALETTE_WIDTH = 13


def key_width(binding: Binding, display: str) -> int:
    """The columns one key takes in the footer: " k " then "Description " (FooterKey's padding)."""
    return len(display) + 2 + (len(binding.description) + 1 if binding.description else 0)


class Footer(widgets.Footer):
    """The key bar. Textual's waits for the screen's focus to settle before it shows any key, then
    lays out every key again each time the bindings may have changed (focus moves, the screen
    resumes), several times as a screen opens; with a dozen keys that is most of the cost of a
    screen's first frames. This one shows the keys in its first frame and lays them out again
    only when the keys shown, or whether they are enabled, did change.

    It also fits the keys to its width: those that do not fit are left out, the rightmost first
    and Quit and Help never (the palette's key goes first of all: ctrl+p is listed in Help)."""

    _shown: tuple[object, ...] | None = None

    def __init__(self) -> None:
        super().__init__()
        self.set_reactive(widgets.Footer._bindings_ready, True)

    def _keys(self, screen: Screen[object]) -> tuple[object, ...]:
        return (*self._fitting(screen), self.size.width)

    def _fitting(self, screen: Screen[object]) -> tuple[tuple[Binding, bool, str], ...]:
        """The keys to show at this width: all of them when they fit, else the essential ones and
        as many of the others, from the left, as fit beside them."""
        keys = [
            (binding, enabled, tooltip)
            for _, binding, enabled, tooltip in screen.active_bindings.values()
            if binding.show
        ]
        width = self.size.width or screen.app.size.width
        seen: set[str] = set()
        widths: list[int] = []
        for binding, _, _ in keys:
            # Keys of one action show once (Textual groups them): count it once.
            widths.append(0 if binding.action in seen else key_width(binding, screen.app.get_key_display(binding)))
            seen.add(binding.action)
        if sum(widths) + PALETTE_WIDTH <= width:
            return tuple(keys)
        room = width - sum(w for (b, _, _), w in zip(keys, widths, strict=True) if b.action in ESSENTIAL)
        kept: list[tuple[Binding, bool, str]] = []
        for key, w in zip(keys, widths, strict=True):
            if key[0].action in ESSENTIAL:
                kept.append(key)
            elif w <= room:
                kept.append(key)
                room -= w
            else:
                room = -1  # keep the order: nothing after a key that did not fit
        return tuple(kept)

    @property
    def crowded(self) -> bool:
        """Whether some keys (or the palette's) are left out for want of room."""
        return self.size.width > 0 and self._crowded

    _crowded = False

    def compose(self) -> ComposeResult:
        """Textual's Footer.compose for keys without groups (DealQuest has none), fitted to the width."""
        screen = self.screen
        self._shown = self._keys(screen)
        kept = self._fitting(screen)
        every = [b for _, b, _, _ in screen.active_bindings.values() if b.show]
        self._crowded = len(kept) < len(every) or self._needs_room(screen, kept)
        seen: set[str] = set()
        for binding, enabled, tooltip in kept:
            if binding.action in seen:
                continue
            seen.add(binding.action)
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            ).data_bind(compact=widgets.Footer.compact)
        if self.app.ENABLE_COMMAND_PALETTE and not self._crowded:
            found = screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _, binding, enabled, tooltip = found
                yield FooterKey(
                    binding.key,
                    self.app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    classes="-command-palette",
                    disabled=not enabled,
                    tooltip=binding.tooltip or binding.description,
                )

    def _needs_room(self, screen: Screen[object], kept: tuple[tuple[Binding, bool, str], ...]) -> bool:
        width = self.size.width or screen.app.size.width
        seen: set[str] = set()
        total = 0
        for binding, _, _ in kept:
            if binding.action not in seen:
                total += key_width(binding, screen.app.get_key_display(binding))
            seen.add(binding.action)
        return total + PALETTE_WIDTH > width

    def bindings_changed(self, screen: Screen[object]) -> None:
        if screen.app.app_focus and self.is_attached and screen is self.screen and self._keys(screen) == self._shown:
            return
        super().bindings_changed(screen)

    def on_resize(self, event: events.Resize) -> None:
        if self.is_attached and self._keys(self.screen) != self._shown:
            self.call_after_refresh(self.recompose)
