"""``--audit``: what was checked in one report, rule by rule.

Each rule gets a status: ``pass`` (checked, nothing found), ``fail`` (with how
many findings) or ``not assessable`` with the reason (「未识别到表格三：收到和处理
政府信息公开申请情况」).  Silence then always means "checked and fine": a rule
whose table, part, title year, signature or last year's report is missing is
never counted as passed.  (The missing table or part itself is a finding of
GX010 / GX001.)

What a rule needs is read from its parameters (``table``, ``tables``,
``statements[].cell.table``, ``section``) and from its kind's declaration (``NEEDS``, and
``reason`` where the kind says more: gxlint.kinds).
"""
from __future__ import annotations

from dataclasses import dataclass

PASS, FAIL, NOT_ASSESSABLE = "pass", "fail", "not assessable"
STATUS_LABELS = {PASS: "通过", FAIL: "未通过", NOT_ASSESSABLE: "无法判断"}


@dataclass
class AuditEntry:
    rule: str
    name: str  # the English slug (stable, for scripts)
    status: str
    reason: str = ""
    findings: int = 0
    title: str = ""  # the Chinese name a reader sees (「表格三各行总计」)

    def as_dict(self) -> dict:
        return {"rule": self.rule, "name": self.name, "title": self.title or self.name, "status": self.status,
                "reason": self.reason, "findings": self.findings}


def named_tables(params) -> list[str]:
    """The table ids a rule's parameters name: ``table``, ``tables``, ``statements[].cell.table``."""
    out = []
    if isinstance(params.get("table"), str):
        out.append(params["table"])
    out += [t for t in params.get("tables") or [] if isinstance(t, str)]
    for st in params.get("statements") or []:
        cells = st.get("cell") if isinstance(st, dict) else None
        for c in cells if isinstance(cells, list) else [cells]:
            if isinstance(c, dict) and isinstance(c.get("table"), str):
                out.append(c["table"])
    return list(dict.fromkeys(out))


def missing_tables(report, wanted: list[str]) -> list:
    """The specs of the format's tables among ``wanted`` (ids) that the report lacks."""
    specs = {t.id: t for t in report.fmt.tables}
    return [specs[t] for t in wanted if t in specs and t not in report.tables]


def tables_reason(missing: list) -> str:
    return "、".join(f"未识别到表格{t.section}：{t.name}" for t in missing)


def missing_parts(rule, report) -> str:
    """Why ``rule`` cannot judge ``report`` for want of what its parameters name: a table
    (:func:`named_tables`) or the part ``section``; "" when nothing is missing."""
    missing = missing_tables(report, named_tables(rule.params))
    if missing:
        return tables_reason(missing)
    section = rule.params.get("section")
    if isinstance(section, str) and not any(h.section.number == section for h in report.headings):
        title = next((s.title for s in report.fmt.sections if s.number == section), "")
        return f"未识别到第{section}部分「{title}」"
    return ""


def unread_figures(rule, report) -> str:
    """Why a rule computing with the figures of the tables it reads (need ``figures``) cannot
    judge them: a table of them has rows that could not be read (GX028), or no number at all;
    "" when every such table was read whole."""
    for t in named_tables(rule.params) or list(report.tables):
        lt = report.tables.get(t)
        if lt is None:
            continue
        if lt.unread_rows:
            rows = "、".join(f"第{r.number}行" for r in lt.unread_rows[:3]) + ("等" if len(lt.unread_rows) > 3 else "")
            return f"表格{lt.spec.section}{rows}无法按格式的列可靠读取（GX028），未做计算核对"
        if not any(row.values for row in lt.rows.values()):
            return f"表格{lt.spec.section}没有可读取的数字"
    return ""


def reason(rule, report) -> str:
    """Why `rule` cannot judge `report`, or "" when it can: the report is not one, or not of the
    rule's years, what the kind says (its ``reason``, else :func:`missing_parts`), or what its kind
    needs (gxlint.kinds; for ``figures``, :func:`unread_figures`)."""
    from . import kinds

    kind = kinds.load(rule.kind)
    needs = getattr(kind, "NEEDS", ())
    if not report.is_report and "not_report" not in needs:
        return "不像年度报告（无报告标题、格式规定的部分和表格），已跳过"
    if not rule.applies_to(report.year):
        return f"只适用于{rule.years()}的报告（本报告为{report.year}年度）"
    why = getattr(kind, "reason", missing_parts)(rule, report)
    if why:
        return why
    if "figures" in needs and (why := unread_figures(rule, report)):
        return why
    for need in needs:
        if need != "not_report" and not kinds.has(report, need, judged=True):
            return kinds.NEEDS[need][1]
    return ""


def audit(rules, report, findings) -> list[AuditEntry]:
    from .engine import exclusive

    alone = exclusive(rules, report)
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.rule] = counts.get(f.rule, 0) + 1
    out = []
    for r in rules:
        n = counts.get(r.id, 0)
        if n:
            out.append(AuditEntry(r.id, r.name, FAIL, findings=n, title=r.title))
            continue
        why = "报告模板尚未填写，未做其他检查" if alone and r not in alone else reason(r, report)
        out.append(AuditEntry(r.id, r.name, NOT_ASSESSABLE if why else PASS, why, title=r.title))
    return out
