"""Textual's footer, laid out again only when the keys it shows have changed."""

from __future__ import annotations

from textual import widgets
from textual.app import ComposeResult
from textual.screen import Screen


class Footer(widgets.Footer):
    """The key bar. Textual's waits for the screen's focus to settle before it shows any key, then
    lays out every key again each time the bindings may have changed (focus moves, the screen
    resumes), several times as a screen opens; with a dozen keys that is most of the cost of a
    screen's first frames. This one shows the keys in its first frame and lays them out again
    only when the keys shown, or whether they are enabled, did change."""

    _shown: tuple[object, ...] | None = None

    def __init__(self) -> None:
        super().__init__()
        self.set_reactive(widgets.Footer._bindings_ready, True)

    def _keys(self, screen: Screen[object]) -> tuple[object, ...]:
        return tuple(
            (binding, enabled, tooltip)
            for _, binding, enabled, tooltip in screen.active_bindings.values()
            if binding.show
        )

    def compose(self) -> ComposeResult:
        self._shown = self._keys(self.screen)
        yield from super().compose()

    def bindings_changed(self, screen: Screen[object]) -> None:
        if screen.app.app_focus and self.is_attached and screen is self.screen and self._keys(screen) == self._shown:
            return
        super().bindings_changed(screen)
