"""Load a save: every save of every campaign, newest first; damaged ones say what is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from dealquest.play.saves import SaveInfo
from dealquest.tui.safe import clean


def describe(info: SaveInfo) -> Content:
    if info.problem is not None:
        return Content.assemble(
            ("⚠ ", "bold"), f"{clean(info.path.name)} ({clean(info.campaign)}): ", (clean(info.problem), "italic")
        )
    name = "Autosave" if info.is_autosave else clean(info.slot)
    where = "at the ending" if info.ended else f"decision {info.turn + 1}"
    return Content.assemble(
        (name, "bold"), f" · {clean(info.campaign)} {clean(info.campaign_version)} · {where}", ("  " + info.when, "dim")
    )


class LoadScreen(ModalScreen[Path | None]):
    """Returns the path of the save to load, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", "Cancel")]

    def __init__(self, found: list[SaveInfo]) -> None:
        super().__init__()
        self.found = found

    def compose(self) -> ComposeResult:
        with Vertical(id="load-dialog", classes="dialog") as box:
            box.border_title = "Load game"
            box.border_subtitle = "Enter loads · Esc cancels"
            if not self.found:
                yield Static(Content("No saves yet. The game autosaves after every choice."))
                return
            slots = OptionList(markup=False, id="load-slots")
            for info in self.found:
                slots.add_option(Option(describe(info)))
            yield slots

    def on_mount(self) -> None:
        for slots in self.query("#load-slots").results(OptionList):
            slots.highlighted = 0
            slots.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.found[event.option_index].path)
