"""A writer's session with `dealquest lsp`, driven by pygls's own client over standard input and output.

The server runs as a real subprocess, as an editor starts it. The session opens a scene file,
mistypes a target, gets the diagnostic with its did-you-mean, completes the id, jumps to its
definition, reads hovers, lists references and renames a scene across files; then the renamed
folder validates clean.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

from dealquest.story.loader import load_campaign

from ..conftest import MINI


class Session:
    """A client talking to `python -m dealquest lsp`, with the diagnostics it has been sent."""

    def __init__(self, client: LanguageClient, folder: Path) -> None:
        self.client = client
        self.folder = folder
        self.diagnostics: dict[str, list[lsp.Diagnostic]] = {}
        self.versions: dict[str, int] = {}
        self.changed = asyncio.Event()
        self.started: lsp.InitializeResult | None = None

    def uri(self, name: str) -> str:
        uri = from_fs_path(str(self.folder / name))
        assert uri is not None
        return uri

    def open(self, name: str, text: str | None = None) -> str:
        uri = self.uri(name)
        self.versions[uri] = 1
        text = (self.folder / name).read_text() if text is None else text
        item = lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
        self.client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=item))
        return uri

    def change(self, uri: str, text: str) -> None:
        self.versions[uri] += 1
        doc = lsp.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri])
        whole = lsp.TextDocumentContentChangeWholeDocument(text=text)
        params = lsp.DidChangeTextDocumentParams(text_document=doc, content_changes=[whole])
        self.client.text_document_did_change(params)

    async def diagnostics_for(self, uri: str, until: object, timeout: float = 20.0) -> list[lsp.Diagnostic]:
        """The file's diagnostics once `until(diagnostics)` holds."""
        check = until if callable(until) else (lambda found: True)

        async def wait() -> list[lsp.Diagnostic]:
            while True:
                found = self.diagnostics.get(uri)
                if found is not None and check(found):
                    return found
                self.changed.clear()
                await self.changed.wait()

        try:
            return await asyncio.wait_for(wait(), timeout)
        except TimeoutError:
            raise AssertionError(f"no such diagnostics for {uri}: {self.diagnostics}") from None


@contextlib.asynccontextmanager
async def _serve(folder: Path, capabilities: lsp.ClientCapabilities) -> AsyncIterator[Session]:
    client = LanguageClient("dealquest-test", "1")
    state = Session(client, folder)

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def publish(ls: LanguageClient, params: lsp.PublishDiagnosticsParams) -> None:
        state.diagnostics[params.uri] = params.diagnostics
        state.changed.set()

    await client.start_io(sys.executable, "-m", "dealquest", "lsp")
    root = from_fs_path(str(folder))
    state.started = await client.initialize_async(
        lsp.InitializeParams(capabilities=capabilities, root_uri=root, process_id=None)
    )
    client.initialized(lsp.InitializedParams())
    try:
        yield state
    finally:
        await asyncio.wait_for(client.shutdown_async(None), 20)
        client.exit(None)
        await asyncio.wait_for(client.stop(), 20)


@pytest.fixture
async def session(tmp_path: Path) -> AsyncIterator[Session]:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    async with _serve(folder, lsp.ClientCapabilities()) as state:
        yield state


def _at(text: str, needle: str, offset: int = 0) -> lsp.Position:
    """The position of `needle` (plus offset) in the text, as LSP counts (0-based)."""
    at = text.index(needle) + offset
    line = text.count("\n", 0, at)
    return lsp.Position(line=line, character=at - (text.rfind("\n", 0, at) + 1))


async def test_a_writers_session(session: Session) -> None:
    client = session.client
    sales = (session.folder / "sales.yaml").read_text()
    typo = sales.replace("        goto: lost\n", "        goto: lsot\n", 1)
    uri = session.open("sales.yaml", typo)

    # The mistyped target: the validator's diagnostic, at its line, with the did-you-mean.
    found = await session.diagnostics_for(uri, lambda ds: any(d.code == "DQ103" for d in ds))
    (wrong,) = [d for d in found if d.code == "DQ103"]
    assert wrong.message == "choice 1 of scene 'pitch' goes to 'lsot', which does not exist (did you mean 'lost'?)"
    assert wrong.range.start == _at(typo, "lsot")
    assert wrong.severity == lsp.DiagnosticSeverity.Error

    # Completion offers the scene and ending ids after goto:, and nothing else there.
    where = _at(typo, "goto: lsot", len("goto: ls"))
    completed = await client.text_document_completion_async(
        lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=where)
    )
    assert isinstance(completed, lsp.CompletionList)
    labels = {item.label for item in completed.items}
    assert labels == {"research", "brief", "pitch", "won", "lost", "slipped"}

    # Taking "lost" clears the diagnostic while typing, before any save.
    session.change(uri, sales)
    await session.diagnostics_for(uri, lambda ds: not ds)

    # Go to definition from a goto: lands on the scene's id in the same file.
    defined = await client.text_document_definition_async(
        lsp.DefinitionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=_at(sales, "goto: pitch", len("goto: p"))
        )
    )
    assert isinstance(defined, list)
    (target,) = defined
    assert target.uri == uri and target.range.start == _at(sales, "id: pitch", len("id: "))

    # Hover: a scene's title, role and the choices that lead to it; a variable's label, setters and readers.
    hovered = await client.text_document_hover_async(
        lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=_at(sales, "goto: pitch", 7))
    )
    assert hovered is not None and isinstance(hovered.contents, lsp.MarkupContent)
    assert "**The committee** (scene `pitch`, salesperson)" in hovered.contents.value
    assert "brief#2: Wing it" in hovered.contents.value
    hovered = await client.text_document_hover_async(
        lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=_at(sales, "{intel}", 2))
    )
    assert hovered is not None and isinstance(hovered.contents, lsp.MarkupContent)
    assert "**Intel** (variable `intel`, a counter, from 0 to 3, starts at 0)" in hovered.contents.value
    assert "research#1: Interview ten customers (add)" in hovered.contents.value
    assert "pitch#2: Propose a pilot with a decision date" in hovered.contents.value  # its bonus_when reads it
    # ... and a field: what it is and its default.
    hovered = await client.text_document_hover_async(
        lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=_at(sales, "technique: push", 2))
    )
    assert hovered is not None and isinstance(hovered.contents, lsp.MarkupContent)
    assert hovered.contents.value.startswith("**technique** (a choice; default: none)")

    # Completion of variables in a text's braces and after flag:, of fields at a key, of a field's values.
    async def labels_at(text: str, needle: str, offset: int) -> set[str]:
        session.change(uri, text)
        done = await client.text_document_completion_async(
            lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=_at(text, needle, offset))
        )
        assert isinstance(done, lsp.CompletionList)
        return {item.label for item in done.items}

    variables = {"intel", "case_study", "days_left"}
    assert await labels_at(sales, "{intel}", 1) == variables
    assert await labels_at(sales, "{flag: case_study}", len("{flag: ")) == variables
    assert await labels_at(sales, "technique: push", len("technique: p")) == {"push", "pull", "blend", "none"}
    with_key = sales.replace("        lessons: [facilitation]\n", "        lessons: [facilitation]\n        lo\n", 1)
    fields = await labels_at(with_key, "        lo\n", len("        lo"))
    assert {"goto", "chance", "locked", "requires", "feedback"} <= fields and "role" not in fields
    session.change(uri, sales)
    await session.diagnostics_for(uri, lambda ds: not ds)

    # References and rename of a scene across files: its id in sales.yaml, the gotos in campaign.yaml
    # and the story test's at: in tests/paths.yaml.
    position = _at(sales, "id: brief", len("id: "))
    refs = await client.text_document_references_async(
        lsp.ReferenceParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            position=position,
            context=lsp.ReferenceContext(include_declaration=True),
        )
    )
    assert refs is not None
    assert {(r.uri.rsplit("/", 1)[-1], r.range.start.line + 1) for r in refs} == {
        ("sales.yaml", 2),
        ("campaign.yaml", 31),
        ("campaign.yaml", 41),
        ("paths.yaml", 6),
    }
    edit = await client.text_document_rename_async(
        lsp.RenameParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=position, new_name="first_call")
    )
    assert edit is not None and edit.changes is not None
    assert {u.rsplit("/", 1)[-1] for u in edit.changes} == {"sales.yaml", "campaign.yaml", "paths.yaml"}
    for changed_uri, edits in edit.changes.items():
        path = session.folder / changed_uri.split(str(session.folder.name) + "/", 1)[1]
        lines = path.read_text().splitlines(keepends=True)
        for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
            line = lines[e.range.start.line]
            start, end = e.range.start.character, e.range.end.character
            assert line[start:end] == "brief"
            lines[e.range.start.line] = line[:start] + e.new_text + line[end:]
        path.write_text("".join(lines))
    renamed = load_campaign(session.folder)
    assert renamed.ok and renamed.diagnostics == [], [d.format() for d in renamed.diagnostics]
    assert renamed.campaign is not None and "first_call" in renamed.campaign.scenes
    assert "{at: first_call" in (session.folder / "tests" / "paths.yaml").read_text()


async def test_a_story_test_file_gets_the_validators_diagnostics(session: Session) -> None:
    uri = session.open("tests/paths.yaml", "tests:\n  - name: typo\n    path:\n      - {at: reserch, choose: 1}\n")
    found = await session.diagnostics_for(uri, lambda ds: len(ds) > 0)
    assert [(d.code, d.range.start.line, d.range.start.character) for d in found] == [("DQ110", 3, 13)]
    assert "did you mean 'research'?" in found[0].message


# A handoff with an emoji before a misspelt variable: LSP columns count UTF-16 code units unless
# the client offers another encoding, and the emoji is two of them (one character, four UTF-8 bytes).
EMOJI_HANDOFF = "    handoff: Marketing \U0001f680 passed on {intell} pieces of intel.\n"


@pytest.mark.parametrize(
    ("offered", "agreed", "extra"),
    [
        (None, lsp.PositionEncodingKind.Utf16, 1),
        ([lsp.PositionEncodingKind.Utf32], lsp.PositionEncodingKind.Utf32, 0),
        ([lsp.PositionEncodingKind.Utf8, lsp.PositionEncodingKind.Utf16], lsp.PositionEncodingKind.Utf8, 3),
    ],
)
async def test_columns_are_counted_in_the_encoding_agreed_with_the_client(
    tmp_path: Path, offered: list[lsp.PositionEncodingKind] | None, agreed: lsp.PositionEncodingKind, extra: int
) -> None:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    sales = (folder / "sales.yaml").read_text()
    old = "    handoff: Marketing passed on {intel} pieces of intel.\n"
    assert old in sales
    text = sales.replace(old, EMOJI_HANDOFF, 1)
    capabilities = lsp.ClientCapabilities(general=lsp.GeneralClientCapabilities(position_encodings=offered))
    async with _serve(folder, capabilities) as session:
        assert session.started is not None
        assert session.started.capabilities.position_encoding == agreed
        uri = session.open("sales.yaml", text)
        found = await session.diagnostics_for(uri, lambda ds: any(d.code == "DQ105" for d in ds))
        (wrong,) = [d for d in found if d.code == "DQ105"]
        assert "'intell' is not declared (did you mean 'intel'?)" in wrong.message
        index = _at(text, "{intell}", 1)  # in characters: where the name starts
        assert wrong.range.start == lsp.Position(line=index.line, character=index.character + extra)
        assert wrong.range.end == lsp.Position(line=index.line, character=index.character + extra + 1)

        # The client's positions are read in the same units: a hover on the fixed name finds the variable,
        # and its references come back in those units too.
        fixed = text.replace("{intell}", "{intel}")
        session.change(uri, fixed)
        await session.diagnostics_for(uri, lambda ds: not any(d.code == "DQ105" for d in ds))
        at = _at(fixed, "{intel}", 1)
        position = lsp.Position(line=at.line, character=at.character + extra + 2)  # inside the name
        hovered = await session.client.text_document_hover_async(
            lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=position)
        )
        assert hovered is not None and isinstance(hovered.contents, lsp.MarkupContent)
        assert "(variable `intel`" in hovered.contents.value
        refs = await session.client.text_document_references_async(
            lsp.ReferenceParams(
                text_document=lsp.TextDocumentIdentifier(uri=uri),
                position=position,
                context=lsp.ReferenceContext(include_declaration=True),
            )
        )
        assert refs is not None
        on_line = [r.range for r in refs if r.uri == uri and r.range.start.line == at.line]
        expected = lsp.Range(
            start=lsp.Position(line=at.line, character=at.character + extra),
            end=lsp.Position(line=at.line, character=at.character + extra + len("intel")),
        )
        assert on_line == [expected]


async def test_completion_knows_the_compact_marks_line(session: Session) -> None:
    sales = (session.folder / "sales.yaml").read_text()
    long = "        technique: push\n        audience: 0\n        closing: 0\n        addresses: one\n"
    assert long in sales
    text = sales.replace(long, "        marks: pull +2, \n", 1)
    uri = session.open("sales.yaml", text)

    async def labels_at(needle: str, offset: int) -> list[str]:
        done = await session.client.text_document_completion_async(
            lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=_at(text, needle, offset))
        )
        assert isinstance(done, lsp.CompletionList)
        return [item.label for item in done.items]

    # after the technique: whom it addresses, an audience or closing mark, pressure; no second technique
    assert await labels_at("marks: pull +2, ", len("marks: pull +2, ")) == [
        "one", "group", "committee", "segment", "market", "team", "audience", "closing", "pressure"
    ]  # fmt: skip
    assert (await labels_at("marks: pull", len("marks: pu")))[:4] == ["push", "pull", "blend", "none"]
    # the field itself is offered at a new key of a choice, with what it stands for
    keyed = text.replace("        marks: pull +2, \n", "        ma\n", 1)
    session.change(uri, keyed)
    done = await session.client.text_document_completion_async(
        lsp.CompletionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=_at(keyed, "        ma\n", len("        ma"))
        )
    )
    assert isinstance(done, lsp.CompletionList)
    (item,) = [i for i in done.items if i.label == "marks"]
    assert isinstance(item.documentation, str) and "pull +2, one +2, closing +1" in item.documentation
