"""Every number a story file holds is bounded when it is loaded, with an error at its line.

Each case replaces one line of the mini campaign with what the attacker of issue 17 wrote: numbers
of thousands of digits, YAML 1.1's other number forms (sexagesimal, hex, octal, .inf, .nan), values
that made scoring crash after a clean validation, and settings that were accepted silently.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from dealquest.cli.main import main
from dealquest.play import engine
from dealquest.story.loader import load_campaign
from dealquest.story.yamlsource import MAX_DIGITS, parse_text

from ..conftest import MINI

INTEL = "  intel: {initial: 0, min: 0, max: 3, label: Intel}\n"
ADD = "        add: {intel: 2}\n"
CEILING = "  closing_ceiling: {committee: 1}\n"
MARKETER = "  marketer: {push_share: 0.3, aim: Hand sales a qualified lead, audience: The segment}\n"
VERSION = 'version: "1.2"\n'

# (what the line becomes, the line it replaces, the code expected, the text the message holds)
CASES = [
    ("5,000 digits", INTEL.replace("max: 3", "max: " + "9" * 5000), INTEL, "DQ013", "5,000 digits"),
    ("hex of 3,800 digits in add", "        add: {intel: 0x" + "f" * 3800 + "}\n", ADD, "DQ012", "decimal"),
    ("sexagesimal", "        add: {intel: 1:59:59:59:59}\n", ADD, "DQ012", "'1:59:59:59:59'"),
    ("octal", "        add: {intel: 017}\n", ADD, "DQ012", "'017'"),
    ("binary", "        add: {intel: 0b11}\n", ADD, "DQ012", "'0b11'"),
    ("sixteen digits", "        add: {intel: 1234567890123456}\n", ADD, "DQ013", f"limit is {MAX_DIGITS}"),
    (
        "a counter past the bound",
        INTEL.replace("max: 3", "max: 999999999999"),
        INTEL,
        "DQ013",
        "is above 1,000,000,000, the most allowed",
    ),
    (
        "an effect past the bound",
        "        add: {intel: -10000000000}\n",
        ADD,
        "DQ013",
        "-10,000,000,000 is below -1,000,000,000, the least allowed",
    ),
    ("a ceiling of -10^400", "  closing_ceiling: {committee: -1" + "0" * 400 + "}\n", CEILING, "DQ013", "digits"),
    ("a ceiling outside the scores", "  closing_ceiling: {committee: -10}\n", CEILING, "DQ013", "-10 is below -2"),
    ("a backfire of .nan", CEILING + "  backfire: .nan\n", CEILING, "DQ012", "'.nan'"),
    ("a backfire of 1e308", CEILING + "  backfire: 1e308\n", CEILING, "DQ013", "is above 10, the most allowed"),
    ("a verdict from 'inf'", CEILING + "  verdicts: [{min: inf, label: x}]\n", CEILING, "DQ013", "finite"),
    ("a float of .inf", MARKETER.replace("0.3", ".inf"), MARKETER, "DQ012", "'.inf'"),
    ("a cap above zero", CEILING + "  cap_below: 1\n", CEILING, "DQ013", "1 is above 0, the most allowed"),
    (
        "all weights 0",
        CEILING + "  weights: {push_pull: 0, audience: 0, closing: 0}\n",
        CEILING,
        "DQ014",
        "weights are all 0",
    ),
    ("a reversed clamp", ADD + "        clamp: {intel: [5, 1]}\n", ADD, "DQ014", "[5, 1]"),
    ("Arabic-Indic digits in the version", 'version: "\u0661.\u0662"\n', VERSION, "DQ013", "version"),
    ("a version of 5,000 digits", 'version: "' + "1" * 5000 + '"\n', VERSION, "DQ013", "version"),
]


def broken(tmp_path: Path, new: str, old: str) -> Path:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    story = (folder / "campaign.yaml").read_text(encoding="utf-8")
    assert old in story
    (folder / "campaign.yaml").write_text(story.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(("new", "old", "code", "says"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_number_out_of_bounds_is_an_error_at_its_line(
    new: str, old: str, code: str, says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = broken(tmp_path, new, old)
    line = (folder / "campaign.yaml").read_text(encoding="utf-8").splitlines().index(new.splitlines()[-1]) + 1
    result = load_campaign(folder)
    assert not result.ok
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert [d.code for d in errors] == [code], [d.format() for d in errors]
    assert errors[0].line == line and errors[0].column > 0
    assert says in errors[0].message
    assert main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    assert f"campaign.yaml:{line}:" in out and len(out) < 2000  # the value is not echoed whole
    assert main(["play", str(folder), "--plain", "--choices", "1"]) == 1  # refused, never played


def test_a_four_mebibyte_sexagesimal_number_is_refused_at_once() -> None:
    """It validated clean after 8 min 25 s: YAML 1.1 converts 1:59:59:... digit group by digit group."""
    text = "a: 1" + ":59" * (4 * 1024 * 1024 // 3 - 10) + "\n"
    started = time.perf_counter()
    _, diagnostics = parse_text(text, "big.yaml")
    assert [d.code for d in diagnostics] == ["DQ012"]
    assert time.perf_counter() - started < 5  # seconds; about 0.3 s here


@pytest.mark.parametrize(
    ("text", "value"),
    [("1_000", 1000), ("+7", 7), ("-0", 0), ("123456789012345", 123456789012345), ("6.", 6.0), (".5", 0.5)],
)
def test_decimal_numbers_as_people_write_them_still_load(text: str, value: float) -> None:
    source, diagnostics = parse_text(f"a: {text}\n", "f.yaml")
    assert diagnostics == [] and source.data == {"a": value}


def test_the_bounds_leave_every_bundled_figure_alone() -> None:
    from dealquest.story.library import bundled

    for folder in bundled():
        assert load_campaign(folder).ok, folder
    assert engine.replay(load_campaign(MINI).campaign, 7, [0, 0]).turn == 2  # type: ignore[arg-type]
