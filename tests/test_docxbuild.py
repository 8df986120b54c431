"""Checks that tests/docxbuild.py writes the real Word structures it promises."""
from __future__ import annotations

import functools
import zipfile

import pytest
import systools
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

try:  # works whether or not tests/ is a package
    from . import docxbuild as db
except ImportError:
    import docxbuild as db

NS = {
    "w": db.W_NS,
    "mc": db.MC_NS,
    "wps": db.WPS_NS,
    "v": db.V_NS,
    "wp": db.WP_NS,
}


@functools.lru_cache(maxsize=None)
def _compiled(expr):
    return etree.XPath(expr, namespaces=NS)


def xp(el, expr):
    """XPath with our prefixes (python-docx's own .xpath() lacks mc/wps/v)."""
    return _compiled(expr)(el)


def wval(el, tag):
    """@w:val of child ``tag`` of ``el`` or None."""
    c = el.find(qn(tag)) if el is not None else None
    return None if c is None else c.get(qn("w:val"))


def accepted_text(p_el):
    """Accepted-changes text of one w:p (runs in w:ins count, w:del and text boxes don't)."""
    skip = (qn("w:del"), qn("w:txbxContent"), qn("w:p"))
    out = []
    for t in p_el.iter(qn("w:t")):
        for a in t.iterancestors():
            if a is p_el or a.tag in skip:
                break
        if a is p_el:
            out.append(t.text or "")
    return "".join(out)


def cell_text(tc):
    return "\n".join(accepted_text(p) for p in tc.findall(qn("w:p")))


def grid(tbl):
    """Origin cells of a w:tbl: dicts row, col, rowspan, colspan, text (notes §1.3)."""
    out, open_v = [], {}
    for r, tr in enumerate(tbl.findall(qn("w:tr"))):
        col = int(xp(tr, "string(w:trPr/w:gridBefore/@w:val)") or 0)
        for tc in tr.findall(qn("w:tc")):
            span = int(xp(tc, "string(w:tcPr/w:gridSpan/@w:val)") or 1)
            vm_el = xp(tc, "w:tcPr/w:vMerge")
            vm = None if not vm_el else (vm_el[0].get(qn("w:val")) or "continue")
            if vm == "continue" and col in open_v:
                open_v[col]["rowspan"] += 1
            else:
                e = dict(row=r, col=col, rowspan=1, colspan=span, text=cell_text(tc))
                out.append(e)
                for c in range(col, col + span):
                    open_v.pop(c, None)
                if vm == "restart":
                    open_v[col] = e
            col += span
    return out


def find_cell(cells, text):
    hits = [c for c in cells if c["text"] == text]
    assert len(hits) == 1, (text, hits)
    return hits[0]


def n_grid_cols(tbl):
    return len(xp(tbl, "w:tblGrid/w:gridCol"))


def row_widths(tbl):
    out = []
    for tr in tbl.findall(qn("w:tr")):
        w = sum(int(xp(tc, "string(w:tcPr/w:gridSpan/@w:val)") or 1) for tc in tr.findall(qn("w:tc")))
        w += int(xp(tr, "string(w:trPr/w:gridAfter/@w:val)") or 0)
        out.append(w)
    return out


# ----------------------------------------------------------------------------- fixture
DISCLOSURE = [
    ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
     [("规章", ["0", "0", "0"]), ("行政规范性文件", ["7", "16", "26"])]),
    ("第二十条第（五）项", ["本年处理决定数量"], [("行政许可", ["298690"])]),
    ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("行政事业性收费", ["1.5"])]),
]
APPLICATIONS = [(m, s, i, [str(k), "0", "0", "0", "0", "0", str(k)])
                for k, (m, s, i) in enumerate(db.APPLICATION_ROWS)]
REVIEW = [str(i % 3) for i in range(15)]

BLOCKS = [
    ("title", "XX市司法局2025年政府信息公开工作年度报告"),
    ("heading", 1, "总体情况"),
    ("para", "本年度共制发规范性文件**12**件，依法保护第三方[+合法+]权益，[-不予-]及时答复。"),
    ("heading", 2, "主动公开"),
    ("heading", 2, "依申请公开"),
    ("heading", 1, "主动公开政府信息情况"),
    ("heading", 2, "规章", {"direct": True}),
    ("heading", 1, "附：说明", {"numbered": False}),
    ("table", [
        ["信息内容", {"text": "数量", "colspan": 2}],
        [{"text": "规章\n行政规范性文件", "vmerge": "restart"}, "1", "2"],
        [{"vmerge": "continue"}, "3", "4"],
        ["合计"],                                      # narrower row -> gridAfter
    ]),
    ("textbox", "内部资料 注意保存", {"host": "正文段落含文本框："}),
    ("sdt", "填报单位：XX市司法局", {"tag": "unit", "alias": "填报单位"}),
    db.disclosure_table(DISCLOSURE),
    db.applications_table(APPLICATIONS),
    db.review_table(REVIEW),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("docxbuild") / "report.docx"
    db.build_docx(BLOCKS, path)
    doc = Document(str(path))
    return path, doc


@pytest.fixture(scope="module")
def body(built):
    return built[1].element.body


def body_children(body):
    return [c for c in body if c.tag != qn("w:sectPr")]


def tables(body):
    return body.findall(qn("w:tbl"))


# ----------------------------------------------------------------------------- tests
def test_package_is_valid_zip_and_opens(built):
    path, doc = built
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        for name in ("word/document.xml", "word/styles.xml", "word/numbering.xml"):
            etree.fromstring(z.read(name))          # well-formed
    assert len(doc.paragraphs) > 0


def test_body_order_matches_blocks(body):
    kinds = [etree.QName(c).localname for c in body_children(body)]
    assert kinds == ["p"] * 8 + ["tbl", "p", "sdt", "tbl", "tbl", "tbl"]


def test_title(built):
    doc = built[1]
    p = doc.paragraphs[0]
    assert p.style.name == "Title"
    assert p.text == "XX市司法局2025年政府信息公开工作年度报告"
    assert wval(p._p.pPr, "w:jc") == "center"


def test_custom_title_style(tmp_path):
    path = tmp_path / "t.docx"
    db.build_docx([("title", "标题"), ("para", "正文")], path, title_style="报告标题")
    doc = Document(str(path))
    assert doc.paragraphs[0].style.name == "报告标题"
    assert doc.paragraphs[0].style.base_style.name == "Title"


def _numbering_of(doc):
    numbering = doc.part.numbering_part.element
    h1 = doc.styles["Heading 1"].element
    num_id = int(xp(h1, "string(w:pPr/w:numPr/w:numId/@w:val)"))
    abs_id = xp(numbering, f"string(w:num[@w:numId='{num_id}']/w:abstractNumId/@w:val)")
    absn = xp(numbering, f"w:abstractNum[@w:abstractNumId='{abs_id}']")
    assert len(absn) == 1
    return num_id, absn[0]


def test_heading_numbering_is_style_inherited(built):
    doc = built[1]
    num_id, absn = _numbering_of(doc)
    h1, h2 = doc.styles["Heading 1"].element, doc.styles["Heading 2"].element
    # Heading 1 style: numId only (level 0 implied), Heading 2 style: ilvl 1, same numId
    assert xp(h1, "w:pPr/w:numPr/w:ilvl") == []
    assert xp(h2, "string(w:pPr/w:numPr/w:ilvl/@w:val)") == "1"
    assert int(xp(h2, "string(w:pPr/w:numPr/w:numId/@w:val)")) == num_id
    lvl0 = xp(absn, "w:lvl[@w:ilvl='0']")[0]
    lvl1 = xp(absn, "w:lvl[@w:ilvl='1']")[0]
    assert wval(lvl0, "w:numFmt") == "chineseCounting"
    assert wval(lvl0, "w:lvlText") == "%1、"
    assert wval(lvl1, "w:numFmt") == "chineseCounting"
    assert wval(lvl1, "w:lvlText") == "（%2）"
    assert wval(lvl0, "w:pStyle") == doc.styles["Heading 1"].style_id
    # numbering part is schema-ordered: every abstractNum before every num
    tags = [etree.QName(c).localname for c in doc.part.numbering_part.element]
    assert tags.index("num") > max(i for i, t in enumerate(tags) if t == "abstractNum")


def test_heading_paragraphs(built):
    doc = built[1]
    num_id, _ = _numbering_of(doc)
    heads = [p for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert [p.text for p in heads] == ["总体情况", "主动公开", "依申请公开", "主动公开政府信息情况",
                                       "规章", "附：说明"]
    direct = {p.text: (xp(p._p, "string(w:pPr/w:numPr/w:ilvl/@w:val)"),
                       xp(p._p, "string(w:pPr/w:numPr/w:numId/@w:val)")) for p in heads}
    for t in ("总体情况", "主动公开", "依申请公开", "主动公开政府信息情况"):
        assert direct[t] == ("", ""), t        # no direct numPr: inherited from the style
    assert direct["规章"] == ("1", str(num_id))
    assert direct["附：说明"] == ("", "0")      # numbering removed
    assert not any("一" in p.text or "、" in p.text[:2] for p in heads[:4])


def test_rendered_heading_labels(built):
    """Simulate Word's counters: 一、（一）（二）二、（一） and nothing for numId 0."""
    doc = built[1]
    _, absn = _numbering_of(doc)
    digits = "一二三四五六七八九十"
    fmt = {int(l.get(qn("w:ilvl"))): wval(l, "w:lvlText") for l in xp(absn, "w:lvl")}
    counters, labels = [0, 0], []
    for p in doc.paragraphs:
        if not p.style.name.startswith("Heading"):
            continue
        direct = xp(p._p, "string(w:pPr/w:numPr/w:numId/@w:val)")
        if direct == "0":
            labels.append("")
            continue
        ilvl = int(xp(p.style.element, "string(w:pPr/w:numPr/w:ilvl/@w:val)") or 0)
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, len(counters)):
            counters[deeper] = 0
        label = fmt[ilvl]
        for k in range(ilvl + 1):
            label = label.replace(f"%{k + 1}", digits[counters[k] - 1])
        labels.append(label)
    assert labels == ["一、", "（一）", "（二）", "二、", "（一）", ""]


def test_para_runs_tracked_changes_and_bold(built):
    doc = built[1]
    p = next(p for p in doc.paragraphs if p.text.startswith("本年度"))
    p_el = p._p
    ins, dels = xp(p_el, "w:ins"), xp(p_el, "w:del")
    assert len(ins) == 1 and len(dels) == 1
    assert ins[0].get(qn("w:author")) == "审校" and dels[0].get(qn("w:author")) == "审校"
    assert ins[0].get(qn("w:id")) != dels[0].get(qn("w:id"))
    assert xp(ins[0], "string(w:r/w:t)") == "合法"
    assert xp(dels[0], "string(w:r/w:delText)") == "不予"
    assert xp(dels[0], "w:r/w:t") == []
    bold = xp(p_el, "w:r[w:rPr/w:b]")
    assert [xp(r, "string(w:t)") for r in bold] == ["12"]
    # plain text cut into short runs, alternating italic: words span differently formatted runs
    plain = [r for r in xp(p_el, "w:r") if not xp(r, "w:rPr/w:b")]
    assert len(plain) >= 4
    assert all(len(xp(r, "string(w:t)")) <= 7 for r in plain)
    italic = [bool(xp(r, "w:rPr/w:i")) for r in plain]
    assert True in italic and False in italic
    assert accepted_text(p_el) == "本年度共制发规范性文件12件，依法保护第三方合法权益，及时答复。"
    # python-docx's own view drops the insertion (why gxlint has its own extractor)
    assert p.text == "本年度共制发规范性文件12件，依法保护第三方权益，及时答复。"


def test_para_split_option(tmp_path):
    path = tmp_path / "s.docx"
    db.build_docx([("para", "一二三四五六七八九十", {"split": 3}),
                   ("para", "一二三四五六七八九十", {"split": None})], path)
    p1, p2 = Document(str(path)).paragraphs
    assert [r.text for r in p1.runs] == ["一二三", "四五六", "七八九", "十"]
    assert [r.italic for r in p1.runs] == [None, True, None, True]
    assert [r.text for r in p2.runs] == ["一二三四五六七八九十"]


def test_generic_table(body):
    tbl = tables(body)[0]
    assert xp(tbl, "string(w:tblPr/w:tblStyle/@w:val)") == "TableGrid"
    assert xp(tbl, "w:tblPr/w:tblBorders/w:insideH")
    assert n_grid_cols(tbl) == 3
    assert row_widths(tbl) == [3, 3, 3, 3]
    assert xp(tbl, "string(w:tr[4]/w:trPr/w:gridAfter/@w:val)") == "2"
    spans = [xp(tc, "string(w:tcPr/w:gridSpan/@w:val)") for tc in xp(tbl, "w:tr[1]/w:tc")]
    assert spans == ["", "2"]
    vms = [xp(tr, "w:tc[1]/w:tcPr/w:vMerge") for tr in xp(tbl, "w:tr[position()<=3]")]
    assert vms[0] == []
    assert vms[1][0].get(qn("w:val")) == "restart"
    assert vms[2][0].get(qn("w:val")) in (None, "continue")
    merged = find_cell(grid(tbl), "规章\n行政规范性文件")
    assert (merged["row"], merged["col"], merged["rowspan"], merged["colspan"]) == (1, 0, 2, 1)
    assert len(xp(tbl, "w:tr[2]/w:tc[1]/w:p")) == 2   # multi-line cell = 2 paragraphs
    assert xp(tbl, "string(w:tr[3]/w:tc[1])") == ""   # continue cell is empty


def test_textbox_alternate_content(body):
    acs = xp(body, ".//mc:AlternateContent")
    assert len(acs) == 1
    ac = acs[0]
    choice, fallback = xp(ac, "mc:Choice"), xp(ac, "mc:Fallback")
    assert len(choice) == 1 and len(fallback) == 1
    assert choice[0].get("Requires") == "wps"
    assert len(xp(choice[0], ".//wps:txbx/w:txbxContent")) == 1
    assert len(xp(fallback[0], ".//v:textbox/w:txbxContent")) == 1
    texts = [accepted_text(p) for p in xp(ac, ".//w:txbxContent/w:p")]
    assert texts == ["内部资料 注意保存"] * 2           # a naive reader reads it twice
    assert len(xp(body, ".//w:txbxContent[not(ancestor::mc:Fallback)]")) == 1
    host = ac.getparent().getparent()
    assert host.tag == qn("w:p") and host.getparent() is body
    assert accepted_text(host) == "正文段落含文本框："


def test_sdt_block(built, body):
    sdts = xp(body, "w:sdt")
    assert len(sdts) == 1
    sdt = sdts[0]
    assert xp(sdt, "string(w:sdtPr/w:tag/@w:val)") == "unit"
    assert xp(sdt, "string(w:sdtPr/w:alias/@w:val)") == "填报单位"
    ps = xp(sdt, "w:sdtContent/w:p")
    assert [accepted_text(p) for p in ps] == ["填报单位：XX市司法局"]
    # python-docx's block iteration skips it
    doc = built[1]
    assert all(getattr(b, "text", "") != "填报单位：XX市司法局" for b in doc.iter_inner_content())


def test_disclosure_table(body):
    tbl = tables(body)[1]
    assert n_grid_cols(tbl) == 4
    assert set(row_widths(tbl)) == {4}
    cells = grid(tbl)
    for title in ("第二十条第（一）项", "第二十条第（五）项", "第二十条第（八）项"):
        c = find_cell(cells, title)
        assert (c["col"], c["colspan"]) == (0, 4)
    assert [c["text"] for c in cells if c["row"] == 1] == [
        "信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    lab = find_cell(cells, "本年处理决定数量")
    assert (lab["col"], lab["colspan"]) == (1, 3)
    val = find_cell(cells, "298690")
    assert (val["col"], val["colspan"]) == (1, 3)
    assert find_cell(cells, "本年收费金额（单位：万元）")["colspan"] == 3
    assert len([c for c in cells if c["text"] == "信息内容"]) == 3


def test_applications_table(body):
    tbl = tables(body)[2]
    assert n_grid_cols(tbl) == 10
    assert set(row_widths(tbl)) == {10}
    assert len(xp(tbl, "w:tr")) == 3 + len(db.APPLICATION_ROWS)
    cells = grid(tbl)

    def pos(text):
        c = find_cell(cells, text)
        return c["row"], c["col"], c["rowspan"], c["colspan"]

    assert pos(db.APPLICATIONS_NOTE) == (0, 0, 3, 3)
    assert pos("申请人情况") == (0, 3, 1, 7)
    assert pos("自然人") == (1, 3, 2, 1)
    assert pos("法人或其他组织") == (1, 4, 1, 5)
    assert pos("总计") == (1, 9, 2, 1)
    assert [c["text"] for c in cells if c["row"] == 2] == [
        "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    n_outcome = sum(1 for m, _, _ in db.APPLICATION_ROWS if m == "三、本年度办理结果")
    assert pos("一、本年新收政府信息公开申请数量") == (3, 0, 1, 3)
    assert pos("三、本年度办理结果") == (5, 0, n_outcome, 1)
    assert pos("（一）予以公开") == (5, 1, 1, 2)
    assert pos("（三）不予公开") == (7, 1, 8, 1)
    assert pos("（四）无法提供")[2:] == (3, 1)
    assert pos("（六）其他处理")[2:] == (3, 1)
    assert pos("（七）总计")[2:] == (1, 2)
    assert pos("1.属于国家秘密") == (7, 2, 1, 1)
    assert pos("四、结转下年度继续办理") == (3 + len(db.APPLICATION_ROWS) - 1, 0, 1, 3)
    # values land in the 7 value columns
    last = [c for c in cells if c["row"] == 3 + len(db.APPLICATION_ROWS) - 1]
    assert [c["col"] for c in last] == [0, 3, 4, 5, 6, 7, 8, 9]


def test_applications_table_overrides_and_misspellings():
    rows = [("一、本年新收政府信息公开申请数量", "", "", ["1"] * 7),
            ("三、本年度办理结果", "（三）不予公开", "4.保护第三方法权益", ["0"] * 7),
            ("", "", "5.属于三类内部事务信息", ["0"] * 7),
            ("", "（七）总计", "", ["1"] * 7)]
    kind, out = db.applications_table(rows, header={"总计": "合计"})
    assert kind == "table"
    texts = [c["text"] if isinstance(c, dict) else c for row in out for c in row]
    assert "合计" in texts and "总计" not in texts
    assert "4.保护第三方法权益" in texts
    main_col = [row[0] for row in out[3:]]
    assert main_col[0] == {"text": "一、本年新收政府信息公开申请数量", "colspan": 3}
    assert [c.get("vmerge") for c in main_col[1:]] == ["restart", "continue", "continue"]
    assert out[4][1] == {"text": "（三）不予公开", "vmerge": "restart"}
    assert out[5][1] == {"text": "", "vmerge": "continue"}
    with pytest.raises(ValueError):
        db.applications_table([("x", "", "", ["0"] * 8)])


def test_review_table(body):
    tbl = tables(body)[3]
    assert n_grid_cols(tbl) == 15
    assert set(row_widths(tbl)) == {15}
    cells = grid(tbl)
    assert [(c["text"], c["col"], c["colspan"]) for c in cells if c["row"] == 0] == [
        ("行政复议", 0, 5), ("行政诉讼", 5, 10)]
    row1 = [c for c in cells if c["row"] == 1]
    assert [(c["text"], c["rowspan"]) for c in row1[:5]] == [
        (t, 2) for t in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")]
    assert [(c["text"], c["col"], c["colspan"]) for c in row1[5:]] == [
        ("未经复议直接起诉", 5, 5), ("复议后起诉", 10, 5)]
    row2 = [c for c in cells if c["row"] == 2]
    assert [c["col"] for c in row2] == list(range(5, 15))
    assert [c["text"] for c in row2] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
    assert [c["text"] for c in cells if c["row"] == 3] == REVIEW
    assert len(xp(tbl, "w:tr[3]/w:tc/w:tcPr/w:vMerge")) == 5


def test_review_table_header_labels():
    labels = ["结果维持", "结果纠正", "其他结果", "尚未审结", "合计"] * 3
    _, rows = db.review_table(["0"] * 15, header_labels=labels)
    assert rows[1][4] == {"text": "合计", "vmerge": "restart"}
    assert rows[2][-1] == "合计"
    with pytest.raises(ValueError):
        db.review_table([], header_labels=["x"])


def test_bad_blocks(tmp_path):
    with pytest.raises(ValueError):
        db.build_docx([("heading", 3, "x")], tmp_path / "a.docx")
    with pytest.raises(ValueError):
        db.build_docx([("picture", "x")], tmp_path / "b.docx")
    with pytest.raises(ValueError):
        db.build_docx([("table", [[{"text": "x", "vmerge": "up"}]])], tmp_path / "c.docx")


@pytest.mark.slow
def test_libreoffice_converts_to_pdf(built, tmp_path):
    systools.require_office()
    path, _ = built
    proc = systools.soffice(["--convert-to", "pdf", "--outdir", str(tmp_path), str(path)], tmp_path / "lo-profile",
                            timeout=180)
    pdf = tmp_path / (path.stem + ".pdf")
    assert pdf.exists(), proc.stdout + proc.stderr
    assert pdf.read_bytes().startswith(b"%PDF")


def test_two_textboxes_unique_ids_and_cell_markup(tmp_path):
    path = tmp_path / "tb.docx"
    db.build_docx([("textbox", "甲\n乙"), ("textbox", "丙<&>"),
                   ("table", [["保护第三方[+合法+]权益", "**5**"]])], path)
    body = Document(str(path)).element.body
    ids = xp(body, ".//wp:docPr/@id")
    assert len(ids) == 2 and len(set(ids)) == 2
    first = xp(body, "w:p[1]//mc:Choice//w:txbxContent/w:p")
    assert [accepted_text(p) for p in first] == ["甲", "乙"]
    assert xp(body, "string(w:p[2]//mc:Fallback//w:t)") == "丙<&>"
    tc = xp(body, "w:tbl/w:tr/w:tc")
    assert cell_text(tc[0]) == "保护第三方合法权益"
    assert xp(tc[0], "string(w:p/w:ins/w:r/w:t)") == "合法"
    assert xp(tc[1], "string(w:p/w:r[w:rPr/w:b]/w:t)") == "5"
