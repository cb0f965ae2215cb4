"""Write a synthetic campaign of N scenes, shaped like the bundled ones, for the benchmarks.

    python benchmarks/gen_campaign.py 10000 /tmp/synthetic_10000

The campaign validates without errors: chapters alternate between the marketer and the
salesperson, each scene has two to five choices (one always available), some locked behind
flags or counters set earlier, some chance choices whose odds improve with marketing's work, a
deal-clock deadline, hooks from a branch file, Markdown text with `{name}` placeholders, and
endings of every outcome. Nothing is committed: the benchmarks write it to a temporary folder.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

SCENES_PER_FILE = 200
CHAPTER = 25  # scenes per chapter; the role switches every chapter
FLAGS = [f"flag_{i}" for i in range(12)]
COUNTERS = {"intel": 3, "budget": 4, "leads": 3}
ROLES = ("marketer", "salesperson")
TECHNIQUES = ("push", "pull", "blend", "none")
ADDRESSEES = ("one", "group", "committee", "segment", "market")
LESSONS = ("facilitation", "aims", "audience", "horizon", "push_pull")
ENDINGS = [("won", "success"), ("half_won", "partial"), ("lost", "failure"), ("slipped", "partial")]

TEXT = (
    "the buyer asks about onboarding while the committee weighs the risk of change and the segment wants"
    " proof that rotas get fairer before peak season arrives again this year"
)
WORDS = tuple(TEXT.split())


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _condition(rng: random.Random, index: int) -> str:
    """A condition on state that earlier scenes can set, in one of the forms the format has."""
    kind = rng.randrange(4)
    flag = FLAGS[index % len(FLAGS)]
    counter = rng.choice(list(COUNTERS))
    if kind == 0:
        return f"{{flag: {flag}}}"
    if kind == 1:
        return f"{{var: {counter}, gte: {rng.randint(1, 2)}}}"
    if kind == 2:
        return f"{{all: [{{flag: {flag}}}, {{var: {counter}, gte: 1}}]}}"
    return f"{{any: [{{flag: {flag}}}, {{not: {{var: days_left, lt: 10}}}}]}}"


def _choice(rng: random.Random, scene: int, total: int, k: int, lines: list[str], indent: str) -> None:
    """Append one choice; choice 0 always leads to the next scene and has no condition."""
    last = scene == total - 1
    lines.append(f"{indent}- text: {_q(_sentence(rng, rng.randint(6, 14)))}")
    lines.append(f"{indent}  technique: {rng.choice(TECHNIQUES)}")
    lines.append(f"{indent}  audience: {rng.randint(-2, 2)}")
    lines.append(f"{indent}  closing: {rng.randint(-2, 2)}")
    lines.append(f"{indent}  addresses: {rng.choice(ADDRESSEES)}")
    lines.append(f"{indent}  feedback: >-")
    lines.append(f"{indent}    {_sentence(rng, rng.randint(18, 36))} {_sentence(rng, rng.randint(8, 16))}")
    lines.append(f"{indent}  lessons: [{', '.join(rng.sample(LESSONS, rng.randint(1, 2)))}]")
    if k > 0 and rng.random() < 0.35:
        lines.append(f"{indent}  requires: {_condition(rng, scene + k)}")
        if rng.random() < 0.6:
            lines.append(f"{indent}  locked: {_q('Needs groundwork from the other role')}")
    effects = rng.random()
    if effects < 0.3:
        lines.append(f"{indent}  set: {{{FLAGS[(scene + k + 1) % len(FLAGS)]}: true}}")
    elif effects < 0.6:
        counter = rng.choice(list(COUNTERS))
        clock = f", days_left: -{rng.randint(1, 2)}" if k > 0 else ""  # the first choice never runs the clock down
        lines.append(f"{indent}  add: {{{counter}: {rng.choice((1, 1, -1))}{clock}}}")
    if last:
        ending = ENDINGS[k % len(ENDINGS)][0]
        lines.append(f"{indent}  goto: {ending}")
        return
    step = 1 if k == 0 else rng.randint(1, 3)
    target = min(scene + step, total - 1)
    if k > 0 and rng.random() < 0.2:
        other = min(scene + rng.randint(1, 4), total - 1)
        lines.append(f"{indent}  chance:")
        lines.append(f"{indent}    - {{goto: s{target}, weight: 2, bonus: 2, bonus_when: {_condition(rng, scene)}}}")
        lines.append(f"{indent}    - {{goto: s{other}, weight: 1, text: {_q(_sentence(rng, 8))}}}")
        lines.append(f"{indent}    - {{goto: {rng.choice(ENDINGS)[0]}, weight: 0.5}}")
    else:
        lines.append(f"{indent}  goto: s{target}")


def _scene(rng: random.Random, i: int, total: int, lines: list[str]) -> None:
    role = ROLES[(i // CHAPTER) % 2]
    lines.append(f"  - id: s{i}")
    lines.append(f"    role: {role}")
    lines.append(f"    chapter: {_q(f'Chapter {i // CHAPTER + 1}')}")
    lines.append(f"    title: {_q(_sentence(rng, rng.randint(3, 6))[:-1])}")
    if i % CHAPTER == 0 and i:
        lines.append(f"    handoff: {_q('The other side passed on {intel} pieces of intel and {leads} leads.')}")
    lines.append(f"    lessons: [{rng.choice(LESSONS)}]")
    lines.append("    text: |")
    for _ in range(rng.randint(2, 4)):
        lines.append(f"      **{rng.choice(WORDS).title()}.** {_sentence(rng, rng.randint(25, 60))}")
        lines.append("")
    lines.append("      Budget left: {budget} blocks; {days_left} days on the deal clock.")
    lines.append("    choices:")
    for k in range(rng.randint(2, 5)):
        _choice(rng, i, total, k, lines, "      ")


def generate(scenes: int, folder: Path, seed: int = 1) -> Path:
    """Write a campaign of `scenes` scenes (plus endings) into `folder`; returns the folder."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    state = [
        "  days_left: {initial: 30, min: 0, max: 30, label: Days on the deal clock, clock: deal}",
        *(f"  {n}: {{initial: 0, min: 0, max: {m}, label: {n.title()}}}" for n, m in COUNTERS.items()),
        *(f"  {f}: {{type: flag, initial: false, label: {_q(f.replace('_', ' ').title())}}}" for f in FLAGS),
    ]
    head = [
        "# yaml-language-server: $schema=.schema/campaign.json",
        "id: synthetic",
        "title: Synthetic benchmark campaign",
        f"summary: {_q(f'A generated campaign of {scenes:,} scenes for the performance benchmarks.')}",
        'version: "1.0"',
        "start: s0",
        "state:",
        *state,
        "deadlines:",
        "  - id: clock_runs_out",
        "    when: {var: days_left, lte: 0}",
        "    roles: [salesperson]",
        "    goto: slipped",
        "    text: The deal clock ran out.",
        "rubric:",
        "  marketer: {push_share: 0.35, aim: Hand sales a qualified lead, audience: The segment}",
        "  salesperson: {push_share: 0.75, aim: Close inside the clock, audience: The buyer}",
        "  closing_ceiling: {committee: 1, market: 0}",
        "  grades:",
        "    - {min: 80, grade: A, label: Rainmaker}",
        "    - {min: 50, grade: C, label: Getting there}",
        "    - {min: 0, grade: E, label: Back to basics}",
        "endings:",
    ]
    for ending, outcome in ENDINGS:
        head += [
            f"  - id: {ending}",
            f"    title: {_q(ending.replace('_', ' ').title())}",
            f"    text: {_q(_sentence(rng, 20))}",
            f"    outcome: {outcome}",
        ]
    (folder / "campaign.yaml").write_text("\n".join(head) + "\n", encoding="utf-8")
    for first in range(0, scenes, SCENES_PER_FILE):
        lines = ["scenes:"]
        for i in range(first, min(first + SCENES_PER_FILE, scenes)):
            _scene(rng, i, scenes, lines)
        (folder / f"{first // SCENES_PER_FILE + 1:03d}_chapter.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    # A branch file: hooks add a choice to a few scenes, as writers add side stories.
    lines = ["hooks:"]
    for i in range(0, scenes - 1, max(1, scenes // 20)):
        lines.append(f"  - scene: s{i}")
        lines.append("    choices:")
        _choice(rng, i, scenes, 1, lines, "      ")
    (folder / "zz_branches.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def generate_densest(scenes: int, folder: Path, per_file: int = 2000) -> Path:
    """The densest valid campaign of `scenes` scenes and endings: nine short choices each, one
    after the other, so that every scene is reachable and the checks do all their work."""
    folder.mkdir(parents=True, exist_ok=True)
    head = [
        "id: densest",
        "title: The densest campaign the limits allow",
        "summary: Generated for the memory benchmark.",
        'version: "1.0"',
        "start: s0",
        "rubric:",
        "  marketer: {push_share: 0.35, aim: Lead, audience: Segment}",
        "  salesperson: {push_share: 0.75, aim: Close, audience: Buyer}",
        "  grades:",
        "    - {min: 0, grade: E, label: Done}",
        "endings:",
        "  - {id: done, title: Done, text: Done., outcome: success}",
    ]
    (folder / "campaign.yaml").write_text("\n".join(head) + "\n", encoding="utf-8")
    feedback = "This feedback is long enough to say why the choice scores as it does."
    last = scenes - 1  # the ending is the last one
    for first in range(0, last, per_file):
        lines = ["scenes:"]
        for i in range(first, min(first + per_file, last)):
            target = f"s{i + 1}" if i + 1 < last else "done"
            choices = ", ".join(
                f"{{text: c{j}, goto: {target}, addresses: one, feedback: {feedback}}}" for j in range(9)
            )
            lines.append(f"  - {{id: s{i}, role: marketer, title: t, text: t, choices: [{choices}]}}")
        (folder / f"{first // per_file:03d}_dense.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    print(generate(int(argv[0]), Path(argv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
