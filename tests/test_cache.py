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
from gxlint.cache import ResultCache, read_entry, write_entry
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


@pytest.mark.slow
def test_cli_reads_the_cache_unless_no_cache(tmp_path):
    f = tmp_path / "r.txt"
    shutil.copy(SEEDS / "004_aa4e2e269a40bca7.txt", f)
    env = {"GXLINT_CACHE_DIR": str(tmp_path / "c")}
    rc, out, _ = _run("--format", "json", f, env=env)
    entries = list((tmp_path / "c" / "results").glob("*/*.json"))
    assert rc == 1 and len(entries) == 1
    # prove the second run takes its result from the cache: tamper with the entry
    entry = read_entry(str(entries[0]), "result")
    entry["findings"] = [x for x in entry["findings"] if x[0] == "GX210"]
    write_entry(str(entries[0]), "result", entry)
    rc, out, _ = _run("--format", "json", f, env=env)
    assert [x["rule"] for x in json.loads(out)["files"][0]["findings"]] == ["GX210"]
    rc, out, _ = _run("--format", "json", f, "--no-cache", env=env)
    assert len(json.loads(out)["files"][0]["findings"]) == 7
    # --cache-dir, and XDG_CACHE_HOME when GXLINT_CACHE_DIR is not set
    _run(f, "--cache-dir", tmp_path / "explicit")
    assert list((tmp_path / "explicit").glob("*/*.json"))
    _run(f, env={"XDG_CACHE_HOME": str(tmp_path / "xdg")})
    assert list((tmp_path / "xdg" / "gxlint" / "results").glob("*/*.json"))


@pytest.mark.slow
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


@pytest.mark.slow
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


# --------------------------------------------------------------------------- a cache folder of untrusted content
class _Marker:
    """Unpickled, it creates the file ``path`` (as a planted pickle would run any code)."""

    def __init__(self, path: str):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def _entries(cache_dir) -> dict:
    """{entry path: its kind} of every entry of a cache folder (the rule pack's, each file's
    result, what comparing the batch found)."""
    out = {}
    for p in sorted(cache_dir.rglob("*.json")):
        head = p.read_bytes().split(b"\n", 1)[0].split()
        out[p] = head[2].decode()
    return out


def _hostile(kind: str, path, original: bytes, marker) -> None:
    """Put in place of the entry ``path`` (holding ``original``) something of ``kind``."""
    import pickle

    if path.exists() or path.is_symlink():
        path.unlink()
    head, _, body = original.partition(b"\n")
    entry_kind = head.split()[2].decode()
    if kind == "pickle":
        path.write_bytes(pickle.dumps(_Marker(str(marker))))
    elif kind == "pickle-after-header":  # a valid header line, then a pickle
        path.write_bytes(head + b"\n" + pickle.dumps(_Marker(str(marker))))
    elif kind == "another-type":  # well-formed, of the right kind, holding values of other types
        data = json.loads(body)
        if entry_kind == "pack":
            data = {**data, "rules": [[1, 2, 3]] + data["rules"][1:]}
        elif entry_kind == "result":
            data = {**data, "findings": [["GX101", 1, "error"]]}
        else:
            data = [[0, "findings", None]]
        write_entry(str(path), entry_kind, data)
    elif kind == "not-an-object":
        write_entry(str(path), entry_kind, ["a", "list"])
    elif kind == "truncated":
        path.write_bytes(original[: len(original) // 2])
    elif kind == "corrupt":
        data = bytearray(original)
        for i in range(len(head) + 10, len(data), 97):
            data[i] ^= 0x20
        path.write_bytes(bytes(data))
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "link-to-device":
        path.symlink_to("/dev/zero")
    else:
        raise AssertionError(kind)


def test_a_planted_pickle_would_run_code(tmp_path):
    """The payload of the tests below is live: unpickled, it creates its marker."""
    import pickle

    marker = tmp_path / "ran"
    pickle.loads(pickle.dumps(_Marker(str(marker))))
    assert marker.exists()


@pytest.mark.slow  # gxlint processes, four for each kind of entry
@pytest.mark.parametrize("kind", ["pickle", "pickle-after-header", "another-type", "not-an-object", "truncated",
                                  "corrupt", "fifo", "link-to-device"])
def test_hostile_entries_of_every_cache_give_a_normal_lint(tmp_path, kind):
    """Every entry of a shared GXLINT_CACHE_DIR (the rule pack's, each file's result, the batch's
    comparisons) replaced by something hostile: the lint is the one --no-cache gives, nothing
    planted runs (its marker file is not created), no FIFO or device is read (the run ends and
    its result is right), and each entry is written again as a regular file."""
    files = folder(tmp_path)[:2]
    cache = tmp_path / "shared"
    env = {"GXLINT_CACHE_DIR": str(cache)}
    expected = _run("--format", "json", "--no-cache", *files)[1]
    assert _run("--format", "json", *files, env=env)[1] == expected
    entries = _entries(cache)
    assert sorted(set(entries.values())) == ["batch", "pack", "result"], entries
    marker = tmp_path / "ran"
    for path in entries:
        _hostile(kind, path, path.read_bytes(), marker)
    rc, out, err = _run("--format", "json", *files, env=env)
    assert (rc, out) == (1, expected), err
    assert not marker.exists()
    for path, entry_kind in entries.items():
        assert path.is_file() and not path.is_symlink(), path  # replaced by a regular file, a valid entry
        assert read_entry(str(path), entry_kind) is not None, path
    assert _run("--format", "json", *files, env=env)[1] == expected


def test_an_entry_that_links_elsewhere_is_neither_read_nor_written_through(tmp_path):
    f = str(folder(tmp_path)[0])
    linter = Linter()
    linter.cache = ResultCache(str(tmp_path / "c"))
    good = dicts(linter.lint_path(f))
    (entry,) = (tmp_path / "c").glob("*/*.json")
    target = tmp_path / "elsewhere.json"
    target.write_bytes(entry.read_bytes())
    entry.unlink()
    entry.symlink_to(target)  # a valid entry, behind a link
    before = target.read_bytes()
    assert linter.cache.get(os.path.basename(entry)[:-5]) is None
    assert dicts(linter.lint_path(f)) == good
    assert target.read_bytes() == before and entry.is_file() and not entry.is_symlink()


def test_a_result_of_another_shape_is_a_miss():
    """decode_result takes only what encode_result writes: every field of its type."""
    from gxlint.cache import decode_result, encode_result
    from gxlint.engine import FileResult
    from gxlint.findings import Finding, Fix

    f = Finding("GX101", "structure", "error", "缺少", 1, 2, 1, 5, "abc", "第一部分", Fix("x", "改为"), 3, 9, 0, False)
    good = encode_result(FileResult("a", findings=[f], identity=("某局", 2024)))
    assert decode_result(json.loads(json.dumps(good))).findings == [f]
    bad = [None, [], "x", {**good, "extra": 1}, {**good, "findings": "x"}, {**good, "identity": [1, 2]},
           {**good, "screen": {"GX606": ["t", [[-1]]]}}, {**good, "audit": [["GX1", "n", "s", "r", "1", "t"]]}]
    for i in range(16):
        finding = list(good["findings"][0])
        finding[i] = [] if not isinstance(finding[i], list) else 7
        bad.append({**good, "findings": [finding]})
    bad.append({**good, "findings": [good["findings"][0][:-1]]})
    bad.append({**good, "findings": [[*good["findings"][0][:4], True, *good["findings"][0][5:]]]})  # a bool for a line
    for x in bad:
        assert decode_result(x) is None, x


@pytest.mark.slow
def test_the_rule_pack_entry_is_checked_and_rewritten(tmp_path, monkeypatch):
    """The rule pack read from its cache entry is the pack parsed from the YAML; an entry of other
    files, of another shape, or hostile is a miss, and the entry is written again."""
    from gxlint.engine import _cache_file, builtin_rule_dir, load_pack, rule_files

    monkeypatch.setenv("GXLINT_CACHE_DIR", str(tmp_path / "c"))
    files = rule_files([builtin_rule_dir()])
    fresh = load_pack(files)
    path, stats = _cache_file(files)
    data = read_entry(path, "pack")
    assert data["files"] == stats and load_pack(files) == fresh
    for other in ({**data, "files": stats[:-1]}, {**data, "rules": {}}, {**data, "format": []},
                  {**data, "rules": [[*data["rules"][0][:2], "no-such-category", *data["rules"][0][3:]]]},
                  {**data, "rules": [[*data["rules"][0][:5], "no_such_kind", *data["rules"][0][6:]]]}):
        write_entry(path, "pack", other)
        assert load_pack(files) == fresh
        assert read_entry(path, "pack") == data


def test_a_batch_read_from_the_cache_compares_nothing_again(tmp_path, reads):
    """Every result and what comparing them found come from the cache: no report is read again
    (comparing reads the reports that share text)."""
    from gxlint.batch import cross_check
    from gxlint.cache import batch_step

    text = (SEEDS / "004_aa4e2e269a40bca7.txt").read_text(encoding="utf-8")
    paths = [tmp_path / "a.txt", tmp_path / "b.txt"]
    paths[0].write_text(text, encoding="utf-8")
    paths[1].write_text(text.replace("福州市长乐区", "福州市连江县"), encoding="utf-8")

    def batch():
        linter = Linter()
        linter.cache = ResultCache(str(tmp_path / "c"))
        linter.in_batch = True
        results = [linter.lint_path(str(p)) for p in paths]
        batch_step(results, linter.cache, "test", lambda: cross_check(results, lambda i: linter))
        return [dicts(r) for r in results]

    first = batch()
    assert "GX606" in {f["rule"] for fs in first for f in fs} and len(reads) > len(paths)  # compared: read again
    reads.clear()
    assert batch() == first and reads == []
