"""Each report is judged against the format of its year (rules/format.yaml), and nothing is judged
that was not read.

tests/formats/trial_2019.md is a complete report for 2019 written from the trial format
(国办公开办函〔2019〕60号): its 表格二 has 本年新制作数量…, 上一年项目数量 / 本年增/减 (negative
figures allowed) and 第二十条第（九）项 政府集中采购; its 表格三 a single row （六）其他处理.  The
report for 2020 is the same report a year on.  Each is linted as Markdown, as a Word document
built with Word's structures (merged cells, automatic numbering) and as a web page.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from htmlbuild import seed_html
from seeddocx import seed_docx

from gxlint.audit import NOT_ASSESSABLE
from gxlint.engine import Linter

HERE = Path(__file__).resolve().parent
TRIAL_2019 = (HERE / "formats" / "trial_2019.md").read_text(encoding="utf-8")
CLEAN = (HERE.parent / "examples" / "clean.md").read_text(encoding="utf-8")


def trial(year: int) -> str:
    """The trial-format report for `year` (2019 as written; another year with its dates moved)."""
    if year == 2019:
        return TRIAL_2019
    return (TRIAL_2019.replace("2019年", f"{year}年").replace("2020年1月20日", f"{year + 1}年1月20日")
            .replace("新修订的《条例》", "《条例》"))


def _write(tmp_path, text: str, form: str, name: str = "report") -> Path:
    md = tmp_path / f"{name}.md"
    md.write_text(text, encoding="utf-8")
    if form == "md":
        return md
    if form == "docx":
        return seed_docx(md, tmp_path / f"{name}.docx")
    return seed_html(md, tmp_path / f"{name}.html")


@pytest.fixture(scope="module")
def linter():
    return Linter()


def _rules(linter, path) -> list[str]:
    got = linter.lint_path(str(path))
    assert got.error is None, got.error
    return [f.rule for f in got.findings]


@pytest.mark.parametrize("form", ["md", "docx", "html"])
@pytest.mark.parametrize("year", [2019, 2020])
def test_a_trial_format_report_of_its_years_is_clean(linter, tmp_path, year, form):
    assert _rules(linter, _write(tmp_path, trial(year), form)) == []


# One table error each: a count with decimals (where 采购总金额, money, may have them), a group total.
ERRORS = {
    2019: ("| 行政许可 | 120 | -3 | 1520 |", "| 行政许可 | 120 | -3 | 1520.5 |", "GX403"),
    2020: ("| 1 | 0 | 0 | 0 | 1 | 0 |", "| 1 | 0 | 0 | 0 | 2 | 0 |", "GX304"),
}


@pytest.mark.parametrize("form", ["md", "docx", "html"])
@pytest.mark.parametrize("year", [2019, 2020])
def test_a_trial_format_report_with_one_table_error_gets_exactly_that_finding(linter, tmp_path, year, form):
    old, new, rule = ERRORS[year]
    text = trial(year)
    assert text.count(old) == 1
    assert _rules(linter, _write(tmp_path, text.replace(old, new), form)) == [rule]


def test_the_trial_format_is_the_format_of_2019_and_2020_only(linter, tmp_path):
    """The same tables in a 2022 report: the superseded format, said once (GX016), with the labels
    the 2021 format does not have."""
    got = linter.lint_path(str(_write(tmp_path, trial(2022), "md")))
    assert "GX016" in [f.rule for f in got.findings]
    gx016 = next(f for f in got.findings if f.rule == "GX016")
    assert "本年新制作数量" in gx016.message and "政府集中采购" in gx016.message


def test_a_rule_of_the_2021_format_does_not_judge_a_2019_report(linter, tmp_path):
    """GX019 (the 信息处理费 statement, asked from 2021 on): the trial report says nothing of fees;
    silent for 2019, and --audit says why; the same part in a 2021 report is judged."""
    got = linter.lint_path(str(_write(tmp_path, trial(2019), "md")))
    linter.audit = True
    try:
        audited = linter.lint_path(str(_write(tmp_path, trial(2019), "md", "audited")))
    finally:
        linter.audit = False
    assert "GX019" not in [f.rule for f in got.findings]
    entry = next(a for a in audited.audit if a.rule == "GX019")
    assert entry.status == NOT_ASSESSABLE and "2021年度及以后" in entry.reason and "2019" in entry.reason
    no_fee = CLEAN.replace("按照《国务院办公厅关于印发〈政府信息公开信息处理费管理办法〉的通知》（国办函〔2020〕109号）规定的按件、按量收费标准，"
                           "2022年度，我县没有产生信息公开处理费。", "本年度无其他需要报告的事项。")
    assert no_fee != CLEAN
    assert "GX019" in _rules(linter, _write(tmp_path, no_fee, "md", "current"))


def test_last_year_in_the_trial_format_is_compared_only_where_it_means_the_same(linter, tmp_path):
    """A 2021 report against its 2020 report in the trial format: 上年结转 is compared with last
    year's 结转下年度继续办理 (the same row in both formats); 现行有效件数 (GX604) has no trial
    counterpart and is not compared."""
    prev = _write(tmp_path, trial(2020), "md", "2020")
    current = CLEAN.replace("2022", "2021").replace("2023年1月20日", "2022年1月20日")
    # 上年结转 (this year) must be last year's 结转下年度继续办理: 自然人 1, 总计 1
    row = "| 二、上年结转政府信息公开申请数量 |  |  | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"
    assert row in current
    path = _write(tmp_path, current, "md", "2021")
    got = linter.lint_path(str(path), previous=str(prev))
    assert got.error is None, got.error
    gx603 = [f for f in got.findings if f.rule == "GX603"]
    assert {f.location.split()[-1] for f in gx603} == {"自然人列", "总计列"}  # 0 here, 1 last year
    assert "GX604" not in [f.rule for f in got.findings]


def test_a_row_that_cannot_be_placed_is_said_once_and_nothing_is_computed_from_the_rest(linter, tmp_path):
    """A row of 表格三 whose label is lost: one GX028; no （七）总计 ≠ sum of the rows that were
    read, no missing row; --audit says 无法判断 for the table's arithmetic."""
    text = CLEAN.replace("|  |  | 5.属于三类内部事务信息 |", "|  |  |  |")
    assert text != CLEAN
    path = _write(tmp_path, text, "md")
    assert _rules(linter, path) == ["GX028"]
    linter.audit = True
    try:
        audited = linter.lint_path(str(path))
    finally:
        linter.audit = False
    by_rule = {a.rule: a for a in audited.audit}
    for rule in ("GX301", "GX302", "GX303"):
        assert by_rule[rule].status == NOT_ASSESSABLE and "GX028" in by_rule[rule].reason, by_rule[rule]
    assert by_rule["GX304"].status == "pass"  # 表格四 was read whole


def test_an_empty_table_is_never_passed_in_the_audit(linter, tmp_path):
    """表格四 with its numbers left blank: its arithmetic is 无法判断, not 通过."""
    text = CLEAN.replace("| 4 | 4 | 0 | 0 | 8 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
                         "|  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |")
    assert text != CLEAN
    linter.audit = True
    try:
        audited = linter.lint_path(str(_write(tmp_path, text, "md")))
    finally:
        linter.audit = False
    entry = next(a for a in audited.audit if a.rule == "GX304")
    assert entry.status == NOT_ASSESSABLE and "没有可读取的数字" in entry.reason


@pytest.mark.parametrize("before", ["标题：", "正文", "首页 > 政务公开 > 政府信息公开年报", "2023-01-20",
                                    "发布时间：2023-01-20 来源：上犹县人民政府办公室", "索引号：11360724/2023-00012"])
@pytest.mark.parametrize("title", ["上犹县2022年度政府信息公开工作报告", "上犹县2022年度政府信息\n\n公开工作报告",
                                   "上犹县人民政府\n\n2022年度政府信息公开工作报告"])
def test_the_title_is_found_below_a_pages_lines(linter, tmp_path, before, title):
    """What a web page or a copied text puts above the title (a path, a date, 「标题：」) is neither
    the title nor the report: the clean example stays clean."""
    body = CLEAN.split("\n", 1)[1]
    path = _write(tmp_path, f"{before}\n\n{title}\n{body}", "md")
    got = linter.lint_path(str(path))
    assert [f.rule for f in got.findings] == []
    from gxlint.readers import read
    from gxlint.report import build_report

    rep = build_report(read(str(path)), linter.formats)
    assert rep.year == 2022 and before not in rep.title_text


@pytest.mark.parametrize("issuer", ["某某经济技术开发区管委会", "某某高新技术产业开发区", "某某国家农业科技示范区管理委员会"])
def test_a_zone_is_judged_as_the_rules_about_people_s_governments_say(linter, tmp_path, issuer):
    """A development zone, pilot zone and their 管委会: not asked for the 人民政府's 工作考核 results
    (GX031), given the later deadline (GX702: signed in March), and unable to make 规章 (GX407)."""
    text = CLEAN.replace("上犹县2022年度政府信息公开工作报告", f"{issuer}2022年度政府信息公开工作报告")
    text = text.replace("2023年1月20日", "2023年3月10日")
    text = text.replace("| 规章 | 0 | 0 | 0 |", "| 规章 | 1 | 0 | 1 |")
    assert _rules(linter, _write(tmp_path, text, "md")) == ["GX407"]
