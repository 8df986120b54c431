"""``prose_sum``: a total stated in the prose and its parts (其中, 包括, 分别为).

Reports break a figure down in words: 「主动公开政府信息72条，其中政策文件12条、工作动态
60条」.  ``statement`` finds the total and the word that opens its parts (groups
``n``, the total; ``wan``, a 万 after it; ``unit``, its measure word; ``intro``, the
opening word); the parts are the figures with the same measure word after it, up to the
end of the sentence or clause (``；``, at most 200 characters), figures in brackets left out,
and up to a clause that opens with ``after`` (a new statement: 「其中自然人10件，法人3件，办结
13件」).  Parts that make up the total before the list goes on are the list.  ``check``:

* ``parts``: the parts add up to more than the total, or, when they are all of it, to
  anything but the total: the text says so (``complete``: 分别为), or the parts name every
  category of one of the ``categories`` (lists of regular expressions, e.g. 自然人 and
  法人或其他组织: the applicants), each matched by the words before a part's figure;
* ``unit``: the total carries a 万 its parts deny: 「173769万条」 whose parts, 75656条 and
  98113条, add up to 173769 (this is ``unit``'s finding, not ``parts``').

Only a kind can add figures read out of a sentence.  Placeholders: ``{found}`` (the total
as written), ``{total}``, ``{sum}``, ``{parts}`` (the parts, 「12 + 60」), ``{intro}``,
``{unit}`` (the measure word), ``{relation}`` (超过 or 不等于).
"""
from __future__ import annotations

import re

from ..rule import Param
from ..regex_store import compiled
from . import _scan

_NUM = r"\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+"

PARAMS = {
    "check": Param(str, required=True, choices=("parts", "unit")),
    "statement": Param(
        str, regex=True,
        default=(
            r"(?=[\d一二两三四五六七八九十])(?<![\d.一二两三四五六七八九十百千第])(?P<n>" + _NUM + r")\s*(?P<wan>万)?\s*"
            r"(?P<unit>[条件个篇期次项份场])[，,：:\s]*(?P<intro>其中|包括|分别为|分别是)"
        ),
    ),
    "complete": Param(str, regex=True, default="分别"),
    "categories": Param(list, default=[]),
    "after": Param(
        str, regex=True,
        default=r"^\s*(?:办结|答复|受理|收到|办理|发布|公开|制发|废止|开展|召开|举办|组织|均|已|全部|累计|共|合计|同比|较|比|占|增长|增加|减少|下降|其余|另|此外|并|涉及)",
    ),
}
ARGS = ("found", "total", "sum", "parts", "intro", "unit", "relation")

_REACH = 200  # characters after the total where its parts can stand (a sentence, not a page)
_END = compiled(r"[。；;！？!?\n]")
_CLAUSE = compiled(r"[，,]")
_BRACKETS = compiled(r"[（(][^（）()]{0,80}[）)]")
_PART = compiled(
    r"(?=[\d一二两三四五六七八九十])(?<![\d.一二两三四五六七八九十百千第])(?P<n>" + _NUM + r")\s*(?P<wan>万)?\s*(?P<unit>[条件个篇期次项份场])"
)


def validate(params):
    for i, cats in enumerate(params["categories"] or []):
        if not isinstance(cats, list) or len(cats) < 2:
            yield "categories", f"categories 第{i + 1}项应是至少两个正则表达式的列表"
            continue
        for c in cats:
            try:
                re.compile(str(c))
            except re.error as e:
                yield "categories", f"categories 第{i + 1}项的正则表达式有误：{e}"
    missing = {"n", "unit", "intro"} - set(re.compile(params["statement"]).groupindex)
    if missing:
        yield "statement", f"statement 应含命名组 {'、'.join(sorted(missing))}"


def _value(n: str) -> float | None:
    from ..report import parse_count

    if n[0].isdigit():
        return float(n)
    v = parse_count(n)
    return None if v is None else float(v)


def _list_only(region: str, after) -> str:
    """The list of parts: ``region`` up to the first clause (after ，) that opens with ``after``,
    a new statement (「其中自然人10件，法人3件，办结13件」: 办结 is not a part)."""
    for c in _CLAUSE.finditer(region):
        if after.match(region, c.end()):
            return region[: c.start()]
    return region


def _show(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def check(rule, report):
    p = rule.params
    complete, after = compiled(p["complete"]), compiled(p["after"])
    hits = _scan.in_paragraphs(report, p["statement"])  # once for both checks
    for para in report.paragraphs if hits else ():
        text = para.text
        for m in hits.get(text, ()):
            total = _value(m.group("n"))
            if total is None:
                continue
            stop = min(len(text), m.end() + _REACH)
            end = _END.search(text, m.end(), stop)
            region = _BRACKETS.sub(lambda b: " " * len(b.group(0)), text[m.end(): end.start() if end else stop])
            region = _list_only(region, after)
            parts, labels, label_start = [], [], 0
            for q in _PART.finditer(region):
                v = _value(q.group("n"))
                if q.group("unit") == m.group("unit") and v is not None:
                    parts.append((v * (10000 if q.group("wan") else 1), q.group(0)))
                    labels.append(region[label_start: q.start()])
                label_start = q.end()
            if not parts:
                continue
            s = sum(v for v, _ in parts)
            scaled = total * (10000 if m.group("wan") else 1)
            running = 0.0
            for i, (v, _) in enumerate(parts[:-1]):  # the parts made up the total, the sentence went on
                running += v
                if abs(running - scaled) < 1e-9:
                    parts, s = parts[: i + 1], running
                    break
            wan_denied = bool(m.group("wan")) and len(parts) >= 2 and abs(s - total) < 1e-9
            if p["check"] == "unit":
                bad = wan_denied
            else:
                says_all = bool(complete.search(m.group("intro"))) or any(
                    all(any(compiled(str(c)).search(x) for x in labels) for c in cats) for cats in p["categories"] or []
                )
                bad = not wan_denied and (s > scaled + 1e-9 or (says_all and abs(s - scaled) > 1e-9))
            if bad:
                found = text[m.start(): m.start("unit") + 1]
                yield rule.at_text(
                    report, para, m.start(), m.start("unit") + 1, found=found,
                    total=_show(total) + ("万" if m.group("wan") else ""), sum=_show(s),
                    parts=" + ".join(_show(v) for v, _ in parts), intro=m.group("intro"), unit=m.group("unit"),
                    relation="超过" if s > scaled else "不等于",
                )
