"""Helpers shared by the kinds that search paragraph text."""
from __future__ import annotations

from ..model import Paragraph


def paragraphs(report, scope: str = "body") -> list[Paragraph]:
    """Paragraphs a text rule looks at: `body` (all paragraphs), `title`, `headings`."""
    if scope == "title":
        return list(report.title_lines)
    if scope == "headings":
        return [h.paragraph for h in report.headings]
    return report.paragraphs


# The year a report is about, where neither its title nor a full statistics period gives it: a
# period that names the year once (「统计期限为2023年1月1日至12月31日」), or the introduction
# naming the report (「现将2021年度政府信息公开工作情况报告如下」).
_PERIOD_ONCE = r"(?=\d)(?<!\d)(?P<year>\d{4})\s*年\s*0?1\s*月\s*0?1\s*日\s*(?:起)?\s*(?:至|到|—|-|－|~)+\s*12\s*月\s*31\s*日"
_SELF_NAMED = (r"(?:现将|现公布|特向社会公布|编制|发布)[^。；《]{0,30}?(?<![\d关于做好])(?P<year>\d{4})\s*年度?(?:的)?"
               r"政府信息公开(?:工作)?(?:年度)?(?:报告|情况)")


def report_year(report) -> int | None:
    """The report's year: the title's or its statistics period's (``Report.year``), else a period
    that names the year once, else the year the opening paragraphs call the report's (before the
    first part); None when nothing says."""
    if report.year is not None:
        return report.year
    if "text.year" not in report.memo:
        from ._scan import search

        first = report.headings[0].position if report.headings else len(report.doc.blocks)
        year = None
        for pattern, blocks in ((_PERIOD_ONCE, report.doc.blocks[: first + 40]), (_SELF_NAMED, report.doc.blocks[:first])):
            for b in blocks:
                m = search(pattern, b.text) if isinstance(b, Paragraph) else None
                if m:
                    year = int(m.group("year"))
                    break
            if year is not None:
                break
        report.memo["text.year"] = year
    return report.memo["text.year"]
