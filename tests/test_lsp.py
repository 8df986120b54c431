"""The language server (`gxlint lsp`): end to end over stdio with pytest-lsp, and in process.

The end-to-end client is a real pygls LanguageClient with VS Code's capability
profile (UTF-16 positions, dynamic registration of watched files).
"""
import asyncio
import shutil
import sys

import pytest
import pytest_lsp
from lsprotocol import types as T
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from conftest import SEEDS
from seeddocx import seed_docx

SEED004 = SEEDS / "004_aa4e2e269a40bca7.txt"
SEED002 = SEEDS / "002_9e678f4fbfe67a94.txt"
EXPECTED_004 = ["GX210", "GX302", "GX302", "GX304", "GX501", "GX501", "GX501"]


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("GXLINT_CACHE_DIR", str(tmp_path / "cache"))
    ws = tmp_path / "ws"
    ws.mkdir()
    return ws


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "gxlint", "lsp"]))
async def client(lsp_client: LanguageClient, workspace):
    lsp_client.registrations = []

    @lsp_client.feature(T.CLIENT_REGISTER_CAPABILITY)  # pytest-lsp does not answer this itself
    def register_capability(params: T.RegistrationParams):
        lsp_client.registrations += params.registrations

    lsp_client.root = workspace
    await lsp_client.initialize_session(T.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), root_uri=workspace.as_uri()))
    yield
    await lsp_client.shutdown_session()


def open_doc(client, path, text, language="markdown", version=1):
    path.write_text(text, encoding="utf-8")
    client.text_document_did_open(T.DidOpenTextDocumentParams(text_document=T.TextDocumentItem(
        uri=path.as_uri(), language_id=language, version=version, text=text)))
    return path.as_uri()


async def next_diagnostics(client, uri, timeout=10):
    """Wait for the next publishDiagnostics for `uri` and return its diagnostics."""
    while True:
        params = await asyncio.wait_for(client.wait_for_notification(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), timeout)
        if params.uri == uri:
            return list(params.diagnostics)


def astral_prefix(text, needle, prefix):
    """`text` with `prefix` put at the start of the line that contains `needle`."""
    lines = text.split("\n")
    i = next(i for i, ln in enumerate(lines) if needle in ln)
    lines[i] = prefix + lines[i]
    return "\n".join(lines)


def edit(client, uri, version, line, char, text, end_char=None):
    client.text_document_did_change(T.DidChangeTextDocumentParams(
        text_document=T.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[T.TextDocumentContentChangePartial(
            range=T.Range(start=T.Position(line=line, character=char),
                          end=T.Position(line=line, character=char if end_char is None else end_char)),
            text=text)]))


@pytest.mark.asyncio
async def test_faulty_report_diagnostics_on_open(client):
    uri = open_doc(client, client.root / "004.md", SEED004.read_text(encoding="utf-8"))
    diags = await next_diagnostics(client, uri)
    assert sorted(d.code for d in diags) == EXPECTED_004
    assert all(d.source == "gxlint" for d in diags)
    assert {d.severity for d in diags} == {T.DiagnosticSeverity.Error}
    gx210 = next(d for d in diags if d.code == "GX210")
    line = SEED004.read_text(encoding="utf-8").split("\n")[gx210.range.start.line]
    assert line[gx210.range.start.character:gx210.range.end.character] == "国务院令第七十一号"  # BMP: UTF-16 = code points
    page = gx210.code_description.href
    assert page.startswith("file://") and page.endswith("/GX210.md")
    from pygls.uris import to_fs_path

    assert "GX210" in open(to_fs_path(page), encoding="utf-8").read()


@pytest.mark.asyncio
async def test_diagnostics_cleared_by_an_edit_that_fixes_the_text(client):
    text = SEED002.read_text(encoding="utf-8").replace("4.保护第三方合法权益", "4.保护第三方法权益")
    uri = open_doc(client, client.root / "draft.md", text)
    (d,) = await next_diagnostics(client, uri)
    assert d.code == "GX501"
    line = text.split("\n")[d.range.start.line]
    col = line.index("法权益")
    edit(client, uri, 2, d.range.start.line, col, "合")  # 第三方法权益 -> 第三方合法权益
    assert await next_diagnostics(client, uri) == []


@pytest.mark.asyncio
async def test_quick_fix_applies_and_clears(client):
    text = SEED002.read_text(encoding="utf-8").replace("4.保护第三方合法权益", "4.保护第三方法权益")
    uri = open_doc(client, client.root / "draft.md", text)
    diags = await next_diagnostics(client, uri)
    actions = await client.text_document_code_action_async(T.CodeActionParams(
        text_document=T.TextDocumentIdentifier(uri=uri), range=diags[0].range,
        context=T.CodeActionContext(diagnostics=diags)))
    (action,) = actions
    assert action.kind == T.CodeActionKind.QuickFix and action.is_preferred
    (te,) = action.edit.changes[uri]
    assert te.new_text == "保护第三方合法权益" and te.range == diags[0].range
    s, e = te.range.start, te.range.end
    edit(client, uri, 2, s.line, s.character, te.new_text, end_char=e.character)  # what the editor does
    assert await next_diagnostics(client, uri) == []


@pytest.mark.asyncio
async def test_utf16_columns_for_characters_outside_the_bmp(client):
    text = astral_prefix(SEED004.read_text(encoding="utf-8"), "国务院令第七十一号", "𠮷𠮷")
    uri = open_doc(client, client.root / "astral.md", text)
    diags = await next_diagnostics(client, uri)
    gx210 = next(d for d in diags if d.code == "GX210")
    line = text.split("\n")[gx210.range.start.line]
    cp = line.index("国务院令第七十一号")
    assert gx210.range.start.character == cp + 2  # each 𠮷 is two UTF-16 code units
    assert gx210.range.end.character == cp + 2 + len("国务院令第七十一号")


@pytest.mark.asyncio
async def test_docx_via_watched_files_and_the_lint_file_command(client):
    for _ in range(100):  # the server registers its watchers right after `initialized`
        if client.registrations:
            break
        await asyncio.sleep(0.05)
    (reg,) = client.registrations
    assert reg.method == T.WORKSPACE_DID_CHANGE_WATCHED_FILES
    opts = reg.register_options
    watchers = opts["watchers"] if isinstance(opts, dict) else [{"globPattern": w.glob_pattern} for w in opts.watchers]
    assert {"**/*.docx", "**/.gxlint.yaml"} <= {w["globPattern"] for w in watchers}
    docx = seed_docx(SEED004, client.root / "report.docx")
    client.workspace_did_change_watched_files(T.DidChangeWatchedFilesParams(
        changes=[T.FileEvent(uri=docx.as_uri(), type=T.FileChangeType.Changed)]))
    diags = await next_diagnostics(client, docx.as_uri())
    assert sorted(d.code for d in diags) == EXPECTED_004
    assert any("表格三" in d.message for d in diags)  # the human location travels in the message

    broken = client.root / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 truncated")
    result = await client.workspace_execute_command_async(T.ExecuteCommandParams(
        command="gxlint.lintFile", arguments=[broken.as_uri()]))
    assert result == 1
    (d,) = client.diagnostics[broken.as_uri()]  # published before the command returned
    assert d.code == "E005" and d.severity == T.DiagnosticSeverity.Error

    client.workspace_did_change_watched_files(T.DidChangeWatchedFilesParams(
        changes=[T.FileEvent(uri=docx.as_uri(), type=T.FileChangeType.Deleted)]))
    assert await next_diagnostics(client, docx.as_uri()) == []


@pytest.mark.asyncio
async def test_broken_config_is_a_diagnostic_not_a_dead_server(client):
    cfg = client.root / ".gxlint.yaml"
    cfg.write_text("ignore: [GX501]\nseverty:\n  GX302: warning\n", encoding="utf-8")
    uri = open_doc(client, client.root / "004.md", SEED004.read_text(encoding="utf-8"))
    problems = await next_diagnostics(client, cfg.as_uri())
    (p,) = problems
    assert p.code == "E020" and p.range.start.line == 1 and "severty" in p.message
    report = await next_diagnostics(client, uri)
    assert sorted(d.code for d in report) == EXPECTED_004  # linted with the built-in rules meanwhile
    assert client.messages and client.messages[0].type == T.MessageType.Error and "E020" in client.messages[0].message

    cfg.write_text("ignore: [GX501]\nseverity:\n  GX302: warning\n", encoding="utf-8")
    client.workspace_did_change_watched_files(T.DidChangeWatchedFilesParams(
        changes=[T.FileEvent(uri=cfg.as_uri(), type=T.FileChangeType.Changed)]))
    assert await next_diagnostics(client, cfg.as_uri()) == []
    report = await next_diagnostics(client, uri)
    assert sorted(d.code for d in report) == ["GX210", "GX302", "GX302", "GX304"]
    assert [d.severity for d in report if d.code == "GX302"] == [T.DiagnosticSeverity.Warning] * 2


# -- in process: no JSON-RPC, fast ---------------------------------------------------------

def _server(encodings=None):
    from gxlint.lsp import GxServer

    sent = []
    ls = GxServer(sent.append)
    caps = {"general": {"positionEncodings": encodings}} if encodings else {}
    ls.handle({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": caps}})
    ls.handle({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    return ls, sent


def _open(ls, uri, text, language="plaintext", version=1):
    from gxlint.lsp import Document

    ls.documents[uri] = Document(uri, text, version, language)


def _published(sent, uri):
    return [m["params"] for m in sent if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri]


def test_in_process_positions_and_code_action(tmp_path, monkeypatch):
    from gxlint.lsp import code_action

    monkeypatch.setenv("GXLINT_CACHE_DIR", str(tmp_path / "cache"))
    ls, sent = _server()
    assert sent[0]["result"]["capabilities"]["positionEncoding"] == "utf-16"
    path = tmp_path / "r.txt"
    text = astral_prefix(SEED004.read_text(encoding="utf-8"), "国务院令第七十一号", "𠮷")
    _open(ls, path.as_uri(), text)
    diags = ls.lint_source(path.as_uri())
    assert sorted(d["code"] for d in diags) == EXPECTED_004
    gx210 = next(d for d in diags if d["code"] == "GX210")
    start = gx210["range"]["start"]
    assert start["character"] == text.split("\n")[start["line"]].index("国务院令") + 1  # 𠮷: two UTF-16 units
    fixable = [d for d in diags if d.get("data")]
    actions = code_action(ls, {"textDocument": {"uri": path.as_uri()}, "range": fixable[0]["range"],
                               "context": {"diagnostics": diags}})
    assert [a["edit"]["changes"][path.as_uri()][0]["newText"] for a in actions] == [d["data"]["fix"] for d in fixable]


def test_in_process_utf8_positions_when_the_client_offers_them(tmp_path, monkeypatch):
    monkeypatch.setenv("GXLINT_CACHE_DIR", str(tmp_path / "cache"))
    ls, sent = _server(encodings=["utf-8", "utf-16"])
    assert sent[0]["result"]["capabilities"]["positionEncoding"] == "utf-8"
    path = tmp_path / "r.txt"
    text = astral_prefix(SEED004.read_text(encoding="utf-8"), "国务院令第七十一号", "𠮷a")
    _open(ls, path.as_uri(), text)
    gx210 = next(d for d in ls.lint_source(path.as_uri()) if d["code"] == "GX210")
    start = gx210["range"]["start"]
    line = text.split("\n")[start["line"]]
    assert start["character"] == len(line[:line.index("国务院令")].encode("utf-8"))


@pytest.mark.parametrize("encoding, units", [("utf-16", 3), ("utf-8", 7), ("utf-32", 2)])
def test_incremental_change_in_the_client_units(encoding, units):
    """An edit after 𠮷 (two UTF-16 units, four UTF-8 bytes) and 合 lands after them."""
    from gxlint.lsp import Document

    doc = Document("file:///r.md", "第一行\r\n𠮷合权益\n末行", 1)
    doc.apply({"range": {"start": {"line": 1, "character": units}, "end": {"line": 1, "character": units}},
               "text": "法"}, encoding)
    assert doc.text == "第一行\r\n𠮷合法权益\n末行"
    doc.apply({"range": {"start": {"line": 0, "character": 1}, "end": {"line": 2, "character": 99}}, "text": ""}, encoding)
    assert doc.text == "第"
    doc.apply({"text": "全文替换"}, encoding)
    assert doc.text == "全文替换"


def test_changes_while_linting_publish_only_the_latest_version(tmp_path, monkeypatch):
    """No debounce: each change is linted at once, but changes that come while a run is going
    on make it stale: its diagnostics are dropped and the latest text is linted next."""
    monkeypatch.setenv("GXLINT_CACHE_DIR", str(tmp_path / "cache"))
    text = SEED002.read_text(encoding="utf-8").replace("4.保护第三方合法权益", "4.保护第三方法权益")
    uri = (tmp_path / "draft.md").as_uri()
    line_no = next(i for i, ln in enumerate(text.split("\n")) if "第三方法权益" in ln)
    col = text.split("\n")[line_no].index("法权益")

    ls, sent = _server()
    ls.handle({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "markdown", "version": 1, "text": text}}})
    # typed while version 1 is being linted (its result waits in the inbox): 合 (fixes the
    # finding), deleted, typed again
    for version, (new, end) in enumerate([("合", col), ("", col + 1), ("合", col)], start=2):
        ls.handle({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": line_no, "character": col},
                                          "end": {"line": line_no, "character": end}}, "text": new}]}})
    ls.drain()
    assert "第三方合法权益" in ls.documents[uri].text
    assert _published(sent, uri) == [{"uri": uri, "version": 4, "diagnostics": []}]


def test_an_idle_document_is_linted_at_once_after_each_change(tmp_path, monkeypatch):
    monkeypatch.setenv("GXLINT_CACHE_DIR", str(tmp_path / "cache"))
    text = SEED002.read_text(encoding="utf-8")
    uri = (tmp_path / "draft.md").as_uri()
    line_no = next(i for i, ln in enumerate(text.split("\n")) if "第三方合法权益" in ln)
    col = text.split("\n")[line_no].index("合法权益")

    ls, sent = _server()
    ls.handle({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "markdown", "version": 1, "text": text}}})
    for version, (new, end) in enumerate([("", col + 1), ("合", col)], start=2):
        ls.drain()  # the previous run has ended: this change is linted on its own
        ls.handle({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": line_no, "character": col},
                                          "end": {"line": line_no, "character": end}}, "text": new}]}})
    ls.drain()
    published = _published(sent, uri)
    assert [p["version"] for p in published] == [1, 2, 3]
    assert [[d["code"] for d in p["diagnostics"]] for p in published] == [[], ["GX501"], []]


def test_the_server_imports_no_lsp_library():
    import subprocess

    code = ("import sys, gxlint.lsp; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol', 'cattrs', 'attrs', 'attr')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.slow
def test_lsp_is_not_imported_by_the_lint_path():
    import subprocess

    code = "import sys, gxlint.cli, gxlint.engine; gxlint.engine.Linter(); print('gxlint.lsp' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_in_process_previous_report_from_the_config(tmp_path, monkeypatch):
    """`previous:` in .gxlint.yaml reaches the editor too: last year's carry-over is compared."""
    monkeypatch.setenv("GXLINT_CACHE_DIR", str(tmp_path / "cache"))
    text = (SEEDS / "003_aec54f57ed4abe50.txt").read_text(encoding="utf-8")
    edited = text.replace("\t四、结转下年度继续办理\n\t1\n", "\t四、结转下年度继续办理\n\t2\n")
    assert edited != text
    (tmp_path / "2023.txt").write_text(edited, encoding="utf-8")
    ws = tmp_path / "2024"
    ws.mkdir()
    (ws / ".gxlint.yaml").write_text("previous: ../2023.txt\n", encoding="utf-8")
    ls, _ = _server()
    uri = (ws / "report.md").as_uri()
    _open(ls, uri, SEED004.read_text(encoding="utf-8"), language="markdown")
    assert "GX603" in [d["code"] for d in ls.lint_source(uri)]
    (tmp_path / "2023.txt").write_text(text, encoding="utf-8")  # last year's file fixed: re-read
    assert "GX603" not in [d["code"] for d in ls.lint_source(uri)]


def test_lint_jobs_run_on_a_bounded_pool_with_inputs_fixed_by_the_main_thread(tmp_path, monkeypatch):
    """Ten documents opened at once: at most WORKERS threads lint them; the linter of each config,
    last year's report and the baseline are looked up on the main thread, the jobs only get them."""
    import threading

    from gxlint import lsp

    monkeypatch.setenv("GXLINT_CACHE_DIR", str(tmp_path / "cache"))
    main = threading.current_thread()
    state, jobs = [], []
    release = threading.Event()
    for name in ("linter_for", "previous_for", "baseline_for"):
        real = getattr(lsp.GxServer, name)
        monkeypatch.setattr(lsp.GxServer, name, lambda self, *a, real=real, name=name:
                            state.append((name, threading.current_thread() is main)) or real(self, *a))
    real_job = lsp.text_diagnostics

    def job(linter, path, source, previous, encoding, baseline):
        jobs.append(threading.current_thread().name)
        assert threading.current_thread() is not main and isinstance(source, str)
        release.wait(60)
        return real_job(linter, path, source, previous, encoding, baseline)

    monkeypatch.setattr(lsp, "text_diagnostics", job)
    ls, sent = _server()
    text = SEED004.read_text(encoding="utf-8")
    uris = [(tmp_path / f"r{i}.txt").as_uri() for i in range(10)]
    for uri in uris:
        ls.handle({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "plaintext", "version": 1, "text": text}}})
    assert ls._workers == lsp.WORKERS < len(uris)  # the others wait in the queue
    release.set()
    ls.drain()
    assert len(jobs) == len(uris) and len(set(jobs)) <= lsp.WORKERS
    assert state and all(on_main for _, on_main in state)
    published = _published_all(sent)
    assert sorted(p["uri"] for p in published) == sorted(uris)
    assert all(sorted(d["code"] for d in p["diagnostics"]) == EXPECTED_004 for p in published)


def _published_all(sent):
    return [m["params"] for m in sent if m.get("method") == "textDocument/publishDiagnostics"]


# --------------------------------------------------------------------------- issue 31
def _reference_apply(text: str, change: dict, encoding: str) -> str:
    """An edit applied as the LSP says, on the whole text (what the server did before issue 31)."""
    from gxlint.lsp import to_code_points

    if change.get("range") is None:
        return change["text"]

    def offset(pos):
        lines = text.split("\n")
        line, units = max(int(pos["line"]), 0), max(int(pos["character"]), 0)
        if line >= len(lines):
            return len(text)
        start = sum(len(x) + 1 for x in lines[:line])
        ln = lines[line][:-1] if lines[line].endswith("\r") else lines[line]
        return start + to_code_points(ln, units, encoding)

    a = offset(change["range"]["start"])
    b = max(offset(change["range"]["end"]), a)
    return text[:a] + change["text"] + text[b:]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
def test_incremental_edits_give_the_text_the_protocol_says(encoding):
    """Random edits (several lines, line breaks typed and deleted, CRLF lines, astral characters,
    positions past a line's or the text's end, ranges given backwards, whole-text changes) leave
    the text an edit of the whole text would, and its size."""
    import random

    from gxlint.lsp import Document

    pieces = ["", "a", "合", "𠮷", "\n", "\r\n", "x\ny", "\n\n", "第三部分\n（一）"]
    for case in range(40):
        rng = random.Random(f"{encoding}-{case}")
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        doc = Document("file:///r.md", text, 1)
        for _ in range(60):
            lines = text.count("\n") + 1
            pos = lambda: {"line": rng.randint(0, lines + 1), "character": rng.randint(0, 8)}  # noqa: E731
            change = ({"text": "".join(rng.choice(pieces) for _ in range(3))} if rng.random() < 0.03 else
                      {"range": {"start": pos(), "end": pos()}, "text": "".join(rng.choice(pieces) for _ in range(rng.randint(0, 3)))})
            text = _reference_apply(text, change, encoding)
            doc.apply(change, encoding)
            assert doc.text == text and doc.size == len(text), (case, change)


class _CountedLines(list):
    """A document's lines, counting each line handed out (by index, slice or iteration)."""

    read = 0

    def __getitem__(self, i):
        out = list.__getitem__(self, i)
        _CountedLines.read += len(out) if isinstance(i, slice) else 1
        return out

    def __iter__(self):
        for x in list.__iter__(self):
            _CountedLines.read += 1
            yield x


def test_a_thousand_edits_of_a_100000_line_document_read_only_the_lines_they_touch(tmp_path, monkeypatch):
    """1,000 edits of a 100,000-line document (each edit was a search for its line from the text's
    start, then a copy of the text; shutdown was answered after 40 s): counted, the lines read
    per edit are those it spans, the other lines stay the same objects, and the whole text is
    never joined for a document too large to lint."""
    from gxlint import lsp

    monkeypatch.setenv("GXLINT_CACHE_DIR", str(tmp_path / "cache"))
    ls, sent = _server()
    uri = (tmp_path / "big.md").as_uri()
    text = "\n".join(f"第{i}行" for i in range(100_000))
    ls.handle({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "markdown", "version": 1, "text": text}}})
    ls.drain()
    doc = ls.documents[uri]
    doc.lines = _CountedLines(doc.lines)
    before = list.__iter__(doc.lines)
    before = list(before)
    joins = []
    monkeypatch.setattr(lsp.Document, "text", property(lambda self: joins.append(1) or "\n".join(self.lines),
                                                       lsp.Document.text.fset))
    _CountedLines.read = 0
    for k in range(1000):
        line = (k * 7919) % 100_000
        ls.handle({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": k + 2},
            "contentChanges": [{"range": {"start": {"line": line, "character": 1}, "end": {"line": line, "character": 1}},
                                "text": "改"}]}})
        ls.drain()
    ls.handle({"jsonrpc": "2.0", "id": 9, "method": "shutdown"})
    assert sent[-1] == {"jsonrpc": "2.0", "id": 9, "result": None}
    assert _CountedLines.read <= 8 * 1000  # a handful per edit, of 100,000
    assert not joins  # E006 was decided from the size and the number of lines
    touched = {(k * 7919) % 100_000 for k in range(1000)}
    after = list.__iter__(doc.lines)
    assert all((a is b) == (i not in touched) for i, (a, b) in enumerate(zip(before, after)))
    assert [d["code"] for d in _published(sent, uri)[-1]["diagnostics"]] == ["E006"]
    expected = "\n".join(f"第改{i}行" if i in touched else f"第{i}行" for i in range(100_000))
    assert "\n".join(list.__iter__(doc.lines)) == expected


def _quick_job(monkeypatch, ran):
    """Lint jobs that record their thread and give one diagnostic naming the text's first line."""
    import threading

    from gxlint import lsp

    def job(linter, path, source, previous, encoding, baseline):
        ran.append(threading.current_thread().name)
        return [{"range": lsp._range(lsp._pos(0, 0)), "message": source.split("\n", 1)[0], "source": "gxlint",
                 "severity": 3, "code": "GX000"}]

    monkeypatch.setattr(lsp, "text_diagnostics", job)


def test_a_thousand_open_documents_start_at_most_the_pool(tmp_path, monkeypatch):
    """1,000 documents opened at once (a thread each was 1,002 threads and 2.2 GB): at most WORKERS
    threads are started, every document gets its diagnostics, and only the main thread writes to
    the client."""
    import threading

    from gxlint import lsp

    monkeypatch.setenv("GXLINT_CACHE_DIR", str(tmp_path / "cache"))
    ran, started, writers = [], [], []
    _quick_job(monkeypatch, ran)
    real_start = threading.Thread.start
    monkeypatch.setattr(threading.Thread, "start", lambda self: started.append(self.name) or real_start(self))
    main = threading.current_thread()
    ls, sent = _server()
    ls.send = lambda m: writers.append(threading.current_thread() is main) or sent.append(m)
    uris = [(tmp_path / f"r{i}.md").as_uri() for i in range(1000)]
    for i, uri in enumerate(uris):
        ls.handle({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "markdown", "version": 1, "text": f"报告{i}\n"}}})
    ls.drain()
    assert len(started) <= lsp.WORKERS and set(ran) <= set(started)
    assert sorted((p["uri"], p["diagnostics"][0]["message"]) for p in _published_all(sent)) == \
        sorted((uri, f"报告{i}") for i, uri in enumerate(uris))
    assert writers and all(writers)


@pytest.mark.parametrize("threads", [0, 2])
def test_documents_get_diagnostics_when_no_thread_can_start(threads, tmp_path, monkeypatch, capsys):
    """The system refuses new threads (after ``threads`` were started): the jobs wait for the workers
    that run, or, with none, run on the main thread; every document gets its diagnostics, and
    stderr says it once."""
    import threading

    monkeypatch.setenv("GXLINT_CACHE_DIR", str(tmp_path / "cache"))
    ran, started = [], []
    _quick_job(monkeypatch, ran)
    real_start = threading.Thread.start

    def start(self):
        if len(started) >= threads:
            raise RuntimeError("can't start new thread")
        started.append(self.name)
        real_start(self)

    monkeypatch.setattr(threading.Thread, "start", start)
    ls, sent = _server()
    uris = [(tmp_path / f"r{i}.md").as_uri() for i in range(50)]
    for i, uri in enumerate(uris):
        ls.handle({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "markdown", "version": 1, "text": f"报告{i}\n"}}})
    ls.drain()
    assert sorted(p["uri"] for p in _published_all(sent)) == sorted(uris)
    assert set(ran) == ({threading.current_thread().name} if threads == 0 else set(started))
    assert capsys.readouterr().err.count("无法启动检查线程") == 1


def test_many_findings_on_one_long_line_are_placed_in_linear_work(tmp_path, monkeypatch):
    """A line of n 截止 (GX503): each diagnostic's position was the code units of the line up to
    it, counted from the line's start.  Counted: the characters the unit counting reads, for n
    and 4n; and the positions are those of each 截止 in UTF-16 units (𠮷 counts two)."""
    from gxlint import lsp

    monkeypatch.setenv("GXLINT_CACHE_DIR", str(tmp_path / "cache"))
    ls, _ = _server()
    read = [0]
    real = lsp.to_units
    monkeypatch.setattr(lsp, "to_units", lambda line, cp, enc: read.__setitem__(0, read[0] + min(len(line), cp)) or
                        real(line, cp, enc))
    work = {}
    for n in (300, 1200):
        lines = SEED004.read_text(encoding="utf-8").split("\n")
        long_line = "𠮷" + "，".join(["截止12月31日"] * n) + "。"
        text = "\n".join(lines[:8] + [long_line] + lines[8:])
        uri = (tmp_path / f"r{n}.md").as_uri()
        _open(ls, uri, text, language="markdown")
        read[0] = 0
        diags = [d for d in ls.lint_source(uri) if d["code"] == "GX503"]
        work[n] = read[0]
        assert [d["range"]["start"] for d in diags] == [{"line": 8, "character": 2 + 9 * k} for k in range(n)]
    assert work[1200] < 5 * work[300], work


def test_params_of_other_types_are_invalid_params_not_internal_errors(capsys):
    """Found by the fuzzer of frames (tests/fuzz.py fuzz_lsp): initialize with params or
    capabilities that are no objects, numbers beyond any position, are the client's error
    (-32602) or tolerated, never an internal error (-32603)."""
    from gxlint.lsp import GxServer

    sent = []
    ls = GxServer(sent.append)
    for params in ("x", 5, 1.5, [1]):
        ls.handle({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params})
        assert sent.pop()["error"]["code"] == -32602
    ls.handle({"jsonrpc": "2.0", "id": 2, "method": "initialize",
               "params": {"capabilities": {"general": {"positionEncodings": "utf-8"}, "workspace": 7}}})
    assert sent.pop()["result"]["capabilities"]["positionEncoding"] == "utf-16"
    ls.handle({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    ls.handle({"jsonrpc": "2.0", "id": 3, "method": "textDocument/codeAction",
               "params": {"textDocument": {"uri": "file:///r.md"}, "context": {"diagnostics": [7, "x"]}}})
    assert sent.pop()["error"]["code"] == -32602
    ls.handle({"jsonrpc": "2.0", "id": 4, "method": "workspace/executeCommand", "params": {"command": 1e308}})
    assert sent.pop()["error"]["code"] == -32602
    assert "Traceback" not in capsys.readouterr().err
