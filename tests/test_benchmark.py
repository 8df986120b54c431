"""benchmarks/run.py runs and prints every figure (a small run: figures are not judged here)."""
from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_benchmark_prints_its_table(tmp_path):
    p = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--reports", "10", "--memory-reports", "15",
         "--runs", "1", "--repeat", "1", "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=600,
    )
    assert p.returncode == 0, p.stderr
    rows = {name: (value, target) for name, value, target in
            re.findall(r"^\| (.+?)\s+\| (.+?)\s+\| (.*?) ?\|$", p.stdout, re.M)}
    assert rows.pop("measure") == ("value", "target")
    rate, ratio = r"\d+ reports/s", r"\d+\.\d"
    expect = {
        "cold `gxlint --no-cache one.docx`, wall time (median of 1, min-max)": (r"\d+ ms", ""),
        "cold `gxlint --no-cache one.docx`, CPU time (median of 1, min-max)": (r"\d+ ms", "<= 200 ms"),
        "warm, per .docx report as drafted, in process": (r"\d+\.\d ms", ""),
        "warm, per styled .docx report, in process": (r"\d+\.\d ms", ""),
        "warm, per .md report, in process": (r"\d+\.\d ms", ""),
        "`gxlint DIR -j 1`, 10 styled .docx": (rate, ""),
        "floor: unzip + parse document, styles, numbering, 10 styled .docx, 1 process": (rate, ""),
        "ratio gxlint / floor, styled .docx, CPU time, 1 process": (ratio, ""),
        "peak memory of the process tree (PSS), -j 2, 10 styled .docx": (r"[1-9]\d* MB", ""),
        "peak memory of the process tree (PSS), -j 2, 15 styled .docx": (r"[1-9]\d* MB", ""),
        "peak memory at 15 / at 10 reports": (r"\d+\.\d\d", "<= 1.2"),
        "`gxlint DIR -j 2`, 10 styled .docx, first run (empty result cache)": (rate, ""),
        "`gxlint DIR -j 2`, 10 styled .docx, cached run (files unchanged)": (rate, ""),
        "speed-up of the cached run, wall time": (ratio, ""),
        "ratio cached run / floor, styled .docx, CPU time": (ratio, "<= 0.2"),
    }
    for what, target in ((".docx as drafted", "<= 2"), ("styled .docx", "<= 3.5")):
        expect[f"`gxlint DIR -j 2`, 10 {what}"] = (rate, "")
        expect[f"floor: unzip + parse document, styles, numbering, 10 {what}, 2 processes"] = (rate, "")
        expect[f"ratio gxlint / floor, {what}, CPU time (whole process tree)"] = (ratio, target)
        expect[f"ratio gxlint / floor, {what}, wall time (2 processes each)"] = (ratio, "")
    assert set(rows) == set(expect), p.stdout
    for name, (pattern, target) in expect.items():
        assert re.fullmatch(pattern, rows[name][0]) and rows[name][1] == target, (name, rows[name])
    # every report has a template of its own, of a real template's size
    for kind in ("docx", "drafted"):
        files = sorted((tmp_path / "out" / kind).glob("*.docx"))
        assert len(files) == 10
        styles = [zipfile.ZipFile(f).read("word/styles.xml") for f in files]
        assert len(set(styles)) == 10
        assert all(100 * 1024 <= len(s) <= 360 * 1024 for s in styles)
    assert len(list((tmp_path / "out" / "memory").glob("*.docx"))) == 15
