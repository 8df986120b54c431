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
        *(["## Last year's report (`--previous`)", "", *block(d["previous"]), ""] if d.get("previous") else []),
        *(["## Another report of the same batch", "", *block(d["other"]), ""] if d.get("other") else []),
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


def write_all(folder) -> list:
    """Write docs/rules/GX###.md and docs/rules/README.md (the index) for the built-in pack."""
    from pathlib import Path

    from .engine import builtin_rule_dir, load_pack, rule_files

    rules = sorted(load_pack(rule_files([builtin_rule_dir()]))[0], key=lambda r: r.id)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    index = ["# Rules", "", "| id | name | category | severity | what it checks |", "|---|---|---|---|---|"]
    for r in rules:
        page = folder / f"{r.id}.md"
        page.write_text(markdown(r), encoding="utf-8")
        written.append(page)
        index.append(f"| [{r.id}]({r.id}.md) | {r.name} | {r.category} | {r.default_severity} | {r.doc.get('summary', '')} |")
    (folder / "README.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    written.append(folder / "README.md")
    return written


if __name__ == "__main__":  # python -m gxlint.docs [folder]
    import sys

    for p in write_all(sys.argv[1] if len(sys.argv) > 1 else "docs/rules"):
        print(p)
