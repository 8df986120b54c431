"""``--audit``: what was checked in one report, rule by rule.

Each rule gets a status: ``pass`` (checked, nothing found), ``fail`` (with how
many findings) or ``not assessable`` with the reason (「未识别到表格三：收到和处理
政府信息公开申请情况」).  Silence then always means "checked and fine": a rule
whose table, part, title year, signature or last year's report is missing is
never counted as passed.  (The missing table or part itself is a finding of
GX010 / GX001.)

What a rule needs is read from its parameters (``table``, ``tables``,
``statements[].cell.table``, ``section``) and from its kind (below).
"""
from __future__ import annotations

from dataclasses import dataclass

from .rule import kind_module

PASS, FAIL, NOT_ASSESSABLE = "pass", "fail", "not assessable"
STATUS_LABELS = {PASS: "通过", FAIL: "未通过", NOT_ASSESSABLE: "无法判断"}

# What each kind needs beyond the tables and parts named in its parameters.
KIND_NEEDS = {
    "year_over_year": ("previous",),
    "repeated_text": ("previous",),
    "shared_text": ("others",),
    "signature_date": ("year", "signature"),
    "issuer": ("issuer",),
    "period": ("year",),
    "report_year": ("year",),
    "superseded": ("year",),
    "cell_values": ("any_table",),
    "cell_text": ("any_table",),
    "title_form": ("title",),
}


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


def _tables(rule) -> list[str]:
    p = rule.params
    if rule.kind == "table_labels" and p.get("check") == "missing_table":
        return []  # this rule is what reports a missing table
    out = []
    if isinstance(p.get("table"), str):
        out.append(p["table"])
    out += [t for t in p.get("tables") or [] if isinstance(t, str)]
    if rule.kind == "table_labels" and not out:
        out = ["*"]  # every table of the format
    for st in p.get("statements") or []:
        cells = st.get("cell") if isinstance(st, dict) else None
        for c in cells if isinstance(cells, list) else [cells]:
            if isinstance(c, dict) and isinstance(c.get("table"), str):
                out.append(c["table"])
    return list(dict.fromkeys(out))


def reason(rule, report) -> str:
    """Why `rule` cannot judge `report`, or "" when it can."""
    if not report.is_report and rule.kind != "not_report":
        return "不像年度报告（无报告标题、格式规定的部分和表格），已跳过"
    if not rule.applies_to(report.year):
        return f"只适用于{rule.years()}的报告（本报告为{report.year}年度）"
    specs = {t.id: t for t in report.fmt.tables}
    wanted = _tables(rule)
    if wanted == ["*"]:
        wanted = list(specs)
    missing = [specs[t] for t in wanted if t in specs and t not in report.tables]
    if missing and (rule.kind != "table_labels" or len(missing) == len(wanted)):
        return "、".join(f"未识别到表格{t.section}：{t.name}" for t in missing)
    if "figures" in getattr(kind_module(rule.kind), "NEEDS", ()):
        for t in (wanted or list(report.tables)):
            lt = report.tables.get(t)
            if lt is None:
                continue
            if lt.unread_rows:
                rows = "、".join(f"第{r.number}行" for r in lt.unread_rows[:3]) + ("等" if len(lt.unread_rows) > 3 else "")
                return f"表格{lt.spec.section}{rows}无法按格式的列可靠读取（GX028），未做计算核对"
            if not any(row.values for row in lt.rows.values()):
                return f"表格{lt.spec.section}没有可读取的数字"
    section = rule.params.get("section")
    if isinstance(section, str) and not any(h.section.number == section for h in report.headings):
        title = next((s.title for s in report.fmt.sections if s.number == section), "")
        return f"未识别到第{section}部分「{title}」"
    for need in KIND_NEEDS.get(rule.kind, ()):
        if need == "previous" and report.previous is None:
            return "未提供上年报告（--previous 或配置项 previous:）"
        if need == "others" and report.others is None:
            return "只在同时检查多份报告（如一个文件夹）时与其他报告比较"
        if need == "title" and report.title is None:
            return "未识别到报告标题"
        if need == "year" and report.year is None:
            return "未从标题或统计期限识别出报告年度"
        if need == "issuer" and not report.issuer():
            return "未识别出发布机关（标题、落款和正文均未写明）"
        if need == "signature" and report.signature() is None:
            return "未找到落款日期"
        if need == "any_table" and not report.tables:
            return "未识别到格式规定的任何表格"
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
