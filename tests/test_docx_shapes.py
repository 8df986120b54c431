"""Documents of many shapes through the .docx reader (gxlint/readers/docx): the seeds styled and
as drafted under templates of other offices, odd styles and numbering, handwritten XML of every
construct the walk reads, malformed parts (E008) and mutated reports.  (These were the cases of the
equality test of the regular-expression reader, lean.py, removed in favour of the lxml walk alone:
docs/speed.md.)
"""
from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path

import pytest
from conftest import SEEDS
from docxbuild import as_drafted, build_docx
from seeddocx import seed_blocks, seed_docx

from gxlint.errors import InputError
from gxlint.readers.docx import package, read_docx

pytestmark = pytest.mark.slow  # every fixture, mutation and generated batch of the reader

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
DOC = "word/document.xml"


def read_one(path):
    """The Document read from ``path`` with an empty template cache, or the InputError's (code, message)."""
    package._TEMPLATE_CACHE.clear()
    try:
        return read_docx(str(path))
    except InputError as e:
        return e.code, e.message
    finally:
        package._TEMPLATE_CACHE.clear()


def read_ok(path):
    got = read_one(path)
    assert not isinstance(got, tuple), (path, got)
    return got


def content(doc) -> tuple:
    """What a report says, whatever its markup: paragraph texts, headings and labels, table cells."""
    return ([(p.text, p.heading_level, p.number) for p in doc.paragraphs()],
            [[[(c.text, c.row, c.column, c.colspan, c.rowspan) for c in row] for row in t.rows] for t in doc.tables()])


def members(path) -> dict:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def rezip(src, dst: Path, parts: dict) -> Path:
    """A copy of the .docx ``src`` with some parts replaced ({part name: bytes})."""
    m = members(src)
    assert set(parts) <= set(m)
    m.update(parts)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in m.items():
            z.writestr(name, data)
    return dst


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> dict:
    """The five seeds as .docx: styled (Word numbering, styles) and as drafted (direct formatting)."""
    folder = tmp_path_factory.mktemp("shapes-seeds")
    out = {}
    for seed in SEED_FILES:
        styled = seed_docx(seed, folder / f"{seed.stem}.docx")
        drafted = folder / f"{seed.stem}-drafted.docx"
        as_drafted(styled, drafted)
        out[seed.stem] = (styled, drafted)
    return out


# --------------------------------------------------------------------------- the seeds under many templates
@pytest.mark.parametrize("seed", [s.stem for s in SEED_FILES])
def test_seeds_styled_and_as_drafted_say_the_same(seeds, seed):
    """Styles and Word numbering, or direct formatting on every run: the same report read."""
    styled, drafted = (read_ok(p) for p in seeds[seed])
    assert len(styled.paragraphs()) > 20 and len(styled.tables()) >= 3
    assert content(styled) == content(drafted)
    assert [p.heading_level for p in styled.paragraphs()].count(1) >= 5  # 一、 … 六、 by their styles


def _templates(styles: bytes) -> dict:
    """styles.xml of other offices' templates: styles renamed, numbering and outline levels moved."""
    h1 = re.search(rb'<w:style w:type="paragraph" w:styleId="Heading1">.*?</w:style>', styles, re.S).group()
    return {
        "chinese-names": styles.replace(b'w:val="heading 1"', b'w:val="\xe6\xa0\x87\xe9\xa2\x98 1"')
                               .replace(b'w:val="heading 2"', b'w:val="&#x6807;&#x9898; 2"'),
        "outline-levels": styles.replace(h1, h1.replace(b"<w:pPr>", b'<w:pPr><w:outlineLvl w:val="1"/>', 1)),
        "no-style-numbering": re.sub(rb"<w:numPr>.*?</w:numPr>", b"", styles, flags=re.S),
        "default-numbered": styles.replace(  # with the headings' list, at level 2
            b'w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>',
            b'w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:numPr><w:ilvl w:val="1"/>'
            b'<w:numId w:val="' + re.search(rb'<w:numId w:val="(\d+)"', h1).group(1) + b'"/></w:numPr></w:pPr>', 1),
        "pretty": styles.replace(b"><w:", b">\n  <w:").replace(b"\r\n", b"\n"),
    }


def test_a_generated_batch_with_many_templates(seeds, tmp_path):
    """Each seed, styled and as drafted, under templates of other offices (distinct styles.xml):
    headings named in Chinese or by outline level are the same headings; a template without
    style numbering drops the headings' labels and nothing else; a pretty-printed one changes nothing."""
    n = 0
    for stem, (styled, drafted) in seeds.items():
        styles = members(styled)["word/styles.xml"]
        variants = _templates(styles)
        assert len(set(variants.values())) == len(variants) and styles not in variants.values()
        base = content(read_ok(styled))
        for name, new in variants.items():
            for kind, src in (("styled", styled), ("drafted", drafted)):
                got = content(read_ok(rezip(src, tmp_path / f"{stem}-{name}-{kind}.docx", {"word/styles.xml": new})))
                texts = [t for t, _, _ in got[0]]
                assert texts == [t for t, _, _ in base[0]] and got[1] == base[1], (name, kind)
                if name in ("chinese-names", "pretty"):
                    assert got == base, (name, kind)
                elif name == "no-style-numbering" and kind == "styled":
                    assert not any(n for _, _, n in got[0]) and any(n for _, _, n in base[0])
                n += 1
        build_docx(seed_blocks(Path(SEEDS / f"{stem}.txt").read_text(encoding="utf-8")),
                   tmp_path / f"{stem}-title.docx", title_style="报告标题")
        doc = read_ok(tmp_path / f"{stem}-title.docx")
        assert "报告标题" in {p.style for p in doc.paragraphs()}
    assert n == 50


def test_template_numbering_changes_labels_the_same_way(seeds, tmp_path):
    """The default paragraph style numbered: every body paragraph and cell paragraph gets a label,
    counted in document order."""
    styled, _ = seeds[SEED_FILES[0].stem]
    new = _templates(members(styled)["word/styles.xml"])["default-numbered"]
    doc = read_ok(rezip(styled, tmp_path / "numbered.docx", {"word/styles.xml": new}))
    labels = [p.number for p in doc.paragraphs() if p.number]
    assert len(labels) > 10 and len(set(labels)) > 10


# --------------------------------------------------------------------------- documents of every kind
@pytest.mark.parametrize("blocks", [
    [("para", "依法保护第三方[+合法+]权益，[-不予-]及时答复。")],
    [("textbox", "内部资料", {"host": "正文"}), ("para", "后文")],
    [("sdt", "填报单位：XX市司法局"), ("para", "后文")],
], ids=["tracked-changes", "text-box", "content-control"])
def test_unusual_documents(tmp_path, blocks):
    build_docx([("heading", 1, "总体情况"), *blocks, ("table", [["A", {"text": "B", "colspan": 2}], ["1", "2", "3"]])],
               tmp_path / "u.docx")
    doc = read_ok(tmp_path / "u.docx")
    texts = [p.text for p in doc.paragraphs()]
    assert texts[0] == "总体情况" and ("后文" in texts or "依法保护第三方合法权益，及时答复。" in texts), texts
    assert doc.tables()[0].rows[0][1].colspan == 2


def test_real_variants(tmp_path):
    from test_real_variants import S002, S004, VARIANTS

    for name, transform in VARIANTS.items():
        for seed in (S002, S004):
            try:
                path = seed_docx(seed, tmp_path / f"{name}-{seed.stem}.docx", transform=transform)
            except AssertionError:  # a variant written for the other seed
                continue
            doc = read_ok(path)
            assert len(doc.paragraphs()) > 20 and doc.tables(), name


def test_hostile_corpus(tmp_path):
    from hostile_corpus import build_corpus

    build_corpus(tmp_path)
    read = 0
    for path in sorted(tmp_path.glob("*.docx")):
        if path.name.startswith("~$"):
            continue
        got = read_one(path)
        assert not isinstance(got, tuple) or re.fullmatch(r"E0\d\d", got[0]), (path.name, got)
        read += 1
    assert read >= 10


def test_mutated_reports_read_or_fail_the_same_way(seeds, tmp_path):
    """Reports cut, repeated and garbled (tests/fuzz.py): a Document or an E0xx error."""
    from fuzz import mutate_docx

    rng = random.Random(19)
    outcomes = set()
    for i in range(120):
        src = seeds[SEED_FILES[i % len(SEED_FILES)].stem][i % 2]
        dst = tmp_path / f"m{i}.docx"
        mutate_docx(rng, src, dst, rng.randint(1, 4))
        got = read_one(dst)
        assert not isinstance(got, tuple) or re.fullmatch(r"E0\d\d", got[0]) and "内容结构异常" not in got[1], got
        outcomes.add(got[0] if isinstance(got, tuple) else "read")
    assert {"read", "E008"} <= outcomes


# --------------------------------------------------------------------------- handwritten XML
HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<w:document xmlns:w="%s" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
        'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" mc:Ignorable="w14">' % W_NS)
TAIL = '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:cols w:space="425"><w:col w:w="1"/></w:cols></w:sectPr>'


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("shapes-base") / "base.docx"
    build_docx([("heading", 1, "总体情况"), ("heading", 2, "主动公开"), ("para", "正文")], path)
    return path


def with_body(base: Path, tmp_path: Path, body: str, head: str = HEAD, name: str = "x.docx") -> Path:
    return rezip(base, tmp_path / name, {DOC: (head + "<w:body>" + body + TAIL + "</w:body></w:document>").encode()})


P = "<w:p><w:r><w:t>{}</w:t></w:r></w:p>"
H1 = '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>{}</w:t></w:r></w:p>'

BODIES = {
    "entities": P.format("A&amp;B&#x4E00;&#20108;&lt;&gt;&quot;&apos;"),
    "run-characters": ('<w:p><w:r><w:t xml:space="preserve">a </w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t>'
                       '<w:br w:type="page"/><w:br w:type="textWrapping"/><w:cr/><w:ptab w:alignment="left"/>'
                       '<w:noBreakHyphen/><w:softHyphen/><w:t/><w:lastRenderedPageBreak/></w:r>'
                       '<w:r/><w:proofErr w:type="spellStart"/><w:bookmarkStart w:id="0" w:name="x"/></w:p>'),
    "hyperlink": ('<w:p><w:r><w:t>见</w:t></w:r><w:hyperlink r:id="rId9"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/>'
                  '</w:rPr><w:t>网站</w:t></w:r></w:hyperlink><w:r><w:t>。</w:t></w:r></w:p>'),
    "headings-and-numbering": (H1.format("总体情况") + H1.format("主动公开")
                               + '<w:p><w:pPr><w:pStyle w:val="Heading2"/><w:numPr><w:ilvl w:val="1"/>'
                                 '<w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>不编号</w:t></w:r></w:p>'
                               + '<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:pStyle w:val="Heading2"/>'
                                 '<w:outlineLvl w:val="9"/></w:pPr><w:r><w:t>两个样式</w:t></w:r></w:p>'
                               + '<w:p><w:pPr><w:outlineLvl w:val="0"/><w:pPrChange w:id="1"><w:pPr>'
                                 '<w:pStyle w:val="Heading1"/></w:pPr></w:pPrChange><w:tabs><w:tab w:val="left" '
                                 'w:pos="840"/></w:tabs><w:rPr><w:b/></w:rPr></w:pPr><w:r><w:t>大纲</w:t></w:r></w:p>'
                               + '<w:p><w:pPr><w:pStyle w:val="Heading&#9;1"/></w:pPr><w:r><w:t>x</w:t></w:r></w:p>'
                               + '<w:p><w:pPr><w:pStyle w:val="Heading\t1"/></w:pPr><w:r><w:t>y</w:t></w:r></w:p>'
                               + '<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:sectPr><w:pgSz w:w="1"/></w:sectPr>'
                                 '</w:pPr></w:p><w:p/>' + H1.format("三")),
    "tables": ('<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblBorders><w:top w:val="single"/></w:tblBorders>'
               '</w:tblPr><w:tblGrid><w:gridCol w:w="1"/></w:tblGrid>'
               '<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr><w:tc><w:tcPr><w:gridSpan w:val="2"/>'
               '<w:vMerge w:val="restart"/><w:tcBorders><w:top w:val="nil"/></w:tcBorders></w:tcPr>'
               + P.format("合并") + '</w:tc><w:tc><w:tcPr/>' + P.format("一") + P.format("二") + '<w:p/></w:tc></w:tr>'
               '<w:tr><w:tblPrEx><w:tblW w:w="0"/></w:tblPrEx><w:trPr/><w:tc><w:tcPr><w:gridSpan w:val="3"/>'
               '<w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>'
               + H1.format("格中标题") + '<w:tbl><w:tr><w:tc>' + P.format("嵌套") + '<w:tbl><w:tr><w:tc>'
               + P.format("再嵌套") + '</w:tc></w:tr></w:tbl><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl>'
               '<w:p/></w:tc></w:tr>'
               '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="1000000000"/></w:tcPr>' + P.format("宽") + '</w:tc>'
               '<w:tc><w:tcPr><w:vMerge w:val="continue"/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>'
               + P.format("表后") + "<w:tbl><w:tr><w:tc><w:tcPr/></w:tc></w:tr></w:tbl>"),
    # run properties: of empty elements (most), and others the text skips all the same (a w:t in them)
    "run-properties": ('<w:p><w:pPr><w:rPr><w:b/><w:t>标记</w:t></w:rPr></w:pPr><w:r><w:rPr><w:b/><w:sz w:val="32"/>'
                       '</w:rPr><w:t>一</w:t></w:r><w:r><w:rPr w:x="1"><w:i/></w:rPr><w:t>二</w:t></w:r><w:r><w:rPr>'
                       '<w:t>不读</w:t><w:lang w:val="zh"></w:lang> </w:rPr><w:t>三</w:t></w:r><w:r><w:rPr/>'
                       '<w:t>四</w:t><w:rPr><w:b/></w:rPr ></w:r></w:p>'),
    # cell and row properties written with end tags (and one out of reach, in another element)
    "explicit-end-tags": ('<w:tbl><w:tr><w:trPr><w:gridBefore w:val="1"></w:gridBefore></w:trPr><w:tc><w:tcPr>'
                          '<w:gridSpan w:val="2"></w:gridSpan><w:vMerge w:val="restart"> </w:vMerge></w:tcPr>'
                          + P.format("a") + '</w:tc><w:tc><w:tcPr><w:x><w:gridSpan w:val="3"/></w:x></w:tcPr>'
                          + P.format("b") + '</w:tc></w:tr><w:tr><w:tc><w:tcPr><w:gridSpan w:val="3"/><w:vMerge>'
                          '</w:vMerge></w:tcPr><w:p/></w:tc><w:tc><w:tcPr><w:vMerge/></w:tcPr>' + P.format("c")
                          + '</w:tc></w:tr></w:tbl>'),
    # field characters without an instruction: the result runs are read and nothing else
    "field-characters": ('<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:fldChar w:fldCharType="separate"/>'
                         '</w:r><w:r><w:t>结果</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'),
    "pretty-printed": "\n  " + P.format("一").replace("><", ">\n    <") + "\n  " + "text outside runs" + P.format("二"),
}


@pytest.mark.parametrize("name", BODIES)
def test_handwritten_documents(base, tmp_path, name):
    doc = read_ok(with_body(base, tmp_path, BODIES[name]))
    assert doc.blocks


def test_tables_and_text(base, tmp_path):
    doc = read_ok(with_body(base, tmp_path, BODIES["run-characters"] + BODIES["entities"]))
    assert [p.text for p in doc.paragraphs()] == ["a \tb\nc\n\n\t-", "A&B一二<>\"'"]
    body = BODIES["tables"].replace("<w:tbl><w:tr><w:tc><w:tcPr/></w:tc></w:tr></w:tbl>", "")
    doc = read_ok(with_body(base, tmp_path, body))
    assert len(doc.tables()) == 3 and doc.tables()[0].rows[0][0].colspan == 2
    doc = read_ok(with_body(base, tmp_path, BODIES["field-characters"] + BODIES["run-properties"]))
    assert [p.text for p in doc.paragraphs()] == ["结果", "一二三四"]


MORE_BODIES = {
    "gt-in-attribute": '<w:p><w:pPr><w:pStyle w:val="a>b"/></w:pPr><w:r><w:t>x</w:t></w:r></w:p>',
    "gt-in-text": P.format("首页 > 公开"),
    "comment": "<!-- 注释 -->" + P.format("x"),
    "cdata": "<w:p><w:r><w:t><![CDATA[<x>]]></w:t></w:r></w:p>",
    "pi": '<?mso-application progid="Word.Document"?>' + P.format("x"),
    "declaration-below-root": '<w:p xmlns:v="urn:v"><w:r><w:t>x</w:t></w:r></w:p>',
    "field": ('<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>'
              '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
              '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'),
    "simple-field": '<w:p><w:fldSimple w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p>',
    "math": '<w:p><m:oMath><m:r><m:t>x</m:t></m:r></m:oMath></w:p>',
    "alternate-content": ('<w:p><w:r><mc:AlternateContent><mc:Choice Requires="w14"><w:t>a</w:t></mc:Choice>'
                          '<mc:Fallback><w:t>b</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>'),
    "text-in-paragraph-properties": '<w:p><w:pPr><w:pStyle w:val="Heading1"></w:pStyle></w:pPr></w:p>',
    "tab-outside-a-run": '<w:p><w:tab/><w:r><w:t>x</w:t></w:r></w:p>',
    "unknown-element-holding-runs": '<w:p><w:foo><w:r><w:t>x</w:t></w:r></w:foo></w:p>',
    "run-properties-change": ('<w:p><w:r><w:rPr><w:b/><w:rPrChange w:id="1"><w:rPr><w:i/></w:rPr></w:rPrChange>'
                              '</w:rPr><w:t>x</w:t></w:r></w:p>'),
    "empty-table": "<w:tbl/>" + P.format("x"),
    "paragraph-in-a-row": "<w:tbl><w:tr><w:p/><w:tc><w:p/></w:tc></w:tr></w:tbl>",
    "second-trPr": ('<w:tbl><w:tr><w:trPr/><w:tc><w:p/></w:tc><w:trPr><w:gridBefore w:val="2"/></w:trPr>'
                    '</w:tr></w:tbl>'),
}


@pytest.mark.parametrize("name", MORE_BODIES)
def test_more_handwritten_documents(base, tmp_path, name):
    assert read_ok(with_body(base, tmp_path, MORE_BODIES[name])).blocks


def test_other_prefix_for_wordprocessingml(base, tmp_path):
    head = HEAD.replace('xmlns:w14=', f'xmlns:x="{W_NS}" xmlns:w14=')
    doc = read_ok(with_body(base, tmp_path, '<x:p><x:r><x:t>别名</x:t></x:r></x:p>', head=head))
    assert doc.paragraphs()[0].text == "别名"


def nested_tables(depth: int) -> str:
    """Tables nested ``depth`` deep, each in the cell of the one around it: the innermost w:t is at
    level 2 + 3 * depth + 3 of document.xml."""
    xml = ""
    for d in range(depth, 0, -1):
        xml = f"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>{d}</w:t></w:r></w:p>{xml}<w:p/></w:tc></w:tr></w:tbl>"
    return xml


MALFORMED = {
    "undefined-prefix": "<w:p><q:r/></w:p>",  # a namespace error: lxml rejects it, libxml2 only logs it
    "undefined-attribute-prefix": '<w:p q:a="1"/>',
    "mismatched-tags": "<w:p><w:r></w:p></w:r>",
    "undefined-entity": P.format("&nbsp;"),
    "bad-character-reference": P.format("&#0;"),
    "too-deep": "<w:p>" + "<w:hyperlink>" * 260 + "</w:hyperlink>" * 260 + "</w:p>",
    # 257 levels: what lxml's tree builder refuses and libxml2 alone (without a tree) accepts
    "one-level-too-deep": nested_tables(84),
    "unbound-namespace": '<w:p xmlns:q=""/>',
    "second-root": "",
}


@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_document_xml_is_e008(base, tmp_path, name):
    path = with_body(base, tmp_path, MALFORMED[name])
    if name == "second-root":
        path = rezip(base, tmp_path / "y.docx", {DOC: members(path)[DOC] + b"<w:document/>"})
    got = read_one(path)
    assert isinstance(got, tuple) and got[0] == "E008", got
    assert DOC in got[1]


def test_depth_one_level_below_the_limit_is_read(base, tmp_path):
    doc = read_ok(with_body(base, tmp_path, nested_tables(83)))
    assert len(doc.tables()) == 83 and doc.tables()[-1].rows[0][0].text == "83\n"


def test_malformed_styles_xml_is_e008(base, tmp_path):
    styles = members(base)["word/styles.xml"]
    for bad in (styles.replace(b"</w:styles>", b""), styles.replace(b"<w:style ", b"<w:style q:x='1' ", 1)):
        got = read_one(rezip(base, tmp_path / "s.docx", {"word/styles.xml": bad}))
        assert got[0] == "E008" and "word/styles.xml" in got[1]


# --------------------------------------------------------------------------- odd styles
ODD_STYLES = (
    # content deeper than the grammar of document.xml reads, and a w:style inside a w:style
    '<w:style w:type="paragraph" w:styleId="Deep"><w:name w:val="deep"/><w:pPr><w:x><w:y><w:z><w:numPr>'
    '<w:numId w:val="10"/></w:numPr></w:z></w:y></w:x><w:outlineLvl w:val="3"/></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Outer"><w:name w:val="outer"/><w:style w:type="paragraph" '
    'w:styleId="Inner"><w:name w:val="inner"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>'
    '<w:basedOn w:val="Heading1"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Late"><w:name w:val="late"/><w:pPr><w:numPr><w:numId w:val="10"/>'
    '</w:numPr></w:pPr><w:pPr/><w:name>标题 4</w:name></w:style>'
    # a basedOn chain (numbering from the first, level and outline from the second) and a cycle
    '<w:style w:type="paragraph" w:styleId="ChainA"><w:name w:val="chain a"/><w:pPr><w:numPr>'
    '<w:numId w:val="10"/></w:numPr></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="ChainB"><w:name w:val="chain b"/><w:basedOn w:val="ChainA"/><w:pPr>'
    '<w:numPr><w:ilvl w:val="1"/></w:numPr><w:outlineLvl w:val="1"/></w:pPr></w:style>'
    '<w:style w:styleId="ChainC"><w:name w:val="&#x6807;&#x9898;&#9;3"/><w:basedOn w:val="ChainB"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="CycleX"><w:basedOn w:val="CycleY"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="CycleY"><w:name w:val="heading 5"/><w:basedOn w:val="CycleX"/></w:style>'
    # a numbering style, used through numbering.xml only (w:numStyleLink)
    '<w:style w:type="numbering" w:styleId="LinkedList"><w:name w:val="linked list"/><w:pPr><w:numPr>'
    '<w:numId w:val="10"/></w:numPr></w:pPr></w:style>'
    '<w:style w:type="character" w:styleId="Heading1"><w:name w:val="not a paragraph style"/></w:style>'
    # types written otherwise (an empty w:type is a paragraph style)
    '<w:style w:styleId="TableLate" w:type="table"><w:name w:val="t"/></w:style>'
    "<w:style w:type = 'character' w:styleId='CharLate'/><w:style w:type=\"\" w:styleId=\"EmptyType\">"
    '<w:name w:val="empty type"/></w:style>'
)
LINKED_NUMBERING = ('<w:abstractNum w:abstractNumId="90"><w:numStyleLink w:val="LinkedList"/></w:abstractNum>',
                    '<w:num w:numId="90"><w:abstractNumId w:val="90"/></w:num>')


def styled_para(style: str, text: str, num: str = "") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{num}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>'


def with_template(base: Path, tmp_path: Path, body: str, name: str) -> Path:
    """``base`` with the document ``body``, the odd styles above added to its styles.xml and the
    linked list to its numbering.xml."""
    m = members(base)
    styles = m["word/styles.xml"].replace(b"</w:styles>", ODD_STYLES.encode() + b"</w:styles>")
    numbering = m["word/numbering.xml"]
    abstract, num = (x.encode() for x in LINKED_NUMBERING)
    numbering = numbering.replace(b"<w:num ", abstract + b"<w:num ", 1).replace(b"</w:numbering>", num + b"</w:numbering>")
    path = with_body(base, tmp_path, body, name=name)
    return rezip(path, tmp_path / ("t-" + name), {"word/styles.xml": styles, "word/numbering.xml": numbering})


STYLE_BODIES = {
    "unused": P.format("正文") + H1.format("标题"),
    "odd": "".join(styled_para(s, s) for s in ("Deep", "Outer", "Inner", "Late", "Deep")),
    "chain": "".join(styled_para(s, s) for s in ("ChainC", "ChainB", "ChainA", "ChainC", "CycleX", "CycleY", "Missing")),
    "linked": "".join(styled_para("Normal", str(i), '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>')
                      for i in range(3)),
}


@pytest.mark.parametrize("name", STYLE_BODIES)
def test_odd_styles(base, tmp_path, name):
    """Whatever styles a document uses (none of the odd ones, odd ones, a basedOn chain, a list
    linked through numbering.xml), their names, heading levels and list labels."""
    path = with_template(base, tmp_path, STYLE_BODIES[name], f"{name}.docx")
    got = read_ok(path)
    paras = {p.text: p for p in got.paragraphs()}
    if name == "chain":
        assert paras["ChainC"].style == "标题\t3" and paras["ChainC"].heading_level == 3  # its own name first
        assert paras["ChainB"].heading_level == 2
        assert paras["ChainC"].number and paras["ChainA"].number and paras["CycleX"].heading_level == 5
    elif name == "linked":
        labels = [paras[str(i)].number for i in range(3)]
        assert all(labels) and len(set(labels)) == 3, labels
    elif name == "odd":
        assert paras["Inner"].heading_level == 3 and paras["Outer"].style == "outer"


def test_a_cached_template_reads_the_same_whatever_read_it_first(base, tmp_path):
    """Documents that use different styles of one template read the same in any order, its
    styles and numbering cached or not (each document gets fresh list counters)."""
    paths = [with_template(base, tmp_path, STYLE_BODIES[name], f"c-{name}.docx") for name in STYLE_BODIES]
    want = []
    for path in paths:
        package._TEMPLATE_CACHE.clear()
        want.append(read_docx(str(path)))
    for order in (paths, paths[::-1], paths[1:] + paths[:1]):
        package._TEMPLATE_CACHE.clear()
        for path in order:
            assert read_docx(str(path)) == want[paths.index(path)], path.name
    package._TEMPLATE_CACHE.clear()
