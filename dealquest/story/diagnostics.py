"""Every diagnostic code, its explanation, and the one format diagnostics are printed in."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

from dealquest.story.text import clean, json_text

Severity = Literal["error", "warning"]

#: code -> (severity, explanation). The single home of every code; `dealquest validate
#: --explain CODE` and docs/AUTHORING.md read from here.
CODES: dict[str, tuple[Severity, str]] = {
    # Files and YAML
    "DQ001": ("error", "The file is not valid YAML; the message says where the parser stopped."),
    "DQ002": ("error", "A YAML tag other than the safe, standard ones (e.g. !!python/object)."),
    "DQ003": ("error", "The file is not UTF-8 text."),
    "DQ004": ("error", "The file, a text, or the campaign is larger than the safe limit."),
    "DQ005": ("error", "A key appears twice in the same mapping; YAML would keep only the last."),
    "DQ006": ("error", "YAML aliases expand to too many nodes, or nest too deep (an alias bomb)."),
    "DQ007": ("error", "The top of a story file must be a mapping (key: value)."),
    "DQ008": ("error", "A path is missing, is not a campaign folder, or leaves the campaign folder."),
    # Schema
    "DQ010": ("error", "A required field is missing."),
    "DQ011": ("error", "A field that the format does not know; often a typo."),
    "DQ012": ("error", "A value of the wrong type (text where a number is expected, ...)."),
    "DQ013": ("error", "A value outside its allowed range or set (a score above 2, a bad id)."),
    "DQ014": ("error", "A value that breaks a rule of the format (e.g. a choice with no target)."),
    # Campaign structure
    "DQ101": ("error", "Two scenes or endings share an id, in one file or across files."),
    "DQ102": ("error", "The start scene does not exist."),
    "DQ103": ("error", "A choice, branch or deadline goes to a scene or ending that does not exist."),
    "DQ104": ("error", "A hook adds choices to a scene that does not exist."),
    "DQ105": ("error", "A condition, effect or text uses a variable that is not declared."),
    "DQ106": ("error", "A variable is used as the wrong type (adding to a flag, ...)."),
    "DQ107": ("error", "Text braces may only show a declared variable: {name}, nothing more."),
    "DQ108": ("error", "The campaign has no campaign.yaml, or more than one campaign header."),
    "DQ109": ("error", "The start is an ending: there is nothing to play."),
    # Warnings: the story may still play, but something is probably wrong
    "DQ201": ("warning", "A scene cannot be reached from the start."),
    "DQ202": ("warning", "An ending cannot be reached from the start."),
    "DQ203": ("warning", "Every choice of a scene can be unavailable at once: a dead end."),
    "DQ204": ("warning", "A variable is used in a condition but no choice ever changes it."),
    "DQ205": ("warning", "A variable is declared but never used."),
    "DQ206": ("warning", "A chance choice whose branches can all have zero weight at once."),
    "DQ207": ("warning", "A choice's feedback is very short; it is the teaching moment."),
}


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding, located at FILE:LINE:COL (1-based; 0 when there is no position)."""

    file: str
    line: int
    column: int
    code: str
    message: str
    path: str = ""
    hint: str = ""
    severity: Severity = field(default="error")

    def format(self) -> str:
        """One line, FILE:LINE:COL first; values quoted from the story show control characters as
        visible escapes (`\\x1b`), so the writer can find them and the terminal is left alone."""
        where = self.file if self.line == 0 else f"{self.file}:{self.line}:{self.column}"
        text = f"{where}: {self.severity}[{self.code}]: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return clean(text, visible=True, line=True)


def make(
    code: str,
    message: str,
    file: str,
    line: int = 0,
    column: int = 0,
    path: str = "",
    hint: str = "",
) -> Diagnostic:
    """A diagnostic whose severity comes from the code's entry in CODES."""
    return Diagnostic(file, line, column, code, message, path, hint, CODES[code][0])


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def to_json(diagnostics: list[Diagnostic]) -> str:
    return json_text([asdict(d) for d in diagnostics], indent=2)


def explain(code: str) -> str | None:
    entry = CODES.get(code.upper())
    return None if entry is None else f"{code.upper()} ({entry[0]}): {entry[1]}"
