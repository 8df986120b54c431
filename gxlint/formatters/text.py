"""Default output: ``path:line:col: severity: GX### message [location]``, one line a finding.

Columns are display columns (a CJK character counts 2), as the GNU standard,
gcc, Emacs and Vim's ``%v`` expect, so an editor lands on the right character.
"""
from __future__ import annotations

from . import error_message, shown


def write(results, out, rules=()) -> None:
    for r in results:
        if r.error is not None:
            out.write(f"{shown(r.path)}: error: {r.error.code} {error_message(r)}\n")
            continue
        for f in r.findings:
            loc = f" [{f.location}]" if f.location else ""
            out.write(f"{shown(r.path)}:{f.line}:{f.display_column or f.column}: {f.severity}: {f.rule} {f.message}{loc}\n")
        if r.audit is not None:
            write_audit(r, out)


def write_audit(r, out) -> None:
    """--audit: every rule's status for this file, after its findings."""
    from ..audit import STATUS_LABELS

    counts = {s: sum(1 for a in r.audit if a.status == s) for s in STATUS_LABELS}
    out.write(f"{shown(r.path)}: 检查情况：" + "，".join(f"{STATUS_LABELS[s]} {n}" for s, n in counts.items()) + "\n")
    for a in r.audit:
        detail = f"（{a.findings} 处）" if a.findings else f"：{a.reason}" if a.reason else ""
        out.write(f"{shown(r.path)}: {a.rule} {a.name} {STATUS_LABELS[a.status]}{detail}\n")


def summary(results) -> str:
    counts = {"error": 0, "warning": 0, "info": 0}
    for r in results:
        for f in r.findings:
            counts[f.severity] += 1
    broken = sum(1 for r in results if r.error is not None)
    total = sum(counts.values())
    parts = [f"检查了 {len(results)} 个文件"]
    if total:
        parts.append(f"发现 {total} 个问题（错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['info']}）")
    else:
        parts.append("未发现问题")
    if broken:
        parts.append(f"{broken} 个文件无法读取")
    return "，".join(parts) + "。"
