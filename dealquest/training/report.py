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

from dealquest.play import engine
from dealquest.play.debrief import NO_SCORE, percent
from dealquest.play.route import RouteMap, route_map
from dealquest.play.scoring import AXIS_LABEL, ROLE_LABEL, format_mark, gauge
from dealquest.story.model import AXES, ROLES
from dealquest.story.text import clean, plural
from dealquest.training import REPORT_FORMATS, ReportFormat
from dealquest.training.aar import questions, quoted
from dealquest.training.charts import html_route, svg_bars, svg_pairs, text_bar, text_bars, text_route
from dealquest.training.cohort import MOSTLY_GOOD, MOSTLY_MISSED, Cohort, DecisionSplit, TraineeResult
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


@dataclass(frozen=True)
class RouteBlock:
    """A trainee's run drawn as its route beside the best route (see `dealquest.play.route`)."""

    routes: RouteMap


Block = Heading | Para | Table | Bars | Pairs | Picks | Items | RouteBlock


def grade_text(run: RunRecord | None) -> str:
    return NO_SCORE if run is None else f"{run.grade} {run.percent:.0f}%"


def _status(t: TraineeResult) -> str:
    run = t.counted
    if run is None:
        return "no choice yet"
    status = (
        run.ending_title or run.ending or "finished"
        if run.finished
        else f"unfinished, at decision {len(run.decisions) + 1}"
    )
    if t.restarted:
        status += ", restarted"
    return status


def _trainee_row(t: TraineeResult) -> list[str]:
    run = t.counted
    runs = f"{t.finished}/{len(t.runs)}"
    if run is None:
        return [t.trainee, t.runs[-1].mode, _status(t), NO_SCORE, NO_SCORE, *([NO_SCORE] * 6), runs]
    axes = [format_mark(run.totals[role][axis]) for role in ROLES for axis in AXES]
    grade = run.grade if run.finished else NO_SCORE  # an unfinished run has a score so far, not a grade
    score = f"{run.percent:.0f}%" if run.finished else f"{run.percent:.0f}% so far"
    return [t.trainee, run.mode, _status(t), grade, score, *axes, runs]


def _share(good: int, total: int) -> str:
    return NO_SCORE if not total else f"{good / total:.0%} ({good} of {total})"


def _group_rows(cohort: Cohort) -> list[list[str]]:
    rows = []
    for group in cohort.groups:
        grades = ", ".join(f"{grade} {count}" for grade, count in group.grades(cohort.grade_order) if count)
        endings = ", ".join(f"{outcome} {count}" for outcome, count in group.outcomes)
        rows.append(
            [
                group.label,
                str(len(group.runs)),
                percent((group.percent or 0) / 100),
                grades or NO_SCORE,
                endings or NO_SCORE,
            ]
        )
    return rows


def _lesson_rows(cohort: Cohort) -> list[list[str]]:
    return [
        [
            c.label,
            _share(c.good, c.total),
            f"{c.met_by} of {c.trainees}",
            str(c.mostly_good),
            str(c.in_between),
            str(c.mostly_missed),
        ]
        for c in cohort.lessons
    ]


def _option_text(cohort: Cohort, text: str, locked_for: int, reached: int) -> str:
    return f"{clean(text)} [locked for {locked_for} of {reached}]" if locked_for else clean(text)


def _split_line(split: DecisionSplit) -> str:
    """One sentence for the summary: where the room split, and how."""
    picked = sorted((o for o in split.options if o.picked_by), key=lambda o: (-o.picked_by, o.index))
    best = split.best
    parts = [
        f"{o.picked_by} {quoted(clean(o.text))}{' (best)' if best is not None and o.index == best.index else ''}"
        for o in picked
    ]
    locked = [o for o in split.options if o.locked_for]
    tail = "".join(f"; {quoted(clean(o.text))} was locked for {o.locked_for}" for o in locked)
    return f"{quoted(clean(split.title))} ({split.role}, reached by {split.reached}): {', '.join(parts)}{tail}."


def _ranks(values: list[float]) -> list[str]:
    """Leaderboard ranks with ties shown as ties: 1=, 1=, 3."""
    rounded = [round(v, 2) for v in values]
    return [f"{1 + sum(o > v for o in rounded)}{'=' if rounded.count(v) > 1 else ''}" for v in rounded]


def summary_blocks(cohort: Cohort, anonymous: bool) -> list[Block]:
    """The first page: who played, where the group stands, the lessons, where the room split."""
    blocks: list[Block] = []
    runs = cohort.runs
    finished = sum(r.finished for r in runs)
    versions = ", ".join(cohort.versions)
    blocks.append(Heading(1, f"Cohort report: {cohort.title}"))
    blocks.append(
        Para(
            f"Campaign {cohort.campaign_id} (version {versions}): {plural(len(cohort.trainees), 'trainee')}, "
            f"{plural(len(runs), 'run')} ({finished} finished, {len(runs) - finished} unfinished)."
        )
    )
    blocks.append(Para(cohort.rule_text, note=True))
    if anonymous:
        if cohort.warnings:
            blocks.append(
                Para(f"{plural(len(cohort.warnings), 'warning')} about names and attempts: see the full report.", True)
            )
    else:
        blocks += [Para(f"Check: {warning}", note=True) for warning in cohort.warnings]
        blocks += [Para(note, note=True) for note in cohort.notes]

    blocks.append(Heading(2, "Summary"))
    if cohort.groups:
        blocks.append(
            Table(
                ["Runs that count", "Trainees", "Average", "Grades", "Endings"], _group_rows(cohort), frozenset({1, 2})
            )
        )
        blocks.append(
            Para(
                "Practice and assessment, finished and unfinished runs are never averaged together. A run "
                "without an ending has a score so far and no grade.",
                note=True,
            )
        )
    else:
        blocks.append(Para("No trainee has made a choice yet."))
    blocks.append(
        Table(
            ["Lesson", "Good choices", "Met by", "Mostly good", "Mixed", "Mostly missed"],
            _lesson_rows(cohort),
            frozenset({1, 2, 3, 4, 5}),
        )
    )
    blocks.append(
        Para(
            "Good choices: the share of the group's choices on the lesson that scored above zero. Trainees whose "
            f"choices on it were mostly good (at least {MOSTLY_GOOD:.0%}), mixed, or mostly missed (under "
            f"{MOSTLY_MISSED:.0%}).",
            note=True,
        )
    )
    if cohort.splits:
        blocks.append(Heading(3, "Where the room split"))
        blocks.append(Items([_split_line(split) for split in cohort.splits[:3]], ordered=True))
    return blocks


def detail_blocks(cohort: Cohort, leaderboard: bool, anonymous: bool) -> list[Block]:
    """Everything after the summary: trainees, averages, decisions, missed choices, attempts, the AAR."""
    blocks: list[Block] = [Heading(2, "Details")]
    short = {"push_pull": "P/P", "audience": "Aud", "closing": "Clo"}
    axis_headers = [f"{ROLE_LABEL[r][:3]} {short[a]}" for r in ROLES for a in AXES]
    if not anonymous:
        blocks.append(Heading(3, "Trainees"))
        blocks.append(
            Table(
                ["Trainee", "Mode", "Status", "Grade", "Score", *axis_headers, "Runs"],
                [_trainee_row(t) for t in cohort.trainees],
                frozenset({4, *range(5, 11)}),
            )
        )
        blocks.append(
            Para(
                "Status: the ending reached, or where the run stopped. Mar: marketer, Sal: salesperson; P/P "
                "push/pull, Aud audience, Clo closing. Runs: finished of all.",
                note=True,
            )
        )

    for group in cohort.groups:
        blocks.append(Heading(3, f"Averages: {group.label.lower()}"))
        rows = [
            [
                ROLE_LABEL[role],
                *(format_mark(group.averages[role][a]) for a in AXES),
                format_mark(group.role_averages[role]),
            ]
            for role in ROLES
        ]
        rows.append(["Both roles", *(format_mark(group.axis_averages[a]) for a in AXES), NO_SCORE])
        blocks.append(Table(["Role", *(AXIS_LABEL[a] for a in AXES), "All axes"], rows, frozenset({1, 2, 3, 4})))
        blocks.append(Para(f"Average score: {(group.percent or 0):.0f}% over {plural(len(group.runs), 'trainee')}."))
        blocks.append(
            Bars(
                f"Average score per role and axis ({group.label.lower()}; mean marks, -2 to +2)",
                [
                    (f"{ROLE_LABEL[role]} {AXIS_LABEL[a].lower()}", gauge(v), format_mark(v))
                    for role in ROLES
                    for a in AXES
                    if (v := group.averages[role][a]) is not None
                ],
            )
        )
        if group.finished:
            grades = group.grades(cohort.grade_order)
            blocks.append(
                Bars(f"Grades ({group.label.lower()})", [(g, n, str(n)) for g, n in grades], max(1, len(group.runs)))
            )

    blocks.append(Heading(3, "Decisions that mattered"))
    if cohort.splits:
        blocks.append(
            Para(
                "Decisions where the options differ most in value, with how many trainees picked each "
                f"({len(cohort.splits)} of {cohort.splits_total} shown). An option marked locked was not open "
                "to that many trainees: their earlier choices had not earned it."
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
                [
                    (
                        _option_text(cohort, o.text, o.locked_for, split.reached),
                        o.value,
                        o.picked_by,
                        best is not None and o.index == best.index,
                    )
                    for o in options
                ],
                split.reached,
            )
        )

    blocks.append(Heading(3, "Choices most often missed"))
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

    if not anonymous:
        blocks.append(Heading(3, "First and best attempt"))
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
                        (
                            t.trainee,
                            t.first.percent / 100 if t.first else None,
                            t.best.percent / 100 if t.best else None,
                        )
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

    if leaderboard and not anonymous:
        blocks.append(Heading(2, "Leaderboard"))
        ranked = sorted(
            [t for t in cohort.trainees if t.best is not None],
            key=lambda t: (-(t.best.percent if t.best else 0), t.trainee.casefold()),
        )
        ranks = _ranks([t.best.percent for t in ranked if t.best is not None])
        blocks.append(
            Table(
                ["Rank", "Trainee", "Best"],
                [[rank, t.trainee, grade_text(t.best)] for rank, t in zip(ranks, ranked, strict=True)],
            )
        )
        blocks.append(Para("Equal scores share a rank (1=).", note=True))
    return blocks


def cohort_blocks(cohort: Cohort, leaderboard: bool, anonymous: bool = False) -> list[Block]:
    return summary_blocks(cohort, anonymous) + detail_blocks(cohort, leaderboard, anonymous)


def route_blocks(cohort: Cohort) -> list[Block]:
    """Each trainee's counted run as a route map (a trainee's report: `report --trainee NAME`)."""
    blocks: list[Block] = []
    for t in cohort.trainees:
        run = t.counted or (t.runs[-1] if t.runs else None)
        if run is None or cohort.campaign is None:
            continue
        blocks.append(Heading(3, f"Route: {t.trainee}, {run.mode} run"))
        try:
            state = engine.replay(cohort.campaign, run.seed, [d.choice for d in run.decisions])
        except engine.EngineError as exc:
            blocks.append(Para(f"This run no longer replays on the campaign as installed ({exc}).", note=True))
            continue
        blocks.append(RouteBlock(route_map(cohort.campaign, state)))
    return blocks


def document(
    cohorts: list[Cohort], leaderboard: bool, footer: str, anonymous: bool = False, routes: bool = False
) -> list[Block]:
    blocks: list[Block] = []
    for cohort in cohorts:
        blocks += cohort_blocks(cohort, leaderboard, anonymous)
        if routes and not anonymous:
            blocks += route_blocks(cohort)
    if footer:
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
            case RouteBlock(routes):
                out += [clean(line, line=True) for line in text_route(routes, WIDTH)]
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
            case RouteBlock(routes):
                out += ["```text", *(clean(line, line=True) for line in text_route(routes, WIDTH)), "```", ""]
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
.route-columns { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5rem; }
@media (max-width: 50rem) { .route-columns { grid-template-columns: 1fr; } }
.route h4 { margin: .5rem 0; }
.route .leg { border-left: 4px solid #3b6ea8; padding-left: .6rem; margin: .6rem 0; }
.route .leg.salesperson { border-left-color: #c7801a; }
.route .role { font-weight: bold; }
.route ol { margin: .2rem 0; padding-left: 2rem; }
.route li { margin: .3rem 0; }
.route li span { display: block; }
.route .title { font-weight: bold; }
.route .verdict { font-style: italic; }
.route .note, .route .locked { color: #56606b; font-size: .9rem; }
.route .parted { font-weight: bold; color: #8a2b2b; }
.route .ending { font-weight: bold; }
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
            case RouteBlock(routes):
                out.append(html_route(routes, lambda text: clean(text, line=True)))
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


def render(
    cohorts: list[Cohort],
    fmt: Format,
    *,
    leaderboard: bool = False,
    footer: str = "",
    anonymous: bool = False,
    routes: bool = False,
) -> str:
    """The report of the cohorts in one format; `anonymous` leaves out every name (a projector view:
    the group's decisions and the debrief questions); `routes` adds each trainee's run as a route
    map (a trainee's report)."""
    blocks = safe_blocks(document(cohorts, leaderboard, footer, anonymous, routes))
    if fmt == "text":
        return to_text(blocks)
    if fmt == "markdown":
        return to_markdown(blocks)
    title = clean("DealQuest cohort report: " + ", ".join(c.title for c in cohorts), line=True)
    return to_html(blocks, title)
