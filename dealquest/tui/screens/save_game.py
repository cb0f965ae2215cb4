"""Save under a name: type a new one or pick an existing slot to overwrite."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from dealquest.play.saves import MAX_SLOT_LENGTH, SaveInfo, check_slot_name
from dealquest.tui.safe import clean


class SaveScreen(ModalScreen[str | None]):
    """Returns the slot name to save under, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", "Cancel")]

    def __init__(self, existing: list[SaveInfo]) -> None:
        super().__init__()
        self.existing = [s for s in existing if not s.is_autosave and s.problem is None]

    def compose(self) -> ComposeResult:
        with Vertical(id="save-dialog", classes="dialog") as box:
            box.border_title = "Save game"
            box.border_subtitle = "Enter saves · Esc cancels"
            yield Static(Content("Name this save (letters, digits, spaces, - and _):"))
            yield Input(placeholder="e.g. before the committee", max_length=MAX_SLOT_LENGTH, id="slot-name")
            yield Static(id="save-problem")
            if self.existing:
                yield Static(Content("Or overwrite one of this campaign's saves:"))
                slots = OptionList(markup=False, id="save-slots")
                for info in self.existing:
                    slots.add_option(Option(Content(f"{clean(info.slot)} · decision {info.turn + 1} · {info.when}")))
                yield slots

    def on_mount(self) -> None:
        self.query_one("#slot-name", Input).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.existing[event.option_index].slot)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        problem = check_slot_name(name)
        if problem:
            self.query_one("#save-problem", Static).update(Content.styled(problem[0].upper() + problem[1:], "bold"))
            return
        self.dismiss(name)
