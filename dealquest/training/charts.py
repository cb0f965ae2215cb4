"""Bar charts for the cohort report: block characters for the terminal, inline SVG for HTML; and
a run's route map (`dealquest.play.route`) as text and as HTML, the picture the debrief draws.

The SVG is self-contained (no script, no external font or stylesheet) and carries a title and an
aria-label, so the report opens offline and reads out in a screen reader.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from html import escape

from dealquest.play.debrief import OUTCOME_TEXT, percent
from dealquest.play.route import Route, RouteMap, Stop

_EIGHTHS = " ▏▎▍▌▋▊▉"


def text_bar(fraction: float, width: int = 24) -> str:
    """A bar of `width` cells filled to `fraction` (0..1), in eighths of a cell."""
    fraction = max(0.0, min(1.0, fraction))
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    bar = "█" * full + (_EIGHTHS[part] if part else "")
    return bar.ljust(width)


def text_bars(rows: list[tuple[str, float, str]], max_value: float = 1.0, width: int = 24) -> list[str]:
    """Labelled bars, one a line: label, bar, and the figure as text."""
    if not rows:
        return []
    label_width = max(len(label) for label, _, _ in rows)
    scale = max_value or 1.0
    return [f"{label:<{label_width}}  {text_bar(value / scale, width)}  {figure}" for label, value, figure in rows]


# ---------------------------------------------------------------------------------------------- SVG

_BAR_HEIGHT = 18
_GAP = 8
_LABEL_WIDTH = 190
_BAR_WIDTH = 300
_FIGURE_WIDTH = 70
_COLOURS = ("#3b6ea8", "#c07a12", "#5b8c3a", "#8a4f9e")


def svg_bars(rows: list[tuple[str, float, str]], title: str, max_value: float = 1.0, colour: str = _COLOURS[0]) -> str:
    """A horizontal bar chart: one bar per row (label, value, figure shown at the bar's end)."""
    height = len(rows) * (_BAR_HEIGHT + _GAP) + _GAP + 22
    width = _LABEL_WIDTH + _BAR_WIDTH + _FIGURE_WIDTH
    scale = max_value or 1.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="14" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (label, value, figure) in enumerate(rows):
        y = 22 + _GAP + i * (_BAR_HEIGHT + _GAP)
        length = max(0.0, min(1.0, value / scale)) * _BAR_WIDTH
        parts += [
            f'<text x="{_LABEL_WIDTH - 6}" y="{y + 13}" font-size="12" text-anchor="end">{escape(label)}</text>',
            f'<rect x="{_LABEL_WIDTH}" y="{y}" width="{_BAR_WIDTH}" height="{_BAR_HEIGHT}" fill="#eceff3"/>',
            f'<rect x="{_LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{_BAR_HEIGHT}" fill="{colour}"/>',
            f'<text x="{_LABEL_WIDTH + _BAR_WIDTH + 6}" y="{y + 13}" font-size="12">{escape(figure)}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)


def svg_pairs(rows: list[tuple[str, float | None, float | None]], title: str, legend: tuple[str, str]) -> str:
    """Two bars per row (e.g. first and best attempt), values in 0..1."""
    step = 2 * _BAR_HEIGHT // 2 + _BAR_HEIGHT // 2 + _GAP + 4
    height = len(rows) * step + 44
    width = _LABEL_WIDTH + _BAR_WIDTH + _FIGURE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="14" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]
    for j, name in enumerate(legend):
        x = _LABEL_WIDTH + j * 120
        parts += [
            f'<rect x="{x}" y="22" width="12" height="12" fill="{_COLOURS[j]}"/>',
            f'<text x="{x + 16}" y="32" font-size="12">{escape(name)}</text>',
        ]
    half = _BAR_HEIGHT // 2 + 1
    for i, (label, a, b) in enumerate(rows):
        y = 44 + i * step
        parts.append(
            f'<text x="{_LABEL_WIDTH - 6}" y="{y + half + 4}" font-size="12" text-anchor="end">{escape(label)}</text>'
        )
        for j, value in enumerate((a, b)):
            top = y + j * half
            length = max(0.0, min(1.0, value or 0.0)) * _BAR_WIDTH
            figure = percent(value)
            parts += [
                f'<rect x="{_LABEL_WIDTH}" y="{top}" width="{length:.1f}" height="{half - 1}" fill="{_COLOURS[j]}"/>',
                f'<text x="{_LABEL_WIDTH + length + 4:.1f}" y="{top + half - 2}" font-size="10">{figure}</text>',
            ]
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------------------------------------- route


#: The route's legend, as every format says it.
ROUTE_LEGEND = (
    "◇ the route could branch here · ✕ an option that was locked, and why · ◆ where the run left the best route"
)
_ROLE_TAG = {"marketer": "◎ MARKETER", "salesperson": "➤ SALESPERSON"}


def route_summary(routes: RouteMap) -> str:
    if routes.parted is None:
        return "The run took the best option at every decision: its route is the best route."
    return f"The run and the best route part at decision {routes.parted}."


def _stop_lines(stop: Stop, parted: int | None, mine: bool) -> list[tuple[str, str]]:
    """A stop's lines as (kind, text): the title, the option, the verdict, then the notes."""
    lines = [("title", stop.title), ("choice", f"▸ {stop.choice}"), ("verdict", stop.verdict_line)]
    if stop.chance:
        lines.append(("note", f"dice: {stop.chance}"))
    lines += [("locked", f"✕ {locked.text} (locked: {locked.why})") for locked in stop.locked]
    if stop.number == parted:
        if not mine:
            lines.append(("parted", "◆ the run took another option here"))
        else:
            best = f" (best: {stop.missed})" if stop.missed else ""
            lines.append(("parted", f"◆ the run left the best route here{best}"))
    return lines


def _ending(route: Route) -> str:
    if route.ending is None:
        return "… no ending yet"
    outcome = f" ({OUTCOME_TEXT[route.outcome]})" if route.outcome else ""
    return f"■ The end: {route.ending}{outcome}"


def text_route(routes: RouteMap, width: int = 100) -> list[str]:
    """The route map as lines of text: the run's route, then the best route."""
    out = [route_summary(routes), ROUTE_LEGEND]
    for title, route, mine in (
        ("The run's route", routes.run, True),
        ("The best route (same dice)", routes.best, False),
    ):
        out += ["", f"{title}:"]
        for role, stops in route.legs():
            out.append(f"  {_ROLE_TAG[role]}")
            for stop in stops:
                mark = "◇" if stop.branch else "|"
                for i, (_, text) in enumerate(_stop_lines(stop, routes.parted, mine)):
                    head = f"  {stop.number:>3} {mark} " if i == 0 else " " * 9
                    out += textwrap.wrap(text, width, initial_indent=head, subsequent_indent=" " * 9)
        out.append(f"  {_ending(route)}")
    return out


def html_route(routes: RouteMap, clean_text: Callable[[str], str]) -> str:
    """The route map as self-contained HTML (no script): two columns, legs coloured by role, each
    stop a numbered item; `clean_text` makes each text from the campaign safe first."""

    def column(title: str, route: Route, mine: bool) -> str:
        parts = [f'<div class="route-column"><h4>{escape(title)}</h4>']
        for role, stops in route.legs():
            parts.append(f'<div class="leg {role}"><div class="role">{escape(_ROLE_TAG[role])}</div><ol>')
            for stop in stops:
                kind = ' class="branch"' if stop.branch else ""
                lines = "".join(
                    f'<span class="{k}">{"◇ " if k == "title" and stop.branch else ""}{escape(clean_text(text))}</span>'
                    for k, text in _stop_lines(stop, routes.parted, mine)
                )
                parts.append(f'<li value="{stop.number}"{kind}>{lines}</li>')
            parts.append("</ol></div>")
        parts.append(f'<p class="ending">{escape(clean_text(_ending(route)))}</p></div>')
        return "".join(parts)

    return (
        '<section class="route" aria-label="The run\'s route beside the best route">'
        f"<p>{escape(route_summary(routes))}</p>"
        f'<p class="note">{escape(ROUTE_LEGEND)}</p>'
        '<div class="route-columns">'
        + column("The run's route", routes.run, True)
        + column("The best route (same dice)", routes.best, False)
        + "</div></section>"
    )
