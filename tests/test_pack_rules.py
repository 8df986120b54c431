"""The rules of the pack's superseded, cells, completeness and words files, on real reports.

Each variant is the clean seed 002 with one defect put in, written both as
Markdown and as a Word document (the blocks of tests/seeddocx.py, so the
tables are real Word tables with merged cells and the headings are numbered
by Word).  The defect must be found exactly as often as it is there, by its
rule, and by no other rule of these files.
"""
from collections import Counter

import pytest
from conftest import SEEDS
from docxbuild import build_docx
from make_examples import to_markdown
from seeddocx import seed_blocks

CLEAN = SEEDS / "002_9e678f4fbfe67a94.txt"
PACK = {"GX015", "GX016", "GX017", "GX018", "GX019", "GX030", "GX220",
        "GX404", "GX405", "GX406", "GX407", "GX408", "GX501", "GX502"}


# --------------------------------------------------------------------------- editing the blocks of a report


def _cell_text(cell):
    return cell["text"] if isinstance(cell, dict) else cell


def _with_text(cell, text):
    return {**cell, "text": text} if isinstance(cell, dict) else text


def replace(old, new):
    """Replace `old` by `new` in every paragraph, heading and table cell."""
    def edit(blocks):
        out = []
        for b in blocks:
            if b[0] in ("title", "para"):
                out.append((b[0], b[1].replace(old, new), *b[2:]))
            elif b[0] == "heading":
                out.append((b[0], b[1], b[2].replace(old, new), *b[3:]))
            elif b[0] == "table":
                out.append(("table", [[_with_text(c, _cell_text(c).replace(old, new)) for c in row] for row in b[1]], *b[2:]))
            else:
                out.append(b)
        return out
    return edit


def row_values(label, values):
    """Give the table row labelled `label` these value cells."""
    def edit(blocks):
        out = []
        for b in blocks:
            if b[0] == "table":
                rows = []
                for row in b[1]:
                    if row and _cell_text(row[0]) == label:
                        row = [row[0], *[_with_text(c, v) for c, v in zip(row[1:], values)]]
                    rows.append(row)
                b = ("table", rows, *b[2:])
            out.append(b)
        return out
    return edit


def part_body(numeral, paragraphs):
    """Replace the paragraphs of part `numeral` (一 … 六) by `paragraphs`."""
    def edit(blocks):
        out, part, n = [], None, 0
        for b in blocks:
            if b[0] == "heading":
                n += 1
                part = "一二三四五六"[n - 1]
                out.append(b)
                if part == numeral:
                    out += [("para", p) for p in paragraphs]
                continue
            if part == numeral and b[0] == "para":
                continue
            out.append(b)
        return out
    return edit


def intro(old, new):
    """Replace `old` by `new` in the paragraphs before the first part."""
    def edit(blocks):
        out, before = [], True
        for b in blocks:
            before = before and b[0] != "heading"
            out.append(("para", b[1].replace(old, new), *b[2:]) if before and b[0] == "para" else b)
        return out
    return edit


def write(transforms, suffix, folder):
    blocks = seed_blocks(CLEAN.read_text(encoding="utf-8"))
    for t in transforms:
        changed = t(blocks)
        assert changed != blocks, "the variant did not change the report"
        blocks = changed
    path = folder / f"variant{suffix}"
    if suffix == ".docx":
        build_docx(blocks, path)
    else:
        path.write_text(to_markdown(blocks), encoding="utf-8")
    return path


def pack_findings(linter, path):
    result = linter.lint_path(str(path))
    assert result.error is None
    return [f for f in result.findings if f.rule in PACK]


# --------------------------------------------------------------------------- one defect at a time

TRIAL_LABELS = [replace("本年制发件数", "本年新制作数量"), replace("本年废止件数", "本年新公开数量"),
                replace("现行有效件数", "对外公开总数量")]
TOWNSHIP = [replace("上犹县2022年度", "上犹县社溪镇人民政府2022年度"), row_values("规章", ["2", "0", "2"])]
PART5_NONE = [part_body("五", ["无。"])]

VARIANTS = {
    "trial-format-labels": (TRIAL_LABELS, {"GX016": 1}),
    "trial-format-basis": ([intro("国办公开办函〔2021〕30号", "国办公开办函〔2019〕60号")], {"GX015": 1}),
    "agency-code": ([intro("国办公开办函〔2021〕30号", "国办政务公开办函〔2021〕30号")], {"GX220": 1}),
    "township-regulations": (TOWNSHIP, {"GX407": 1}),
    "county-regulations": ([row_values("规章", ["1", "0", "1"])], {"GX407": 1}),  # 上犹县 is a county
    "slashes": ([row_values("规章", ["/", "-", "—"])], {"GX404": 3}),
    "blank-cells": ([row_values("行政规范性文件", ["7", "", "26"])], {"GX404": 1}),
    "fraction": ([row_values("行政强制", ["1/2"])], {"GX405": 1}),
    "fee-in-yuan": ([row_values("行政事业性收费", ["156150000元"])], {"GX406": 1}),
    "vanished-documents": ([row_values("行政规范性文件", ["7", "0", "0"])], {"GX408": 1}),
    "group-label": ([replace("法人或其他组织", "法人或其它组织")], {"GX501": 1}),
    "header-label": ([replace("信息内容", "信息类容")], {"GX501": 4}),  # the header of each of the four items
    "row-group-label": ([replace("三、本年度办理结果", "三、本年度处理结果")], {"GX501": 1}),
    "overview-aspects": ([part_body("一", ["2022年，全县主动公开政府信息17865条，收到政府信息公开申请16件。"])], {"GX017": 1}),
    "part-five-none": (PART5_NONE, {"GX018": 1}),
    "part-five-empty": ([part_body("五", [])], {"GX018": 1}),
    "fees-unreported": ([part_body("六", ["无。"])], {"GX019": 1}),
    "intro-count": ([intro("等6个部分", "等5个部分")], {"GX030": 1}),
    "intro-list": ([intro("、其他需要报告的事项等6个部分", "等6个部分")], {"GX030": 1}),
    "word": ([intro("结合有关统计数据编制", "结合其它有关统计数据编制")], {"GX502": 1}),
}


@pytest.mark.parametrize("suffix", [".md", ".docx"])
@pytest.mark.parametrize("name", VARIANTS)
def test_variant(name, suffix, linter, tmp_path):
    transforms, want = VARIANTS[name]
    found = pack_findings(linter, write(transforms, suffix, tmp_path))
    assert Counter(f.rule for f in found) == Counter(want), [(f.rule, f.message, f.location) for f in found]


@pytest.mark.parametrize("suffix", [".md", ".docx"])
def test_clean_seed_gets_none_of_these(suffix, linter, tmp_path):
    path = write([], suffix, tmp_path)
    assert pack_findings(linter, path) == []


def test_a_city_may_make_regulations(linter, tmp_path):
    path = write([replace("上犹县2022年度", "赣州市人民政府2022年度"), row_values("规章", ["2", "0", "2"])], ".md", tmp_path)
    assert [f for f in pack_findings(linter, path) if f.rule == "GX407"] == []


# --------------------------------------------------------------------------- what the findings say


def test_messages_and_places(linter, tmp_path):
    f = pack_findings(linter, write(TOWNSHIP, ".docx", tmp_path))[0]
    assert "上犹县社溪镇人民政府" in f.message and "本年制发件数2、现行有效件数2" in f.message
    assert f.location.startswith("第二部分 表格二") and "「规章」" in f.location and f.excerpt == "2"

    (f,) = pack_findings(linter, write(TRIAL_LABELS, ".md", tmp_path))
    assert "本年新制作数量、本年新公开数量、对外公开总数量" in f.message and f.excerpt == "本年新制作数量"

    (f,) = pack_findings(linter, write([row_values("行政规范性文件", ["7", "", "26"])], ".md", tmp_path))
    assert "「本年废止件数」列" in f.message and "空白" in f.message  # nothing written: marked on the row label
    assert f.excerpt == "行政规范性文件" and "本年废止件数列" in f.location

    (f,) = pack_findings(linter, write([intro("国办公开办函〔2021〕30号", "国办公开办函〔2019〕60号")], ".md", tmp_path))
    assert f.fix.replacement == "国办公开办函〔2021〕30号" and "2022年度" in f.message

    (f,) = pack_findings(linter, write([replace("法人或其他组织", "法人或其它组织")], ".docx", tmp_path))
    assert f.excerpt == "法人或其它组织" and f.fix.replacement == "法人或其他组织"

    (f,) = pack_findings(linter, write(PART5_NONE, ".md", tmp_path))
    assert f.location == "第五部分" and "无。" in f.message

    (f,) = pack_findings(linter, write([intro("、其他需要报告的事项等6个部分", "等6个部分")], ".md", tmp_path))
    assert "未列出「其他需要报告的事项」" in f.message


def test_overview_names_what_is_missing(linter, tmp_path):
    body = ["2022年，全县主动公开政府信息17865条，收到政府信息公开申请16件。"]
    (f,) = pack_findings(linter, write([part_body("一", body)], ".docx", tmp_path))
    assert f.message.startswith("第一部分「总体情况」未写到：政府信息管理、政府信息公开平台建设、监督保障")


# --------------------------------------------------------------------------- issue 7: a national table that cannot be found


@pytest.mark.parametrize("suffix", [".txt", ".docx"])
def test_missing_table_three_is_one_structure_finding(suffix, linter, tmp_path):
    text = CLEAN.read_text(encoding="utf-8")
    start = text.index("三、收到和处理政府信息公开申请情况")
    start = text.index("\n", start) + 1
    end = text.index("四、政府信息公开行政复议、行政诉讼情况")
    path = tmp_path / f"no-table-3{suffix}"
    if suffix == ".docx":
        from seeddocx import seed_docx

        seed_docx(CLEAN, path, transform=lambda t: t[:start] + t[end:])
    else:
        path.write_text(text[:start] + text[end:], encoding="utf-8")
    result = linter.lint_path(str(path))
    structure = [f for f in result.findings if f.category == "structure" and f.severity != "info"]
    assert [f.rule for f in structure] == ["GX010"], [(f.rule, f.message) for f in structure]
    assert "表格三" in structure[0].message and "收到和处理政府信息公开申请情况" in structure[0].message


# --------------------------------------------------------------------------- a row with no number in it

SEED_TEXT = CLEAN.read_text(encoding="utf-8")
REGULATIONS = "\t规章\n\t0\n\t0\n\t0\n"
REVIEW = "\t总计\n\n" + "".join(f"\t{v}\n" for v in "4 4 0 0 8 0 0 0 0 0".split())  # 行政复议, then 未经复议直接起诉
# name: (replacement in the seed text, GX404 findings (one per cell), where they are)
NO_NUMBER_ROWS = {
    "regulations": ((REGULATIONS, "\t规章\n\t/\n\t/\n\t/\n"), 3, "表格二 第3行「规章」"),
    "review": ((REVIEW, "\t总计\n\n" + "\t/\n" * 5 + "\t0\n" * 5), 5, "表格四 第4行 行政复议·"),
    # a term of GX301 and GX303 and the row of GX302: those sums are not assessable, not wrong
    "applications-total": (("\t（七）总计\n\t14\n\t0\n\t2\n\t0\n\t0\n\t0\n\t16\n", "\t（七）总计\n" + "\t/\n" * 7),
                           7, "表格三 第27行「（七）总计」"),
}


def _seed_variant(old, new, suffix, folder):
    """Seed 002 with `old` replaced, as its text, or as Markdown or Word built from that text."""
    assert SEED_TEXT.count(old) == 1
    text = SEED_TEXT.replace(old, new)
    path = folder / f"variant{suffix}"
    if suffix == ".txt":
        path.write_text(text, encoding="utf-8")
    elif suffix == ".docx":
        build_docx(seed_blocks(text), path)
    else:
        path.write_text(to_markdown(seed_blocks(text)), encoding="utf-8")
    return path


def _serious(linter, path):
    result = linter.lint_path(str(path))
    assert result.error is None
    return [f for f in result.findings if f.severity in ("error", "warning")]


@pytest.mark.parametrize("suffix", [".txt", ".md", ".docx"])
@pytest.mark.parametrize("name", NO_NUMBER_ROWS)
def test_row_of_slashes_is_still_a_row(name, suffix, linter, tmp_path):
    """Not 「missing」 (GX011), not unknown (GX013), no sum over it: GX404 on each 「/」 and nothing else."""
    (old, new), n, where = NO_NUMBER_ROWS[name]
    found = _serious(linter, _seed_variant(old, new, suffix, tmp_path))
    assert Counter(f.rule for f in found) == Counter({"GX404": n}), [(f.rule, f.message, f.location) for f in found]
    assert all(where in f.location and f.excerpt == "/" for f in found)


@pytest.mark.parametrize("suffix", [".txt", ".md", ".docx"])
def test_row_of_blanks_is_still_a_row(suffix, linter, tmp_path):
    """Markdown and Word keep the three empty places; a text table drops empty cells, so there the row is one blank."""
    found = _serious(linter, _seed_variant(REGULATIONS, "\t规章\n\t\n\t\n\t\n", suffix, tmp_path))
    assert Counter(f.rule for f in found) == Counter({"GX404": 1 if suffix == ".txt" else 3}), [(f.rule, f.message) for f in found]
    assert all("「规章」" in f.location and "空白" in f.message for f in found)


@pytest.mark.parametrize("suffix", [".txt", ".docx"])
def test_slashes_keep_their_columns(suffix, linter, tmp_path):
    """The numbers after 行政复议's five 「/」 are 未经复议直接起诉's (维持 1, 总计 0: GX304 there), not 行政复议's."""
    found = _serious(linter, _seed_variant(REVIEW, "\t总计\n\n" + "\t/\n" * 5 + "\t1\n" + "\t0\n" * 4, suffix, tmp_path))
    assert Counter(f.rule for f in found) == Counter({"GX404": 5, "GX304": 1})
    (f,) = [f for f in found if f.rule == "GX304"]
    assert "「未经复议直接起诉」" in f.message and "未经复议直接起诉·总计列" in f.location


# --------------------------------------------------------------------------- issue 8: six defects in one report

# The issue's report is on 2024 (signed 「2025年01月26日」, 「截止2024年12月31日」).  Seed 002 is on 2022, so
# its dates are that year's: signed 2023年01月26日 (a 镇 is no people's government of a county or above: due
# by 1月31日, which this meets) and 截止2022年12月31日.  The issue's own dates in a 2022 report would add
# findings that are not the issue's (a signature not in the following year, GX701).
ISSUE_8 = TRIAL_LABELS + TOWNSHIP + PART5_NONE + [
    replace("2023年1月20日", "2023年01月26日"),
    replace("（一）主动公开", "（一）、主动公开"),
    replace("2022年，我县收到政府信息公开申请16件", "截止2022年12月31日，我县收到政府信息公开申请16件"),
]


@pytest.mark.parametrize("suffix", [".md", ".docx"])
def test_issue_8_each_defect_once(suffix, linter, tmp_path):
    """Each defect once, by its rule, and nothing else of severity error or warning: the trial labels are
    GX016's alone (GX012 leaves the columns of a table headed with them), the township's 规章 = 2 is GX407's."""
    found = _serious(linter, write(ISSUE_8, suffix, tmp_path))
    assert Counter(f.rule for f in found) == Counter(
        {"GX016": 1, "GX407": 1, "GX105": 1, "GX021": 1, "GX503": 1, "GX018": 1}
    ), [(f.rule, f.message, f.location) for f in found]
    excerpt = {f.rule: f.excerpt for f in found}
    assert excerpt["GX016"] == "本年新制作数量" and excerpt["GX407"] == "2" and excerpt["GX105"] == "2023年01月26日"
    assert excerpt["GX021"] == "、" and excerpt["GX503"] == "截止"
