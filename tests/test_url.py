"""Tests for linting a report by its address (gxlint/fetch.py and the CLI's URLs / --urls).

No network: a local HTTP server on 127.0.0.1 serves the fixtures -- a report page
in GBK (the charset only in the HTTP header: the page itself says UTF-8), a page
that is only a list of links to the report's PDF, a 404, a redirect loop, a 50 MB
response (with and without Content-Length), a page with no report and a server
that never answers.  The reports give the findings of the same report read from a
file; each failure is one E0xx line; nothing hangs.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import SEED_FILES
from htmlbuild import seed_html
from pdfbuild import seed_pdf

SEED = SEED_FILES[4]
LINKS = """<html><head><meta charset="utf-8"><title>年度报告</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/zwgk/">政务公开</a> <a href="/hdjl/">互动交流</a></div>
<h1>XX市司法局2024年政府信息公开工作年度报告</h1><p>发布时间：2025-01-20</p>
<p>附件：<a href="/files/%E7%94%B3%E8%AF%B7%E8%A1%A8.doc">政府信息公开申请表.doc</a></p>
<p><a href="files/2024ndbg.pdf?v=2">XX市司法局2024年政府信息公开工作年度报告.pdf</a></p>
<footer>网站标识码 1234567890 <a href="/about">关于我们</a></footer></body></html>"""
EMPTY = """<html><body><div><a href="/">首页</a> <a href="/list">返回列表</a></div><p>页面已删除。</p></body></html>"""
BIG = 50 * 1024 * 1024


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    d = tmp_path_factory.mktemp("site")
    page = seed_html(SEED, d / "page.html", encoding="gbk", charset="utf-8")  # the header tells the truth
    pdf = seed_pdf(SEED, d / "2024ndbg.pdf")
    release = threading.Event()
    routes = {
        "/2024ndbg.html": ("text/html; charset=GBK", page.read_bytes()),
        "/list.html": ("text/html; charset=utf-8", LINKS.encode()),
        "/files/2024ndbg.pdf": ("application/pdf", pdf.read_bytes()),
        "/empty.html": ("text/html; charset=utf-8", EMPTY.encode()),
    }

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            path = self.path.split("?")[0]
            try:
                if path in routes:
                    ctype, data = routes[path]
                    self.send_response(200)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                elif path in ("/loop-a", "/loop-b"):
                    self.send_response(302)
                    self.send_header("Location", "/loop-b" if path == "/loop-a" else "/loop-a")
                    self.end_headers()
                elif path.startswith("/huge"):
                    self.send_response(200)
                    self.send_header("Content-Type", "application/pdf")
                    if path == "/huge-declared.pdf":
                        self.send_header("Content-Length", str(BIG))
                    self.end_headers()
                    chunk = b"%PDF-1.4\n" + b"0" * (1024 * 1024 - 9)
                    for _ in range(BIG // len(chunk)):
                        self.wfile.write(chunk)
                elif path == "/silent.html":
                    release.wait(120)  # never answers (until the tests end)
                else:
                    self.send_error(404, "Not Found")
            except (BrokenPipeError, ConnectionResetError):
                pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", page, pdf
    release.set()
    httpd.shutdown()
    httpd.server_close()


def run_cli(*args, env=None):
    env = {**os.environ, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1", **(env or {})}
    p = subprocess.run([sys.executable, "-m", "gxlint", *map(str, args)], capture_output=True, text=True,
                       env=env, timeout=300)
    return p.returncode, p.stdout, p.stderr


def test_gbk_page_is_linted_as_the_saved_page(server, linter):
    base, page, _ = server
    url = f"{base}/2024ndbg.html"
    rc, out, err = run_cli(url, "--format", "json")
    assert "Traceback" not in err
    (got,) = json.loads(out)["files"]
    assert got["path"] == url and not got.get("error"), got
    want = linter.lint_path(str(page)).findings
    assert Counter((f["rule"], f["excerpt"]) for f in got["findings"]) == Counter((f.rule, f.excerpt) for f in want)
    assert len(want) >= 5


def test_header_charset_wins(server):
    """The page says UTF-8 but is GBK, as its HTTP header says: handed on as UTF-8 with a BOM."""
    from gxlint.fetch import get

    os.environ.setdefault("NO_PROXY", "127.0.0.1")
    got = get(f"{server[0]}/2024ndbg.html")
    assert got.name == "2024ndbg.html" and got.data.startswith(b"\xef\xbb\xbf")
    assert got.data[3:].decode("utf-8") == server[1].read_bytes().decode("gbk")


@pytest.mark.slow
def test_link_list_page_lints_the_attached_pdf(server, linter):
    base, _, pdf = server
    rc, out, err = run_cli(f"{base}/list.html")
    assert rc == 1, err
    lines = out.strip().splitlines()
    assert all(ln.startswith(f"{base}/files/2024ndbg.pdf?v=2:") for ln in lines), out
    want = Counter(f.rule for f in linter.lint_path(str(pdf)).findings)
    assert Counter(ln.split(": ")[2].split()[0] for ln in lines) == want
    assert any("[第6页 " in ln for ln in lines)  # PDF locations, pages and all


@pytest.mark.parametrize("path, code, words", [
    ("/missing.html", "E031", "404"),
    ("/loop-a", "E033", "重定向"),
    ("/huge.pdf", "E032", "过大"),
    ("/huge-declared.pdf", "E032", "过大"),
    ("/empty.html", "E034", "没有报告"),
], ids=["404", "redirect-loop", "50MB", "50MB-declared", "no-report"])
def test_failures_are_one_line_each(server, path, code, words):
    url = server[0] + path
    rc, out, err = run_cli(url)
    assert rc == 2 and "Traceback" not in err, (out, err)
    assert out.count("\n") == 1 and out.startswith(f"{url}: error: {code} ") and words in out, out


@pytest.mark.slow
def test_silent_server_times_out(server):
    url = server[0] + "/silent.html"
    rc, out, err = run_cli(url, env={"GXLINT_FETCH_TIMEOUT": "2"})
    assert rc == 2 and out.startswith(f"{url}: error: E031 ") and "超时" in out, (out, err)


@pytest.mark.slow
def test_urls_file_is_a_batch(server, tmp_path):
    base = server[0]
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# 2024 年报\n{base}/2024ndbg.html\n\n{base}/missing.html\n{base}/list.html\n"
                       f"{base}/loop-a\n{base}/huge.pdf\n", encoding="utf-8")
    summary = tmp_path / "summary.html"
    rc, out, err = run_cli("--urls", listing, "--report", summary)
    assert rc == 1 and "Traceback" not in err, err
    errors = [ln for ln in out.splitlines() if ": error: E0" in ln]
    assert [ln.split(": ")[0] for ln in errors] == [f"{base}/missing.html", f"{base}/loop-a", f"{base}/huge.pdf"]
    assert [ln.split(": ")[2].split()[0] for ln in errors] == ["E031", "E033", "E032"]
    assert any(ln.startswith(f"{base}/2024ndbg.html:") for ln in out.splitlines())
    assert any(ln.startswith(f"{base}/files/2024ndbg.pdf?v=2:") for ln in out.splitlines())
    page = summary.read_text(encoding="utf-8")
    assert f"{base}/2024ndbg.html" in page and "E033" in page


def test_urls_file_with_a_non_url_is_e022(tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text("ftp://example.invalid/r.pdf\n", encoding="utf-8")
    rc, out, err = run_cli("--urls", listing)
    assert rc == 2 and "E022" in err


def test_fix_is_refused_for_urls(server):
    rc, out, err = run_cli(f"{server[0]}/2024ndbg.html", "--fix")
    assert rc == 2 and "E022" in err


def test_no_download_left_behind(server, tmp_path):
    """The fetched files live in a private temporary folder, removed when gxlint ends (the test's
    own temporary folder, which no other gxlint on the machine writes to)."""
    own = tmp_path / "tmp"
    own.mkdir()
    rc, out, _ = run_cli(f"{server[0]}/list.html", env={"TMPDIR": str(own)})
    assert out and rc in (0, 1)
    assert os.listdir(own) == []
