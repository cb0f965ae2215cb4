"""The run's route as a picture: two columns, the run's and the best route from the same start,
each a line of stops grouped in legs by role, with the branch points, the locked options and
where the run left the best route. The data is `dealquest.play.route`."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from dealquest.play.debrief import OUTCOME_TEXT
from dealquest.play.route import Route, RouteMap, Stop
from dealquest.tui.safe import clean
from dealquest.tui.widgets.role_banner import role_tag

LEGEND = "◇ the route could branch here · ✕ an option that was locked, and why · ◆ where your run left the best route"


def stop_mark(stop: Stop) -> Content:
    """The margin of a stop: its decision number, and ◇ where the route could have branched."""
    return Content.assemble((f"{stop.number:>2} ", "dim"), ("◇" if stop.branch else "│", "bold"))


def stop_body(stop: Stop, parted: int | None, mine: bool) -> Content:
    """One decision of a route: its scene, the option taken and its verdict, then what else happened."""
    lines = [
        Content.styled(clean(stop.title), "bold"),
        Content.assemble("▸ ", clean(stop.choice)),
        Content.styled(stop.verdict_line, "italic" if stop.good else "bold"),
    ]
    if stop.chance:
        lines.append(Content.styled(f"dice: {clean(stop.chance)}", "dim"))
    for locked in stop.locked:
        lines.append(Content.styled(f"✕ {clean(locked.text)} (locked: {clean(locked.why)})", "dim"))
    if stop.number == parted:
        if not mine:
            said = "◆ your run took another option here"
        elif stop.missed:
            said = f"◆ you left the best route here (best: {clean(stop.missed)})"
        else:
            said = "◆ you left the best route here"
        lines.append(Content.styled(said, "bold"))
    return Content("\n").join(lines)


def ending_line(route: Route) -> Content:
    if route.ending is None:
        return Content.styled("   … no ending yet", "italic")
    outcome = f" ({OUTCOME_TEXT[route.outcome]})" if route.outcome else ""
    return Content.styled(f"   ■ The end: {clean(route.ending)}{outcome}", "bold")


class RouteColumn(Vertical):
    """One route: a heading, then a leg per stretch in one role, then its ending."""

    def __init__(self, title: str, route: Route, parted: int | None, mine: bool, *, classes: str = "") -> None:
        super().__init__(classes=f"route-column {classes}".strip())
        self.title = title
        self.route = route
        self.parted = parted
        self.mine = mine

    def compose(self) -> ComposeResult:
        yield Static(Content.styled(self.title, "bold underline"), classes="route-heading")
        if not self.route.stops:
            yield Static(Content("No decisions yet."), classes="route-leg")
        for role, stops in self.route.legs():
            with Vertical(classes=f"route-leg -{role}"):
                yield Static(Content.styled(role_tag(role), "bold"), classes="route-role")
                for stop in stops:
                    with Horizontal(classes="route-stop"):
                        yield Static(stop_mark(stop), classes="route-mark")
                        yield Static(stop_body(stop, self.parted, self.mine), classes="route-body")
        yield Static(ending_line(self.route), classes="route-ending")


class RouteView(Vertical):
    """The run's route beside the best one (one above the other on a narrow terminal)."""

    def __init__(self, routes: RouteMap, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.routes = routes
        self.border_title = "Your route, and the best one"

    def compose(self) -> ComposeResult:
        routes = self.routes
        parted = routes.parted
        if parted is None:
            summary = "You took the best option at every decision: your route is the best route."
        else:
            summary = f"Your route and the best route part at decision {parted}."
        yield Static(Content(summary), classes="route-summary")
        yield Static(Content.styled(LEGEND, "dim"), classes="route-legend")
        with Horizontal(classes="route-columns"):
            yield RouteColumn("Your route", routes.run, parted, True, classes="-run")
            yield RouteColumn("The best route (same dice)", routes.best, parted, False, classes="-best")
