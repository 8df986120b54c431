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
