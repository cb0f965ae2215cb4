"""The writers' guide cannot drift: every YAML example in it is checked against the loader."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel

from dealquest.story.diagnostics import CODES
from dealquest.story.loader import load_campaign
from dealquest.story.model import CampaignFile, Choice, Condition, Scene, StoryFile, StoryTestFile
from dealquest.story.template import problems, render
from dealquest.story.yamlsource import parse_text

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "AUTHORING.md"
BLOCK = re.compile(r"^```yaml(?: (?P<kind>[\w:]+))?\n(?P<body>.*?)^```", re.M | re.S)
KINDS: dict[str, type[BaseModel]] = {
    "campaign": CampaignFile,
    "story": StoryFile,
    "scene": Scene,
    "choice": Choice,
    "condition": Condition,
    "tests": StoryTestFile,
}


def examples() -> list[tuple[int, str, str]]:
    text = GUIDE.read_text(encoding="utf-8")
    return [(text[: m.start()].count("\n") + 1, m.group("kind") or "", m.group("body")) for m in BLOCK.finditer(text)]


def test_the_guide_has_examples_of_every_kind() -> None:
    kinds = {kind.split(":")[0] for _, kind, _ in examples()}
    assert set(KINDS) <= kinds


@pytest.mark.parametrize(("line", "kind", "body"), examples(), ids=lambda v: str(v) if isinstance(v, int) else "")
def test_yaml_example_is_valid(line: int, kind: str, body: str, tmp_path: Path) -> None:
    assert kind, f"AUTHORING.md:{line}: say what the example is, e.g. ```yaml story"
    source, diagnostics = parse_text(body, f"AUTHORING.md:{line}")
    assert diagnostics == []
    if kind.startswith("branch:"):
        # A branch file dropped into a copy of a bundled campaign: the whole campaign must stay valid.
        target = tmp_path / "campaign"
        shutil.copytree(ROOT / "story" / kind.split(":", 1)[1], target)
        (target / "branch_from_guide.yaml").write_text(body, encoding="utf-8")
        result = load_campaign(target)
        assert result.ok, [d.format() for d in result.diagnostics]
        return
    if kind == "rendered":
        # Text that follows the state: each entry's text, rendered with its state, shows exactly this.
        for entry in source.data:
            assert render(entry["text"], entry["state"]) == entry["shows"], entry
            assert problems(entry["text"]) == []
        return
    KINDS[kind].model_validate(source.data)
    for text in _strings(source.data):
        assert problems(text) == [], (text, problems(text))


def _strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for value in data.values() for s in _strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in _strings(value)]
    return []


def test_the_guide_lists_every_diagnostic_code() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| (DQ\d{3}) \| (error|warning) \|", text, re.M))
    assert listed == {(code, d.severity) for code, d in CODES.items()}


def test_ci_runs_exactly_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Test", 1)[1].split("\n## ", 1)[0]
    command = section.split("```sh\n", 1)[1].split("\n```", 1)[0].strip()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    marker = ci.index("# README-TEST-COMMAND")
    assert ci[marker + 1] == command


def test_import_layers_hold() -> None:
    """The import-linter contracts of pyproject.toml: layers point one way, Textual stays in the TUI."""
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        lint = Path(shutil.which("lint-imports") or "lint-imports")
    out = subprocess.run([str(lint), "--no-cache"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]


def test_the_guide_gives_playtests_own_cap_on_states() -> None:
    """--max-states was once documented as 1,000,000 while playtest stopped at 500,000 (issue 18)."""
    from dealquest.cli.main import _parser

    parser = _parser()
    playtest = parser.parse_args(["playtest", "x"])
    said = re.findall(r"`--max-states` \(([\d,]+)\)", (ROOT / "docs" / "AUTHORING.md").read_text())
    assert said and all(int(n.replace(",", "")) == playtest.max_states for n in said), said
