"""Configs and rule files from the folder being linted (issue 31): anyone may have written them.

* YAML (and a pyproject.toml's [tool.gxlint]) is read from a regular file of at most 1 MiB and
  parsed within limits: nesting, nodes with aliases expanded (a "billion laughs" of 400 bytes),
  the length of integers; over one is one E020 (config) or E021 (rule file) line with its place.
The CLI runs in a process limited to 500 MB of address space with a timeout (a hang guard, not a
speed check): without the limits, the bombs below took gigabytes.
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEEDS

SEED = SEEDS / "004_aa4e2e269a40bca7.txt"  # seven findings (tests/seeds/expected.yaml)
TIMEOUT = 120
ADDRESS_SPACE = 500 * 2**20


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run(*args, cwd=None, env=None):
    """`gxlint ARGS` in a process of bounded memory: (exit status, stdout, stderr)."""
    p = subprocess.run([sys.executable, "-m", "gxlint", *map(str, args)], capture_output=True, timeout=TIMEOUT,
                       preexec_fn=_limit_memory, cwd=cwd, env=env)
    out, err = p.stdout.decode("utf-8"), p.stderr.decode("utf-8")
    assert "Traceback" not in out + err, err
    return p.returncode, out, err


def bomb(key: str, levels: int = 9) -> str:
    """A "billion laughs": nine lists of nine aliases of the list before, the last under ``key``
    (9**9 strings once expanded; the old loader printed them in its error message)."""
    lines = ["a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]"]
    for i in range(1, levels):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    return "\n".join(lines) + f"\n{key}\n"


def report_in(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    report = folder / "report.txt"
    report.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    return report


# --------------------------------------------------------------------------- YAML and TOML limits


def test_alias_bomb_config_is_one_E020_line(tmp_path):
    config = bomb("severity: {GX013: *i}")
    assert len(config.encode()) < 450
    report = report_in(tmp_path)
    (tmp_path / ".gxlint.yaml").write_text(config, encoding="utf-8")
    rc, out, err = run(report, env=dict(os.environ, GXLINT_CACHE_DIR=str(tmp_path / "cache")))
    assert rc == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and "E020" in lines[0], err
    # the place: the alias that passed the bound (line 6 of 10, the list of *e)
    assert f"{tmp_path / '.gxlint.yaml'}:6:" in lines[0] and "别名" in lines[0], err


def test_alias_bomb_rule_file_is_one_E021_line(tmp_path):
    (tmp_path / "province").mkdir()
    rules = tmp_path / "province" / "bomb.yaml"
    rules.write_text(bomb("rules: [{id: GX990, message: *i}]"), encoding="utf-8")
    (tmp_path / ".gxlint.yaml").write_text("rule_dirs: [province]\n", encoding="utf-8")
    rc, out, err = run(report_in(tmp_path), env=dict(os.environ, GXLINT_CACHE_DIR=str(tmp_path / "cache")))
    assert rc == 2 and out == ""
    assert len(err.splitlines()) == 1 and "E021" in err and f"{rules}:6:" in err, err


def load(tmp_path, text: str | bytes, name: str = ".gxlint.yaml"):
    """load_config of a file holding ``text``: the Config, or the ConfigError."""
    from gxlint.config import load_config
    from gxlint.errors import ConfigError

    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    try:
        return load_config(str(path))
    except ConfigError as e:
        return e


@pytest.mark.parametrize("text, where, says", [
    ("select: " + "[" * 100_000 + "]" * 100_000 + "\n", "1:40", "嵌套超过 32 层"),  # flow, 100,000 deep (the mapping is the first level)
    ("".join("  " * i + f"k{i}:\n" for i in range(100)), "33:65", "嵌套超过 32 层"),  # block
    ("serve: {port: " + "1" * 5000 + "}\n", "1:15", "整数过长"),
    ("serve: {port: 0x" + "f" * 5000 + "}\n", "1:15", "整数过长"),  # no digit limit for base 16 in int()
    ("encoding: 2024-02-30\n", "1:1", "无法读取的值"),  # a date ruamel cannot construct
    (b"select: [\xff]\n", "1:1", "不是 UTF-8"),
])
def test_hostile_yaml_config_is_E020_with_its_place(tmp_path, text, where, says):
    got = load(tmp_path, text)
    assert getattr(got, "code", None) == "E020", got
    assert got.message.startswith(f"{tmp_path / '.gxlint.yaml'}:{where}: ") and says in got.message, got.message
    assert len(got.message) < 300


@pytest.mark.parametrize("text, says", [
    ("[tool.gxlint]\nselect = " + "[" * 100_000 + "]" * 100_000 + "\n", "嵌套过深"),  # tomllib recurses
    ("[tool.gxlint]\nselect = " + "[" * 40 + "]" * 40 + "\n", "嵌套超过 32 层"),
    ("[tool.gxlint]\nserve = {port = " + "1" * 5000 + "}\n", "无法读取的值"),  # over Python's 4,300 digits
    ("[tool.gxlint]\nserve = {port = " + "1" * 4000 + "}\n", "整数过长"),
    ("[tool.gxlint]\nserve = {port = 0x" + "f" * 5000 + "}\n", "整数过长"),
    ("tool = 1\n# [tool.gxlint]\n", None),  # not a table: no config (it raised AttributeError)
])
def test_hostile_pyproject_is_E020(tmp_path, text, says):
    got = load(tmp_path, text, "pyproject.toml")
    if says is None:
        assert got.select == []
        return
    assert getattr(got, "code", None) == "E020" and says in got.message, got


def test_aliases_within_the_bound_still_work(tmp_path):
    got = load(tmp_path, "select: &mine [GX1, arithmetic]\nignore: *mine\nserve: {<<: {port: 8080}}\n")
    assert got.select == ["GX1", "arithmetic"] and got.ignore == ["GX1", "arithmetic"] and got.serve == {"port": 8080}


def test_a_rule_file_over_the_size_bound_or_not_regular_is_E021_at_once(tmp_path):
    from gxlint.engine import load_pack, rule_files, builtin_rule_dir
    from gxlint.errors import ConfigError
    from gxlint.rule import MAX_YAML_BYTES

    big = tmp_path / "big" / "big.yaml"
    big.parent.mkdir()
    big.write_text("rules: []\n" + "#" * MAX_YAML_BYTES + "\n", encoding="utf-8")
    fifo = tmp_path / "fifo" / "fifo.yaml"
    fifo.parent.mkdir()
    os.mkfifo(fifo)  # no writer: opening it to read would block
    for path, says in ((big, "过大"), (fifo, "命名管道")):
        with pytest.raises(ConfigError) as e:
            load_pack(rule_files([builtin_rule_dir(), str(path.parent)]))
        assert e.value.code == "E021" and e.value.message.startswith(f"{path}:1:1: ") and says in e.value.message


# --------------------------------------------------------------------------- rules that cannot hang a lint

# A rule of the province's: its pattern backtracks for ever on any paragraph of 40 characters
# without 20 digits, on the regex package too (re never ends on the issue's ^(.+)+\d{20}$ either).
SLOW = r"^(.|..)+\d{20}$"
LOCAL_RULES = """\
rules:
  - id: GX990
    name: catastrophic
    category: wording
    severity: warning
    message: 「{match}」不应出现
    kind: pattern
    forbid: 'PATTERN'
  - id: GX991
    name: report-word
    category: wording
    severity: info
    message: 「{match}」
    kind: pattern
    forbid: 年度报告
"""


def province(tmp_path: Path, pattern: str = SLOW) -> Path:
    """A folder with the province's rule file (GX990 searching ``pattern``, GX991 a plain one)."""
    rules = tmp_path / "province" / "local.yaml"
    rules.parent.mkdir(parents=True, exist_ok=True)
    rules.write_text(LOCAL_RULES.replace("PATTERN", pattern.replace("'", "''")), encoding="utf-8")
    return rules


def test_a_local_rule_past_its_time_is_one_finding_and_the_others_run(tmp_path, monkeypatch):
    """In process, with the bound lowered (the subprocess test below uses the real one): fresh and
    with the pack from the cache, the same findings."""
    from gxlint import engine
    from gxlint.config import Config
    from gxlint.engine import Linter

    monkeypatch.setenv("GXLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(engine, "RULE_SECONDS", 0.2)
    rules = province(tmp_path)
    plain = Linter().lint_path(str(SEED)).findings
    fresh = Linter(Config(rule_dirs=[str(rules)])).lint_path(str(SEED))
    monkeypatch.setattr(engine, "_pack_data", lambda paths: pytest.fail("the pack was parsed again"))
    cached = Linter(Config(rule_dirs=[str(rules)])).lint_path(str(SEED))
    for result in (fresh, cached):
        assert result.error is None
        over = [f for f in result.findings if f.rule == "GX990"]
        assert len(over) == 1 and over[0].extra == {"error": "E024"} and over[0].severity == "error"
        assert over[0].message.startswith(f"E024 规则 GX990（{rules}:2）在此报告上运行超过 0.2 秒"), over[0].message
        assert [f for f in result.findings if f.rule == "GX991"]  # the province's other rule ran
        assert [f for f in result.findings if f.rule < "GX990"] == plain  # and the national pack's
    assert cached.findings == fresh.findings


def test_each_report_of_a_batch_gets_its_own_time(tmp_path, monkeypatch):
    from gxlint import engine
    from gxlint.options import Options
    from gxlint.run import lint_paths

    monkeypatch.setenv("GXLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(engine, "RULE_SECONDS", 0.2)
    province(tmp_path)
    (tmp_path / ".gxlint.yaml").write_text("rule_dirs: [province]\n", encoding="utf-8")
    for name in ("a", "b"):
        report_in(tmp_path / name)
    results = lint_paths(Options(jobs=1, no_cache=True), [str(tmp_path / "a"), str(tmp_path / "b")])
    assert len(results) == 2
    for r in results:
        assert [f.extra for f in r.findings if f.rule == "GX990"] == [{"error": "E024"}], r.path


def test_patterns_of_the_national_pack_stay_on_re(tmp_path):
    """Outside a bound compiled() is re's; inside, the regex package's, stopped at the deadline."""
    import re

    from gxlint.regex_store import Overtime, bounded, compiled

    assert isinstance(compiled(r"\d+"), re.Pattern)
    with bounded(0.05):
        rx = compiled(SLOW)
        assert not isinstance(rx, re.Pattern) and rx.search("ab" + "1" * 20).span() == (0, 22)
        with pytest.raises(Overtime):
            list(rx.finditer("政府信息公开" * 10))
    assert isinstance(compiled(SLOW), re.Pattern)  # the bound is over: re again (not run here)


# The command as a user runs it, with the real bound: the pattern ends by itself on regex
# (re never finished it on this report), the one that backtracks on regex too ends at the bound; a
# pyproject.toml config keeps ruamel.yaml out of a run whose rule pack comes from the cache.
RUN = """
import atexit, sys
atexit.register(lambda: print("--parsed--" if "ruamel.yaml" in sys.modules else "--cached--", file=sys.stderr))
sys.argv = ["gxlint", *sys.argv[1:]]
from gxlint.entry import main
main()
"""


@pytest.mark.slow
@pytest.mark.parametrize("pattern, over", [(r"^(.+)+\d{20}$", False), (SLOW, True)])
def test_a_catastrophic_pattern_ends_fresh_and_from_the_cache(tmp_path, pattern, over):
    from gxlint.engine import RULE_SECONDS

    rules = province(tmp_path, pattern)
    (tmp_path / "pyproject.toml").write_text('[tool.gxlint]\nrule_dirs = ["province"]\n', encoding="utf-8")
    report = report_in(tmp_path)
    assert 9_000 < report.stat().st_size < 11_000  # a 10 KB report
    env = dict(os.environ, GXLINT_CACHE_DIR=str(tmp_path / "cache"), PYTHONPATH=str(Path(__file__).parent.parent))
    outputs = []
    for pack in ("--parsed--", "--cached--"):
        p = subprocess.run([sys.executable, "-c", RUN, "--no-cache", report.name], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=TIMEOUT)  # a hang guard, not a speed check
        assert "Traceback" not in p.stderr and p.stderr.endswith(pack + "\n"), p.stderr
        assert p.returncode == 1
        lines = p.stdout.splitlines()
        mine = [ln for ln in lines if " GX990 " in ln]
        if over:
            assert mine == [f"{report.name}:5:1: error: GX990 E024 规则 GX990（{rules}:2）在此报告上运行超过 "
                            f"{RULE_SECONDS:g} 秒，已停止，未能检查此报告，其他规则照常检查；请检查该规则的正则表达式"
                            "（如 (.+)+ 这样嵌套的重复） [全文]"], p.stdout
        else:
            assert mine == []
        assert len([ln for ln in lines if " GX991 " in ln]) > 0
        assert len([ln for ln in lines if ": error: GX" in ln and " GX99" not in ln]) == 7  # the seed's seven
        outputs.append(p.stdout)
    assert outputs[0] == outputs[1]


# --------------------------------------------------------------------------- message templates

TEMPLATE_RULE = """\
rules:
  - id: GX992
    name: template
    category: wording
    severity: info
    message: 'MESSAGE'
    kind: pattern
    forbid: '(?P<year>\\d{4})年度报告'
    doc:
      triggers: 2023年度报告
      passes: 年度报告
"""


def rules_check(path, capsys):
    """`gxlint rules check PATH`, in this process: (exit status, standard output, standard error)."""
    from gxlint.cli import main

    with pytest.raises(SystemExit) as e:
        main(["rules", "check", str(path)])
    out, err = capsys.readouterr()
    return e.value.code, out, err


@pytest.mark.parametrize("message, says", [
    ("「{match:>1000000000}」", "不能带转换或格式"),  # 1.9 GB a finding
    ("{match.__class__.__mro__}", "只能是一个名称"),  # attributes looked up
    ("{match[0]}", "只能是一个名称"),
    ("{match!r}", "不能带转换或格式"),
    ("{0}年", "只能是一个名称"),
    ("{}年", "只能是一个名称"),
    ("{match:{match}}", "不能带转换或格式"),
    ("「{matches}」", "不是 pattern 提供的（可用：match、year）"),
    ("{match", "花括号有误"),
])
@pytest.mark.slow
def test_a_hostile_message_is_refused_by_rules_check_and_at_load(tmp_path, capsys, monkeypatch, message, says):
    from gxlint.config import Config
    from gxlint.engine import Linter
    from gxlint.errors import ConfigError

    monkeypatch.setenv("GXLINT_CACHE_DIR", str(tmp_path / "cache"))
    rules = tmp_path / "template.yaml"
    rules.write_text(TEMPLATE_RULE.replace("MESSAGE", message), encoding="utf-8")
    rc, out, err = rules_check(rules, capsys)
    assert rc == 1 and f"{rules}:6:14: " in out and says in out, out + err
    with pytest.raises(ConfigError) as e:
        Linter(Config(rule_dirs=[str(rules)]))
    assert e.value.code == "E021" and e.value.message.startswith(f"{rules}:6:14: ") and says in e.value.message


def test_the_documented_placeholders_pass(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GXLINT_CACHE_DIR", str(tmp_path / "cache"))
    rules = tmp_path / "template.yaml"
    rules.write_text(TEMPLATE_RULE.replace("MESSAGE", "「{match}」写的是{year}年，{{不是占位符}}"), encoding="utf-8")
    rc, out, err = rules_check(rules, capsys)
    assert rc == 0, out + err
    from gxlint.config import Config
    from gxlint.engine import Linter
    from gxlint.readers.text import parse_text

    found = Linter(Config(rule_dirs=[str(rules)])).lint_document(parse_text("2023年度报告", "x.md", markdown=True),
                                                                 fragment=True)
    assert [f.message for f in found if f.rule == "GX992"] == ["「2023年度报告」写的是2023年，{不是占位符}"]


def test_a_message_that_passed_no_check_is_printed_as_written():
    """A rule built otherwise (a forged cache entry): its placeholders beyond {name} are text."""
    from gxlint.rule import Rule

    rule = Rule("GX993", "x", "wording", "info", "{match:>1000000000}|{match.__class__}|{match!r}|{match}|{other}",
                "pattern", {})
    assert rule.format_message(match="a") == "{match:>1000000000}|{match.__class__}|{match!r}|a|{other}"
    rule.message = "「{match}」{{x}}"
    assert rule.format_message(match="a") == "「a」{x}"
    rule.message = "「{match}」{"  # unbalanced: all of it as written
    assert rule.format_message(match="a") == "「{match}」{"


# --------------------------------------------------------------------------- --isolated


@pytest.mark.slow
def test_isolated_reads_no_config_nor_the_rules_it_brings(tmp_path):
    env = dict(os.environ, GXLINT_CACHE_DIR=str(tmp_path / "cache"))
    province(tmp_path, "年度报告")  # GX990 and GX991 both flag the report
    (tmp_path / ".gxlint.yaml").write_text("rule_dirs: [province]\nignore: [GX210]\n", encoding="utf-8")
    report = report_in(tmp_path / "reports")
    rc, out, err = run("--isolated", report, env=env)
    rules = sorted({ln.split(": error: ")[1].split()[0] for ln in out.splitlines()})
    assert rc == 1 and "GX210" in rules and not any(r.startswith("GX99") for r in rules), out + err
    assert len(out.splitlines()) == 7  # the seed's seven, as with no config at all
    rc, out, err = run(report, env=env)  # without it: the config's
    assert "GX210" not in out and " GX990 " in out and " GX991 " in out

    # a config that would be refused (E020) is not even read, nor a pyproject.toml's
    (tmp_path / ".gxlint.yaml").write_text(bomb("severity: {GX013: *i}"), encoding="utf-8")
    (tmp_path / "reports" / "pyproject.toml").write_text('[tool.gxlint]\nselect = ["GX210"]\n', encoding="utf-8")
    rc, out, err = run("--isolated", report, env=env)
    assert rc == 1 and len(out.splitlines()) == 7 and "E020" not in err, out + err
    rc, out, err = run(report, env=env)  # the nearer pyproject.toml: GX210 only
    assert rc == 1 and len(out.splitlines()) == 1 and " GX210 " in out, out + err


def test_isolated_with_config_is_a_usage_error(tmp_path):
    (tmp_path / "c.yaml").write_text("select: [ALL]\n", encoding="utf-8")
    rc, out, err = run("--isolated", "--config", tmp_path / "c.yaml", report_in(tmp_path),
                       env=dict(os.environ, GXLINT_CACHE_DIR=str(tmp_path / "cache")))
    assert rc == 2 and out == "" and "E022" in err and "--isolated" in err and "--config" in err


@pytest.mark.parametrize("key", ["category", "severity", "kind"])
def test_a_required_key_given_as_null_is_refused(tmp_path, monkeypatch, key):
    """Found by the fuzzer: `category: ~` passed validation as "None" and the pack failed to build."""
    from gxlint.config import Config
    from gxlint.engine import Linter
    from gxlint.errors import ConfigError

    monkeypatch.setenv("GXLINT_CACHE_DIR", str(tmp_path / "cache"))
    rules = tmp_path / "template.yaml"
    text = TEMPLATE_RULE.replace("MESSAGE", "「{match}」")
    rules.write_text("\n".join(f"    {key}: ~" if ln.startswith(f"    {key}: ") else ln for ln in text.splitlines()),
                     encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        Linter(Config(rule_dirs=[str(rules)]))
    assert e.value.code == "E021" and str(rules) in e.value.message


def province_format(tmp_path: Path, match: str, words: str | None = None) -> Path:
    """A province's rule file that declares the format: the national one with the first part's
    ``match`` (and ``words``) replaced."""
    from gxlint.engine import builtin_rule_dir

    text = (Path(builtin_rule_dir()) / "format.yaml").read_text(encoding="utf-8")
    old = "        match: ['^总体情况$']\n        words: ['总体情况|总体概况|基本情况|工作概况']\n"
    assert old in text
    new = f"        match: ['{match}']\n        words: ['{words or '总体情况|总体概况|基本情况|工作概况'}']\n"
    path = tmp_path / "province" / "format.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("where", ["match", "words"])
def test_a_province_format_whose_pattern_backtracks_is_one_E024_error(tmp_path, monkeypatch, where):
    """The format's patterns are searched by the readers and the report builder, outside any rule:
    the searches of a province's share a time on each report (regex_store.FORMAT_SECONDS, lowered here), and past it
    the report gets one E024 error naming the file; fresh and with the pack from the cache alike,
    and the same format without the slow pattern reads the report as the national one does."""
    from gxlint import engine, regex_store
    from gxlint.config import Config
    from gxlint.engine import Linter

    monkeypatch.setenv("GXLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(regex_store, "FORMAT_SECONDS", 0.2)
    fmt = province_format(tmp_path, SLOW) if where == "match" else province_format(tmp_path, "^总体情况$", SLOW)
    report = tmp_path / "report.txt"  # a heading of part 一 in other words: its ``words`` are searched
    report.write_text(SEED.read_text(encoding="utf-8").replace("\n一、总体情况\n", "\n一、2024年政务公开总体情况\n", 1),
                      encoding="utf-8")
    fresh = Linter(Config(rule_dirs=[str(fmt.parent)])).lint_path(str(report))
    monkeypatch.setattr(engine, "_pack_data", lambda paths: pytest.fail("the pack was parsed again"))
    cached = Linter(Config(rule_dirs=[str(fmt.parent)])).lint_path(str(report))
    for result in (fresh, cached):
        assert result.findings == [] and result.error is not None and result.error.code == "E024"
        assert str(fmt) in result.error.message and "超过 0.2 秒" in result.error.message


def test_a_province_format_reads_as_the_national_one(tmp_path, monkeypatch):
    """Its patterns are the regex package's, searched with a limit: the same findings."""
    from gxlint.config import Config
    from gxlint.engine import Linter

    monkeypatch.setenv("GXLINT_CACHE_DIR", str(tmp_path / "cache"))
    fmt = province_format(tmp_path, "^总体情况$")
    linter = Linter(Config(rule_dirs=[str(fmt.parent)]))
    assert type(linter.format.sections[0].patterns[0]).__name__ == "_Limited"
    for seed in sorted(SEEDS.glob("*.txt")):
        assert linter.lint_path(str(seed)).findings == Linter().lint_path(str(seed)).findings, seed.name
