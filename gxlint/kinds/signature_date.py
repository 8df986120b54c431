"""``signature_date``: the signature date (落款) is in the year after the report year, by the deadline.

The signature date is the last paragraph that is nothing but a date
(「2025年1月26日」).  ``check`` is one of:

* ``following_year``: its year is the report year (from the title) plus one;
* ``deadline``: in that year, it is no later than the deadline of 条例 第四十九条:
  ``department`` (default 01-31) for a department's report, ``government``
  (default 03-31) for the consolidated report of a people's government, told
  apart by the issuer (the title before its year, or the line above the title)
  matching ``government_issuer``.  When the issuer is unknown the later
  deadline applies.

No other kind reads the signature or knows the calendar.  Placeholders:
``{found}``, ``{year}`` (report year), ``{next}`` (report year + 1),
``{deadline}`` (e.g. 2025年1月31日), ``{issuer}``, ``{who}`` (部门 / 人民政府).
"""
from __future__ import annotations

import datetime

from ..rule import Param
from ..regex_store import compiled

PARAMS = {
    "check": Param(str, required=True, choices=("following_year", "deadline")),
    "department": Param(str, default="01-31"),
    "government": Param(str, default="03-31"),
    "government_issuer": Param(
        str, regex=True, default=r"(?<![乡镇])(?:省|自治区|市|自治州|州|盟|地区|县|自治县|旗|自治旗|区|特区|林区)(?:人民政府)?$",
    ),
}
ARGS = ("found", "year", "next", "deadline", "issuer", "who")
NEEDS = ("year", "signature")  # what it cannot judge a report without (gxlint.kinds.NEEDS)

_MONTH_DAY = compiled(r"^(\d{1,2})-(\d{1,2})$")


def validate(params):
    for key in ("department", "government"):
        m = _MONTH_DAY.match(params[key])
        try:
            datetime.date(2001, int(m.group(1)), int(m.group(2))) if m else None
        except ValueError:
            m = None
        if m is None:
            yield key, f"「{params[key]}」应写作「月-日」，如 01-31"


def check(rule, report):
    sig = report.signature()
    if report.year is None or sig is None:
        return
    p, y, mo, d = sig
    try:
        signed = datetime.date(y, mo, d)
    except ValueError:
        return  # a date that does not exist is another rule's finding
    found, following = p.text.strip(), report.year + 1
    start = len(p.text) - len(p.text.lstrip())
    span = (start, start + len(found))
    args = dict(found=found, year=report.year, next=following, location="落款日期")
    if rule.params["check"] == "following_year":
        if y != following:
            yield rule.at_text(report, p, *span, **args)
        return
    if y != following:
        return
    issuer = report.issuer()
    government = not issuer or compiled(rule.params["government_issuer"]).search(issuer)
    month, day = (int(x) for x in rule.params["government" if government else "department"].split("-"))
    if signed > datetime.date(following, month, day):
        yield rule.at_text(
            report, p, *span, deadline=f"{following}年{month}月{day}日", issuer=issuer or "（未识别）",
            who="人民政府" if government else "部门", **args,
        )
