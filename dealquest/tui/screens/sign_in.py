"""Sign-in for a training session: the trainee's name, and the campaign and mode when not fixed."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

from dealquest.story.campaign import Campaign
from dealquest.training import MAX_NAME_LENGTH, Mode, check_trainee_name
from dealquest.tui import messages
from dealquest.tui.safe import clean
from dealquest.tui.widgets.footer import Footer

#: Short enough to stay whole on a 60-column terminal (a radio button's label does not wrap).
MODE_TEXT: dict[Mode, str] = {
    "practice": "Practice: feedback after each choice, undo",
    "assessment": "Assessment: feedback only at the end",
}


class SignInScreen(Screen[None]):
    """Asks what the trainer left open, then starts the recorded run."""

    # q and ? type into the name: the footer shows the keys that quit and help from here.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "app.quit", "Quit", priority=True),
        Binding("f1", "app.help", "Help"),
    ]

    def __init__(self, campaigns: list[Campaign], mode: Mode | None) -> None:
        super().__init__()
        self.campaigns = campaigns
        self.mode = mode

    def compose(self) -> ComposeResult:
        # It scrolls: on a short terminal the Start button may be below (Enter in a field starts too).
        with VerticalScroll(id="sign-in", classes="dialog") as box:
            box.border_title = "DealQuest training"
            box.border_subtitle = "Tab moves · Enter starts"
            yield Static(Content.styled("Your name", "bold"))
            # One more than allowed: a name too long is refused with the reason, never cut silently.
            yield Input(placeholder="as your trainer should see it", max_length=MAX_NAME_LENGTH + 1, id="trainee-name")
            yield Input(
                placeholder="optional: email or staff number",
                max_length=MAX_NAME_LENGTH + 1,
                id="trainee-id",
            )
            if len(self.campaigns) > 1:
                yield Static(Content.styled("Campaign", "bold"), classes="section")
                campaigns = OptionList(id="sign-in-campaigns", markup=False)
                for campaign in self.campaigns:
                    campaigns.add_option(Option(Content(clean(campaign.title))))
                yield campaigns
            if self.mode is None:
                yield Static(Content.styled("Mode", "bold"), classes="section")
                with RadioSet(id="sign-in-mode"):
                    yield RadioButton(MODE_TEXT["practice"], value=True, id="mode-practice")
                    yield RadioButton(MODE_TEXT["assessment"], id="mode-assessment")
            else:
                yield Static(Content(MODE_TEXT[self.mode] + "."), id="sign-in-fixed-mode", classes="section")
            yield Static(Content("Every choice is recorded for your trainer as you make it."), classes="section")
            yield Static(id="sign-in-problem")
            yield Button("Start", id="start", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        for campaigns in self.query("#sign-in-campaigns").results(OptionList):
            campaigns.highlighted = 0
        self.query_one("#trainee-name", Input).focus()

    def chosen_mode(self) -> Mode:
        if self.mode is not None:
            return self.mode
        pressed = self.query_one("#sign-in-mode", RadioSet).pressed_button
        return "assessment" if pressed is not None and pressed.id == "mode-assessment" else "practice"

    def chosen_campaign(self) -> Campaign:
        if len(self.campaigns) == 1:
            return self.campaigns[0]
        index = self.query_one("#sign-in-campaigns", OptionList).highlighted
        return self.campaigns[index or 0]

    def start(self) -> None:
        name = self.query_one("#trainee-name", Input).value.strip()
        stable = self.query_one("#trainee-id", Input).value.strip()
        problem = check_trainee_name(name)
        field = "#trainee-name"
        if problem is None and stable:
            problem = check_trainee_name(stable)
            problem = problem.replace("trainee name", "trainee id") if problem else None
            field = "#trainee-id"
        if problem:
            self.query_one("#sign-in-problem", Static).update(Content.styled(problem[0].upper() + problem[1:], "bold"))
            self.query_one(field, Input).focus()
            return
        self.post_message(messages.SignedIn(name, self.chosen_campaign(), self.chosen_mode(), stable or None))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.start()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.start()
