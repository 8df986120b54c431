"""``prose_sum``: a total stated in the prose and its parts (其中, 含, 包括, 分别为).

Reports break a figure down in words: 「主动公开政府信息72条，其中政策文件12条、工作动态
60条」, 「公开发布信息121条，含规范性文件2件、…」, 「共公开信息300条（其中政策文件120条、…）」,
or in the next sentence, 「…162条。其中，…」.  ``statement`` finds the total and the word that
opens its parts (groups ``n``, the total; ``wan``, a 万 after it; ``unit``, its measure word;
``intro``, the opening word; ``open``, a bracket the parts stand in); the parts are the figures
after it whose measure word counts the same things (``units``: for a total in 条, parts in 条,
篇 or 件 — a 规范性文件 counted in 件 is one of the 条 of information), up to the end of the
sentence or clause (``；``, at most 200 characters) or, for parts in brackets, to the closing
bracket; figures in brackets inside the list are left out, and the list ends at a clause that
opens with ``after`` (a new statement: 「其中自然人10件，法人3件，办结13件」).  Parts that make up
the total before a new clause (after ，) goes on are the list; the items of one list (after 、)
all count.  ``check``:

* ``parts``: the parts add up to more than the total, or, when they are all of it, to
  anything but the total.  They are all of it when the text says so (``complete``: 分别为),
  when one part is the rest (``rest``: 其他信息33条, 其余…), or when the parts name every
  category of one of the ``categories`` (lists of regular expressions, e.g. 自然人 and
  法人或其他组织: the applicants), each matched by the words before a part's figure.  A list
  that says it is partial (``partial``: 主要包括, …等) is held to the excess only;
* ``unit``: the total carries a 万 its parts deny: 「173769万条」 whose parts, 75656条 and
  98113条, add up to 173769 (this is ``unit``'s finding, not ``parts'``).  The parts may
  follow without an opening word, in the next sentences of the paragraph (``wan_statement``
  finds such a total): two or more plain counts in a row that add up exactly to the number
  written before 万 (of at least ``wan_min``) tell that the 万 is wrong.

A paragraph broken over lines by a PDF or a web page is read whole (``_text.joined``).
Only a kind can add figures read out of a sentence.  Placeholders: ``{found}`` (the total
as written), ``{total}``, ``{sum}``, ``{parts}`` (the parts, 「12 + 60」), ``{intro}``,
``{unit}`` (the measure word), ``{relation}`` (超过 or 不等于).
"""
from __future__ import annotations

import re

from ..rule import Param
from ..regex_store import compiled
from . import _scan
from ._text import at_joined, joined

_NUM = r"\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+"
_FIGURE = r"(?=[\d一二两三四五六七八九十])(?<![\d.一二两三四五六七八九十百千第])(?P<n>" + _NUM + r")"

PARAMS = {
    "check": Param(str, required=True, choices=("parts", "unit")),
    "statement": Param(
        str, regex=True,
        default=(
            _FIGURE + r"\s*(?P<wan>万)?\s*(?P<unit>[条件个篇期次项份场])"
            r"(?:[，,：:。\s]*|\s*(?P<open>[（(])\s*)(?P<intro>其中|(?:主要)?包括|包含|含|分别为|分别是)"
        ),
    ),
    "wan_statement": Param(str, regex=True, default=_FIGURE + r"\s*(?P<wan>万)\s*(?P<unit>[条件个篇期次项份场])"),
    "wan_min": Param(int, default=100),
    "units": Param(dict, default={"条": "条篇件", "篇": "篇条"}),
    "complete": Param(str, regex=True, default="分别"),
    "partial": Param(str, regex=True, default=r"^主要|等\s*$"),
    "rest": Param(str, regex=True, default=r"(?:^|[，,、；;：:\s])(?:其他|其它|其余)(?:各类|类|的)?(?:政府|政务)?(?:信息|内容|事项|类)?$"),
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
_PART = compiled(_FIGURE + r"\s*(?P<wan>万)?\s*(?P<unit>[条件个篇期次项份场])")
_CLOSE = compiled(r"[）)]")


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
    missing = {"n", "wan", "unit"} - set(re.compile(params["wan_statement"]).groupindex)
    if missing:
        yield "wan_statement", f"wan_statement 应含命名组 {'、'.join(sorted(missing))}"
    for unit, accepted in (params["units"] or {}).items():
        if not isinstance(accepted, str) or unit not in accepted:
            yield "units", f"units 中「{unit}」对应的应是含「{unit}」本身的量词字符串"


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


def _region(text: str, m, after) -> str:
    """Where the parts of the total ``m`` stand: to the closing bracket when they stand in brackets,
    else to the end of the sentence (brackets inside blanked), up to a new statement."""
    if m.groupdict().get("open"):
        close = _CLOSE.search(text, m.end(), m.end() + _REACH)
        return text[m.end(): close.start()] if close else ""
    stop = min(len(text), m.end() + _REACH)
    end = _END.search(text, m.end(), stop)
    region = _BRACKETS.sub(lambda b: " " * len(b.group(0)), text[m.end(): end.start() if end else stop])
    return _list_only(region, after)


def _parts(region: str, accepted: str) -> tuple[list[float], list[str]]:
    """The figures of ``region`` in one of the ``accepted`` measure words, and the words before each."""
    values, labels, label_start = [], [], 0
    for q in _PART.finditer(region):
        v = _value(q.group("n"))
        if q.group("unit") in accepted and v is not None:
            values.append(v * (10000 if q.group("wan") else 1))
            labels.append(region[label_start: q.start()])
        label_start = q.end()
    return values, labels


def check(rule, report):
    if rule.params["check"] == "unit":
        yield from _check_unit(rule, report)
        return
    p = rule.params
    complete, partial, rest, after = (compiled(p[k]) for k in ("complete", "partial", "rest", "after"))
    for block in joined(report):
        text = block.text
        for m in _scan.finditer(report, p["statement"], text):
            total = _value(m.group("n"))
            if total is None:
                continue
            region = _region(text, m, after)
            parts, labels = _parts(region, (p["units"] or {}).get(m.group("unit"), m.group("unit")))
            if not parts:
                continue
            s = sum(parts)
            if m.group("wan") and len(parts) >= 2 and abs(s - total) < 1e-9:
                continue  # a 万 the parts deny: the unit check's
            scaled = total * (10000 if m.group("wan") else 1)
            running = 0.0
            for i, v in enumerate(parts[:-1]):  # the parts made up the total, a new clause went on
                running += v
                if abs(running - scaled) < 1e-9 and labels[i + 1].lstrip()[:1] in "，,；;":
                    parts, labels, s = parts[: i + 1], labels[: i + 1], running
                    break
            says_all = bool(complete.search(m.group("intro"))) or any(rest.search(x.strip()) for x in labels) or any(
                all(any(compiled(str(c)).search(x) for x in labels) for c in cats) for cats in p["categories"] or []
            )
            if partial.search(m.group("intro")) or partial.search(region.rstrip(" ，,。")):
                says_all = False
            if s > scaled + 1e-9 or (says_all and abs(s - scaled) > 1e-9):
                yield at_joined(
                    rule, report, block, m.start(), m.start("unit") + 1, found=text[m.start(): m.start("unit") + 1],
                    total=_show(total) + ("万" if m.group("wan") else ""), sum=_show(s), parts=" + ".join(_show(v) for v in parts),
                    intro=m.group("intro"), unit=m.group("unit"), relation="超过" if s > scaled else "不等于",
                )


def _check_unit(rule, report):
    """A total in 万 whose parts, plain counts following it in the paragraph, add up to its number."""
    p = rule.params
    for block in joined(report):
        text = block.text
        for m in _scan.finditer(report, p["wan_statement"], text):
            total = _value(m.group("n"))
            if total is None or total < p["wan_min"] or not float(total).is_integer():
                continue
            running, parts = 0.0, []
            for q in _PART.finditer(text, m.end(), min(len(text), m.end() + _REACH)):
                v = _value(q.group("n"))
                if q.group("unit") != m.group("unit") or q.group("wan") or v is None:
                    continue
                running += v
                parts.append(v)
                if running >= total - 1e-9:
                    break
            if len(parts) < 2 or abs(running - total) > 1e-9:
                continue
            yield at_joined(
                rule, report, block, m.start(), m.start("unit") + 1, found=text[m.start(): m.start("unit") + 1],
                total=_show(total) + "万", sum=_show(running), parts=" + ".join(_show(v) for v in parts),
                intro="", unit=m.group("unit"), relation="不等于",
            )
