"""Rule documentation, generated from the rule files (``gxlint rules --explain``, docs/rules/)."""
from __future__ import annotations


def explain(rule) -> str:
    d = rule.doc
    lines = [
        f"{rule.id} {rule.name}",
        f"类别：{rule.category}    默认严重程度：{rule.default_severity}    检查类型：{rule.kind}",
        "",
        d.get("summary", ""),
        "",
        f"提示信息：{rule.message}",
    ]
    if d.get("source"):
        lines += ["", f"依据：{d['source']}"]
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

    out = [
        f"# {rule.id} {rule.name}",
        "",
        f"- Category: `{rule.category}`",
        f"- Default severity: `{rule.default_severity}`",
        f"- Kind: `{rule.kind}`",
        f"- Defined in: `rules/{rule.file.replace(chr(92), '/').rsplit('/', 1)[-1]}`",
        "",
        d.get("summary", ""),
        "",
        f"Message: {rule.message}",
        "",
        f"Source: {d.get('source', '')}",
        "",
        "## Triggers",
        "",
        *block(d.get("triggers", "")),
        "",
        "## Does not trigger",
        "",
        *block(d.get("passes", "")),
        "",
    ]
    return "\n".join(out)
