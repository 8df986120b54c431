"""Tests for gxlint.readers.ofd: OFD reports (GB/T 33190) written by tests/ofdbuild.py.

Each seed report becomes an OFD laid out as its PDF (tests/pdfbuild.py) is: text
runs placed on pages, table rules as PathObjects; the reader must give the
.docx's paragraphs, table grids and findings.  Broken and encrypted OFDs give one
E0xx line.
"""
from __future__ import annotations

import re
import subprocess
import sys
import zipfile

import pytest
from conftest import SEED_FILES, assert_findings_as_docx, cells, squash
from ofdbuild import NS, encrypted_ofd, ofd_from_pdf, seed_ofd, write_ofd
from pdfbuild import build_pdf
from seeddocx import seed_docx

from gxlint.errors import InputError
from gxlint.readers import read

pytestmark = pytest.mark.slow  # OFD fixtures built from PDFs, each seed read as OFD

SMALL = [
    ("title", "XX市司法局2024年政府信息公开工作年度报告"),
    ("heading", 1, "总体情况"),
    ("para", "本年度共收到政府信息公开申请12件，均已按期答复。"),
]


def run_cli(*args):
    p = subprocess.run([sys.executable, "-m", "gxlint", *map(str, args)], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    """seed name -> (.docx, .ofd)."""
    d = tmp_path_factory.mktemp("ofd")
    return {seed.name: (seed_docx(seed, d / f"{seed.stem}.docx"), seed_ofd(seed, d / f"{seed.stem}.ofd"))
            for seed in SEED_FILES}


# --------------------------------------------------------------------------- the seeds
@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_seed_ofd_findings_as_docx(seed, seeds, linter, expected):
    docx, ofd = seeds[seed.name]
    assert_findings_as_docx(linter, ofd, docx, expected[seed.name])


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_paragraphs_and_tables_as_docx(seed, seeds):
    docx, ofd = seeds[seed.name]
    want, got = read(str(docx)), read(str(ofd))
    assert got.format == "ofd"
    assert [squash(p.text) for p in got.paragraphs()] == [w for p in want.paragraphs() if (w := squash(p.shown))]
    assert [cells(t) for t in got.tables()] == [cells(t) for t in want.tables()]


def test_the_fixture_is_runs_and_rules(seeds):
    """The OFD holds text runs (not a glyph each) and PathObject rules; no PDF inside."""
    with zipfile.ZipFile(seeds[SEED_FILES[4].name][1]) as z:
        names = z.namelist()
        page = z.read("Doc_0/Pages/Page_5/Content.xml").decode()
    assert all(not n.endswith(".pdf") for n in names)
    runs = re.findall(r"<ofd:TextCode[^>]*>([^<]*)<", page)
    assert page.count("<ofd:PathObject") > 50 and max(len(r) for r in runs) > 10


def test_location_names_the_page(seeds):
    path = seeds[SEED_FILES[4].name][1]
    rc, out, _ = run_cli(path, "--select", "GX302,GX210")
    assert rc == 1
    lines = out.strip().split("\n")
    assert len(lines) == 3
    for line in lines:
        assert re.match(rf"^{re.escape(str(path))}:\d+:\d+: error: GX\d{{3}} .+ \[第\d+页 .+\]$", line), line
    assert any("[第6页 第三部分 表格三 第17行" in ln for ln in lines)


def test_wrapped_lines_join_and_rules_make_a_table(tmp_path):
    pdf = tmp_path / "small.pdf"
    build_pdf([*SMALL, ("table", [["项目", "数量"], ["申请", "12"]])], pdf)
    doc = read(str(ofd_from_pdf(pdf, tmp_path / "small.ofd")))
    assert [p.text for p in doc.paragraphs()] == [
        "XX市司法局2024年政府信息公开工作年度报告", "一、总体情况", "本年度共收到政府信息公开申请12件，均已按期答复。"]
    assert [cells(t) for t in doc.tables()] == [
        [(0, 0, 1, 1, "项目"), (0, 1, 1, 1, "数量"), (1, 0, 1, 1, "申请"), (1, 1, 1, 1, "12")]]
    # without its rules the same text is no table: the rules are what the reader reads
    bare = read(str(ofd_from_pdf(pdf, tmp_path / "bare.ofd", rules=False)))
    assert not bare.tables()


# --------------------------------------------------------------------------- bad OFDs
def _one_error(path, code):
    rc, out, err = run_cli(path)
    assert rc == 2, (out, err)
    assert out.count("\n") == 1 and out.startswith(f"{path}: error: {code} "), out
    assert "Traceback" not in err
    return out


def test_encrypted_is_e018(tmp_path):
    assert "加密" in _one_error(encrypted_ofd(tmp_path / "secret.ofd"), "E018")


def test_scan_without_text_is_e014(tmp_path):
    path = write_ofd([['<ofd:ImageObject ID="5" Boundary="0 0 210 297" ResourceID="9"/>']], tmp_path / "scan.ofd")
    assert "没有文字" in _one_error(path, "E014")


def test_truncated_is_e017(tmp_path):
    pdf = tmp_path / "small.pdf"
    build_pdf(SMALL, pdf)
    data = ofd_from_pdf(pdf, tmp_path / "whole.ofd").read_bytes()
    path = tmp_path / "cut.ofd"
    path.write_bytes(data[:len(data) // 2])
    _one_error(path, "E017")


@pytest.mark.parametrize("make", [
    lambda p: p.write_bytes(b"%PDF-1.7 not an OFD"),
    lambda p: zipfile.ZipFile(p, "w").writestr("word/document.xml", "<w/>"),
    lambda p: write_ofd([["<ofd:TextObject ID='1' Boundary='0 0 1 1'><ofd:TextCode>x"]], p),
    lambda p: write_ofd([[]], p, document=f'<ofd:Document xmlns:ofd="{NS}"/>'.encode()),
], ids=["not-zip", "no-ofd-xml", "bad-xml", "no-pages"])
def test_corrupt_is_e017_never_a_traceback(tmp_path, make):
    path = tmp_path / "bad.ofd"
    make(path)
    with pytest.raises(InputError) as e:
        read(str(path))
    assert e.value.code == "E017", e.value


def test_empty_file_is_e001(tmp_path):
    path = tmp_path / "empty.ofd"
    path.write_bytes(b"")
    with pytest.raises(InputError) as e:
        read(str(path))
    assert e.value.code == "E001"


def test_ofdkit_only_for_ofd():
    code = ("import sys; from gxlint.engine import Linter; "
            f"Linter().lint_path({str(SEED_FILES[0])!r}); print('ofdkit' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# --------------------------------------------------------------------------- how producers write OFD
def _text(oid, x, y, text, size=3.175, **attrs):
    """A TextObject at (x, y) mm (top left of its Boundary), one TextCode, CJK advances in DeltaX's
    「g n d」 shorthand; ``attrs`` go on the TextObject (CTM...)."""
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    deltas = f' DeltaX="g {len(text) - 1} {size}"' if len(text) > 1 else ""
    return (f'<ofd:TextObject ID="{oid}" Boundary="{x} {y} {len(text) * size + 1} {size * 1.5}" Size="{size}"{extra}>'
            f'<ofd:TextCode X="0" Y="{size}"{deltas}>{text}</ofd:TextCode></ofd:TextObject>')


def test_rules_as_one_path_or_thin_boxes(tmp_path):
    """A grid drawn as one PathObject of many subpaths, or as thin filled boxes (as some
    producers draw borders), is the same ruled table."""
    x0, y0, w, h = 30.0, 50.0, 100.0, 8.0
    texts = [_text(1, 32, 51, "项目"), _text(2, 82, 51, "数量"), _text(3, 32, 59, "申请"), _text(4, 82, 59, "12"),
             _text(5, 30, 20, "XX市司法局2024年政府信息公开工作年度报告", size=7.76)]
    lines = [(0, i * h, w, i * h) for i in range(3)] + [(x, 0, x, 2 * h) for x in (0, 50, w)]
    one_path = ('<ofd:PathObject ID="20" Boundary="{} {} {} {}" LineWidth="0.2"><ofd:AbbreviatedData>{}'
                '</ofd:AbbreviatedData></ofd:PathObject>').format(
        x0, y0, w, 2 * h, " ".join(f"M {a} {b} L {c} {d}" for a, b, c, d in lines))
    boxes = [f'<ofd:PathObject ID="{30 + n}" Boundary="{x0 + min(a, c) - 0.1} {y0 + min(b, d) - 0.1} '
             f'{abs(c - a) + 0.2} {abs(d - b) + 0.2}" Fill="true" Stroke="false"><ofd:AbbreviatedData>'
             f'M 0 0 L {abs(c - a) + 0.2} 0 L {abs(c - a) + 0.2} {abs(d - b) + 0.2} L 0 {abs(d - b) + 0.2} C'
             '</ofd:AbbreviatedData></ofd:PathObject>' for n, (a, b, c, d) in enumerate(lines)]
    for name, rules in (("path", [one_path]), ("boxes", boxes)):
        doc = read(str(write_ofd([texts + rules], tmp_path / f"{name}.ofd")))
        assert [cells(t) for t in doc.tables()] == [
            [(0, 0, 1, 1, "项目"), (0, 1, 1, 1, "数量"), (1, 0, 1, 1, "申请"), (1, 1, 1, 1, "12")]], name
        assert [p.text for p in doc.paragraphs()] == ["XX市司法局2024年政府信息公开工作年度报告"], name


def test_text_object_transform_and_template(tmp_path):
    """A TextObject's CTM places it (here above a text written before it in the file, but
    lower down by its Boundary); text on a template page (a header repeated on every page)
    is read on the page that uses it."""
    moved = _text(1, 30, 60, "一、总体情况", CTM="1 0 0 1 0 -40")  # drawn at y = 20 mm
    body = _text(2, 37, 35, "本年度共收到申请十二件。")
    path = write_ofd([[body, moved]], tmp_path / "ctm.ofd")
    assert [p.text for p in read(str(path)).paragraphs()] == ["一、总体情况", "本年度共收到申请十二件。"]
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    doc_xml = parts["Doc_0/Document.xml"].decode().replace(
        "</ofd:CommonData>", '<ofd:TemplatePage ID="7" BaseLoc="Tpls/Tpl_0/Content.xml"/></ofd:CommonData>')
    page = parts["Doc_0/Pages/Page_0/Content.xml"].decode().replace(
        f'<ofd:Page xmlns:ofd="{NS}">', f'<ofd:Page xmlns:ofd="{NS}"><ofd:Template TemplateID="7"/>')
    tpl = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer ID="1">'
           + _text(9, 30, 10, "XX市司法局", size=3.175) + "</ofd:Layer></ofd:Content></ofd:Page>")
    with zipfile.ZipFile(path, "w") as z:
        for n, data in parts.items():
            if n == "Doc_0/Document.xml":
                data = doc_xml.encode()
            elif n == "Doc_0/Pages/Page_0/Content.xml":
                data = page.encode()
            z.writestr(n, data)
        z.writestr("Doc_0/Tpls/Tpl_0/Content.xml", tpl)
    assert [p.text for p in read(str(path)).paragraphs()] == ["XX市司法局", "一、总体情况", "本年度共收到申请十二件。"]


# ------------------------------------------------------------------ bounded work (issue 31)
# ofdkit bounds each part (64 MiB), not how often a part is parsed, nor how many elements a part
# holds; the reader counts what the whole package will parse before parsing it.  What is checked
# is what was read and parsed (ofdkit's reads and parses, counted), never how long it took.

PAGE_HEAD = f'<ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer ID="1">'
TEXT = '<ofd:TextObject ID="5" Boundary="20 20 100 10" Size="4"><ofd:TextCode X="0" Y="4">年度报告</ofd:TextCode></ofd:TextObject>'


def _document(pages: int, base: str = "Pages/Page_0/Content.xml") -> bytes:
    listing = "".join(f'<ofd:Page ID="{1000 + i}" BaseLoc="{base}"/>' for i in range(pages))
    return (f'<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297'
            f'</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><ofd:Pages>{listing}</ofd:Pages></ofd:Document>').encode()


@pytest.fixture
def counted(monkeypatch):
    """{"read": [(part, bytes)], "parsed": [part]}: what ofdkit reads from the package and parses."""
    import ofdkit.package

    seen = {"read": [], "parsed": []}
    read, parse = ofdkit.package.Package.read, ofdkit.package.parse_xml

    def counting_read(self, name):
        data = read(self, name)
        seen["read"].append((name, len(data)))
        return data

    def counting_parse(data, name="XML"):
        seen["parsed"].append(name)
        return parse(data, name)

    monkeypatch.setattr(ofdkit.package.Package, "read", counting_read)
    monkeypatch.setattr(ofdkit.package, "parse_xml", counting_parse)
    return seen


def _refused(path) -> str:
    with pytest.raises(InputError) as e:
        read(str(path))
    assert e.value.code == "E006", e.value
    return e.value.message


def _repeated(piece: bytes, times: int, head: bytes = b"", tail: bytes = b""):
    """The bytes ``head + piece * times + tail``, a MiB or so at a time (a part of 60 MiB is never
    one string in the test's memory)."""
    yield head
    step = max(1, 2**20 // len(piece))
    for i in range(0, times, step):
        yield piece * min(step, times - i)
    yield tail


PAGE_TAIL = b"</ofd:Layer></ofd:Content></ofd:Page>"


def test_25_pages_naming_one_60_mib_part_are_refused_unparsed(tmp_path, counted):
    """60 KB on disk; ofdkit would parse the 60 MiB part 25 times (and the reader once more a page):
    it is read once, to be measured, and parsed never."""
    big = "Doc_0/Pages/Page_0/Content.xml"
    path = _write_with(tmp_path / "bomb.ofd", [[TEXT]], {
        big: _repeated(b" ", 60 * 2**20, (PAGE_HEAD + TEXT).encode(), PAGE_TAIL)}, _document(25))
    assert path.stat().st_size < 200_000
    assert "过多" in _refused(path)
    assert [n for n, _ in counted["read"]].count(big) == 1 and big not in counted["parsed"]
    assert sum(size for _, size in counted["read"]) < 61 * 2**20


@pytest.mark.parametrize("what", ["content", "resources"])
def test_25_pages_naming_one_part_within_the_part_limit_are_refused_unparsed(tmp_path, counted, what):
    """A 1.5 MiB part is no problem once; parsed once a page, 25 pages make it 75 MiB (content) or
    37 MiB (a page resource): refused before any page is read."""
    filler = f'<ofd:TextObject ID="7" Boundary="0 0 1 1" Size="1"><ofd:TextCode X="0" Y="1">{"字" * 500_000}</ofd:TextCode></ofd:TextObject>'
    if what == "content":
        pages, extra, document = [[TEXT + filler]], {}, _document(25)
    else:
        res = f'<ofd:Res xmlns:ofd="{NS}"><ofd:Fonts/>{"<!-- -->" * 10}{" " * (3 * 2**19)}</ofd:Res>'
        pages = [[TEXT] for _ in range(25)]
        extra = {f"Doc_0/Pages/Page_{i}/Content.xml": (
            f'<ofd:Page xmlns:ofd="{NS}"><ofd:PageRes>../../Res/Shared.xml</ofd:PageRes><ofd:Content>'
            f'<ofd:Layer ID="1">{TEXT}</ofd:Layer></ofd:Content></ofd:Page>') for i in range(25)}
        extra["Doc_0/Res/Shared.xml"] = res
        document = _document(0).replace(b"<ofd:Pages></ofd:Pages>", "<ofd:Pages>{}</ofd:Pages>".format("".join(
            f'<ofd:Page ID="{1000 + i}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(25))).encode())
    path = _write_with(tmp_path / f"{what}.ofd", pages, extra, document)
    assert "过多" in _refused(path)
    assert set(counted["parsed"]) <= {"OFD.xml", "Doc_0/Document.xml"}  # no page, no resource


def _write_with(path, pages, extra, document):
    """write_ofd, with ``extra`` entries (a str, or chunks of bytes written as they come)
    replacing the pages it writes."""
    tmp = write_ofd(pages, path.with_suffix(".tmp.ofd"), document=document)
    with zipfile.ZipFile(tmp) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename not in extra:
                out.writestr(info.filename, src.read(info))
        for name, data in extra.items():
            if isinstance(data, str):
                out.writestr(name, data)
                continue
            with out.open(name, "w") as member:
                for chunk in data:
                    member.write(chunk)
    tmp.unlink()
    return path


@pytest.mark.parametrize("depth", [600_000, 9_000_000], ids=["600k", "9M"])
def test_millions_of_nested_elements_are_refused_unparsed(tmp_path, counted, depth):
    """9 million nested elements (63 MB, under ofdkit's 64 MiB a part) took 2.8 GB in ElementTree;
    600,000 are 4 MB but more elements than any report's: both are refused before any XML parser
    sees the part."""
    name = "Doc_0/Pages/Page_0/Content.xml"

    def nested():
        yield from _repeated(b"<a>", depth, (PAGE_HEAD + TEXT).encode())
        yield from _repeated(b"</a>", depth, tail=PAGE_TAIL)

    path = _write_with(tmp_path / "nested.ofd", [[TEXT]], {name: nested()}, None)
    _refused(path)
    assert counted["parsed"] == [] and [n for n, _ in counted["read"]].count(name) == 1


def test_a_real_report_stays_well_within_the_budget(seeds, counted):
    """The seed OFDs are read as before (their findings: test_seed_ofd_findings_as_docx); what they
    parse is a small part of the budget."""
    from gxlint.readers.ofd import MAX_XML_BYTES

    _, ofd = seeds[SEED_FILES[4].name]
    read(str(ofd))
    assert 0 < sum(size for _, size in counted["read"]) < MAX_XML_BYTES // 100
