"""The reviewer's rules beyond the doc examples: prose against tables, dates and deadlines,
heading numbers, cited document numbers, and last year's report.

Most cases are the real seeds with one thing changed, linted as text and as .docx.
"""
import subprocess
import sys
from collections import Counter

import pytest
from conftest import SEED_FILES, SEEDS as SEEDS_DIR
from docxbuild import build_docx
from seeddocx import seed_docx

from gxlint.config import Config, load_config
from gxlint.engine import Linter
from gxlint.readers.text import parse_text

SEED = {p.name[:3]: p for p in SEED_FILES}


def _serious(findings):
    return [f for f in findings if f.severity in ("error", "warning")]


def _lint(linter, seed, transform, tmp_path, as_docx=False, previous=None):
    if as_docx:
        path = seed_docx(SEED[seed], tmp_path / f"{seed}.docx", transform=transform)
    else:
        path = tmp_path / f"{seed}.txt"
        text = SEED[seed].read_text(encoding="utf-8")
        changed = transform(text)
        assert changed != text, "the change did not apply"
        path.write_text(changed, encoding="utf-8")
    result = linter.lint_path(str(path), previous=previous)
    assert result.error is None, result.error
    return result.findings


def _new(findings, seed, expected):
    """Serious findings beyond the seed's expected ones, as a Counter of rule ids."""
    got = Counter(f.rule for f in _serious(findings))
    got.subtract(Counter(w["rule"] for w in expected[SEED[seed].name]))
    return +got


def _replace(old, new):
    def transform(text):
        assert old in text, old
        return text.replace(old, new, 1)
    return transform


# --------------------------------------------------------------------------- GX601 prose against tables

# 000 states its 办结率 beside the 受理 figure (GX602 would follow it): its 规范性文件 figure changes instead.
PROSE_CHANGES = {
    "000": ("共制发行政规范性文件5件", "共制发行政规范性文件6件", "6", "本年制发件数"),
    "001": ("依申请公开的政府信息1条", "依申请公开的政府信息2条", "2", "本年新收政府信息公开申请数量"),
    "002": ("收到政府信息公开申请16件", "收到政府信息公开申请17件", "17", "本年新收政府信息公开申请数量"),
    "003": ("共受理政府信息公开申请5件", "共受理政府信息公开申请6件", "6", "本年新收政府信息公开申请数量"),
    "004": ("收到依申请37条", "收到依申请38条", "38", "本年新收政府信息公开申请数量"),
}


@pytest.mark.parametrize("as_docx", [False, True], ids=["txt", "docx"])
@pytest.mark.parametrize("seed", sorted(PROSE_CHANGES))
def test_changed_prose_figure_is_caught(seed, as_docx, linter, expected, tmp_path):
    old, new, number, cell = PROSE_CHANGES[seed]
    findings = _lint(linter, seed, _replace(old, new), tmp_path, as_docx)
    assert _new(findings, seed, expected) == Counter({"GX601": 1})
    f = next(f for f in findings if f.rule == "GX601")
    assert f.excerpt == number and f.category == "consistency" and f.severity == "error"
    assert f"「{cell}」" in f.message


@pytest.mark.parametrize("old, new, flagged", [
    ("行政复议2件", "行政复议三件", True),                    # Chinese numerals are read
    ("行政复议2件", "行政复议两件", False),
    ("申请13件，办结13件", "申请十三件，办结十三件", False),
    ("废止27件", "废止28件", True),                          # context: 规范性文件 earlier in the sentence
    ("现行有效266件", "现行有效二百六十六件", False),
    ("行政复议2件", "行政复议3件", True),
])
def test_prose_figures_of_seed_000(old, new, flagged, linter, expected, tmp_path):
    findings = _lint(linter, "000", _replace(old, new), tmp_path)
    assert _new(findings, "000", expected) == (Counter({"GX601": 1}) if flagged else Counter())


def test_other_counts_in_the_same_paragraph_are_not_taken_for_applications(linter, tmp_path):
    """004 also says 12345 受理…51382件，办结50727件: not 申请, so not the table's 办结."""
    path = tmp_path / "r.txt"
    path.write_text(SEED["004"].read_text(encoding="utf-8"), encoding="utf-8")
    assert "办结50727件" in path.read_text(encoding="utf-8")
    assert not [f for f in linter.lint_path(str(path)).findings if f.rule in ("GX601", "GX602")]


@pytest.mark.parametrize("sentence", [
    "全年受理行政许可申请1200件，办结1200件。",          # not 政府信息公开 申请
    "全年共办理行政复议案件120件，行政诉讼案件30件。",    # a 司法局's own work, not information disclosure
])
def test_other_counts_are_not_the_tables(sentence, linter, expected, tmp_path):
    findings = _lint(linter, "000", _replace("（三）政府信息管理方面", sentence + "\n\n（三）政府信息管理方面"), tmp_path)
    assert _new(findings, "000", expected) == Counter()


# --------------------------------------------------------------------------- GX602 stated rate

@pytest.mark.parametrize("sentence, flagged", [
    ("共受理政府信息公开申请13件，办结12件，办结率100%。", True),
    ("共受理政府信息公开申请13件，办结12件，办结率92.3%。", False),
    ("共受理群众诉求51382件，办结50727件，办结率98.73%。", False),   # 98.725…: rounded
    ("共受理群众诉求51382件，办结50727件，办结率98.72%。", False),   # truncated
    ("共受理群众诉求51382件，办结50727件，办结率98.8%。", True),
    ("共受理政府信息公开申请十三件，办结十三件，办结率100%。", False),
])
def test_stated_rate(sentence, flagged, linter, tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(f"某县2024年政府信息公开工作年度报告\n{sentence}\n", encoding="utf-8")
    found = [f for f in linter.lint_path(str(path)).findings if f.rule == "GX602"]
    assert bool(found) == flagged, found
    if found:
        assert found[0].excerpt.endswith("%")


def test_rate_change_in_seed_000(linter, expected, tmp_path):
    findings = _lint(linter, "000", _replace("办结率100%", "办结率95%"), tmp_path)
    assert _new(findings, "000", expected) == Counter({"GX602": 1})


# --------------------------------------------------------------------------- dates and deadline

DATE_CASES = [
    ("003", "2025年1月26日", "2025年2月26日", {"GX702": 1}),      # a department: by 1月31日
    ("004", "2025年1月15日", "2025年2月1日", {"GX702": 1}),
    ("002", "2023年1月20日", "2023年3月20日", {}),                # 上犹县: a people's government, by 3月31日
    ("002", "2023年1月20日", "2023年4月1日", {"GX702": 1}),
    ("003", "2025年1月26日", "2024年12月26日", {"GX701": 1}),     # not in the following year (and no GX702)
    ("003", "2025年1月26日", "2026年1月26日", {"GX701": 1}),
    ("003", "2025年1月26日", "2025年2月30日", {"GX104": 1}),      # does not exist (no deadline finding)
    ("003", "2025年1月26日", "2025年01月26日", {"GX105": 1}),
    ("003", "2025年1月26日", "25年1月26日", {"GX106": 1}),
    ("003", "2025年1月26日", "2025.1.26", {"GX107": 1}),
    ("003", "2025年1月26日", "2025-01-26", {"GX107": 1}),
    ("003", "2025年1月26日", "2025/1/26", {"GX107": 1}),
    ("004", "2025年1月15日", "2025/2/15", {"GX107": 1, "GX702": 1}),  # the signature is still read
    ("002", "自2022年1月1日起", "自20221月1日起", {"GX108": 1}),
    ("002", "至2022年12月31日止", "至2022年12月31止", {"GX109": 1}),
    ("002", "2022年11月，组织开展", "2022年11月31日，组织开展", {"GX104": 1}),
    ("002", "2022年11月，组织开展", "截止2022年11月30日，组织开展", {"GX503": 1}),  # 截止 stays GX503's alone
    ("003", "2024年，县政府办公室共受理", "本年度（2023年），县政府办公室共受理", {"GX102": 1}),
    ("003", "2024年，县政府办公室共受理", "与上一报告期（2023年）相比，县政府办公室共受理", {}),
    ("002", "2022年11月，组织开展", "2022年11月2-3日，组织开展", {}),
    ("002", "2022年11月，组织开展", "2022年11月2至3日，组织开展", {}),
    ("003", "2025年1月26日", "二O二五年一月二十六日", {"GX110": 1}),      # the letter O
    ("003", "2025年1月26日", "二零二五年一月二十六日", {"GX110": 1}),
    ("003", "2025年1月26日", "二〇二五年一月二十六日", {}),
    ("003", "2025年1月26日", "二O二五年二月二十六日", {"GX110": 1, "GX702": 1}),  # still read as a date
]


@pytest.mark.parametrize("seed, old, new, rules", DATE_CASES)
def test_dates(seed, old, new, rules, linter, expected, tmp_path):
    findings = _lint(linter, seed, _replace(old, new), tmp_path)
    assert _new(findings, seed, expected) == Counter(rules), [(f.rule, f.message) for f in _serious(findings)]


@pytest.mark.parametrize("seed, old, new, rules", [c for c in DATE_CASES if c[2] in ("2025年2月26日", "2024年12月26日", "2025/2/15", "自20221月1日起")])
def test_dates_docx(seed, old, new, rules, linter, expected, tmp_path):
    findings = _lint(linter, seed, _replace(old, new), tmp_path, as_docx=True)
    assert _new(findings, seed, expected) == Counter(rules), [(f.rule, f.message) for f in _serious(findings)]


@pytest.mark.parametrize("new, fix", [
    ("2025年01月26日", "2025年1月26日"),
    ("2025年10月06日", "2025年10月6日"),
    ("25年1月26日", "2025年"),
    ("2025-01-26", "2025年1月26日"),
    ("2025.12.1", "2025年12月1日"),
])
def test_date_fixes(new, fix, linter, tmp_path):
    findings = _lint(linter, "003", _replace("2025年1月26日", new), tmp_path)
    f = next(f for f in findings if f.rule in ("GX105", "GX106", "GX107"))
    assert f.fix.replacement == fix


def test_signature_and_issuer_of_the_seeds(linter):
    from gxlint.readers import read
    from gxlint.report import build_report

    def rep(seed):
        return build_report(read(str(SEED[seed])), linter.format)

    assert rep("003").issuer() == "汾西县人民政府办公室"  # on the line above a title that starts with the year
    assert rep("004").issuer() == "福州市长乐区人民政府办公室"
    assert rep("002").issuer() == "上犹县"
    assert rep("003").signature()[1:] == (2025, 1, 26)
    assert rep("000").signature() is None


@pytest.mark.parametrize("text, value", [("13", 13), ("十三", 13), ("两", 2), ("一百零三", 103), ("二百六十六", 266),
                                         ("一万二千", 12000), ("二〇二五", 2025), ("13件", None)])
def test_parse_count(text, value):
    from gxlint.report import parse_count

    assert parse_count(text) == value


def test_signature_in_chinese_numerals_is_read(linter, expected, tmp_path):
    findings = _lint(linter, "003", _replace("2025年1月26日", "二〇二五年二月二十六日"), tmp_path)
    assert _new(findings, "003", expected) == Counter({"GX702": 1})


def test_report_named_in_the_intro(linter, expected, tmp_path):
    findings = _lint(linter, "000", _replace("办公室 2024 年政府信息公开工作情况", "办公室 2023 年政府信息公开工作情况"), tmp_path)
    assert _new(findings, "000", expected) == Counter({"GX103": 1})


# --------------------------------------------------------------------------- heading numbers

@pytest.mark.parametrize("seed, old, new, rule, excerpt, fix", [
    ("000", "\n3. 拓宽民生", "\n3、拓宽民生", "GX021", "、", "."),
    ("000", "（二）依申请公开方面", "（二）、依申请公开方面", "GX021", "、", ""),
    ("004", "（三）推动依申请公开", "（三）.推动依申请公开", "GX021", ".", ""),
    ("000", "（三）政府信息管理方面", "（四）政府信息管理方面", "GX020", None, None),  # gap
    ("002", "（三）政府信息管理", "（二）政府信息管理", "GX020", None, None),        # repeat
    ("000", "\n4. 持续完善", "\n5. 持续完善", "GX020", None, None),
])
@pytest.mark.parametrize("as_docx", [False, True], ids=["txt", "docx"])
def test_heading_numbers(seed, old, new, rule, excerpt, fix, as_docx, linter, expected, tmp_path):
    findings = _lint(linter, seed, _replace(old, new), tmp_path, as_docx)
    extra = _new(findings, seed, expected)
    assert extra[rule] >= 1 and set(extra) <= {"GX020", "GX021"}, extra
    f = next(f for f in findings if f.rule == rule)
    if excerpt is not None:
        assert f.excerpt == excerpt and f.fix.replacement == fix


def test_part_heading_punctuation(linter, expected, tmp_path):
    """「一.」 on a typed part heading (text only: the .docx fixture numbers part headings with Word)."""
    findings = _lint(linter, "001", _replace("一、总体情况", "一.总体情况"), tmp_path)
    assert _new(findings, "001", expected) == Counter({"GX021": 1})
    f = next(f for f in findings if f.rule == "GX021")
    assert (f.excerpt, f.fix.replacement) == (".", "、")


def test_level_skipped(linter, expected, tmp_path):
    """五 of 000 gets numbered items 1. 2. straight under the part: （一） is skipped, reported once."""
    old = "2025年，我办将采取以下措施加以改进："
    findings = _lint(linter, "000", _replace(old, "1. 加强制度建设。\n\n2. 加强队伍建设。\n\n" + old), tmp_path)
    assert _new(findings, "000", expected) == Counter({"GX020": 1})
    f = next(f for f in findings if f.rule == "GX020")
    assert "「（一）」" in f.message and f.excerpt.startswith("1.")


def test_list_may_start_again_after_a_plain_paragraph(linter, expected, tmp_path):
    old = "2025年，我办将采取以下措施加以改进："
    findings = _lint(linter, "000", _replace(old, "（一）存在问题\n\n1. 规范不够。\n\n2. 提升不够。\n\n改进措施如下：\n\n1. 梳理制度。\n\n" + old), tmp_path)
    assert _new(findings, "000", expected) == Counter()


def _auto(tmp_path, third):
    path = tmp_path / "auto.docx"
    build_docx([
        ("title", "某县司法局2024年政府信息公开工作年度报告"),
        ("heading", 1, "总体情况"),
        ("heading", 2, "主动公开"),        # Word draws （一）
        ("para", "本年度主动公开政府信息20条。"),
        ("heading", 2, "依申请公开"),      # Word draws （二）
        ("para", third),
    ], path)
    return path


@pytest.mark.parametrize("third, flagged", [("（三）政府信息管理", False), ("（四）政府信息管理", True), ("（二）政府信息管理", True)])
def test_word_automatic_numbering_counts(third, flagged, linter, tmp_path):
    from gxlint.readers import read

    path = _auto(tmp_path, third)
    assert [p.number for p in read(str(path)).paragraphs() if p.number][1:] == ["（一）", "（二）"]
    found = [f for f in linter.lint_path(str(path)).findings if f.rule == "GX020"]
    assert bool(found) == flagged, [(f.message) for f in found]


# --------------------------------------------------------------------------- cited document numbers

@pytest.mark.parametrize("seed, old, new, fix", [
    ("000", "国办函〔2020〕109号", "国办函〔2020〕119号", "国办函〔2020〕109号"),
    ("002", "国办函〔2020〕109号", "国办发〔2020〕109号", "国办函〔2020〕109号"),
    ("002", "国办函〔2020〕109号", "国办函〔2019〕109号", "国办函〔2020〕109号"),
    ("002", "国办函〔2020〕109号", "国办函〔2020〕第一百零九号", None),  # the same number, written otherwise
    ("002", "国办函〔2020〕109号", "国办函（2020）109号", None),          # brackets: GX201's alone
])
@pytest.mark.parametrize("as_docx", [False, True], ids=["txt", "docx"])
def test_cited_numbers(seed, old, new, fix, as_docx, linter, tmp_path):
    findings = _lint(linter, seed, _replace(old, new), tmp_path, as_docx)
    found = [f for f in findings if f.rule == "GX211"]
    if fix is None:
        assert not found
        return
    assert len(found) == 1 and found[0].fix.replacement == fix and found[0].excerpt == new


def test_citations_table_takes_an_order_number(tmp_path):
    """The kind reads order numbers too: GX210's 条例 as the row of a (provincial) citations table."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "law.yaml").write_text("""rules:
  - id: GX901
    name: regulation-number
    category: docref
    severity: error
    message: 「{document}」为「{right}」，此处写作「{found}」
    kind: citation
    documents:
      - {name: 《中华人民共和国政府信息公开条例》, cited: 政府信息公开条例, number: 国务院令第711号}
    doc: {summary: s, source: s, triggers: t, passes: p}
""", encoding="utf-8")
    linter = Linter(Config(rule_dirs=[str(rules)]), select=["GX901"])
    found = linter.lint_path(str(SEED["004"])).findings
    assert [(f.excerpt, f.fix.replacement) for f in found] == [("国务院令第七十一号", "国务院令第711号")]
    for seed in ("000", "001", "002", "003"):
        assert not linter.lint_path(str(SEED[seed])).findings


# The format notice as the seeds cite it: 002 《…年度报告格式》（…）, 003 《…关于印发…年度报告格式的通知》（…）,
# 004 《…关于印发〈…年度报告格式〉的通知》（…）.  GX211 knows its number, but a superseded notice is GX015's
# and a misquoted agency code GX220's: one finding each, by the most specific rule.
FORMAT_NOTICE = [
    ("国办公开办函〔2019〕60号", "GX015"),
    ("国办政务公开办函〔2021〕30号", "GX220"),
    ("国办公开函〔2021〕30号", "GX220"),
    ("国办公开办函〔2021〕31号", "GX211"),
    ("国办发〔2021〕30号", "GX211"),
]


@pytest.mark.parametrize("as_docx", [False, True], ids=["txt", "docx"])
@pytest.mark.parametrize("new, rule", FORMAT_NOTICE)
@pytest.mark.parametrize("seed", ["002", "003", "004"])
def test_format_notice_reported_once(seed, new, rule, as_docx, linter, expected, tmp_path):
    findings = _lint(linter, seed, _replace("国办公开办函〔2021〕30号", new), tmp_path, as_docx)
    assert _new(findings, seed, expected) == Counter({rule: 1}), [(f.rule, f.message) for f in _serious(findings)]
    if rule == "GX211":
        (f,) = [f for f in findings if f.rule == "GX211"]
        assert f.excerpt == new and f.fix.replacement == "国办公开办函〔2021〕30号"


@pytest.mark.parametrize("as_docx", [False, True], ids=["txt", "docx"])
def test_regulation_order_number_reported_once(as_docx, linter, tmp_path):
    """004 cites the 条例 as 国务院令第七十一号: GX210 reports it, and no other rule (GX211, GX202 …) does again."""
    path = str(seed_docx(SEED["004"], tmp_path / "004.docx")) if as_docx else str(SEED["004"])
    found = [f for f in linter.lint_path(path).findings if "七十一" in f.excerpt + f.message]
    assert [(f.rule, f.excerpt) for f in found] == [("GX210", "国务院令第七十一号")]


# --------------------------------------------------------------------------- last year's report

def _carry_forward(n):
    """003's 四、结转下年度继续办理 with 自然人 = n (a cell per line)."""
    return _replace("\t四、结转下年度继续办理\n\t1\n", f"\t四、结转下年度继续办理\n\t{n}\n")


def _write(tmp_path, name, text, as_docx, source=None):
    if as_docx:
        return str(seed_docx(source or SEED["003"], tmp_path / f"{name}.docx", transform=lambda _: text))
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("as_docx", [False, True], ids=["txt", "docx"])
def test_carried_over_against_last_year(as_docx, linter, tmp_path):
    """Last year = 003 (结转下年度 1), this year = 004 (上年结转 1): they agree until 003 is edited."""
    this = str(SEED["004"]) if not as_docx else str(seed_docx(SEED["004"], tmp_path / "this.docx"))
    text = SEED["003"].read_text(encoding="utf-8")
    same = _write(tmp_path, "same", text, as_docx)
    edited = _write(tmp_path, "edited", _carry_forward(2)(text), as_docx)
    assert not [f for f in linter.lint_path(this, previous=same).findings if f.rule == "GX603"]
    found = [f for f in linter.lint_path(this, previous=edited).findings if f.rule == "GX603"]
    assert len(found) == 1 and found[0].severity == "error"
    assert "「自然人」列" in found[0].message and "第三部分 表格三" in found[0].location
    assert found[0].excerpt == "1"


def test_year_over_year_rules_need_last_year(linter):
    findings = linter.lint_path(str(SEED["004"])).findings
    assert not [f for f in findings if f.rule in ("GX603", "GX604", "GX605")]


def test_documents_in_force_against_last_year(linter, tmp_path):
    """004: 8 issued, 10 repealed, 241 in force. Last year's 243 fits; 003's 5 does not."""
    text = SEED["003"].read_text(encoding="utf-8")
    old = "\t行政规范性文件\n\t0\n\t15\n\t5\n"
    assert old in text
    fits = _write(tmp_path, "fits", text.replace(old, "\t行政规范性文件\n\t0\n\t15\n\t243\n"), False)
    assert not [f for f in linter.lint_path(str(SEED["004"]), previous=fits).findings if f.rule == "GX604"]
    found = [f for f in linter.lint_path(str(SEED["004"]), previous=str(SEED["003"])).findings if f.rule == "GX604"]
    assert len(found) == 1 and found[0].severity == "warning" and found[0].message.endswith("= 3，请核对")


def _part5(text):
    start = text.index("存在的主要问题及改进情况\n")
    return start + len("存在的主要问题及改进情况\n"), text.index("六、其他需要报告的事项")


def _shift_years(text):
    for y in ("2023", "2024", "2025"):
        text = text.replace(y, str(int(y) - 1))
    return text


@pytest.mark.parametrize("as_docx", [False, True], ids=["txt", "docx"])
def test_part_five_copied_from_last_year(as_docx, linter, tmp_path):
    """Last year = 000 a year earlier; this year = 003 whose 五 is 000's, or its own."""
    last_text = _shift_years(SEED["000"].read_text(encoding="utf-8"))
    last = _write(tmp_path, "last", last_text, as_docx, SEED["000"])
    own = SEED["003"].read_text(encoding="utf-8")
    a, b = _part5(own)
    c, d = _part5(SEED["000"].read_text(encoding="utf-8"))
    copied = own[:a] + SEED["000"].read_text(encoding="utf-8")[c:d] + own[b:]
    found = [f for f in linter.lint_path(_write(tmp_path, "copied", copied, as_docx), previous=last).findings if f.rule == "GX605"]
    assert len(found) == 2 and all(f.location == "第五部分" and f.severity == "warning" for f in found)
    assert "相似度100%" in found[0].message
    rewritten = [f for f in linter.lint_path(_write(tmp_path, "own", own, as_docx), previous=last).findings if f.rule == "GX605"]
    assert rewritten == []


def test_cli_previous_option_and_config(tmp_path):
    last = tmp_path / "2023.txt"
    # 003's tables as 长乐区's 2023 report (--previous refuses another office's or year's report)
    last.write_text(_carry_forward(2)(SEED["003"].read_text(encoding="utf-8"))
                    .replace("汾西县人民政府办公室", "福州市长乐区人民政府办公室", 1).replace("2024年政府信息公开工作年度报告", "2023年政府信息公开工作年度报告", 1), encoding="utf-8")

    def run(*args, cwd=None):
        p = subprocess.run([sys.executable, "-m", "gxlint", *map(str, args)], capture_output=True, text=True, cwd=cwd)
        return p.returncode, p.stdout, p.stderr

    rc, out, _ = run(SEED["004"], "--previous", last, "--select", "GX603")
    assert rc == 1 and "GX603" in out
    rc, out, err = run(SEED["004"], "--previous", tmp_path / "missing.txt")
    assert rc == 2 and "E013" in err and "上年报告" in err
    folder = tmp_path / "2024"
    folder.mkdir()
    this = folder / "report.txt"
    this.write_text(SEED["004"].read_text(encoding="utf-8"), encoding="utf-8")
    (folder / ".gxlint.yaml").write_text("previous: ../2023.txt\nselect: [GX603]\n", encoding="utf-8")
    rc, out, _ = run(this)
    assert rc == 1 and "GX603" in out
    assert load_config(str(folder / ".gxlint.yaml")).previous == str(last)
    (folder / ".gxlint.yaml").write_text("previous: ../nowhere.txt\n", encoding="utf-8")
    rc, _, err = run(this)
    assert rc == 2 and "E020" in err and "上年报告" in err


def test_unreadable_previous_is_the_files_error(linter, tmp_path):
    bad = tmp_path / "last.docx"
    bad.write_bytes(b"not a zip")
    result = linter.lint_path(str(SEED["004"]), previous=str(bad))
    assert result.error is not None and result.error.code == "E005" and "上年报告" in result.error.message


# --------------------------------------------------------------------------- 发文字号: the wrong forms of GB/T 9704
@pytest.mark.parametrize("written, rule, fixed", [
    ("国办公开办函（2021）30号", "GX201", "国办公开办函〔2021〕30号"),
    ("国办公开办函【2021】30号", "GX201", "国办公开办函〔2021〕30号"),
    ("国办公开办函〔202130号", "GX201", "国办公开办函〔2021〕30号"),   # the closing bracket lost
    ("国办公开办函〔2021〕第30号", "GX202", "国办公开办函〔2021〕30号"),
    ("国办公开办函〔2021〕字第30号", "GX202", "国办公开办函〔2021〕30号"),
    ("国办公开办函〔2021〕030号", "GX203", "国办公开办函〔2021〕30号"),
    ("国办公开办函〔21〕30号", "GX204", "国办公开办函〔2021〕30号"),
    ("赣经信发〔1998〕7号", None, None),
])
def test_docnum_forms(written, rule, fixed, linter):
    for sentence in (f"依据《格式》（{written}）执行。", f"依据{written}执行。"):
        found = [f for f in linter.lint_document(parse_text(sentence, "x.txt"), fragment=True) if f.category == "docref"]
        if rule is None:
            assert found == [], sentence
            continue
        assert [(f.rule, f.excerpt, f.fix.replacement) for f in found] == [(rule, written, fixed)], sentence


# --------------------------------------------------------------------------- a people's government's report
def test_a_government_report_states_its_review_results(linter):
    text = (SEEDS_DIR / "002_9e678f4fbfe67a94.txt").read_text(encoding="utf-8")  # 上犹县: a people's government
    assert not [f for f in linter.lint_document(parse_text(text, "002.txt")) if f.rule == "GX031"]
    cut = text.replace("社会评议", "社会监督")
    found = [f for f in linter.lint_document(parse_text(cut, "002.txt")) if f.rule == "GX031"]
    assert len(found) == 1 and found[0].message.endswith("未写到：社会评议") and found[0].location == "全文"
    # a department (汾西县人民政府办公室) is not asked for them
    dept = (SEEDS_DIR / "003_aec54f57ed4abe50.txt").read_text(encoding="utf-8")
    assert "评议" not in dept
    assert not [f for f in linter.lint_document(parse_text(dept, "003.txt")) if f.rule == "GX031"]
