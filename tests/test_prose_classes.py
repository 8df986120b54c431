"""Issue 26: the classes of mistake a reviewer finds in the prose of real reports.

For each class: the sentence of a published report (../shared/corpus/openings, its defects.json)
where there is one, a sentence of our own that makes the same mistake worded otherwise, and a
sentence that looks like the mistake but is right.  Each is written into a copy of the clean
seed 002 (a 2022 report gxlint is silent on), as text and as a Word document built from it: a
mistake gives exactly one finding, of its rule, on the expected text; a look-alike gives none.
"""
import json
import os
from collections import Counter
from pathlib import Path

import pytest
from conftest import SEEDS
from seeddocx import seed_docx

SEED002 = SEEDS / "002_9e678f4fbfe67a94.txt"
CLEAN = SEED002.read_text(encoding="utf-8")

TITLE = "上犹县2022年度政府信息公开工作报告"
INTRO_LIST = ("全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议行政诉讼情况、"
              "存在的主要问题及改进情况、其他需要报告的事项等6个部分的内容。")
ACTIVE = "群众反映良好。"                      # end of a sentence of 一（一）主动公开
PLATFORM_HEADING = "（四）政府信息公开平台建设"
PLATFORM = "进一步增强公开实效"                # in 一（四）平台建设
MANAGEMENT_HEADING = "（三）政府信息管理"


def _after(anchor, added):
    return (anchor, anchor + added)


# class -> case -> ((old, new), rule, excerpt): one finding
MISTAKES = {
    # 1. parts and their total
    "parts-next-sentence-corpus-08": (_after(ACTIVE, "全年累计主动公开政府信息162条。其中，乡镇文件公开41条，通过“融安县大坡乡”微信公众号发布信息293篇。"),
                                      "GX305", "162条"),
    "parts-han-corpus-20": (_after(ACTIVE, "2022年在县政府信息公开门户网站公开发布信息121条，含规范性文件2件、其他有关文件2条、工作计划1条、"
                                           "政务动态51条、人事任免2条、财政预决算10条、三公经费1条、执法依据2条、执法动态50条、公示公告28条。"),
                            "GX305", "121条"),
    "parts-overlapping-channels-corpus-15": (_after(ACTIVE, "主动公开信息数72条，其中在县人民政府网站公开12条，在政府门户网微信公众号公开72条。"),
                                             "GX305", "72条"),
    "parts-in-brackets-short-own": (_after(ACTIVE, "共公开信息300条（其中政策文件120条、工作动态150条、其他信息20条）。"), "GX305", "300条"),
    "parts-baokuo-own": (_after(ACTIVE, "本年度发布各类信息80条，包括政策解读30篇、通知公告60条。"), "GX305", "80条"),
    # 2. units that cannot be right
    "wan-parts-next-sentence-corpus-28": (_after(ACTIVE, "政府网站主动公开政府信息173769万条。市政府及其部门主动公开政府信息75656条，"
                                                         "县（区）政府及其部门主动公开政府信息98113条。"), "GX409", "173769万条"),
    "wan-own": (_after(ACTIVE, "全县公开信息5200万条。县级2000条，乡镇3200条。"), "GX409", "5200万条"),
    "measure-word-lost-corpus-14": (_after(ACTIVE, "全年累计公开各类文件21，其中需要解读的文件已全部解读。"), "GX506", "各类文件21，"),
    "measure-word-lost-corpus-17": (_after(ACTIVE, "累计主动公开政府信息72，其中工作动态58条，政策法规14条。"), "GX506", "政府信息72，"),
    "measure-word-lost-own": (_after(ACTIVE, "全年制发政策解读9。"), "GX506", "政策解读9。"),
    # 3. another year's work (seed 002 is a 2022 report)
    "year-opening-sentence-corpus-15": (_after(ACTIVE, "2021年我单位共制作、获取政府信息总数84条，主动公开信息数72条。"), "GX113", "2021"),
    "year-opening-sentence-own": (_after(ACTIVE, "2021年全县累计发布政务信息1500条。"), "GX113", "2021"),
    "notice-of-last-year-corpus-20": (_after(ACTIVE, "本报告依据省、市政府办《关于做好2021年政府信息公开年度报告及政府网站年度报表编制和发布工作的工作提示》要求编制而成。"),
                                      "GX114", "2021"),
    "notice-of-last-year-own": (_after(ACTIVE, "按照《某市人民政府办公室关于印发2021年度政府信息公开工作年度报告编制要求的通知》执行。"),
                                "GX114", "2021"),
    "accounts-of-the-year-corpus-12": (_after(ACTIVE, "按照财政局相关要求，公开了我局2023年度财政预算、2022年度决算报告。"), "GX115", "2022年度决算报告"),
    "budget-two-years-on-own": (_after(ACTIVE, "本年度还在政府网站公示了2024年部门预算。"), "GX115", "2024年部门预算"),
    # 4. the introduction's list of parts
    "intro-five-parts-corpus-03": ((INTRO_LIST, "全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
                                                "政府信息公开行政复议行政诉讼情况、存在的主要问题及改进情况。"), "GX030", None),
    "intro-part-name-cut-corpus-16": ((INTRO_LIST, "全文分为六大组成部分，分为总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
                                                   "政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告。"), "GX030", None),
    "intro-part-missing-own": ((INTRO_LIST, "本报告由总体情况、主动公开政府信息情况、存在的主要问题及改进情况、其他需要报告的事项组成。"), "GX030", None),
    # 5. citations
    "format-as-guobanfa-corpus-27": (_after(ACTIVE, "主动公开内容按照国办发〔2021〕30号文件要求编制。"), "GX212", "国办发〔2021〕30号"),
    "format-as-guobanhan-own": (_after(ACTIVE, "本报告按照国办函〔2021〕30号规定的年度报告格式编制。"), "GX212", "国办函〔2021〕30号"),
    # 6. title words
    "title-without-zhengfu-corpus-21": ((TITLE, "上犹县2022年度信息公开工作年度报告"), "GX032", "上犹县2022年度信息公开工作年度报告"),
    "title-niandu-twice-own": ((TITLE, "上犹县2022年政府信息公开工作年度年度报告"), "GX032", "上犹县2022年政府信息公开工作年度年度报告"),
    # 7. statements the tables contradict (seed 002: 16 applications, 8 复议 cases)
    "no-applications-own": (_after(ACTIVE, "本年度未收到政府信息公开申请。"), "GX609", "未收到政府信息公开申请"),
    "no-review-own": (_after(ACTIVE, "全年未发生因政府信息公开被申请行政复议的情况。"), "GX609", "未发生因政府信息公开被申请行政复议"),
    # 8. wrong characters a reader spots
    "subheading-word-dropped-corpus-01": ((PLATFORM_HEADING, "（四）政府公开平台建设"), "GX507", "政府公开平台建设"),
    "subheading-word-dropped-own": ((MANAGEMENT_HEADING, "（三）政府管理"), "GX507", "政府管理"),
    "set-phrase-own": (_after(ACTIVE, "下一步，我县将再接再励。"), "GX509", "再接再励"),
    "set-phrase-own-2": (_after(ACTIVE, "提前谋划，未雨筹缪。"), "GX509", "未雨筹缪"),
    "set-phrase-own-3": (_after(ACTIVE, "各单位按步就班推进公开。"), "GX509", "按步就班"),
    "enumeration-repeated-own": (_after(ACTIVE, "一是完善制度；二是加强培训；二是强化监督。"), "GX510", "二是"),
    "enumeration-skipped-own": (_after(ACTIVE, "一是完善制度；三是强化监督。"), "GX510", "三是"),
    "contact-verb-missing-corpus-13": (_after(ACTIVE, "如有疑问请与来凤县政务服务和大数据管理局(地址:来凤县政务服务中心501室,联系电话:0718-6277499)。"),
                                       "GX508", None),
    "share-in-a-list-corpus-19": (_after(ACTIVE, "通过县政府网站主动公开发布政府信息349条，主要包括会议公开2条，占比0.6%；政策文件22条，占比6.3%；"
                                                 "行政执法公示20条，占比5%。"), "GX608", "占比5%"),
    # 9. a level of government the issuer does not have (上犹县 is under 赣州市, no 州)
    "superior-zhou-corpus-14": (_after(ACTIVE, "我县深入贯彻落实省、州关于政务信息公开工作要求。"), "GX610", "省、州"),
    "superior-zhou-own": (_after(ACTIVE, "认真落实州委、州政府关于政务公开工作的部署。"), "GX610", "州委、州政府"),
}

LOOK_ALIKES = {
    # 1. a subset after 其中, a complete list that adds up, a list said to be partial
    "parts-subset": _after(ACTIVE, "共公开信息300条，其中政策文件120条。"),
    "parts-complete-adding-up-corpus-12": _after(ACTIVE, "通过政府网站主动公开信息73条，其中：统计数据12条，工作动态信息21条，"
                                                          "第七次全国人口普查专题专栏信息1条，重要会议信息4条，公示公告信息2条，其他信息33条。"),
    "parts-said-partial": _after(ACTIVE, "发布信息100条，主要包括政策文件20条、工作动态30条等。"),
    "parts-in-brackets-adding-up": _after(ACTIVE, "共公开信息300条（其中政策文件120条、工作动态150条、其他信息30条）。"),
    # 2. a 万 whose parts are in 万, a measure word where it belongs, a version number
    "wan-of-wan": _after(ACTIVE, "全年浏览量17.4万次，其中网站7.6万次、新媒体9.8万次。"),
    "wan-not-adding-up": _after(ACTIVE, "全县公开信息5200万条。县级2000条，乡镇3000条。"),
    "measure-word-there": _after(ACTIVE, "推进政务信息化2.0建设，公开文件21件，其中需要解读的文件已全部解读。"),
    # 3. last year named on purpose
    "comparison-with-last-year": _after(ACTIVE, "与2021年相比，主动公开数量有所增加；2021年我县受理申请5件，今年增长两倍。"),
    "accounts-of-last-year": _after(ACTIVE, "公开了2022年度部门预算和2021年度部门决算，2023年度预算已于年初公开。"),
    "accounts-planned": _after(ACTIVE, "2022年度决算将于2023年公开。"),
    "notice-of-this-year": _after(ACTIVE, "按照《关于做好2022年度政府信息公开工作年度报告编制和发布工作的通知》执行。"),
    # 5. another document's number cited for what it is
    "other-document-for-its-own-sake": _after(ACTIVE, "依据国办发〔2021〕30号文件推进保障性租赁住房信息公开。"),
    # 6. 年度 once in each place
    "title-annual-report-of-the-year": (TITLE, "上犹县2022年度政府信息公开工作年度报告"),
    # 7. a statement about a part
    "no-applications-in-half-a-year": _after(ACTIVE, "上半年未收到政府信息公开申请。"),
    "no-review-corrected": _after(ACTIVE, "全年未发生行政复议被纠错的情况。"),
    # 8. a short or other wording of a sub-heading, set phrases right, an enumeration in order
    "subheading-short": (PLATFORM_HEADING, "（四）平台建设"),
    "subheading-other-wording": (PLATFORM_HEADING, "（四）政务公开平台建设"),
    "set-phrase-right": _after(ACTIVE, "下一步，我县将再接再厉，按部就班，未雨绸缪，部门步调一致。"),
    "enumeration-in-order": _after(ACTIVE, "一是完善制度；二是加强培训；三是强化监督，坚持一是一、二是二。"),
    "contact-verb-there": _after(ACTIVE, "如有疑问，请与县政务服务中心（联系电话：0718-6277499）联系。"),
    "two-words-on-zhengfu-corpus-09": _after(ACTIVE, "特向社会公布连生乡人民政府政府信息公开工作情况。"),
    # 9. a report that names its 自治州; place names that are no level
    "superior-zhou-named-prefecture-right": _after(ACTIVE, "我县作为恩施州的一员，深入贯彻落实省、州关于政务公开的要求。"),
    "superior-place-names-right": _after(ACTIVE, "先后与贵州省、杭州市等地交流政务公开经验。"),
    "share-in-a-list-right": _after(ACTIVE, "通过县政府网站主动公开发布政府信息349条，主要包括会议公开2条，占比0.6%；政策文件22条，占比6.3%；"
                                            "行政执法公示20条，占比5.7%。"),
}


def _variant(tmp_path, old, new, as_docx):
    assert CLEAN.count(old) >= 1, old
    transform = (lambda text: text.replace(old, new, 1))
    if as_docx:
        return seed_docx(SEED002, tmp_path / "variant.docx", transform=transform)
    path = tmp_path / "variant.txt"
    path.write_text(transform(CLEAN), encoding="utf-8")
    return path


def _findings(linter, path):
    result = linter.lint_path(str(path))
    assert result.error is None, result.error
    return result.findings


@pytest.mark.parametrize("as_docx", [False, True], ids=["txt", "docx"])
@pytest.mark.parametrize("case", sorted(MISTAKES))
def test_a_mistake_gives_one_finding(case, as_docx, linter, tmp_path):
    (old, new), rule, excerpt = MISTAKES[case]
    findings = _findings(linter, _variant(tmp_path, old, new, as_docx))
    assert Counter(f.rule for f in findings) == Counter({rule: 1}), [(f.rule, f.excerpt, f.message) for f in findings]
    if excerpt is not None:
        assert findings[0].excerpt == excerpt


@pytest.mark.parametrize("case", sorted(LOOK_ALIKES))
def test_a_look_alike_gives_none(case, linter, tmp_path):
    old, new = LOOK_ALIKES[case]
    assert [(f.rule, f.excerpt, f.message) for f in _findings(linter, _variant(tmp_path, old, new, False))] == []


def test_a_county_of_an_autonomous_prefecture_names_its_levels(linter, tmp_path):
    """省、州 is right for a county the rule lists under a 自治州 (来凤县, 恩施州), as its title names it."""
    for title in ("来凤县2022年度政府信息公开工作报告", "黔东南州凯里市2022年度政府信息公开工作报告"):
        path = tmp_path / "zhou.txt"
        path.write_text(CLEAN.replace(TITLE, title, 1).replace(ACTIVE, ACTIVE + "深入贯彻落实省、州关于政务公开的要求，州委、州政府高度重视。", 1),
                        encoding="utf-8")
        assert [(f.rule, f.excerpt) for f in _findings(linter, path) if f.rule == "GX610"] == []


def test_the_fixes(linter, tmp_path):
    """The fixes write what the reviewer would: the measure word of the parts, the phrase, the name."""
    cases = {
        "measure-word-lost-corpus-17": "政府信息72条，",
        "measure-word-lost-corpus-14": "各类文件21件，",
        "set-phrase-own": "再接再厉",
        "subheading-word-dropped-corpus-01": "政府信息公开平台建设",
        "enumeration-repeated-own": "三是",
        "format-as-guobanfa-corpus-27": "国办公开办函〔2021〕30号",
    }
    for case, fix in cases.items():
        (old, new), rule, _ = MISTAKES[case]
        f, = _findings(linter, _variant(tmp_path, old, new, False))
        assert f.fix is not None and f.fix.replacement == fix, (case, f.fix)


def test_a_paragraph_broken_over_lines_is_read_whole(linter, tmp_path):
    """Text copied out of a PDF or a web page breaks a paragraph over lines: the total and its
    parts, and a figure and what follows it, are still read together."""
    broken = ("全年累计主动公开政府信息162条，其中乡镇文件公开41条，通过“融安县大坡乡”微信公众号\n"
              "发布信息293篇，全年累计公开各类文件21\n，其中需要解读的文件已全部解读。")
    path = tmp_path / "broken.txt"
    path.write_text(CLEAN.replace(ACTIVE, ACTIVE + "\n" + broken + "\n", 1), encoding="utf-8")
    found = sorted((f.rule, f.excerpt) for f in _findings(linter, path))
    assert found == [("GX305", "162条"), ("GX506", "各类文件21")]


def test_a_heading_line_is_not_joined(linter, tmp_path):
    """A sub-heading without closing punctuation stays a line of its own (its figures are not a total's parts)."""
    text = CLEAN.replace(ACTIVE, ACTIVE + "\n（六）全年公开政府信息30条的情况说明\n其中政策文件40条。\n", 1)
    path = tmp_path / "heading.txt"
    path.write_text(text, encoding="utf-8")
    assert [f.rule for f in _findings(linter, path) if f.rule == "GX305"] == []


_TOP = Path(__file__).resolve().parent.parent
# ../shared beside the checkout (main, CI's clone), or beside the folder of worktrees
CORPUS = Path(os.environ.get("GXLINT_CORPUS") or next(
    (p for p in (_TOP.parent / "shared" / "corpus" / "openings", _TOP.parent.parent / "shared" / "corpus" / "openings")
     if p.is_dir()), _TOP.parent / "shared" / "corpus" / "openings"))
CUT = {"GX001", "GX010", "GX011", "GX017", "GX031"}  # parts and tables beyond the cut of a page


@pytest.mark.skipif(not (CORPUS / "defects.json").is_file(), reason="the shared corpus of published openings is not here")
def test_the_published_openings(linter):
    """At least 45 of the 50 confirmed defects found, and no other error or warning than for the
    parts cut off at the end of a page (the scoring of the corpus README)."""
    key = json.loads((CORPUS / "defects.json").read_text(encoding="utf-8"))
    found = total = 0
    other = []
    for entry in key["files"]:
        findings = linter.lint_path(str(CORPUS / entry["path"])).findings
        used = set()
        for d in entry["defects"]:
            total += 1
            hit = [i for i, f in enumerate(findings) if f.category in d["categories"]
                   and any(k in " ".join((f.excerpt or "", f.message or "", f.location or "")) for k in d["keys"])]
            found += bool(hit)
            used.update(hit)
        other += [(entry["path"], f.rule, f.message) for i, f in enumerate(findings)
                  if i not in used and f.severity in ("error", "warning") and f.rule not in CUT]
    assert found >= 45, found
    assert other == []
