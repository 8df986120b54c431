"""Writers: findings as Word comments, fixes as tracked changes, fixes in .txt/.md.

The .docx checks read the written XML with helpers of their own (the text a
comment covers, the rejected view of tracked changes, the formatting of every
character), so they do not trust the writers' own location code.
"""
from __future__ import annotations

import codecs
import hashlib
import os
import zipfile
from collections import defaultdict
from pathlib import Path

import pytest
import systools
from conftest import SEED_FILES
from docx import Document as open_docx
from docx.oxml import parse_xml
from docxbuild import build_docx
from lxml import etree
from seeddocx import seed_docx

from gxlint.errors import GxlintError, InputError
from gxlint.findings import Finding, Fix
from gxlint.model import Paragraph, Table
from gxlint.readers.docx import paragraph_sources, paragraph_spans, read_docx
from gxlint.writers import write_atomic
from gxlint.writers.docx_annotate import annotate_docx
from gxlint.writers.docx_fix import fix_docx
from gxlint.writers.text_fix import fix_text, unified_diff

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W = f'xmlns:w="{W_NS}"'


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


SEEDS = {p.name[:3]: p for p in SEED_FILES}
FAULTY = ["000", "001", "003", "004"]


# --------------------------------------------------------------------------- helpers
def sha(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def document_xml(path):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml"))


def anchored_texts(path) -> dict[str, str]:
    """Comment id -> the accepted-view text between its range start and end.

    Paragraphs inside the range are separated by "\\n" (as a cell's text is),
    except those whose mark is deleted (the reader joins them); tracked
    deletions and the VML copies of text boxes are not text.
    """
    out: dict[str, str] = defaultdict(str)
    opened: set[str] = set()
    hidden = 0
    for event, el in etree.iterwalk(document_xml(path), events=("start", "end")):
        if el.tag in (w("del"), f"{{{MC_NS}}}Fallback"):
            hidden += 1 if event == "start" else -1
            continue
        if hidden:
            continue
        if event == "start":
            if el.tag == w("commentRangeStart"):
                opened.add(el.get(w("id")))
            elif el.tag == w("commentRangeEnd"):
                opened.discard(el.get(w("id")))
            elif el.tag in (w("t"), w("tab")):
                for cid in opened:
                    out[cid] += (el.text or "") if el.tag == w("t") else "\t"
        elif el.tag == w("p") and el.find(f"{w('pPr')}/{w('rPr')}/{w('del')}") is None:
            for cid in opened:
                out[cid] += "\n"
    return dict(out)


def rejected_copy(src, dst) -> Path:
    """A copy of ``src`` with every tracked change rejected (insertions dropped, deletions kept)."""
    root = document_xml(src)
    for ins in list(root.iter(w("ins"))):
        ins.getparent().remove(ins)
    for d in list(root.iter(w("del"))):
        parent = d.getparent()
        if parent.tag in (w("rPr"), w("trPr")):
            continue
        for t in d.iter(w("delText")):
            t.tag = w("t")
        for child in list(d):
            d.addprevious(child)
        parent.remove(d)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            zout.writestr(info.filename, data)
    return Path(dst)


def char_formats(path, view: str) -> list[list[tuple[str, bytes]]]:
    """Per body paragraph, (character, its run's w:rPr) in the ``accepted`` or ``rejected`` view."""
    skip = w("del") if view == "accepted" else w("ins")
    out = []
    for p in document_xml(path).iter(w("p")):
        chars = []
        for r in p.iter(w("r")):
            if any(a.tag == skip for a in r.iterancestors()):
                continue
            rpr = r.find(w("rPr"))
            key = etree.tostring(rpr, method="c14n") if rpr is not None else b""
            for t in r:
                if t.tag in (w("t"), w("delText")):
                    chars += [(ch, key) for ch in t.text or ""]
        out.append(chars)
    return out


def inserted(path) -> list[tuple[str, bytes, str]]:
    """(text, rPr, author) of every run in a w:ins."""
    out = []
    for ins in document_xml(path).iter(w("ins")):
        assert ins.get(w("date"))
        for r in ins.iter(w("r")):
            rpr = r.find(w("rPr"))
            out.append(("".join(t.text for t in r.iter(w("t"))),
                        etree.tostring(rpr, method="c14n") if rpr is not None else b"", ins.get(w("author"))))
    return out


def texts(path) -> list[str]:
    """Every paragraph and cell text gxlint reads (the accepted view)."""
    out = []
    for b in read_docx(str(path)).blocks:
        if isinstance(b, Table):
            out += [c.text for row in b.rows for c in row]
        else:
            out.append(b.text)
    return out


@pytest.fixture(scope="module")
def seed_docs(tmp_path_factory):
    d = tmp_path_factory.mktemp("seeds")
    return {n: seed_docx(SEEDS[n], d / f"{n}.docx") for n in FAULTY}


def soffice_convert(path: Path, fmt: str, tmp_path: Path) -> Path:
    systools.require_office()
    out = tmp_path / "lo"
    p = systools.soffice(["--convert-to", fmt, "--outdir", str(out), str(path)], tmp_path / "lo-profile", timeout=180)
    result = out / (path.stem + "." + fmt)
    assert result.is_file() and result.stat().st_size > 0, (p.returncode, p.stderr)
    return result


# --------------------------------------------------------------------------- annotate
@pytest.mark.parametrize("seed", FAULTY)
def test_annotate_seed_one_comment_per_finding_on_its_excerpt(seed, seed_docs, linter, tmp_path):
    src = seed_docs[seed]
    before = sha(src)
    findings = linter.lint_path(str(src)).findings
    assert findings
    dst = tmp_path / "annotated.docx"
    assert annotate_docx(str(src), findings, str(dst)) == len(findings)
    assert sha(src) == before

    comments = list(open_docx(str(dst)).comments)  # python-docx opens it and reads the comments
    assert len(comments) == len(findings)
    anchored = anchored_texts(dst)
    for c, f in zip(comments, findings):
        assert (c.author, c.initials) == ("gxlint", "GX")
        assert c.text.split("\n")[0] == f"{f.rule} {f.message} [{f.location}]"
        assert anchored[str(c.comment_id)] == f.excerpt, (f.rule, f.location)

    again = linter.lint_path(str(dst))
    assert again.error is None
    assert [f.as_dict() for f in again.findings] == [f.as_dict() for f in findings]


def test_annotate_appends_to_existing_comments_with_fresh_ids(seed_docs, linter, tmp_path):
    src = seed_docs["004"]
    findings = linter.lint_path(str(src)).findings
    once, twice = tmp_path / "once.docx", tmp_path / "twice.docx"
    annotate_docx(str(src), findings, str(once))
    assert annotate_docx(str(once), findings[:2], str(twice)) == 2
    comments = list(open_docx(str(twice)).comments)
    ids = [c.comment_id for c in comments]
    assert len(ids) == len(findings) + 2 and len(set(ids)) == len(ids)
    anchored = anchored_texts(twice)
    assert [anchored[str(i)] for i in ids[-2:]] == [f.excerpt for f in findings[:2]]
    with zipfile.ZipFile(twice) as z:
        assert sum(n == "word/comments.xml" for n in z.namelist()) == 1
        assert z.read("[Content_Types].xml").count(b"/word/comments.xml") == 1


def hard_docx(tmp_path) -> Path:
    """Text boxes, content controls, tracked changes, a deleted paragraph mark, a
    hyperlink, multi-paragraph and merged cells, a nested table."""
    path = tmp_path / "hard.docx"
    build_docx([
        ("title", "XX市司法局2024年政府信息公开工作年度报告"),
        ("heading", 1, "总体情况"),
        ("para", "依法保护第三方[+合法+]权益，[-不予-]及时答复，共**12**件。"),
        ("textbox", "内部资料\n注意保存", {"host": "文本框前的文字"}),
        ("sdt", "填报单位：XX市司法局"),
        ("para", "前半句，"),
        ("para", "后半句在下一段。"),
        ("table", [["信息内容", {"text": "本年新[+制+]发件数", "colspan": 2}],
                   [{"text": "规章\n（含修订）", "vmerge": "restart"}, "0", ""],
                   [{"text": "", "vmerge": "continue"}, "1\n", "2"]]),
        ("para", "表后说明文字。"),
    ], path)
    doc = open_docx(str(path))
    body = doc.element.body
    merged = next(p for p in body.iter(w("p")) if "".join(t.text for t in p.iter(w("t"))) == "前半句，")
    merged.get_or_add_pPr().append(parse_xml(
        f'<w:rPr {W}><w:del w:id="990" w:author="审校" w:date="2025-01-02T00:00:00Z"/></w:rPr>'))
    last = doc.paragraphs[-1]._p
    last.append(parse_xml(f'<w:hyperlink {W} w:anchor="x"><w:r><w:t>（链接文字）</w:t></w:r></w:hyperlink>'))
    last.append(parse_xml(f'<w:r {W}><w:t>结尾。</w:t></w:r>'))
    host = doc.tables[0].cell(2, 2)
    nested = host.add_table(1, 2)
    nested.cell(0, 0).text = "嵌套甲"
    nested.cell(0, 1).text = "嵌套乙"
    host._tc.remove(host._tc.p_lst[-1])  # python-docx adds a paragraph after the table:
    host._tc.p_lst[0].addprevious(nested._tbl)  # the nested table goes first, the cell ends with 「2」
    doc.save(str(path))
    return path


def synthetic_findings(path) -> list[Finding]:
    """A finding on the inner characters of every paragraph and on every whole cell,
    located as the rules locate them (Rule.at_text / Rule.at_cell)."""
    out = []

    def add(line, col, end_line, end_col, excerpt):
        out.append(Finding("GX999", "wording", "warning", "测试", line, col, end_line, end_col, excerpt,
                           location=f"第{line}段"))

    for b in read_docx(str(path)).blocks:
        if isinstance(b, Paragraph) and b.text:
            a, e = (1, len(b.text) - 1) if len(b.text) > 2 else (0, len(b.text))
            add(b.line, b.col + a, b.line, b.col + e, b.text[a:e])
        elif isinstance(b, Table):
            for c in (c for row in b.rows for c in row):
                lines = c.text.split("\n")
                add(c.line, c.col, c.line + len(lines) - 1, (c.col if len(lines) == 1 else 1) + len(lines[-1]),
                    c.text)
    return out


def test_reader_sources_are_the_reader_text(tmp_path):
    """paragraph_sources numbers and reads every paragraph and cell exactly as read_docx."""
    path = hard_docx(tmp_path)
    got = []
    for block, lines in paragraph_sources(document_xml(path)):
        joined = "\n".join("".join(paragraph_spans(p)[0] for p in line) for line in lines)
        assert joined == block.text
        got.append((block.line, block.text))
    doc = read_docx(str(path))
    want = []
    for b in doc.blocks:
        if isinstance(b, Table):
            want += [(c.line, c.text) for row in b.rows for c in row]
        else:
            want.append((b.line, b.text))
    assert sorted(got) == sorted(want)
    assert ("前半句，后半句在下一段。" in [t for _, t in got]) and ("内部资料" in [t for _, t in got])


def test_annotate_hard_structures(tmp_path):
    src = hard_docx(tmp_path)
    findings = synthetic_findings(src)
    assert {"法保护第三方合法权益，及时答复，共12件", "部资", "半句，后半句在下一段", "规章\n（含修订）",
            "嵌套甲", "", "本年新制发件数", "1\n", "2"} <= {f.excerpt for f in findings}
    dst = tmp_path / "annotated.docx"
    assert annotate_docx(str(src), findings, str(dst)) == len(findings)
    anchored = anchored_texts(dst)
    comments = list(open_docx(str(dst)).comments)
    assert [anchored.get(str(c.comment_id), "") for c in comments] == [f.excerpt for f in findings]
    assert texts(dst) == texts(src)


def test_annotate_without_a_place_anchors_on_the_title(seed_docs, tmp_path):
    src = seed_docs["003"]
    f = Finding("GX001", "structure", "error", "缺少第七部分", 9999, 1, 9999, 1, "", location="全文")
    dst = tmp_path / "a.docx"
    assert annotate_docx(str(src), [f], str(dst)) == 1
    assert list(anchored_texts(dst).values()) == [texts(src)[0]]


# --------------------------------------------------------------------------- fix
def test_fix_cross_run_tracked_changes_keep_formatting(linter, tmp_path):
    src = tmp_path / "report.docx"
    build_docx([
        ("title", "XX市司法局2024年政府信息公开工作年度报告"),
        ("para", "依法**保护第三**方法权益，及时答复。", {"split": None}),
        ("para", "根据《中华人民共和国政府信息公开条例》（国务院令第**七十**一号）编制。", {"split": None}),
    ], src)
    findings = linter.lint_path(str(src)).findings
    fixable = {f.rule: f for f in findings if f.fix}
    assert set(fixable) == {"GX502", "GX210"} and fixable["GX502"].excerpt == "保护第三方法权益"
    before, original = sha(src), char_formats(src, "accepted")
    dst = tmp_path / "fixed.docx"
    assert fix_docx(str(src), findings, str(dst)) == 2
    assert sha(src) == before

    accepted = texts(dst)  # gxlint reads the accepted view
    assert accepted[1:] == ["依法保护第三方合法权益，及时答复。", "根据《中华人民共和国政府信息公开条例》（国务院令第711号）编制。"]
    assert texts(rejected_copy(dst, tmp_path / "rejected.docx")) == texts(src)
    # every original character keeps its run formatting (deleted ones inside w:del)
    assert char_formats(dst, "rejected") == original
    bold = next(k for ch, k in original[1] if ch == "保")
    plain = next(k for ch, k in original[1] if ch == "方")
    assert bold != plain
    # 合 takes the formatting of the character before it; 711 that of 七, the first it replaces
    assert inserted(dst) == [("合", plain, "gxlint"), ("711", bold, "gxlint")]
    deletions = list(document_xml(dst).iter(w("del")))
    assert [d.get(w("author")) for d in deletions] == ["gxlint"] and deletions[0].get(w("date"))
    assert [t.text for t in deletions[0].iter(w("delText"))] == ["七十", "一"]  # two runs: bold, plain
    assert not [t for d in deletions for t in d.iter(w("t"))]
    assert not [f for f in linter.lint_path(str(dst)).findings if f.fix]


def test_fix_seed_004(seed_docs, linter, tmp_path):
    src = seed_docs["004"]
    findings = linter.lint_path(str(src)).findings
    dst = tmp_path / "fixed.docx"
    assert fix_docx(str(src), findings, str(dst)) == sum(1 for f in findings if f.fix) == 4
    left = linter.lint_path(str(dst)).findings
    assert {f.rule for f in left} == {"GX302", "GX304"}
    assert texts(rejected_copy(dst, tmp_path / "rejected.docx")) == texts(src)
    assert char_formats(dst, "rejected") == char_formats(src, "accepted")
    assert {t for t, _, _ in inserted(dst)} >= {"711", "废", "数量"}


def test_fix_overlapping_and_stale_fixes_are_skipped(seed_docs, linter, tmp_path):
    src = seed_docs["004"]
    gx210 = next(f for f in linter.lint_path(str(src)).findings if f.rule == "GX210")
    text = next(p.text for p in read_docx(str(src)).paragraphs() if p.line == gx210.line)
    overlapping = Finding("GX999", "docref", "error", "测试", gx210.line, gx210.column + 3, gx210.line,
                          gx210.end_column + 1, text[gx210.column + 2:gx210.end_column], fix=Fix("X"))
    stale = Finding("GX999", "docref", "error", "测试", 2, 1, 2, 3, "不在此处", fix=Fix("Y"))
    dst = tmp_path / "fixed.docx"
    assert fix_docx(str(src), [gx210, overlapping, stale], str(dst)) == 1
    fixed = [t for t in texts(dst) if "政府信息公开条例》（国务院令" in t]
    assert len(fixed) == 1 and "国务院令第711号）" in fixed[0] and "X" not in fixed[0]
    assert fix_docx(str(src), [overlapping, gx210], str(dst)) == 1
    assert any("政府信息公开条例》（国务院X、" in t for t in texts(dst))  # 「令第七十一号）」 → X


def test_fix_skips_text_boxes_and_fields(tmp_path):
    src = hard_docx(tmp_path)
    doc = open_docx(str(src))
    p = doc.paragraphs[-1]._p
    for xml in ('<w:fldChar w:fldCharType="begin"/>', '<w:instrText> PAGE </w:instrText>',
                '<w:fldChar w:fldCharType="separate"/>', '<w:t>页码七</w:t>', '<w:fldChar w:fldCharType="end"/>'):
        p.append(parse_xml(f"<w:r {W}>{xml}</w:r>"))
    doc.save(str(src))
    blocks = {b.text: b for b in read_docx(str(src)).paragraphs()}
    box, tail = blocks["内部资料"], next(b for t, b in blocks.items() if t.endswith("页码七"))
    k = len(tail.text) - 1
    findings = [Finding("GX999", "wording", "warning", "测试", box.line, 1, box.line, 3, "内部", fix=Fix("外部")),
                Finding("GX999", "wording", "warning", "测试", tail.line, k + 1, tail.line, k + 2, "七", fix=Fix("八"))]
    dst = tmp_path / "fixed.docx"
    assert fix_docx(str(src), findings, str(dst)) == 0
    assert texts(dst) == texts(src)


def test_writers_refuse_bad_input_and_overwriting_it(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_text("不是压缩包", encoding="utf-8")
    with pytest.raises(InputError) as e:
        annotate_docx(str(bad), [], str(tmp_path / "out.docx"))
    assert e.value.code == "E005"
    good = tmp_path / "good.docx"
    build_docx([("para", "正文")], good)
    with pytest.raises(GxlintError) as e:
        fix_docx(str(good), [], str(good))
    assert e.value.code == "E022"
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(broken, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info)[:-20] if info.filename == "word/document.xml" else zin.read(info))
    with pytest.raises(InputError) as e:
        fix_docx(str(broken), [], str(tmp_path / "out.docx"))
    assert e.value.code == "E008"
    assert not (tmp_path / "out.docx").exists()


@pytest.mark.slow
@pytest.mark.parametrize("what", ["annotate", "fix"])
def test_libreoffice_opens_the_result(what, seed_docs, linter, tmp_path):
    src = seed_docs["004"]
    findings = linter.lint_path(str(src)).findings
    dst = tmp_path / f"{what}.docx"
    if what == "annotate":
        annotate_docx(str(src), findings, str(dst))
    else:
        fix_docx(str(src), findings, str(dst))
    soffice_convert(dst, "pdf", tmp_path)
    fodt = soffice_convert(dst, "fodt", tmp_path).read_text(encoding="utf-8")
    if what == "annotate":
        assert fodt.count("<office:annotation ") == fodt.count("<office:annotation-end ") == len(findings)
    else:
        root = document_xml(dst)
        changes = len(list(root.iter(w("ins")))) + len([d for d in root.iter(w("del")) if len(d)])
        assert changes >= 4 and fodt.count("<text:changed-region ") == changes


# --------------------------------------------------------------------------- text
VARIANTS = [
    ("utf-8", b"", "\n"),
    ("utf-8", codecs.BOM_UTF8, "\r\n"),
    ("gb18030", b"", "\r\n"),
    ("utf-16-le", codecs.BOM_UTF16_LE, "\r\n"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "\n"),
]


@pytest.mark.parametrize("codec,bom,newline", VARIANTS, ids=lambda v: repr(v) if isinstance(v, str) else v.hex())
def test_text_fix_keeps_encoding_bom_and_line_endings(codec, bom, newline, linter, tmp_path):
    seed = SEEDS["000"].read_text(encoding="utf-8")
    path = tmp_path / "report.txt"
    raw = bom + seed.replace("\n", newline).encode(codec)
    path.write_bytes(raw)
    findings = linter.lint_path(str(path)).findings
    assert {f.rule for f in findings if f.fix} == {"GX201", "GX501"}

    assert fix_text(str(path), []) == (raw, 0)
    data, n = fix_text(str(path), findings)
    assert n == 2 and path.read_bytes() == raw
    assert data.startswith(bom)
    want = seed.replace("闽财非税函（2021）1号", "闽财非税函〔2021〕1号").replace("本年度止件数", "本年废止件数")
    assert data == bom + want.replace("\n", newline).encode(codec)

    diff = unified_diff(str(path), data)
    assert diff.startswith(f"--- a/{path}\n+++ b/{path}\n")
    changed = [x for x in diff.splitlines() if x[:1] in "+-" and x[:3] not in ("---", "+++")]
    assert sorted(x[0] for x in changed) == ["+", "+", "-", "-"]
    write_atomic(str(path), data)
    assert {f.rule for f in linter.lint_path(str(path)).findings if f.fix} == set()


def test_text_fix_markdown_overlap_and_stale(linter, tmp_path):
    path = tmp_path / "draft.md"
    path.write_text("# 某县2024年政府信息公开工作年度报告\n\n截止2024年12月31日，可直接布署。\n", encoding="utf-8")
    findings = [f for f in linter.lint_path(str(path)).findings if f.fix]
    assert {f.rule for f in findings} == {"GX502", "GX503"}
    line = findings[0].line
    stale = Finding("GX999", "wording", "warning", "测试", line, 1, line, 3, "不对", fix=Fix("Z"))
    wide = Finding("GX999", "wording", "warning", "测试", line, 1, line, 4, "截止2", fix=Fix("W"))
    data, n = fix_text(str(path), [*findings, stale, wide])
    assert n == 2 and data.decode("utf-8") == "# 某县2024年政府信息公开工作年度报告\n\n截至2024年12月31日，可直接部署。\n"


def test_write_atomic_keeps_mode_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes(b"old")
    os.chmod(path, 0o640)
    write_atomic(str(path), b"new")
    assert path.read_bytes() == b"new" and (path.stat().st_mode & 0o777) == 0o640
    assert os.listdir(tmp_path) == ["r.txt"]
    with pytest.raises(GxlintError) as e:
        write_atomic(str(tmp_path / "missing" / "x.txt"), b"x")
    assert e.value.code == "E013"

