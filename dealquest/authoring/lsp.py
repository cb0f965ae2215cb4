"""`dealquest lsp`: the validator, completion, hover, definitions, references and rename, for any editor.

A Language Server Protocol server on standard input and output (pygls). In a campaign folder (a
folder with a campaign.yaml, found from the file being edited), every change re-validates the whole
folder with the editor's unsaved text and publishes the same diagnostics as `dealquest validate`,
story tests included. What it knows about names comes from the loaded campaign, so a rename changes
exactly the places the loader reads as that scene or variable, never a word in a text that happens
to look the same.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from dealquest import __version__
from dealquest.authoring.storytests import check_test_files, read_test_files
from dealquest.story import checks, marks, model, template
from dealquest.story.campaign import CAMPAIGN_FILE, Campaign, LoadResult, Origin
from dealquest.story.diagnostics import CODES, Diagnostic, explain
from dealquest.story.files import TESTS_DIR
from dealquest.story.loader import load_campaign
from dealquest.story.schemaerrors import PART_NAMES, model_at
from dealquest.story.yamlsource import PathKey, Source

#: A place in a file: its path, and the 1-based line and column where a name starts.
Spot = tuple[Path, int, int]

_WORD = re.compile(r"[A-Za-z0-9_]+")
_CODE = re.compile(r"DQ[0-9]{3}", re.I)
#: Keys whose value is a scene or ending id, and those whose value is a variable.
_TARGET_KEYS = {"goto", "start", "at", "lands", "draw", "ending", "scene"}
_VARIABLE_KEYS = {"flag", "var"}


# ---------------------------------------------------------------------------- the index


@dataclass
class Index:
    """Every scene, ending and variable of a campaign, where each is defined and where it is used."""

    kinds: dict[str, str] = field(default_factory=dict)  # name -> "scene", "ending" or "variable"
    definitions: dict[str, Spot] = field(default_factory=dict)
    uses: dict[str, set[Spot]] = field(default_factory=dict)
    #: scene id -> the choices that lead to it, as "scene#n: text"
    incoming: dict[str, list[str]] = field(default_factory=dict)
    #: variable -> the choices that change it, and the places that read it, in words
    setters: dict[str, list[str]] = field(default_factory=dict)
    readers: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, spot: Spot | None) -> None:
        if spot is not None:
            self.uses.setdefault(name, set()).add(spot)

    def places(self, name: str) -> list[Spot]:
        """The definition and every use, in file order."""
        found = set(self.uses.get(name, set()))
        if name in self.definitions:
            found.add(self.definitions[name])
        return sorted(found)


def _spot(source: Source, path: PathKey, *, key: bool = False) -> Spot:
    line, col = source.where(path, key=key)
    return Path(source.name), line, col


def _origin_spot(origin: Origin, *below: str | int, key: bool = False) -> Spot:
    return _spot(origin.source, (*origin.path, *below), key=key)


def build_index(campaign: Campaign, folder: Path, unsaved: dict[Path, str]) -> Index:
    """Where every scene, ending and variable is defined and used, the story tests included."""
    index = Index()
    for sid in campaign.scenes:
        index.kinds[sid] = "scene"
        index.definitions[sid] = _origin_spot(campaign.origins[sid], "id")
    for eid in campaign.endings:
        index.kinds[eid] = "ending"
        index.definitions[eid] = _origin_spot(campaign.origins[eid], "id")
    header = campaign.header_source
    if header is not None:
        index.add(campaign.header.start, _spot(header, ("start",)))
        for name in campaign.header.state:
            index.kinds[name] = "variable"
            index.definitions[name] = _spot(header, ("state", name), key=True)
        for i, deadline in enumerate(campaign.header.deadlines):
            index.add(deadline.goto, _spot(header, ("deadlines", i, "goto")))
            for name, _, origin, path in checks.condition_uses(
                deadline.when, Origin(header, ()), ("deadlines", i, "when")
            ):
                index.add(name, _origin_spot(origin, *path))
                index.readers.setdefault(name, []).append(f"deadline '{deadline.id}'")
    for (sid, j), origin in campaign.choice_origins.items():
        scene = campaign.scenes.get(sid)
        if scene is None or j >= len(scene.choices):
            continue
        choice = scene.choices[j]
        said = f"{sid}#{j + 1}: {choice.text}"
        if origin.path[:1] == ("hooks",):
            index.add(sid, _spot(origin.source, (*origin.path[:2], "scene")))
        if choice.goto is not None:
            index.add(choice.goto, _origin_spot(origin, "goto"))
            index.incoming.setdefault(choice.goto, []).append(said)
        for k, branch in enumerate(choice.chance or ()):
            index.add(branch.goto, _origin_spot(origin, "chance", k, "goto"))
            index.incoming.setdefault(branch.goto, []).append(f"{said} (chance)")
        conditions: list[tuple[model.Condition | None, PathKey]] = [(choice.requires, ("requires",))]
        for k, branch in enumerate(choice.chance or ()):
            conditions += [(branch.when, ("chance", k, "when")), (branch.bonus_when, ("chance", k, "bonus_when"))]
        for cond, path in conditions:
            for name, _, org, where in checks.condition_uses(cond, origin, path):
                index.add(name, _origin_spot(org, *where))
                index.readers.setdefault(name, []).append(said)
        for effect in ("set", "add", "clamp"):
            for name in getattr(choice, effect):
                index.add(name, _origin_spot(origin, effect, name, key=True))
                index.setters.setdefault(name, []).append(f"{said} ({effect})")
    for text, origin, path in checks.story_texts(campaign):
        if "{" not in text:
            continue
        for name, offset in template.uses(text):
            place = origin.locate_char(text, offset, *path)
            index.add(name, (Path(place.file), place.line, place.column))
    files, _ = read_test_files(folder, str(folder), unsaved)
    for parsed, source in files:
        for i, test in enumerate(parsed.tests):
            for j, step in enumerate(test.path):
                for key in ("at", "lands", "draw"):
                    value = getattr(step, key)
                    if value is not None:
                        index.add(value, _spot(source, ("tests", i, "path", j, key)))
            for key in ("ending", "scene"):
                value = getattr(test.expect, key)
                if value is not None:
                    index.add(value, _spot(source, ("tests", i, "expect", key)))
    return index


# ---------------------------------------------------------------------------- the server


def campaign_folder(path: Path) -> Path | None:
    """The campaign folder a file belongs to: the nearest folder above it with a campaign.yaml."""
    for folder in path.parents:
        if (folder / CAMPAIGN_FILE).is_file():
            return folder
    return None


class CampaignServer(LanguageServer):
    """The language server, with what it last found in each campaign folder."""

    def __init__(self) -> None:
        super().__init__("dealquest", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Full)
        self.loaded: dict[Path, tuple[LoadResult, Index | None]] = {}
        self.published: dict[Path, set[str]] = {}

    def unsaved(self, folder: Path) -> dict[Path, str]:
        """The text of every open document in the folder, as the editor holds it."""
        out: dict[Path, str] = {}
        for uri, document in self.workspace.text_documents.items():
            path = to_fs_path(uri)
            if path is not None and Path(path).is_relative_to(folder):
                out[Path(path).absolute()] = document.source
        return out

    def refresh(self, folder: Path) -> None:
        """Validate the folder and publish every file's diagnostics (an empty list clears old ones)."""
        unsaved = self.unsaved(folder)
        result = load_campaign(folder, unsaved)
        found = result.diagnostics + check_test_files(result.campaign, folder, str(folder), unsaved)
        index = build_index(result.campaign, folder, unsaved) if result.campaign is not None else None
        self.loaded[folder] = (result, index)
        by_file: dict[str, list[lsp.Diagnostic]] = {}
        texts = {path: text.splitlines() for path, text in unsaved.items()}
        for d in found:
            path = Path(d.file).absolute()
            uri = from_fs_path(str(path))
            if uri is not None:
                by_file.setdefault(uri, []).append(_diagnostic(d, self.columns(path, texts)))
        for uri in self.published.get(folder, set()) - set(by_file):
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        for uri, diagnostics in by_file.items():
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics))
        self.published[folder] = set(by_file)

    def columns(self, path: Path, texts: dict[Path, list[str]]) -> Columns:
        """Column conversion for one file, in the units the client and server agreed on."""
        return Columns(_lines(path, texts), self.workspace.position_codec.client_num_units)

    def position(self, uri: str, position: lsp.Position) -> tuple[str, int]:
        """The line at an editor's position, and the position's character as an index into it."""
        lines = self.workspace.get_text_document(uri).lines
        if not 0 <= position.line < len(lines):
            return "", 0
        found = self.workspace.position_codec.position_from_client_units(lines, position)
        return lines[position.line].rstrip("\r\n"), found.character

    def index_for(self, uri: str) -> tuple[Path, Index] | None:
        path = to_fs_path(uri)
        folder = campaign_folder(Path(path).absolute()) if path else None
        if folder is None:
            return None
        if folder not in self.loaded:
            self.refresh(folder)
        index = self.loaded[folder][1]
        return None if index is None else (folder, index)


@dataclass(frozen=True)
class Columns:
    """A file's lines, to turn a column counted in characters into the client's units.

    LSP counts UTF-16 code units unless the client offers another encoding (utf-8, utf-32) and
    the server takes it, so an emoji earlier on the line moves every column after it.
    """

    lines: list[str]
    units: typing.Callable[[str], int]

    def at(self, line: int, character: int) -> lsp.Position:
        """A 0-based line and character index as an LSP position."""
        text = self.lines[line] if 0 <= line < len(self.lines) else ""
        return lsp.Position(line=line, character=self.units(text[:character]))

    def span(self, line: int, character: int, length: int) -> lsp.Range:
        return lsp.Range(start=self.at(line, character), end=self.at(line, character + length))


def _lines(path: Path, texts: dict[Path, list[str]]) -> list[str]:
    """The file's lines as the editor holds them, else as saved (read once per request)."""
    if path not in texts:
        try:
            texts[path] = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            texts[path] = []
    return texts[path]


def _diagnostic(d: Diagnostic, columns: Columns) -> lsp.Diagnostic:
    line, col = max(d.line - 1, 0), max(d.column - 1, 0)
    return lsp.Diagnostic(
        range=columns.span(line, col, 1),
        message=d.message + (f" ({d.hint})" if d.hint else ""),
        severity=lsp.DiagnosticSeverity.Error if d.severity == "error" else lsp.DiagnosticSeverity.Warning,
        code=d.code,
        source="dealquest",
    )


def _range(server: CampaignServer, spot: Spot, length: int, texts: dict[Path, list[str]]) -> lsp.Range:
    path, line, col = spot
    return server.columns(path, texts).span(line - 1, col - 1, length)


def _word_at(line: str, character: int) -> tuple[str, int]:
    """The identifier under the cursor and where it starts ("" when there is none)."""
    for match in _WORD.finditer(line):
        if match.start() <= character <= match.end():
            return match.group(0), match.start()
    return "", character


def _exact(spot: Spot, name: str, texts: dict[Path, list[str]]) -> Spot | None:
    """The spot moved onto the name itself (past a quote), or None when the name is not written there."""
    path, line, col = spot
    lines = _lines(path, texts)
    if not 0 < line <= len(lines):
        return None
    text = lines[line - 1]
    for start in (col - 1, col):
        if text[start : start + len(name)] == name and not text[start + len(name) : start + len(name) + 1].isalnum():
            return path, line, start + 1
    return None


def _texts_of(server: CampaignServer, folder: Path) -> dict[Path, list[str]]:
    return {path: text.splitlines() for path, text in server.unsaved(folder).items()}


def create_server() -> CampaignServer:
    """The language server with every feature registered."""
    server = CampaignServer()

    def refresh(uri: str) -> None:
        path = to_fs_path(uri)
        folder = campaign_folder(Path(path).absolute()) if path else None
        if folder is not None:
            server.refresh(folder)

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: CampaignServer, params: lsp.DidOpenTextDocumentParams) -> None:
        refresh(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: CampaignServer, params: lsp.DidChangeTextDocumentParams) -> None:
        refresh(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: CampaignServer, params: lsp.DidSaveTextDocumentParams) -> None:
        refresh(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: CampaignServer, params: lsp.DidCloseTextDocumentParams) -> None:
        refresh(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: CampaignServer, params: lsp.DefinitionParams) -> list[lsp.Location] | None:
        found = ls.index_for(params.text_document.uri)
        if found is None:
            return None
        folder, index = found
        name = _word_at(*ls.position(params.text_document.uri, params.position))[0]
        spot = index.definitions.get(name)
        texts = _texts_of(ls, folder)
        exact = _exact(spot, name, texts) if spot else None
        if exact is None:
            return None
        return [lsp.Location(uri=from_fs_path(str(exact[0])) or "", range=_range(ls, exact, len(name), texts))]

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    def references(ls: CampaignServer, params: lsp.ReferenceParams) -> list[lsp.Location] | None:
        found = ls.index_for(params.text_document.uri)
        if found is None:
            return None
        folder, index = found
        name = _word_at(*ls.position(params.text_document.uri, params.position))[0]
        texts = _texts_of(ls, folder)
        spots = [s for s in (_exact(p, name, texts) for p in index.places(name)) if s is not None]
        return [lsp.Location(uri=from_fs_path(str(s[0])) or "", range=_range(ls, s, len(name), texts)) for s in spots]

    @server.feature(lsp.TEXT_DOCUMENT_RENAME)
    def rename(ls: CampaignServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
        found = ls.index_for(params.text_document.uri)
        if found is None:
            return None
        folder, index = found
        name = _word_at(*ls.position(params.text_document.uri, params.position))[0]
        if name not in index.kinds or not model.ID_PATTERN.match(params.new_name):
            return None
        texts = _texts_of(ls, folder)
        changes: dict[str, list[lsp.TextEdit]] = {}
        for spot in index.places(name):
            exact = _exact(spot, name, texts)
            if exact is not None:
                uri = from_fs_path(str(exact[0])) or ""
                changes.setdefault(uri, []).append(
                    lsp.TextEdit(range=_range(ls, exact, len(name), texts), new_text=params.new_name)
                )
        return lsp.WorkspaceEdit(changes=changes)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: CampaignServer, params: lsp.HoverParams) -> lsp.Hover | None:
        line, character = ls.position(params.text_document.uri, params.position)
        name, start = _word_at(line, character)
        if not name:
            return None
        if _CODE.fullmatch(name) and name.upper() in CODES:
            return _markdown(f"```\n{explain(name)}\n```")
        found = ls.index_for(params.text_document.uri)
        if found is not None:
            folder, index = found
            result = ls.loaded[folder][0]
            said = _describe(name, index, result.campaign)
            if said:
                return _markdown(said)
        if line[start + len(name) : start + len(name) + 1] == ":" or line[start + len(name) :].lstrip().startswith(":"):
            return _field_hover(ls, params.text_document.uri, params.position.line, name, start)
        return None

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[":", " ", "{", "["]))
    def completion(ls: CampaignServer, params: lsp.CompletionParams) -> lsp.CompletionList:
        items = _complete(ls, params.text_document.uri, params.position)
        return lsp.CompletionList(is_incomplete=False, items=items)

    return server


def _markdown(text: str) -> lsp.Hover:
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text))


def _describe(name: str, index: Index, campaign: Campaign | None) -> str:
    """A scene's title, role and the choices that lead to it; a variable's label and who sets and reads it."""
    kind = index.kinds.get(name)
    if campaign is None or kind is None:
        return ""
    if kind == "scene":
        scene = campaign.scenes[name]
        lines = [f"**{scene.title}** (scene `{name}`, {scene.role})", ""]
        incoming = index.incoming.get(name, [])
        if name == campaign.header.start:
            lines.append("The first scene of the campaign.")
        lines.append("Led to by: " + ("; ".join(incoming) if incoming else "no choice"))
        lines.append(f"Choices: {len(scene.choices)}")
        return "\n".join(lines)
    if kind == "ending":
        ending = campaign.endings[name]
        incoming = index.incoming.get(name, [])
        return f"**{ending.title}** (ending `{name}`, {ending.outcome})\n\nLed to by: " + (
            "; ".join(incoming) if incoming else "no choice"
        )
    var = campaign.header.state[name]
    span = f", from {var.min} to {var.max}" if var.type == "counter" else ""
    starts = str(var.initial).lower()
    lines = [f"**{var.label or name}** (variable `{name}`, a {var.type}{span}, starts at {starts})", ""]
    lines.append("Set by: " + ("; ".join(index.setters.get(name, [])) or "no choice"))
    lines.append("Read by: " + ("; ".join(index.readers.get(name, [])) or "no condition"))
    return "\n".join(lines)


# ---------------------------------------------------------------------------- fields and completion


def _schema(uri: str) -> type[model.StoryFile] | type[model.StoryTestFile]:
    path = Path(to_fs_path(uri) or "").absolute()
    folder = campaign_folder(path)
    if folder is not None and path.parent == folder and path.name == CAMPAIGN_FILE:
        return model.CampaignFile
    if folder is not None and TESTS_DIR in path.relative_to(folder).parts[:-1]:
        return model.StoryTestFile
    return model.StoryFile


def path_at(lines: list[str], index: int, column: int) -> list[str | int]:
    """The YAML path of the mapping a key at (index, column) belongs to, read from the indentation."""
    path: list[str | int] = []
    want = column
    for n in range(index - 1, -1, -1):
        line = lines[n].rstrip("\r\n")
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        lead = len(line) - len(line.lstrip(" "))
        item = re.match(r"\s*(-\s+)", line)
        key_col = lead + (len(item.group(1)) if item else 0)
        if item and key_col == want:
            path.insert(0, 0)  # the mapping is an item of a list
            want = lead
            continue
        if lead < want:
            key = re.match(r"\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?:#.*)?$", line)
            if key is None:
                break
            path.insert(0, key.group(1))
            if item:
                path.insert(0, 0)
            want = lead
            if want == 0:
                break
    return path


def _field_doc(owner: type[Any], name: str) -> str:
    for fname, f in owner.model_fields.items():
        if name in (fname, f.alias):
            need = "required" if f.is_required() else f"default: {_default(f)}"
            about = f.description or ""
            return f"**{name}** ({PART_NAMES.get(owner, owner.__name__)}; {need})" + (f"\n\n{about}" if about else "")
    return ""


def _default(f: Any) -> str:
    if f.default_factory is not None:
        value = f.default_factory()
        return "none" if not value else str(value)
    value = f.default
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _field_hover(server: CampaignServer, uri: str, line: int, name: str, start: int) -> lsp.Hover | None:
    lines = list(server.workspace.get_text_document(uri).lines)
    owner = model_at(_schema(uri), tuple(path_at(lines, line, start)))
    said = _field_doc(owner, name) if owner is not None else ""
    return _markdown(said) if said else None


def _literal_values(name: str) -> list[str]:
    """The values a field of this name takes, where it takes a fixed set (technique: push, pull...)."""
    values: list[str] = []
    for cls in _all_models():
        for fname, f in cls.model_fields.items():
            if name in (fname, f.alias):
                values += [v for v in _literals(f.annotation) if v not in values]
    return values


def _literals(annotation: Any) -> list[str]:
    if typing.get_origin(annotation) is typing.Literal:
        return [str(a) for a in typing.get_args(annotation)]
    return [v for arg in typing.get_args(annotation) for v in _literals(arg)]


def _all_models() -> list[type[Any]]:
    return list(PART_NAMES)


def _complete(server: CampaignServer, uri: str, position: lsp.Position) -> list[lsp.CompletionItem]:
    text, character = server.position(uri, position)
    before = text[:character]
    found = server.index_for(uri)
    index = found[1] if found else None
    kinds = index.kinds if index is not None else {}

    def names(*wanted: str) -> list[lsp.CompletionItem]:
        return [
            lsp.CompletionItem(label=n, kind=lsp.CompletionItemKind.Reference, detail=k)
            for n, k in sorted(kinds.items())
            if k in wanted
        ]

    def values(options: list[str], kind: lsp.CompletionItemKind) -> list[lsp.CompletionItem]:
        return [lsp.CompletionItem(label=v, kind=kind) for v in options]

    if re.search(r"lessons:\s*\[[^\]]*$", before) or (
        re.match(r"\s*-\s*[a-z_]*$", before) and _in_list(server, uri, position.line, "lessons")
    ):
        return values(list(model.LESSONS), lsp.CompletionItemKind.EnumMember)
    if re.search(r"(?:set|add|clamp):\s*\{(?:[^{}]*,)?\s*[a-z0-9_]*$", before):
        return names("variable")
    line_so_far = re.search(r"\bmarks:\s*[\"']?((?:[^,\"']*,\s*)*)[a-z]*$", before)
    if line_so_far is not None:
        return values(_marks_words(line_so_far.group(1)), lsp.CompletionItemKind.EnumMember)
    value_of = re.search(r"([A-Za-z_]+):\s*[\"']?([A-Za-z0-9_]*)$", before)
    if value_of is not None:
        key = value_of.group(1)
        if key in _TARGET_KEYS:
            return (
                names("scene") if key == "scene" else names("ending") if key == "ending" else names("scene", "ending")
            )
        if key in _VARIABLE_KEYS:
            return names("variable")
        options = _literal_values(key)
        if options:
            return values(options, lsp.CompletionItemKind.EnumMember)
    opened = before.rfind("{")
    in_text = opened >= 0 and not re.search(r"[A-Za-z_]+:\s*\{", before[: opened + 1])  # a text, not a mapping
    if in_text and re.fullmatch(r"\{\s*(?:plural\s+)?[a-z0-9_]*", before[opened:]):
        return names("variable")
    key_position = re.fullmatch(r"(\s*(?:-\s+)?)([A-Za-z_]*)", before)
    if key_position is not None:
        lines = list(server.workspace.get_text_document(uri).lines)
        owner = model_at(_schema(uri), tuple(path_at(lines, position.line, len(key_position.group(1)))))
        if owner is not None:
            return [
                lsp.CompletionItem(
                    label=f.alias or fname,
                    kind=lsp.CompletionItemKind.Field,
                    detail=PART_NAMES.get(owner, ""),
                    documentation=f.description,
                    insert_text=f"{f.alias or fname}: ",
                )
                for fname, f in owner.model_fields.items()
            ]
    return []


def _marks_words(written: str) -> list[str]:
    """The words a choice's marks line can go on with, after the terms already written."""
    used = {term.split()[0] for term in written.split(",") if term.strip()}
    kinds: list[set[str]] = [set(model.TECHNIQUES), set(model.ADDRESSEES), {"audience"}, {"closing"}, {"pressure"}]
    taken: set[str] = set().union(*(kind for kind in kinds if kind & used))
    if used & set(model.ADDRESSEES):
        taken.add("audience")  # the addressee's own number is its audience mark
    return [w for w in marks.WORDS if w not in taken]


def _in_list(server: CampaignServer, uri: str, line: int, key: str) -> bool:
    """Whether the list item on this line belongs to a list under `key:`."""
    lines = list(server.workspace.get_text_document(uri).lines)
    for n in range(line - 1, -1, -1):
        stripped = lines[n].strip()
        if not stripped or stripped.startswith("- "):
            continue
        return stripped == f"{key}:"
    return False


def main() -> int:
    """Serve on standard input and output until the editor says exit."""
    create_server().start_io()
    return 0
