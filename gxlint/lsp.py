"""``gxlint lsp``: a language server (LSP over stdio) for editors.

* Markdown and plain text: diagnostics on open, on every change and on save; ranges in
  the client's position encoding (UTF-16 unless the client negotiates UTF-8 or UTF-32);
  ``code`` is the rule id, ``codeDescription`` links to the rule's documentation page.
* A change is linted at once (no debounce): the lint runs on a worker thread, so handling
  the next change never waits for it.  While a document is being linted, further changes
  only mark it stale; when the run ends, its diagnostics are published only if no change
  came meanwhile, else the latest text is linted next.  Typing faster than the lint
  (about 25 ms for a report) publishes the latest version's diagnostics, never a stale one.
* Quick fixes (``textDocument/codeAction``) for every finding that carries a fix; the fix
  travels in the diagnostic's ``data``, so the server keeps no state.
* ``.docx`` cannot be edited in an editor: it is linted from disk when a watched file
  changes (``workspace/didChangeWatchedFiles``, registered dynamically when the client
  allows it) and on the command ``gxlint.lintFile`` (argument: the file's URI or path).
  Diagnostics are published for the .docx URI; their line is the paragraph number, and
  the message carries the human location.
* The nearest ``.gxlint.yaml`` applies.  A broken config or rule file becomes a diagnostic
  on that file plus a ``window/showMessage``; reports are then linted with the built-in
  rules, and the server keeps running.

The protocol is spoken here with the standard library (JSON-RPC framing: :class:`Framing`),
and with threads rather than asyncio: pygls and lsprotocol define about a thousand attrs
classes at import, a second of CPU before the first diagnostics, and asyncio costs more
to import than the lint's own modules; this server needs a dozen messages.  A start costs
what linting one report costs.

Threads: a reader thread frames the client's messages and puts them in the inbox.  The main
thread takes the inbox in order (the client's messages and the lint jobs' results), runs every
handler and is the only one to change the server's state (the open documents, the linters of
the configs, last year's report, the baseline) and to write to the client.  Before a lint job
starts, the main thread fixes its inputs (the document's text, the linter of its config, last
year's report, the baseline, the position encoding); the job runs on one of at most :data:`WORKERS` worker threads, reads only
those, and hands its diagnostics back through the inbox.  A linter is not changed once made (a
changed config makes a new one), nor is last year's report once read.  When the system refuses
a new thread, the job waits for a worker that runs, or runs on the main thread when none does.

Bounds (issue 31): an open document is a list of lines, so an incremental edit reads and
replaces only the lines it spans (:class:`Document`); its text is joined only for a lint, and a
document too large to be a report is answered E006 from its size and line count, never joined.
Framing (:class:`Framing`) bounds a header line and a message, and after a framing error skips
to the next ``Content-Length`` header.
"""
from __future__ import annotations

import os
import re
import sys
import threading
from queue import SimpleQueue

from . import __version__
from .config import NAMES as CONFIG_NAMES
from .config import find_config, load_config
from .engine import FileResult, Linter
from .errors import GxlintError

SOURCE = "gxlint"
TEXT_SUFFIXES = (".md", ".markdown", ".txt", ".text")
WATCHED = ("**/*.docx", "**/.gxlint.yaml", "**/.gxlint.yml")
SEVERITY = {"error": 1, "warning": 2, "info": 3}  # DiagnosticSeverity
ENCODINGS = ("utf-8", "utf-16", "utf-32")  # PositionEncodingKind, as the client may offer them
# JSON-RPC error codes
PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS, INTERNAL_ERROR = -32700, -32600, -32601, -32602, -32603
SERVER_NOT_INITIALIZED = -32002
# Lint jobs running at once: a slow file (a .doc that LibreOffice converts, a large PDF) does not
# hold back the diagnostics of the text being typed; more would only share the interpreter's lock.
WORKERS = 4
CAPABILITIES = {
    "textDocumentSync": {"openClose": True, "change": 2, "save": {"includeText": False}},  # 2: incremental
    "codeActionProvider": {"codeActionKinds": ["quickfix"]},
    "executeCommandProvider": {"commands": ["gxlint.lintFile"]},
}
_AT = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<msg>.*)$", re.S)


def docs_dir() -> str:
    """Rule pages written on demand (the pack may include local rules), linked from diagnostics."""
    base = os.environ.get("GXLINT_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "gxlint")
    return os.path.join(base, f"docs-{__version__}")


def path_uri(path: str) -> str:
    """The file: URI of an absolute path."""
    from pathlib import Path

    return Path(path).as_uri()


def uri_path(uri: str) -> str | None:
    """The local path of a file: URI (None for another scheme)."""
    from urllib.parse import unquote, urlsplit

    u = urlsplit(uri)
    if u.scheme != "file":
        return None
    path = unquote(u.path)
    if u.netloc:  # a UNC path
        return f"//{u.netloc}{path}"
    if os.name == "nt" and re.match(r"^/[A-Za-z]:", path):
        return path[1:]
    return path


def _pos(line: int, character: int) -> dict:
    return {"line": line, "character": character}


def _range(start: dict, end: dict | None = None) -> dict:
    return {"start": start, "end": end or start}


class Document:
    """An open text document: its lines and version, changed in place by didChange.  Its lines
    are gxlint's (split at \\n, a \\r before it not part of the line), kept as a list, so that an
    incremental edit replaces the lines it spans and nothing else is read: a position is an
    index into the list (the document is never rescanned for the n-th line break, which made
    1,000 edits of a 100,000-line document take 40 s).  ``text`` is the lines joined, made when
    asked (for a lint) and kept until the next edit; ``size`` (characters) and ``edits`` (a
    counter of changes) are kept without joining them."""

    def __init__(self, uri: str, text: str, version: int | None, language_id: str = ""):
        self.uri, self.version, self.language_id = uri, version, language_id
        self.edits = 0
        self.text = text

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "\n".join(self.lines)
        return self._text

    @text.setter
    def text(self, text: str) -> None:
        self.lines = text.split("\n")
        self.size = len(text)
        self._text = text
        self.edits += 1

    def _place(self, pos: dict, encoding: str) -> tuple[int, int]:
        """(line, code-point column) of an LSP position: a column past the end of its line is the
        line's end (before a \\r); a line past the end of the text is the text's end."""
        line, units = max(int(pos["line"]), 0), max(int(pos["character"]), 0)
        if line >= len(self.lines):
            return len(self.lines) - 1, len(self.lines[-1])
        text = self.lines[line]
        if text.endswith("\r"):
            text = text[:-1]
        return line, to_code_points(text, units, encoding)

    def apply(self, change: dict, encoding: str) -> None:
        if "range" not in change or change["range"] is None:  # the whole text
            self.text = change["text"]
            return
        new = change["text"]
        if not isinstance(new, str):
            raise TypeError("text 不是字符串")
        l1, c1 = self._place(change["range"]["start"], encoding)
        l2, c2 = max(self._place(change["range"]["end"], encoding), (l1, c1))
        head, tail = self.lines[l1][:c1], self.lines[l2][c2:]
        old = sum(len(x) + 1 for x in self.lines[l1:l2 + 1]) - 1
        pieces = (head + new + tail).split("\n")
        self.lines[l1:l2 + 1] = pieces
        self.size += sum(len(x) + 1 for x in pieces) - 1 - old
        self._text = None
        self.edits += 1


def to_code_points(line: str, units: int, encoding: str) -> int:
    """How many characters of `line` make `units` code units of `encoding` (at most the line)."""
    if encoding == "utf-32":
        return min(units, len(line))
    width = 2 if encoding == "utf-16" else None
    n = 0
    for i, ch in enumerate(line):
        if n >= units:
            return i
        o = ord(ch)
        if width:
            n += 2 if o > 0xFFFF else 1
        else:
            n += 1 if o < 0x80 else 2 if o < 0x800 else 3 if o < 0x10000 else 4
    return len(line)


def to_units(line: str, code_points: int, encoding: str) -> int:
    """The code units of `encoding` in the first `code_points` characters of `line`."""
    prefix = line[:code_points]
    if encoding == "utf-32":
        return len(prefix)
    if encoding == "utf-16":
        return len(prefix) + sum(1 for ch in prefix if ord(ch) > 0xFFFF)
    return len(prefix.encode("utf-8", "surrogatepass"))


class Pending:
    """What a request handler returns when its answer comes later: ``start(respond)`` begins
    the work, which calls ``respond(result)`` on the main thread when it is done."""

    def __init__(self, start):
        self.start = start


class GxServer:
    """The server's state and handlers.  ``send`` writes one message (a dict) to the client;
    ``options`` (gxlint.options.Options, default the command's without the result cache) make
    its linters.  Every handler and every change of state runs on the main thread; the lint jobs
    run on at most :data:`WORKERS` threads, each with its inputs fixed before it starts, and
    their results come back through ``inbox`` (see :meth:`work`)."""

    def __init__(self, send, options=None):
        from .options import Options

        self.send = send
        self.options = options if options is not None else Options(no_cache=True)
        self.inbox: SimpleQueue = SimpleQueue()  # ("message", body) | ("call", fn, args) | ("end",)
        self._queue: SimpleQueue = SimpleQueue()  # (fn, args, then): the jobs, for the worker threads
        self._workers = 0  # worker threads started (they never end)
        self._no_thread = False  # a worker thread could not be started (said once on stderr)
        self.documents: dict[str, Document] = {}
        self.encoding = "utf-16"
        self.client_capabilities: dict = {}
        self.initialized = False
        self.shutdown = False
        self._linters: dict[str | None, tuple[tuple, Linter]] = {}
        self._running: set[str] = set()  # URIs of the text documents being linted
        self._jobs = 0  # jobs queued or running, whose results have not been handled yet
        self._stale: set[str] = set()  # URIs changed while being linted
        self._config_problems: set[str] = set()  # URIs of config/rule files we published problems on
        self._previous: tuple = (None, None)  # ((path, stamp), Document) of last year's report
        self._baseline: tuple = (None, None)  # ((path, stamp), Baseline) of the config's baseline
        self._next_id = 0

    # -- messages ------------------------------------------------------------------
    def notify(self, method: str, params) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params) -> None:
        """A request to the client; its answer is not waited for."""
        self._next_id += 1
        self.send({"jsonrpc": "2.0", "id": f"gxlint-{self._next_id}", "method": method, "params": params})

    def publish(self, uri: str, diagnostics: list[dict], version: int | None = None) -> None:
        params = {"uri": uri, "diagnostics": diagnostics}
        if version is not None:
            params["version"] = version
        self.notify("textDocument/publishDiagnostics", params)

    def show_message(self, message: str, kind: int = 1) -> None:  # 1: MessageType.Error
        self.notify("window/showMessage", {"type": kind, "message": message})

    def handle(self, message) -> None:
        """One message from the client: a request is answered (at once, or when its Pending work
        ends), a notification handled, an answer to one of our requests ignored."""
        if not isinstance(message, dict):
            self._error(None, INVALID_REQUEST, "消息不是 JSON 对象")
            return
        method, id_ = message.get("method"), message.get("id")
        params = message.get("params")
        if not isinstance(method, str):
            if id_ is None:
                self._error(None, INVALID_REQUEST, "消息既无 method 也无 id")
            return  # an answer to one of our requests (client/registerCapability)
        is_request = "id" in message
        if method == "exit":
            raise SystemExit(0 if self.shutdown else 1)
        handler = REQUESTS.get(method) if is_request else NOTIFICATIONS.get(method)
        if is_request:
            if handler is None:
                self._error(id_, METHOD_NOT_FOUND, f"Method Not Found: {method}")
            elif not self.initialized and method != "initialize":
                self._error(id_, SERVER_NOT_INITIALIZED, "服务器尚未初始化（initialize）")
            elif self.shutdown and method != "shutdown":
                self._error(id_, INVALID_REQUEST, "服务器已关闭（shutdown）")
            else:
                self._answer(id_, handler, params)
        elif handler is not None and (self.initialized or method == "initialized"):
            try:
                handler(self, params if isinstance(params, dict) else {})
            except (SystemExit, KeyboardInterrupt):
                raise
            except Exception as e:  # noqa: BLE001 - a malformed notification never kills the server
                _log(f"处理 {method} 出错（{type(e).__name__}: {e}）")

    def _answer(self, id_, handler, params) -> None:
        try:
            result = handler(self, params if params is not None else {})
        except (SystemExit, KeyboardInterrupt):
            raise
        except Exception as e:  # noqa: BLE001
            # a field missing or of another type than the protocol's is the client's error
            shape = isinstance(e, (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError))
            self._error(id_, INVALID_PARAMS if shape else INTERNAL_ERROR,
                        f"{type(e).__name__}: {e}")
            return
        if isinstance(result, Pending):
            result.start(lambda value: self.send({"jsonrpc": "2.0", "id": id_, "result": value}))
        else:
            self.send({"jsonrpc": "2.0", "id": id_, "result": result})

    # -- threads -----------------------------------------------------------------------
    def work(self, fn, args: tuple, then) -> None:
        """Run ``fn(*args)`` on a worker thread, then ``then(result)`` on the main thread (an
        exception of ``fn`` becomes the diagnostic E099).  ``args`` are what the job may read: it
        changes no state of the server.  A new worker is started while fewer than :data:`WORKERS`
        run and every one is busy; the workers are daemons: a job that hangs never keeps the
        process alive after ``exit``.  When no thread can be started (the system's limit on
        threads or memory), the job waits for a worker that runs, or, when there is none, runs
        here on the main thread: every document still gets its diagnostics."""
        self._jobs += 1
        self._queue.put((fn, args, then))
        if self._workers < min(WORKERS, self._jobs):
            try:
                threading.Thread(target=self._worker, name=f"gxlint-lint-{self._workers + 1}", daemon=True).start()
            except Exception as e:  # noqa: BLE001 - no thread can start now (a limit of the system, of memory)
                if not self._no_thread:
                    _log(f"无法启动检查线程（{type(e).__name__}: {e}），在主线程中检查")
                self._no_thread = True
                if not self._workers:  # nobody would take the job: it is run here, now
                    self._job(*self._queue.get())
                return
            self._workers += 1

    def _worker(self) -> None:
        while True:
            self._job(*self._queue.get())

    def _job(self, fn, args: tuple, then) -> None:
        """Run one job; its result (or E099) goes to the inbox, for ``then`` on the main thread."""
        try:
            result = fn(*args)
        except Exception as e:  # noqa: BLE001 - never a dead server
            result = [_internal(e)]
        self.inbox.put(("call", then, result))

    def dispatch(self, item: tuple) -> None:
        """One item of the inbox: a client's message (JSON text) or a job's result."""
        if item[0] == "call":
            self._jobs -= 1
            item[1](item[2])
            return
        import json

        try:
            message = json.loads(item[1])
        except Exception as e:  # noqa: BLE001 - not JSON: tell the client, go on
            _log(f"无法解析消息（{e}）")
            self.send({"jsonrpc": "2.0", "id": None,
                       "error": {"code": PARSE_ERROR, "message": f"Parse error: {str(e)[:200]}"}})
            return
        self.handle(message)

    def drain(self) -> None:
        """Handle the inbox until no job is running and it is empty (tests drive the server so, in process)."""
        while self._jobs or not self.inbox.empty():
            self.dispatch(self.inbox.get())

    def _error(self, id_, code: int, message: str) -> None:
        self.send({"jsonrpc": "2.0", "id": id_, "error": {"code": code, "message": message}})

    # -- configuration -----------------------------------------------------------
    def linter_for(self, path: str) -> Linter:
        """The linter for a report: its .gxlint.yaml's, or the built-in pack when that is broken."""
        cfg_path = find_config(path)
        stamp = _stamp(cfg_path)
        cached = self._linters.get(cfg_path)
        if cached and cached[0] == stamp:
            return cached[1]
        from .config import Config
        from .run.inputs import make_linter

        try:
            linter = make_linter(load_config(cfg_path), self.options, verify_previous=False)
            self._clear_config_problems()
        except GxlintError as e:
            self._config_problem(cfg_path, e)
            linter = make_linter(Config(), self.options, verify_previous=False)
        self._linters[cfg_path] = (stamp, linter)
        return linter

    def _config_problem(self, cfg_path: str | None, e: GxlintError) -> None:
        m = _AT.match(e.message)
        where, line, col, msg = (m["path"], int(m["line"]), int(m["col"]), m["msg"]) if m else (cfg_path, 1, 1, e.message)
        where = where if where and os.path.isabs(where) else os.path.abspath(where or cfg_path or ".gxlint.yaml")
        uri = path_uri(where)
        pos = _pos(max(line - 1, 0), max(col - 1, 0))
        self.publish(uri, [{"range": _range(pos), "message": f"{e.code} {msg}", "code": e.code, "source": SOURCE,
                            "severity": 1}])
        self._config_problems.add(uri)
        self.show_message(f"gxlint：配置或规则文件有误，暂用内置规则检查。{e.code} {e.message}")

    def _clear_config_problems(self) -> None:
        for uri in list(self._config_problems):
            self.publish(uri, [])
        self._config_problems.clear()

    # -- linting -------------------------------------------------------------------
    # Here, on the main thread, each lint gets its inputs: the text (a copy), the linter of its
    # config, last year's report, the client's position encoding.  The job (text_diagnostics,
    # file_diagnostics) reads them and changes nothing of the server's.
    def lint_source(self, uri: str, text: str | None = None) -> list[dict]:
        """Diagnostics of an open text document (or of `text` as that document's text), linted now."""
        doc = self.documents[uri] if text is None else Document(uri, text, None)
        fn, args = self._text_job(uri, doc)
        return fn(*args)

    def _text_job(self, uri: str, doc: Document) -> tuple:
        from .readers import MAX_PARAGRAPHS
        from .readers.text import MAX_TEXT

        if doc.size > MAX_TEXT or len(doc.lines) - 1 > MAX_PARAGRAPHS:  # as the text reader refuses it (not joined)
            return (lambda: [{"range": _range(_pos(0, 0)), "code": "E006", "source": SOURCE, "severity": 1,
                              "message": f"E006 文件过大，不像一份年度报告（超过 {MAX_TEXT // 2**20} MiB "
                                         f"或 {MAX_PARAGRAPHS:,} 行），不作检查"}]), ()
        path = uri_path(uri) or uri
        linter = self.linter_for(path)
        return text_diagnostics, (linter, path, doc.text, self.previous_for(linter, path), self.encoding,
                                  self.baseline_for(linter))

    def baseline_for(self, linter: Linter):
        """The config's baseline (gxlint.baseline.Baseline), read again when the file changes; None
        without one, or when it cannot be read (every finding is then shown)."""
        from .baseline import load

        path = linter.config.baseline
        if not path:
            return None
        key = (path, _stamp(path))
        if self._baseline[0] != key:
            try:
                self._baseline = (key, load(path))
            except GxlintError:
                self._baseline = (key, None)
        return self._baseline[1]

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
                self._previous = (key, read(prev, encoding=linter.config.encoding, formats=linter.formats))
            except GxlintError:
                self._previous = (key, None)
        return self._previous[1]

    def lint_file(self, path: str) -> list[dict]:
        """A file on disk (.docx, or any format gxlint reads), by its path, linted now."""
        linter = self.linter_for(path)
        return file_diagnostics(linter, path, self.baseline_for(linter))

    def lint_text(self, uri: str) -> None:
        """Lint the open document `uri` now, in a worker thread, unless it is being linted: then
        it is marked stale, and linted again as soon as that run ends (whose diagnostics, of an
        older version, are not published)."""
        if uri in self._running:
            self._stale.add(uri)
            return
        doc = self.documents.get(uri)
        if doc is None:
            return
        version, edits = doc.version, doc.edits
        self._running.add(uri)
        fn, args = self._text_job(uri, doc)
        self.work(fn, args, lambda diags: self._linted(uri, doc, version, edits, diags))

    def _linted(self, uri: str, linted: Document, version, edits: int, diags: list[dict]) -> None:
        self._running.discard(uri)
        doc = self.documents.get(uri)
        if doc is None:  # closed meanwhile
            self._stale.discard(uri)
            return
        if uri in self._stale or doc is not linted or doc.edits != edits:
            self._stale.discard(uri)
            self.lint_text(uri)  # the latest text; this run's diagnostics are of an older one
            return
        self.publish(uri, diags, version)

    def publish_file(self, uri: str, then=None) -> None:
        """Lint a file on disk in a worker thread and publish its diagnostics; then
        ``then(number of diagnostics)``."""
        def done(diags):
            self.publish(uri, diags)
            if then is not None:
                then(len(diags))

        path = uri_path(uri) or uri
        linter = self.linter_for(path)
        self.work(file_diagnostics, (linter, path, self.baseline_for(linter)), done)

    def relint_open_documents(self) -> None:
        self._linters.clear()
        for uri in list(self.documents):
            if _is_text(uri, self.documents[uri].language_id):
                self.lint_text(uri)


def text_diagnostics(linter: Linter, path: str, source: str, previous, encoding: str, baseline=None) -> list[dict]:
    """The diagnostics of ``source``, the text of the document at ``path``, linted by ``linter``
    with ``previous`` (last year's report, or None); positions in the client's ``encoding``;
    without the findings ``baseline`` (gxlint.baseline.Baseline, or None) holds."""
    from .readers.text import parse_text

    report = parse_text(source, path, markdown=not path.lower().endswith((".txt", ".text")), formats=linter.formats)
    findings = linter.lint_document(report, previous)
    if baseline is not None:  # the config's baseline: only new findings, as on the command line
        from .baseline import drop

        findings = drop(path, list(findings), baseline)[0]
    lines = [ln[:-1] if ln.endswith("\r") else ln for ln in source.split("\n")]
    units: dict[int, list[int]] = {}  # line -> code units before each character, for lines with findings far along

    def position(line: int, column: int) -> dict:
        """1-based line and code-point column → an LSP position in the client's units (a line's
        units are counted once when a finding stands far along it: many findings on one long
        line are not a count from its start each)."""
        ln = min(max(line - 1, 0), max(len(lines) - 1, 0))
        text, col = (lines[ln] if lines else ""), max(column - 1, 0)
        if col <= 64 or encoding == "utf-32":
            return _pos(ln, to_units(text, col, encoding))
        if ln not in units:
            units[ln] = [0]
            for ch in text:
                units[ln].append(units[ln][-1] + to_units(ch, 1, encoding))
        return _pos(ln, units[ln][min(col, len(text))])

    rules = _rules(linter)
    return [diagnostic(f, _range(position(f.line, f.column), position(f.end_line, f.end_column)), rules)
            for f in findings]


def file_diagnostics(linter: Linter, path: str, baseline=None) -> list[dict]:
    """The diagnostics of the file at ``path`` (.docx, or any format gxlint reads), linted by ``linter``
    (without the findings ``baseline`` holds); their line is the paragraph's number, their message
    says where."""
    result: FileResult = linter.lint_path(path)
    if result.error is not None:
        return [{"range": _range(_pos(0, 0)), "message": f"{result.error.code} {result.error.message}",
                 "code": result.error.code, "source": SOURCE, "severity": 1}]
    findings = result.findings
    if baseline is not None:
        from .baseline import drop

        findings = drop(path, list(findings), baseline)[0]
    rules = _rules(linter)
    return [diagnostic(f, _range(_pos(max(f.line - 1, 0), max(f.column - 1, 0)),
                                 _pos(max(f.end_line - 1, 0), max(f.end_column - 1, 0))), rules, with_location=True)
            for f in findings]


def _rules(linter: Linter) -> dict:
    return {r.id: r for r in linter.all_rules}


def diagnostic(f, rng: dict, rules: dict, with_location: bool = False) -> dict:
    """An LSP diagnostic of finding ``f``, linked to its rule's page (written from ``rules``)."""
    message = f"{f.message}（{f.location}）" if with_location and f.location else f.message
    d = {"range": rng, "message": message, "severity": SEVERITY[f.severity], "code": f.rule, "source": SOURCE,
         "codeDescription": {"href": rule_doc(f.rule, rules)}}
    if f.fix is not None:
        d["data"] = {"fix": f.fix.replacement, "title": f.fix.description}
    return d


def rule_doc(rule_id: str, rules: dict) -> str:
    """The URI of the rule's page, written on first use (atomically: two jobs may write it at once)."""
    page = os.path.join(docs_dir(), f"{rule_id}.md")
    if not os.path.isfile(page) and rule_id in rules:
        from .docs import markdown

        try:
            os.makedirs(os.path.dirname(page), exist_ok=True)
            tmp = f"{page}.{os.getpid()}.{threading.get_ident()}.tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(markdown(rules[rule_id]))
            os.replace(tmp, page)
        except OSError:
            pass
    return path_uri(page)


def _stamp(path: str | None) -> tuple:
    if path is None:
        return ()
    try:
        st = os.stat(path)
        return (st.st_size, st.st_mtime_ns)
    except OSError:
        return ()


def _is_text(uri: str, language_id: str = "") -> bool:
    return uri.lower().endswith(TEXT_SUFFIXES) or language_id in ("markdown", "plaintext")


def _internal(e: Exception) -> dict:
    return {"range": _range(_pos(0, 0)), "source": SOURCE, "code": "E099", "severity": 1,
            "message": f"E099 内部错误（{type(e).__name__}: {e}），请报告给 gxlint 开发者"}


def _log(text: str) -> None:
    print(f"gxlint lsp: {text}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------- handlers
def _object(value) -> dict:
    """``value`` when it is a JSON object, else an empty one (a client's field of another type)."""
    return value if isinstance(value, dict) else {}


def initialize(ls: GxServer, params: dict):
    ls.client_capabilities = _object(params.get("capabilities"))
    offered = _object(ls.client_capabilities.get("general")).get("positionEncodings")
    ls.encoding = next((e for e in offered if e in ENCODINGS), "utf-16") if isinstance(offered, list) else "utf-16"
    ls.initialized = True
    return {"capabilities": {"positionEncoding": ls.encoding, **CAPABILITIES},
            "serverInfo": {"name": "gxlint", "version": __version__}}


def initialized(ls: GxServer, params: dict) -> None:
    watched = _object(_object(ls.client_capabilities.get("workspace")).get("didChangeWatchedFiles"))
    if watched.get("dynamicRegistration"):
        ls.request("client/registerCapability", {"registrations": [{
            "id": "gxlint-watched-files", "method": "workspace/didChangeWatchedFiles",
            "registerOptions": {"watchers": [{"globPattern": g} for g in WATCHED]}}]})


def shutdown(ls: GxServer, params) -> None:
    ls.shutdown = True
    return None


def did_open(ls: GxServer, params: dict):
    item = params["textDocument"]
    uri = item["uri"]
    if _is_text(uri, item.get("languageId", "")):
        ls.documents[uri] = Document(uri, item.get("text", ""), item.get("version"), item.get("languageId", ""))
        ls.lint_text(uri)
    elif uri.lower().endswith(".docx"):
        ls.publish_file(uri)


def did_change(ls: GxServer, params: dict) -> None:
    ident = params["textDocument"]
    doc = ls.documents.get(ident["uri"])
    if doc is None:
        return
    for change in params.get("contentChanges") or ():
        doc.apply(change, ls.encoding)
    doc.version = ident.get("version", doc.version)
    ls.lint_text(doc.uri)


def did_save(ls: GxServer, params: dict) -> None:
    uri = params["textDocument"]["uri"]
    if uri.rsplit("/", 1)[-1] in CONFIG_NAMES:
        ls.relint_open_documents()
    elif uri in ls.documents:
        ls.lint_text(uri)


def did_close(ls: GxServer, params: dict) -> None:
    uri = params["textDocument"]["uri"]
    ls.documents.pop(uri, None)
    ls.publish(uri, [])


def code_action(ls: GxServer, params: dict) -> list[dict]:
    actions = []
    uri = params["textDocument"]["uri"]
    for d in (params.get("context") or {}).get("diagnostics") or ():
        data = d.get("data")
        if d.get("source") != SOURCE or not isinstance(data, dict) or data.get("fix") is None:
            continue
        fix = data["fix"]
        actions.append({"title": data.get("title") or f"改为「{fix}」", "kind": "quickfix", "diagnostics": [d],
                        "isPreferred": True, "edit": {"changes": {uri: [{"range": d["range"], "newText": fix}]}}})
    return actions


def watched(ls: GxServer, params: dict) -> None:
    configs = False
    # A client may report one change twice (its own watcher and ours): one lint per file.
    for ev in {ev["uri"]: ev for ev in params.get("changes") or ()}.values():
        name = ev["uri"].rsplit("/", 1)[-1]
        if name in CONFIG_NAMES:
            configs = True
        elif ev["uri"].lower().endswith(".docx") and not name.startswith("~$"):
            if ev.get("type") == 3:  # FileChangeType.Deleted
                ls.publish(ev["uri"], [])
            else:
                ls.publish_file(ev["uri"])
    if configs:
        ls.relint_open_documents()


def execute_command(ls: GxServer, params: dict):
    command = params.get("command")
    if command != "gxlint.lintFile":
        raise ValueError(f"未知的命令 {command}")
    return lint_file_command(ls, *(params.get("arguments") or ()))


def lint_file_command(ls: GxServer, *args):
    """Lint a file on disk; argument: its URI or path.  Answers the number of diagnostics,
    once they are published."""
    target = args[0] if args else None
    if isinstance(target, list):  # some clients wrap the arguments once more
        target = target[0] if target else None
    if isinstance(target, dict):
        target = target.get("uri") or target.get("path")
    if not isinstance(target, str) or not target:
        ls.show_message("gxlint.lintFile：请给出要检查的文件（URI 或路径）")
        return None
    uri = target if "://" in target else path_uri(os.path.abspath(target))
    return Pending(lambda respond: ls.publish_file(uri, then=respond))


REQUESTS = {"initialize": initialize, "shutdown": shutdown, "textDocument/codeAction": code_action,
            "workspace/executeCommand": execute_command}
NOTIFICATIONS = {"initialized": initialized, "textDocument/didOpen": did_open, "textDocument/didChange": did_change,
                 "textDocument/didSave": did_save, "textDocument/didClose": did_close,
                 "workspace/didChangeWatchedFiles": watched}


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
    """Serve over stdio with :class:`Framing`: a reader thread frames the messages and puts
    them in the server's inbox; the end of input ends the server.  Returns the exit status."""
    import json

    stdin = stdin or sys.stdin.buffer
    stdout = stdout or sys.stdout.buffer

    def send(message: dict) -> None:  # from the main thread only
        try:
            body = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate (from a \ud800 escape in a document): escaped
            body = json.dumps(message, separators=(",", ":")).encode("ascii")
        stdout.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        stdout.flush()

    server = GxServer(send)

    def read() -> None:
        try:
            for body, problem in Framing(stdin).messages():
                if problem is not None:
                    _log(f"通信格式错误：{problem}，已跳到下一条消息")
                else:
                    server.inbox.put(("message", body))
        except Exception as e:  # noqa: BLE001 - a broken input pipe ends the server
            _log(f"读取输入出错（{type(e).__name__}），退出")
        server.inbox.put(("end",))

    threading.Thread(target=read, name="gxlint-lsp-reader", daemon=True).start()
    try:
        while True:
            item = server.inbox.get()
            if item[0] == "end":
                return 0
            try:
                server.dispatch(item)
            except SystemExit as e:  # the exit notification
                return e.code if isinstance(e.code, int) else 0
            except Exception as e:  # noqa: BLE001 - never a dead server
                _log(f"处理消息出错（{type(e).__name__}: {e}）")
    except (KeyboardInterrupt, BrokenPipeError):
        return 1


def main() -> None:
    """``gxlint lsp``.  The process ends when the input ends or on ``exit``, even with a lint
    job still running in a worker thread (os._exit: nothing waits for it)."""
    code = serve()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)
