"""``gxlint rules check FILE...``: a rule file checked as the national pack is.

* Its rules are validated (gxlint.rule.validate_rules: keys, ids not taken by the national pack,
  kinds, parameters, placeholders, and each kind's own validator, such as a ``fix`` template
  naming a group its pattern lacks), each mistake with its line and column.
* Each rule's own examples are then linted with the pack the file joins (:func:`example_findings`,
  as tests/test_rule_docs.py runs them for the national pack): ``doc.triggers`` must give a
  finding of that rule, ``doc.passes`` none; ``doc.previous`` is last year's report for the
  rules comparing years, ``doc.other`` another report of the batch for those comparing reports.
  A rule without both examples is a problem in the national pack and a warning elsewhere.
"""
from __future__ import annotations

import os


def example_findings(linter, rule, text: str) -> list:
    """The findings of ``rule`` (one of ``linter``'s) on the example ``text`` (Markdown), with its
    ``doc.previous`` as last year's report and ``doc.other`` as another report of the batch."""
    from . import kinds
    from .readers.text import parse_text

    doc = parse_text(str(text), "example.md", markdown=True)
    d = rule.doc
    previous = parse_text(str(d["previous"]), "previous.md", markdown=True) if d.get("previous") else None
    others = [parse_text(str(d["other"]), "other.md", markdown=True)] if d.get("other") else None
    fragment = "not_report" not in kinds.needs(rule.kind)  # the examples are pieces of reports
    return [f for f in linter.lint_document(doc, previous, others, fragment=fragment) if f.rule == rule.id]


def example_problems(linter, rule) -> list[tuple[str, str]]:
    """(doc key, problem) for each of ``rule``'s examples that does not do what it says; a missing
    example is (key, "") (a problem or a warning, by the file)."""
    out = []
    for key in ("triggers", "passes"):
        text = rule.doc.get(key)
        if not text:
            out.append((key, ""))
            continue
        found = example_findings(linter, rule, text)
        if key == "triggers" and not found:
            out.append((key, f"规则 {rule.id} 的 doc.triggers 示例没有被它报告（示例应触发本规则）"))
        elif key == "passes" and found:
            out.append((key, f"规则 {rule.id} 报告了它的 doc.passes 示例（示例应通过本规则）：{found[0].message}"))
    return out


def builtin_ids() -> tuple[dict[str, str], set[str]]:
    """({rule id: its file name} of the national pack, the absolute paths of its files)."""
    from .engine import builtin_rule_dir, rule_files
    from .rule import RuleFileError, load_yaml, validate_rules

    known: dict[str, str] = {}
    files = rule_files([builtin_rule_dir()])
    for path in files:  # ids of the national pack count as taken
        try:
            for r in validate_rules(load_yaml(path), path, {})[0]:
                known[r.id] = os.path.basename(path)
        except RuleFileError:
            pass
    return known, set(map(os.path.abspath, files))


def check_file(path: str, known: dict[str, str], builtin: set[str]) -> tuple[list, list, list]:
    """(rules, problems, warnings) of the rule file at ``path``: problems and warnings as (line,
    column, message).  ``known``, ``builtin``: from :func:`builtin_ids`."""
    from .rule import RuleFileError, _pos, load_yaml, validate_rules

    is_builtin = os.path.abspath(path) in builtin
    own = {k: v for k, v in known.items() if v != os.path.basename(path)} if is_builtin else dict(known)
    warnings: list = []
    try:
        data = load_yaml(path)
        rules, problems = validate_rules(data, path, own, builtin=is_builtin, warnings=warnings)
    except RuleFileError as e:
        return [], e.problems, warnings
    if problems or not rules:
        return rules, problems, warnings
    items = {str(item.get("id")): item for item in data.get("rules") or () if isinstance(item, dict)}
    linter = _linter(path, is_builtin)
    for rule in rules:
        item = items[rule.id]
        doc = item.get("doc") or {}
        for key, problem in example_problems(linter, rule):
            if problem:
                problems.append((*_pos(doc, key), problem))
                continue
            where = _pos(item, "doc") if "doc" in item else _pos(item)
            missing = (*where, f"规则 {rule.id} 缺少 doc.{key} 示例（{'会报告' if key == 'triggers' else '不会报告'}的一段报告文字，"
                               "gxlint rules check 用它检验规则）")
            (problems if is_builtin else warnings).append(missing)
    return rules, problems, warnings


def _linter(path: str, is_builtin: bool):
    """The linter of the national pack with the rule file at ``path`` (when it is not part of it)."""
    from .config import Config
    from .engine import Linter

    return Linter(Config()) if is_builtin else Linter(Config(), extra_rule_dirs=[path])
