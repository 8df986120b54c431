"""Benchmark gxlint and print its figures as a table, each with its spread and its target.

    python benchmarks/run.py [--reports 1000] [--memory-reports 10000] [--runs 11] [--repeat 3]
                             [--jobs 2] [--out benchmarks/out]

Generates realistic reports from the five seed texts under benchmarks/out/, each with a
template of its own, as the reports of different offices are: every .docx gets a distinct
word/styles.xml (100-350 KB: the used styles kept, the others renamed, refonted, resized or
dropped, and unused styles of the office added; see ``template``), so no reader can reuse a
parsed template across the batch.  Two folders of --reports files: the seeds as drafted (direct
fonts and paragraph properties on every paragraph and run, revision ids, runs cut at the
figures, as a drafter's Word writes them: tests/docxbuild.py as_drafted; the primary figure)
and the seeds styled (the national layout through styles and Word numbering), plus .md copies
for the in-process figure.  Then measures:

* cold: wall and CPU time of `gxlint --no-cache one.docx` in a new process (median, min-max), with
  the package's bytecode compiled first, as pip does when it installs gxlint;
* warm: time per report linted in one process (as drafted, styled, .md);
* batch: `gxlint --no-cache -j N DIR` over each .docx folder and its floor, run in turn
  --repeat times (interleaved, so a busy machine slows both alike): reports per second, and
  the ratios gxlint / floor of wall time and of CPU time (user + system of the whole process
  tree: steady on a shared machine; the figure to judge), each as median (min-max);
* floor: the same files only unzipped and their word/document.xml, styles.xml and numbering.xml
  parsed with lxml (what any reader of the text, headings and list labels must do; issue 28), on
  the same number of processes (in a process of its own, not counting the interpreter's start,
  which gxlint's figures do count);
* peak memory of the whole process tree (the sum of the proportional set size, PSS, of gxlint
  and its workers, sampled every 20 ms from /proc) at --reports and at --memory-reports
  styled reports (the --reports ones, then copies each with one more style of its own office,
  so every template is still distinct: ``batch_of``), and their ratio: it should not grow
  with the batch;
* the result cache: `gxlint DIR` over the styled folder with an empty cache (first run), then
  again over the unchanged files (cached run), --repeat times: the speed-up and the cached
  run's CPU time against the floor's.  Every other batch figure is measured with --no-cache.

Targets (issues 19 and 28): CPU ratio styled <= 3.5, as drafted <= 2, cached <= 0.2; memory at
--memory-reports within 20% of that at --reports.
"""
from __future__ import annotations

import argparse
import os
import random
import re
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

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FONTS = ["仿宋_GB2312", "仿宋", "宋体", "黑体", "楷体_GB2312", "方正小标宋简体", "微软雅黑", "Times New Roman", "等线"]
SIZES = ["21", "24", "28", "30", "32", "36", "44"]


def template(styles: bytes, used: set[str], seed: int) -> bytes:
    """A distinct styles.xml of 100-350 KB made from ``styles`` for the office numbered ``seed``:
    the styles ``used`` by the document (and what they are based on) kept as they are, the
    others renamed, given other fonts and sizes or dropped, and unused styles of the office's
    own added, as a real Word template of another office is."""
    from lxml import etree

    rng = random.Random(seed)
    root = etree.fromstring(styles)
    q = f"{{{W}}}"
    all_styles = {st.get(q + "styleId"): st for st in root.iter(q + "style")}
    keep = set(used) | {sid for sid, st in all_styles.items() if st.get(q + "default") == "1"}
    todo = list(keep)
    while todo:  # what the kept styles are based on, linked to or followed by
        st = all_styles.get(todo.pop())
        for tag in ("basedOn", "link", "next"):
            el = st.find(q + tag) if st is not None else None
            if el is not None and el.get(q + "val") not in keep:
                keep.add(el.get(q + "val"))
                todo.append(el.get(q + "val"))
    suffix = f"{seed:x}"
    for sid, st in all_styles.items():
        if sid in keep:
            continue
        st.set(q + "styleId", sid + suffix)
        name = st.find(q + "name")
        if name is not None:
            name.set(q + "val", f"{name.get(q + 'val')} {suffix}")
        for sz in st.iter(q + "sz", q + "szCs"):
            sz.set(q + "val", rng.choice(SIZES))
        for f in st.iter(q + "rFonts"):
            f.set(q + "eastAsia", rng.choice(FONTS))
    parent = next(root.iter(q + "style")).getparent()
    for k in range(rng.randint(5, 40)):  # the office's own styles, unused in this report
        font, size = rng.choice(FONTS), rng.choice(SIZES)
        parent.append(etree.fromstring(
            f'<w:style xmlns:w="{W}" w:type="paragraph" w:customStyle="1" w:styleId="gw{suffix}x{k}">'
            f'<w:name w:val="公文样式{k} {suffix}"/><w:basedOn w:val="Normal"/><w:qFormat/>'
            f'<w:pPr><w:spacing w:line="{rng.choice([480, 520, 560, 580])}" w:lineRule="exact"/>'
            f'<w:ind w:firstLineChars="{rng.choice([0, 200])}" w:firstLine="{rng.choice([0, 640])}"/></w:pPr>'
            f'<w:rPr><w:rFonts w:ascii="{font}" w:eastAsia="{font}" w:hAnsi="{font}"/><w:sz w:val="{size}"/>'
            f'<w:szCs w:val="{size}"/></w:rPr></w:style>'))
    target = rng.randint(100, 350) * 1024
    spare = [st for sid, st in all_styles.items() if sid not in keep]
    rng.shuffle(spare)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    size = len(data)
    while spare and size - len(etree.tostring(spare[-1])) >= target:  # (an estimate: never below target)
        st = spare.pop()
        size -= len(etree.tostring(st))
        st.getparent().remove(st)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def used_styles(parts: dict[str, bytes]) -> set[str]:
    """The style ids the document and its numbering name."""
    text = parts["word/document.xml"] + parts.get("word/numbering.xml", b"")
    return {m.decode() for m in re.findall(rb'w:(?:pStyle|rStyle|tblStyle|pStyleLink|styleLink) w:val="([^"]+)"', text)}


def with_templates(src: Path, folder: Path, offices: list[int]) -> None:
    """Copies of the .docx ``src`` in ``folder``, one for each office number of ``offices``
    (``r{office}.docx``), each with that office's styles.xml."""
    with zipfile.ZipFile(src) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    used = used_styles(parts)
    for office in offices:
        name = f"r{office:05d}.docx"
        mine = dict(parts, **{"word/styles.xml": template(parts["word/styles.xml"], used, office)})
        mine.pop("word/stylesWithEffects.xml", None)  # Word 2010's copy: a template of another Word lacks it
        with zipfile.ZipFile(folder / name, "w", zipfile.ZIP_DEFLATED) as z:
            for part, data in mine.items():
                z.writestr(part, data)


def batch_of(styled: Path, folder: Path, n: int, size: int) -> None:
    """``size`` reports in ``folder`` for the memory figure, quicker to make than as many
    templates: the ``n`` styled reports (linked), then report i is report i % n with one more
    style of office i in its template, so every styles.xml is still distinct (no reader may reuse a
    parsed one) and as large."""
    for i in range(size):
        src = styled / f"r{i % n:05d}.docx"
        dst = folder / f"r{i:05d}.docx"
        if i < n:
            os.link(src, dst)
            continue
        with zipfile.ZipFile(src) as z:
            parts = {info.filename: z.read(info) for info in z.infolist()}
        parts["word/styles.xml"] = parts["word/styles.xml"].replace(b"</w:styles>", (
            f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="office{i}"><w:name w:val="单位{i}正文"/>'
            f'<w:basedOn w:val="Normal"/></w:style></w:styles>').encode())
        with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            for part, data in parts.items():
                z.writestr(part, data)


FLOOR_PARTS = ("word/document.xml", "word/styles.xml", "word/numbering.xml")


def floor_one(path: str) -> int:
    """What any reader of a report's text, headings and list labels must do: unzip and parse
    document.xml, styles.xml and numbering.xml (those of the package's that are there)."""
    from lxml import etree

    n = 0
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        for part in FLOOR_PARTS:
            if part in names:
                n += len(etree.fromstring(z.read(part)))
    return n


def timed(cmd, env=None) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of a command and the processes it waits for."""
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%U %S", *cmd], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t
    user, system = (p.stderr.strip().split("\n")[-1].split() + ["0", "0"])[:2]
    return wall, float(user) + float(system)


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_peak(cmd, env=None) -> int:
    """Peak memory (KB) of a command's whole process tree: the sum of the PSS of its processes
    (shared pages counted once, in shares), sampled every 20 ms."""
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    peak = 0
    while p.poll() is None:
        peak = max(peak, sum(_pss_kb(x) for x in _tree(p.pid)))
        time.sleep(0.02)
    return peak


def floor(folder: str, jobs: int) -> None:
    """The floor: every .docx of ``folder`` unzipped and its FLOOR_PARTS parsed, on ``jobs``
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


def spread(values, fmt: str = "{:.1f}") -> str:
    """median (min-max) of ``values``."""
    values = list(values)
    med = fmt.format(statistics.median(values))
    if len(values) < 2:
        return med
    return f"{med} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def generate(out: Path, n: int, memory: int) -> dict[str, Path]:
    """The folders of reports: drafted, docx (styled), md, memory (--memory-reports styled)."""
    from docxbuild import as_drafted
    from seeddocx import seed_docx

    shutil.rmtree(out, ignore_errors=True)
    folders = {k: out / k for k in ("drafted", "docx", "md", "memory")}
    for f in folders.values():
        f.mkdir(parents=True)
    seeds = sorted((ROOT / "tests" / "seeds").glob("*.txt"))
    base = [seed_docx(s, out / f"{s.stem}.docx") for s in seeds]
    drafted = [out / f"{s.stem}-drafted.docx" for s in seeds]
    for b, d in zip(base, drafted):
        as_drafted(b, d)
    for k, (b, d) in enumerate(zip(base, drafted)):  # report i is seed i % 5, office i
        offices = range(k, n, len(seeds))
        with_templates(b, folders["docx"], offices)
        with_templates(d, folders["drafted"], offices)
    for i in range(n):
        shutil.copy(seeds[i % len(seeds)], folders["md"] / f"r{i:05d}.md")
    if memory > n:
        batch_of(folders["docx"], folders["memory"], n, memory)
    return {"one": base[-1], **folders}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--memory-reports", type=int, default=10000,
                    help="the larger batch whose peak memory is compared with that of --reports")
    ap.add_argument("--runs", type=int, default=11, help="cold starts measured")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each batch and of its floor, interleaved")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out", help="where the reports are generated")
    ap.add_argument("--floor", metavar="DIR", help=argparse.SUPPRESS)  # run the floor over DIR (in its own process)
    args = ap.parse_args()
    if args.floor:
        return floor(args.floor, args.jobs)

    n, m, jobs = args.reports, max(args.memory_reports, args.reports), args.jobs
    out = args.out
    folders = generate(out, n, m)
    exe = [sys.executable, "-c", "import re, sys; from gxlint.entry import main; sys.exit(main())"]  # as pip's script runs it
    one = folders["one"]
    # pip writes the bytecode of an installed package; an editable checkout (or one run with
    # PYTHONDONTWRITEBYTECODE set) would otherwise compile every module in every cold run.
    import compileall

    import gxlint

    compileall.compile_dir(str(Path(gxlint.__file__).parent), quiet=1)

    subprocess.run([*exe, str(one)], capture_output=True)  # warm the rule cache and the OS cache
    # --no-cache: a drafter lints a file just changed, so a cold run lints (a cached result
    # would only be looked up; benchmarks/cold.py measures both)
    cold = [timed([*exe, "--no-cache", str(one)]) for _ in range(args.runs)]

    from gxlint.engine import Linter

    linter = Linter()
    warm = {}
    for kind in ("drafted", "docx", "md"):
        files = sorted(folders[kind].glob("*.*"))[:200]
        linter.lint_path(str(files[0]))
        t = time.perf_counter()
        for f in files:
            linter.lint_path(str(f))
        warm[kind] = (time.perf_counter() - t) / len(files)

    rows = [
        (f"cold `gxlint --no-cache one.docx`, wall time (median of {args.runs}, min-max)",
         f"{spread((w * 1000 for w, _ in cold), '{:.0f}')} ms", ""),
        (f"cold `gxlint --no-cache one.docx`, CPU time (median of {args.runs}, min-max)",
         f"{spread((c * 1000 for _, c in cold), '{:.0f}')} ms", "<= 200 ms"),
        ("warm, per .docx report as drafted, in process", f"{warm['drafted'] * 1000:.1f} ms", ""),
        ("warm, per styled .docx report, in process", f"{warm['docx'] * 1000:.1f} ms", ""),
        ("warm, per .md report, in process", f"{warm['md'] * 1000:.1f} ms", ""),
    ]

    def batch_and_floor(folder: Path, jobs: int) -> list[tuple[float, float, float, float]]:
        """gxlint and the floor over ``folder``, run in turn --repeat times: (wall, CPU) of each."""
        runs = []
        for _ in range(args.repeat):
            wall, cpu = timed([*exe, "--no-cache", "-j", str(jobs), str(folder)])
            base_wall, base_cpu = run_floor(str(folder), jobs)
            runs.append((wall, cpu, base_wall, base_cpu))
        return runs

    for kind, what, target in (("drafted", ".docx as drafted", "<= 2"), ("docx", "styled .docx", "<= 3.5")):
        runs = batch_and_floor(folders[kind], jobs)
        rows += [
            (f"`gxlint DIR -j {jobs}`, {n} {what}", f"{spread((n / r[0] for r in runs), '{:.0f}')} reports/s", ""),
            (f"floor: unzip + parse document, styles, numbering, {n} {what}, {jobs} processes",
             f"{spread((n / r[2] for r in runs), '{:.0f}')} reports/s", ""),
            (f"ratio gxlint / floor, {what}, CPU time (whole process tree)",
             spread(r[1] / r[3] for r in runs), target),
            (f"ratio gxlint / floor, {what}, wall time ({jobs} processes each)", spread(r[0] / r[2] for r in runs), ""),
        ]
    runs = batch_and_floor(folders["docx"], 1)
    rows += [
        (f"`gxlint DIR -j 1`, {n} styled .docx", f"{spread((n / r[0] for r in runs), '{:.0f}')} reports/s", ""),
        (f"floor: unzip + parse document, styles, numbering, {n} styled .docx, 1 process",
         f"{spread((n / r[2] for r in runs), '{:.0f}')} reports/s", ""),
        ("ratio gxlint / floor, styled .docx, CPU time, 1 process", spread(r[1] / r[3] for r in runs), ""),
    ]
    big = folders["memory"] if m > n else folders["docx"]
    peak_n = tree_peak([*exe, "--no-cache", "-j", str(jobs), str(folders["docx"])])
    peak_m = tree_peak([*exe, "--no-cache", "-j", str(jobs), str(big)])
    rows += [
        (f"peak memory of the process tree (PSS), -j {jobs}, {n} styled .docx", f"{peak_n / 1024:.0f} MB", ""),
        (f"peak memory of the process tree (PSS), -j {jobs}, {m} styled .docx", f"{peak_m / 1024:.0f} MB", ""),
        (f"peak memory at {m} / at {n} reports", f"{peak_m / max(peak_n, 1):.2f}", "<= 1.2"),
    ]
    # the result cache: a first run fills an empty cache, a second over the unchanged files reads
    # none (every file has its own template, so no two files share a cache entry)
    cache_env = dict(os.environ, GXLINT_CACHE_DIR=str(out / "cache"))
    first, again, floor_cpu = [], [], []
    for _ in range(args.repeat):
        shutil.rmtree(out / "cache", ignore_errors=True)
        first.append(timed([*exe, "-j", str(jobs), str(folders["docx"])], env=cache_env))
        again.append(timed([*exe, "-j", str(jobs), str(folders["docx"])], env=cache_env))
        floor_cpu.append(run_floor(str(folders["docx"]), jobs)[1])
    rows += [
        (f"`gxlint DIR -j {jobs}`, {n} styled .docx, first run (empty result cache)",
         f"{spread((n / w for w, _ in first), '{:.0f}')} reports/s", ""),
        (f"`gxlint DIR -j {jobs}`, {n} styled .docx, cached run (files unchanged)",
         f"{spread((n / w for w, _ in again), '{:.0f}')} reports/s", ""),
        ("speed-up of the cached run, wall time", spread(f[0] / a[0] for f, a in zip(first, again)), ""),
        ("ratio cached run / floor, styled .docx, CPU time",
         spread(a[1] / f for a, f in zip(again, floor_cpu)), "<= 0.2"),
    ]
    width = max(len(r[0]) for r in rows)
    vwidth = max(len(r[1]) for r in rows)
    print(f"| {'measure':<{width}} | {'value':<{vwidth}} | target |")
    print(f"|{'-' * (width + 2)}|{'-' * (vwidth + 2)}|--------|")
    for name, value, target in rows:
        print(f"| {name:<{width}} | {value:<{vwidth}} | {target} |")


if __name__ == "__main__":
    main()
