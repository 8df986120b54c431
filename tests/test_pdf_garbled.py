"""A PDF (or OFD) whose text extracts as garbage -- a font whose Unicode map is degenerate,
so that Chinese reads back as 「上上上上上上办办办」 -- is one E014 read error with a hint,
never a list of structure findings; real reports, long or short, are never taken for one."""
from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import SEED_FILES
from pdfbuild import build_pdf, garbled_pdf, seed_pdf
from pdfpages import pages

from gxlint.errors import InputError
from gxlint.readers import layout, read

pytestmark = pytest.mark.slow  # PDF fixtures built with reportlab


def run_cli(*args):
    p = subprocess.run([sys.executable, "-m", "gxlint", *map(str, args)], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def pages_of(path):
    return [layout.page(n, p.width, p.chars, []) for n, p in enumerate(pages(path), 1)]


def test_garbled_pdf_is_one_e014_exit_2(tmp_path):
    path = tmp_path / "garbled.pdf"
    garbled_pdf(path)
    text = "".join(c["text"] for p in pages(path) for c in p.chars)  # really garbage: thousands of CJK characters, three distinct
    cjk = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    assert len(cjk) >= 2000 and set(cjk) == set("上办政")
    rc, out, err = run_cli(path)
    assert rc == 2, (out, err)
    assert out.count("\n") == 1 and out.startswith(f"{path}: error: E014 "), out
    assert "乱码" in out and "可复制文字的 PDF 或 .docx" in out
    assert "Traceback" not in err


def test_garbled_among_good_files_is_one_line(tmp_path):
    garbled_pdf(tmp_path / "a.pdf")
    seed_pdf(SEED_FILES[2], tmp_path / "b.pdf")  # a seed without defects: nothing to say about it
    rc, out, err = run_cli(tmp_path / "a.pdf", tmp_path / "b.pdf")
    assert rc != 0 and "Traceback" not in err
    assert [ln.split(": ")[0] for ln in out.splitlines() if " E0" in ln] == [str(tmp_path / "a.pdf")]
    assert "检查了 2 个文件" in out + err and "1 个文件无法读取" in out + err


def test_garbled_ofd_is_e014(tmp_path):
    from ofdbuild import ofd_from_pdf

    garbled_pdf(tmp_path / "g.pdf")
    ofd = ofd_from_pdf(tmp_path / "g.pdf", tmp_path / "g.ofd")
    with pytest.raises(InputError) as e:
        read(str(ofd))
    assert e.value.code == "E014" and "乱码" in e.value.message


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_seed_pdfs_are_not_garbled(seed, tmp_path):
    path = seed_pdf(seed, tmp_path / "s.pdf")
    pages = pages_of(path)
    assert sum(sum(p.cjk.values()) for p in pages) >= 1500
    assert not layout.garbled(pages)
    read(str(path))


def test_short_real_report_is_not_garbled(tmp_path):
    """A page of real text, short (the first paragraphs of a seed: a few hundred characters)."""
    from seeddocx import seed_blocks

    blocks, n = [], 0
    for b in seed_blocks(SEED_FILES[0].read_text(encoding="utf-8")):
        if b[0] in ("title", "heading", "para") and n < 300:
            blocks.append(b)
            n += len(b[-1] if isinstance(b[-1], str) else b[2])
    path = tmp_path / "short.pdf"
    build_pdf(blocks, path)
    pages = pages_of(path)
    assert len(pages) == 1 and 200 <= sum(sum(p.cjk.values()) for p in pages) <= 500
    assert not layout.garbled(pages)
    rc, out, _ = run_cli(path)
    assert "E014" not in out


def test_text_of_few_characters_but_short_is_not_judged():
    """Under 200 CJK characters nothing is judged (a cover page, a short notice)."""
    chars = [dict(text="上", x0=80 + 16 * (i % 20), x1=96 + 16 * (i % 20), top=100 + 29 * (i // 20),
                  bottom=116 + 29 * (i // 20), size=16) for i in range(150)]
    assert not layout.garbled([layout.page(1, 595, chars, [])])
    chars += [dict(c, top=c["top"] + 200, bottom=c["bottom"] + 200) for c in chars[:60]]
    assert layout.garbled([layout.page(1, 595, chars, [])])
