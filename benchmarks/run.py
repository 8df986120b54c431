"""Benchmark gxlint and print its figures.

    python benchmarks/run.py [--reports 200] [--runs 11]

Generates reports from the seed texts (as .docx in the national layout with
merged cells, and as .md) under benchmarks/out/, then measures:
  * cold: wall time of `gxlint one.docx` in a new process (median of --runs);
  * warm: time per report linted in one process (after the first);
  * batch: reports per second for `gxlint DIR` over all generated .docx files;
  * peak memory of that batch process.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=200)
    ap.add_argument("--runs", type=int, default=11)
    args = ap.parse_args()

    from seeddocx import seed_docx

    out = ROOT / "benchmarks" / "out"
    shutil.rmtree(out, ignore_errors=True)
    (out / "docx").mkdir(parents=True)
    seeds = sorted((ROOT / "tests" / "seeds").glob("*.txt"))
    base = [seed_docx(s, out / f"{s.stem}.docx") for s in seeds]
    for i in range(args.reports):
        shutil.copy(base[i % len(base)], out / "docx" / f"r{i:04d}.docx")
    exe = [sys.executable, "-m", "gxlint"]
    one = base[-1]

    subprocess.run([*exe, str(one)], capture_output=True)  # warm the rule cache and the OS cache
    cold = []
    for _ in range(args.runs):
        t = time.perf_counter()
        subprocess.run([*exe, str(one)], capture_output=True)
        cold.append(time.perf_counter() - t)

    from gxlint.engine import Linter

    linter = Linter()
    files = sorted((out / "docx").glob("*.docx"))
    linter.lint_path(str(files[0]))
    t = time.perf_counter()
    for f in files:
        linter.lint_path(str(f))
    warm = (time.perf_counter() - t) / len(files)

    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M", *exe, str(out / "docx")], capture_output=True, text=True)
    batch = time.perf_counter() - t
    peak_kb = int(p.stderr.strip().split("\n")[-1]) if p.stderr.strip().split("\n")[-1].isdigit() else 0

    print(f"{'measure':<40} {'value':>12}")
    print(f"{'cold gxlint one.docx (median of ' + str(args.runs) + ')':<40} {statistics.median(cold) * 1000:>9.0f} ms")
    print(f"{'warm, per report, in process':<40} {warm * 1000:>9.1f} ms")
    print(f"{'batch gxlint DIR (' + str(len(files)) + ' .docx)':<40} {len(files) / batch:>7.0f} rep/s")
    print(f"{'batch peak memory':<40} {peak_kb / 1024:>9.0f} MB")


if __name__ == "__main__":
    main()
