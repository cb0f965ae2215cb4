"""Shown instead of everything else while the terminal is too small to play in."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Middle
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static


class SizeNotice(Static):
    """Says how big the terminal is and how big it needs to be; redrawn on every resize."""

    def __init__(self, min_width: int, min_height: int) -> None:
        super().__init__(id="size-notice")
        self.min_width = min_width
        self.min_height = min_height

    def render(self) -> Content:
        width, height = self.app.size
        return Content.assemble(
            ("Terminal too small", "bold"),
            f"\n\nIt is {width}×{height}; DealQuest needs at least {self.min_width}×{self.min_height}.",
            "\nMake the window larger to go on, or press q to quit.",
            "\nGames are autosaved after every choice.",
        )


class TooSmallScreen(Screen[None]):
    NOTICE = "#size-notice"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "app.quit", "Quit")]

    def __init__(self, min_width: int, min_height: int) -> None:
        super().__init__()
        self.min_width = min_width
        self.min_height = min_height

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield SizeNotice(self.min_width, self.min_height)
