"""Helpers of the web page's tests (tests/test_serve*.py): reports to upload, the command's own
answers to compare with, and ``gxlint serve`` started in a subprocess on a free port."""
from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SCRIPT = "<script>window.pwned=1;document.title='pwned'</script>"
IMG = "<img src=x onerror=\"window.pwned=2;document.title='pwned'\">"
ID_CARD = "11010519491231002X"  # a valid 居民身份证号码 (GX801's example): never shown unmasked


def hostile_text() -> str:
    """examples/faulty.md (7 findings) with markup in the sentence of its first finding."""
    text = (EXAMPLES / "faulty.md").read_text(encoding="utf-8")
    text = text.replace("（国务院令第七十一号）、", f"（国务院令第七十一号）{SCRIPT}{IMG}、", 1)
    assert SCRIPT in text
    return text


def private_text() -> str:
    """examples/faulty.md with a citizen's 身份证号 in a sentence (GX801)."""
    text = (EXAMPLES / "faulty.md").read_text(encoding="utf-8")
    return text.replace("## 一、总体情况", f"经核实，申请人张某（身份证号：{ID_CARD}）的申请已在法定期限内答复。\n\n## 一、总体情况", 1)


def cli_json(*args, cwd) -> tuple[int, str]:
    """(exit status, standard output) of ``gxlint --no-cache --format json ARGS`` run in ``cwd``."""
    p = subprocess.run([sys.executable, "-m", "gxlint", "--no-cache", "--format", "json", *map(str, args)],
                       capture_output=True, text=True, encoding="utf-8", cwd=cwd)
    assert "Traceback" not in p.stderr, p.stderr
    return p.returncode, p.stdout


def comments(docx: bytes | Path) -> list[str]:
    """The texts of the Word comments of a .docx (word/comments.xml)."""
    import io

    from lxml import etree

    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    data = docx.read_bytes() if isinstance(docx, Path) else docx
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        if "word/comments.xml" not in z.namelist():
            return []
        root = etree.fromstring(z.read("word/comments.xml"))
    return ["".join(t.text or "" for t in c.iter(f"{W}t")) for c in root.iter(f"{W}comment")]


def insertions(docx: bytes) -> int:
    """How many tracked insertions (w:ins) the document part of a .docx holds."""
    import io

    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return z.read("word/document.xml").count(b"<w:ins ")


@contextlib.contextmanager
def server(*args, cwd=None, env=None):
    """``gxlint serve --no-browser ARGS`` on 127.0.0.1 and a free port: yields (address, process);
    stopped (and waited for) afterwards."""
    proc = subprocess.Popen([sys.executable, "-m", "gxlint", "serve", "--no-browser", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                            cwd=cwd, env={**os.environ, **(env or {})})
    try:
        line = proc.stdout.readline()  # 「gxlint 网页已启动：http://127.0.0.1:PORT/」, printed once listening
        m = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        assert m, (line, proc.stderr.read() if proc.poll() is not None else "")
        yield m.group(1), proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def wait_for(predicate, tries: int = 600, pause: float = 0.1):
    """``predicate()`` once it is true (tried at most ``tries`` times); a bound, not a timing check."""
    for _ in range(tries):
        value = predicate()
        if value:
            return value
        time.sleep(pause)
    raise AssertionError(f"{predicate} never became true")
