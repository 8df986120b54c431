"""Tests for gxlint.readers.layout: positioned text into paragraphs and tables, whatever the
format that placed it (the PDF and OFD readers only extract pieces of text and rules).

The pages here are written as pieces of text at positions (points, top down), the way
an OFD TextCode or a PDF glyph places them; test_pdf_reader.py and test_ofd.py check
the same layout on whole seed reports.
"""
from __future__ import annotations

from collections import Counter

import pytest

from gxlint.model import Paragraph, Table
from gxlint.readers import layout

LEFT, RIGHT, SIZE, PITCH = 80.0, 520.0, 16.0, 29.0


def run(text: str, x: float, top: float, size: float = SIZE) -> list[dict]:
    """One piece per character, as wide as its size (CJK), on one line."""
    return [dict(text=ch, x0=x + i * size, x1=x + (i + 1) * size, top=top, bottom=top + size, size=size)
            for i, ch in enumerate(text)]


def body_lines(text: str, top: float) -> tuple[list[dict], float]:
    """``text`` as a body paragraph: first-line indent of two characters, full lines."""
    per = int((RIGHT - LEFT) // SIZE)
    out, first = [], True
    while text:
        n = per - 2 if first else per
        out += run(text[:n], LEFT + (2 * SIZE if first else 0), top)
        text, first, top = text[n:], False, top + PITCH
    return out, top


def edges_of_grid(xs: list[float], ys: list[float]) -> list[dict]:
    h = [dict(x0=xs[0], x1=xs[-1], top=y, bottom=y, width=xs[-1] - xs[0], height=0, orientation="h",
              object_type="line") for y in ys]
    v = [dict(x0=x, x1=x, top=ys[0], bottom=ys[-1], width=0, height=ys[-1] - ys[0], orientation="v",
              object_type="line") for x in xs]
    return h + v


def test_pieces_become_paragraphs_and_a_ruled_table():
    title = "XX市司法局2024年政府信息公开工作年度报告"
    width = len(title) * 22
    chars = run(title, (LEFT + RIGHT - width) / 2, 60, 22)
    chars += run("一、总体情况", LEFT + 2 * SIZE, 120)
    para = "本年度共收到政府信息公开申请十二件，均已按期答复，未发生行政复议和行政诉讼，各项工作有序推进，群众满意度较高。"
    more, top = body_lines(para, 120 + PITCH)
    chars += more
    xs, ys = [LEFT, 300.0, RIGHT], [top + 10, top + 40, top + 70]
    chars += run("项目", LEFT + 4, top + 16, 9) + run("数量", 304, top + 16, 9)
    chars += run("申请", LEFT + 4, top + 46, 9) + run("12", 304, top + 46, 9)
    chars += run("— 1 —", 280, 780, 14)  # the page number is dropped
    tables = layout.ruled_tables(edges_of_grid(xs, ys), (0, 0, 595, 842))
    assert len(tables) == 1 and len(tables[0][1]) == 4
    blocks = layout.blocks([layout.page(1, 595, chars, tables)])
    assert [type(b) for b in blocks] == [Paragraph, Paragraph, Paragraph, Table]
    assert [b.text for b in blocks[:3]] == [title, "一、总体情况", para]
    assert [b.line for b in blocks[:3]] == [1, 2, 3]
    table = blocks[3]
    assert [[c.text for c in row] for row in table.rows] == [["项目", "数量"], ["申请", "12"]]
    assert all(c.page == 1 for row in table.rows for c in row)


def test_a_page_without_text_has_no_items():
    p = layout.page(1, 595, [dict(text=" ", x0=1, x1=2, top=1, bottom=2, size=1)], [])
    assert p.chars == 0 and p.items == []


def _centred_run(text: str, top: float, size: float = SIZE) -> list[dict]:
    width = len(text) * size
    return run(text, (LEFT + RIGHT - width) / 2, top, size)


def test_wrapped_centred_title_at_body_size_is_one_title():
    """A title at the body's size, centred and wrapped so that its first line leaves about
    two characters each side (where a first-line indent would start): still one title."""
    first, second = "福建省龙岩市上杭县发展和改革局二〇二五年度政府", "信息公开工作年度报告"
    assert 0.8 * SIZE < (RIGHT - LEFT - len(first) * SIZE) / 2 <= 2.5 * SIZE
    chars = _centred_run(first, 60) + _centred_run(second, 60 + PITCH)
    more, _ = body_lines("本年度共收到政府信息公开申请十二件，均已按期答复，未发生行政复议和行政诉讼，各项工作有序推进。" * 3,
                         60 + 3 * PITCH)
    blocks = layout.blocks([layout.page(1, 595, chars + more, [])])
    assert [b.text for b in blocks][0] == first + second
    assert len(blocks) == 2


@pytest.mark.slow
def test_wrapped_title_pdf_gives_the_docx_findings(tmp_path, monkeypatch, linter):
    """A seed whose title, at the body's size, wraps after 「…2025年度政府」: the PDF's title is
    recognised, so the rules that need the report year find what they find in the .docx."""
    import pdfbuild
    from conftest import SEED_FILES
    from docxbuild import build_docx
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    from seeddocx import seed_blocks

    monkeypatch.setattr(pdfbuild, "_TITLE", ParagraphStyle("t16", parent=pdfbuild._BODY, firstLineIndent=0,
                                                           alignment=TA_CENTER, spaceAfter=28.95))
    seed = SEED_FILES[1]  # the title first; its statistics period is 2024, so a 2025 title is a finding
    blocks = seed_blocks(seed.read_text(encoding="utf-8"))
    title = "福建省龙岩市上杭县发展和改革委员会2025年度政府\n信息公开工作年度报告"
    blocks = [("title", title) if b[0] == "title" else b for b in blocks]
    docx, pdf = tmp_path / "r.docx", tmp_path / "r.pdf"
    build_docx(blocks, docx)
    pdfbuild.build_pdf(blocks, pdf)
    from gxlint.readers import read

    assert read(str(pdf)).paragraphs()[0].text == title.replace("\n", "")
    got = [(f.rule, f.excerpt) for f in linter.lint_path(str(pdf)).findings]
    want = [(f.rule, f.excerpt) for f in linter.lint_path(str(docx)).findings]
    assert Counter(got) == Counter(want)
    assert any("2024" in excerpt for _, excerpt in want), want  # the period that is not the title's year
