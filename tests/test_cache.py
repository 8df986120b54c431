"""Result cache: an unchanged file is not read again, a changed one is; the key holds the rules and
options; the CLI uses it (and not with --no-cache); parallel runs share it safely."""
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import SEED_FILES, SEEDS

import gxlint.readers
from gxlint.cache import ResultCache
from gxlint.config import Config
from gxlint.engine import Linter


@pytest.fixture
def reads(monkeypatch):
    """The paths gxlint.readers.read is called with (lint_path imports it at each call)."""
    seen = []
    real = gxlint.readers.read

    def counting(path, *a, **k):
        seen.append(os.path.basename(str(path)))
        return real(path, *a, **k)

    monkeypatch.setattr(gxlint.readers, "read", counting)
    return seen


def folder(tmp_path):
    d = tmp_path / "reports"
    d.mkdir()
    for s in SEED_FILES:
        shutil.copy(s, d / s.name)
    return sorted(d.iterdir())


def dicts(result):
    return [f.as_dict() for f in result.findings]


def test_unchanged_files_are_not_read_again_and_a_changed_one_is(tmp_path, reads):
    files = folder(tmp_path)
    cache = ResultCache(str(tmp_path / "cache"))
    linter = Linter()
    linter.cache = cache
    first = [linter.lint_path(str(f)) for f in files]
    assert len(reads) == len(files)
    reads.clear()
    again = Linter()  # a new run (process): same rules, same options
    again.cache = ResultCache(str(tmp_path / "cache"))
    second = [again.lint_path(str(f)) for f in files]
    assert reads == []
    assert [dicts(r) for r in second] == [dicts(r) for r in first] and [r.path for r in second] == list(map(str, files))
    # one report edited: only it is read, and its result is the new one
    changed = files[0]
    changed.write_text(changed.read_text(encoding="utf-8").replace("700%", "70%"), encoding="utf-8")
    third = [again.lint_path(str(f)) for f in files]
    assert reads == [changed.name]
    assert "GX401" in {f.rule for f in first[0].findings} and "GX401" not in {f.rule for f in third[0].findings}
    # the same content under another name is the same result (read from the cache)
    reads.clear()
    copy = tmp_path / "copy.txt"
    shutil.copy(files[1], copy)
    assert dicts(again.lint_path(str(copy))) == dicts(second[1]) and reads == []


def test_the_key_holds_rules_and_options(tmp_path, reads):
    f = str(folder(tmp_path)[-1])  # seed 004: GX210, GX501, GX302, GX304
    d = str(tmp_path / "cache")

    def lint(**kw):
        linter = Linter(Config(severity=kw.pop("severity", {})), select=kw.pop("select", None), audit=kw.pop("audit", False))
        linter.cache = ResultCache(d)
        linter.suppressions = kw.pop("suppressions", True)
        return linter.lint_path(f, encoding=kw.pop("encoding", None))

    base = lint()
    n = len(reads)
    assert {x.rule for x in lint(select=["GX3"]).findings} == {"GX302", "GX304"}
    assert {x.severity for x in lint(severity={"GX302": "info"}).findings if x.rule == "GX302"} == {"info"}
    assert lint(audit=True).audit is not None
    lint(suppressions=False)
    lint(encoding="gb18030")
    assert len(reads) == n + 5  # each a new key: read again
    assert dicts(lint()) == dicts(base) and len(reads) == n + 5


def _run(*args, env=None):
    e = {k: v for k, v in os.environ.items() if k not in ("GXLINT_CACHE_DIR", "XDG_CACHE_HOME")}
    e.update(env or {})
    p = subprocess.run([sys.executable, "-m", "gxlint", *map(str, args)], capture_output=True, text=True, env=e)
    return p.returncode, p.stdout, p.stderr


def test_cli_reads_the_cache_unless_no_cache(tmp_path):
    f = tmp_path / "r.txt"
    shutil.copy(SEEDS / "004_aa4e2e269a40bca7.txt", f)
    env = {"GXLINT_CACHE_DIR": str(tmp_path / "c")}
    rc, out, _ = _run("--format", "json", f, env=env)
    entries = list((tmp_path / "c" / "results").glob("*/*.json"))
    assert rc == 1 and len(entries) == 1
    # prove the second run takes its result from the cache: tamper with the entry
    entry = json.loads(entries[0].read_bytes())
    entry["data"]["findings"] = [x for x in entry["data"]["findings"] if x[0] == "GX210"]
    entries[0].write_text(json.dumps(entry), encoding="utf-8")
    rc, out, _ = _run("--format", "json", f, env=env)
    assert [x["rule"] for x in json.loads(out)["files"][0]["findings"]] == ["GX210"]
    rc, out, _ = _run("--format", "json", f, "--no-cache", env=env)
    assert len(json.loads(out)["files"][0]["findings"]) == 7
    # --cache-dir, and XDG_CACHE_HOME when GXLINT_CACHE_DIR is not set
    _run(f, "--cache-dir", tmp_path / "explicit")
    assert list((tmp_path / "explicit").glob("*/*.json"))
    _run(f, env={"XDG_CACHE_HOME": str(tmp_path / "xdg")})
    assert list((tmp_path / "xdg" / "gxlint" / "results").glob("*/*.json"))


def test_parallel_runs_share_the_cache_safely(tmp_path):
    files = folder(tmp_path)
    env = {"GXLINT_CACHE_DIR": str(tmp_path / "c")}
    expected = _run("--format", "json", "--no-cache", files[0].parent)[1]
    with ThreadPoolExecutor(4) as pool:
        outs = list(pool.map(lambda _: _run("--format", "json", "-j", "1", files[0].parent, env=env)[1], range(4)))
    assert all(o == expected for o in outs)
    assert _run("--format", "json", files[0].parent, env=env)[1] == expected
    results = tmp_path / "c" / "results"
    assert len(list(results.glob("*/*.json"))) == len(files) + 1  # and what comparing them found
    assert not list(results.glob("*/*.tmp"))


def test_what_comparing_a_batch_finds_is_kept_and_redone_when_a_file_changes(tmp_path):
    d = tmp_path / "batch"
    d.mkdir()
    text = (SEEDS / "004_aa4e2e269a40bca7.txt").read_text(encoding="utf-8")
    (d / "a.txt").write_text(text, encoding="utf-8")
    (d / "b.txt").write_text(text.replace("福州市长乐区", "福州市连江县"), encoding="utf-8")  # another office, same prose
    env = {"GXLINT_CACHE_DIR": str(tmp_path / "c")}

    def gx606(*args):
        out = json.loads(_run("--format", "json", d, *args, env=env)[1])
        return [(f["path"], x["line"], x["message"]) for f in out["files"] for x in f["findings"] if x["rule"] == "GX606"]

    fresh = gx606("--no-cache")
    assert fresh and {p for p, _, _ in fresh} == {str(d / "a.txt"), str(d / "b.txt")}
    assert gx606() == fresh and gx606() == fresh  # filled, then read from the cache
    (d / "b.txt").write_text(text.replace("福州市长乐区", "福州市连江县").replace("2024年", "2024 年"), encoding="utf-8")
    assert gx606() == gx606("--no-cache")


def test_a_broken_entry_is_a_miss(tmp_path):
    f = str(folder(tmp_path)[0])
    linter = Linter()
    linter.cache = ResultCache(str(tmp_path / "c"))
    good = dicts(linter.lint_path(f))
    for entry in (tmp_path / "c").glob("*/*.json"):
        entry.write_bytes(b"\x80\x05 truncated")
    assert dicts(linter.lint_path(f)) == good
