"""Default output: ``path:line:col: severity: GX### message [location]``, one line a finding.

Columns are display columns (a CJK character counts 2, a tab moves to the next multiple of 8),
as the GNU standard, gcc, Emacs and Vim's ``%v`` expect, so an editor lands on the right
character.  With ``color`` the path, severity and rule id are coloured (ANSI), as Ruff does;
:func:`use_color` decides it for a stream (``NO_COLOR``, ``FORCE_COLOR``, a terminal).
"""
from __future__ import annotations

import os

from . import CATEGORY_LABELS, SEVERITY_LABELS, error_message, shown

COLORS = {"error": "\x1b[31;1m", "warning": "\x1b[33;1m", "info": "\x1b[36m"}
BOLD, RULE, RESET = "\x1b[1m", "\x1b[35m", "\x1b[0m"


def use_color(stream) -> bool:
    """Colour for ``stream``: never with NO_COLOR (https://no-color.org), always with FORCE_COLOR
    (not 0), else only on a terminal."""
    if os.environ.get("NO_COLOR"):
        return False
    force = os.environ.get("FORCE_COLOR")
    if force is not None and force not in ("", "0", "false"):
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def write(results, out, rules=(), color: bool = False) -> None:
    def paint(code: str, text: str) -> str:
        return f"{code}{text}{RESET}" if color else text

    for r in results:
        if r.error is not None:
            out.write(f"{paint(BOLD, shown(r.path))}: {paint(COLORS['error'], 'error')}: {r.error.code} {error_message(r)}\n")
            continue
        for f in r.findings:
            loc = f" [{f.location}]" if f.location else ""
            out.write(f"{paint(BOLD, shown(r.path))}:{f.line}:{f.shown_column}: "
                      f"{paint(COLORS[f.severity], f.severity)}: {paint(RULE, f.rule)} {f.message}{loc}\n")
        if r.audit is not None:
            write_audit(r, out)


def write_statistics(results, out, rules=()) -> None:
    """--statistics: one line per rule (and per input error code), most frequent first, as Ruff:
    count, rule, severity, category and the rule's Chinese name (its doc.title)."""
    from collections import Counter

    titles = {r.id: r.title for r in rules}
    counts = Counter()
    info = {}
    for r in results:
        if r.error is not None:
            counts[r.error.code] += 1
            info[r.error.code] = ("错误", "无法读取", "文件无法读取")
            continue
        for f in r.findings:
            counts[f.rule] += 1
            info[f.rule] = (SEVERITY_LABELS[f.severity], CATEGORY_LABELS.get(f.category, f.category),
                            titles.get(f.rule, f.message))
    for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        sev, cat, what = info[key]
        out.write(f"{n:>5}  {key}  {sev}  {cat}  {what}\n")


def write_audit(r, out) -> None:
    """--audit: every rule's status for this file, after its findings."""
    from ..audit import STATUS_LABELS

    counts = {s: sum(1 for a in r.audit if a.status == s) for s in STATUS_LABELS}
    out.write(f"{shown(r.path)}: 检查情况：" + "，".join(f"{STATUS_LABELS[s]} {n}" for s, n in counts.items()) + "\n")
    write_audit_entries(r.path, r.audit, out)


def write_audit_entries(path: str, entries, out) -> None:
    """One line per audit entry (a rule's status for the file at ``path``)."""
    from ..audit import STATUS_LABELS

    for a in entries:
        detail = f"（{a.findings} 处）" if a.findings else f"：{a.reason}" if a.reason else ""
        out.write(f"{shown(path)}: {a.rule} {a.title or a.name} {STATUS_LABELS[a.status]}{detail}\n")


def summary(files: int, counts: dict, broken: int, baselined: int = 0, written: bool = False) -> str:
    """The closing line: how many files, findings by severity (``counts``), unreadable files;
    ``baselined`` findings were not shown because a baseline holds them, or (``written``) because
    they were all written to one."""
    total = sum(counts.values())
    parts = [f"检查了 {files} 个文件"]
    if written:
        parts.append("发现的问题已全部写入基线，未逐条显示" if baselined else "未发现问题，写入的基线为空")
    elif total:
        parts.append(f"发现 {total} 个{'新' if baselined else ''}问题（错误 {counts.get('error', 0)}，"
                     f"警告 {counts.get('warning', 0)}，提示 {counts.get('info', 0)}）")
    else:
        parts.append("未发现基线以外的新问题" if baselined else "未发现问题")
    if broken:
        parts.append(f"{broken} 个文件无法读取")
    return "，".join(parts) + "。"
