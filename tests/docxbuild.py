"""Write realistic Word ``.docx`` test fixtures from a small block description.

The point of this module is that fixtures carry the *real* Word structures that make
reading a report hard, instead of the flat paragraphs ``python-docx``'s high-level API
writes:

* headings numbered by Word's automatic numbering (``chineseCounting`` "一、" / "（一）"),
  inherited from the Heading styles, so the number is **not** in the paragraph text;
* body paragraphs split into many runs with alternating formatting, plus tracked changes
  (``w:ins`` / ``w:del``) and bold runs;
* tables with ``w:gridSpan`` / ``w:vMerge`` merged cells, multi-paragraph cells;
* Word 2010 text boxes (``mc:AlternateContent``: DrawingML ``wps:txbx`` + VML fallback);
* block-level content controls (``w:sdt``).

Usage::

    from docxbuild import build_docx, applications_table
    build_docx([
        ("title", "XX市司法局2025年政府信息公开工作年度报告"),
        ("heading", 1, "总体情况"),                 # renders as 一、总体情况
        ("para", "依法保护第三方[+合法+]权益，[-不予-]及时答复，共**12**件。"),
        ("heading", 2, "主动公开"),                 # renders as （一）主动公开
        ("table", [["A", {"text": "B", "colspan": 2}], ["1", "2", "3"]]),
        ("textbox", "内部资料"),
        ("sdt", "填报单位：XX市司法局"),
    ], "report.docx")

Block kinds (an optional trailing ``dict`` of options is accepted by every kind):

``("title", text)``
    Paragraph in the ``title_style`` style (default "Title"), centred.
``("heading", level, text[, {"numbered": False} | {"direct": True}])``
    Level 1 or 2. Numbering comes from the Heading 1 / Heading 2 style's ``w:numPr``
    (Heading 1 style: ``numId`` only, as Word writes it; Heading 2 style: ``ilvl=1``).
    ``numbered: False`` writes a direct ``<w:numPr><w:numId w:val="0"/></w:numPr>``
    (numbering removed); ``direct: True`` writes a direct ``numPr`` with the same
    ``numId`` on the paragraph as well.
``("para", text[, {"split": 7, "style": "Normal"}])``
    Inline markup: ``[+abc+]`` tracked insertion, ``[-abc-]`` tracked deletion,
    ``**abc**`` bold run. Plain text is cut into runs of ``split`` characters (default 7,
    ``None``/0 = do not cut), every other plain run italic.
``("table", rows[, {"style": "Table Grid"}])``
    ``rows`` is a list of rows, a row a list of cells, a cell a ``str`` or
    ``{"text": str, "colspan": int, "vmerge": "restart" | "continue"}``. ``"\\n"`` in a
    cell's text makes several paragraphs. The grid width is that of the widest row; a
    narrower row is completed with ``w:gridAfter`` (as Word does). Cell text accepts the
    same inline markup as ``para`` but is not cut into runs.
``("textbox", text[, {"host": "text before the box"}])``
    A paragraph holding one text box, written twice (Choice + Fallback), like Word 2010+.
``("sdt", text[, {"tag": ..., "alias": ...}])``
    Block-level content control holding one paragraph.

National-table helpers return ready ``("table", rows)`` blocks in the Word layout of the
2021 national format (国办公开办函〔2021〕30号): :func:`disclosure_table` (part 二),
:func:`applications_table` (part 三, 10 grid columns), :func:`review_table` (part 四,
15 grid columns). ``APPLICATION_ROWS`` holds the official row labels of part 三.
"""
from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsmap, qn
from docx.shared import Mm

__all__ = [
    "build_docx",
    "applications_table",
    "review_table",
    "disclosure_table",
    "APPLICATION_ROWS",
    "TRIAL_APPLICATION_ROWS",
    "APPLICATIONS_NOTE",
    "REVIEW_LABELS",
    "AUTHOR",
    "REVISION_DATE",
    "W_NS",
]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WPS_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
V_NS = "urn:schemas-microsoft-com:vml"

AUTHOR = "审校"
REVISION_DATE = "2025-01-02T00:00:00Z"

# GB/T 9704-2012 page: A4, margins 37/35/28/26 mm -> text width 156 mm = 8844 twips
_TEXT_WIDTH_TWIPS = 8844
_DEFAULT_SPLIT = 7

_MARKUP = re.compile(r"\[\+(?P<ins>.*?)\+\]|\[-(?P<del>.*?)-\]|\*\*(?P<bold>.*?)\*\*", re.S)


# --------------------------------------------------------------------------- helpers
def _w(tag: str, **attrs) -> "OxmlElement":
    """A w: element with w: attributes (attribute names given without prefix)."""
    el = OxmlElement(f"w:{tag}")
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), str(v))
    return el


def _parse_markup(text: str):
    """Yield (kind, text) with kind in {"plain", "ins", "del", "bold"}."""
    pos = 0
    for m in _MARKUP.finditer(text):
        if m.start() > pos:
            yield "plain", text[pos:m.start()]
        kind = m.lastgroup
        yield kind, m.group(kind)
        pos = m.end()
    if pos < len(text):
        yield "plain", text[pos:]


def _make_run(text: str, *, bold=False, italic=False, deleted=False):
    r = _w("r")
    if bold or italic:
        rPr = _w("rPr")
        if bold:
            rPr.append(_w("b"))
        if italic:
            rPr.append(_w("i"))
        r.append(rPr)
    t = _w("delText" if deleted else "t")
    t.text = text
    if text != text.strip() or "  " in text:
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    r.append(t)
    return r


def _chunks(s: str, n):
    if not n:
        return [s]
    return [s[i:i + n] for i in range(0, len(s), n)]


def _cell_spec(cell):
    if isinstance(cell, dict):
        unknown = set(cell) - {"text", "colspan", "vmerge"}
        if unknown:
            raise ValueError(f"unknown cell keys {sorted(unknown)}")
        vm = cell.get("vmerge")
        if vm not in (None, "restart", "continue"):
            raise ValueError(f"vmerge must be 'restart' or 'continue', not {vm!r}")
        span = int(cell.get("colspan", 1))
        if span < 1:
            raise ValueError("colspan must be >= 1")
        return str(cell.get("text", "")), span, vm
    if isinstance(cell, str):
        return cell, 1, None
    raise TypeError(f"a table cell is a str or a dict, not {type(cell).__name__}")


def _split_opts(block, n_fixed):
    """Split a block tuple into its fixed fields and an options dict."""
    if len(block) == n_fixed + 1 and isinstance(block[-1], dict):
        return block[1:-1], block[-1]
    if len(block) != n_fixed:
        raise ValueError(f"malformed {block[0]!r} block: {block!r}")
    return block[1:], {}


# --------------------------------------------------------------------------- builder
class _Builder:
    def __init__(self, title_style: str):
        self.doc = Document()
        self.title_style = title_style
        self._rev_id = 100
        self._shape_id = 0
        self._sdt_id = 0
        self._setup_page()
        self._setup_styles()
        self.num_id = self._setup_numbering()

    # ---- document setup -----------------------------------------------------------
    def _setup_page(self):
        sec = self.doc.sections[0]
        sec.page_width, sec.page_height = Mm(210), Mm(297)
        sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
        sec.left_margin, sec.right_margin = Mm(28), Mm(26)

    def _set_east_asia(self, style, font):
        rPr = style.element.get_or_add_rPr()
        rFonts = rPr.get_or_add_rFonts()
        rFonts.set(qn("w:eastAsia"), font)
        rFonts.attrib.pop(qn("w:eastAsiaTheme"), None)     # a theme font would win

    def _setup_styles(self):
        styles = self.doc.styles
        self._set_east_asia(styles["Normal"], "仿宋_GB2312")
        for name in ("Heading 1", "Heading 2"):
            self._set_east_asia(styles[name], "黑体")
        if self.title_style not in [s.name for s in styles]:
            st = styles.add_style(self.title_style, WD_STYLE_TYPE.PARAGRAPH)
            st.base_style = styles["Title"]
        self._set_east_asia(styles[self.title_style], "方正小标宋简体")

    def _setup_numbering(self) -> int:
        """Add the chineseCounting abstractNum + num; link it to the Heading styles."""
        numbering = self.doc.part.numbering_part.element
        abs_ids = [int(x) for x in numbering.xpath("w:abstractNum/@w:abstractNumId")]
        num_ids = [int(x) for x in numbering.xpath("w:num/@w:numId")]
        abs_id = max(abs_ids, default=-1) + 1
        num_id = max(num_ids, default=0) + 1
        h1 = self.doc.styles["Heading 1"].style_id
        h2 = self.doc.styles["Heading 2"].style_id
        abstract = parse_xml(f"""
<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{abs_id}">
  <w:nsid w:val="5A3C1E{abs_id:02X}"/>
  <w:multiLevelType w:val="multilevel"/>
  <w:tmpl w:val="0409001D"/>
  <w:lvl w:ilvl="0">
    <w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="{h1}"/>
    <w:suff w:val="nothing"/><w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/>
    <w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr>
  </w:lvl>
  <w:lvl w:ilvl="1">
    <w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="{h2}"/>
    <w:suff w:val="nothing"/><w:lvlText w:val="（%2）"/><w:lvlJc w:val="left"/>
    <w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr>
  </w:lvl>
</w:abstractNum>""")
        existing_abs = numbering.findall(qn("w:abstractNum"))
        first_num = numbering.find(qn("w:num"))
        if existing_abs:
            existing_abs[-1].addnext(abstract)     # abstractNum elements precede w:num
        elif first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
        numbering.append(parse_xml(
            f'<w:num xmlns:w="{W_NS}" w:numId="{num_id}"><w:abstractNumId w:val="{abs_id}"/></w:num>'))
        # style-inherited numbering, as Word writes it: Heading 1 numId only, Heading 2 ilvl=1
        for name, ilvl in (("Heading 1", None), ("Heading 2", 1)):
            numPr = self.doc.styles[name].element.get_or_add_pPr().get_or_add_numPr()
            if ilvl is not None:
                numPr.get_or_add_ilvl().val = ilvl
            numPr.get_or_add_numId().val = num_id
        return num_id

    # ---- inline content -----------------------------------------------------------
    def _next_rev(self) -> int:
        self._rev_id += 1
        return self._rev_id

    def fill(self, p_el, text: str, split=None):
        """Append runs for ``text`` (with inline markup) to the w:p element ``p_el``."""
        plain_no = 0
        for kind, seg in _parse_markup(text):
            if not seg:
                continue
            if kind == "plain":
                for chunk in _chunks(seg, split):
                    p_el.append(_make_run(chunk, italic=bool(split) and plain_no % 2 == 1))
                    plain_no += 1
            elif kind == "bold":
                p_el.append(_make_run(seg, bold=True))
            else:
                wrapper = _w(kind, id=self._next_rev(), author=AUTHOR, date=REVISION_DATE)
                wrapper.append(_make_run(seg, deleted=(kind == "del")))
                p_el.append(wrapper)

    # ---- blocks -------------------------------------------------------------------
    def title(self, text, opts):
        p = self.doc.add_paragraph(style=self.title_style)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.fill(p._p, text, opts.get("split"))

    def heading(self, level, text, opts):
        if level not in (1, 2):
            raise ValueError(f"heading level must be 1 or 2, not {level!r}")
        unknown = set(opts) - {"numbered", "direct", "split"}
        if unknown:
            raise ValueError(f"unknown heading options {sorted(unknown)}")
        p = self.doc.add_paragraph(style=f"Heading {level}")
        if opts.get("numbered", True) is False:
            p._p.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = 0
        elif opts.get("direct"):
            numPr = p._p.get_or_add_pPr().get_or_add_numPr()
            numPr.get_or_add_ilvl().val = level - 1
            numPr.get_or_add_numId().val = self.num_id
        self.fill(p._p, text, opts.get("split"))

    def _add_p(self, style):
        return self.doc.add_paragraph(style=None if style in (None, "Normal") else style)

    def para(self, text, opts):
        p = self._add_p(opts.get("style"))
        self.fill(p._p, text, opts.get("split", _DEFAULT_SPLIT))

    def table(self, rows, opts):
        if not rows:
            raise ValueError("a table needs at least one row")
        specs = [[_cell_spec(c) for c in row] for row in rows]
        ncols = max(sum(span for _, span, _ in row) for row in specs)
        if ncols < 1:
            raise ValueError("a table needs at least one cell")
        col_w = _TEXT_WIDTH_TWIPS // ncols
        table = self.doc.add_table(rows=0, cols=ncols)
        table.style = self.doc.styles[opts.get("style", "Table Grid")]
        tbl = table._tbl
        # explicit grid widths and borders (the style has borders too; Word often writes both)
        for gc in tbl.tblGrid.findall(qn("w:gridCol")):
            gc.set(qn("w:w"), str(col_w))
        tblPr = tbl.tblPr
        tblW = tblPr.find(qn("w:tblW"))
        if tblW is not None:
            tblW.set(qn("w:type"), "dxa")
            tblW.set(qn("w:w"), str(col_w * ncols))
        borders = _w("tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            borders.append(_w(side, val="single", sz=4, space=0, color="auto"))
        tblLook = tblPr.find(qn("w:tblLook"))
        if tblLook is not None:
            tblLook.addprevious(borders)
        else:
            tblPr.append(borders)
        for row in specs:
            tr = tbl.add_tr()
            width = sum(span for _, span, _ in row)
            if width < ncols:
                trPr = tr.get_or_add_trPr()
                trPr.append(_w("gridAfter", val=ncols - width))
                trPr.append(_w("wAfter", w=col_w * (ncols - width), type="dxa"))
            for text, span, vm in row:
                tc = tr.add_tc()
                tcPr = tc.get_or_add_tcPr()
                tcW = tcPr.get_or_add_tcW()
                tcW.type, tcW.w = "dxa", col_w * span
                if span > 1:
                    tc.grid_span = span
                if vm is not None:
                    tc.vMerge = vm
                tcPr.append(_w("vAlign", val="center"))
                tc.clear_content()
                for line in text.split("\n"):
                    p_el = tc.add_p()
                    self.fill(p_el, line, None)

    def textbox(self, text, opts):
        p = self.doc.add_paragraph()
        host = opts.get("host", "")
        if host:
            self.fill(p._p, host, None)
        self._shape_id += 1
        sid = self.doc.part.next_id          # unique among the part's @id values (docPr)
        paras = "".join(
            f"<w:p><w:r><w:t xml:space=\"preserve\">{_xml_escape(line)}</w:t></w:r></w:p>"
            for line in text.split("\n"))
        run = parse_xml(f"""
<w:r xmlns:w="{W_NS}" xmlns:mc="{MC_NS}" xmlns:wp="{WP_NS}" xmlns:a="{A_NS}"
     xmlns:wps="{WPS_NS}" xmlns:v="{V_NS}">
 <mc:AlternateContent>
  <mc:Choice Requires="wps">
   <w:drawing><wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0"
     relativeHeight="{251659264 + sid}" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">
    <wp:simplePos x="0" y="0"/>
    <wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>
    <wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>
    <wp:extent cx="1800000" cy="400000"/><wp:effectExtent l="0" t="0" r="0" b="0"/>
    <wp:wrapSquare wrapText="bothSides"/><wp:docPr id="{sid}" name="文本框 {sid}"/>
    <wp:cNvGraphicFramePr/>
    <a:graphic><a:graphicData uri="{WPS_NS}">
     <wps:wsp><wps:cNvSpPr txBox="1"/>
      <wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1800000" cy="400000"/></a:xfrm>
       <a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>
      <wps:txbx><w:txbxContent>{paras}</w:txbxContent></wps:txbx>
      <wps:bodyPr rot="0" vert="horz" wrap="square" anchor="t"/></wps:wsp>
    </a:graphicData></a:graphic></wp:anchor></w:drawing>
  </mc:Choice>
  <mc:Fallback>
   <w:pict><v:shape id="文本框 {sid}" o:spid="_x0000_s{1025 + self._shape_id}" type="#_x0000_t202"
      style="position:absolute;width:141.75pt;height:31.5pt" xmlns:o="urn:schemas-microsoft-com:office:office">
    <v:textbox><w:txbxContent>{paras}</w:txbxContent></v:textbox>
   </v:shape></w:pict>
  </mc:Fallback>
 </mc:AlternateContent>
</w:r>""")
        p._p.append(run)

    def sdt(self, text, opts):
        p = self._add_p(opts.get("style"))
        self.fill(p._p, text, opts.get("split"))
        self._sdt_id += 1
        sdt = _w("sdt")
        sdtPr = _w("sdtPr")
        if opts.get("alias"):
            sdtPr.append(_w("alias", val=opts["alias"]))
        if opts.get("tag"):
            sdtPr.append(_w("tag", val=opts["tag"]))
        sdtPr.append(_w("id", val=-1000 - self._sdt_id))
        sdt.append(sdtPr)
        content = _w("sdtContent")
        sdt.append(content)
        p._p.addprevious(sdt)
        content.append(p._p)          # moves the paragraph inside the content control


def _xml_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def build_docx(blocks: list, path, *, title_style: str = "Title") -> None:
    """Write ``blocks`` (see the module docstring) as a .docx file at ``path``."""
    b = _Builder(title_style)
    for block in blocks:
        if not isinstance(block, tuple) or not block:
            raise TypeError(f"a block is a non-empty tuple, not {block!r}")
        kind = block[0]
        if kind == "heading":
            (level, text), opts = _split_opts(block, 3)
            b.heading(level, text, opts)
        elif kind in ("title", "para", "table", "textbox", "sdt"):
            (arg,), opts = _split_opts(block, 2)
            getattr(b, kind)(arg, opts)
        else:
            raise ValueError(f"unknown block kind {kind!r}")
    b.doc.save(str(Path(path)))


# --------------------------------------------------------------------------- national tables
APPLICATIONS_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
_APPLICANT_LEAVES = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]

_OUTCOME = "三、本年度办理结果"
#: Official (main, sub, item) labels of table 三, 2021 format, in order.
APPLICATION_ROWS: list[tuple[str, str, str]] = [
    ("一、本年新收政府信息公开申请数量", "", ""),
    ("二、上年结转政府信息公开申请数量", "", ""),
    (_OUTCOME, "（一）予以公开", ""),
    (_OUTCOME, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ""),
    *[(_OUTCOME, "（三）不予公开", item) for item in (
        "1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
        "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息",
        "7.属于行政执法案卷", "8.属于行政查询事项")],
    *[(_OUTCOME, "（四）无法提供", item) for item in (
        "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确")],
    *[(_OUTCOME, "（五）不予处理", item) for item in (
        "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
        "5.要求行政机关确认或重新出具已获取信息")],
    *[(_OUTCOME, "（六）其他处理", item) for item in (
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "3.其他")],
    (_OUTCOME, "（七）总计", ""),
    ("四、结转下年度继续办理", "", ""),
]

#: The same in the trial format (国办公开办函〔2019〕60号, reports of 2019 and 2020): （六）其他处理 is one row.
TRIAL_APPLICATION_ROWS: list[tuple[str, str, str]] = [
    *[r for r in APPLICATION_ROWS if r[1] != "（六）其他处理"][:-2],
    (_OUTCOME, "（六）其他处理", ""),
    *APPLICATION_ROWS[-2:],
]

#: The 15 leaf labels of table 四 (行政复议 ×5, 未经复议直接起诉 ×5, 复议后起诉 ×5).
REVIEW_LABELS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3


def _group_runs(keys):
    """For a column of merge keys (None = not part of a merge), return per row
    None (no merge), "restart" or "continue"; a group of one row gets None."""
    out = [None] * len(keys)
    i = 0
    while i < len(keys):
        if keys[i] is None:
            i += 1
            continue
        j = i + 1
        while j < len(keys) and keys[j] == keys[i]:
            j += 1
        if j - i > 1:
            out[i] = "restart"
            for k in range(i + 1, j):
                out[k] = "continue"
        i = j
    return out


def applications_table(rows: list[tuple[str, str, str, list[str]]],
                       header: dict | None = None) -> tuple:
    """Table 「三、收到和处理政府信息公开申请情况」 as a ``("table", rows)`` block.

    Grid: 10 columns = 3 label columns (main, sub, item) + 7 value columns
    (自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计).
    Three header rows with merged cells as in the national format, then one row per
    ``(main, sub, item, values)``:

    * no sub and no item: the main label spans the 3 label columns;
    * sub but no item: main cell, then the sub label spanning 2 columns;
    * sub and item: main cell, sub cell, item cell.

    Consecutive rows that have a sub label and the same main label (or an empty main
    label) share one vertically merged main cell; likewise consecutive item rows with the
    same (or an empty) sub label share one merged sub cell. ``values`` may be shorter than
    7 (padded with empty cells). ``header`` maps a default header text to a replacement,
    e.g. ``{"总计": "合计"}`` (keys: APPLICATIONS_NOTE, 申请人情况, 自然人, 法人或其他组织,
    总计 and the five 法人 sub-labels).
    """
    header = header or {}
    h = lambda s: header.get(s, s)  # noqa: E731
    out = [
        [{"text": h(APPLICATIONS_NOTE), "colspan": 3, "vmerge": "restart"},
         {"text": h("申请人情况"), "colspan": 7}],
        [{"text": "", "colspan": 3, "vmerge": "continue"},
         {"text": h("自然人"), "vmerge": "restart"},
         {"text": h("法人或其他组织"), "colspan": 5},
         {"text": h("总计"), "vmerge": "restart"}],
        [{"text": "", "colspan": 3, "vmerge": "continue"},
         {"text": "", "vmerge": "continue"},
         *[h(x) for x in _APPLICANT_LEAVES],
         {"text": "", "vmerge": "continue"}],
    ]
    # merge keys: the main label is merged over consecutive rows that have a sub label
    # and the same (or an empty) main label; the sub label over consecutive item rows
    # of that main group with the same (or an empty) sub label.
    main_keys, sub_keys = [], []
    n_main = n_sub = 0
    cur_main = cur_sub = None          # label of the open group, None = no open group
    for main, sub, item, _ in rows:
        if not sub and not item:
            main_keys.append(None)
            sub_keys.append(None)
            cur_main = cur_sub = None
            continue
        if cur_main is None or (main and main != cur_main):
            n_main += 1
            cur_main = main
            cur_sub = None
        main_keys.append(n_main)
        if sub and item or (item and cur_sub is not None):
            if cur_sub is None or (sub and sub != cur_sub):
                n_sub += 1
                cur_sub = sub
            sub_keys.append(n_sub)
        else:
            sub_keys.append(None)
            cur_sub = None
    main_vm, sub_vm = _group_runs(main_keys), _group_runs(sub_keys)

    for i, (main, sub, item, values) in enumerate(rows):
        values = list(values)
        if len(values) > 7:
            raise ValueError(f"row {main or sub or item!r}: {len(values)} values, at most 7")
        values += [""] * (7 - len(values))
        if not sub and not item:
            cells = [{"text": main, "colspan": 3}]
        else:
            mc = {"text": "" if main_vm[i] == "continue" else main}
            if main_vm[i]:
                mc["vmerge"] = main_vm[i]
            cells = [mc]
            if item:
                sc = {"text": "" if sub_vm[i] == "continue" else sub}
                if sub_vm[i]:
                    sc["vmerge"] = sub_vm[i]
                cells += [sc, item]
            else:
                cells.append({"text": sub, "colspan": 2})
        out.append(cells + values)
    return ("table", out)


def review_table(values: list[str], header_labels: list[str] | None = None) -> tuple:
    """Table 「四、政府信息公开行政复议、行政诉讼情况」 as a ``("table", rows)`` block.

    15 grid columns, four rows: 行政复议 (span 5) | 行政诉讼 (span 10); the five 行政复议
    leaf labels (vMerge restart over rows 2-3) | 未经复议直接起诉 (span 5) | 复议后起诉
    (span 5); five vMerge continue cells | the ten 行政诉讼 leaf labels; the 15 values.
    """
    labels = list(header_labels) if header_labels is not None else list(REVIEW_LABELS)
    if len(labels) != 15:
        raise ValueError(f"header_labels needs 15 labels, got {len(labels)}")
    values = list(values)
    if len(values) > 15:
        raise ValueError(f"{len(values)} values, at most 15")
    values += [""] * (15 - len(values))
    return ("table", [
        [{"text": "行政复议", "colspan": 5}, {"text": "行政诉讼", "colspan": 10}],
        [*[{"text": t, "vmerge": "restart"} for t in labels[:5]],
         {"text": "未经复议直接起诉", "colspan": 5}, {"text": "复议后起诉", "colspan": 5}],
        [*[{"text": "", "vmerge": "continue"} for _ in range(5)], *labels[5:]],
        values,
    ])


def _fill_to(cells: list, n: int) -> list:
    """Make ``cells`` (strings) span exactly n grid columns: the last one spans the rest."""
    if len(cells) > n:
        raise ValueError(f"{len(cells)} cells for {n} columns")
    if not cells:
        return [{"text": "", "colspan": n}]
    out = list(cells[:-1])
    rest = n - len(cells) + 1
    out.append({"text": cells[-1], "colspan": rest} if rest > 1 else cells[-1])
    return out


def disclosure_table(blocks: list[tuple[str, list[str], list[tuple[str, list[str]]]]]) -> tuple:
    """Table 「二、主动公开政府信息情况」 as ONE ``("table", rows)`` block of 4 grid columns.

    For each ``(title, column_labels, rows)``: a title row spanning all 4 columns, a
    header row 「信息内容」 + the column labels, then the data rows ``(label, values)``.
    With fewer than 3 labels/values the last one spans the remaining columns.
    """
    out = []
    for title, labels, rows in blocks:
        out.append([{"text": title, "colspan": 4}])
        out.append(["信息内容", *_fill_to(list(labels), 3)])
        for label, values in rows:
            out.append([label, *_fill_to(list(values), 3)])
    return ("table", out)


# --------------------------------------------------------------------------- direct formatting
_DIGITS = re.compile(r"(\d+)")


def _fonts_rpr(font: str, size: int) -> str:
    return (f'<w:rPr xmlns:w="{W_NS}"><w:rFonts w:ascii="{font}" w:eastAsia="{font}" w:hAnsi="{font}" '
            f'w:cs="{font}" w:hint="eastAsia"/><w:kern w:val="0"/><w:sz w:val="{size}"/>'
            f'<w:szCs w:val="{size}"/></w:rPr>')


def as_drafted(src, dst) -> None:
    """Copy the .docx ``src`` to ``dst`` with the markup Word writes when a drafter formats the text
    by hand instead of through styles, as most reports are: every paragraph gets Word's revision ids
    (``w:rsidR``…, ``w14:paraId``) and direct properties (28-pt exact line spacing and a 2-character
    indent in the body, centred in table cells, and the paragraph mark's font); every run gets its
    font and size (仿宋_GB2312 三号 in the body, 宋体 五号 in tables) and is cut where the figures
    are, which a drafter who updates last year's figures leaves behind.  The text, tables and
    numbering are those of ``src``, so gxlint's findings are the same."""
    import copy
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(src) as z:
        parts = {i: z.read(i) for i in z.infolist()}
    name = next(i for i in parts if i.filename == "word/document.xml")
    old = etree.fromstring(parts[name])
    root = etree.Element(old.tag, nsmap={**old.nsmap, "w14": nsmap["w14"]})
    root.extend(list(old))
    n = 0
    for p in root.iter(qn("w:p")):
        n += 1
        in_cell = p.getparent().tag == qn("w:tc")
        font, size = ("宋体", 21) if in_cell else ("仿宋_GB2312", 32)
        p.set(qn("w14:paraId"), f"{0x1A000000 + n:08X}")
        p.set(qn("w14:textId"), "77777777")
        for attr in ("rsidR", "rsidRDefault", "rsidP"):
            p.set(qn(f"w:{attr}"), f"00{(n * 7919 + len(attr)) % 0xFFFFFF:06X}")
        ppr = p.find(qn("w:pPr"))
        if ppr is None:
            ppr = etree.Element(qn("w:pPr"))
            p.insert(0, ppr)
        direct = (f'<w:x xmlns:w="{W_NS}"><w:widowControl/><w:jc w:val="center"/></w:x>' if in_cell else
                  f'<w:x xmlns:w="{W_NS}"><w:spacing w:line="560" w:lineRule="exact"/>'
                  f'<w:ind w:firstLineChars="200" w:firstLine="640"/></w:x>')
        mark = ppr.find(qn("w:rPr"))
        if ppr.find(qn("w:spacing")) is None and ppr.find(qn("w:jc")) is None:
            for el in list(etree.fromstring(direct)):  # in schema order: before the mark's rPr
                if mark is not None:
                    mark.addprevious(el)
                else:
                    ppr.append(el)
        if mark is None:
            ppr.append(etree.fromstring(_fonts_rpr(font, size)))
        for r in p.findall(f".//{qn('w:r')}"):
            r.set(qn("w:rsidRPr"), f"00{(n * 104729) % 0xFFFFFF:06X}")
            rpr = r.find(qn("w:rPr"))
            new = etree.fromstring(_fonts_rpr(font, size))
            if rpr is not None:
                new.extend(list(rpr))
                r.replace(rpr, new)
            else:
                r.insert(0, new)
            ts = r.findall(qn("w:t"))
            if len(ts) != 1 or len(r) != 2 or not ts[0].text:
                continue
            pieces = [x for x in _DIGITS.split(ts[0].text) if x]
            if len(pieces) < 2:
                continue
            ts[0].text = pieces[0]
            after = r
            for i, piece in enumerate(pieces[1:], 1):
                twin = copy.deepcopy(r)
                twin.set(qn("w:rsidR"), f"00{(n * 31 + i) % 0xFFFFFF:06X}")
                twin.find(qn("w:t")).text = piece
                if piece != piece.strip():
                    twin.find(qn("w:t")).set(qn("xml:space"), "preserve")
                after.addnext(twin)
                after = twin
    parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts.items():
            z.writestr(info, data)
