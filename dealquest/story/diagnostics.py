"""Every diagnostic: its code, severity, message, hint and explanation, each in one descriptor.

A finding is made from its descriptor, `DQ103.at(origin, "goto", what=..., target=..., hint=...)`,
so a misspelt code is a name mypy reports, and each message is written once, here.
`dealquest validate --explain CODE` and the code table in docs/AUTHORING.md read the explanations.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Literal, Protocol

from dealquest.story.text import clean, json_text

Severity = Literal["error", "warning"]


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


@dataclass(frozen=True)
class Location:
    """A place in a file (line and column 0 for the file as a whole) and the path of the value there."""

    file: str
    line: int = 0
    column: int = 0
    path: str = ""

    def locate(self, *below: str | int, key: bool = False) -> Location:
        """This place; what lies below it is named in the path, as there are no positions to look it up in."""
        if not below:
            return self
        return replace(self, path=".".join(str(p) for p in (*([self.path] if self.path else []), *below)))


class Place(Protocol):
    """Something a finding can be reported at: a Location, or the Origin of a scene, choice or hook."""

    def locate(self, *below: str | int, key: bool = False) -> Location: ...


@dataclass(frozen=True)
class Descriptor:
    """One kind of finding: its code, severity and explanation, and the message it prints.

    `message` is a `str.format` template filled from the keyword arguments of `at`; `hint` is
    shown when the finding brings none of its own (a "did you mean" found for this case).
    """

    code: str
    severity: Severity
    explanation: str
    message: str
    hint: str = ""

    def at(self, where: Place, *below: str | int, key: bool = False, hint: str = "", **fields: object) -> Diagnostic:
        """The finding at `where` (or at the value `below` it; with `key`, at the key that holds it)."""
        place = where.locate(*below, key=key)
        message = self.message.format(**fields)
        return Diagnostic(
            place.file, place.line, place.column, self.code, message, place.path, hint or self.hint, self.severity
        )

    def saying(self, message: str, hint: str = "") -> Descriptor:
        """Another message under the same code, severity and explanation."""
        return replace(self, message=message, hint=hint)


#: code -> its descriptor: every code there is, in the order docs/AUTHORING.md lists them.
CODES: dict[str, Descriptor] = {}


def _code(code: str, severity: Severity, explanation: str, message: str, hint: str = "") -> Descriptor:
    descriptor = Descriptor(code, severity, explanation, message, hint)
    assert code not in CODES, f"{code} is defined twice"
    CODES[code] = descriptor
    return descriptor


# ---------------------------------------------------------------------------- files and YAML

DQ001 = _code(
    "DQ001", "error", "The file is not valid YAML; the message says where the parser stopped.", "YAML syntax: {problem}"
)
DQ002 = _code(
    "DQ002",
    "error",
    "A YAML tag other than the safe, standard ones (e.g. !!python/object).",
    "the tag {tag} is not allowed in a story file",
    hint="story files hold plain text, numbers, lists and mappings",
)
DQ003 = _code(
    "DQ003", "error", "The file is not UTF-8 text.", "byte 0x{byte:02x} is not UTF-8", hint="save the file as UTF-8"
)
DQ004 = _code(
    "DQ004",
    "error",
    "The file, a text, or the campaign is larger than the safe limit.",
    "the file is {size:,} bytes; the limit is {limit:,}",
)
DQ004_FILES = DQ004.saying("the campaign has {count} files; the limit is {limit}")
DQ004_TOTAL = DQ004.saying("the campaign's story files hold {size:,} bytes; the limit is {limit:,}")
DQ004_READ = DQ004.saying("{reason}")
DQ004_ERRORS = DQ004.saying(
    "more than {limit:,} errors: the other {left:,} files were not read", hint="fix these first, then validate again"
)
DQ004_MOVES = DQ004.saying(
    "the campaign has more than {limit:,} choices and chance branches; the other {left:,} files were not read"
)
DQ004_SCENES = DQ004.saying("the campaign has {count:,} scenes; the limit is {limit:,}")
DQ005 = _code(
    "DQ005",
    "error",
    "A key appears twice in the same mapping; YAML would keep only the last.",
    "the key '{name}' appears twice in this mapping",
    hint="YAML keeps only the last one; remove or rename one",
)
DQ006 = _code(
    "DQ006",
    "error",
    "YAML aliases expand to too many nodes, or nest too deep (an alias bomb).",
    "the file expands to more than {limit:,} values",
    hint="aliases that repeat aliases multiply; write the data out instead",
)
DQ006_DEPTH = DQ006.saying("values nest deeper than {limit} levels")
DQ006_VALUES = DQ006.saying("the file holds more than {limit:,} values")
DQ007 = _code(
    "DQ007",
    "error",
    "The top of a story file must be a mapping (key: value).",
    "the file must be a mapping with scenes:, endings: or hooks:",
)
DQ008 = _code(
    "DQ008",
    "error",
    "A path is missing, cannot be read or listed, is not a regular file, or may lead outside the campaign folder.",
    "no such campaign folder or file",
)
DQ008_UNKNOWN_CAMPAIGN = DQ008.saying("no campaign folder or bundled campaign '{name}' (bundled: {known})")
DQ008_LINK = DQ008.saying(
    "a symlink is not read: story files and folders may not be links or lead outside the campaign folder"
)
DQ008_UNREADABLE = DQ008.saying("cannot read the file: {reason}")
DQ008_NOT_REGULAR = DQ008.saying("not read: {reason}; only regular files are", hint="replace it with a plain file")
DQ008_HARD_LINK = DQ008.saying(
    "not read: the file has {links} names (a hard link), so it may be a file from outside the campaign folder",
    hint="copy the file into the campaign instead of linking it",
)
DQ008_FOLDER = DQ008.saying("cannot list the folder: {reason}", hint="its files would be skipped; fix its permissions")
DQ008_REFUSED = DQ008.saying("not read: {reason}")

# ---------------------------------------------------------------------------- schema

DQ010 = _code("DQ010", "error", "A required field is missing.", "{owner} is missing '{field}'")
DQ011 = _code(
    "DQ011", "error", "A field that the format does not know; often a typo.", "{owner} has an unknown field '{field}'"
)
DQ012 = _code("DQ012", "error", "A value of the wrong type (text where a number is expected, ...).", "{what}: {reason}")
DQ012_NUMBER_AS_TEXT = DQ012.saying("{what}: {reason}", hint="put the value in quotes to make it text")
DQ012_KEY = DQ012.saying("a mapping key must be plain text")
DQ013 = _code(
    "DQ013", "error", "A value outside its allowed range or set (a score above 2, a bad id).", "{what}: {reason}"
)
DQ013_SCORE = DQ013.saying("{what} is {value}; scores go from {low} to +{high}")
DQ013_ID = DQ013.saying(
    "{what}: '{value}' is not a valid id", hint="ids are lowercase letters, digits and _, starting with a letter"
)
DQ012_NUMBER_FORM = DQ012.saying(
    "'{text}' is not a number in decimal digits",
    hint="YAML 1.1 reads 0x, 0b, leading-zero, 1:30 and .inf forms as numbers; write the number in decimal, "
    "or put it in quotes to make it text",
)
DQ013_DIGITS = DQ013.saying("a number of {digits:,} digits; the limit is {limit}")
DQ013_HUGE = DQ013.saying("'{text}' is too large a number")
DQ013_HOOK = DQ013.saying("hook {hook} would give scene '{scene}' more than {limit} choices")
DQ014 = _code(
    "DQ014", "error", "A value that breaks a rule of the format (e.g. a choice with no target).", "{what}: {reason}"
)
DQ014_MERGE = DQ014.saying("'<<' merges only mappings")
DQ014_MARKS = DQ014.saying("{what}: {problem}")
DQ014_LOOKS_LIKE = DQ014.saying("{what} looks like {part} ({fields}), not like what belongs here")

# ---------------------------------------------------------------------------- campaign structure

DQ101 = _code(
    "DQ101",
    "error",
    "Two scenes or endings share an id, in one file or across files.",
    "the id '{id}' is already used at {file}:{line}",
    hint="give each scene and ending its own id",
)
DQ102 = _code("DQ102", "error", "The start scene does not exist.", "the start scene '{start}' does not exist")
DQ103 = _code(
    "DQ103",
    "error",
    "A choice, branch or deadline goes to a scene or ending that does not exist.",
    "{what} goes to '{target}', which does not exist",
)
DQ104 = _code(
    "DQ104",
    "error",
    "A hook adds choices to a scene that does not exist.",
    "hook {hook} adds choices to scene '{scene}', which does not exist",
)
DQ105 = _code(
    "DQ105",
    "error",
    "A condition, effect or text uses a variable that is not declared.",
    "the variable '{name}' is not declared",
    hint="declare it under state: in campaign.yaml",
)
DQ106 = _code(
    "DQ106",
    "error",
    "A variable is used as the wrong type (adding to a flag, ...).",
    "'{name}' is a flag; use set: to change it",
)
DQ106_COUNTER_TESTED_AS_FLAG = DQ106.saying("'{name}' is a counter; test it with var: and an operator")
DQ106_FLAG_COMPARED = DQ106.saying("'{name}' is a flag; test it with flag: {name}")
DQ106_FLAG_SET_TO_NUMBER = DQ106.saying("'{name}' is a flag; set it to true or false")
DQ106_COUNTER_SET_TO_FLAG = DQ106.saying("'{name}' is a counter; set it to a whole number")
DQ106_PLURAL_OF_FLAG = DQ106.saying("'{name}' is a flag; a plural needs a counter")
DQ106_FLAG_COMPARED_IN_TEXT = DQ106.saying("'{name}' is a flag; compare it with true or false")
DQ106_COUNTER_COMPARED_IN_TEXT = DQ106.saying("'{name}' is a counter; compare it with a whole number")
DQ107 = _code(
    "DQ107",
    "error",
    "Braces in text that cannot be read: never closed, an unknown operator, a missing ':'.",
    "'{raw}' in the text is not a variable name",
    hint="write {name} to show a variable, {{ and }} for literal braces",
)
# Each way braces in a text can be unreadable; see dealquest.story.template for the forms.
DQ107_NEVER_CLOSED = DQ107.saying(
    "'{raw}' in the text is never closed", hint="close it with }, or write {{ for a literal brace"
)
DQ107_STRAY = DQ107.saying("'}}' in the text has no '{{' before it", hint="write }} for a literal brace")
DQ107_NOT_A_FORM = DQ107.saying(
    "'{raw}' in the text is not a variable name or a condition",
    hint="a condition ends with ':' before its text: {flag: text|other}",
)
DQ107_NO_COLON = DQ107.saying("'{raw}' needs ':' and the text to show")
DQ107_THREE_TEXTS = DQ107.saying(
    "'{raw}' has more than two texts", hint="choose between two: {flag: text|other}; write {|} for a literal |"
)
DQ107_ONE_FORM = DQ107.saying("'{raw}' needs two forms")
DQ107_NOT_A_NAME = DQ107.saying("'{word}' is not a variable name")
DQ107_OPERATOR = DQ107.saying("unknown operator '{op}'", hint="compare with = != < <= > >=")
DQ107_VALUE = DQ107.saying("'{op}' is followed by {value}", hint="compare with a whole number, true or false")
DQ107_NO_CONDITION = DQ107.saying("a condition is missing before ':'", hint="write {flag: text} or {counter > 2: text}")
DQ107_AFTER_CONDITION = DQ107.saying("'{word}' cannot follow a condition here", hint="join terms with 'and' or 'or'")
DQ107_TOO_DEEP = DQ107.saying("braces nest deeper than {limit} levels", hint="write the text out instead")
DQ108 = _code(
    "DQ108",
    "error",
    "The campaign has no campaign.yaml, or more than one campaign header.",
    "no {file} in this folder",
    hint="every campaign folder starts with a campaign.yaml",
)
DQ109 = _code("DQ109", "error", "The start is an ending: there is nothing to play.", "the start '{start}' is an ending")
DQ110 = _code(
    "DQ110",
    "error",
    "A story test names a scene or ending that does not exist.",
    "{what} names '{target}', which does not exist",
)

# ---------------------------------------------------------------------------- warnings
# The story may still play, but something is probably wrong.

DQ201 = _code(
    "DQ201",
    "warning",
    "A scene cannot be reached from the start.",
    "scene '{scene}' cannot be reached from the start",
    hint="point a choice at it, or attach it with a hook",
)
DQ202 = _code(
    "DQ202",
    "warning",
    "An ending cannot be reached from the start.",
    "ending '{ending}' cannot be reached from the start",
)
DQ203 = _code(
    "DQ203",
    "warning",
    "Every choice of a scene can be unavailable at once: a dead end.",
    "every choice of scene '{scene}' is unavailable when {values}",
    hint="give one choice no 'requires'",
)
DQ204 = _code(
    "DQ204",
    "warning",
    "A variable is used in a condition but no choice ever changes it.",
    "'{name}' is tested but no choice ever changes it, so the test never varies",
)
DQ205 = _code(
    "DQ205",
    "warning",
    "A variable is declared but never used.",
    "the variable '{name}' is declared but never used",
)
DQ206 = _code(
    "DQ206",
    "warning",
    "A chance choice whose branches can all have zero weight at once.",
    "every branch of choice {choice} of scene '{scene}' has zero weight when {values}, and the roll then "
    "always takes the first branch that is switched on",
    hint="give one branch no 'when' and a weight above 0",
)
DQ206_ZERO_WEIGHT = DQ206.saying(
    "every branch of choice {choice} of scene '{scene}' has zero weight, so the roll always takes the first "
    "branch that is switched on",
    hint="give at least one branch a weight above 0",
)
DQ207 = _code(
    "DQ207",
    "warning",
    "A choice's feedback is very short; it is the teaching moment.",
    "the feedback of choice {choice} of scene '{scene}' is very short",
    hint="say why the choice scores as it does",
)
DQ208 = _code(
    "DQ208",
    "warning",
    "A condition in text can never hold, or always holds, given its variables' ranges.",
    "'{condition}' {verdict}: {why}",
)
DQ208_WHOLE = DQ208.saying("the condition '{condition}' {verdict}")
DQ209 = _code(
    "DQ209",
    "warning",
    "A breach of conduct (a bribe, bought reviews, a lie to the buyer) has no consequence in the story: it"
    " changes nothing a later scene reads, and leads nowhere its scene's other choices do not.",
    "choice {choice} of scene '{scene}' is a breach of conduct with no consequence in the story",
    hint="set a variable a later condition or text reads, or lead to a scene of its own",
)

DQ210 = _code(
    "DQ210",
    "warning",
    "Scenes that lead only into each other: a player who enters the loop can never reach an ending.",
    "the scenes {cycle} loop with no way out: no choice or deadline on them leads to an ending",
    hint="give one of them a choice that leads out of the loop, toward an ending",
)


#: code -> how to fix it, with an example: what `dealquest validate --explain CODE` adds to the one line.
FIXES: dict[str, str] = {
    "DQ001": """Go to the line the message names: it is where the mistake was made, even when the parser
noticed it lines later. The usual causes:
- a quote opened and not closed on its line:   text: "Walk him through it      ->  text: "Walk him through it"
- a '{' or '[' never closed:                   add: {intel: 1                 ->  add: {intel: 1}
- a tab in the indentation: YAML indents with spaces only; set the editor to insert spaces.
- a ': ' inside a text that is not quoted:     title: Day one: the call       ->  title: "Day one: the call"
- keys of one block out of step:               keys of one mapping start in the same column.""",
    "DQ002": """Remove the tag (the word starting with !!). Story files hold text, numbers, lists and mappings:
  goto: !!python/object:os.system x   ->  goto: close""",
    "DQ003": """Save the file as UTF-8: every modern editor can ("Save with encoding"), or from a shell:
  iconv -f latin1 -t utf-8 sales.yaml > sales.utf8.yaml""",
    "DQ004": """Split the story into more files, or shorten the text. The limits (4 MiB a file, 20,000 scenes,
200,000 choices and branches, 1,000 errors) are far above any story's needs; see SECURITY.md:
  sales.yaml (5 MiB)  ->  sales_act1.yaml, sales_act2.yaml""",
    "DQ005": """Keep one of the two keys: YAML would silently keep only the last.
  title: The call          ->  title: The first call
  title: The first call""",
    "DQ006": """Write the values out instead of repeating aliases (*name), and nest less deeply:
  a: &a [*b, *b, *b, *b]   ->  write the list a holds""",
    "DQ007": """A story file is a mapping with any of scenes:, endings: and hooks: at its top:
  scenes:
    - id: intro
      ...""",
    "DQ008": """Check the path: it must be a campaign folder (or a bundled campaign's id), and story files must be
regular files inside it, not links or devices:
  dealquest validate story/launch""",
    "DQ010": """Add the field. A scene needs id, role, title, text and choices; a choice needs text, goto (or
chance), addresses (or audience) and feedback; a variable needs label:
  - text: Ask about the budget
    goto: budget
    addresses: one
    feedback: She names a figure, and you know what to propose.""",
    "DQ011": """The field is misspelt, or belongs to another part of the format; the hint says which. For example
goto: belongs to a choice, indented under the scene's choices:; weight: to a branch under chance:;
and a comparison is a key like gte:, never >=:
  requires: {var: intel, ">=": 2}   ->  requires: {var: intel, gte: 2}""",
    "DQ012": """Write the value as the field takes it: a whole number (2), true or false, text (quoted when it holds
': '), a list ([a, b]) or a mapping. A condition is data, not a sentence:
  requires: "intel >= 2 and case_study"  ->  requires: {all: [{var: intel, gte: 2}, {flag: case_study}]}""",
    "DQ013": """Keep the value inside its range or set: marks from -2 to 2, ids of lowercase letters, digits and _
from a letter, a scene's 1 to 9 choices, a technique of push, pull, blend or none:
  closing: 5    ->  closing: 2""",
    "DQ014": """Follow the rule the message names. A choice takes exactly one of goto and chance; a condition
exactly one of flag, var, all, any, not, and var exactly one comparison; a variable's initial value
lies within [min, max]:
  - {goto: won, chance: [...]}          ->  keep one of goto: and chance:
  days_left: {initial: 25, max: 20}     ->  days_left: {initial: 20, max: 20}""",
    "DQ101": """Rename one of the two: every scene and ending id is unique across the whole campaign.
  - id: close   (in sales.yaml)  and  - id: close  (in extra.yaml)  ->  - id: close_extra""",
    "DQ102": """Point start: in campaign.yaml at a scene that exists (the hint suggests the one meant):
  start: reserch   ->  start: research""",
    "DQ103": """Point the choice, branch or deadline at a scene or ending that exists, or add it:
  goto: clsoe   ->  goto: close""",
    "DQ104": """Name an existing scene in the hook (the hint suggests the one meant):
  hooks:
    - scene: m_dta   ->  - scene: m_data""",
    "DQ105": """Declare the variable under state: in campaign.yaml, or fix its spelling:
  state:
    intel: {initial: 0, min: 0, max: 3, label: What we know}""",
    "DQ106": """Use a flag as true or false and a counter as a number:
  add: {tasting_kit: 1}          ->  set: {tasting_kit: true}
  requires: {flag: intel}        ->  requires: {var: intel, gte: 1}""",
    "DQ107": """Write the braces in one of the forms of "Text that follows the state" in docs/AUTHORING.md:
  {intel}  {tide_card: text|other}  {days_left < 7: text}  {plural intel: piece|pieces}
and {{ }} for literal braces:
  "{intel.count} notes"  ->  "{intel} notes\"""",
    "DQ108": """Every campaign folder starts with a campaign.yaml; `dealquest new` writes one to start from:
  dealquest new coffee_club""",
    "DQ109": """Start with a scene the player plays:  start: won   ->  start: research""",
    "DQ110": """Name a scene or ending of the campaign in the test's at:, lands:, draw: and expect:
  - {at: m_dta, choose: 1}   ->  - {at: m_data, choose: 1}""",
    "DQ201": """Point a choice at the scene, or attach it with a hook from a branch file:
  hooks:
    - scene: m_data
      choices:
        - {text: ..., goto: orphan, ...}""",
    "DQ202": """Point a choice, a branch or a deadline at the ending, or remove it:
  - text: Walk away
    goto: walked_away""",
    "DQ203": """Give one choice of the scene no requires:, so the player always has a way on:
  - text: Wing it
    goto: pitch
    ...   (no requires:)""",
    "DQ204": """Change the variable in some choice (set:, add:), or test something that varies:
  add: {intel: 1}""",
    "DQ205": """Use the variable in a condition, an effect or a text, or remove it from state:
  handoff: Marketing hands over {intel} notes.""",
    "DQ206": """Give one branch no when: (or a weight above 0), so the roll always has an outcome:
  chance:
    - {goto: won, weight: 1, when: {flag: demo}}
    - {goto: lost, weight: 1}""",
    "DQ207": """Say why the choice scores as it does, in the customer's or colleague's words (25 characters or more):
  feedback: Good.  ->  feedback: The buyer hears her own words back and agrees to a pilot.""",
    "DQ208": """Check the condition against the variable's range: a counter from 0 to 3 is never above 5.
  {intel > 5: ...}   ->  {intel >= 3: ...}""",
    "DQ209": """Give the breach a consequence the player meets later: set a variable that a later condition or
text reads, or send it to a scene of its own.
  breach: a finder's fee to the buyer's assistant
  set: {fee_paid: true}        # and later: requires: {not: {flag: fee_paid}}, or {fee_paid: ...} in a text
  goto: s_compliance_call      # a scene no honest choice of this scene leads to""",
    "DQ210": """Give one scene of the loop a way out: a choice (or a chance branch, or a deadline for its
role) that leads toward an ending. A loop is fine while the player can leave it:
  - id: s_follow_up
    choices:
      - {text: Ring her again next week, goto: s_wait, ...}
      - {text: Ask for the order today, goto: s_close, ...}   # the way out""",
}


def closest(name: str, known: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The known name a misspelt one most likely means, or None when none is close."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=cutoff)
    return close[0] if close else None


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """The hint for a misspelt name: "did you mean 'intel'?", or "" when no known name is close."""
    meant = closest(name, known)
    return "" if meant is None else f"did you mean '{meant}'?"


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def to_json(diagnostics: list[Diagnostic]) -> str:
    return json_text([asdict(d) for d in diagnostics], indent=2)


def explain(code: str) -> str | None:
    """What a code means and how to fix it, with an example."""
    descriptor = CODES.get(code.upper())
    if descriptor is None:
        return None
    head = f"{descriptor.code} ({descriptor.severity}): {descriptor.explanation}"
    return f"{head}\n\nHow to fix it:\n{FIXES[descriptor.code]}"
