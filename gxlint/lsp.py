"""``gxlint lsp``: a language server (pygls 2.x, stdio) for editors.

* Markdown and plain text: diagnostics on open (at once), on change (debounced)
  and on save; ranges in the client's position encoding (UTF-16 unless the
  client negotiates otherwise); ``code`` is the rule id, ``codeDescription``
  links to the rule's documentation page.
* Quick fixes (``textDocument/codeAction``) for every finding that carries a
  fix; the fix travels in the diagnostic's ``data``, so the server keeps no state.
* ``.docx`` cannot be edited in an editor: it is linted from disk when a watched
  file changes (``workspace/didChangeWatchedFiles``, registered dynamically when
  the client allows it) and on the command ``gxlint.lintFile`` (argument: the
  file's URI or path).  Diagnostics are published for the .docx URI; their line
  is the paragraph number, and the message carries the human location.
* The nearest ``.gxlint.yaml`` applies.  A broken config or rule file becomes a
  diagnostic on that file plus a ``window/showMessage``; reports are then linted
  with the built-in rules, and the server keeps running.
* Linting runs in a worker thread, so typing never waits for it.

pygls is imported only here: the plain command line does not pay for it.
"""
from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

from lsprotocol import types as T
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from . import __version__
from .config import NAMES as CONFIG_NAMES
from .config import find_config, load_config
from .engine import FileResult, Linter
from .errors import GxlintError

SOURCE = "gxlint"
DEBOUNCE = 0.3  # seconds of quiet after a keystroke before linting
TEXT_SUFFIXES = (".md", ".markdown", ".txt", ".text")
WATCHED = ("**/*.docx", "**/.gxlint.yaml", "**/.gxlint.yml")
SEVERITY = {"error": T.DiagnosticSeverity.Error, "warning": T.DiagnosticSeverity.Warning,
            "info": T.DiagnosticSeverity.Information}
_AT = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<msg>.*)$", re.S)


def docs_dir() -> Path:
    """Rule pages written on demand (the pack may include local rules), linked from diagnostics."""
    base = os.environ.get("GXLINT_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "gxlint")
    return Path(base) / f"docs-{__version__}"


class GxServer(LanguageServer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._linters: dict[str | None, tuple[tuple, Linter]] = {}
        self._pending: dict[str, asyncio.Task] = {}
        self._config_problems: set[str] = set()  # URIs of config/rule files we published problems on
        self._previous: tuple = (None, None)  # ((path, stamp), Document) of last year's report

    # -- configuration -----------------------------------------------------------
    def linter_for(self, path: str) -> Linter:
        """The linter for a report: its .gxlint.yaml's, or the built-in pack when that is broken."""
        cfg_path = find_config(path)
        stamp = _stamp(cfg_path)
        cached = self._linters.get(cfg_path)
        if cached and cached[0] == stamp:
            return cached[1]
        try:
            cfg = load_config(cfg_path)
            linter = Linter(cfg)
            self._clear_config_problems()
        except GxlintError as e:
            self._config_problem(cfg_path, e)
            linter = Linter()
        self._linters[cfg_path] = (stamp, linter)
        return linter

    def _config_problem(self, cfg_path: str | None, e: GxlintError) -> None:
        m = _AT.match(e.message)
        where, line, col, msg = (m["path"], int(m["line"]), int(m["col"]), m["msg"]) if m else (cfg_path, 1, 1, e.message)
        where = where if where and os.path.isabs(where) else os.path.abspath(where or cfg_path or ".gxlint.yaml")
        uri = from_fs_path(where)
        pos = T.Position(line=max(line - 1, 0), character=max(col - 1, 0))
        self.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=uri, diagnostics=[T.Diagnostic(
            range=T.Range(start=pos, end=pos), message=f"{e.code} {msg}", code=e.code, source=SOURCE,
            severity=T.DiagnosticSeverity.Error)]))
        self._config_problems.add(uri)
        self.window_show_message(T.ShowMessageParams(
            type=T.MessageType.Error,
            message=f"gxlint：配置或规则文件有误，暂用内置规则检查。{e.code} {e.message}"))

    def _clear_config_problems(self) -> None:
        for uri in list(self._config_problems):
            self.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        self._config_problems.clear()

    # -- linting -------------------------------------------------------------------
    def lint_source(self, uri: str) -> list[T.Diagnostic]:
        from .readers.text import parse_text

        from .readers import MAX_PARAGRAPHS
        from .readers.text import MAX_TEXT

        doc = self.workspace.get_text_document(uri)
        path = to_fs_path(uri) or uri
        source = doc.source
        if len(source) > MAX_TEXT or source.count("\n") > MAX_PARAGRAPHS:  # as the text reader refuses it
            pos = T.Position(line=0, character=0)
            return [T.Diagnostic(range=T.Range(start=pos, end=pos), code="E006", source=SOURCE,
                                 severity=T.DiagnosticSeverity.Error,
                                 message=f"E006 文件过大，不像一份年度报告（超过 {MAX_TEXT // 2**20} MiB "
                                         f"或 {MAX_PARAGRAPHS:,} 行），不作检查")]
        linter = self.linter_for(path)
        report = parse_text(source, path, markdown=not path.lower().endswith((".txt", ".text")))
        lines = doc.lines
        diags = []
        findings = linter.lint_document(report, self.previous_for(linter, path))
        if linter.config.baseline:  # the config's baseline: only new findings, as on the command line
            from .baseline import new_findings

            findings = new_findings(path, findings, linter.config.baseline)
        for f in findings:
            start = _position(doc, lines, f.line, f.column)
            end = _position(doc, lines, f.end_line, f.end_column)
            diags.append(self._diagnostic(f, T.Range(start=start, end=end)))
        return diags

    def previous_for(self, linter: Linter, path: str):
        """Last year's report named by the config (`previous:`), read once per change of that file."""
        from .readers import read

        prev = linter.config.previous
        if not prev or not os.path.exists(prev):
            return None
        if os.path.exists(path) and os.path.samefile(prev, path):
            return None
        key = (prev, _stamp(prev))
        if self._previous[0] != key:
            try:
                self._previous = (key, read(prev, encoding=linter.config.encoding))
            except GxlintError:
                self._previous = (key, None)
        return self._previous[1]

    def lint_file(self, path: str) -> list[T.Diagnostic]:
        """A file on disk (.docx, or any format gxlint reads), by its path."""
        linter = self.linter_for(path)
        result: FileResult = linter.lint_path(path)
        if result.error is not None:
            pos = T.Position(line=0, character=0)
            return [T.Diagnostic(range=T.Range(start=pos, end=pos), message=f"{result.error.code} {result.error.message}",
                                 code=result.error.code, source=SOURCE, severity=T.DiagnosticSeverity.Error)]
        findings = result.findings
        if linter.config.baseline:
            from .baseline import new_findings

            findings = new_findings(path, findings, linter.config.baseline)
        diags = []
        for f in findings:
            start = T.Position(line=max(f.line - 1, 0), character=max(f.column - 1, 0))
            end = T.Position(line=max(f.end_line - 1, 0), character=max(f.end_column - 1, 0))
            diags.append(self._diagnostic(f, T.Range(start=start, end=end), with_location=True))
        return diags

    def _diagnostic(self, f, rng: T.Range, with_location: bool = False) -> T.Diagnostic:
        message = f"{f.message}（{f.location}）" if with_location and f.location else f.message
        return T.Diagnostic(
            range=rng, message=message, severity=SEVERITY[f.severity], code=f.rule, source=SOURCE,
            code_description=T.CodeDescription(href=self.rule_doc(f.rule)),
            data={"fix": f.fix.replacement, "title": f.fix.description} if f.fix is not None else None,
        )

    def rule_doc(self, rule_id: str) -> str:
        page = docs_dir() / f"{rule_id}.md"
        if not page.is_file():
            from .docs import markdown

            rules = {r.id: r for _, linter in self._linters.values() for r in linter.all_rules}
            if rule_id in rules:
                try:
                    page.parent.mkdir(parents=True, exist_ok=True)
                    tmp = page.with_suffix(f".{os.getpid()}.tmp")
                    tmp.write_text(markdown(rules[rule_id]), encoding="utf-8")
                    os.replace(tmp, page)
                except OSError:
                    pass
        return page.as_uri()

    async def publish_text(self, uri: str, version: int | None = None, delay: float = 0.0) -> None:
        if delay:
            await asyncio.sleep(delay)
        try:
            diags = await asyncio.to_thread(self.lint_source, uri)
        except Exception as e:  # noqa: BLE001 - never a dead server
            diags = [_internal(e)]
        self.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=diags))

    async def publish_file(self, uri: str) -> int:
        path = to_fs_path(uri) or uri
        try:
            diags = await asyncio.to_thread(self.lint_file, path)
        except Exception as e:  # noqa: BLE001
            diags = [_internal(e)]
        self.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=uri, diagnostics=diags))
        return len(diags)

    def schedule(self, uri: str, version: int | None, delay: float) -> None:
        """Lint `uri` after `delay` seconds unless another change comes first (debounce)."""
        old = self._pending.pop(uri, None)
        if old is not None:
            old.cancel()
        task = asyncio.get_running_loop().create_task(self.publish_text(uri, version, delay))
        self._pending[uri] = task
        task.add_done_callback(lambda t, uri=uri: self._pending.pop(uri, None) if self._pending.get(uri) is t else None)

    def relint_open_documents(self) -> None:
        self._linters.clear()
        for uri, doc in list(self.workspace.text_documents.items()):
            if _is_text(uri):
                self.schedule(uri, doc.version, 0)


def _stamp(path: str | None) -> tuple:
    if path is None:
        return ()
    try:
        st = os.stat(path)
        return (st.st_size, st.st_mtime_ns)
    except OSError:
        return ()


def _position(doc, lines, line: int, column: int) -> T.Position:
    """1-based line and code-point column → an LSP position in the client's units."""
    from pygls.workspace.position_codec import ServerTextPosition

    ln = min(max(line - 1, 0), max(len(lines) - 1, 0))
    return doc.position_to_client_units(ServerTextPosition(ln, max(column - 1, 0)))


def _is_text(uri: str) -> bool:
    return uri.lower().endswith(TEXT_SUFFIXES)


def _internal(e: Exception) -> T.Diagnostic:
    pos = T.Position(line=0, character=0)
    return T.Diagnostic(range=T.Range(start=pos, end=pos), source=SOURCE, code="E099",
                        severity=T.DiagnosticSeverity.Error,
                        message=f"E099 内部错误（{type(e).__name__}: {e}），请报告给 gxlint 开发者")


server = GxServer("gxlint", __version__, text_document_sync_kind=T.TextDocumentSyncKind.Incremental)


@server.feature(T.TEXT_DOCUMENT_DID_OPEN)
async def did_open(ls: GxServer, params: T.DidOpenTextDocumentParams):
    uri = params.text_document.uri
    if _is_text(uri) or params.text_document.language_id in ("markdown", "plaintext"):
        await ls.publish_text(uri, params.text_document.version)
    elif uri.lower().endswith(".docx"):
        await ls.publish_file(uri)


@server.feature(T.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: GxServer, params: T.DidChangeTextDocumentParams):
    ls.schedule(params.text_document.uri, params.text_document.version, DEBOUNCE)


@server.feature(T.TEXT_DOCUMENT_DID_SAVE, T.SaveOptions(include_text=False))
def did_save(ls: GxServer, params: T.DidSaveTextDocumentParams):
    uri = params.text_document.uri
    if uri.rsplit("/", 1)[-1] in CONFIG_NAMES:
        ls.relint_open_documents()
    else:
        doc = ls.workspace.get_text_document(uri)
        ls.schedule(uri, doc.version, 0)


@server.feature(T.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: GxServer, params: T.DidCloseTextDocumentParams):
    task = ls._pending.pop(params.text_document.uri, None)
    if task is not None:
        task.cancel()
    ls.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))


@server.feature(T.TEXT_DOCUMENT_CODE_ACTION, T.CodeActionOptions(code_action_kinds=[T.CodeActionKind.QuickFix]))
def code_action(ls: GxServer, params: T.CodeActionParams):
    actions = []
    for d in params.context.diagnostics:
        if d.source != SOURCE or not isinstance(d.data, dict) or d.data.get("fix") is None:
            continue
        fix = d.data["fix"]
        actions.append(T.CodeAction(
            title=d.data.get("title") or f"改为「{fix}」", kind=T.CodeActionKind.QuickFix,
            diagnostics=[d], is_preferred=True,
            edit=T.WorkspaceEdit(changes={params.text_document.uri: [T.TextEdit(range=d.range, new_text=fix)]}),
        ))
    return actions


@server.feature(T.INITIALIZED)
async def initialized(ls: GxServer, params: T.InitializedParams):
    caps = ls.client_capabilities.workspace
    if caps and caps.did_change_watched_files and caps.did_change_watched_files.dynamic_registration:
        await ls.client_register_capability_async(T.RegistrationParams(registrations=[T.Registration(
            id="gxlint-watched-files", method=T.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=T.DidChangeWatchedFilesRegistrationOptions(
                watchers=[T.FileSystemWatcher(glob_pattern=g) for g in WATCHED]),
        )]))


@server.feature(T.WORKSPACE_DID_CHANGE_WATCHED_FILES)
async def watched(ls: GxServer, params: T.DidChangeWatchedFilesParams):
    configs = False
    # A client may report one change twice (its own watcher and ours): one lint per file.
    for ev in {ev.uri: ev for ev in params.changes}.values():
        name = ev.uri.rsplit("/", 1)[-1]
        if name in CONFIG_NAMES:
            configs = True
        elif ev.uri.lower().endswith(".docx") and not name.startswith("~$"):
            if ev.type == T.FileChangeType.Deleted:
                ls.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=ev.uri, diagnostics=[]))
            else:
                await ls.publish_file(ev.uri)
    if configs:
        ls.relint_open_documents()


@server.command("gxlint.lintFile")
async def lint_file_command(ls: GxServer, *args):
    """Lint a file on disk; argument: its URI or path.  Returns the number of diagnostics."""
    target = args[0] if args else None
    if isinstance(target, list):  # some clients wrap the arguments once more
        target = target[0] if target else None
    if isinstance(target, dict):
        target = target.get("uri") or target.get("path")
    if not isinstance(target, str) or not target:
        ls.window_show_message(T.ShowMessageParams(type=T.MessageType.Error,
                                                   message="gxlint.lintFile：请给出要检查的文件（URI 或路径）"))
        return None
    uri = target if "://" in target else from_fs_path(os.path.abspath(target))
    return await ls.publish_file(uri)


# ---------------------------------------------------------------------------- framing
MAX_MESSAGE = 64 * 2**20  # bytes of one JSON-RPC message (a report of 4 MiB as JSON is < 30 MiB)
MAX_HEADER_LINE = 8192
_CONTENT_LENGTH = re.compile(rb"content-length[ \t]*:[ \t]*(\d{1,15})[ \t]*\r?\n?$", re.I)
_HEADER = re.compile(rb"[!-9;-~]+[ \t]*:")
# A Content-Length header: it holds a raw line break, which no JSON text can, so met inside a
# body it is the next message (the body was shorter than declared).
_NEXT = re.compile(rb"content-length[ \t]*:[ \t]*\d{1,15}[ \t]*\r?\n", re.I)


class Framing:
    """JSON-RPC messages (``Content-Length`` framing) read from a binary stream with bounded
    memory: a header line is at most :data:`MAX_HEADER_LINE` bytes, a body at most
    :data:`MAX_MESSAGE`.  A framing error (no valid Content-Length, a length beyond the
    limit, garbage between messages, a body shorter than declared that swallowed the next
    header) is reported, and reading resynchronises on the next ``Content-Length`` header,
    never waiting for bytes that a broken header announced."""

    def __init__(self, stream):
        self.stream = stream
        self.buf = bytearray()
        self.eof = False

    def _fill(self) -> bool:
        if self.eof:
            return False
        read = getattr(self.stream, "read1", None) or self.stream.read
        chunk = read(65536)
        if not chunk:
            self.eof = True
            return False
        self.buf += chunk
        return True

    def _line(self) -> bytes | None:
        """The next line (with its newline), cut at MAX_HEADER_LINE bytes; None at the end."""
        start = 0
        while True:
            i = self.buf.find(b"\n", start, MAX_HEADER_LINE)
            if i >= 0 or len(self.buf) >= MAX_HEADER_LINE:
                end = i + 1 if i >= 0 else MAX_HEADER_LINE
                line = bytes(self.buf[:end])
                del self.buf[:end]
                return line
            start = len(self.buf)
            if not self._fill():
                if not self.buf:
                    return None
                line = bytes(self.buf)
                self.buf.clear()
                return line

    def _body(self, n: int) -> bytes | None:
        """The next `n` bytes, or fewer when a line starting with Content-Length comes first
        (a body shorter than declared: waiting for the rest would swallow the next message);
        None at the end of the stream."""
        seen = 0
        while True:
            m = _NEXT.search(self.buf, max(seen - 40, 0), n + 40)
            if m is not None and m.start() < n:
                body = bytes(self.buf[:m.start()])
                del self.buf[:m.start()]
                return body
            if len(self.buf) >= n:
                body = bytes(self.buf[:n])
                del self.buf[:n]
                return body
            seen = len(self.buf)
            if not self._fill():
                return None

    def _resync(self) -> None:
        """Drop bytes up to the next line that starts with Content-Length (kept in the buffer)."""
        while True:
            m = _NEXT.search(self.buf)
            if m is not None:
                del self.buf[:m.start()]
                return
            keep = 40  # a header cut between two reads
            del self.buf[:max(len(self.buf) - keep, 0)]
            if not self._fill():
                self.buf.clear()
                return

    def messages(self):
        """Yield ``(body, None)`` for each framed message and ``(None, problem)`` for each
        framing error; end at the end of the stream."""
        while True:
            length, garbage, headers = None, False, 0
            while True:
                line = self._line()
                if line is None:
                    return
                if not line.strip():
                    if headers:
                        break
                    continue  # blank lines between messages
                headers += 1
                m = _CONTENT_LENGTH.match(line)
                if m and length is None:
                    length = int(m.group(1))
                elif not (line.endswith(b"\n") and _HEADER.match(line)):
                    garbage = True
                    break
            if garbage or length is None:
                yield None, "消息头无效（缺少有效的 Content-Length）"
                self._resync()
                continue
            if length > MAX_MESSAGE:
                yield None, f"消息过大（Content-Length {length}，上限 {MAX_MESSAGE}）"
                self._resync()
                continue
            body = self._body(length)
            if body is None:
                return
            if len(body) < length:
                yield None, "消息体短于 Content-Length 声明的长度"
                continue
            yield body, None


def serve(stdin=None, stdout=None) -> int:
    """Serve over stdio with :class:`Framing`: a reader thread frames the messages and hands
    them to the event loop; the end of input ends the server.  Returns the exit status."""
    import json
    import logging
    import sys
    import threading

    from pygls.io_ import StdoutWriter

    log = logging.getLogger(__name__)
    stdin = stdin or sys.stdin.buffer
    server._stop_event = threading.Event()
    server.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))

    async def run() -> None:
        loop = asyncio.get_running_loop()
        done = asyncio.Event()

        def handle(body: bytes) -> None:
            try:
                message = json.loads(body, object_hook=server.protocol.structure_message)
            except Exception as e:  # noqa: BLE001 - not JSON: tell the client, go on
                log.error("gxlint lsp: 无法解析消息（%s）", e)
                server.protocol._send_data(_parse_error(str(e)))
                return
            try:
                server.protocol.handle_message(message)
            except (SystemExit, KeyboardInterrupt):
                raise
            except Exception:  # noqa: BLE001 - never a dead server
                log.exception("gxlint lsp: 处理消息出错")

        def read() -> None:
            try:
                for body, problem in Framing(stdin).messages():
                    if problem is not None:
                        print(f"gxlint lsp: 通信格式错误：{problem}，已跳到下一条消息", file=sys.stderr, flush=True)
                    else:
                        loop.call_soon_threadsafe(handle, body)
            except Exception as e:  # noqa: BLE001 - a broken input pipe ends the server
                print(f"gxlint lsp: 读取输入出错（{type(e).__name__}），退出", file=sys.stderr, flush=True)
            loop.call_soon_threadsafe(done.set)

        threading.Thread(target=read, name="gxlint-lsp-reader", daemon=True).start()
        await done.wait()

    # Not asyncio.run: on its way out it waits for the worker threads, and a lint job that
    # hangs must not keep the process alive after exit.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(run())
    except SystemExit as e:  # the exit notification
        return e.code if isinstance(e.code, int) else 0
    except (KeyboardInterrupt, BrokenPipeError):
        return 1
    return 0


def _parse_error(detail: str) -> dict:
    return {"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": f"Parse error: {detail[:200]}"}}


def main() -> None:
    """``gxlint lsp``.  The process ends when the input ends or on ``exit``, even with a lint
    job still running in a worker thread (os._exit: nothing waits for it)."""
    import sys

    code = serve()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)

