"""The choices of a scene: numbered, picked by number keys, arrows and Enter, or the mouse."""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...engine import ChoiceView
from ..safe import clean


class ChoiceList(OptionList):
    """An OptionList of `ChoiceView`s; locked choices show their hint and cannot be picked."""

    class Picked(Message):
        """The player picked an available choice; `index` is the engine's choice index."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.views: list[ChoiceView] = []

    def show(self, views: list[ChoiceView]) -> None:
        self.views = list(views)
        self.clear_options()
        options = []
        for number, view in enumerate(views, start=1):
            if view.available:
                prompt = Content.assemble((f"{number}. ", "bold"), clean(view.text))
            else:
                prompt = Content.assemble(
                    (f"{number}. ", "bold"),
                    (clean(view.text), "strike"),
                    ("\n   Locked: ", "italic"),
                    (clean(view.locked or ""), "italic"),
                )
            options.append(Option(prompt, id=f"choice-{view.index}", disabled=not view.available))
        self.add_options(options)
        first = next((i for i, v in enumerate(views) if v.available), None)
        self.highlighted = first
        self.scroll_home(animate=False)

    def pick_number(self, number: int) -> str | None:
        """Pick the choice shown as `number` (1-based); the reason when it cannot be picked."""
        if not 1 <= number <= len(self.views):
            return f"there is no choice {number} here" if self.views else "there are no choices here"
        view = self.views[number - 1]
        if not view.available:
            return f"choice {number} is locked: {clean(view.locked or 'not available now')}"
        self.highlighted = number - 1
        self.post_message(self.Picked(view.index))
        return None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        view = self.views[event.option_index]
        if view.available:
            self.post_message(self.Picked(view.index))
