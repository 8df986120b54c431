"""benchmarks/run.py runs and prints every figure (a small run: figures are not judged here)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_prints_its_table(tmp_path):
    p = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--reports", "20", "--runs", "1", "--repeat", "1", "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=300,
    )
    assert p.returncode == 0, p.stderr
    rows = dict(re.findall(r"^\| (.+?)\s+\| (.+?) \|$", p.stdout, re.M))
    assert rows.pop("measure") == "value"
    expect = {
        "cold `gxlint one.docx` (median of 1)": r"\d+ ms",
        "warm, per .docx report, in process": r"\d+\.\d ms",
        "warm, per .docx report as drafted, in process": r"\d+\.\d ms",
        "warm, per .md report, in process": r"\d+\.\d ms",
        "`gxlint DIR -j 1`, 20 .docx": r"\d+ reports/s",
        "floor: unzip + parse document.xml, 20 .docx, 1 process": r"\d+ reports/s",
        "peak memory, -j 2, 5 .docx": r"[1-9]\d* MB",
        "peak memory, -j 2, 20 .docx": r"[1-9]\d* MB",
    }
    expect["`gxlint DIR -j 2`, 20 .docx, first run (empty result cache)"] = r"\d+ reports/s"
    expect["`gxlint DIR -j 2`, 20 .docx, cached run (files unchanged)"] = r"\d+ reports/s"
    expect["speed-up of the cached run"] = r"\d+\.\d"
    for what in (".docx", ".docx as drafted"):
        expect[f"`gxlint DIR -j 2`, 20 {what}"] = r"\d+ reports/s"
        expect[f"floor: unzip + parse document.xml, 20 {what}, 2 processes"] = r"\d+ reports/s"
        expect[f"ratio gxlint / floor, {what}, wall time (2 processes each)"] = r"\d+\.\d"
        expect[f"ratio gxlint / floor, {what}, CPU time"] = r"\d+\.\d"
    assert set(rows) == set(expect), p.stdout
    for name, pattern in expect.items():
        assert re.fullmatch(pattern, rows[name]), (name, rows[name])
    assert len(list((tmp_path / "out" / "docx").glob("*.docx"))) == 20
    assert len(list((tmp_path / "out" / "drafted").glob("*.docx"))) == 20
