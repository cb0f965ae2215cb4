"""Bar charts for the cohort report: block characters for the terminal, inline SVG for HTML.

The SVG is self-contained (no script, no external font or stylesheet) and carries a title and an
aria-label, so the report opens offline and reads out in a screen reader.
"""

from __future__ import annotations

from html import escape

from dealquest.play.debrief import percent

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
