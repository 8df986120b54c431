"""Baseline: --write-baseline records today's findings; --baseline (or baseline: in the config)
reports only new ones, surviving edits elsewhere in the file, and counts the fixed ones."""
import json
import shutil
import subprocess
import sys

from conftest import SEED_FILES
import pytest

SEED_000 = "000_6c964df6ff835ea4.txt"  # GX401 「700%」 on line 35, GX201 on line 126
SEED_002 = "002_9e678f4fbfe67a94.txt"  # clean


def run(*args, cwd=None):
    p = subprocess.run([sys.executable, "-m", "gxlint", *map(str, args)], capture_output=True, text=True, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def folder(tmp_path):
    d = tmp_path / "reports"
    d.mkdir()
    for s in SEED_FILES:
        shutil.copy(s, d / s.name)
    return d


def edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


@pytest.mark.slow
def test_write_then_nothing_then_only_the_new_defect_then_fixed_is_counted(tmp_path):
    d = folder(tmp_path)
    rc, out, _ = run(d)
    assert rc == 1 and out.count("\n") >= 10
    total = out.count("\n")
    base = tmp_path / "baseline.json"
    rc, out, err = run(d, "--write-baseline", base)
    assert rc == 0 and out == "" and f"{total} 个问题" in err
    entries = json.loads(base.read_text(encoding="utf-8"))["findings"]
    assert len(entries) == total and entries[0]["path"] == f"reports/{SEED_000}"

    rc, out, err = run(d, "--baseline", base)
    assert (rc, out) == (0, "") and f"基线中的 {total} 个问题未显示" in err

    # edits elsewhere (lines inserted at the top of a report with findings) change no fingerprint;
    # one new defect in the clean report is the only finding
    edit(d / SEED_000, "\n", "\n补充说明一行。\n补充说明两行。\n")
    clean = (d / SEED_002).read_text(encoding="utf-8").split("\n")
    para = next(i for i, ln in enumerate(clean) if len(ln) > 30 and "\t" not in ln and "率" not in ln)
    clean[para] += "政策性文件解读率为700%。"
    (d / SEED_002).write_text("\n".join(clean), encoding="utf-8")
    rc, out, err = run(d, "--baseline", base)
    assert rc == 1, err
    lines = out.strip().split("\n")
    assert len(lines) == 1 and lines[0].startswith(f"{d / SEED_002}:{para + 1}:") and "GX401" in lines[0]

    # fixing a baselined defect is counted
    edit(d / SEED_000, "700%", "70%")
    rc, out, err = run(d, "--baseline", base)
    assert len(out.strip().split("\n")) == 1
    assert "基线中的 1 个问题已不再出现（已修复）" in err


def test_baseline_from_the_config_and_a_different_working_directory(tmp_path):
    d = folder(tmp_path)
    (tmp_path / ".gxlint.yaml").write_text("baseline: gxlint-baseline.json\n", encoding="utf-8")
    rc, out, err = run("reports", "--write-baseline", "gxlint-baseline.json", cwd=tmp_path)
    assert rc == 0
    rc, out, err = run(d / SEED_000, cwd=d)  # the config is found upward; paths are relative to the baseline
    assert (rc, out) == (0, ""), err
    edit(d / SEED_000, "闽财非税函（2021）1号", "闽财非税函（2021）2号")  # the old finding fixed, a new one made
    rc, out, err = run(d / SEED_000, cwd=d)
    assert rc == 1 and out.count("\n") == 1 and "（2021）2号" in out and "1 个问题已不再出现" in err


def test_bad_or_missing_baseline_is_one_clear_error(tmp_path):
    d = folder(tmp_path)
    rc, out, err = run(d, "--baseline", tmp_path / "none.json")
    assert rc == 2 and "E013" in err and "Traceback" not in err
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 1}', encoding="utf-8")
    rc, out, err = run(d, "--baseline", bad)
    assert rc == 2 and "E020" in err and "不是 gxlint 的基线文件" in err


@pytest.mark.slow
def test_the_editor_uses_the_configs_baseline(tmp_path, monkeypatch):
    from gxlint.lsp import GxServer

    monkeypatch.setenv("GXLINT_CACHE_DIR", str(tmp_path / "cache"))
    d = folder(tmp_path)
    report = d / SEED_000
    server = GxServer([].append)
    before = [x["code"] for x in server.lint_file(str(report))]
    assert "GX401" in before
    (tmp_path / ".gxlint.yaml").write_text("baseline: b.json\n", encoding="utf-8")
    rc, _, _ = run(d, "--write-baseline", tmp_path / "b.json")
    assert rc == 0
    server = GxServer([].append)
    assert server.lint_file(str(report)) == []
    edit(report, "闽财非税函（2021）1号", "闽财非税函（2021）2号")
    assert [x["code"] for x in server.lint_file(str(report))] == ["GX201"]


@pytest.mark.slow
def test_fixed_counts_only_what_this_run_checked_and_writing_says_what_was_written(tmp_path):
    """A baselined finding counts as fixed (已修复) only when the rule that made it ran again on
    that file and did not find it: not when --select/--ignore left the rule out, not for the
    files not linted.  --write-baseline's summary says the findings
    were written, never 未发现问题."""
    d = folder(tmp_path)
    base = tmp_path / "baseline.json"
    rc, out, err = run(d, "--write-baseline", base)
    entries = json.loads(base.read_text(encoding="utf-8"))["findings"]
    assert rc == 0 and out == "" and "未发现问题" not in err, err
    assert f"已写入基线 {base}：{len(entries)} 个问题" in err and "发现的问题已全部写入基线" in err
    of_000 = [e["rule"] for e in entries if e["path"].endswith(SEED_000)]
    assert "GX401" in of_000 and "GX201" in of_000 and len(entries) > len(of_000)

    rc, out, err = run(d, "--baseline", base, "--select", "GX401")  # the other rules were not run
    assert (rc, out) == (0, "") and "已修复" not in err and "基线中的 1 个问题未显示" in err, err
    rc, out, err = run(d / SEED_000, "--baseline", base)  # the other files were not linted
    assert (rc, out) == (0, "") and "已修复" not in err and f"基线中的 {len(of_000)} 个问题未显示" in err, err
    assert "未发现基线以外的新问题" in err

    edit(d / SEED_000, "700%", "70%")  # fixed: counted by the run that checks GX401, and only by it
    assert "基线中的 1 个问题已不再出现（已修复）" in run(d, "--baseline", base, "--select", "GX401")[2]
    assert "已修复" not in run(d, "--baseline", base, "--ignore", "GX401")[2]
    assert "基线中的 1 个问题已不再出现（已修复）" in run(d / SEED_000, "--baseline", base)[2]


# ------------------------------------------------------------------ hostile baselines (issue 31)
def _one_error(code, *args, words=()):
    """The run refuses at once: one error line with ``code`` (and ``words``), status 2, no findings
    (the subprocess timeout is a hang guard, not a speed check)."""
    p = subprocess.run([sys.executable, "-m", "gxlint", "--no-cache", *map(str, args)], capture_output=True,
                       text=True, timeout=120)
    lines = p.stderr.strip().splitlines()
    assert p.returncode == 2 and len(lines) == 1 and f"错误：{code} " in lines[0], p.stderr
    assert all(w in lines[0] for w in words) and p.stdout == "", lines
    return lines[0]


@pytest.mark.parametrize("special", ["fifo", "/dev/zero", "/dev/null"])
def test_a_fifo_or_device_as_baseline_is_refused_unread(tmp_path, special):
    """A FIFO with no writer would block the run, /dev/zero would fill memory: neither is opened
    for reading (a FIFO is opened without blocking, and what was opened is checked)."""
    import os

    report = tmp_path / SEED_000
    shutil.copy(SEED_FILES[0], report)
    path = special
    if special == "fifo":
        path = tmp_path / "baseline.json"
        os.mkfifo(path)
    _one_error("E013", report, "--baseline", path, words=("基线文件", "不是普通文件"))
    config = tmp_path / ".gxlint.yaml"  # named by the config: the same
    config.write_text(f"baseline: {path}\n", encoding="utf-8")
    _one_error("E013", report, words=("基线文件",))


@pytest.mark.parametrize("content", [b"[" * 100_000 + b"]" * 100_000,
                                     b'{"version": 1, "findings": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
                                     "{\"version\": 1, \"findings\": []}".encode("utf-16"),
                                     b'{"version": 1, "findings": [{"path": "\xff\xfe", "fingerprint": "x"}]}',
                                     b'{"version": 1, "findings": [' + b"9" * 5000 + b"]}"],
                         ids=["nested-100000", "findings-nested", "utf-16", "latin-1-bytes", "5000-digits"])
def test_a_baseline_nested_deep_or_not_utf8_is_e020(tmp_path, content):
    report = tmp_path / SEED_000
    shutil.copy(SEED_FILES[0], report)
    base = tmp_path / "baseline.json"
    base.write_bytes(content)
    _one_error("E020", report, "--baseline", base, words=(str(base),))
