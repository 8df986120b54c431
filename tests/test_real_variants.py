"""Reports as they are really written (issue 15): the seeds rewritten the way published reports
word and shape them.  Each variant of the clean seed 002 must give no error or warning; each
variant of seed 004 must give exactly 004's findings.  A misread is never a defect.
"""
from __future__ import annotations

import re
from collections import Counter

import pytest
from conftest import SEEDS
from seeddocx import seed_docx

from gxlint.model import Table
from gxlint.readers.text import parse_text

S002 = SEEDS / "002_9e678f4fbfe67a94.txt"
S004 = SEEDS / "004_aa4e2e269a40bca7.txt"
YEAR = {S002: 2022, S004: 2024}


def _heading(old: str, new: str):
    def transform(text: str) -> str:
        assert old in text
        return text.replace(old, new, 1)
    return transform


def _year_heading(template: str):
    def transform(text: str) -> str:
        year = 2022 if "上犹县" in text else 2024
        return text.replace("一、总体情况", template.format(year=year), 1)
    return transform


def _title(text: str, new: str) -> str:
    if "上犹县2022年度政府信息公开工作报告" in text:
        return text.replace("上犹县2022年度政府信息公开工作报告", new.format(issuer="上犹县", year="2022年度"), 1)
    old = "福州市长乐区人民政府办公室 2024年政府信息公开工作年度报告"
    assert old in text
    return text.replace(old, new.format(issuer="福州市长乐区人民政府办公室", year="2024年"), 1)


def title_two_lines(text):
    return _title(text, "{issuer}\n{year}政府信息公开工作年度报告" if "福州" in text else "{issuer}人民政府\n{year}政府信息公开工作报告")


def title_cut_mid_word(text):
    return _title(text, "{issuer}{year}政府信息\n公开工作年度报告" if "福州" in text else "{issuer}{year}政府信息\n公开工作报告")


def title_three_lines(text):
    return _title(text, "{issuer}\n{year}政府信息公开\n工作年度报告" if "福州" in text else "{issuer}\n{year}政府信息公开\n工作报告")


def title_with_page_header(text):
    head = "当前位置：首页 > 政府信息公开 > 政府信息公开年报\n来源：本站  发布时间：2023-01-20\n"
    return head + text.lstrip("\n")


def _no_issuer_in_title(text: str) -> str:
    text = _title(text, "{year}政府信息公开工作年度报告" if "福州" in text else "{year}政府信息公开工作报告")
    return text.replace("\n福州市长乐区人民政府办公室\n", "\n", 1)


def issuer_in_signature(text):
    text = _no_issuer_in_title(text)
    office = "福州市长乐区人民政府办公室" if "福州" in text or "长乐" in text else "上犹县人民政府办公室"
    date = "2025年1月15日" if "2025年1月15日" in text else "2023年1月20日"
    i = text.rindex(date)
    return text[:i] + office + "\n" + text[i:]


def issuer_as_self_word(text):
    return _no_issuer_in_title(text)


VARIANTS = {
    "h5-prefixed": _heading("五、存在的主要问题及改进情况", "五、政府信息公开工作存在的主要问题及改进情况"),
    "h5-short": _heading("五、存在的主要问题及改进情况", "五、存在问题及改进情况"),
    "h5-measures": _heading("五、存在的主要问题及改进情况", "五、存在的主要问题和改进措施"),
    "h1-year": _year_heading("一、{year}年度政府信息公开工作的总体情况"),
    "h1-zhengwu": _year_heading("一、{year}年政务公开总体情况"),
    "h4-long": _heading("四、政府信息公开行政复议、行政诉讼情况", "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"),
    "title-two-lines": title_two_lines,
    "title-cut": title_cut_mid_word,
    "title-three-lines": title_three_lines,
    "title-page-header": title_with_page_header,
    "issuer-signature": issuer_in_signature,
    "issuer-self-word": issuer_as_self_word,
}


def significant(findings) -> Counter:
    return Counter((f.rule, f.excerpt) for f in findings if f.severity in ("error", "warning"))


def lint_text(linter, tmp_path, text: str, name="v.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return linter.lint_path(str(path))


@pytest.mark.parametrize("name", VARIANTS)
@pytest.mark.parametrize("seed", [S002, S004], ids=["002", "004"])
def test_variant_reads_as_the_seed(seed, name, linter, tmp_path):
    original = seed.read_text(encoding="utf-8")
    text = VARIANTS[name](original)
    assert text != original
    want = significant(lint_text(linter, tmp_path, original, "orig.txt").findings)
    got = lint_text(linter, tmp_path, text)
    assert got.error is None
    assert significant(got.findings) == want, [(f.rule, f.message) for f in got.findings if f.severity != "info"]


@pytest.mark.parametrize("name", ["h5-short", "title-three-lines", "issuer-signature"])
def test_variant_as_docx(name, linter, tmp_path):
    want = significant(linter.lint_path(str(seed_docx(S004, tmp_path / "a.docx"))).findings)
    got = linter.lint_path(str(seed_docx(S004, tmp_path / "b.docx", transform=VARIANTS[name]))).findings
    assert significant(got) == want


def test_reworded_heading_is_one_info_with_the_format_title(linter, tmp_path):
    text = VARIANTS["h5-short"](S002.read_text(encoding="utf-8"))
    found = lint_text(linter, tmp_path, text).findings
    assert [(f.rule, f.severity) for f in found] == [("GX029", "info")]
    assert found[0].excerpt == "存在问题及改进情况" and found[0].fix.replacement == "存在的主要问题及改进情况"
    assert "五、存在的主要问题及改进情况" in found[0].message


def test_a_part_missing_is_still_missing(linter, tmp_path):
    """GX001 only when no heading can be that part: a reworded 五 is found, a removed one is not."""
    text = S002.read_text(encoding="utf-8")
    start, end = text.index("五、存在的主要问题及改进情况"), text.index("六、其他需要报告的事项")
    found = lint_text(linter, tmp_path, text[:start] + text[end:]).findings
    assert [f.rule for f in found if f.rule in ("GX001", "GX029")] == ["GX001"]


def test_an_unnumbered_paragraph_that_mentions_problems_is_no_heading(linter, tmp_path):
    text = S002.read_text(encoding="utf-8")
    start, end = text.index("五、存在的主要问题及改进情况"), text.index("六、其他需要报告的事项")
    body = "存在问题整改情况良好。\n"  # no numeral, not the title's wording: part 五 is still missing
    found = lint_text(linter, tmp_path, text[:start] + body + text[end:]).findings
    assert "GX001" in {f.rule for f in found}


@pytest.mark.parametrize("name", ["title-two-lines", "title-cut", "title-three-lines"])
def test_title_over_lines_gives_year_and_issuer(name, linter, tmp_path):
    from gxlint.engine import Linter  # noqa: F401 - the report as the rules see it
    from gxlint.readers import read
    from gxlint.report import build_report

    path = tmp_path / "v.txt"
    path.write_text(VARIANTS[name](S004.read_text(encoding="utf-8")), encoding="utf-8")
    rep = build_report(read(str(path)), linter.format)
    assert rep.year == 2024 and rep.year_from == "title"
    assert rep.issuer() == "福州市长乐区人民政府办公室"
    assert rep.title_text.endswith("政府信息公开工作年度报告")


def test_issuer_from_signature_or_self_word_runs_the_issuer_rules(linter, tmp_path):
    """A township's report whose title names no office: 规章 counts are still implausible (GX407)."""
    text = S002.read_text(encoding="utf-8")
    text = text.replace("上犹县2022年度政府信息公开工作报告", "2022年度政府信息公开工作报告", 1).replace("我县", "我镇")
    table = parse_text(text)
    assert any(isinstance(b, Table) for b in table.blocks)
    plain = lint_text(linter, tmp_path, text).findings
    assert "GX407" not in {f.rule for f in plain}
    # 规章: 本年制发件数 0 -> 2 (a township cannot make 规章)
    m = re.search(r"(规章\n(?:\t\d+\n)*?)\t0\n", text)
    assert m is not None
    bad = text[: m.end(1)] + "\t2\n" + text[m.end():]
    assert "GX407" in {f.rule for f in lint_text(linter, tmp_path, bad, "bad.txt").findings}
    signed = bad.replace("本镇", "本单位").replace("我镇", "我单位")
    i = signed.rindex("2023年1月20日")
    signed = signed[:i] + "上犹县社溪镇人民政府\n" + signed[i:]
    assert "GX407" in {f.rule for f in lint_text(linter, tmp_path, signed, "sig.txt").findings}


def test_year_from_the_statistics_period_when_the_title_has_none(linter, tmp_path):
    text = S002.read_text(encoding="utf-8").replace("上犹县2022年度政府信息公开工作报告", "上犹县政府信息公开工作年度报告", 1)
    path = tmp_path / "v.txt"
    path.write_text(text, encoding="utf-8")
    from gxlint.readers import read
    from gxlint.report import build_report

    rep = build_report(read(str(path)), linter.format)
    assert (rep.year, rep.year_from) == (2022, "period")


# --------------------------------------------------------------------------- tables read with confidence
ARITHMETIC = {"GX301", "GX302", "GX303", "GX304", "GX601", "GX602"}


def ragged_002(text):
    old = "\t一、本年新收政府信息公开申请数量\n\t14\n\t0\n\t2\n"
    assert old in text
    return text.replace(old, "\t一、本年新收政府信息公开申请数量\n\t14\n\t2\n", 1)  # a cell lost: 6 numbers


def ragged_004(text):
    old = "二、上年结转政府信息公开申请数量\t\t1\t0\t0\t0\t0\t0\t1"
    assert old in text
    return text.replace(old, "二、上年结转政府信息公开申请数量\t\t1\t0\t0\t0\t1", 1)


def unlabelled_004(text):
    old = "二、上年结转政府信息公开申请数量\t\t1"
    return text.replace(old, "\t\t1", 1)  # the row label lost


@pytest.mark.parametrize("seed,transform", [(S002, ragged_002), (S004, ragged_004), (S004, unlabelled_004)],
                         ids=["002-cell-lost", "004-cell-lost", "004-label-lost"])
def test_a_ragged_table_is_one_unread_finding_and_no_arithmetic(seed, transform, linter, tmp_path):
    original = seed.read_text(encoding="utf-8")
    want = significant(lint_text(linter, tmp_path, original, "orig.txt").findings)
    found = lint_text(linter, tmp_path, transform(original)).findings
    unread = [f for f in found if f.rule == "GX028"]
    assert len(unread) == 1 and "表格三" in unread[0].message
    rest = significant(f for f in found if f.rule != "GX028")
    # nothing new: in particular no arithmetic finding from the misread row (the seed's own stay)
    assert rest - want == Counter(), [(f.rule, f.message) for f in found]
    assert {r for r, _ in rest} & ARITHMETIC == {r for r, _ in want} & ARITHMETIC


def test_ragged_word_table_is_one_unread_finding(linter, tmp_path):
    """A Word table one of whose rows lost a cell (w:tc deleted, as a drafter's 删除单元格 does)."""
    from docx import Document
    from docx.oxml.ns import qn

    path = seed_docx(S002, tmp_path / "r.docx")
    doc = Document(str(path))
    row = next(r for t in doc.tables for r in t.rows if "本年新收" in r.cells[0].text)
    tcs = row._tr.findall(qn("w:tc"))
    row._tr.remove(tcs[2])  # the 商业企业 cell: the numbers after it shift left
    doc.save(str(path))
    found = linter.lint_path(str(path)).findings
    assert [f.rule for f in found if f.severity != "info"] == ["GX028"], [(f.rule, f.message) for f in found]
    assert "单元格少于表格的列" in found[0].message


# --------------------------------------------------------------------------- tables in every textual shape
def _reshape(text: str, emit) -> str:
    """Rewrite every table of a text report (as the text reader finds them) by `emit(rows) -> lines`."""
    lines = text.split("\n")
    tables = [b for b in parse_text(text).blocks if isinstance(b, Table)]
    for t in reversed(tables):
        cells = [c for r in t.rows for c in r]
        start = t.line - 1
        end = max(c.line - 1 + c.text.count("\n") for c in cells) + 1
        lines[start:end] = emit(t.rows)
    return "\n".join(lines)


def _bare_rows(rows) -> list[str]:
    out = []
    for r in rows:
        width = max(c.column for c in r) + 1
        cells = [""] * width
        for c in r:
            cells[c.column] = c.text.replace("\n", "")
        out.append(" | ".join(cells).rstrip(" |") if width > 1 else cells[0])
    return out


def bare_pipes(text):
    """Cells separated by ` | `, no outer pipes, no delimiter row (text copied from a web page)."""
    return _reshape(text, _bare_rows)


class _Keep(Exception):
    pass


def _reshape_some(text, emit):
    lines = text.split("\n")
    tables = [b for b in parse_text(text).blocks if isinstance(b, Table)]
    for t in reversed(tables):
        cells = [c for r in t.rows for c in r]
        start, end = t.line - 1, max(c.line - 1 + c.text.count("\n") for c in cells) + 1
        try:
            lines[start:end] = emit(t.rows)
        except _Keep:
            pass
    return "\n".join(lines)


def review_lines(text):
    labels = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    groups = ["行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"]

    def emit(rows):
        numbers = [c.text for r in rows for c in r if re.fullmatch(r"\d+", c.text)]
        if len(numbers) < 15 or any(int(n) for n in numbers[15:]) or not any("复议" in c.text for r in rows for c in r):
            raise _Keep
        return [f"{g}：" + " | ".join(f"{lab} {n}" for lab, n in zip(labels, numbers[5 * k:5 * k + 5]))
                for k, g in enumerate(groups)]
    return _reshape_some(text, emit)


def flattened_labels(text):
    """The group and the item of a row label in one cell: 「(三) 不予公开 1. 属于国家秘密」,
    「三、本年度办理结果(一) 予以公开」 (seed 004's 表格三 is tab-separated, a cell per label)."""
    out, group = [], ""
    for line in text.split("\n"):
        cells = line.split("\t")
        m = re.match(r"^\s*(?:三、本年度办理结果)?$", cells[0]) if len(cells) > 3 else None
        if m is not None and len(cells) > 3 and re.match(r"[（(][一二三四五六七]", cells[1]):
            group = cells[1]
            if re.match(r"\d+\.", cells[2]):  # 「(三) 不予公开」 and 「1. 属于国家秘密」 -> one cell
                cells = [cells[0], f"{group} {cells[2]}", *cells[3:]]
            else:
                cells = [f"{cells[0]}{cells[1]}", *cells[2:]]
        elif len(cells) > 3 and cells[0] == "" and cells[1] == "" and re.match(r"\d+\.", cells[2]) and group:
            cells = ["", f"{group} {cells[2]}", *cells[3:]]
        out.append("\t".join(cells))
    return "\n".join(out)


def ascii_punctuation(text):
    return text.replace("（", "(").replace("）", ")")


def split_by_page(text):
    """表格三 cut by a page break: a page number between, the header rows repeated (004's tab table)."""
    lines = text.split("\n")
    i = next(k for k, ln in enumerate(lines) if ln.startswith("\t\t3. 危及"))
    h = next(k for k, ln in enumerate(lines) if ln.startswith("(本列数据的勾稽关系"))
    return "\n".join(lines[: i + 1] + ["", "第 2 页", ""] + lines[h : h + 3] + lines[i + 1 :])


TABLE_SHAPES = {
    "split-by-page": split_by_page,
    "bare-pipes": bare_pipes,
    "review-lines": review_lines,
    "flattened-labels": flattened_labels,
    "ascii-punctuation": ascii_punctuation,
}


# seed 002's tables are one cell a line; these shapes are made from 004's tab-separated ones
ONLY_004 = ("review-lines", "flattened-labels", "split-by-page")
SHAPE_CASES = [(seed, name) for name in TABLE_SHAPES for seed in (S002, S004) if seed is S004 or name not in ONLY_004]


@pytest.mark.parametrize("seed,name", SHAPE_CASES, ids=[f"{s.name[:3]}-{n}" for s, n in SHAPE_CASES])
def test_table_shape_reads_as_the_seed(seed, name, linter, tmp_path):
    original = seed.read_text(encoding="utf-8")
    text = TABLE_SHAPES[name](original)
    assert text != original
    want = significant(lint_text(linter, tmp_path, original, "orig.txt").findings)
    got = lint_text(linter, tmp_path, text).findings
    assert significant(got) == want, [(f.rule, f.message) for f in got if f.severity != "info"]


# --------------------------------------------------------------------------- rates with the carry-over
@pytest.mark.parametrize("text,flagged", [
    ("受理5件，上年结转2件，办结7件，办结率100%。", False),  # 7 / (5 + 2)
    ("受理5件，办结5件，办结率100%。", False),
    ("受理5件，上年结转2件，办结6件，办结率85.7%。", False),  # 6 / 7, rounded
    ("受理5件，上年结转2件，办结6件，办结率90%。", True),  # neither 6/5 nor 6/7
    ("受理13件，办结12件，办结率100%。", True),
])
def test_rate_over_new_and_carried_over(text, flagged, linter, tmp_path):
    path = tmp_path / "r.md"
    path.write_text(f"# 某县2024年政府信息公开工作年度报告\n\n一、总体情况\n\n本年度{text}\n", encoding="utf-8")
    assert ("GX602" in {f.rule for f in linter.lint_path(str(path)).findings}) is flagged


def test_rate_carry_over_from_the_table(linter, tmp_path):
    """The paragraph names no carry-over, 表格三 has one: 办结 / (受理 + 上年结转) holds too."""
    text = S002.read_text(encoding="utf-8")
    row = "\t二、上年结转政府信息公开申请数量\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0\n"
    assert row in text
    text = text.replace(row, "\t二、上年结转政府信息公开申请数量\n\t2\n\t0\n\t0\n\t0\n\t0\n\t0\n\t2\n", 1)
    stated = "我县收到政府信息公开申请16件，上年结转0件，当年办结16件"
    assert stated in text
    text = text.replace(stated, "我县受理政府信息公开申请16件，办结18件，办结率100%", 1)
    found = lint_text(linter, tmp_path, text).findings
    assert "GX602" not in {f.rule for f in found}


# --------------------------------------------------------------------------- not a report
def test_notes_and_readme_are_skipped_with_one_info_line(tmp_path):
    import subprocess
    import sys

    (tmp_path / "002.txt").write_text(S002.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "会议记录.md").write_text("# 会议记录\n\n参会人员：张三、李四。讨论下周工作安排。\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("# 各单位年度报告\n\n提交前请运行 gxlint。\n", encoding="utf-8")
    p = subprocess.run([sys.executable, "-m", "gxlint", "."], capture_output=True, text=True, cwd=tmp_path)
    lines = p.stdout.splitlines()
    assert p.returncode == 0, p.stdout
    assert sorted(ln.split(":")[0] for ln in lines) == ["./README.md", "./会议记录.md"]
    assert all(": info: GX027 " in ln for ln in lines)


def test_a_report_missing_its_parts_is_still_a_report(linter, tmp_path):
    found = lint_text(linter, tmp_path, "某县2024年政府信息公开工作年度报告\n\n本年度工作正常开展。\n").findings
    assert "GX027" not in {f.rule for f in found} and "GX001" in {f.rule for f in found}


@pytest.mark.parametrize("name", ["title-two-lines", "title-cut", "title-three-lines", "title-page-header"])
@pytest.mark.parametrize("seed", [S002, S004], ids=["002", "004"])
def test_title_over_lines_is_judged_whole(seed, name, linter, tmp_path):
    """The title's form (GX032) is judged on all its lines: 「…2022年度政府信息」 / 「公开工作报告」 is one title."""
    found = lint_text(linter, tmp_path, VARIANTS[name](seed.read_text(encoding="utf-8"))).findings
    assert "GX032" not in {f.rule for f in found}


def test_title_over_lines_with_a_defect_is_flagged_once(linter, tmp_path):
    text = S002.read_text(encoding="utf-8").replace("上犹县2022年度政府信息公开工作报告", "上犹县2022年政府信息\n公开年度报告", 1)
    found = [f for f in lint_text(linter, tmp_path, text).findings if f.rule == "GX032"]
    assert len(found) == 1 and "上犹县2022年政府信息公开年度报告" in found[0].message


def test_review_lines_locate_each_number(tmp_path):
    """表格四 one line per block: each number's cell sits on the number as written."""
    text = "四、政府信息公开行政复议、行政诉讼情况\n" + "\n".join(
        f"{g}：  结果维持 {k} | 结果纠正 0 |  其他结果 0 | 尚未审结 0 | 总计 {k}"
        for k, g in enumerate(["行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"], 1)) + "\n"
    doc = parse_text(text)
    table = next(b for b in doc.blocks if isinstance(b, Table))
    lines = text.split("\n")
    numbers = table.rows[-1]
    assert [c.text for c in numbers] == ["1", "0", "0", "0", "1", "2", "0", "0", "0", "2", "3", "0", "0", "0", "3"]
    for c in numbers:
        assert lines[c.line - 1][c.col - 1 : c.col - 1 + len(c.text)] == c.text
    assert [c.text for c in table.rows[0]] == ["行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"]


def test_a_readme_quoting_reports_is_skipped_by_its_name(tmp_path):
    """The seeds' own README quotes report titles and has a table: still a README, not a report."""
    import subprocess
    import sys

    readme = tmp_path / "README.md"
    readme.write_text("# Reports\n\n| file | 政府信息公开工作年度报告 |\n|---|---|\n| 002 | 上犹县 |\n", encoding="utf-8")
    p = subprocess.run([sys.executable, "-m", "gxlint", str(readme)], capture_output=True, text=True)
    assert p.returncode == 0 and p.stdout.count("\n") == 1 and ": info: GX027 " in p.stdout, p.stdout
