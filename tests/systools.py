"""Optional system tools the tests use, and whether each can do its job here.

Each check runs once per test session and returns ``None`` when the tool works, or
the reason (in one line, with the package that turns it on) why the tests that
need it must skip.  A test calls ``require_*`` before anything else, so a machine
without the tool gives a skip with that reason, never a page of failed
assertions on garbage (a PDF exported without a CJK font reads 「上上上上办办」).

``.ci/run`` installs every package named here; docs/development.md "Optional system
packages" says which tests and features each one turns on.
"""
from __future__ import annotations

import functools
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

APT_OFFICE = "apt-get install libreoffice-writer-nogui"
APT_FONT = "apt-get install fonts-wqy-zenhei (or fonts-noto-cjk)"
APT_CHROMIUM = "apt-get install chromium"
PROBE_TEXT = "政府信息公开工作年度报告"


def office() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice(args: list[str], profile: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    """Run LibreOffice headless with a private profile (parallel runs share no lock)."""
    return subprocess.run([office(), "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}", *args],
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


@functools.lru_cache(maxsize=None)
def office_missing() -> str | None:
    """Why LibreOffice cannot convert a .docx here, or None."""
    if office() is None:
        return f"LibreOffice (soffice) is not on PATH: {APT_OFFICE}"
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "probe.docx"
        _probe_docx(src)
        try:
            p = soffice(["--convert-to", "pdf", "--outdir", d, str(src)], Path(d) / "profile", timeout=180)
        except subprocess.TimeoutExpired:
            return "LibreOffice did not convert a one-line .docx within 180 s"
        if not src.with_suffix(".pdf").is_file():
            return f"LibreOffice did not convert a one-line .docx (exit {p.returncode}): {p.stderr.strip()[:200]}"
    return None


def cjk_fonts() -> list[str]:
    """Font families fontconfig offers for Chinese (empty when there is none, or no fontconfig)."""
    exe = shutil.which("fc-list")
    if exe is None:
        return []
    p = subprocess.run([exe, ":lang=zh", "family"], capture_output=True, text=True, timeout=60)
    return [line for line in p.stdout.splitlines() if line.strip()]


@functools.lru_cache(maxsize=None)
def office_cjk_pdf_missing() -> str | None:
    """Why LibreOffice's PDFs of Chinese text cannot be read back here, or None.

    Without a CJK font LibreOffice still writes a PDF, but its glyphs carry no
    Unicode map and the text extracts as 「上上上上办办」: the PDF tests would fail on
    garbage.  So: a CJK font must be installed, and a one-line Chinese .docx
    exported by LibreOffice must read back as the same text.
    """
    if reason := office_missing():
        return reason
    if shutil.which("fc-list") and not cjk_fonts():
        return f"no CJK font installed, so LibreOffice's PDFs of Chinese text are unreadable: {APT_FONT}"
    from pdfpages import pages

    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "probe.docx"
        _probe_docx(src)
        soffice(["--convert-to", "pdf", "--outdir", d, str(src)], Path(d) / "profile", timeout=180)
        pdf = src.with_suffix(".pdf")
        if not pdf.is_file():
            return "LibreOffice did not export a one-line Chinese .docx to PDF"
        text = "".join(c["text"] for page in pages(pdf) for c in page.chars)
    if PROBE_TEXT not in "".join(text.split()):
        return f"LibreOffice's PDF of Chinese text reads back as {text.strip()[:20]!r} (no usable CJK font): {APT_FONT}"
    return None


@functools.lru_cache(maxsize=None)
def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@functools.lru_cache(maxsize=None)
def chromium_missing() -> str | None:
    """Why headless Chromium cannot render a page here, or None."""
    exe = chromium()
    if exe is None:
        return f"Chromium is not installed: {APT_CHROMIUM}"
    with tempfile.TemporaryDirectory() as d:
        page = Path(d) / "probe.html"
        page.write_text("<p id=x>gxlint-probe</p>", encoding="utf-8")
        try:
            p = subprocess.run([exe, *CHROMIUM_FLAGS, f"--user-data-dir={d}/profile", "--dump-dom", page.as_uri()],
                               capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return "headless Chromium did not render a one-line page within 120 s"
    if "gxlint-probe" not in p.stdout:
        return f"headless Chromium cannot start (exit {p.returncode}): {p.stderr.strip()[-200:]}"
    return None


def require_office() -> str:
    if reason := office_missing():
        pytest.skip(reason)
    return office()


def require_office_cjk_pdf() -> str:
    if reason := office_cjk_pdf_missing():
        pytest.skip(reason)
    return office()


def require_chromium() -> str:
    if reason := chromium_missing():
        pytest.skip(reason)
    return chromium()


def _probe_docx(path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.add_paragraph(PROBE_TEXT)
    doc.save(str(path))
