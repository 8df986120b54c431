"""A report by its web address: fetch the page (or the attachment it links) for the readers.

A URL is a source, not a format: :func:`fetch_report` downloads what the address
serves and hands it on as a file with a name (the readers read files by their
suffix); the CLI lints that file and shows the address.

* Limits: ``GXLINT_FETCH_TIMEOUT`` seconds in all for one download (default 30;
  each socket wait too), ``GXLINT_FETCH_MAX_MB`` MiB (default 20: a report with
  pictures is a few MiB; more is refused while downloading, whatever
  Content-Length says), at most 5 redirects (a loop is an error, not a hang);
  http and https only.
* The page's own charset: the HTTP header's charset wins (an HTML page is
  handed on as UTF-8 with a BOM, GBK/GB2312 decoded as GB18030); without one,
  the HTML reader reads the page's ``<meta>`` as for a saved page.
* A page whose body is only a list of links (little text besides the links'
  own, and links to .pdf/.docx/.doc/.wps/.ofd files) stands for the report it
  links: the attachment is fetched (a link whose text or address says
  年度报告/年报 first, else the first such link) and linted instead.  A page
  with neither report text nor an attachment: E034.

Errors (one E0xx line each, the batch goes on): E031 the address cannot be
fetched (network, timeout, HTTP error status), E032 the response is too large,
E033 too many redirects, a redirect loop or one to another scheme, E034 no report on the page.
"""
from __future__ import annotations

import os
import posixpath
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from .errors import E_FETCH, E_FETCH_TOO_LARGE, E_NO_REPORT, E_REDIRECTS, InputError

TIMEOUT = 30.0
MAX_MB = 20
MAX_REDIRECTS = 5
ATTACHMENTS = (".docx", ".doc", ".wps", ".ofd", ".pdf")
_TYPES = {
    "text/html": ".html", "application/xhtml+xml": ".html", "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/msword": ".doc", "application/vnd.ms-works": ".wps", "application/ofd": ".ofd",
    "text/plain": ".txt",
}
_REPORT_WORDS = re.compile(r"年度报告|年报|工作报告")
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
    try:
        max_mb = max(float(os.environ.get("GXLINT_FETCH_MAX_MB", MAX_MB)), 0.01)
    except ValueError:
        max_mb = MAX_MB
    return timeout, int(max_mb * 1024 * 1024)


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS
    max_repeats = 1  # the same address twice is a loop

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(urllib.parse.urljoin(req.full_url, newurl)).scheme not in ("http", "https"):
            raise urllib.error.HTTPError(newurl, code, "redirect to a scheme other than http(s)", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _err(code: str, message: str) -> InputError:
    return InputError(code, message)


def get(url: str) -> Fetched:
    """Download ``url`` within the limits; raise :class:`InputError` (E031-E033)."""
    timeout, limit = _limits()
    deadline = time.monotonic() + timeout
    opener = urllib.request.build_opener(_Redirects())
    req = urllib.request.Request(url, headers={"User-Agent": _UA, "Accept": "*/*"})
    try:
        with opener.open(req, timeout=timeout) as resp:
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise _err(E_FETCH_TOO_LARGE, f"响应过大（{int(length) / 1048576:.0f} MiB，"
                                              f"上限 {limit / 1048576:g} MiB），未下载")
            chunks, size = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise _err(E_FETCH, f"下载超时（{timeout:g} 秒）")
                chunk = resp.read(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise _err(E_FETCH_TOO_LARGE, f"响应过大（超过 {limit / 1048576:g} MiB），已停止下载")
                chunks.append(chunk)
            data = b"".join(chunks)
            final = resp.geturl()
            ctype = resp.headers.get_content_type()
            charset = resp.headers.get_content_charset()
            disposition = resp.headers.get("Content-Disposition") or ""
    except InputError:
        raise
    except urllib.error.HTTPError as e:
        if 300 <= e.code < 400:
            raise _err(E_REDIRECTS, f"重定向过多、循环重定向（上限 {MAX_REDIRECTS} 次）或重定向到非 http(s) 地址") from None
        raise _err(E_FETCH, f"服务器返回 HTTP {e.code}（{e.reason}），无法获取") from None
    except urllib.error.URLError as e:
        reason = e.reason if isinstance(e.reason, str) else (getattr(e.reason, "strerror", None) or e.reason)
        raise _err(E_FETCH, f"无法连接（{reason}）") from None
    except (TimeoutError, OSError) as e:
        raise _err(E_FETCH, f"网络错误或超时（{getattr(e, 'strerror', None) or type(e).__name__}）") from None
    except Exception as e:  # noqa: BLE001 - http.client raises many kinds; none may escape
        raise _err(E_FETCH, f"无法获取（{type(e).__name__}）") from None
    name = _name(final, ctype, disposition, data)
    if name.endswith(".html") and charset:
        data = _utf8(data, charset)
    return Fetched(final, name, data)


def _name(url: str, ctype: str, disposition: str, data: bytes) -> str:
    m = re.search(r"filename\*?=(?:UTF-8'')?\"?([^\";]+)", disposition, re.I)
    base = urllib.parse.unquote(m.group(1) if m else posixpath.basename(urllib.parse.urlsplit(url).path))
    base = re.sub(r"[\\/:*?\"<>|\x00-\x1f]", "_", base).strip(". ") or "report"
    suffix = os.path.splitext(base)[1].lower()
    known = (".html", ".htm", ".txt") + ATTACHMENTS
    sniffed = _sniff(data) or _TYPES.get(ctype)
    if sniffed and (suffix not in known or (sniffed != ".html" and suffix in (".html", ".htm"))):
        base += sniffed
    elif suffix not in known:
        base += ".html"
    return base[-120:]


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return ".pdf"
    if data.startswith(bytes.fromhex("d0cf11e0a1b11ae1")):
        return ".doc"
    if data.startswith(b"PK"):
        return ".ofd" if b"OFD.xml" in data[:4096] else ".docx"
    return None


def _utf8(data: bytes, charset: str) -> bytes:
    """An HTML page in the charset its header names, as UTF-8 with a BOM (the reader's first choice)."""
    name = charset.lower()
    codec = "gb18030" if name in ("gbk", "gb2312", "gb_2312-80", "x-gbk", "cp936") else name
    try:
        return b"\xef\xbb\xbf" + data.decode(codec).encode("utf-8")
    except (LookupError, UnicodeDecodeError):
        return data  # a wrong header: the reader goes by the page's own <meta>


def _links(page: Fetched) -> tuple[int, str | None]:
    """(characters of the page's body text besides its links', the report attachment it links)."""
    from lxml import html

    data = page.data
    try:
        root = html.document_fromstring(data[3:].decode("utf-8") if data.startswith(b"\xef\xbb\xbf") else data)
    except Exception:  # noqa: BLE001 - not ours to judge: the HTML reader says what is wrong
        return _MIN_PAGE_TEXT, None
    body = root.find("body")
    if body is None:
        return _MIN_PAGE_TEXT, None
    for el in list(body.iter("script", "style", "nav", "header", "footer")):
        el.drop_tree()
    text = re.sub(r"\s+", "", body.text_content())
    links = []
    for a in body.iter("a"):
        href = (a.get("href") or "").strip()
        label = re.sub(r"\s+", "", a.text_content())
        text = text.replace(label, "", 1)
        if urllib.parse.urlsplit(href).path.lower().endswith(ATTACHMENTS):
            named = bool(_REPORT_WORDS.search(label + urllib.parse.unquote(href)))
            links.append((not named, urllib.parse.urljoin(page.url, href)))
    return len(text), (min(links, key=lambda x: x[0])[1] if links else None)  # stable: the first of the best


def fetch_report(url: str, folder: str) -> tuple[str, str]:
    """Fetch the report at ``url`` into ``folder``: (local file, the address it came from)."""
    page = get(url)
    if page.name.endswith(".html"):
        text, link = _links(page)
        if text < _MIN_PAGE_TEXT:
            if link is None:
                raise _err(E_NO_REPORT, "页面中既没有报告正文，也没有报告附件（.pdf、.docx、.doc、.ofd）的链接")
            try:
                page = get(link)
            except InputError as e:
                raise _err(e.code, f"报告附件 {link}：{e.message}") from None
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, page.name)
    with open(path, "wb") as f:
        f.write(page.data)
    return path, page.url
