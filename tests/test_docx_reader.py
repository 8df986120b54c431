"""Tests for gxlint.readers.docx: structure, accepted view, numbering, tables, bad inputs."""
from __future__ import annotations

import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document as new_docx
from docx.oxml import parse_xml

from gxlint.errors import InputError
from gxlint.model import Paragraph, Table
from gxlint.readers.docx import format_number, read_docx

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f'xmlns:w="{W_NS}"'
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
REPO = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- helpers
def save(doc, tmp_path: Path, name: str = "t.docx") -> Path:
    path = tmp_path / name
    doc.save(str(path))
    return path


def el(xml: str):
    return parse_xml(xml)


def p_xml(text: str, extra: str = "") -> str:
    return f'<w:p {W}>{extra}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def texts(document) -> list[str]:
    return [b.text for b in document.blocks if isinstance(b, Paragraph)]


def rezip(src: Path, dst: Path, mutate, compression=zipfile.ZIP_DEFLATED) -> Path:
    """Copy a .docx, letting ``mutate(dict name -> bytes)`` change its members."""
    with zipfile.ZipFile(src) as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    mutate(members)
    with zipfile.ZipFile(dst, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return dst


@pytest.fixture
def plain(tmp_path) -> Path:
    doc = new_docx()
    doc.add_heading("总体情况", level=1)
    doc.add_paragraph("本年度共收到申请12件。")
    return save(doc, tmp_path, "plain.docx")


def read_error(path) -> InputError:
    with pytest.raises(InputError) as info:
        read_docx(str(path))
    err = info.value
    # one line, in Chinese
    assert "\n" not in err.message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err.message), err.message
    assert str(err).startswith(err.code + ": ")
    return err


# --------------------------------------------------------------------------- body order
def test_body_order_with_block_level_content_control_and_custom_xml(tmp_path):
    doc = new_docx()
    doc.add_paragraph("正文第一段")
    body = doc.element.body
    sdt = el(f'<w:sdt {W}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
             f'</w:docPartObj></w:sdtPr><w:sdtContent>'
             f'<w:p><w:r><w:t>目录</w:t></w:r></w:p>'
             f'<w:p><w:r><w:t>一、总体情况……1</w:t></w:r></w:p>'
             f'</w:sdtContent></w:sdt>')
    body.insert(0, sdt)  # before "正文第一段"
    p = doc.add_paragraph("填报单位：")
    p._p.append(el(f'<w:sdt {W}><w:sdtContent><w:r><w:t>XX市司法局</w:t></w:r></w:sdtContent></w:sdt>'))
    p._p.append(el(f'<w:smartTag {W} w:uri="u" w:element="e"><w:r><w:t>（盖章）</w:t></w:r></w:smartTag>'))
    body.insert(len(body) - 1, el(  # before w:sectPr
        f'<w:customXml {W} w:element="part"><w:p><w:r><w:t>自定义XML段落</w:t></w:r></w:p></w:customXml>'))
    doc.add_paragraph("最后一段")

    d = read_docx(str(save(doc, tmp_path)))
    assert d.format == "docx"
    assert d.path.endswith("t.docx")
    assert texts(d) == ["目录", "一、总体情况……1", "正文第一段", "填报单位：XX市司法局（盖章）",
                        "自定义XML段落", "最后一段"]
    assert [b.line for b in d.blocks] == [1, 2, 3, 4, 5, 6]
    assert all(b.col == 1 for b in d.blocks)
    assert d.blocks[2].style == "Normal"


def test_fields_tabs_breaks_and_hyperlinks(tmp_path):
    doc = new_docx()
    p = doc.add_paragraph()
    p._p.append(el(f'<w:r {W}><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:br/><w:t>丙</w:t>'
                   f'<w:noBreakHyphen/><w:t>丁</w:t><w:cr/></w:r>'))
    p._p.append(el(f'<w:hyperlink {W} w:anchor="x"><w:r><w:t>链接</w:t></w:r></w:hyperlink>'))
    p._p.append(el(f'<w:fldSimple {W} w:instr=" PAGE "><w:r><w:t>7</w:t></w:r></w:fldSimple>'))
    p._p.append(el(f'<w:r {W}><w:instrText> PAGE </w:instrText></w:r>'))
    d = read_docx(str(save(doc, tmp_path)))
    assert texts(d) == ["甲\t乙\n丙-丁\n链接7"]


# --------------------------------------------------------------------------- tracked changes
def test_tracked_insertion_and_deletion_accepted_view(tmp_path):
    doc = new_docx()
    p = doc.add_paragraph()
    for xml in (
        f'<w:r {W}><w:t>依法保护第三方</w:t></w:r>',
        f'<w:ins {W} w:id="1" w:author="审校" w:date="2025-01-02T00:00:00Z"><w:r><w:t>合法</w:t></w:r></w:ins>',
        f'<w:r {W}><w:t>权益，</w:t></w:r>',
        f'<w:del {W} w:id="2" w:author="审校" w:date="2025-01-02T00:00:00Z">'
        f'<w:r><w:delText>不予</w:delText></w:r></w:del>',
        f'<w:moveFrom {W} w:id="3" w:author="审校"><w:r><w:t>旧位置</w:t></w:r></w:moveFrom>',
        f'<w:r {W}><w:t>及时答复</w:t></w:r>',
        f'<w:moveTo {W} w:id="4" w:author="审校"><w:r><w:t>（已移动）</w:t></w:r></w:moveTo>',
        f'<w:r {W}><w:t>。</w:t></w:r>',
    ):
        p._p.append(el(xml))
    d = read_docx(str(save(doc, tmp_path)))
    assert texts(d) == ["依法保护第三方合法权益，及时答复（已移动）。"]


def test_deleted_paragraph_mark_merges_with_next_paragraph(tmp_path):
    doc = new_docx()
    doc.add_paragraph("第一段")
    p = doc.add_paragraph("前半句，")
    p._p.get_or_add_pPr().append(el(
        f'<w:rPr {W}><w:del w:id="9" w:author="审校" w:date="2025-01-02T00:00:00Z"/></w:rPr>'))
    doc.add_paragraph("后半句。")
    doc.add_paragraph("末段")
    d = read_docx(str(save(doc, tmp_path)))
    assert texts(d) == ["第一段", "前半句，后半句。", "末段"]
    assert [b.line for b in d.blocks] == [1, 2, 4]  # the merged paragraph starts at paragraph 2


# --------------------------------------------------------------------------- text boxes
TEXTBOX_RUN = f"""
<w:r {W} {MC}
 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
 xmlns:v="urn:schemas-microsoft-com:vml">
 <mc:AlternateContent>
  <mc:Choice Requires="wps">
   <w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1"
     behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">
    <wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>
    <wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>
    <wp:extent cx="1800000" cy="400000"/><wp:effectExtent l="0" t="0" r="0" b="0"/>
    <wp:wrapSquare wrapText="bothSides"/><wp:docPr id="5" name="TextBox 5"/><wp:cNvGraphicFramePr/>
    <a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
     <wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1800000" cy="400000"/>
      </a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>
      <wps:txbx><w:txbxContent><w:p><w:r><w:t>文本框第一段</w:t></w:r></w:p>
        <w:p><w:r><w:t>文本框第二段</w:t></w:r></w:p></w:txbxContent></wps:txbx>
      <wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>
  </mc:Choice>
  <mc:Fallback>
   <w:pict><v:shape id="tb5" type="#_x0000_t202" style="width:140pt;height:30pt">
    <v:textbox><w:txbxContent><w:p><w:r><w:t>文本框第一段</w:t></w:r></w:p>
      <w:p><w:r><w:t>文本框第二段</w:t></w:r></w:p></w:txbxContent></v:textbox>
   </v:shape></w:pict>
  </mc:Fallback>
 </mc:AlternateContent>
</w:r>"""


def test_text_box_read_once_after_its_host_paragraph(tmp_path):
    doc = new_docx()
    doc.add_paragraph("前一段")
    host = doc.add_paragraph("正文段落含文本框：")
    host._p.append(el(TEXTBOX_RUN))
    host.add_run("框后文字")
    doc.add_paragraph("后一段")
    d = read_docx(str(save(doc, tmp_path)))
    assert texts(d) == ["前一段", "正文段落含文本框：框后文字", "文本框第一段", "文本框第二段", "后一段"]
    assert [b.line for b in d.blocks] == [1, 2, 3, 4, 5]


def test_vml_only_text_box_is_read(tmp_path):
    doc = new_docx()
    host = doc.add_paragraph("旧式文本框：")
    host._p.append(el(
        f'<w:r {W} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent>'
        f'<w:p><w:r><w:t>VML 内容</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>'))
    d = read_docx(str(save(doc, tmp_path)))
    assert texts(d) == ["旧式文本框：", "VML 内容"]


# --------------------------------------------------------------------------- numbering
ABSTRACT_CN = f"""
<w:abstractNum {W} w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
    <w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
    <w:lvlText w:val="（%2）"/><w:lvlJc w:val="left"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
    <w:lvlText w:val="%3."/><w:lvlJc w:val="left"/></w:lvl>
</w:abstractNum>"""
ABSTRACT_DEC = f"""
<w:abstractNum {W} w:abstractNumId="91">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimalEnclosedCircle"/>
    <w:lvlText w:val="%1"/></w:lvl>
</w:abstractNum>"""


def add_numbering(doc):
    numbering = doc.part.numbering_part.element
    first_num = numbering.find(f"{{{W_NS}}}num")
    for xml in (ABSTRACT_CN, ABSTRACT_DEC):
        if first_num is not None:
            first_num.addprevious(el(xml))
        else:
            numbering.append(el(xml))
    numbering.append(el(f'<w:num {W} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    numbering.append(el(f'<w:num {W} w:numId="91"><w:abstractNumId w:val="91"/></w:num>'))
    numbering.append(el(
        f'<w:num {W} w:numId="92"><w:abstractNumId w:val="91"/>'
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))


def num_pr(num_id, ilvl=None) -> str:
    lvl = f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else ""
    return f'<w:numPr {W}>{lvl}<w:numId w:val="{num_id}"/></w:numPr>'


def test_auto_numbered_headings_from_styles_and_direct_numpr(tmp_path):
    doc = new_docx()
    add_numbering(doc)
    # Word style: Heading 1 carries numId only (level 0), Heading 2 carries ilvl 1
    doc.styles["Heading 1"].element.get_or_add_pPr().append(el(num_pr(90)))
    doc.styles["Heading 2"].element.get_or_add_pPr().append(el(num_pr(90, 1)))

    doc.add_paragraph("年度报告", style="Title")
    doc.add_heading("总体情况", level=1)                 # 一、
    doc.add_heading("主动公开", level=2)                 # （一）
    doc.add_paragraph("正文。")
    doc.add_heading("依申请公开", level=2)               # （二）
    doc.add_heading("收到和处理政府信息公开申请情况", level=1)  # 二、
    doc.add_heading("申请情况", level=2)                 # （一）: restarted under 二、
    p = doc.add_paragraph("直接编号段落")                 # direct numPr, level 1 -> （二）
    p._p.get_or_add_pPr().append(el(num_pr(90, 1)))
    p = doc.add_paragraph("第三级")                       # direct numPr, level 2 decimal -> 1.
    p._p.get_or_add_pPr().append(el(num_pr(90, 2)))
    h = doc.add_heading("三、手写编号的标题", level=1)    # numbering removed: numId 0
    h._p.get_or_add_pPr().append(el(num_pr(0)))
    doc.add_heading("存在的主要问题", level=1)           # 四、? no: counters continue -> 三、
    for t in ("甲", "乙"):
        doc.add_paragraph(t)._p.get_or_add_pPr().append(el(num_pr(91)))
    doc.add_paragraph("丙")._p.get_or_add_pPr().append(el(num_pr(92)))  # startOverride restarts

    d = read_docx(str(save(doc, tmp_path)))
    got = [(b.number, b.text, b.heading_level, b.style) for b in d.blocks]
    assert got == [
        ("", "年度报告", None, "Title"),
        ("一、", "总体情况", 1, "Heading 1"),
        ("（一）", "主动公开", 2, "Heading 2"),
        ("", "正文。", None, "Normal"),
        ("（二）", "依申请公开", 2, "Heading 2"),
        ("二、", "收到和处理政府信息公开申请情况", 1, "Heading 1"),
        ("（一）", "申请情况", 2, "Heading 2"),
        ("（二）", "直接编号段落", None, "Normal"),
        ("1.", "第三级", None, "Normal"),
        ("", "三、手写编号的标题", 1, "Heading 1"),
        ("三、", "存在的主要问题", 1, "Heading 1"),
        ("①", "甲", None, "Normal"),
        ("②", "乙", None, "Normal"),
        ("①", "丙", None, "Normal"),
    ]
    assert d.blocks[1].shown == "一、总体情况"


def test_style_linked_level_and_outline_level(tmp_path):
    """A style with numId but no ilvl gets its level from w:lvl/w:pStyle; outlineLvl gives heading_level."""
    doc = new_docx()
    numbering = doc.part.numbering_part.element
    numbering.insert(0, el(
        f'<w:abstractNum {W} w:abstractNumId="70">'
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        f'<w:pStyle w:val="Heading1"/><w:lvlText w:val="%1、"/></w:lvl>'
        f'<w:lvl w:ilvl="1"><w:start w:val="3"/><w:numFmt w:val="decimalFullWidth"/>'
        f'<w:pStyle w:val="Heading2"/><w:lvlText w:val="%1.%2"/><w:isLgl/></w:lvl>'
        f'</w:abstractNum>'))
    numbering.append(el(f'<w:num {W} w:numId="70"><w:abstractNumId w:val="70"/></w:num>'))
    for name in ("Heading 1", "Heading 2"):
        doc.styles[name].element.get_or_add_pPr().append(el(num_pr(70)))
    doc.add_heading("一级", level=1)
    doc.add_heading("二级", level=2)
    p = doc.add_paragraph("大纲级别段落")
    p._p.get_or_add_pPr().append(el(f'<w:outlineLvl {W} w:val="2"/>'))
    d = read_docx(str(save(doc, tmp_path)))
    assert [(b.number, b.heading_level) for b in d.blocks] == [("一、", 1), ("1.3", 2), ("", 3)]


@pytest.mark.parametrize("n, fmt, expected", [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCounting", "十一"),
    (20, "chineseCounting", "二十"), (21, "chineseCounting", "二十一"),
    (105, "chineseCountingThousand", "一百零五"), (110, "chineseCountingThousand", "一百一十"),
    (3, "ideographTraditional", "丙"), (12, "chineseLegalSimplified", "壹拾贰"),
    (12, "decimalFullWidth", "１２"), (3, "decimalEnclosedCircle", "③"),
    (28, "lowerLetter", "bb"), (2, "upperLetter", "B"), (14, "lowerRoman", "xiv"),
    (9, "upperRoman", "IX"), (4, "bullet", ""), (4, "none", ""), (7, "madeUpFormat", "7"),
])
def test_format_number(n, fmt, expected):
    assert format_number(n, fmt) == expected


# --------------------------------------------------------------------------- tables
def build_table_doc(tmp_path) -> Path:
    doc = new_docx()
    doc.add_paragraph("表前段落")
    t = doc.add_table(rows=5, cols=4)
    t.cell(0, 0).merge(t.cell(0, 3)).text = "第二十条第（一）项"            # gridSpan=4
    for c, s in enumerate(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]):
        t.cell(1, c).text = s
    t.cell(2, 0).text = "规章"
    t.cell(3, 0).text = "行政规范性文件"
    for r, vals in ((2, "0 0 5"), (3, "3 1 20")):
        for c, v in enumerate(vals.split(), start=1):
            t.cell(r, c).text = v
    t.cell(2, 0).merge(t.cell(3, 0))                                        # vMerge restart/continue
    t.cell(4, 0).text = "合计"
    t.cell(4, 1).merge(t.cell(4, 2)).text = "3"                             # gridSpan=2
    host = t.cell(4, 3)
    host.text = "备注"
    inner = host.add_table(rows=1, cols=2)                                  # nested table
    inner.cell(0, 0).text = "嵌套A"
    inner.cell(0, 1).text = "嵌套B"

    t2 = doc.add_table(rows=2, cols=3)
    for c in range(3):
        t2.cell(0, c).text = f"H{c}"
    tr = t2.rows[1]._tr
    tr.remove(tr.tc_lst[0])                                                 # row 1 starts late
    tr.get_or_add_trPr().insert(0, el(f'<w:gridBefore {W} w:val="1"/>'))
    tr.tc_lst[0].clear_content()
    tr.tc_lst[0].add_p().add_r().text = "B1"
    tr.tc_lst[1].clear_content()
    tr.tc_lst[1].add_p().add_r().text = "B2"
    doc.add_paragraph("表后段落")
    return save(doc, tmp_path, "tables.docx")


def test_table_grid_merges_gridbefore_and_nested_table(tmp_path):
    d = read_docx(str(build_table_doc(tmp_path)))
    kinds = [type(b).__name__ for b in d.blocks]
    assert kinds == ["Paragraph", "Table", "Table", "Table", "Paragraph"]
    outer, nested, t2 = d.blocks[1], d.blocks[2], d.blocks[3]
    assert isinstance(outer, Table) and outer.grid

    def cells(table):
        return [[(c.row, c.column, c.rowspan, c.colspan, c.text) for c in row] for row in table.rows]

    assert cells(outer) == [
        [(0, 0, 1, 4, "第二十条第（一）项")],
        [(1, 0, 1, 1, "信息内容"), (1, 1, 1, 1, "本年制发件数"), (1, 2, 1, 1, "本年废止件数"),
         (1, 3, 1, 1, "现行有效件数")],
        [(2, 0, 2, 1, "规章\n行政规范性文件"), (2, 1, 1, 1, "0"), (2, 2, 1, 1, "0"), (2, 3, 1, 1, "5")],
        [(3, 1, 1, 1, "3"), (3, 2, 1, 1, "1"), (3, 3, 1, 1, "20")],          # continue cell dropped
        [(4, 0, 1, 1, "合计"), (4, 1, 1, 2, "3"), (4, 3, 1, 1, "备注\n")],     # nested text excluded
    ]
    assert cells(nested) == [[(0, 0, 1, 1, "嵌套A"), (0, 1, 1, 1, "嵌套B")]]
    assert cells(t2) == [[(0, 0, 1, 1, "H0"), (0, 1, 1, 1, "H1"), (0, 2, 1, 1, "H2")],
                         [(1, 1, 1, 1, "B1"), (1, 2, 1, 1, "B2")]]

    # paragraph numbering: every w:p once, in document order, cells and nested tables included
    assert d.blocks[0].line == 1
    assert outer.line == 2
    lines = [[c.line for c in row] for row in outer.rows]
    # the merged label holds paragraphs 7-8; the dropped continue cell's empty paragraph is 12;
    # the host cell "备注" is 18, the nested table 19-20, the host cell's last paragraph 21
    assert lines == [[2], [3, 4, 5, 6], [7, 9, 10, 11], [13, 14, 15], [16, 17, 18]]
    assert nested.line == 19 and [c.line for c in nested.rows[0]] == [19, 20]
    assert t2.line == 22
    assert [c.line for c in t2.rows[1]] == [25, 26]
    assert d.blocks[-1].line == 27 and d.blocks[-1].text == "表后段落"
    # cell paragraphs are not emitted as Paragraph blocks
    assert [b.text for b in d.blocks if isinstance(b, Paragraph)] == ["表前段落", "表后段落"]
    assert all(c.col == 1 for t in (outer, nested, t2) for row in t.rows for c in row)


def test_table_rows_in_content_controls_deleted_rows_and_tracked_cell_text(tmp_path):
    doc = new_docx()
    t = doc.add_table(rows=3, cols=2)
    for r in range(3):
        for c in range(2):
            t.cell(r, c).text = f"R{r}C{c}"
    tbl = t._tbl
    rows = tbl.tr_lst
    rows[1].get_or_add_trPr().append(el(f'<w:del {W} w:id="5" w:author="审校"/>'))  # deleted row
    sdt = el(f'<w:sdt {W}><w:sdtPr/><w:sdtContent/></w:sdt>')                      # repeating section
    rows[2].addprevious(sdt)
    sdt[1].append(rows[2])
    cell_p = rows[0].tc_lst[1].p_lst[0]
    cell_p.append(el(f'<w:ins {W} w:id="6" w:author="审校"><w:r><w:t>+新增</w:t></w:r></w:ins>'))
    cell_p.append(el(f'<w:del {W} w:id="7" w:author="审校"><w:r><w:delText>删除</w:delText></w:r></w:del>'))
    doc.add_paragraph("表后")
    d = read_docx(str(save(doc, tmp_path)))
    table = d.blocks[0]
    assert [[(c.row, c.column, c.text, c.line) for c in row] for row in table.rows] == [
        [(0, 0, "R0C0", 1), (0, 1, "R0C1+新增", 2)],
        [(1, 0, "R2C0", 5), (1, 1, "R2C1", 6)],  # the deleted row's paragraphs 3-4 still count
    ]
    assert d.blocks[1].text == "表后" and d.blocks[1].line == 7


# --------------------------------------------------------------------------- bad inputs: OLE
def cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal but valid OLE2 compound file (version 3, 512-byte sectors).

    Each stream is padded to 4096 bytes so it lives in regular sectors; no mini stream.
    """
    assert len(streams) <= 3  # one directory sector: root + 3 entries
    sector = 512
    endofchain, freesect, fatsect, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    # sibling order in the directory tree: by name length, then upper-case name
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    fat = [fatsect, endofchain]  # sector 0 = FAT, sector 1 = directory
    data_sectors, starts, sizes = [], {}, {}
    for name in names:
        size = max(len(streams[name]), 4096)  # >= the mini-stream cutoff: regular sectors
        data = streams[name].ljust(-(-size // sector) * sector, b"\0")
        n = len(data) // sector
        first = len(fat)
        starts[name], sizes[name] = first, size
        fat.extend(range(first + 1, first + n))
        fat.append(endofchain)
        data_sectors.append(data)
    assert len(fat) <= sector // 4
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat) + struct.pack("<I", freesect) * (sector // 4 - len(fat))

    def entry(name, kind, left=nostream, right=nostream, child=nostream, start=endofchain, size=0):
        raw = name.encode("utf-16-le") + b"\0\0" if name else b""
        return struct.pack("<64sHBBIII16sIQQIQ", raw, len(raw), kind, 1, left, right, child,
                           b"\0" * 16, 0, 0, 0, start, size)

    entries = [entry("Root Entry", 5, child=1 if names else nostream)]
    for i, name in enumerate(names, start=1):
        entries.append(entry(name, 2, right=i + 1 if i < len(names) else nostream,
                             start=starts[name], size=sizes[name]))
    while len(entries) < 4:
        entries.append(entry("", 0))
    directory = b"".join(entries)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("d0cf11e0a1b11ae1"), b"\0" * 16, 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6,
        0, 1, 1, 0, 4096, endofchain, 0, endofchain, 0,
    ) + struct.pack("<I", 0) + struct.pack("<I", freesect) * 108
    assert len(header) == 512 and len(directory) == 512
    return header + fat_bytes + directory + b"".join(data_sectors)


def test_cfb_writer_is_well_formed():
    blob = cfb({"WordDocument": b"\xec\xa5" + b"\0" * 100, "1Table": b"x"})
    assert blob[:8] == bytes.fromhex("d0cf11e0a1b11ae1")
    assert len(blob) % 512 == 0
    first_dir = struct.unpack_from("<I", blob, 48)[0]
    root = blob[512 * (first_dir + 1):512 * (first_dir + 1) + 128]
    assert root[:20].decode("utf-16-le") == "Root Entry"
    assert root[66] == 5


def test_legacy_doc_is_e003(tmp_path):
    path = tmp_path / "old.docx"
    path.write_bytes(cfb({"WordDocument": b"\xec\xa5" + b"\0" * 600, "1Table": b"\0" * 10,
                          "\x05SummaryInformation": b"\0" * 10}))
    err = read_error(path)
    assert err.code == "E003"
    assert ".doc" in err.message and "另存为 .docx" in err.message


def test_encrypted_docx_is_e002(tmp_path):
    path = tmp_path / "secret.docx"
    path.write_bytes(cfb({"EncryptionInfo": b"\x04\x00\x04\x00" + b"\0" * 200,
                          "EncryptedPackage": os.urandom(5000)}))
    err = read_error(path)
    assert err.code == "E002"
    assert "密码" in err.message


def test_other_ole_file_is_e004(tmp_path):
    path = tmp_path / "report.wps"
    path.write_bytes(cfb({"WpsContent": b"\0" * 100}))
    assert read_error(path).code == "E004"


def test_stream_name_in_file_data_is_not_a_directory_entry(tmp_path):
    # "WordDocument" appears in a stream's data, not at a directory-entry position
    path = tmp_path / "x.docx"
    path.write_bytes(cfb({"Data": b"\0\0\0" + "WordDocument".encode("utf-16-le") + b"\0\0"}))
    assert read_error(path).code == "E004"


# --------------------------------------------------------------------------- bad inputs: package
def test_empty_file_is_e001(tmp_path):
    path = tmp_path / "empty.docx"
    path.write_bytes(b"")
    assert read_error(path).code == "E001"


def test_text_renamed_docx_is_e005(tmp_path):
    path = tmp_path / "text.docx"
    path.write_text("这不是docx，只是一段文字。", encoding="utf-8")
    assert read_error(path).code == "E005"


def test_truncated_zip_is_e005(tmp_path, plain):
    data = plain.read_bytes()
    path = tmp_path / "trunc.docx"
    path.write_bytes(data[: len(data) // 2])
    err = read_error(path)
    assert err.code == "E005"
    assert "截断" in err.message


def test_word_lock_file_is_refused(tmp_path):
    path = tmp_path / "~$报告.docx"
    path.write_bytes(b"\x0cAdministrator" + b"\0" * 149)
    err = read_error(path)
    assert err.code in ("E001", "E005")
    assert "锁文件" in err.message


def test_missing_file_and_directory_are_e013(tmp_path):
    assert read_error(tmp_path / "nope.docx").code == "E013"
    assert read_error(tmp_path).code == "E013"


def test_missing_document_part_is_e007(tmp_path, plain):
    bad = rezip(plain, tmp_path / "nodoc.docx", lambda m: m.pop("word/document.xml"))
    err = read_error(bad)
    assert err.code == "E007"
    assert "word/document.xml" in err.message


def test_missing_content_types_is_e007(tmp_path, plain):
    bad = rezip(plain, tmp_path / "noct.docx", lambda m: m.pop("[Content_Types].xml"))
    err = read_error(bad)
    assert err.code == "E007"
    assert "[Content_Types].xml" in err.message


def test_crc_error_is_e007(tmp_path, plain):
    bad = rezip(plain, tmp_path / "crc.docx", lambda m: None, compression=zipfile.ZIP_STORED)
    data = bytearray(bad.read_bytes())
    with zipfile.ZipFile(bad) as z:
        info = z.getinfo("word/document.xml")
    # local header: 30 bytes + name + extra, then the stored data
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    pos = info.header_offset + 30 + name_len + extra_len + 200
    data[pos] = ord("X") if data[pos] != ord("X") else ord("Y")
    bad.write_bytes(bytes(data))
    err = read_error(bad)
    assert err.code == "E007"
    assert "word/document.xml" in err.message


def test_corrupt_document_xml_is_e008(tmp_path, plain):
    bad = rezip(plain, tmp_path / "bad.docx",
                lambda m: m.__setitem__("word/document.xml", m["word/document.xml"][:-40]))
    err = read_error(bad)
    assert err.code == "E008"
    assert "word/document.xml" in err.message


def test_corrupt_styles_xml_is_e008_naming_the_part(tmp_path, plain):
    bad = rezip(plain, tmp_path / "bad.docx", lambda m: m.__setitem__("word/styles.xml", b"<w:styles"))
    err = read_error(bad)
    assert err.code == "E008"
    assert "word/styles.xml" in err.message


def test_corrupt_comments_xml_is_never_read(tmp_path, plain):
    def garbage(m):
        m["word/comments.xml"] = b"<w:comments \xff\xfe garbage"
        m["word/footnotes.xml"] = b"not xml at all"
    d = read_docx(str(rezip(plain, tmp_path / "c.docx", garbage)))
    assert texts(d) == ["总体情况", "本年度共收到申请12件。"]


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lolololololololololo">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10))
          + b"]>")


def with_doctype(m: dict, doctype: bytes, entity: bytes):
    xml = m["word/document.xml"]
    body = xml.split(b"?>", 1)[1]
    assert "总体情况".encode() in body
    m["word/document.xml"] = doctype + body.replace("总体情况".encode(), entity, 1)


def test_billion_laughs_is_e008_and_never_parsed(tmp_path, plain, monkeypatch):
    from lxml import etree

    bad = rezip(plain, tmp_path / "laughs.docx", lambda m: with_doctype(m, LAUGHS, b"&lol9;"))
    parsed = []  # what reached the XML parser (the reader calls etree.fromstring)
    fromstring = etree.fromstring

    def spy(data, *args, **kwargs):
        parsed.append(data)
        return fromstring(data, *args, **kwargs)

    monkeypatch.setattr(etree, "fromstring", spy)
    err = read_error(bad)
    assert parsed and not [d for d in parsed if b"<!ENTITY" in d]  # refused before the parser sees it
    assert err.code == "E008"
    assert "word/document.xml" in err.message


def test_external_entity_is_not_resolved(tmp_path, plain):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-42", encoding="utf-8")
    doctype = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "'
               + secret.as_uri().encode() + b'">]>')
    bad = rezip(plain, tmp_path / "xxe.docx", lambda m: with_doctype(m, doctype, "前&xxe;后".encode()))
    try:
        d = read_docx(str(bad))
    except InputError as e:  # refusing the file is acceptable too
        assert e.code == "E008"
        assert "TOPSECRET" not in e.message
        return
    all_text = "".join(b.text for b in d.blocks if isinstance(b, Paragraph))
    assert "TOPSECRET" not in all_text
    assert texts(d)[0] == "前后"


@pytest.mark.parametrize("new_type, what", [
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml", ".dotx"),
    ("application/vnd.ms-word.document.macroEnabled.main+xml", ".docm"),
])
def test_template_and_macro_documents_are_e009(tmp_path, plain, new_type, what):
    def retype(m):
        m["[Content_Types].xml"] = m["[Content_Types].xml"].replace(
            b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            new_type.encode())
    err = read_error(rezip(plain, tmp_path / "tmpl.docx", retype))
    assert err.code == "E009"
    assert what in err.message and ".docx" in err.message


@pytest.mark.slow
def test_zip_bomb_is_e006_before_reading(tmp_path, plain, monkeypatch):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            if info.filename == "word/document.xml":
                head, tail = zin.read(info).split(b"<w:body>", 1)
                with z.open("word/document.xml", "w", force_zip64=True) as w:
                    w.write(head + b"<w:body>")
                    chunk = b" " * (1 << 20)
                    for _ in range(210):
                        w.write(chunk)
                    w.write(tail)
            else:
                z.writestr(info, zin.read(info))
    assert path.stat().st_size < 2 * 2**20
    inflated = []  # what the reader takes out of the package (it reads members through ZipExtFile)
    read = zipfile.ZipExtFile.read

    def counting(self, n=-1):
        data = read(self, n)
        inflated.append(len(data))
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting)
    err = read_error(path)
    assert err.code == "E006"
    assert sum(inflated) < 2**20  # refused from its declared size: the 210 MiB are never inflated


def test_high_ratio_member_is_e006(tmp_path, plain):
    # 50 MiB of spaces: under the per-member limit but compressed ~1000:1
    bad = rezip(plain, tmp_path / "ratio.docx",
                lambda m: m.__setitem__("word/media/blank.bin", b" " * (50 * 2**20)))
    err = read_error(bad)
    assert err.code == "E006"
    assert "word/media/blank.bin" in err.message


# --------------------------------------------------------------------------- import cost
def test_reader_does_not_import_python_docx(tmp_path):
    code = ("import sys, gxlint.readers.docx; "
            "sys.exit(1 if 'docx' in sys.modules else 0)")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    result = subprocess.run([sys.executable, "-c", code], cwd=str(tmp_path), env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
