"""The cohort report: the group's figures and debrief questions, as text, Markdown or HTML.

`document` lays the report out once as blocks (headings, paragraphs, tables, charts, lists); one
small renderer per format turns the blocks into text with terminal charts, Markdown, or a
self-contained HTML page with inline SVG charts. No leaderboard unless asked for.
"""

from __future__ import annotations

import textwrap
import unicodedata
from dataclasses import dataclass, fields, replace
from html import escape
from typing import Any

from dealquest.play.debrief import NO_SCORE, percent
from dealquest.play.scoring import AXIS_LABEL, ROLE_LABEL, format_mark, gauge
from dealquest.story.model import AXES, ROLES
from dealquest.story.text import clean
from dealquest.training import REPORT_FORMATS, ReportFormat
from dealquest.training.aar import questions, quoted
from dealquest.training.charts import svg_bars, svg_pairs, text_bar, text_bars
from dealquest.training.cohort import COUNTED_RULE, Cohort, TraineeResult
from dealquest.training.store import RunRecord

Format = ReportFormat
FORMATS = REPORT_FORMATS
WIDTH = 100


# ---------------------------------------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Para:
    text: str
    note: bool = False


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]
    right: frozenset[int] = frozenset()  # columns aligned right (figures)


@dataclass(frozen=True)
class Bars:
    title: str
    rows: list[tuple[str, float, str]]
    max_value: float = 1.0


@dataclass(frozen=True)
class Pairs:
    title: str
    rows: list[tuple[str, float | None, float | None]]
    legend: tuple[str, str]


@dataclass(frozen=True)
class Picks:
    """How many picked each option of a decision: (option text, value, picked by, best) per option."""

    title: str
    rows: list[tuple[str, float | None, int, bool]]
    reached: int


@dataclass(frozen=True)
class Items:
    items: list[str]
    ordered: bool = False


Block = Heading | Para | Table | Bars | Pairs | Picks | Items


def grade_text(run: RunRecord | None) -> str:
    return NO_SCORE if run is None else f"{run.grade} {run.percent:.0f}%"


def _trainee_row(t: TraineeResult) -> list[str]:
    run = t.counted
    runs = f"{t.finished}/{len(t.runs)}"
    if run is None:
        return [t.trainee, t.runs[-1].mode, NO_SCORE, NO_SCORE, "no choice yet", *([NO_SCORE] * 6), runs]
    axes = [format_mark(run.totals[role][axis]) for role in ROLES for axis in AXES]
    ending = run.ending_title or run.ending or f"unfinished, {len(run.decisions)} choices"
    grade = run.grade if run.finished else f"{run.grade} so far"
    return [t.trainee, run.mode, grade, f"{run.percent:.0f}%", ending, *axes, runs]


def cohort_blocks(cohort: Cohort, leaderboard: bool) -> list[Block]:
    blocks: list[Block] = []
    runs = cohort.runs
    finished = sum(r.finished for r in runs)
    versions = ", ".join(cohort.versions)
    blocks.append(Heading(1, f"Cohort report: {cohort.title}"))
    blocks.append(
        Para(
            f"Campaign {cohort.campaign_id} (version {versions}): {len(cohort.trainees)} trainees, {len(runs)} runs, "
            f"{finished} finished."
        )
    )
    blocks.append(Para(COUNTED_RULE, note=True))
    blocks += [Para(note, note=True) for note in cohort.notes]

    short = {"push_pull": "P/P", "audience": "Aud", "closing": "Clo"}
    axis_headers = [f"{ROLE_LABEL[r][:3]} {short[a]}" for r in ROLES for a in AXES]
    blocks.append(Heading(2, "Trainees"))
    blocks.append(
        Table(
            ["Trainee", "Mode", "Grade", "Score", "Ending", *axis_headers, "Runs"],
            [_trainee_row(t) for t in cohort.trainees],
            frozenset({3, *range(5, 12)}),
        )
    )
    blocks.append(
        Para(
            "Mar: marketer, Sal: salesperson; P/P push/pull, Aud audience, Clo closing. Runs: finished of all.",
            note=True,
        )
    )

    n = len(cohort.counted)
    blocks.append(Heading(2, "Averages"))
    if n:
        rows = [
            [
                ROLE_LABEL[role],
                *(format_mark(cohort.averages[role][a]) for a in AXES),
                format_mark(cohort.role_averages[role]),
            ]
            for role in ROLES
        ]
        rows.append(["Both roles", *(format_mark(cohort.axis_averages[a]) for a in AXES), NO_SCORE])
        blocks.append(Table(["Role", *(AXIS_LABEL[a] for a in AXES), "All axes"], rows, frozenset({1, 2, 3, 4})))
        blocks.append(Para(f"Average grade: {cohort.percent or 0:.0f}% over {n} trainees."))
        blocks.append(
            Bars(
                "Average score per role and axis (mean marks, -2 to +2)",
                [
                    (f"{ROLE_LABEL[role]} {AXIS_LABEL[a].lower()}", gauge(v), format_mark(v))
                    for role in ROLES
                    for a in AXES
                    if (v := cohort.averages[role][a]) is not None
                ],
            )
        )
        blocks.append(Bars("Grades", [(grade, count, str(count)) for grade, count in cohort.grades], max(1, n)))
    else:
        blocks.append(Para("No trainee has finished a run yet."))

    blocks.append(Heading(2, "Decisions that mattered"))
    if cohort.splits:
        blocks.append(
            Para(
                "Decisions where the options differ most in value, with how many trainees picked each "
                f"({len(cohort.splits)} of {cohort.splits_total} shown)."
            )
        )
    else:
        blocks.append(Para("No decision with options of clearly different value was reached yet."))
    for split in cohort.splits:
        best = split.best
        options = sorted(split.options, key=lambda o: (-(o.value if o.value is not None else -9), o.index))
        blocks.append(
            Picks(
                f"{clean(split.title)} ({split.role}), reached by {split.reached}",
                [(clean(o.text), o.value, o.picked_by, best is not None and o.index == best.index) for o in options],
                split.reached,
            )
        )

    blocks.append(Heading(2, "Choices most often missed"))
    if cohort.missed:
        items = []
        for m in cohort.missed:
            instead = "; ".join(f"{quoted(clean(text))} ({count})" for text, count in m.instead)
            items.append(
                f"{quoted(clean(m.best_text))} ({m.best_value:+.2f}) at {quoted(clean(m.title))} ({m.role}): missed "
                f"by {m.missed_by} of {m.reached}, {m.points:.2f} points given up on average. "
                f"Chosen instead: {instead}."
            )
        blocks.append(Items(items, ordered=True))
    else:
        blocks.append(Para("No stronger option was passed over."))

    blocks.append(Heading(2, "Lesson coverage"))
    blocks.append(
        Table(
            ["Lesson", "Handled well", "Mixed", "Missed", "Not met"],
            [[c.label, str(c.handled_well), str(c.mixed), str(c.missed), str(c.not_met)] for c in cohort.lessons],
            frozenset({1, 2, 3, 4}),
        )
    )
    blocks.append(
        Para(
            "Trainees per verdict: a lesson is handled well when every choice that touched it scored above zero.", True
        )
    )

    blocks.append(Heading(2, "First and best attempt"))
    attempted = [t for t in cohort.trainees if t.first is not None]
    if attempted:
        rows = []
        for t in attempted:
            assert t.first is not None and t.best is not None
            change = t.best.percent - t.first.percent
            rows.append([t.trainee, str(t.finished), grade_text(t.first), grade_text(t.best), f"{change:+.0f}"])
        blocks.append(Table(["Trainee", "Finished runs", "First", "Best", "Change"], rows, frozenset({1, 4})))
        blocks.append(
            Pairs(
                "First and best attempt",
                [
                    (t.trainee, t.first.percent / 100 if t.first else None, t.best.percent / 100 if t.best else None)
                    for t in attempted
                ],
                ("First", "Best"),
            )
        )
    else:
        blocks.append(Para("No finished runs yet."))

    blocks.append(Heading(2, "Debrief questions (After-Action Review)"))
    for number, section in enumerate(questions(cohort), start=1):
        blocks.append(Heading(3, f"{number}. {section.title}"))
        blocks += [Para(clean(line)) for line in section.context]
        blocks.append(Items([clean(q) for q in section.questions], ordered=False))

    if leaderboard:
        blocks.append(Heading(2, "Leaderboard"))
        ranked = sorted(attempted, key=lambda t: (-(t.best.percent if t.best else 0), t.trainee.casefold()))
        blocks.append(
            Table(
                ["Rank", "Trainee", "Best"],
                [[str(i), t.trainee, grade_text(t.best)] for i, t in enumerate(ranked, start=1)],
                frozenset({0}),
            )
        )
    return blocks


def document(cohorts: list[Cohort], leaderboard: bool, footer: str) -> list[Block]:
    blocks: list[Block] = []
    for cohort in cohorts:
        blocks += cohort_blocks(cohort, leaderboard)
    blocks.append(Para(footer, note=True))
    return blocks


# ---------------------------------------------------------------------------------------------- renderers


def cell_width(text: str) -> int:
    """Columns a terminal gives the text: wide (East Asian, emoji) characters two, joiners and
    combining marks none."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf") or ch in "\ufe0e\ufe0f":
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - cell_width(text))
    return gap + text if right else text + gap


def align(rows: list[list[str]], right: set[int] | frozenset[int] = frozenset()) -> list[str]:
    """Rows of cells as lines of aligned columns (two spaces apart), wide characters counted right."""
    widths = [max(cell_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(_pad(c, w, i in right) for i, (c, w) in enumerate(zip(row, widths, strict=True))).rstrip()
        for row in rows
    ]


def _text_table(table: Table) -> list[str]:
    lines = align([table.headers, *table.rows], table.right)
    widths = [max(cell_width(row[i]) for row in [table.headers, *table.rows]) for i in range(len(table.headers))]
    return [lines[0], "  ".join("-" * w for w in widths), *lines[1:]]


def to_text(blocks: list[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        match block:
            case Heading(1, text):
                out += ["", text.upper(), "=" * min(WIDTH, len(text))]
            case Heading(2, text):
                out += ["", text, "-" * min(WIDTH, len(text))]
            case Heading(_, text):
                out += ["", text]
            case Para(text, note):
                out += textwrap.wrap(
                    text, WIDTH, initial_indent="  " if note else "", subsequent_indent="  " if note else ""
                )
            case Table():
                out += _text_table(block)
            case Bars(title, rows, max_value):
                out += [f"{title}:", *("  " + line for line in text_bars(rows, max_value))]
            case Pairs(title, rows, legend):
                out.append(f"{title}:")
                width = max((len(label) for label, _, _ in rows), default=0)
                for label, a, b in rows:
                    out.append(f"  {label:<{width}}  {legend[0]:<5} {text_bar(a or 0.0)}  {percent(a)}")
                    out.append(f"  {'':<{width}}  {legend[1]:<5} {text_bar(b or 0.0)}  {percent(b)}")
            case Picks(title, rows, reached):
                out.append(f"{title}:")
                for text, value, picked, best in rows:
                    head = (
                        f"  {text_bar(picked / (reached or 1), 12)} {picked:>2} of {reached}  {_value(value, best)}  "
                    )
                    out += textwrap.wrap(text, WIDTH, initial_indent=head, subsequent_indent=" " * len(head))
            case Items(items, ordered):
                for i, item in enumerate(items, start=1):
                    mark = f"{i}. " if ordered else "- "
                    out += textwrap.wrap(item, WIDTH, initial_indent=mark, subsequent_indent=" " * len(mark))
    return "\n".join(out).lstrip("\n") + "\n"


def _value(value: float | None, best: bool) -> str:
    """An option's value, and whether it was the best on offer, in a fixed width."""
    figure = "  –  " if value is None else f"{value:+.2f}"
    return f"{figure} {'best' if best else '    '}"


def _md(text: str) -> str:
    """Text safe inside Markdown: no markup from names or story text."""
    for ch in "\\`*_[]<>|#":
        text = text.replace(ch, "\\" + ch)
    return text


def to_markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        match block:
            case Heading(level, text):
                out += ["#" * level + " " + _md(text), ""]
            case Para(text, note):
                out += [f"_{_md(text)}_" if note else _md(text), ""]
            case Table(headers, rows, right):
                out.append("| " + " | ".join(_md(h) for h in headers) + " |")
                out.append("|" + "|".join("---:" if i in right else "---" for i in range(len(headers))) + "|")
                out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
                out.append("")
            case Bars(title, rows, max_value):
                out += [f"**{_md(title)}**", "", "```text", *text_bars(rows, max_value), "```", ""]
            case Pairs(title, rows, legend):
                lines = []
                width = max((len(label) for label, _, _ in rows), default=0)
                for label, a, b in rows:
                    lines.append(f"{label:<{width}}  {legend[0]:<5} {text_bar(a or 0.0)}  {percent(a)}")
                    lines.append(f"{'':<{width}}  {legend[1]:<5} {text_bar(b or 0.0)}  {percent(b)}")
                out += [f"**{_md(title)}**", "", "```text", *lines, "```", ""]
            case Picks(title, rows, reached):
                out += [f"**{_md(title)}**", "", "| Picked by | Value | Option |", "|---:|---:|---|"]
                out += [
                    f"| {picked} of {reached} | {_value(value, best).strip()} | {_md(text)} |"
                    for text, value, picked, best in rows
                ]
                out.append("")
            case Items(items, ordered):
                out += [(f"{i}. " if ordered else "- ") + _md(item) for i, item in enumerate(items, start=1)]
                out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 64rem;
       padding: 0 1rem; color: #1d232a; line-height: 1.45; }
h1 { border-bottom: 3px solid #3b6ea8; padding-bottom: .3rem; }
h2 { margin-top: 2rem; border-bottom: 1px solid #ccd3db; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .92rem; }
th, td { border: 1px solid #ccd3db; padding: .25rem .5rem; text-align: left; }
th { background: #eef2f6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
p.note { color: #56606b; font-size: .9rem; }
caption { text-align: left; font-weight: bold; padding: .25rem 0; }
table.picks td.num { white-space: nowrap; }
.bar { display: inline-block; width: 6rem; height: .8rem; background: #eceff3; vertical-align: middle; }
.bar > span { display: block; height: 100%; background: #3b6ea8; }
svg.chart { display: block; margin: .5rem 0 1rem; max-width: 100%; height: auto; font-family: inherit; }
@media print { h2 { break-after: avoid; } svg.chart, table { break-inside: avoid; } }
"""


def to_html(blocks: list[Block], title: str) -> str:
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
    ]
    for block in blocks:
        match block:
            case Heading(level, text):
                out.append(f"<h{level}>{escape(text)}</h{level}>")
            case Para(text, note):
                out.append(f'<p class="note">{escape(text)}</p>' if note else f"<p>{escape(text)}</p>")
            case Table(headers, rows, right):
                out.append("<table>")
                out.append("<tr>" + "".join(f'<th scope="col">{escape(h)}</th>' for h in headers) + "</tr>")
                for row in rows:
                    cells = "".join(
                        f'<td class="num">{escape(c)}</td>' if i in right else f"<td>{escape(c)}</td>"
                        for i, c in enumerate(row)
                    )
                    out.append(f"<tr>{cells}</tr>")
                out.append("</table>")
            case Bars(title_, rows, max_value):
                out.append(svg_bars(rows, title_, max_value))
            case Pairs(title_, rows, legend):
                out.append(svg_pairs(rows, title_, legend))
            case Picks(title_, rows, reached):
                out.append(f'<table class="picks"><caption>{escape(title_)}</caption>')
                out.append(
                    '<tr><th scope="col">Picked by</th><th scope="col">Value</th><th scope="col">Option</th></tr>'
                )
                for text, value, picked, best in rows:
                    width = 100 * picked / (reached or 1)
                    bar = f'<span class="bar"><span style="width: {width:.0f}%"></span></span>'
                    out.append(
                        f'<tr><td class="num">{bar} {picked} of {reached}</td>'
                        f'<td class="num">{escape(_value(value, best).strip())}</td><td>{escape(text)}</td></tr>'
                    )
                out.append("</table>")
            case Items(items, ordered):
                tag = "ol" if ordered else "ul"
                out.append(f"<{tag}>" + "".join(f"<li>{escape(item)}</li>" for item in items) + f"</{tag}>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _cleaned(value: Any) -> Any:
    if isinstance(value, str):
        return clean(value, line=True)
    if isinstance(value, list | tuple):
        return type(value)(_cleaned(item) for item in value)
    return value


def safe_blocks(blocks: list[Block]) -> list[Block]:
    """The blocks with every text through the output-safety rule: names, titles and story text
    come from the store and the campaign, and every format prints them."""
    return [replace(b, **{f.name: _cleaned(getattr(b, f.name)) for f in fields(b)}) for b in blocks]


def render(cohorts: list[Cohort], fmt: Format, *, leaderboard: bool = False, footer: str = "") -> str:
    """The report of the cohorts in one format."""
    blocks = safe_blocks(document(cohorts, leaderboard, footer))
    if fmt == "text":
        return to_text(blocks)
    if fmt == "markdown":
        return to_markdown(blocks)
    title = clean("DealQuest cohort report: " + ", ".join(c.title for c in cohorts), line=True)
    return to_html(blocks, title)
