"""CPU time of a cold `gxlint one.docx`: a new process each run, as a user starts it.

    python benchmarks/cold.py [--runs 31] [--file REPORT] [--imports] [--against DIR] [--checkout]

The report is the last seed as a Word document in the national layout (tests/seeddocx.py)
unless --file names one.  gxlint is measured as pip installs it: `pip install --no-deps
--target` of this source tree into a temporary folder (bytecode compiled), run with
``python -S`` and that folder and this interpreter's site-packages on PYTHONPATH, so that
the hooks of a development checkout's editable install (its .pth finder imports pathlib and
more at every start, some 15 ms) are not counted, and run as the ``gxlint`` script pip writes
runs it (``from gxlint.entry import main; sys.exit(main())``); --checkout measures the checkout
as it is (its bytecode compiled), hooks included.  CPU time (user + system, from the kernel's accounting of the child:
steady on a shared machine, unlike wall time) is measured for, interleaved run by run:

* ``python -c pass``: the interpreter's own start (with the same -S), the part gxlint cannot lower;
* ``gxlint one.docx``, result cache miss: the rule pack's cache is warm (any second run),
  the report's result is not (it was just edited): what a user waits for;
* ``gxlint one.docx``, result cache hit (the file unchanged since the last run);
* ``gxlint --no-cache one.docx``.

Prints the median and the spread (min, quartiles, max) of each, in milliseconds.
--against DIR runs the gxlint commands of another source tree too (e.g. an older commit:
``git archive COMMIT | tar -x -C DIR``), interleaved with these, for a before/after.
--imports adds the modules that took longest to import (``-X importtime``, self time,
median over 5 runs) in the cache-miss run.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def cpu(cmd: list[str], env: dict, cwd: str) -> float:
    """User + system CPU seconds of one run of ``cmd`` (and of any child it waits for)."""
    with open(os.devnull, "wb") as null:
        p = subprocess.Popen(cmd, stdout=null, stderr=null, env=env, cwd=cwd)
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited with {p.returncode}")
    return usage.ru_utime + usage.ru_stime


def spread(xs: list[float]) -> str:
    q = statistics.quantiles(xs, n=4) if len(xs) > 1 else [xs[0]] * 3
    ms = [x * 1000 for x in (min(xs), q[0], q[1], q[2], max(xs))]
    return f"{ms[2]:6.0f} ms   (min {ms[0]:.0f}, quartiles {ms[1]:.0f}–{ms[3]:.0f}, max {ms[4]:.0f})"


def import_times(cmd: list[str], env: dict, cwd: str, before, runs: int = 5, top: int = 25) -> list[tuple[str, float, float]]:
    """(module, median self µs, median cumulative µs) of the slowest imports of ``cmd``."""
    selfs: dict[str, list[int]] = {}
    cums: dict[str, list[int]] = {}
    for _ in range(runs):
        before()
        p = subprocess.run([cmd[0], "-X", "importtime", *cmd[1:]], capture_output=True, text=True, env=env, cwd=cwd)
        for line in p.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            _, s, c, name = (x.strip() for x in line.replace("import time:", "|").split("|"))
            selfs.setdefault(name, []).append(int(s))
            cums.setdefault(name, []).append(int(c))
    rows = [(n, statistics.median(v), statistics.median(cums[n])) for n, v in selfs.items()]
    return sorted(rows, key=lambda r: -r[1])[:top]


def launch(src: Path, folder: Path, checkout: bool) -> dict:
    """The environment that runs the gxlint of source tree ``src``: the tree itself (its
    bytecode compiled) with --checkout, else an install of it into ``folder``."""
    import compileall
    import site

    if checkout:
        compileall.compile_dir(str(src / "gxlint"), quiet=1)
        return {"PYTHONPATH": str(src)} if src != ROOT else {}
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(folder), str(src)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    compileall.compile_dir(str(folder / "gxlint"), quiet=1)
    return {"PYTHONPATH": os.pathsep.join([str(folder), *site.getsitepackages()])}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=31, help="runs of each command (interleaved)")
    ap.add_argument("--file", type=Path, help="the report (default: a seed as .docx)")
    ap.add_argument("--imports", action="store_true", help="also list the slowest imports")
    ap.add_argument("--against", type=Path, metavar="DIR", help="also run the gxlint of this source tree")
    ap.add_argument("--checkout", action="store_true", help="run the checkout (python -m gxlint) instead of an install")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="gxlint-cold-"))
    try:
        if args.file:
            one = work / args.file.name
            shutil.copy(args.file, one)
        else:
            from seeddocx import seed_docx

            seed = sorted((ROOT / "tests" / "seeds").glob("*.txt"))[-1]
            one = Path(seed_docx(seed, work / "one.docx"))
        cache = work / "cache"
        env = {**os.environ, "GXLINT_CACHE_DIR": str(cache)}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        py = [sys.executable] if args.checkout else [sys.executable, "-S"]
        # what pip's `gxlint` script runs (not `python -m gxlint`, whose runpy a user does not pay)
        gx = [*py, "-c", "import re, sys; from gxlint.entry import main; sys.exit(main())"]
        env = {**env, **launch(ROOT, work / "install", args.checkout)}
        commands = {
            f"{' '.join(['python', *py[1:]])} -c pass (the interpreter alone)": [*py, "-c", "pass"],
            "gxlint one.docx, result cache miss": [*gx, one.name],
            "gxlint one.docx, result cache hit": [*gx, one.name],
            "gxlint --no-cache one.docx": [*gx, "--no-cache", one.name],
        }
        envs = {name: env for name in commands}
        if args.against:
            other = {**env, **launch(args.against.resolve(), work / "against", args.checkout)}
            for name, cmd in list(commands.items()):
                if "gxlint" in name:
                    commands[f"{name} [{args.against.name}]"] = cmd
                    envs[f"{name} [{args.against.name}]"] = other
        for name, cmd in commands.items():  # warm: the rule pack's cache, the OS's file cache
            cpu(cmd, envs[name], str(work))
        times: dict[str, list[float]] = {k: [] for k in commands}
        for _ in range(args.runs):
            for name, cmd in commands.items():
                if "miss" in name:
                    shutil.rmtree(cache / "results", ignore_errors=True)
                times[name].append(cpu(cmd, envs[name], str(work)))
        print(f"CPU time (user + system), median of {args.runs} interleaved runs, {one.stat().st_size // 1024} KB .docx")
        width = max(map(len, commands))
        for name, xs in times.items():
            print(f"  {name:<{width}}  {spread(xs)}")
        if args.imports:
            print("\nslowest imports, result cache miss (-X importtime, median of 5; self / cumulative µs):")
            for name, s, c in import_times(commands["gxlint one.docx, result cache miss"], env, str(work),
                                         lambda: shutil.rmtree(cache / "results", ignore_errors=True)):
                print(f"  {s:8.0f} {c:8.0f}  {name}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
