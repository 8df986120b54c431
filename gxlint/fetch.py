"""A report by its web address: fetch the page (or the attachment it links) for the readers.

A URL is a source, not a format: :func:`fetch_report` downloads what the address
serves and hands it on as a file with a name (the readers read files by their
suffix); the CLI lints that file and shows the address.

* Limits: ``GXLINT_FETCH_TIMEOUT`` seconds in all for one download (default 30): a
  deadline for the whole transfer, redirects included, not per read -- when it passes,
  the connections of the download are shut down, so a server that sends a byte a
  second ends there; ``GXLINT_FETCH_MAX_MB`` MiB (default 20: a report with pictures
  is a few MiB; more is refused while downloading, whatever Content-Length says); at
  most 5 redirects (a loop is an error, not a hang), each checked as the address
  itself (scheme, and the body of a redirect is not read at all).
* Only ``http`` and ``https``: for the addresses the user gave and the attachment their
  page links.  Nothing else is ever opened -- a page linking its attachment as
  ``file:///...`` or ``ftp://...`` gets E034 naming that link, and a redirect there
  E033 (the opener has no handler for files, FTP or data: addresses at all).
* The page's own charset: after a BOM, the HTTP header's charset wins (an HTML page is
  handed on as UTF-8 with a BOM, GBK/GB2312 decoded as GB18030); without one, or with
  one that is no text encoding or does not decode the page, the HTML reader reads
  the page's ``<meta>`` as for a saved page.
* A page whose body is only a list of links (little text besides the links'
  own, and links to .pdf/.docx/.doc/.wps/.ofd files) stands for the report it
  links: the attachment is fetched (a link whose text or address says
  年度报告/年报 first, else the first such link) and linted instead.  A page
  with neither report text nor an attachment: E034.  Linear in the page's size
  (a page of 250,000 links is read once).
* The file name (from Content-Disposition or the address) is cut to
  :data:`MAX_NAME` bytes, its suffix kept.

Errors (one E0xx line each, the batch goes on): E031 the address cannot be
fetched (network, timeout, HTTP error status, an invalid address such as a malformed
IPv6 host, another scheme than http(s)), E032 the response is too large,
E033 too many redirects, a redirect loop or one to another scheme, E034 no report on the page.
"""
from __future__ import annotations

import http.client
import os
import posixpath
import re
import socket
import string
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from .errors import E_FETCH, E_FETCH_TOO_LARGE, E_NO_REPORT, E_REDIRECTS, InputError

TIMEOUT = 30.0
MAX_MB = 20
MAX_REDIRECTS = 5
MAX_NAME = 150  # bytes of a fetched file's name (file systems allow 255)
SCHEMES = ("http", "https")
ATTACHMENTS = (".docx", ".doc", ".wps", ".ofd", ".pdf")
_TYPES = {
    "text/html": ".html", "application/xhtml+xml": ".html", "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/msword": ".doc", "application/vnd.ms-works": ".wps", "application/ofd": ".ofd",
    "text/plain": ".txt",
}
_REPORT_WORDS = re.compile(r"年度报告|年报|工作报告")
_SPACE = re.compile(r"\s+")
_NOT_TEXT = frozenset(("a", "script", "style", "nav", "header", "footer"))  # the text of a page's body besides these
_MIN_PAGE_TEXT = 200  # characters of text besides the links' on a page that holds a report
_UA = "gxlint (compliance check of government information-disclosure reports)"


@dataclass
class Fetched:
    url: str  # the address it came from, after redirects
    name: str  # a file name with the suffix the readers go by
    data: bytes


def _limits() -> tuple[float, int]:
    try:
        timeout = max(float(os.environ.get("GXLINT_FETCH_TIMEOUT", TIMEOUT)), 0.5)
    except ValueError:
        timeout = TIMEOUT
    if not timeout < 86400:  # inf, nan
        timeout = TIMEOUT
    try:
        max_mb = max(float(os.environ.get("GXLINT_FETCH_MAX_MB", MAX_MB)), 0.01)
    except ValueError:
        max_mb = MAX_MB
    if not max_mb < 1 << 20:
        max_mb = MAX_MB
    return timeout, int(max_mb * 1024 * 1024)


def _err(code: str, message: str) -> InputError:
    return InputError(code, message)


def checked_url(url: str, code: str = E_FETCH) -> str:
    """``url`` as it is requested (characters beyond ASCII in its path and query percent-encoded,
    as a browser does) when it is an http(s) address with a host; else InputError ``code``."""
    shown = url if len(url) <= 200 else url[:200] + "…"
    try:
        parts = urllib.parse.urlsplit(url.strip())
        parts.port  # noqa: B018 - a port out of range raises ValueError
    except ValueError:
        raise _err(code, f"网址无效（主机名、IPv6 地址或端口的写法有误）：{shown}") from None
    if parts.scheme.lower() not in SCHEMES:
        raise _err(code, f"只获取 http:// 和 https:// 网址，不获取 {parts.scheme or '没有协议的'}地址：{shown}")
    if not parts.hostname:
        raise _err(code, f"网址中没有主机名：{shown}")
    safe = string.punctuation
    return urllib.parse.urlunsplit(parts._replace(path=urllib.parse.quote(parts.path, safe=safe),
                                                  query=urllib.parse.quote(parts.query, safe=safe)))


class _Deadline:
    """The deadline of one download: when it passes, every connection the download opened
    (redirects included) is shut down, so that a read blocked on a server that trickles a byte
    now and then returns at once; ``expired`` then says why the transfer ended."""

    def __init__(self, seconds: float):
        self.expired = False
        self._lock = threading.Lock()
        self._socks: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock``'s connection down at the deadline (through a duplicate of the socket:
        TLS takes the original over)."""
        dup = sock.dup()
        with self._lock:
            self._socks.append(dup)
            if self.expired:
                self._shut(dup)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._socks:
                self._shut(sock)

    def close(self) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._socks:
                sock.close()
            self._socks.clear()


class _Redirects(urllib.request.HTTPRedirectHandler):
    """At most MAX_REDIRECTS, each to an http(s) address; the body of a redirect is not read."""

    max_redirections = MAX_REDIRECTS
    max_repeats = 1  # the same address twice is a loop

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        try:
            checked_url(newurl, E_REDIRECTS)
        except InputError as e:
            fp.close()
            raise _err(E_REDIRECTS, f"重定向到不获取的地址：{e.message}") from None
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        fp.close()  # the base class would read the whole body of the redirect, however long
        return new


def _opener(deadline: _Deadline) -> urllib.request.OpenerDirector:
    """An opener for http and https only (no files, FTP or data: addresses), whose connections
    are watched by ``deadline``, and which follows redirects by :class:`_Redirects`."""

    class Connection(http.client.HTTPConnection):
        def connect(self):
            super().connect()
            deadline.watch(self.sock)

    class TLSConnection(http.client.HTTPSConnection, Connection):  # Connection.connect runs before TLS
        pass

    class HTTP(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(Connection, req)

    class HTTPS(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(TLSConnection, req)

    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), HTTP(), HTTPS(), urllib.request.HTTPDefaultErrorHandler(),
                    _Redirects(), urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def get(url: str) -> Fetched:
    """Download ``url`` within the limits; raise :class:`InputError` (E031-E033)."""
    timeout, limit = _limits()
    url = checked_url(url)
    deadline = _Deadline(timeout)
    late = _err(E_FETCH, f"下载超时（{timeout:g} 秒内未完成）")
    try:
        req = urllib.request.Request(url, headers={"User-Agent": _UA, "Accept": "*/*"})
        with _opener(deadline).open(req, timeout=timeout) as resp:
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise _err(E_FETCH_TOO_LARGE, f"响应过大（{int(length) / 1048576:.0f} MiB，"
                                              f"上限 {limit / 1048576:g} MiB），未下载")
            chunks, size = [], 0
            while True:
                chunk = resp.read(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise _err(E_FETCH_TOO_LARGE, f"响应过大（超过 {limit / 1048576:g} MiB），已停止下载")
                chunks.append(chunk)
            if deadline.expired:  # the connection was cut: what came is not all
                raise late
            data = b"".join(chunks)
            final = resp.geturl()
            ctype = resp.headers.get_content_type()
            charset = resp.headers.get_content_charset()
            disposition = resp.headers.get("Content-Disposition") or ""
    except InputError:
        raise
    except Exception as e:  # noqa: BLE001 - http.client, ssl and socket raise many kinds; none may escape
        if deadline.expired:
            raise late from None
        raise _failed(e) from None
    finally:
        deadline.close()
    name = _name(final, ctype, disposition, data)
    if name.endswith(".html") and charset:
        data = _utf8(data, charset)
    return Fetched(final, name, data)


def _failed(e: Exception) -> InputError:
    """The E031/E033 error of a download that failed with ``e``."""
    if isinstance(e, urllib.error.HTTPError):
        if 300 <= e.code < 400:
            return _err(E_REDIRECTS, f"重定向过多、循环重定向（上限 {MAX_REDIRECTS} 次）或重定向到非 http(s) 地址")
        return _err(E_FETCH, f"服务器返回 HTTP {e.code}（{e.reason}），无法获取")
    if isinstance(e, urllib.error.URLError):
        reason = e.reason if isinstance(e.reason, str) else (getattr(e.reason, "strerror", None) or e.reason)
        if isinstance(e.reason, TimeoutError):
            reason = "连接超时"
        return _err(E_FETCH, f"无法连接（{reason}）")
    if isinstance(e, TimeoutError):
        return _err(E_FETCH, "网络超时（服务器长时间没有响应）")
    if isinstance(e, OSError):
        return _err(E_FETCH, f"网络错误（{e.strerror or type(e).__name__}）")
    if isinstance(e, ValueError):
        return _err(E_FETCH, "网址或服务器的响应无效，无法获取")
    return _err(E_FETCH, f"无法获取（{type(e).__name__}）")


def _name(url: str, ctype: str, disposition: str, data: bytes) -> str:
    m = re.search(r"filename\*?=(?:UTF-8'')?\"?([^\";]+)", disposition[:4096], re.I)
    base = urllib.parse.unquote(m.group(1) if m else posixpath.basename(urllib.parse.urlsplit(url).path))
    base = re.sub(r"[\\/:*?\"<>|\x00-\x1f\x7f]", "_", base).strip(". ") or "report"
    suffix = os.path.splitext(base)[1].lower()
    known = (".html", ".htm", ".txt") + ATTACHMENTS
    sniffed = _sniff(data) or _TYPES.get(ctype)
    if sniffed and (suffix not in known or (sniffed != ".html" and suffix in (".html", ".htm"))):
        base += sniffed
    elif suffix not in known:
        base += ".html"
    stem, suffix = os.path.splitext(base)
    stem = stem.encode("utf-8", "replace")[:MAX_NAME - len(suffix)].decode("utf-8", "ignore")
    return (stem or "report") + suffix


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return ".pdf"
    if data.startswith(bytes.fromhex("d0cf11e0a1b11ae1")):
        return ".doc"
    if data.startswith(b"PK"):
        return ".ofd" if b"OFD.xml" in data[:4096] else ".docx"
    return None


def _utf8(data: bytes, charset: str) -> bytes:
    """An HTML page in the charset its header names, as UTF-8 with a BOM (the reader's first
    choice); as it came when the charset is no text encoding or does not decode the page."""
    from .readers.text import _BOMS, text_codec

    codec = text_codec(charset[:64])
    if codec is None or data.startswith(tuple(b for b, _ in _BOMS)):
        return data  # a wrong header: the reader goes by the page's own <meta>; a BOM wins (WHATWG)
    if codec in ("gbk", "gb2312", "cp936"):
        codec = "gb18030"
    try:
        return b"\xef\xbb\xbf" + data.decode(codec).encode("utf-8", "surrogatepass")
    except (UnicodeError, ValueError, LookupError, TypeError):
        return data


def _links(page: Fetched) -> tuple[int, str | None, str | None]:
    """(characters of the page's body text besides its links', the report attachment it links,
    the first attachment link it has to an address gxlint does not fetch).  One pass over the
    page; only the few links that may be chosen are resolved."""
    from lxml import etree, html

    from .readers.html import _decode

    try:  # decoded as the HTML reader decodes it (BOM, the page's charset, else UTF-8 or GB18030)
        root = html.document_fromstring(_decode(page.data, page.name, None)[1])
    except Exception:  # noqa: BLE001 - not ours to judge: the HTML reader says what is wrong
        return _MIN_PAGE_TEXT, None, None
    body = root.find("body")
    if body is None:
        return _MIN_PAGE_TEXT, None, None
    text = 0
    found: list[tuple[bool, int, str]] = []  # (not named as the report, order, href) of attachment links
    named_one = False
    quiet = 0  # depth inside a link, a script, a menu...: text not counted
    for event, el in etree.iterwalk(body, events=("start", "end")):  # each node once, no recursion
        tag = el.tag if isinstance(el.tag, str) else None  # None: a comment or processing instruction
        if event == "end":
            if tag in _NOT_TEXT:
                quiet -= 1
            if el is not body and el.tail and not quiet:
                text += len(_SPACE.sub("", el.tail))
            continue
        if tag == "a" and not quiet:
            href = (el.get("href") or "").strip()
            if href.split("#", 1)[0].split("?", 1)[0].lower().endswith(ATTACHMENTS):
                found.append((not (named_one or _named(el, href)), len(found), href))
                named_one = named_one or not found[-1][0]  # the links after the first named one need no label
        if tag in _NOT_TEXT:
            quiet += 1
        elif tag is not None and el.text and not quiet:
            text += len(_SPACE.sub("", el.text))
    link, refused = _resolve(page.url, sorted(found)[:MAX_TRIED])
    return text, link, refused


def _named(a, href: str) -> bool:
    """Whether the text or the address of link ``a`` says it is the report."""
    label = a.text_content() if len(a) else a.text or ""
    return bool(_REPORT_WORDS.search(_SPACE.sub("", label)) or _REPORT_WORDS.search(urllib.parse.unquote(href)))


MAX_TRIED = 10  # attachment links of a page resolved at most (a page of 250,000 links costs no more)


def _resolve(base: str, candidates: list) -> tuple[str | None, str | None]:
    """(the address of the first of ``candidates`` that gxlint fetches, the first it does not)."""
    refused = None
    for _, _, href in candidates:
        try:
            return checked_url(urllib.parse.urljoin(base, href)), refused
        except ValueError:  # a malformed address (an IPv6 host without its bracket): no link
            continue
        except InputError:  # another scheme (file:, ftp:), or a malformed address
            scheme = href.split(":", 1)[0].lower() if ":" in href.split("/", 1)[0] else ""
            if scheme and scheme not in SCHEMES:
                refused = refused or href[:200]
    return None, refused


def fetch_report(url: str, folder: str) -> tuple[str, str]:
    """Fetch the report at ``url`` into ``folder``: (local file, the address it came from)."""
    page = get(url)
    if page.name.endswith(".html"):
        text, link, refused = _links(page)
        if text < _MIN_PAGE_TEXT:
            if link is None and refused is not None:
                raise _err(E_NO_REPORT, f"页面中报告附件的链接 {refused} 不是 http:// 或 https:// 网址，"
                                        "gxlint 不会打开（只获取 http 和 https 地址），请下载附件后检查")
            if link is None:
                raise _err(E_NO_REPORT, "页面中既没有报告正文，也没有报告附件（.pdf、.docx、.doc、.ofd）的链接")
            try:
                page = get(link)
            except InputError as e:
                raise _err(e.code, f"报告附件 {link}：{e.message}") from None
    try:
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, page.name)
        with open(path, "wb") as f:
            f.write(page.data)
    except OSError as e:
        raise _err(E_FETCH, f"无法保存下载的文件（{e.strerror or e}）") from None
    return path, page.url
