"""docs/REFERENCE.md is what the models say: regenerated here, it must be the file as committed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dealquest.story.reference import SECTIONS, reference

REFERENCE = Path(__file__).parents[2] / "docs" / "REFERENCE.md"


def test_the_reference_in_the_docs_is_the_one_the_models_generate() -> None:
    assert REFERENCE.read_text(encoding="utf-8") == reference(), (
        "docs/REFERENCE.md is out of date: run `python -m dealquest.story.reference -o docs/REFERENCE.md`"
    )


def test_every_field_of_every_file_is_listed_with_a_meaning() -> None:
    text = reference()
    for title, cls, _ in SECTIONS:
        section = text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]
        for name, f in cls.model_fields.items():
            row = next((r for r in section.splitlines() if r.startswith(f"| `{f.alias or name}` |")), None)
            assert row is not None, (title, name)
            assert f.description and row.rstrip().endswith("|") and not row.endswith("|  |"), (title, name)


def test_the_rubric_fields_have_their_defaults() -> None:
    text = reference()
    assert "| `backfire` | number, 0 to 10 | `2` |" in text
    assert "| `weights` | [Weights](#weights) | push_pull 1, audience 1, closing 1 |" in text
    assert "| `cap_below` | whole number, -2 to 0 | `-1` |" in text
    assert "| `closing_ceiling` | mapping of `one`, `group`, `committee`, `segment`, `market`, `team` to mark" in text
    assert "| `initial` | whole number or true/false | `0` | The starting value. Default: false for a flag" in text


def test_the_command_writes_the_reference(tmp_path: Path) -> None:
    out = tmp_path / "REFERENCE.md"
    done = subprocess.run(
        [sys.executable, "-m", "dealquest.story.reference", "-o", str(out)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8") == reference()
