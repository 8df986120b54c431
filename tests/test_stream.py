"""Streamed batches: a file's findings are written as soon as it and the files before it are
done, and the batch keeps per report only what comparing reports needs (issue 19)."""
import shutil
import subprocess
import sys
import textwrap

import pytest
from conftest import SEED_FILES

# Runs gxlint on a folder; linting the last file first waits for a gate file that the test
# creates only once it has read the first file's findings on gxlint's standard output.
GATED = textwrap.dedent("""
    import os, sys, time
    from gxlint.engine import Linter

    gate, last = sys.argv[1], sys.argv[2]
    lint_path = Linter.lint_path

    def gated(self, path, **kw):
        if os.path.basename(path) == last:
            for _ in range(6000):  # a safety cap (60 s): the test fails on the marker, not on time
                if os.path.exists(gate):
                    break
                time.sleep(0.01)
            else:
                sys.stderr.write("GATE NEVER OPENED\\n")
        return lint_path(self, path, **kw)

    Linter.lint_path = gated
    from gxlint.cli import main

    main(sys.argv[3:])
""")


def folder_of(tmp_path, n: int, suffix: str = ".txt"):
    d = tmp_path / "reports"
    d.mkdir()
    for i in range(n):
        shutil.copy(SEED_FILES[i % len(SEED_FILES)], d / f"r{i:03d}{suffix}")
    return d


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_first_files_findings_come_before_the_last_file_is_linted(tmp_path, jobs):
    n = 12  # -j 2 on more than batch.MIN_PARALLEL files: the process pool
    d = folder_of(tmp_path, n)
    gate = tmp_path / "gate"
    last = f"r{n - 1:03d}.txt"
    p = subprocess.Popen([sys.executable, "-c", GATED, str(gate), last, "--no-cache", "-j", jobs, str(d)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = p.stdout.readline()  # gxlint is still waiting on the gate: this line was written before
    gate.touch()
    rest = p.stdout.read()  # (not communicate(): it would skip what readline has buffered)
    err = p.stderr.read()
    p.wait(timeout=300)
    assert "GATE NEVER OPENED" not in err
    assert first.startswith(str(d / "r000.txt") + ":"), first
    assert "Traceback" not in err and p.returncode == 1
    # the whole output is what an unstreamed run prints
    whole = subprocess.run([sys.executable, "-m", "gxlint", "--no-cache", "-j", "1", str(d)],
                           capture_output=True, text=True)
    assert first + rest == whole.stdout
    paths = [ln.split(":", 1)[0] for ln in whole.stdout.splitlines()]
    assert paths == sorted(paths)


# tracemalloc's peaks over in-process `gxlint -j 1 --no-cache -q FOLDER` runs (output to a file), in
# a process of its own: the process-wide memos (labels, table shapes, wordings) filled by other
# tests would otherwise be cleared or grown in one run and not in another.
PEAKS = textwrap.dedent("""
    import sys, tracemalloc
    from gxlint.cli import main

    out, folders = sys.argv[1], sys.argv[2:]
    for folder in folders:
        with open(out, "w") as f:
            saved, sys.stdout = sys.stdout, f
            tracemalloc.start()
            try:
                main(["-j", "1", "--no-cache", "-q", folder], standalone_mode=False)
            except SystemExit:
                pass
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            sys.stdout = saved
        print(peak)
""")


def _peaks_of_batches(tmp_path, *folders) -> list[int]:
    p = subprocess.run([sys.executable, "-c", PEAKS, str(tmp_path / "out.txt"), *map(str, folders)],
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 0 and "Traceback" not in p.stderr, p.stderr
    return [int(x) for x in p.stdout.split()]


@pytest.mark.slow
def test_what_a_batch_keeps_per_report_is_small(tmp_path):
    """A batch of 4N reports peaks within 1 KiB a report of a batch of N (findings, audit and
    output are not kept: only a report's path, identity and where its screen is on disk); before
    streaming, the batch kept every result (about 5 KiB a report)."""
    small, large = tmp_path / "small", tmp_path / "large"
    for d, n in ((small, 15), (large, 60)):
        d.mkdir()
        for i in range(n):
            shutil.copy(SEED_FILES[i % len(SEED_FILES)], d / f"r{i:03d}.txt")
    # The first run grows what every run shares once (imports, rule pack, regexes); each batch is
    # then measured twice and the lower peak counts: a process-wide table that grows once (the
    # interpreter's interned strings, about 400 KB when it resizes, in whichever run crosses its
    # threshold) does not count as what a batch keeps per report.
    _, a1, b1, a2, b2 = _peaks_of_batches(tmp_path, large, small, large, small, large)
    a, b = min(a1, a2), min(b1, b2)
    assert b - a < 45 * 1024, (a1, b1, a2, b2)
    # the same batch's output is all there (what is not kept was written)
    lines = (tmp_path / "out.txt").read_text(encoding="utf-8").splitlines()
    assert len({ln.split(":", 1)[0] for ln in lines}) >= 60 * 4 // 5


def test_shared_text_findings_follow_the_files_in_path_order(tmp_path):
    """GX606 compares the whole batch: its findings come after the last file's own, in path
    order; JSON (one document) puts them in their files: the same findings either way."""
    import json

    from test_shared_text import SEED, copying_000

    for key in ("000", "001", "003", "004"):
        shutil.copy(SEED[key], tmp_path / f"{key}.txt")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "copy.txt").write_text(copying_000(SEED["002"].read_text(encoding="utf-8")), encoding="utf-8")

    def run(*args):
        return subprocess.run([sys.executable, "-m", "gxlint", "--no-cache", *args, "."], capture_output=True,
                              text=True, cwd=tmp_path).stdout

    got = run().splitlines()
    shared = [i for i, ln in enumerate(got) if " GX606 " in ln]
    assert len(shared) == 4  # the copy's two paragraphs and their source's two
    assert min(shared) > max(i for i, ln in enumerate(got) if " GX606 " not in ln)
    assert [got[i].split(":", 1)[0] for i in shared] == ["./000.txt"] * 2 + ["./sub/copy.txt"] * 2
    doc = json.loads(run("--format", "json"))
    in_json = [(f["path"], x["line"]) for f in doc["files"] for x in f["findings"] if x["rule"] == "GX606"]
    assert in_json == [(got[i].split(":")[0], int(got[i].split(":")[1])) for i in shared]
    for f in doc["files"]:  # each file's findings in order, the compared ones among them
        keys = [(x["line"], x["column"]) for x in f["findings"]]
        assert keys == sorted(keys)
    # with --audit, the compared rule's entry follows its findings, failed
    import re

    out = run("--audit").splitlines()
    audit = [i for i, ln in enumerate(out) if re.match(r"[^:]+: GX606 ", ln)]
    assert [re.match(r"[^:]+", out[i])[0] for i in audit[-2:]] == ["./000.txt", "./sub/copy.txt"]
    assert audit[-2] > min(i for i, ln in enumerate(out) if re.match(r"[^:]+:\d+:\d+: warning: GX606 ", ln))
    audit = [out[i] for i in audit[-2:]]
    assert all("未通过（2 处）" in ln for ln in audit), audit


def test_a_baseline_holds_and_drops_what_comparing_adds(tmp_path):
    """--write-baseline records the GX606 findings that come after the files; --baseline then
    drops them (none shown, none counted as fixed), and one removed from the baseline is new."""
    import json

    from test_shared_text import SEED, copying_000

    d = tmp_path / "b"
    d.mkdir()
    for key in ("000", "001"):
        shutil.copy(SEED[key], d / f"{key}.txt")
    (d / "copy.txt").write_text(copying_000(SEED["002"].read_text(encoding="utf-8")), encoding="utf-8")
    base = tmp_path / "baseline.json"

    def run(*args):
        return subprocess.run([sys.executable, "-m", "gxlint", "--no-cache", *map(str, args), str(d)],
                              capture_output=True, text=True)

    p = run("--write-baseline", base)
    assert p.returncode == 0 and p.stdout == ""
    entries = json.loads(base.read_text(encoding="utf-8"))["findings"]
    assert sum(e["rule"] == "GX606" for e in entries) == 4
    p = run("--baseline", base)
    assert p.returncode == 0 and p.stdout == "" and "已修复" not in p.stderr
    assert f"基线中的 {len(entries)} 个问题未显示" in p.stderr
    doc = json.loads(base.read_text(encoding="utf-8"))
    doc["findings"] = [e for e in doc["findings"] if not (e["rule"] == "GX606" and e["path"].endswith("copy.txt"))]
    base.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    p = run("--baseline", base)
    new = [ln for ln in p.stdout.splitlines()]
    assert sum(" GX606 " in ln and "copy.txt" in ln.split(":")[0] for ln in new) == 2
