"""A kind is one module of gxlint.kinds that says what it takes and needs (PARAMS, ARGS, NEEDS,
validate, reason): the engine, --audit, a batch and `gxlint rules check` read only that.  Adding a
kind is adding its module; a rule file's mistakes (a fix naming a group its pattern lacks, an
example its rule contradicts) are refused by `gxlint rules check` with file:line; a rule that
fails while linting names itself and the other rules still run."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import SEEDS

import gxlint.kinds
from gxlint import kinds

SEED_003 = SEEDS / "003_aec54f57ed4abe50.txt"  # 汾西县人民政府办公室, 2024
SEED_004 = SEEDS / "004_aa4e2e269a40bca7.txt"  # 福州市长乐区人民政府办公室, 2024

# A kind needing last year's report: it names last year's title.
LAST_TITLE = '''"""``last_title``: last year's title (a kind made by a test)."""
from gxlint.rule import Param

PARAMS = {"earliest": Param(int, default=2000)}
ARGS = ("title",)
NEEDS = ("previous",)


def validate(params):
    if params["earliest"] < 1949:
        yield "earliest", "年份不能早于 1949"


def check(rule, report):
    if report.year and report.year >= rule.params["earliest"]:
        yield rule.at_document(report, title=report.previous.title_text)
'''

# A kind whose check fails on every report.
BOOM = '''"""``boom``: a kind with a bug (made by a test)."""
PARAMS = {}
ARGS = ()


def check(rule, report):
    yield rule.at_document(report)
    raise ZeroDivisionError("division by zero")
'''

RULES = """\
rules:
  - id: GX950
    name: last-title
    category: consistency
    severity: warning
    message: 上年报告的标题是「{title}」
    kind: last_title
    earliest: 2024
    doc:
      title: 上年标题
      description: 说出上年报告的标题。
"""

BOOM_RULES = """\
rules:
  - id: GX951
    name: boom
    category: wording
    severity: warning
    message: 不会出现
    kind: boom
"""


@pytest.fixture
def new_kinds(tmp_path, monkeypatch):
    """The modules last_title and boom, in a folder of their own added to the kinds package."""
    folder = tmp_path / "more-kinds"
    folder.mkdir()
    (folder / "last_title.py").write_text(LAST_TITLE, encoding="utf-8")
    (folder / "boom.py").write_text(BOOM, encoding="utf-8")
    monkeypatch.setattr(gxlint.kinds, "__path__", [*gxlint.kinds.__path__, str(folder)])
    monkeypatch.setenv("GXLINT_CACHE_DIR", str(tmp_path / "cache"))
    yield folder
    for name in ("last_title", "boom"):
        kinds._modules.pop(name, None)
        sys.modules.pop(f"gxlint.kinds.{name}", None)


def as_last_year(text: str) -> str:
    """Seed 003 as 长乐区's 2023 report (the predecessor of seed 004)."""
    text = text.replace("汾西县人民政府办公室", "福州市长乐区人民政府办公室", 1)
    return text.replace("2024年政府信息公开工作年度报告", "2023年政府信息公开工作年度报告", 1)


def test_every_kind_declares_what_the_engine_reads():
    names = kinds.names()
    assert {"pattern", "substitution", "shared_text", "not_report", "year_over_year"} <= set(names)
    assert not [n for n in names if n.startswith("_")]
    assert {n: kinds.problems(n) for n in names} == {n: [] for n in names}
    # the kinds comparing reports are known by what they need, nowhere else
    assert {n for n in names if kinds.compares(n)} == {"shared_text", "year_over_year", "repeated_text"}


def test_a_new_kind_is_one_module_and_runs_through_lint_audit_and_batch(new_kinds, tmp_path):
    from gxlint.config import Config
    from gxlint.engine import Linter
    from gxlint.options import Options
    from gxlint.run import lint_paths
    from gxlint.rulecheck import builtin_ids, check_file

    rules = tmp_path / "province" / "last.yaml"
    rules.parent.mkdir()
    rules.write_text(RULES, encoding="utf-8")
    assert "last_title" in kinds.names()
    _, problems, _ = check_file(str(rules), *builtin_ids())
    assert problems == []  # found, its parameters checked (no examples: a warning only)
    bad = tmp_path / "bad.yaml"
    bad.write_text(RULES.replace("earliest: 2024", "earliest: 1900"), encoding="utf-8")
    assert [(line, msg) for line, _, msg in check_file(str(bad), *builtin_ids())[1]] == [(8, "年份不能早于 1949")]

    office = tmp_path / "长乐区"
    office.mkdir()
    (office / "2024.txt").write_text(SEED_004.read_text(encoding="utf-8"), encoding="utf-8")
    (office / "2023.txt").write_text(as_last_year(SEED_003.read_text(encoding="utf-8")), encoding="utf-8")
    (office / "other-office.txt").write_text(SEED_003.read_text(encoding="utf-8"), encoding="utf-8")
    config = tmp_path / ".gxlint.yaml"
    config.write_text("rule_dirs: [province]\n", encoding="utf-8")

    # lint: without last year's report the rule is not run, and the audit says why
    linter = Linter(Config(rule_dirs=[str(rules.parent)]), audit=True)
    alone = linter.lint_path(str(office / "2024.txt"))
    assert "GX950" not in [f.rule for f in alone.findings]
    entry = next(e for e in alone.audit if e.rule == "GX950")
    assert (entry.status, entry.reason) == ("not assessable", kinds.NEEDS["previous"][1])
    paired = linter.lint_path(str(office / "2024.txt"), previous=str(office / "2023.txt"))
    found = [f for f in paired.findings if f.rule == "GX950"]
    assert [f.message for f in found] == ["上年报告的标题是「2023年政府信息公开工作年度报告」"]
    assert next(e for e in paired.audit if e.rule == "GX950").status == "fail"

    # a batch: the report is paired with its predecessor in the folder, as the national year-over-year rules are
    results = {Path(r.path).name: r for r in lint_paths(Options(config=str(config), audit=True, no_cache=True),
                                                          [str(office)])}
    assert [f.message for f in results["2024.txt"].findings if f.rule == "GX950"] == [found[0].message]
    for name in ("2023.txt", "other-office.txt"):
        assert "GX950" not in [f.rule for f in results[name].findings]
    status = {name: next(e.status for e in r.audit if e.rule == "GX950") for name, r in results.items()}
    assert status == {"2024.txt": "fail", "2023.txt": "not assessable", "other-office.txt": "not assessable"}


def test_a_rule_that_fails_names_itself_and_the_others_still_run(new_kinds, tmp_path):
    from gxlint.config import Config
    from gxlint.engine import Linter

    rules = tmp_path / "boom.yaml"
    rules.write_text(BOOM_RULES, encoding="utf-8")
    plain = Linter().lint_path(str(SEED_004))
    result = Linter(Config(rule_dirs=[str(rules)])).lint_path(str(SEED_004))
    assert result.error is None
    broken = [f for f in result.findings if f.rule == "GX951"]
    assert len(broken) == 1 and broken[0].severity == "error" and broken[0].extra == {"error": "E099"}
    assert broken[0].message.startswith(f"E099 内部错误：规则 GX951（{rules}:2）运行出错（ZeroDivisionError")
    assert [f for f in result.findings if f.rule != "GX951"] == plain.findings and plain.findings


FIX_GROUP = """\
rules:
  - id: GX960
    name: year-suffix
    category: wording
    severity: warning
    message: 「{match}」应写作「年」
    kind: pattern
    forbid: '(?P<y>\\d{4})年度'
    fix: '\\g<x>年'
    doc:
      title: 年度写法
      description: 测试用规则。
      triggers: 2023年度
      passes: 2023年
"""

FLAGGED_PASSES = """\
rules:
  - id: GX961
    name: other-word
    category: wording
    severity: warning
    message: 「{wrong}」应为「{right}」
    kind: substitution
    words: {其它: 其他}
    doc:
      title: 其它写法
      description: 测试用规则。
      triggers: 其它事项
      passes: 其它情况
"""


def rules_check(path, capsys):
    """`gxlint rules check PATH`, in this process: (exit status, standard output, standard error)."""
    from gxlint.cli import main

    with pytest.raises(SystemExit) as e:
        main(["rules", "check", str(path)])
    out, err = capsys.readouterr()
    return e.value.code, out, err


@pytest.mark.parametrize("body, where, says", [
    (FIX_GROUP, "9:10", "unknown group name 'x'"),  # the fix: line
    (FLAGGED_PASSES, "13:15", "报告了它的 doc.passes 示例"),  # the passes: example
    (FLAGGED_PASSES.replace("triggers: 其它事项", "triggers: 其他事项").replace("passes: 其它情况", "passes: 其他情况"),
     "12:17", "doc.triggers 示例没有被它报告"),
])
def test_rules_check_refuses_a_rule_file_with_file_and_line(tmp_path, capsys, body, where, says):
    path = tmp_path / "province.yaml"
    path.write_text(body, encoding="utf-8")
    rc, out, err = rules_check(path, capsys)
    assert rc == 1 and not err.strip()
    assert f"{path}:{where}: " in out and says in out, out


def test_a_fix_naming_a_missing_group_never_reaches_a_report(tmp_path, monkeypatch, capsys):
    """The mistake used to pass the check and turn every report into E099: now the pack is refused."""
    from gxlint.options import Options
    from gxlint.run import lint

    monkeypatch.setenv("GXLINT_CACHE_DIR", str(tmp_path / "cache"))
    rules = tmp_path / "province" / "dates.yaml"
    rules.parent.mkdir()
    rules.write_text(FIX_GROUP, encoding="utf-8")
    (tmp_path / ".gxlint.yaml").write_text("rule_dirs: [province]\n", encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_text(SEED_004.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(SystemExit) as e:
        lint(Options(no_cache=True), [str(report)])
    out, err = capsys.readouterr()
    assert e.value.code == 2 and "E021" in err and f"{rules}:9:10" in err and "E099" not in out
