"""Benchmark gxlint and print its figures as a table.

    python benchmarks/run.py [--reports 1000] [--runs 11] [--repeat 3] [--jobs 2] [--out benchmarks/out]

Generates realistic reports from the seed texts under benchmarks/out/: the five
seeds as .docx in the national layout (Word numbering, merged header cells), the
same .docx as a drafter's Word writes them (direct fonts and paragraph properties
on every paragraph and run, revision ids, runs cut at the figures: about five
times the XML, see tests/docxbuild.py as_drafted) and as .md, copied to --reports
files of each.  Then measures:

* cold: wall time of `gxlint one.docx` in a new process (median of --runs), with
  the package's bytecode compiled first, as pip does when it installs gxlint;
* warm: time per report linted in one process (.docx and .md);
* batch: reports per second of `gxlint DIR -j N` over each .docx folder, and of -j 1
  (each batch and its floor run --repeat times in turn; medians);
* floor: the same files only unzipped and their word/document.xml parsed with
  lxml, on the same number of processes (in a process of its own, not counting
  the interpreter's start, which gxlint's figures do count); the ratio gxlint /
  floor for each folder, of wall time and of CPU time (user + system of all the
  processes: steadier than wall time on a shared machine);
* peak memory of the batch process tree, for a quarter of the files and for
  all of them (it should not grow with the batch);
* the result cache: `gxlint DIR` over the .docx folder (each copy made distinct by a zip
  comment) with an empty cache (first run), then again over the unchanged files (cached run),
  and the speed-up.  Every other batch figure is
  measured with --no-cache.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
import zipfile
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def floor_one(path: str) -> int:
    from lxml import etree

    with zipfile.ZipFile(path) as z:
        return len(etree.fromstring(z.read("word/document.xml")))


def timed(cmd, env=None) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, peak resident KB) of a command and the processes it waits for."""
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", *cmd], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t
    user, system, peak = (p.stderr.strip().split("\n")[-1].split() + ["0", "0", "0"])[:3]
    return wall, float(user) + float(system), int(peak) if peak.isdigit() else 0


def floor(folder: str, jobs: int) -> None:
    """The floor: every .docx of ``folder`` unzipped and its word/document.xml parsed, on ``jobs``
    processes.  Prints its wall and CPU seconds (all processes), interpreter start left out."""
    import resource

    import lxml.etree  # noqa: F401 - imported before the clock starts

    files = sorted(str(p) for p in Path(folder).glob("*.docx"))

    def cpu() -> float:
        return sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),
                                                    resource.getrusage(resource.RUSAGE_CHILDREN)))

    t, c = time.perf_counter(), cpu()
    if jobs == 1:
        for f in files:
            floor_one(f)
    else:
        pool = Pool(jobs)
        pool.map(floor_one, files, chunksize=16)
        pool.close()
        pool.join()  # the workers' CPU time counts once they are waited for
    print(time.perf_counter() - t, cpu() - c)


def run_floor(folder: str, jobs: int) -> tuple[float, float]:
    """(wall, CPU seconds) of the floor over ``folder``, in a process of its own."""
    p = subprocess.run([sys.executable, __file__, "--floor", folder, "--jobs", str(jobs)],
                       capture_output=True, text=True, check=True)
    wall, cpu = p.stdout.split()
    return float(wall), float(cpu)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each batch and floor (medians are printed)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out", help="where the reports are generated")
    ap.add_argument("--floor", metavar="DIR", help=argparse.SUPPRESS)  # run the floor over DIR (in its own process)
    args = ap.parse_args()
    if args.floor:
        return floor(args.floor, args.jobs)

    from docxbuild import as_drafted
    from seeddocx import seed_docx

    out = args.out
    shutil.rmtree(out, ignore_errors=True)
    for sub in ("docx", "drafted", "md", "quarter"):
        (out / sub).mkdir(parents=True)
    seeds = sorted((ROOT / "tests" / "seeds").glob("*.txt"))
    base = [seed_docx(s, out / f"{s.stem}.docx") for s in seeds]
    drafted = [out / f"{s.stem}-drafted.docx" for s in seeds]
    for b, d in zip(base, drafted):
        as_drafted(b, d)
    for i in range(args.reports):
        shutil.copy(base[i % len(base)], out / "docx" / f"r{i:04d}.docx")
        shutil.copy(drafted[i % len(base)], out / "drafted" / f"r{i:04d}.docx")
        shutil.copy(seeds[i % len(seeds)], out / "md" / f"r{i:04d}.md")
        if i < args.reports // 4:
            shutil.copy(base[i % len(base)], out / "quarter" / f"r{i:04d}.docx")
    exe = [sys.executable, "-m", "gxlint"]
    one = base[-1]
    # pip writes the bytecode of an installed package; an editable checkout (or one run with
    # PYTHONDONTWRITEBYTECODE set) would otherwise compile every module in every cold run.
    import compileall

    import gxlint

    compileall.compile_dir(str(Path(gxlint.__file__).parent), quiet=1)

    subprocess.run([*exe, str(one)], capture_output=True)  # warm the rule cache and the OS cache
    cold = []
    for _ in range(args.runs):
        t = time.perf_counter()
        subprocess.run([*exe, str(one)], capture_output=True)
        cold.append(time.perf_counter() - t)

    from gxlint.engine import Linter

    linter = Linter()
    warm = {}
    for kind in ("docx", "drafted", "md"):
        files = sorted((out / kind).glob("*.*"))[:200]
        linter.lint_path(str(files[0]))
        t = time.perf_counter()
        for f in files:
            linter.lint_path(str(f))
        warm[kind] = (time.perf_counter() - t) / len(files)

    n = args.reports
    rows = [
        (f"cold `gxlint one.docx` (median of {args.runs})", f"{statistics.median(cold) * 1000:.0f} ms"),
        ("warm, per .docx report, in process", f"{warm['docx'] * 1000:.1f} ms"),
        ("warm, per .docx report as drafted, in process", f"{warm['drafted'] * 1000:.1f} ms"),
        ("warm, per .md report, in process", f"{warm['md'] * 1000:.1f} ms"),
    ]
    def batch_and_floor(folder: str, jobs: int) -> tuple[float, float, float, float, int]:
        """gxlint and the floor over ``folder``, each run --repeat times in turn: (median wall of
        gxlint, median wall of the floor, median ratio of wall times, of CPU times, peak KB)."""
        runs = []
        for _ in range(args.repeat):
            batch, batch_cpu, peak = timed([*exe, "--no-cache", "-j", str(jobs), folder])
            base, base_cpu = run_floor(folder, jobs)
            runs.append((batch, base, batch / base, batch_cpu / base_cpu, peak))
        return (*(statistics.median(r[i] for r in runs) for i in range(4)), max(r[4] for r in runs))

    for kind, what in (("docx", ".docx"), ("drafted", ".docx as drafted")):
        folder = str(out / kind)
        batch, base, ratio, ratio_cpu, peak = batch_and_floor(folder, args.jobs)
        rows += [
            (f"`gxlint DIR -j {args.jobs}`, {n} {what}", f"{n / batch:.0f} reports/s"),
            (f"floor: unzip + parse document.xml, {n} {what}, {args.jobs} processes", f"{n / base:.0f} reports/s"),
            (f"ratio gxlint / floor, {what}, wall time ({args.jobs} processes each)", f"{ratio:.1f}"),
            (f"ratio gxlint / floor, {what}, CPU time", f"{ratio_cpu:.1f}"),
        ]
        if kind == "docx":
            peak_all = peak
            batch_1, base_1, _, _, _ = batch_and_floor(folder, 1)
            rows += [
                (f"`gxlint DIR -j 1`, {n} .docx", f"{n / batch_1:.0f} reports/s"),
                (f"floor: unzip + parse document.xml, {n} .docx, 1 process", f"{n / base_1:.0f} reports/s"),
            ]
    _, _, peak_quarter = timed([*exe, "--no-cache", "-j", str(args.jobs), str(out / "quarter")])
    rows += [
        (f"peak memory, -j {args.jobs}, {n // 4} .docx", f"{peak_quarter / 1024:.0f} MB"),
        (f"peak memory, -j {args.jobs}, {n} .docx", f"{peak_all / 1024:.0f} MB"),
    ]
    # the result cache: a first run fills an empty cache, a second over the unchanged files reads none
    import os

    # (the copies are made distinct by a zip comment: the cache keys files by content, so copies
    # of one report would otherwise be linted once)
    unique = out / "unique"
    unique.mkdir()
    for i, f in enumerate(sorted((out / "docx").glob("*.docx"))):
        shutil.copy(f, unique / f.name)
        with zipfile.ZipFile(unique / f.name, "a") as z:
            z.comment = f"copy {i}".encode()
    cache_env = dict(os.environ, GXLINT_CACHE_DIR=str(out / "cache"))
    first, again = [], []
    for _ in range(args.repeat):
        shutil.rmtree(out / "cache", ignore_errors=True)
        first.append(timed([*exe, "-j", str(args.jobs), str(unique)], env=cache_env)[0])
        again.append(timed([*exe, "-j", str(args.jobs), str(unique)], env=cache_env)[0])
    first_s, again_s = statistics.median(first), statistics.median(again)
    rows += [
        (f"`gxlint DIR -j {args.jobs}`, {n} .docx, first run (empty result cache)", f"{n / first_s:.0f} reports/s"),
        (f"`gxlint DIR -j {args.jobs}`, {n} .docx, cached run (files unchanged)", f"{n / again_s:.0f} reports/s"),
        ("speed-up of the cached run", f"{first_s / again_s:.1f}"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"| {'measure':<{width}} | value |")
    print(f"|{'-' * (width + 2)}|-------|")
    for name, value in rows:
        print(f"| {name:<{width}} | {value} |")


if __name__ == "__main__":
    main()
