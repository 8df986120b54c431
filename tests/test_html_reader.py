"""The HTML reader: seed reports saved as government web pages, merged cells, what a page holds
besides the report, encodings, locations, errors and the command line."""
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import SEED_FILES
from htmlbuild import render_html, seed_html
from seeddocx import seed_blocks, seed_docx

from gxlint.errors import InputError
from gxlint.readers import read
from gxlint.readers.html import parse_html

FAULTY = next(p for p in SEED_FILES if p.name.startswith("004"))
CLEAN = next(p for p in SEED_FILES if p.name.startswith("002"))


def _findings(linter, path):
    result = linter.lint_path(str(path))
    assert result.error is None, result.error
    return result.findings


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_seed_as_html_gives_the_docx_findings(seed, linter, expected, tmp_path):
    html = _findings(linter, seed_html(seed, tmp_path / (seed.stem + ".html")))
    docx = _findings(linter, seed_docx(seed, tmp_path / (seed.stem + ".docx")))
    assert Counter((f.rule, f.excerpt) for f in html) == Counter((f.rule, f.excerpt) for f in docx)
    assert len([f for f in html if f.severity in ("error", "warning")]) == len(expected[seed.name])


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_findings_point_at_the_source_text(seed, linter, tmp_path):
    path = seed_html(seed, tmp_path / "r.html")
    lines = path.read_text(encoding="utf-8").split("\n")
    for f in _findings(linter, path):
        assert lines[f.line - 1][f.column - 1:].startswith(f.excerpt.split("\n")[0]), (f.rule, f.line, f.excerpt)


def test_merged_header_cells_make_the_docx_grid(tmp_path):
    """rowspan/colspan give every cell the grid position, rowspan and colspan the docx reader gives it."""
    def cells(path):
        return [[(c.text, c.row, c.column, c.rowspan, c.colspan) for row in t.rows for c in row]
                for t in read(str(path)).tables()]

    html = cells(seed_html(FAULTY, tmp_path / "r.html"))
    assert html == cells(seed_docx(FAULTY, tmp_path / "r.docx"))
    applications = next(t for t in html if any(c[0] == "申请人情况" for c in t))
    assert applications[:5] == [
        ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 0, 0, 3, 3),
        ("申请人情况", 0, 3, 1, 7), ("自然人", 1, 3, 2, 1), ("法人或其他组织", 1, 4, 1, 5), ("总计", 1, 9, 2, 1)]
    assert applications[5][:3] == ("商业企业", 2, 4)


def test_rowspan_and_colspan_as_a_browser_reads_them():
    doc = parse_html("<table>"
                     "<tr><th rowspan=0>a</th><td colspan='2px'>b</td><td rowspan=9>c</td></tr>"
                     "<tr><td>d</td><td colspan=x>e</td></tr>"
                     "<tr><td colspan=-1>f</td></tr></table>")
    (table,) = doc.tables()
    assert [[(c.text, c.column, c.rowspan, c.colspan) for c in r] for r in table.rows] == [
        [("a", 0, 3, 1), ("b", 1, 1, 2), ("c", 3, 3, 1)],
        [("d", 1, 1, 1), ("e", 2, 1, 1)],
        [("f", 1, 1, 1)]]


def test_cells_are_located_in_the_source_line():
    doc = parse_html('<table>\n<tr><td width="10%">0</td><td title="1 件">1</td><td>&nbsp;1</td><td>&#20214;</td></tr>\n</table>')
    (table,) = doc.tables()
    assert [(c.text, c.line, c.col) for c in table.rows[0]] == [("0", 2, 21), ("1", 2, 43), ("1", 2, 59), ("件", 2, 1)]


def test_only_the_report_is_read(tmp_path):
    """Head, scripts, styles, header, nav, search form, aside, footer, hidden share box: not read."""
    doc = read(str(seed_html(CLEAN, tmp_path / "r.html")))
    text = "\n".join([p.text for p in doc.paragraphs()] + [c.text for t in doc.tables() for r in t.rows for c in r])
    for noise in ("hm.baidu.com", "text-indent", "请使用电脑浏览本页", "无障碍浏览", "请输入关键字", "搜索",
                  "政务服务", "互动交流", "相关链接", "分享到", "网站标识码", "闽ICP备", "主办单位", "_政府信息公开年报_"):
        assert noise not in text, noise
    crumb, title, info, first = doc.paragraphs()[:4]
    assert crumb.text == "当前位置：首页 > 政务公开 > 政府信息公开年报"
    assert title.text == "上犹县2022年度政府信息公开工作报告" and title.heading_level == 1
    assert sum(p.text == title.text for p in doc.paragraphs()) == 1
    assert info.text.startswith("发布时间：2025-01-20") and first.text.startswith("本报告依据")
    assert len(doc.tables()) == 3 and doc.format == "html"


def test_landmark_roles_and_hidden_elements_are_skipped():
    doc = parse_html('<div role="navigation">首页</div><div role="contentinfo">版权所有</div>'
                     '<p hidden>隐藏</p><span style="DISPLAY: NONE">也隐藏</span><p>正文<span style="visibility:hidden">x</span></p>'
                     "<noscript>请启用脚本</noscript><select><option>部门</option></select>")
    assert [p.text for p in doc.paragraphs()] == ["正文"]


def test_paragraphs_br_lists_and_whitespace():
    doc = parse_html("<h2>某县2024年<br/>政府信息公开工作年度报告</h2>\n"
                     "<div>一、总体情况<br>　　本机关\n  共收到申请13件。<p>嵌套段落</p>尾部 text\n wraps</div>"
                     "<ol><li>第一项</li><li>第二项</li></ol><pre>  一行\n二行  </pre>")
    paras = doc.paragraphs()
    assert [(p.text, p.heading_level) for p in paras] == [
        ("某县2024年\n政府信息公开工作年度报告", 2), ("一、总体情况", None), ("本机关共收到申请13件。", None),
        ("嵌套段落", None), ("尾部 text wraps", None), ("第一项", None), ("第二项", None),
        ("一行", None), ("二行", None)]
    assert [(p.line, p.col) for p in paras][:3] == [(1, 5), (2, 6), (2, 18)]
    assert (paras[-1].line, paras[-1].col) == (5, 1)


def test_word_save_as_web_page():
    """Word's list numbers (shown to browsers other than IE), hidden text, empty paragraphs, GB2312."""
    page = ("<html xmlns:o='urn:schemas-microsoft-com:office:office'><head>\n"
            "<meta http-equiv=Content-Type content=\"text/html; charset=gb2312\">\n"
            "<!--[if gte mso 9]><xml><o:DocumentProperties><o:Author>张三</o:Author></o:DocumentProperties></xml><![endif]-->\n"
            "</head><body lang=ZH-CN><div class=WordSection1>\n"
            "<h1 style='mso-list:l0 level1 lfo1'><![if !supportLists]><span lang=EN-US style='mso-list:Ignore'>一、"
            "<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp; </span></span><![endif]>"
            "<span style='font-family:黑体'>总体情况</span></h1>\n"
            "<p class=MsoNormal><span style='display:none;mso-hide:all'>批注</span>本机关<span lang=EN-US>2024</span>年"
            "共收到申请<span lang=EN-US>13</span>件。</p>\n"
            "<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>\n</div></body></html>")
    doc = parse_html(page)
    assert [(p.text, p.heading_level) for p in doc.paragraphs()] == [
        ("一、\xa0\xa0 总体情况", 1), ("本机关2024年共收到申请13件。", None)]
    assert [(p.line, p.col) for p in doc.paragraphs()] == [(5, 99), (6, 69)]


def test_layout_tables_are_read_as_content():
    """A page laid out with tables: the report's paragraphs come out in order, its data table as a table."""
    doc = parse_html("<table width=980><tr><td><a>首页</a></td></tr>"
                     "<tr><td><table><tr><td width=200>栏目导航</td><td>"
                     "<h1>某县2024年政府信息公开工作年度报告</h1><p>一、总体情况</p>"
                     "<table><caption>表一</caption><tr><td>信息内容</td><td>本年制发件数</td></tr>"
                     "<tr><td>规章</td><td>0</td></tr></table>"
                     "<p>二、主动公开政府信息情况</p></td></tr></table></td></tr></table>")
    kinds = [b.text if hasattr(b, "text") else [[c.text for c in r] for r in b.rows] for b in doc.blocks]
    assert kinds == ["首页", "栏目导航", "某县2024年政府信息公开工作年度报告", "一、总体情况", "表一",
                     [["信息内容", "本年制发件数"], ["规章", "0"]], "二、主动公开政府信息情况"]


def test_declared_gbk_charset(tmp_path, linter):
    """A page encoded in GBK declaring gb2312 (characters outside GBK written as &#...;): GB18030, same findings."""
    path = seed_html(FAULTY, tmp_path / "r.html", encoding="gbk", charset="gb2312")
    doc = read(str(path))
    assert doc.encoding == "gb18030"
    assert any("国务院令第七十一号" in p.text for p in doc.paragraphs())
    utf8 = seed_html(FAULTY, tmp_path / "u.html")
    assert Counter((f.rule, f.excerpt) for f in _findings(linter, path)) == \
        Counter((f.rule, f.excerpt) for f in _findings(linter, utf8))


@pytest.mark.parametrize("declaration", ['<meta charset="gbk">', '<meta charset="utf-8">', ""])
def test_gbk_page_declared_wrongly_or_not_at_all(declaration, tmp_path):
    path = tmp_path / "r.htm"
    path.write_bytes(f"<html><head>{declaration}</head><body><p>一、总体情况</p></body></html>".encode("gbk"))
    doc = read(str(path))
    assert doc.encoding == "gb18030" and doc.paragraphs()[0].text == "一、总体情况"


def test_declared_charset_the_sniffer_would_not_find(tmp_path):
    path = tmp_path / "r.html"
    body = "<body><p>政府資訊公開工作年度報告，統計期限為全年。</p></body></html>"
    path.write_bytes(('<html><head><meta charset="big5"></head>' + body).encode("big5"))
    assert read(str(path)).paragraphs()[0].text == "政府資訊公開工作年度報告，統計期限為全年。"
    path.write_bytes(("<html>" + body).encode("big5"))
    with pytest.raises(InputError) as e:
        read(str(path))
    assert e.value.code == "E011"


@pytest.mark.parametrize("bom,encoding", [(b"\xef\xbb\xbf", "utf-8"), (b"", "utf-16")])
def test_bom_wins_over_the_declaration(bom, encoding, tmp_path):
    path = tmp_path / "r.html"
    page = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>\n<body><p>一、总体情况</p></body></html>'
    path.write_bytes(bom + page.encode(encoding))
    doc = read(str(path))
    assert doc.paragraphs()[0].text == "一、总体情况" and (doc.paragraphs()[0].line, doc.paragraphs()[0].col) == (2, 10)


@pytest.mark.parametrize("content,code", [
    (b"", "E001"),
    (b"  \r\n\n", "E001"),
    (b'<html><head><script src="app.js"></script></head><body><div id="app"></div></body></html>', "E001"),
    (FAULTY.read_bytes(), "E010"),  # a text report (with its 「<http://www.fzcl.gov.cn/>」) named .html
    (b"%PDF-1.7\n1 0 obj\n", "E012"),
    (b"PK\x03\x04\x14\x00\x06\x00", "E012"),
    (b"<html>\x00\x01\x02</html>", "E012"),
    ("<html><body><p>政府資訊公開工作年度報告，統計期限為全年。</p></body></html>".encode("big5") * 3, "E011"),
])
def test_unreadable_pages_have_a_code(content, code, tmp_path):
    path = tmp_path / "r.html"
    path.write_bytes(content)
    with pytest.raises(InputError) as e:
        read(str(path))
    assert e.value.code == code and e.value.message.startswith(str(path))


def test_oversized_page(tmp_path, monkeypatch):
    import gxlint.readers.html as reader

    path = seed_html(CLEAN, tmp_path / "r.html")
    monkeypatch.setattr(reader, "MAX_HTML", path.stat().st_size - 1)
    with pytest.raises(InputError) as e:
        read(str(path))
    assert e.value.code == "E006"


def test_htm_suffix_any_case(tmp_path):
    path = tmp_path / "REPORT.HTM"
    path.write_bytes(render_html(seed_blocks(CLEAN.read_text(encoding="utf-8"))).encode("utf-8"))
    assert read(str(path)).format == "html"


def _gxlint(*args):
    p = subprocess.run([sys.executable, "-m", "gxlint", *map(str, args)], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


@pytest.mark.slow
def test_cli_exit_codes(tmp_path):
    faulty = seed_html(FAULTY, tmp_path / "faulty.html")
    rc, out, err = _gxlint(faulty)
    assert rc == 1 and len(out.strip().split("\n")) == 7 and "Traceback" not in err
    assert f"{faulty}:44:48: error: GX210" in out  # display column: 23 CJK characters before it
    assert _gxlint(seed_html(CLEAN, tmp_path / "clean.htm"))[0] == 0
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    rc, out, err = _gxlint(empty)
    assert rc == 2 and f"{empty}: error: E001" in out
    rc, out, _ = _gxlint("--format", "json", tmp_path)  # a folder: .html and .htm files are linted
    files = {Path(f["path"]).name: f for f in json.loads(out)["files"]}
    assert rc != 0 and set(files) == {"clean.htm", "empty.html", "faulty.html"}
    assert files["empty.html"]["error"]["code"] == "E001" and len(files["faulty.html"]["findings"]) == 7


def test_text_behind_entities_still_gets_a_line(tmp_path):
    """When the text is not literally in the source line the column falls back, and nothing breaks."""
    path = tmp_path / "r.html"
    path.write_text("<p>依据《中华人民共和国政府信息公开条例》\n（&#22269;&#21153;&#38498;令第七十一号）</p>",
                    encoding="utf-8")
    rc, out, _ = _gxlint(path, "--select", "GX210")
    assert rc == 1 and out.startswith(f"{path}:1:")
