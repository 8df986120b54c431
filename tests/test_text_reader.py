"""The text/Markdown reader: encodings, table shapes, locations."""
import pytest
from conftest import SEEDS

from gxlint.errors import InputError
from gxlint.model import Table
from gxlint.readers.text import parse_text, read_text

SEED = SEEDS / "004_aa4e2e269a40bca7.txt"


@pytest.mark.parametrize("encoding,bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gb18030", b""), ("utf-16", b"")])
def test_encodings_give_the_same_findings(encoding, bom, tmp_path, linter):
    text = SEED.read_text(encoding="utf-8")
    path = tmp_path / "r.txt"
    path.write_bytes(bom + text.encode(encoding))
    expected = [(f.rule, f.line, f.column) for f in linter.lint_path(str(SEED)).findings]
    assert [(f.rule, f.line, f.column) for f in linter.lint_path(str(path)).findings] == expected


def test_gbk_short_text_is_not_mistaken(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes("一、总体情况".encode("gbk"))
    doc = read_text(str(path))
    assert doc.encoding == "gb18030" and doc.paragraphs()[0].text == "一、总体情况"


def test_undecodable_text_suggests_encoding(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes("政府資訊公開工作年度報告，統計期限為全年。".encode("big5") * 3)
    with pytest.raises(InputError) as e:
        read_text(str(path))
    assert e.value.code == "E011" and "--encoding" in e.value.message
    assert read_text(str(path), encoding="big5").paragraphs()[0].text.startswith("政府資訊公開")


def test_crlf_line_endings(tmp_path, linter):
    path = tmp_path / "r.txt"
    path.write_bytes(SEED.read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-8"))
    assert len(linter.lint_path(str(path)).findings) == 7


def test_tab_rows_torn_labels_are_one_row():
    # 000: 「三、 本年 度办 理结」 … 「果⇥(四) 无法 提供⇥1. 本机关不掌握相关 政府信息⇥5…」
    doc = parse_text((SEEDS / "000_6c964df6ff835ea4.txt").read_text(encoding="utf-8"))
    rows = [r for t in doc.tables() for r in t.rows]
    torn = next(r for r in rows if r[0].text == "果")
    assert [c.text for c in torn][:3] == ["果", "(四) 无法 提供", "1. 本机关不掌握相关 政府信息"]


def test_cell_per_line_shape_with_continued_cells():
    text = "\t行政复议\n\t行政诉讼\n\n\t结果维持\n\t结果\n纠正\n\t其他\n结果\n\n\t0\n\t0\n\t0\n"
    doc = parse_text(text)
    (table,) = doc.tables()
    assert [[c.text for c in r] for r in table.rows] == [["行政复议", "行政诉讼"], ["结果维持", "结果\n纠正", "其他\n结果"], ["0", "0", "0"]]
    assert (table.rows[1][1].line, table.rows[1][1].col) == (5, 2)


def test_markdown_pipe_table_and_headings():
    text = "# 某县2024年报告\n\n## 一、总体情况\n\n| 信息内容 | 本年制发件数 |\n|---|---|\n| 规章 | 3 |\n"
    doc = parse_text(text, markdown=True)
    paras = doc.paragraphs()
    assert paras[1].text == "一、总体情况" and paras[1].heading_level == 2 and paras[1].col == 4
    (table,) = doc.tables()
    assert table.grid and [[c.text for c in r] for r in table.rows] == [["信息内容", "本年制发件数"], ["规章", "3"]]
    cell = table.rows[1][1]
    assert (cell.line, cell.col, cell.column) == (7, 8, 1)


def test_prose_line_is_not_a_table():
    doc = parse_text("一、总体情况\n本年度共受理申请13件。\n")
    assert not any(isinstance(b, Table) for b in doc.blocks)
