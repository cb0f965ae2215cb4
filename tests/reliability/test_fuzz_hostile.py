"""Fuzzing the classes of input issue 17 broke: numbers in every YAML form, control characters and
bidi overrides in every text, special files and links in a campaign folder, saves of every shape,
and whatever is typed at a `--plain` prompt. Each case ends in located diagnostics, a refusal with
a reason, or a game that plays and prints nothing unsafe; never in an exception.

CI runs a few dozen cases of each; `pytest -m fuzz` runs 2,500 of each (12,500 in all).
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dealquest.frontends.plain import Line, PlainGame, typed_lines
from dealquest.play import engine, saves
from dealquest.play.saves import SaveError
from dealquest.story.files import story_test_files
from dealquest.story.loader import load_campaign
from dealquest.story.text import BIDI_CONTROLS, clean

from ..conftest import MINI, WINNING_SEED, campaign
from .test_fuzz import FOLDER_LEVEL, check

FORBIDDEN = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{BIDI_CONTROLS}\\u2028\\u2029]")

_quick = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
_full = settings(max_examples=2_500, deadline=None, suppress_health_check=list(HealthCheck))


def fresh_mini(tmp: Path) -> Path:
    folder = tmp / "mini"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(MINI, folder)
    return folder


def located(folder: Path) -> None:
    """The loader's contract (see test_fuzz.check), and every diagnostic prints on one safe line."""
    check(folder)
    for d in load_campaign(folder).diagnostics:
        line = d.format()
        assert "\n" not in line and not FORBIDDEN.search(line), line
        assert d.line >= 1 or d.code in FOLDER_LEVEL, line


# ------------------------------------------------------------------------------------- numbers

DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=30)
NUMBER_TEXT = st.one_of(
    DIGITS,
    st.builds(lambda s, d: s + d, st.sampled_from(["-", "+", ""]), DIGITS),
    st.builds(lambda d: "0x" + d, st.text(alphabet="0123456789abcdefABCDEF_", min_size=1, max_size=4000)),
    st.builds(lambda d: "0b" + d, st.text(alphabet="01_", min_size=1, max_size=200)),
    st.builds(lambda d: "0" + d, st.text(alphabet="01234567_", min_size=1, max_size=30)),
    st.builds(
        lambda a, parts: a + "".join(":" + p for p in parts),
        DIGITS,
        st.lists(st.sampled_from(["0", "59", "5", "30"]), min_size=1, max_size=300),
    ),
    st.builds(lambda a, b, e: f"{a}.{b}e{e}", DIGITS, DIGITS, st.integers(-400, 400)),
    st.builds(lambda a, b, e: f"{a}.{b}e{e:+d}", DIGITS, DIGITS, st.integers(-400, 400)),
    st.sampled_from(
        [".inf", "-.inf", ".nan", ".NaN", "inf", "nan", "1e308", "1.0e-320", "1_000", "1__0", "٣", "²", "0.", ".5"]
    ),
    st.builds(lambda n: "9" * n, st.integers(14, 6000)),
)
#: Where a number goes in the mini campaign's campaign.yaml: (old text, how the new one is written).
NUMBER_SPOTS = [
    ("max: 3, label: Intel", "max: {}, label: Intel"),
    ("initial: 10,", "initial: {},"),
    ("lte: 0}", "lte: {}}}"),
    ("closing_ceiling: {committee: 1}", "closing_ceiling: {{committee: {}}}"),
    ("closing_ceiling: {committee: 1}", "closing_ceiling: {{committee: 1}}\n  mix_tolerance: {}"),
    ("closing_ceiling: {committee: 1}", "closing_ceiling: {{committee: 1}}\n  outcomes: {{success: {}}}"),
    ("closing_ceiling: {committee: 1}", "closing_ceiling: {{committee: 1}}\n  weights: {{push_pull: {}, audience: 0}}"),
    ("min: 80, grade: A", "min: {}, grade: A"),
    ("push_share: 0.3", "push_share: {}"),
    ("        audience: 2\n", "        audience: {}\n"),
    ("        add: {intel: 2}\n", "        add: {{intel: {}}}\n"),
    ("        add: {intel: 2}\n", "        add: {{intel: 2}}\n        clamp: {{intel: [{}, 1]}}\n"),
    ('version: "1.2"', "version: {}"),
    ('version: "1.2"', 'version: "{}"'),
]


def run_number(tmp: Path, spot: int, text: str) -> None:
    folder = fresh_mini(tmp)
    story = folder / "campaign.yaml"
    old, new = NUMBER_SPOTS[spot]
    content = story.read_text(encoding="utf-8")
    assert old in content
    story.write_text(content.replace(old, new.format(text), 1), encoding="utf-8")
    located(folder)


@_quick
@given(spot=st.integers(0, len(NUMBER_SPOTS) - 1), text=NUMBER_TEXT)
def test_numbers_of_every_form_are_bounded_or_located(
    tmp_path_factory: pytest.TempPathFactory, spot: int, text: str
) -> None:
    run_number(tmp_path_factory.mktemp("numbers"), spot, text)


@pytest.mark.fuzz
@_full
@given(spot=st.integers(0, len(NUMBER_SPOTS) - 1), text=NUMBER_TEXT)
def test_fuzz_numbers(tmp_path_factory: pytest.TempPathFactory, spot: int, text: str) -> None:
    run_number(tmp_path_factory.mktemp("numbers"), spot, text)


# ------------------------------------------------------------------------------------- control characters

HOSTILE_CHARS = [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))] + [*BIDI_CONTROLS, "\u2028", "\u2029", "\ufeff"]
HOSTILE_PIECES = [
    "\x1bc",
    "\x1b[2J",
    "\x1b]0;t\x07",
    "\x1b]8;;file:///etc/passwd\x1b\\",
    "\x9b31m",
    "[bold]",
    "{intel}",
]
HOSTILE_TEXT = st.lists(
    st.one_of(st.sampled_from(HOSTILE_CHARS), st.sampled_from(HOSTILE_PIECES), st.text(max_size=5)),
    min_size=1,
    max_size=12,
).map("".join)
TEXT_FIELDS = [
    "title: Mini deal",
    "label: Intel}",
    "aim: Hand sales a qualified lead",
    "grade: A,",
    "label: Rainmaker}",
    "title: What does the segment crave?",
    "text: Interview ten customers",
    "feedback: Listening to the segment finds what it craves, which sales can use.",
    "text: The quarter closed without a signature.",
]


def run_text(tmp: Path, field: int, text: str) -> None:
    folder = fresh_mini(tmp)
    story = folder / "campaign.yaml"
    key, _, rest = TEXT_FIELDS[field].partition(": ")
    tail = "}" if rest.endswith("}") else ("," if rest.endswith(",") else "")
    written = json.dumps(text[:3] if key == "grade" else text)  # a YAML double-quoted string
    content = story.read_text(encoding="utf-8")
    story.write_text(content.replace(TEXT_FIELDS[field], f"{key}: {written}{tail}", 1), encoding="utf-8")
    located(folder)
    result = load_campaign(folder)
    if result.ok and result.campaign is not None:  # play it line by line: nothing unsafe is printed
        out = io.StringIO()
        game = PlainGame(result.campaign, engine.new_game(result.campaign, WINNING_SEED), out)
        game.introduce("Ana")
        game.play(iter([Line("1", 0.0)] * 6 + [Line("2", 0.0)] * 4))
        assert not FORBIDDEN.search(out.getvalue()), out.getvalue()


@_quick
@given(field=st.integers(0, len(TEXT_FIELDS) - 1), text=HOSTILE_TEXT)
def test_control_characters_in_any_text_never_reach_the_output(
    tmp_path_factory: pytest.TempPathFactory, field: int, text: str
) -> None:
    run_text(tmp_path_factory.mktemp("text"), field, text)


@pytest.mark.fuzz
@_full
@given(field=st.integers(0, len(TEXT_FIELDS) - 1), text=HOSTILE_TEXT)
def test_fuzz_control_characters(tmp_path_factory: pytest.TempPathFactory, field: int, text: str) -> None:
    run_text(tmp_path_factory.mktemp("text"), field, text)


@given(text=st.text(max_size=200))
@_quick
def test_clean_leaves_no_control_character_whatever_the_text(text: str) -> None:
    for shown in (clean(text, line=True), clean(text, visible=True, line=True)):
        assert not FORBIDDEN.search(shown) and "\n" not in shown and "\t" not in shown
    assert not FORBIDDEN.search(clean(text))


# ------------------------------------------------------------------------------------- special files

SPECIAL: dict[str, Callable[[Path, Path], None]] = {
    "fifo": lambda path, _: os.mkfifo(path),
    "link to /dev/zero": lambda path, _: path.symlink_to("/dev/zero"),
    "link outside": lambda path, outside: path.symlink_to(outside / "secret.yaml"),
    "dangling link": lambda path, _: path.symlink_to(path.parent / "nowhere.yaml"),
    "hard link outside": lambda path, outside: os.link(outside / "secret.yaml", path),
    "folder named .yaml": lambda path, _: path.mkdir(),
    "linked folder": lambda path, outside: path.symlink_to(outside, target_is_directory=True),
    "empty file": lambda path, _: path.write_bytes(b""),
    "sparse 5 MB": lambda path, _: _sparse(path, 5_000_000),
}


def _sparse(path: Path, size: int) -> None:
    with path.open("wb") as handle:
        handle.truncate(size)


def run_special(tmp: Path, kinds: list[tuple[str, bool]]) -> None:
    folder = fresh_mini(tmp)
    outside = tmp / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "secret.yaml").write_text("scenes: [{id: Secret}]\n")
    for number, (kind, in_tests) in enumerate(kinds):
        parent = folder / "tests" if in_tests else folder
        SPECIAL[kind](parent / f"special_{number}.yaml", outside)
    located(folder)
    tests = story_test_files(folder, "mini")
    assert all(d.code in ("DQ004", "DQ008") for d in tests.diagnostics)
    shown = [d.format() for d in load_campaign(folder).diagnostics]
    assert not any("secret" in line.lower() or "Secret" in line for line in shown)


SPECIAL_KINDS = st.lists(st.tuples(st.sampled_from(sorted(SPECIAL)), st.booleans()), min_size=1, max_size=4)


@_quick
@given(kinds=SPECIAL_KINDS)
def test_special_files_and_links_are_refused_with_their_path(
    tmp_path_factory: pytest.TempPathFactory, kinds: list[tuple[str, bool]]
) -> None:
    run_special(tmp_path_factory.mktemp("special"), kinds)


@pytest.mark.fuzz
@_full
@given(kinds=SPECIAL_KINDS)
def test_fuzz_special_files(tmp_path_factory: pytest.TempPathFactory, kinds: list[tuple[str, bool]]) -> None:
    run_special(tmp_path_factory.mktemp("special"), kinds)


# ------------------------------------------------------------------------------------- saves

JSON_ODD: list[Any] = [None, True, -1, 0, 2**63, -(2**70), 10**4000, 1e308, 1.5, "", "\x1bc\u202e", "x" * 5000, [], {}]
JSON_ODD += ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "not a time", [[[[[[]]]]]]]


def mutate_json(data: Any, rng: random.Random) -> Any:
    """One change to a save's JSON: a value replaced, a key dropped or added, a list doubled, deep nesting."""
    paths: list[tuple[Any, ...]] = []
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack and len(paths) < 5_000:  # not recursive, not below 40 levels, not every copy of a copy
        node, path = stack.pop()
        paths.append(path)
        if len(path) < 40 and isinstance(node, dict):
            stack += [(v, (*path, k)) for k, v in node.items()]
        elif len(path) < 40 and isinstance(node, list):
            stack += [(v, (*path, i)) for i, v in enumerate(node)]
    path = rng.choice(paths[1:]) if len(paths) > 1 else ()
    if not path:
        return rng.choice(JSON_ODD)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    key = path[-1]
    kind = rng.randrange(5)
    if kind == 0:
        parent[key] = rng.choice(JSON_ODD)
    elif kind == 1 and isinstance(parent, dict):
        del parent[key]
    elif kind == 2 and isinstance(parent, dict):
        parent[rng.choice(["extra", "\x1b", "state"])] = rng.choice(JSON_ODD)
    elif kind == 3 and isinstance(parent, list) and len(parent) < 200:  # long, but not exponentially so
        parent.extend(parent[:20] * rng.choice([1, 100]))
    else:
        value: Any = parent[key]
        for _ in range(rng.choice([3, 300, 3000])):
            value = [value]
        parent[key] = value
    return data


def run_save(seed: int, rounds: int, raw: bytes | None) -> None:
    mini = campaign()
    rng = random.Random(seed)
    honest = engine.replay(mini, seed % 100, [rng.randrange(2)] if rng.random() < 0.5 else [])
    path = saves.autosave(mini, honest)
    if raw is not None:
        path.write_bytes(raw)
    else:
        data = json.loads(path.read_text())
        for _ in range(rounds):
            data = mutate_json(data, rng)
        try:
            path.write_text(json.dumps(data))
        except (ValueError, RecursionError):  # too deep or too large even for json to write
            path.write_text("[" * 10_000)
    listed = [s for s in saves.list_saves() if s.path == path]  # listing never raises, whatever the file holds
    assert len(listed) == 1 and listed[0].when
    saves.latest_autosave()  # nor does what the title screen asks
    try:
        state = saves.load(path, mini)
    except SaveError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert state == engine.replay(mini, state.seed, [d.choice for d in state.decisions])  # figures are the replay's


@_quick
@given(seed=st.integers(0, 2**32 - 1), rounds=st.integers(1, 4), raw=st.none() | st.binary(max_size=300))
def test_saves_of_every_shape_are_listed_and_refused_or_replayed(seed: int, rounds: int, raw: bytes | None) -> None:
    run_save(seed, rounds, raw)


@pytest.mark.fuzz
@_full
@given(seed=st.integers(0, 2**32 - 1), rounds=st.integers(1, 6), raw=st.none() | st.binary(max_size=2000))
def test_fuzz_save_shapes(seed: int, rounds: int, raw: bytes | None) -> None:
    run_save(seed, rounds, raw)


# ------------------------------------------------------------------------------------- typed input


def run_typed(raw: bytes) -> None:
    mini = campaign()
    out = io.StringIO()
    game = PlainGame(mini, engine.new_game(mini, WINNING_SEED), out)
    stream = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    game.play(typed_lines(stream), echo=True)
    assert not FORBIDDEN.search(out.getvalue())


TYPED = st.lists(
    st.one_of(
        st.text(max_size=20),
        st.sampled_from(["1", "2", "u", "h", "q", "²", "①", "٣", "9" * 5000]),
        st.binary(max_size=8).map(lambda b: b.decode("latin-1")),
    ),
    max_size=20,
).map(lambda lines: "\n".join(lines).encode("utf-8", "surrogatepass"))


@_quick
@given(raw=TYPED | st.binary(max_size=500))
def test_whatever_is_typed_is_answered(raw: bytes) -> None:
    run_typed(raw)


@pytest.mark.fuzz
@_full
@given(raw=TYPED | st.binary(max_size=3000))
def test_fuzz_typed_input(raw: bytes) -> None:
    run_typed(raw)
