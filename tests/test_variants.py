"""Reports made faulty on purpose, one category at a time, from the clean seed 002 and from 004."""
import re

import pytest
from conftest import SEEDS
from seeddocx import seed_docx

CLEAN = SEEDS / "002_9e678f4fbfe67a94.txt"


def _cell_changed(text):
    # 表格三 一、本年新收…: 自然人 14 -> 15 (the row no longer adds up, nor the column)
    return text.replace("⇥一、本年新收政府信息公开申请数量\n⇥14".replace("⇥", "\t"), "\t一、本年新收政府信息公开申请数量\n\t15", 1)


def _rate(text):
    return text.replace("2022年，全县通过政务信息工作平台", "2022年，全县政府信息公开办结率为120%，通过政务信息工作平台", 1)


def _brackets(text):
    return text.replace("国办公开办函〔2021〕30号", "国办公开办函[2021]30号", 1)


def _section_removed(text):
    start = text.index("五、存在的主要问题及改进情况")
    end = text.index("六、其他需要报告的事项")
    return text[:start] + text[end:]


def _period(text):
    return text.replace("统计期限自2022年1月1日起至2022年12月31日止", "统计期限自2021年1月1日起至2021年12月31日止", 1)


VARIANTS = {
    "cell": (_cell_changed, {"GX302", "GX301"}, "arithmetic"),
    "rate": (_rate, {"GX401"}, "plausibility"),
    "brackets": (_brackets, {"GX201"}, "docref"),
    "section": (_section_removed, {"GX001"}, "structure"),
    "period": (_period, {"GX101"}, "period"),
}


@pytest.mark.parametrize("name", VARIANTS)
@pytest.mark.parametrize("as_docx", [False, True], ids=["txt", "docx"])
def test_variant_caught(name, as_docx, linter, tmp_path):
    transform, rules, category = VARIANTS[name]
    original = CLEAN.read_text(encoding="utf-8")
    text = transform(original)
    assert text != original, "the variant did not change the report"
    if as_docx:
        path = seed_docx(CLEAN, tmp_path / "v.docx", transform=transform)
    else:
        path = tmp_path / "v.txt"
        path.write_text(text, encoding="utf-8")
    findings = [f for f in linter.lint_path(str(path)).findings if f.severity != "info"]
    assert {f.rule for f in findings} == rules, [(f.rule, f.message) for f in findings]
    assert {f.category for f in findings} == {category}


def test_bracket_fix_is_given(linter, tmp_path):
    path = tmp_path / "v.md"
    path.write_text(_brackets(CLEAN.read_text(encoding="utf-8")), encoding="utf-8")
    f = next(f for f in linter.lint_path(str(path)).findings if f.rule == "GX201")
    assert f.excerpt == "国办公开办函[2021]30号"
    assert f.fix.replacement == "国办公开办函〔2021〕30号"


@pytest.mark.parametrize("form", ["（2021）", "(2021)", "[2021]", "【2021】"])
def test_every_wrong_bracket_form(form, linter, tmp_path):
    path = tmp_path / "v.txt"
    path.write_text(f"2024年政府信息公开工作年度报告\n依据某市财政局通知（某财函{form}7号）执行。\n", encoding="utf-8")
    found = [f for f in linter.lint_path(str(path)).findings if f.rule == "GX201"]
    assert len(found) == 1 and found[0].fix.replacement == "某财函〔2021〕7号"


def test_cell_variant_location(linter, tmp_path):
    path = tmp_path / "v.txt"
    path.write_text(_cell_changed(CLEAN.read_text(encoding="utf-8")), encoding="utf-8")
    row = next(f for f in linter.lint_path(str(path)).findings if f.rule == "GX302")
    assert re.search(r"第三部分 表格三 第\d+行「一、本年新收政府信息公开申请数量」 总计列", row.location)
