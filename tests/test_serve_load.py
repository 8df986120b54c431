"""gxlint serve under load and on the wire: benchmarks/serve_load.py in a small run (clients at once
on 127.0.0.1, every answer equal to `gxlint --format json`, memory flat from one round to the
next), and the upload limit as uvicorn serves it (413 before the body is sent whole)."""
from __future__ import annotations

import re
import select
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from serving import server

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


def test_the_load_benchmark_answers_every_client_right(tmp_path):
    pytest.importorskip("starlette", reason="gxlint[serve] is not installed: pip install -e '.[test]'")
    p = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "serve_load.py"), "--clients", "6", "--reports", "4",
                        "--rounds", "3", "--workers", "2"], capture_output=True, text=True, timeout=900, cwd=tmp_path)
    rows = dict(re.findall(r"^\| (.+?) \| (.+?) \| .*\|$", p.stdout, re.M))
    assert p.returncode == 0, p.stdout + p.stderr
    assert rows["wrong answers (status or text unlike `gxlint --format json`)"] == "0"
    for r in (1, 2, 3):
        assert re.fullmatch(r"\d+\.\d", rows[f"round {r}: 6 clients x 4 reports, reports/s"])
        assert re.fullmatch(r"[1-9]\d* MB", rows[f"round {r}: peak memory of the server's process tree (PSS)"])
    assert float(rows["peak memory, round 3 / round 1"]) <= 1.2  # the same load again: no growth


def _request(headers: str) -> bytes:
    return ("POST /api/lint HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n").encode()


def _answer(sock) -> tuple[int, bytes]:
    """(status, body) of the response on ``sock`` (read up to its Content-Length)."""
    data = b""
    while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < _length(data):
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return int(data.split(b" ", 2)[1]), data.split(b"\r\n\r\n", 1)[1]


def _length(data: bytes) -> int:
    m = re.search(rb"(?im)^content-length: *(\d+)", data.split(b"\r\n\r\n", 1)[0])
    return int(m.group(1)) if m else 0


def test_the_upload_limit_holds_on_the_wire(tmp_path):
    """A declared Content-Length over the limit: 413 with no byte of the body sent.  A chunked body
    with no length: 413 once the limit is passed, while most of it is still unsent."""
    pytest.importorskip("starlette", reason="gxlint[serve] is not installed: pip install -e '.[test]'")
    boundary = "b0undary"
    ctype = f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\r\n").encode()
    with server("--workers", "1", "--max-upload-mb", "0.1", cwd=tmp_path) as (address, _):
        port = int(address.rsplit(":", 1)[1].strip("/"))
        with socket.create_connection(("127.0.0.1", port), timeout=120) as sock:
            sock.sendall(_request(ctype + "Content-Length: 104857600\r\n"))
            status, body = _answer(sock)
            assert status == 413 and b'"code":"E041"' in body
        with socket.create_connection(("127.0.0.1", port), timeout=120) as sock:
            sock.sendall(_request(ctype + "Transfer-Encoding: chunked\r\n"))
            piece = head + b"x" * (64 * 1024 - len(head))
            total, sent = 400, 0  # 25 MiB offered, far more than the socket buffers take
            for _ in range(total):
                if select.select([sock], [], [], 0)[0]:  # the answer came: stop sending
                    break
                try:
                    sock.sendall(b"%x\r\n" % len(piece) + piece + b"\r\n")
                except OSError:  # the server closed the connection after answering
                    break
                sent += 1
                piece = b"x" * (64 * 1024)
            status, body = _answer(sock)
            assert status == 413 and b'"code":"E041"' in body and sent < total
