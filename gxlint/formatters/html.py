"""``--report summary.html``: one self-contained page for a reviewer (no network, no script).

Totals; a chart of findings by category (inline SVG); a table of reports ×
categories, worst first, each report linking to its findings; the most
frequent rules; then every report's findings.
"""
from __future__ import annotations

from collections import Counter
from html import escape

from . import CATEGORY_LABELS, SEVERITY_LABELS, error_message, shown

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;
margin:2em auto;max-width:1100px;color:#222;line-height:1.5;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:1.8em;border-bottom:1px solid #ddd}
.totals{display:flex;gap:1em;flex-wrap:wrap}.totals div{background:#f5f5f5;border-radius:6px;padding:.6em 1em}
.totals b{display:block;font-size:1.6em}
table{border-collapse:collapse;width:100%;font-size:.92em}th,td{border:1px solid #ddd;padding:.3em .5em;text-align:left}
th{background:#f0f3f7}td.n{text-align:right}td.z{color:#bbb;text-align:right}
.error{color:#b00020}.warning{color:#a65e00}.info{color:#2a5db0}.broken{background:#fff0f0}
code{background:#f5f5f5;padding:0 .2em}
"""


def _chart(counts: Counter) -> str:
    """Horizontal bars, one per category with findings, as inline SVG."""
    items = [(c, counts[c]) for c in CATEGORY_LABELS if counts.get(c)] + \
            [(c, n) for c, n in counts.items() if c not in CATEGORY_LABELS]
    if not items:
        return "<p>没有发现问题。</p>"
    top = max(n for _, n in items)
    bar_h, gap, left, width = 26, 8, 110, 560
    height = len(items) * (bar_h + gap) + gap
    parts = [f'<svg id="chart" role="img" aria-label="按类别统计的问题数" width="{left + width + 60}" '
             f'height="{height}" xmlns="http://www.w3.org/2000/svg" font-size="14">']
    for i, (cat, n) in enumerate(items):
        y = gap + i * (bar_h + gap)
        w = max(2, round(width * n / top))
        label = escape(CATEGORY_LABELS.get(cat, cat))
        parts.append(f'<text x="{left - 8}" y="{y + bar_h * 0.7:.0f}" text-anchor="end">{label}</text>'
                     f'<rect class="bar" data-category="{escape(cat)}" x="{left}" y="{y}" width="{w}" '
                     f'height="{bar_h}" fill="#3b6fb6"><title>{label}：{n}</title></rect>'
                     f'<text x="{left + w + 6}" y="{y + bar_h * 0.7:.0f}">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


def write(results, out, rules=()) -> None:
    """The page, in two passes over ``results`` (a batch's results are read back from disk): the
    totals and tables from a few counts per report, then each report's findings."""
    from .. import __version__

    names = {r.id: r.title for r in rules}
    cats, sev, rule_counts, rule_files = Counter(), Counter(), Counter(), Counter()
    rows = []  # per report, compact: (badness and path, anchor, error line or None, (errors, warnings), categories)
    for i, r in enumerate(results, 1):
        s = Counter(f.severity for f in r.findings)
        c = Counter(f.category for f in r.findings)
        cats.update(c)
        sev.update(s)
        rule_counts.update(f.rule for f in r.findings)
        rule_files.update({f.rule for f in r.findings})
        error = f"{escape(r.error.code)} {escape(error_message(r))}" if r.error is not None else None
        rows.append(((r.error is None, -s["error"], -s["warning"], -s["info"], r.path), i, error,
                     (s["error"], s["warning"]), tuple(c.items())))
    columns = [c for c in CATEGORY_LABELS if cats.get(c)] + sorted(c for c in cats if c not in CATEGORY_LABELS)
    broken = sum(1 for row in rows if row[2] is not None)
    h = ['<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
         '<meta name="viewport" content="width=device-width, initial-scale=1">',
         f"<title>gxlint 检查汇总</title><style>{CSS}</style></head><body>",
         "<h1>政府信息公开工作年度报告检查汇总</h1>",
         f"<p>由 gxlint {escape(__version__)} 生成。</p>",
         '<div class="totals">',
         f"<div><b>{len(rows)}</b>份报告</div>",
         f"<div><b>{sum(1 for row in rows if row[2] is None and not row[4])}</b>份未发现问题</div>",
         f'<div class="error"><b>{sev["error"]}</b>个错误</div>',
         f'<div class="warning"><b>{sev["warning"]}</b>个警告</div>',
         f'<div class="info"><b>{sev["info"]}</b>个提示</div>',
         f'<div class="error"><b>{broken}</b>份无法读取</div>',
         "</div>",
         "<h2>按类别统计</h2>", _chart(cats),
         "<h2>各报告问题数（问题最多的在前）</h2>",
         '<table id="reports"><thead><tr><th>报告</th><th>错误</th><th>警告</th>'
         + "".join(f"<th>{escape(CATEGORY_LABELS.get(c, c))}</th>" for c in columns) + "</tr></thead><tbody>"]
    for (*_, path), i, error, (errors, warnings), c in sorted(rows, key=lambda row: row[0]):
        link = f'<a href="#f{i}">{escape(shown(path))}</a>'
        if error is not None:
            h.append(f'<tr class="broken"><td>{link}</td><td colspan="{2 + len(columns)}">无法读取：{error}</td></tr>')
            continue
        c = dict(c)
        cells = "".join(f'<td class="{"n" if c.get(x) else "z"}">{c.get(x, 0)}</td>' for x in columns)
        h.append(f'<tr><td>{link}</td><td class="{"n error" if errors else "z"}">{errors}</td>'
                 f'<td class="{"n warning" if warnings else "z"}">{warnings}</td>{cells}</tr>')
    del rows
    h.append("</tbody></table>")
    h.append("<h2>最常见的问题</h2>")
    if rule_counts:
        h.append('<table id="rules"><thead><tr><th>规则</th><th>说明</th><th>次数</th><th>涉及报告</th></tr></thead><tbody>')
        for rule, n in sorted(rule_counts.items(), key=lambda kv: (-kv[1], kv[0]))[:15]:
            h.append(f"<tr><td><code>{escape(rule)}</code></td><td>{escape(names.get(rule, ''))}</td>"
                     f'<td class="n">{n}</td><td class="n">{rule_files[rule]}</td></tr>')
        h.append("</tbody></table>")
    else:
        h.append("<p>没有发现问题。</p>")
    h.append("<h2>逐份报告</h2>")
    out.write("\n".join(h) + "\n")
    for i, r in enumerate(results, 1):
        h = [f'<h3 id="f{i}">{escape(shown(r.path))}</h3>']
        if r.error is not None:
            h.append(f'<p class="error">无法读取：{escape(r.error.code)} {escape(error_message(r))}</p>')
        elif not r.findings:
            h.append("<p>未发现问题。</p>")
        else:
            h.append("<table><thead><tr><th>位置</th><th>严重程度</th><th>规则</th><th>说明</th></tr></thead><tbody>")
            for f in r.findings:
                where = f"{f.line}:{f.shown_column}" + (f"（{escape(f.location)}）" if f.location else "")
                h.append(f'<tr><td>{where}</td><td class="{f.severity}">{SEVERITY_LABELS[f.severity]}</td>'
                         f"<td><code>{escape(f.rule)}</code></td><td>{escape(f.message)}</td></tr>")
            h.append("</tbody></table>")
        out.write("\n".join(h) + "\n")
    out.write("</body></html>\n")
