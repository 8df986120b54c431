"""Real published reports (tests/corpus/): gxlint finds what a reviewer found there and reports
nothing a reviewer would dismiss.

Each opening of tests/corpus/openings is a published web page kept up to a cut
(tests/corpus/cuts.yaml says where).  A finding of severity error or warning must be either a
confirmed defect of defects.json (matched as the corpus README says: the finding's category is
one of the defect's and one of its keys occurs in the finding's excerpt, message or location) or
one of the findings ACCEPTED below, each with its reason.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from gxlint.engine import Linter

CORPUS = Path(__file__).resolve().parent / "corpus"
OPENINGS = CORPUS / "openings"
KEY = json.loads((OPENINGS / "defects.json").read_text(encoding="utf-8"))
CUTS = YAML(typ="safe").load((CORPUS / "cuts.yaml").read_text(encoding="utf-8"))
NUMERALS = "一二三四五六"
TABLE_OF = {"disclosure": "二", "applications": "三", "review": "四"}

# The confirmed defects found today: raise it as gxlint finds more, never lower it.
MIN_FOUND = 50

# Findings that are neither a confirmed defect nor about the cut, accepted with the reason.
ACCEPTED = {
    ("15_衡阳县行政审批服务局_2023.html", "GX010"):
        "the report follows the pre-2019 outline, whose intro says its tables come last as 附表: beyond the cut",
    ("15_衡阳县行政审批服务局_2023.html", "GX017"):
        "true of its 一、概述 (no 依申请公开, no 政府信息管理); the key names the outline as the defect (r2-15-old-outline)",
}


def _cut_accepts(name: str, f) -> str:
    """Why finding `f` of file `name` only says that something beyond the page's cut is missing
    ("" when it says more)."""
    cut = CUTS.get(name)
    if cut is None:
        return ""
    last = NUMERALS.index(cut["part"])
    table = cut.get("table")
    where = f.location or ""
    part = next((n for n in NUMERALS if f"第{n}部分" in where), None)
    if f.rule == "GX001" and part and NUMERALS.index(part) > last:
        return f"第{part}部分 is beyond the cut"
    if f.rule == "GX010" and part and (NUMERALS.index(part) > last or (NUMERALS.index(part) == last and table)):
        return f"表格{part} is beyond the cut"
    if f.rule in ("GX011", "GX012", "GX028") and part == cut["part"] and table == "cut":
        return f"表格{part} is cut in the middle"
    if f.rule == "GX017" and last == 0:
        return "the page is cut inside 总体情况: its other aspects may follow"
    if f.rule in ("GX018", "GX019", "GX031"):
        return "the parts that would say it are beyond the cut"
    return ""


def _matches(defect, f) -> bool:
    text = " ".join(str(x or "") for x in (f.excerpt, f.message, f.location))
    return f.category in defect["categories"] and any(k in text for k in defect["keys"])


@pytest.fixture(scope="module")
def results():
    linter = Linter()
    return {e["path"]: linter.lint_path(str(OPENINGS / e["path"])) for e in KEY["files"]}


@pytest.mark.parametrize("entry", KEY["files"], ids=lambda e: e["path"][:2])
def test_nothing_a_reviewer_would_dismiss(results, entry):
    got = results[entry["path"]]
    assert got.error is None, got.error
    unexplained = []
    for f in got.findings:
        if f.severity not in ("error", "warning"):
            continue
        if (any(_matches(d, f) for d in entry["defects"]) or _cut_accepts(entry["path"], f)
                or (entry["path"], f.rule) in ACCEPTED):
            continue
        unexplained.append(f"{f.rule} {f.message} [{f.location}]")
    assert not unexplained, "\n".join(unexplained)


def test_every_accepted_finding_is_still_reported(results):
    """An acceptance that no longer applies is removed, not kept as a blanket."""
    for (path, rule), why in ACCEPTED.items():
        got = results[path].findings
        entry = next(e for e in KEY["files"] if e["path"] == path)
        assert any(f.rule == rule and not any(_matches(d, f) for d in entry["defects"]) for f in got), (path, rule, why)


def test_confirmed_defects_found(results):
    found, missed = 0, []
    for e in KEY["files"]:
        for d in e["defects"]:
            if any(_matches(d, f) for f in results[e["path"]].findings):
                found += 1
            else:
                missed.append(d["id"])
    assert found >= MIN_FOUND, f"{found} of 50 found; missed: {', '.join(missed)}"


def test_the_cut_map_is_only_about_cut_parts(results):
    """The accepted findings are only the cut's: a whole page (no entry) gets none accepted, and a
    page cut in part 一 accepts no finding about part 一's table-free text beyond GX017."""
    assert "01_沈阳市浑南区国资局_2022.html" not in CUTS
    for e in KEY["files"]:
        for f in results[e["path"]].findings:
            why = _cut_accepts(e["path"], f)
            if why:
                assert f.rule in ("GX001", "GX010", "GX011", "GX012", "GX028", "GX017", "GX018", "GX019", "GX031"), why


def test_the_blank_template_is_one_finding():
    got = Linter().lint_path(str(CORPUS / "template" / "政务公开年报模版.docx"))
    assert got.error is None
    assert [f.rule for f in got.findings] == ["GX033"]
    f = got.findings[0]
    assert "报告模板尚未填写" in f.message and "（文字描述）" in f.message and "200个数字格" in f.message
