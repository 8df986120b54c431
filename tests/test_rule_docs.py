"""Every rule's documented examples: the triggering one is flagged by that rule, the passing one is not.

The examples live in the rule files (doc.triggers / doc.passes, and
doc.previous: last year's report for the year-over-year rules, doc.other: another report of
the same batch for the rules comparing reports) and are the
ones printed by `gxlint rules --explain` and docs/rules/, so the docs cannot
drift from the behaviour.
"""
import pytest

from gxlint.docs import write_all
from gxlint.engine import Linter
from gxlint.rulecheck import example_findings

LINTER = Linter()
RULES = LINTER.all_rules


def _ids(text, rule):
    return example_findings(LINTER, rule, text)  # as `gxlint rules check` runs them


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_documented_examples(rule):
    assert rule.doc.get("summary") and rule.doc.get("source"), "every rule documents what and why"
    assert rule.doc.get("triggers") and rule.doc.get("passes"), "every rule has both examples"
    assert _ids(rule.doc["triggers"], rule), f"{rule.id} does not flag its own triggering example"
    assert not _ids(rule.doc["passes"], rule), f"{rule.id} flags its own passing example"


def test_every_rule_has_a_unique_stable_id_and_chinese_message():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    for r in RULES:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in r.message), r.id


def test_every_message_names_only_its_placeholders():
    """The check every rule file's messages pass at load and in `gxlint rules check` (issue 31): a
    placeholder is a plain {name} its kind provides, never a format spec or an attribute."""
    from gxlint import kinds
    from gxlint.rule import _group_names, message_problems

    for r in RULES:
        mod = kinds.load(r.kind)
        allowed = [*mod.ARGS, *_group_names(r.params, getattr(mod, "GROUP_ARGS", ()))]
        assert message_problems(r.message, r.kind, allowed) == [], r.id


def _chinese(text) -> bool:
    return isinstance(text, str) and any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_every_rule_has_a_chinese_title_and_description():
    """What a user reads about a rule (gxlint rules, --explain, --audit, docs/rules) is its doc.title and
    doc.description, in Chinese; the English doc.summary is for developers."""
    for key in ("title", "description"):
        missing = sorted(r.id for r in RULES if not _chinese(r.doc.get(key)))
        assert not missing, f"rules without a Chinese doc.{key}: {', '.join(missing)} (add it in their rule file)"
    short = sorted(r.id for r in RULES if len(r.doc["title"]) > 20 or "。" in r.doc["title"])
    assert not short, f"doc.title is a short noun phrase (a description goes in doc.description): {', '.join(short)}"
    titles = [r.doc["title"] for r in RULES]
    assert len(titles) == len(set(titles)), "two rules share a Chinese title"


def test_docs_page_leads_with_the_chinese_title_and_description(tmp_path):
    from pathlib import Path

    write_all(tmp_path)
    wrong = []
    for r in RULES:
        lines = Path(tmp_path, f"{r.id}.md").read_text(encoding="utf-8").split("\n")
        if lines[0] != f"# {r.id} {r.doc.get('title')}" or lines[2] != r.doc.get("description"):
            wrong.append(r.id)
    assert not wrong, f"docs/rules pages not led by the Chinese title and description: {', '.join(wrong)}"
    index = Path(tmp_path, "README.md").read_text(encoding="utf-8")
    assert all(f"| [{r.id}]({r.id}.md) | {r.doc['title']} |" in index for r in RULES)


def test_docs_pages_are_up_to_date(tmp_path):
    from pathlib import Path

    committed = Path(__file__).resolve().parent.parent / "docs" / "rules"
    for page in write_all(tmp_path):
        assert (committed / page.name).read_text(encoding="utf-8") == page.read_text(encoding="utf-8"), (
            f"docs/rules/{page.name} is stale: run python -m gxlint.docs"
        )
