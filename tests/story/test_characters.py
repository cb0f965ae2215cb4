"""A character YAML refuses is reported where it is, on one line (a raw NUL on line 6 was reported
at 1:1 with a newline inside the message)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dealquest.cli.main import main
from dealquest.story.yamlsource import parse_text


@pytest.mark.parametrize(("char", "code"), [("\x00", "0000"), ("\x07", "0007"), ("\x1b", "001B"), ("\ufffe", "FFFE")])
def test_a_refused_character_is_reported_at_its_line_and_column(char: str, code: str) -> None:
    text = "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: x" + char + "y\n"
    _, [diagnostic] = parse_text(text, "f.yaml")
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("DQ001", 6, 5)
    assert f"U+{code}" in diagnostic.message and "\n" not in diagnostic.format()


def test_validate_prints_one_line_for_a_nul_byte(mini_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    story = mini_copy / "sales.yaml"
    lines = story.read_bytes().split(b"\n")
    lines[5] = lines[5] + b"\x00"
    story.write_bytes(b"\n".join(lines))
    assert main(["validate", str(mini_copy)]) == 1
    [line] = [x for x in capsys.readouterr().out.splitlines() if "DQ001" in x]
    assert line.startswith(f"{mini_copy}/sales.yaml:6:") and "U+0000" in line


def test_a_lone_surrogate_is_a_diagnostic_not_a_crash() -> None:
    _, [diagnostic] = parse_text("a: 1\nb: \ud800\n", "f.yaml")
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("DQ001", 2, 4)
