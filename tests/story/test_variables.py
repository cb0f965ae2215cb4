"""What a variable needs: a label only when it is shown, an initial value only when the default does not fit."""

from __future__ import annotations

import shutil
from pathlib import Path

from dealquest.story.loader import load_campaign

from ..conftest import MINI, campaign

FLAG = "  case_study: {type: flag, initial: false, label: Case study ready}\n"


def _mini_with(tmp_path: Path, new: str) -> Path:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    header = folder / "campaign.yaml"
    text = header.read_text()
    assert FLAG in text
    header.write_text(text.replace(FLAG, new, 1))
    return folder


def test_a_flag_starts_false_and_a_counter_at_zero_or_its_nearest_bound(tmp_path: Path) -> None:
    folder = _mini_with(
        tmp_path,
        "  case_study: {type: flag, label: Case study ready}\n"
        "  calls: {min: 1, max: 5, show: false}\n"
        "  debt: {min: -9, max: -2, show: false}\n"
        "  score: {show: false}\n",
    )
    state = campaign(folder).header.state
    assert state["case_study"].initial is False
    assert (state["calls"].initial, state["debt"].initial, state["score"].initial) == (1, -2, 0)


def test_a_hidden_variable_needs_no_label(tmp_path: Path) -> None:
    folder = _mini_with(tmp_path, FLAG + "  calls: {min: 0, max: 5, show: false}\n")
    assert campaign(folder).header.state["calls"].label is None


def test_a_shown_variable_without_a_label_is_an_error_at_its_line(tmp_path: Path) -> None:
    folder = _mini_with(tmp_path, FLAG + "  calls: {min: 0, max: 5}\n")
    (diag,) = [d for d in load_campaign(folder).diagnostics if d.severity == "error"]
    assert (Path(diag.file).name, diag.line, diag.column, diag.code) == ("campaign.yaml", 9, 10, "DQ014")
    assert diag.message == "variable 'calls': a variable shown in the state panel needs a label (or show: false)"
