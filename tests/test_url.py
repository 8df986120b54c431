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


# ------------------------------------------------------------------ hostile servers (issue 31)
# What a page or server may try: links and redirects to file:// and ftp://, a server that trickles
# a byte at a time (the body, or the status line itself), a redirect whose body is 50 MB, headers
# that break a naive client (a charset that is no text encoding, a 3,000-character file name),
# malformed IPv6 addresses, and a page of 250,000 links.  What is checked is what was fetched
# (the server's log of requests and of bytes it got out), never how long it took.

TRICKLE = 400  # bytes a trickling server would send, one every 0.25 s (100 s): the deadline cuts it


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """(base address, the log of paths requested, the bytes each trickling or redirecting response
    got out before the client closed, the address of an "FTP" port that records connections, the
    local report a file:// link names, the report page)."""
    import socket

    d = tmp_path_factory.mktemp("hostile")
    page = seed_html(SEED, d / "page.html")  # UTF-8, as its <meta> says
    draft = d / "draft.txt"  # a local report with findings: a page must not make gxlint read it
    draft.write_bytes(SEED.read_bytes())
    ftp = socket.socket()
    ftp.bind(("127.0.0.1", 0))
    ftp.listen(8)
    ftp.settimeout(0.2)
    ftp_connections: list = []
    stop = threading.Event()

    def ftp_accept():
        while not stop.is_set():
            try:
                conn, _ = ftp.accept()
            except OSError:
                continue
            ftp_connections.append(1)
            conn.close()

    threading.Thread(target=ftp_accept, daemon=True).start()
    ftp_url = f"ftp://127.0.0.1:{ftp.getsockname()[1]}"
    log: list[str] = []
    sent: dict[str, int] = {}
    many = "".join(f'<li><a href="/files/{i}.pdf">附件{i}</a></li>\n' for i in range(250_000))
    pages = {
        "/file-link.html": f'<html><body><p><a href="file://{draft}">XX市2024年政府信息公开工作年度报告.pdf</a>'
                           f'</p><p><a href="{draft.as_uri()}.pdf">下载</a></p></body></html>',
        "/ftp-link.html": f'<html><body><p><a href="{ftp_url}/2024ndbg.pdf">2024年度报告.pdf</a></p></body></html>',
        "/ipv6-link.html": '<html><body><p><a href="http://[::1/2024ndbg.pdf">2024年度报告.pdf</a></p></body></html>',
        "/many-links.html": f"<html><body><ul>\n{many}</ul></body></html>",
    }

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def page(self, data: bytes, ctype="text/html; charset=utf-8", **headers):
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers.items():
                self.send_header(k.replace("_", "-"), v)
            self.end_headers()
            self.wfile.write(data)

        def redirect(self, where: str, body: int = 0):
            self.send_response(302)
            self.send_header("Location", where)
            if body:
                self.send_header("Content-Length", str(body))
            self.end_headers()
            chunk = b"z" * 2**20
            for _ in range(body // len(chunk)):
                self.wfile.write(chunk)
                sent[self.path] = sent.get(self.path, 0) + len(chunk)

        def do_GET(self):  # noqa: N802
            log.append(self.path)
            path = self.path
            try:
                if path in pages:
                    self.page(pages[path].encode())
                elif path == "/report.html":
                    self.page(page.read_bytes())
                elif path.startswith("/charset/"):  # a charset that is no text encoding, or that fails
                    self.page(page.read_bytes(), f"text/html; charset={path.rsplit('/', 1)[1]}")
                elif path == "/long-name":
                    self.page(page.read_bytes(), Content_Disposition="attachment; filename*=UTF-8''"
                              + "%E5%B9%B4" * 3000 + ".html")
                elif path == "/files/0.pdf":
                    self.page(seed_pdf(SEED, d / "0.pdf").read_bytes(), "application/pdf")
                elif path == "/trickle-body":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.end_headers()
                    self.trickle()
                elif path == "/trickle-status":
                    self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                    self.trickle()
                elif path == "/redirect-file":
                    self.redirect(draft.as_uri())
                elif path == "/redirect-ftp":
                    self.redirect(f"{ftp_url}/2024ndbg.pdf")
                elif path == "/redirect-ipv6":
                    self.redirect("http://[::1/report.html")
                elif path == "/redirect-heavy":
                    self.redirect("/report.html", body=50 * 2**20)
                else:
                    self.send_error(404, "Not Found")
            except (BrokenPipeError, ConnectionResetError):
                pass

        def trickle(self):
            for _ in range(TRICKLE):
                self.wfile.write(b"a")
                self.wfile.flush()
                sent[self.path] = sent.get(self.path, 0) + 1
                if stop.wait(0.25):
                    return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield base, log, sent, ftp_connections, draft, page
    stop.set()
    httpd.shutdown()
    httpd.server_close()
    ftp.close()


def error_line(out: str, url: str) -> str:
    (line,) = [ln for ln in out.splitlines() if ln.startswith(f"{url}: error: ")]
    return line.removeprefix(f"{url}: error: ")


def test_file_links_on_a_page_are_not_followed(hostile):
    """A page whose only attachment links are file:// addresses: E034 naming the link; the local
    report they name is never read (its findings would show)."""
    base, log, *_ = hostile
    url = f"{base}/file-link.html"
    rc, out, err = run_cli(url)
    assert rc == 2 and "Traceback" not in err, err
    assert out.count("\n") == 1, out
    line = error_line(out, url)
    assert line.startswith("E034 ") and "file://" in line and "http" in line, line


def test_ftp_links_and_redirects_are_never_connected_to(hostile):
    base, log, _, ftp_connections, *_ = hostile
    rc, out, err = run_cli(f"{base}/ftp-link.html", f"{base}/redirect-ftp")
    assert rc == 2 and "Traceback" not in err, err
    assert error_line(out, f"{base}/ftp-link.html").startswith("E034 ")
    assert error_line(out, f"{base}/redirect-ftp").startswith("E033 ")
    assert ftp_connections == []


def test_a_redirect_to_a_local_file_is_refused(hostile):
    base = hostile[0]
    rc, out, err = run_cli(f"{base}/redirect-file")
    assert rc == 2 and "Traceback" not in err and out.count("\n") == 1, out + err
    assert error_line(out, f"{base}/redirect-file").startswith("E033 ")


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/trickle-body", "/trickle-status"])
def test_the_fetch_timeout_is_a_deadline_for_the_whole_transfer(hostile, path):
    """A server that sends a byte every quarter of a second never lets a read time out; the
    deadline (GXLINT_FETCH_TIMEOUT=2) ends the download anyway: the server got only a part of its
    bytes out before gxlint hung up."""
    base, _, sent, *_ = hostile
    rc, out, err = run_cli(f"{base}{path}", env={"GXLINT_FETCH_TIMEOUT": "2"})
    assert rc == 2 and "Traceback" not in err, err
    line = error_line(out, f"{base}{path}")
    assert line.startswith("E031 ") and "超时" in line, line
    assert 0 < sent[path] < TRICKLE


def test_the_body_of_a_redirect_is_not_read(hostile):
    """A redirect with a 50 MB body: gxlint follows the Location without reading the body (the
    server could not write it all out) and lints the page it leads to."""
    base, _, sent, *_ = hostile
    rc, out, err = run_cli(f"{base}/redirect-heavy", "--format", "json")
    assert "Traceback" not in err, err
    (got,) = json.loads(out)["files"]
    assert not got.get("error") and got["findings"], got
    assert sent.get("/redirect-heavy", 0) < 50 * 2**20


@pytest.mark.parametrize("charset", ["idna", "undefined", "rot13", "x" * 500, "%22utf-8%00%22"])
def test_a_charset_header_that_is_no_text_encoding_leaves_the_page_to_its_meta(hostile, linter, charset):
    base, *_, page = hostile
    url = f"{base}/charset/{charset}"
    rc, out, err = run_cli(url, "--format", "json")
    assert "Traceback" not in err, err
    (got,) = json.loads(out)["files"]
    assert not got.get("error"), got
    want = linter.lint_path(str(page)).findings
    assert Counter(f["rule"] for f in got["findings"]) == Counter(f.rule for f in want)


def test_a_file_name_of_3000_characters_is_cut_not_a_traceback(hostile, linter):
    from gxlint.fetch import MAX_NAME, get

    base, *_, page = hostile
    got = get(f"{base}/long-name")
    assert got.name.endswith(".html") and len(got.name.encode()) <= MAX_NAME and got.name.startswith("年年")
    rc, out, err = run_cli(f"{base}/long-name", "--format", "json")
    assert "Traceback" not in err, err
    (result,) = json.loads(out)["files"]
    assert not result.get("error") and len(result["findings"]) == len(linter.lint_path(str(page)).findings)


def test_malformed_ipv6_addresses_are_one_line_each_and_the_batch_goes_on(hostile, tmp_path):
    """In an argument, in --urls, as a page's attachment link or in a redirect: each is its
    address's E0xx line, and the good page of the same list is linted."""
    base = hostile[0]
    listing = tmp_path / "urls.txt"
    listing.write_text(f"http://[::1/2024ndbg.html\n{base}/ipv6-link.html\n{base}/redirect-ipv6\n"
                       f"http://127.0.0.1:99999/r.html\n{base}/report.html\n", encoding="utf-8")
    rc, out, err = run_cli("--urls", listing, "http://[fe80::1%zz/r.pdf")
    assert rc == 1 and "Traceback" not in err, err
    assert error_line(out, "http://[::1/2024ndbg.html").startswith("E031 ")
    assert error_line(out, f"{base}/ipv6-link.html").startswith("E034 ")
    assert error_line(out, f"{base}/redirect-ipv6").startswith(("E031 ", "E033 "))
    assert error_line(out, "http://127.0.0.1:99999/r.html").startswith("E031 ")
    assert any(ln.startswith(f"{base}/report.html:") and ": error: E0" not in ln for ln in out.splitlines()), out


@pytest.mark.slow
def test_a_page_of_250000_links_resolves_only_the_chosen_one(monkeypatch):
    """Choosing the attachment of a page is one pass over it: of 250,000 attachment links only
    the first few are resolved (the old way removed each link's text from the page's, a copy of
    the page per link)."""
    from gxlint import fetch

    many = "".join(f'<li><a href="/files/{i}.pdf">附件{i}</a></li>\n' for i in range(250_000))
    page = fetch.Fetched("http://127.0.0.1/list.html", "list.html",
                         f"<html><body><p>附件列表</p><ul>{many}</ul></body></html>".encode())
    resolved = []
    real = fetch.checked_url
    monkeypatch.setattr(fetch, "checked_url", lambda url, *a: resolved.append(url) or real(url, *a))
    text, link, refused = fetch._links(page)
    assert (text, link, refused) == (4, "http://127.0.0.1/files/0.pdf", None)
    assert resolved == ["http://127.0.0.1/files/0.pdf"]


@pytest.mark.slow
def test_a_page_of_250000_links_fetches_its_first_attachment_only(hostile):
    base, log, *_ = hostile
    del log[:]
    rc, out, err = run_cli(f"{base}/many-links.html")
    assert rc == 1 and "Traceback" not in err, err
    assert log == ["/many-links.html", "/files/0.pdf"]
    assert all(ln.startswith(f"{base}/files/0.pdf:") for ln in out.splitlines()), out


@pytest.mark.parametrize("special", ["fifo", "/dev/zero"])
def test_a_fifo_or_device_as_the_list_of_addresses_is_refused_unread(tmp_path, special):
    """--urls FIFO (no writer: a blocking open would hang) or /dev/zero (one endless line): E013 at
    once, nothing fetched."""
    path = special
    if special == "fifo":
        path = tmp_path / "urls.txt"
        os.mkfifo(path)
    rc, out, err = run_cli("--urls", path)
    assert rc == 2 and out == "" and "Traceback" not in err
    assert err.count("\n") == 1 and "E013" in err and "网址列表" in err and "不是普通文件" in err, err
