"""`gxlint lsp` spoken to in raw bytes: malformed framings never kill it nor leave it deaf.

Each test writes bytes to the server's standard input as a broken or hostile client
would, then a well-formed request, and waits (with a timeout: a hang guard) for that
request's answer.  The server runs under a 500 MB address-space limit, so a
``Content-Length`` of 10**11 cannot be honoured by allocating it.
"""
import json
import os
import queue
import resource
import subprocess
import sys
import threading

import pytest

TIMEOUT = 60  # seconds to wait for one answer: a hang guard, not a speed check
ADDRESS_SPACE = 500 * 2**20


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def frame(obj) -> bytes:
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def request(id_, method, params=None) -> dict:
    return {"jsonrpc": "2.0", "id": id_, "method": method, "params": params}


INITIALIZE = request(1, "initialize", {"processId": None, "rootUri": None, "capabilities": {}})


class Server:
    def __init__(self, tmp_path):
        env = {**os.environ, "GXLINT_CACHE_DIR": str(tmp_path / "cache")}
        self.proc = subprocess.Popen([sys.executable, "-m", "gxlint", "lsp"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path, env=env,
                                     preexec_fn=_limit_memory)
        self.messages: queue.Queue = queue.Queue()
        self.skipped: list = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
                elif line == b"\r\n":
                    break
            self.messages.put(json.loads(out.read(length).decode("utf-8")))  # strict, as a client is

    def send(self, data: bytes):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def _next(self, wanted):
        for i, msg in enumerate(self.skipped):
            if wanted(msg):
                return self.skipped.pop(i)
        while True:
            msg = self.messages.get(timeout=TIMEOUT)
            assert msg is not None, f"the server ended: {self.stderr()}"
            if wanted(msg):
                return msg
            self.skipped.append(msg)

    def answer(self, id_):
        """The response to request `id_` (other messages are kept for later)."""
        return self._next(lambda m: m.get("id") == id_ and "method" not in m)

    def notification(self, method):
        return self._next(lambda m: m.get("method") == method)

    def stderr(self) -> str:
        if self.proc.poll() is None:
            return ""
        return self.proc.stderr.read().decode(errors="replace")

    def exit(self) -> int:
        self.send(frame(request(999, "shutdown")))
        assert self.answer(999).get("error") is None
        self.send(frame({"jsonrpc": "2.0", "method": "exit"}))
        return self.proc.wait(timeout=TIMEOUT)


@pytest.fixture
def server(tmp_path):
    s = Server(tmp_path)
    s.send(frame(INITIALIZE))
    assert "capabilities" in s.answer(1)["result"]
    s.send(frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
    yield s
    if s.proc.poll() is None:
        s.proc.kill()
        s.proc.wait()


def _alive(server, id_):
    """The server answers a well-formed request after the bad bytes."""
    server.send(frame(request(id_, "workspace/executeCommand", {"command": "gxlint.lintFile", "arguments": []})))
    assert server.answer(id_).get("error") is None


def test_huge_content_length_is_refused_not_allocated(server):
    server.send(b"Content-Length: 99999999999\r\n\r\n{}")
    _alive(server, 2)
    assert server.exit() == 0
    assert "消息过大" in server.stderr()


@pytest.mark.parametrize("header", [
    b"Content-Type: application/json\r\n\r\n",  # no Content-Length at all
    b"Content-Length: twelve\r\n\r\n",
    b"Content-Length: -5\r\n\r\n",
    b"this is not a header\r\n",
    b"\x00\xff\xfe garbage without a line break" * 1000,  # longer than a header line may be
])
def test_header_without_valid_content_length_resynchronises(server, header):
    server.send(header + b'{"jsonrpc": "2.0", "id": 77, "method": "shutdown"}')
    _alive(server, 3)
    assert server.exit() == 0


def test_body_shorter_than_declared_does_not_swallow_the_next_message(server):
    body = json.dumps(request(4, "workspace/executeCommand", {"command": "gxlint.lintFile"})).encode()
    server.send(b"Content-Length: %d\r\n\r\n" % (len(body) + 500) + body)  # 500 bytes that never come
    _alive(server, 5)
    assert server.exit() == 0
    assert "短于" in server.stderr()


def test_a_declared_length_followed_by_garbage_skips_to_the_next_header(server):
    """``Content-Length: 10`` and then garbage (issue 31: the server stayed alive but deaf): the
    ten bytes are a message that is no JSON, what follows is skipped up to the next line starting
    with Content-Length, and the server answers the request there; so for garbage shorter than
    declared, garbage holding line breaks or header-like lines, and 100 KB without a line break."""
    garbage = [
        b"\x00\xff\xfe not json, and longer than ten bytes\r\nX: y\r\n\r\n{]",
        b"abc",  # shorter than declared: the next header comes first
        bytes(range(256)) * 400,  # 100 KB, no header in it
        b"Content-Length: 99\r\nContent-Length: 5\r\n\r\n",  # headers that lie again
        b"\r\n\r\n\r\n" + b"Content-Length: -1\r\n\r\n",
    ]
    for i, junk in enumerate(garbage):
        server.send(b"Content-Length: 10\r\n\r\n" + junk)
        _alive(server, 100 + i)
    assert server.exit() == 0


def test_body_that_is_not_json_gets_a_parse_error(server):
    server.send(b"Content-Length: 9\r\n\r\n{not json")
    assert server.answer(None)["error"]["code"] == -32700
    _alive(server, 6)
    assert server.exit() == 0


def test_end_of_input_ends_the_server(server):
    server.send(b"Content-Length: 10\r\n\r\n{")  # a cut message, then the client is gone
    server.proc.stdin.close()
    assert server.proc.wait(timeout=TIMEOUT) == 0


@pytest.mark.slow
def test_lint_file_on_a_fifo_never_blocks_the_server(server, tmp_path):
    """A FIFO named like a report is refused (E013) without being opened: opening it would
    block a worker thread for ever, and then `exit` could not end the process."""
    fifo = tmp_path / "report.docx"
    os.mkfifo(fifo)
    server.send(frame(request(7, "workspace/executeCommand",
                              {"command": "gxlint.lintFile", "arguments": [fifo.as_uri()]})))
    assert server.answer(7)["result"] == 1
    diags = server.notification("textDocument/publishDiagnostics")["params"]["diagnostics"]
    assert [d["code"] for d in diags] == ["E013"]
    _alive(server, 8)
    assert server.exit() == 0


@pytest.mark.slow
def test_a_document_too_large_for_a_report_gets_one_diagnostic(server, tmp_path):
    """A million lines typed (or pasted) into the editor: E006 at once, not minutes of rules."""
    uri = (tmp_path / "big.md").as_uri()
    server.send(frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "markdown", "version": 1, "text": "x\n" * 1_000_000}}}))
    diags = server.notification("textDocument/publishDiagnostics")["params"]["diagnostics"]
    assert [d["code"] for d in diags] == ["E006"]
    _alive(server, 9)
    assert server.exit() == 0


@pytest.mark.slow
def test_well_framed_nonsense_gets_errors_not_a_dead_server(server, tmp_path):
    """JSON of the wrong shape: a request is answered with an error, a notification is dropped
    (one line on standard error), and the server goes on."""
    uri = (tmp_path / "r.md").as_uri()
    note = lambda method, params: frame({"jsonrpc": "2.0", "method": method, "params": params})  # noqa: E731
    server.send(frame([1, 2, 3]))  # a JSON array (a batch): not supported
    assert server.answer(None)["error"]["code"] == -32600
    server.send(note("textDocument/didOpen", None))
    server.send(note("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown",
                                                                "version": 1, "text": "# 报告\n"}}))
    server.notification("textDocument/publishDiagnostics")
    server.send(note("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                                "contentChanges": [{"range": "everywhere", "text": 5}]}))
    server.send(note("textDocument/didChange", {"textDocument": {"uri": (tmp_path / "never-opened.md").as_uri(),
                                                                 "version": 2}, "contentChanges": [{"text": "x"}]}))
    server.send(frame(request(50, "textDocument/codeAction", {"textDocument": {}})))
    assert server.answer(50)["error"]["code"] == -32602
    server.send(frame(request(51, "no/such/method", {})))
    assert server.answer(51)["error"]["code"] == -32601
    server.send(frame(request(52, "workspace/executeCommand", {"command": "no.such.command"})))
    assert server.answer(52)["error"]["code"] == -32602
    _alive(server, 53)
    assert server.exit() == 0


@pytest.mark.slow
def test_requests_before_initialize_and_exit_without_shutdown(tmp_path):
    s = Server(tmp_path)
    try:
        s.send(frame(request(1, "textDocument/codeAction", {})))
        assert s.answer(1)["error"]["code"] == -32002  # ServerNotInitialized
        s.send(frame(INITIALIZE))
        assert s.answer(1)["result"]["capabilities"]["positionEncoding"] == "utf-16"
        s.send(frame({"jsonrpc": "2.0", "method": "exit"}))
        assert s.proc.wait(timeout=TIMEOUT) == 1  # exit before shutdown: status 1, as the protocol says
    finally:
        if s.proc.poll() is None:
            s.proc.kill()
            s.proc.wait()


@pytest.mark.slow
def test_a_lone_surrogate_in_a_document_is_sent_back_escaped(server, tmp_path):
    """JSON may carry a lone surrogate (\\ud800), which UTF-8 cannot: the server's message
    stays valid UTF-8 JSON."""
    uri = (tmp_path / "r.md").as_uri()
    body = ('{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": "%s", '
            '"languageId": "markdown", "version": 1, "text": "# \\u4e00\\u3001\\u4fdd\\u62a4\\u7b2c\\u4e09\\u65b9'
            '\\u6cd5\\u6743\\u76ca\\ud800\\n"}}}' % uri).encode()
    server.send(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    assert server.notification("textDocument/publishDiagnostics")["params"]["uri"] == uri
    _alive(server, 2)
    assert server.exit() == 0
