"""`dealquest class`: the trainer's live console. It reads the results store (never writes), looks
again twice a second and redraws when a choice has landed: who plays which role at which decision,
their grade so far, how long since their last choice (stuck after a while), and how the room split
at the decisions being played now."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static

from dealquest.training.console import STUCK_SECONDS, ClassWatch, Room, room
from dealquest.training.store import shown
from dealquest.tui.safe import clean

#: How often the console looks at the store.
POLL_SECONDS = 0.5


def ago(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    whole = int(seconds)
    return f"{whole} s" if whole < 60 else f"{whole // 60} min {whole % 60:02d} s"


class ClassConsoleApp(App[None]):
    """One screen: the trainees' table, the room's split, a status line."""

    TITLE = "DealQuest class"
    CSS_PATH = "styles/console.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("ctrl+q", "quit", "Quit", show=False),
    ]

    def __init__(
        self,
        store: Path | str,
        campaign: str | None = None,
        stuck_after: float = STUCK_SECONDS,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self.watch_store = ClassWatch(store, campaign)
        self.stuck_after = stuck_after
        self.clock = clock or (lambda: datetime.now(UTC))
        self.room: Room | None = None
        #: How many times the table was drawn from new data (tests wait for it).
        self.redraws = 0

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with Vertical(id="console"):
            yield Static(id="console-status")
            yield DataTable(id="console-trainees", cursor_type="row", zebra_stripes=True)
            yield Static(id="console-splits")
        yield Footer()

    def on_mount(self) -> None:
        where = self.watch_store.path
        self.sub_title = where.name if isinstance(where, Path) else shown(where)
        table = self.query_one("#console-trainees", DataTable)
        table.add_columns("Trainee", "Mode", "Role now", "Decision", "Grade so far", "Since last choice")
        table.add_column("Note", width=9)
        self.refresh_room(force=True)
        self.poller = self.set_interval(POLL_SECONDS, self.refresh_room)

    def on_unmount(self) -> None:
        self.poller.stop()  # a tick during shutdown would find the table gone and the store closed
        self.watch_store.close()

    def refresh_room(self, force: bool = False) -> None:
        """Redraw when the store changed; the idle times tick on every look."""
        if not self.query("#console-trainees"):
            return  # the app is closing: its widgets are already gone
        changed = self.watch_store.poll()
        if not (changed or force) and self.room is None:
            return
        self.room = room(self.watch_store.runs, self.clock(), self.stuck_after, self.watch_store.campaigns)
        self.draw(self.room)
        if changed or force:
            self.redraws += 1

    def draw(self, current: Room) -> None:
        table = self.query_one("#console-trainees", DataTable)
        cursor = table.cursor_row
        table.clear()
        for row in current.rows:
            grade = f"{row.grade} {row.percent:.0f}%" if row.finished else f"{row.grade} {row.percent:.0f}% so far"
            decision = f"done ({row.decision})" if row.finished else str(row.decision)
            mark = "STUCK" if row.stuck else ("restarted" if row.restarted else "")
            table.add_row(
                Content(clean(row.trainee)),
                row.mode,
                row.role or "–",
                decision,
                grade,
                "–" if row.finished else ago(row.idle_seconds),
                Content.styled(mark, "bold $error") if row.stuck else Content(mark),
            )
        if current.rows:
            table.move_cursor(row=min(cursor, len(current.rows) - 1))
        playing = sum(not r.finished for r in current.rows)
        problem = self.watch_store.problem
        status = (
            problem
            if problem
            else (
                f"{len(current.rows)} trainees, {playing} playing, {current.stuck} stuck "
                f"(no choice for {ago(self.stuck_after)}), {current.runs} runs. Read-only: trainees never wait for "
                "this console."
            )
        )
        lines = [status, *(f"Check: {w}" for w in current.warnings)]
        self.query_one("#console-status", Static).update(Content(clean("\n".join(lines))))
        split_lines = ["The room at the decisions being played now:"] if current.splits else []
        for split in current.splits:
            picks = ", ".join(f"{n} {clean(text)}" for text, n in split.picks)
            split_lines.append(
                f"• {clean(split.title)} ({split.role}): {split.playing} playing it now; "
                + (f"of the {split.decided} who decided it, {picks}" if split.decided else "nobody has decided it yet")
            )
        self.query_one("#console-splits", Static).update(Content("\n".join(split_lines)))
