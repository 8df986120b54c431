"""Rule documentation, generated from the rule files (``gxlint rules --explain``, docs/rules/)."""
from __future__ import annotations


def _labels(rule) -> tuple[str, str]:
    """The rule's category and default severity as a reader sees them (表格计算, 错误)."""
    from .formatters import CATEGORY_LABELS, SEVERITY_LABELS

    return (CATEGORY_LABELS.get(rule.category, rule.category),
            SEVERITY_LABELS.get(rule.default_severity, rule.default_severity))


def explain(rule) -> str:
    """``gxlint rules --explain``: the Chinese name and description first, the English summary after."""
    d = rule.doc
    category, severity = _labels(rule)
    lines = [
        f"{rule.id} {rule.title}",
        f"类别：{category}（{rule.category}）；默认严重程度：{severity}（{rule.default_severity}）；"
        f"检查类型：{rule.kind}；英文代号：{rule.name}",
        "",
        *([rule.description, ""] if rule.description else []),
        *(["English summary (for developers):", "    " + str(d["summary"]).strip(), ""] if d.get("summary") else []),
        f"提示信息：{rule.message}",
    ]
    if rule.years():
        lines += ["", f"适用于：{rule.years()}的报告（其他年度的报告不做这项检查）"]
    if d.get("source"):
        lines += ["", f"依据：{d['source']}"]
    if d.get("previous"):
        lines += ["", "上年报告（--previous）：", *("    " + x for x in str(d["previous"]).rstrip("\n").split("\n"))]
    if d.get("other"):
        lines += ["", "同时检查的另一份报告：", *("    " + x for x in str(d["other"]).rstrip("\n").split("\n"))]
    if d.get("triggers"):
        lines += ["", "会报告：", *("    " + x for x in str(d["triggers"]).rstrip("\n").split("\n"))]
    if d.get("passes"):
        lines += ["", "不会报告：", *("    " + x for x in str(d["passes"]).rstrip("\n").split("\n"))]
    return "\n".join(lines)


def markdown(rule) -> str:
    """One page of docs/rules/ for a rule."""
    d = rule.doc

    def block(text):
        return ["```text", str(text).rstrip("\n"), "```"]

    category, severity = _labels(rule)
    out = [
        f"# {rule.id} {rule.title}",
        "",
        *([rule.description, ""] if rule.description else []),
        f"- 类别 Category：{category}（`{rule.category}`）",
        f"- 默认严重程度 Default severity：{severity}（`{rule.default_severity}`）",
        f"- 英文代号 Name：`{rule.name}`",
        f"- 检查类型 Kind：`{rule.kind}`",
        f"- 定义于 Defined in：`rules/{rule.file.replace(chr(92), '/').rsplit('/', 1)[-1]}`",
        *([f"- 适用年度 Report years：{rule.years()}的报告"] if rule.years() else []),
        "",
        f"提示信息：{rule.message}",
        "",
        f"依据：{d.get('source', '')}",
        "",
        *(["## 上年报告（`--previous`）", "", *block(d["previous"]), ""] if d.get("previous") else []),
        *(["## 同批检查的另一份报告", "", *block(d["other"]), ""] if d.get("other") else []),
        "## 会报告",
        "",
        *block(d.get("triggers", "")),
        "",
        "## 不会报告",
        "",
        *block(d.get("passes", "")),
        "",
        "## For developers",
        "",
        d.get("summary", ""),
        "",
    ]
    return "\n".join(out)


def write_all(folder) -> list:
    """Write docs/rules/GX###.md and docs/rules/README.md (the index) for the built-in pack."""
    from pathlib import Path

    from .engine import builtin_rule_dir, load_pack, rule_files

    rules = sorted(load_pack(rule_files([builtin_rule_dir()]))[0], key=lambda r: r.id)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    index = ["# 规则一览 Rules", "", "| 编号 | 名称 | 类别 | 严重程度 | 检查什么 |", "|---|---|---|---|---|"]
    for r in rules:
        page = folder / f"{r.id}.md"
        page.write_text(markdown(r), encoding="utf-8")
        written.append(page)
        category, severity = _labels(r)
        index.append(f"| [{r.id}]({r.id}.md) | {r.title} | {category} | {severity} | {r.description.replace('|', '｜')} |")
    (folder / "README.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    written.append(folder / "README.md")
    return written


if __name__ == "__main__":  # python -m gxlint.docs [folder]
    import sys

    for p in write_all(sys.argv[1] if len(sys.argv) > 1 else "docs/rules"):
        print(p)
