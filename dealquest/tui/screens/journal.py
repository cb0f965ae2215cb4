"""The journal: the run so far, scrollable: scenes, choices made and their feedback."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from dealquest.play import engine
from dealquest.play.debrief import Review, marks_line, odds_lines, reviews, verdict_line
from dealquest.play.engine import GameState
from dealquest.play.scoring import format_mark
from dealquest.story.campaign import Campaign
from dealquest.story.model import Ending
from dealquest.tui.safe import clean, markdown_text
from dealquest.tui.widgets.role_banner import role_tag


def entry(review: Review) -> Content:
    where = f" · {clean(review.chapter)}" if review.chapter else ""
    parts: list[str | Content | tuple[str, str]] = [
        (f"{review.number}. {role_tag(review.role)}{where} · {clean(review.scene_title)}", "bold"),
    ]
    if review.handoff:
        parts += ["\n", ("Handoff: ", "italic"), markdown_text(review.handoff)]
    parts += ["\n", ("You chose: ", "bold"), clean(review.choice_text)]
    parts += ["\n", (clean(verdict_line(review.decision, review.why)), "bold"), f" · {marks_line(review.decision)}"]
    parts += ["\n", markdown_text(review.feedback)]
    for line in review.narration:
        parts += ["\n", (markdown_text(line), "italic")]
    for line in odds_lines(review.chance, review.good):
        parts += ["\n", (clean(line), "italic")]
    if review.best is not None:
        best = review.best
        parts += [
            "\n",
            ("Stronger option: ", "italic"),
            clean(best.text),
            f" ({best.verdict}, {format_mark(best.value)})",
        ]
    return Content.assemble(*parts)


class JournalScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close"),
        Binding("j", "dismiss", "Close", show=False),
    ]

    def __init__(self, campaign: Campaign, state: GameState) -> None:
        super().__init__()
        self.campaign = campaign
        self.state = state

    def compose(self) -> ComposeResult:
        with Vertical(id="journal-dialog", classes="dialog") as box:
            box.border_title = f"Journal · {clean(self.campaign.title)}"
            box.border_subtitle = "↑↓ PgUp PgDn scroll · Esc closes"
            with VerticalScroll(id="journal-entries"):
                done = reviews(self.campaign, self.state)
                if not done:
                    yield Static(Content("No choices yet: the journal fills as you play."), classes="journal-entry")
                for review in done:
                    yield Static(entry(review), classes=f"journal-entry -{review.role}")
                node = engine.current(self.campaign, self.state)
                title = clean(engine.text(self.state, node.title))
                now = f"The end: {title}" if isinstance(node, Ending) else f"Now: {title}"
                yield Static(Content.styled(now, "bold"), id="journal-now", classes="journal-entry")

    def on_mount(self) -> None:
        scroll = self.query_one("#journal-entries", VerticalScroll)
        scroll.focus()
        scroll.scroll_end(animate=False)

    async def show(self, campaign: Campaign, state: GameState) -> None:
        """Show this run instead (the campaign was edited and reloaded under --watch), at the same
        place in the scroll when the reader had moved away from the end."""
        old = self.query_one("#journal-entries", VerticalScroll)
        at_end, y = old.scroll_y >= old.max_scroll_y, old.scroll_y
        self.campaign, self.state = campaign, state
        await self.recompose()
        scroll = self.query_one("#journal-entries", VerticalScroll)
        scroll.focus()
        if at_end:
            scroll.call_after_refresh(scroll.scroll_end, animate=False)
        else:
            scroll.call_after_refresh(scroll.scroll_to, y=y, animate=False)
