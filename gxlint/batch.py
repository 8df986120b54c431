"""Many files at once: folder expansion (with the config's include/exclude globs) and parallel linting.

Results always come back in input order (folders expanded in sorted path
order), whatever the number of workers, so output is the same for ``-j 1``
and ``-j 8``.  A file that cannot be read is that file's result, never the
end of the batch.
"""
from __future__ import annotations

import os
from typing import Callable, Iterable

from .config import glob_matches
from .engine import FileResult, Linter
from .errors import E_KILLED, InputError

# A process pool costs ~50 ms to start: below this many files one process is faster.
MIN_PARALLEL = 8


def expand(path: str, include: list[str] | None = None, exclude: list[str] | None = None,
           base: str | None = None) -> list[str]:
    """The report files under folder `path`, sorted; a file path is returned as given.

    Hidden folders and Word's lock files (``~$*``) are skipped; a README or notes beside the
    reports are read, and skipped with one info line (GX027) as not a report.  `include` and
    `exclude` are globs matched against the path relative to `base` (the
    config file's folder, else `path`) and against the file name; ``*`` also
    matches ``/``.
    """
    from .readers import SUFFIXES

    if not os.path.isdir(path):
        return [path]
    base = os.path.abspath(base or path)
    out = []
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            low = name.lower()
            if name.startswith("~$") or not low.endswith(SUFFIXES):
                continue
            full = os.path.join(root, name)
            rel = os.path.relpath(os.path.abspath(full), base).replace(os.sep, "/")
            if include and not glob_matches(rel, include):
                continue
            if exclude and glob_matches(rel, exclude):
                continue
            out.append(full)
    return out


_WORKER_LINTERS: dict = {}


def _init_worker(linters: dict) -> None:
    global _WORKER_LINTERS
    _WORKER_LINTERS = linters


def _lint_one(item: tuple[str, object, str | None]) -> FileResult:
    path, key, encoding = item
    return _lint(_WORKER_LINTERS[key], path, encoding)


def _lint(linter: Linter, path: str, encoding: str | None) -> FileResult:
    return linter.lint_path(path, encoding=encoding)


def lint_files(items: list[tuple[str, object]], linters: dict, encoding: str | None = None, jobs: int = 0,
               progress: Callable[[int], None] | None = None) -> list[FileResult]:
    """Lint each (path, linter key) with ``linters[key]``, on `jobs` processes (0: all cores).

    A worker that dies (killed by the out-of-memory killer, a crash in a library) costs only
    its file: when the pool breaks, the files without a result are linted again, each in a
    process of its own, and a file whose process dies again gets an E098 error."""
    jobs = jobs or os.cpu_count() or 1
    jobs = min(jobs, len(items))
    work = [(path, key, encoding) for path, key in items]
    if jobs <= 1 or len(items) < MIN_PARALLEL:
        results: Iterable[FileResult] = (_lint(linters[key], path, enc) for path, key, enc in work)
        return _collect(results, progress)
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from multiprocessing.connection import wait

    ctx = _context()
    chunk = max(1, min(32, len(work) // (jobs * 8)))
    out: list[FileResult] = []
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker,
                                 initargs=(linters,)) as pool:
            for r in pool.map(_lint_one, work, chunksize=chunk):
                out.append(r)
                if progress is not None:
                    progress(1)
    except BrokenProcessPool:
        rest = _isolated(work[len(out):], linters, jobs, ctx, wait)
        out += _collect(rest, progress)
    return out


def _context():
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _child(conn, linter: Linter, path: str, encoding: str | None) -> None:
    conn.send(_lint(linter, path, encoding))
    conn.close()


def _isolated(work: list, linters: dict, jobs: int, ctx, wait) -> list[FileResult]:
    """Lint each item in a process of its own, `jobs` at a time; a process that ends without
    a result (killed) gives its file an E098 error."""
    results: dict[int, FileResult] = {}
    queue = list(range(len(work)))
    running: dict = {}  # connection -> (index, process)
    while queue or running:
        while queue and len(running) < jobs:
            i = queue.pop(0)
            path, key, encoding = work[i]
            recv, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, args=(send, linters[key], path, encoding), daemon=True)
            proc.start()
            send.close()
            running[recv] = (i, proc)
        for conn in wait(list(running)):
            i, proc = running.pop(conn)
            try:
                results[i] = conn.recv()
            except (EOFError, OSError):
                proc.join()
                results[i] = FileResult(work[i][0], error=InputError(E_KILLED, _killed(proc.exitcode)))
            conn.close()
            proc.join()
    return [results[i] for i in range(len(work))]


def _killed(exitcode) -> str:
    how = f"被信号 {-exitcode} 终止" if exitcode is not None and exitcode < 0 else f"意外退出（状态 {exitcode}）"
    return (f"检查此文件的进程{how}，可能是内存不足或程序库崩溃；其他文件照常检查。"
            "请单独检查此文件（gxlint -j 1），若仍失败请报告给 gxlint 开发者")


def _collect(results: Iterable[FileResult], progress) -> list[FileResult]:
    out = []
    for r in results:
        out.append(r)
        if progress is not None:
            progress(1)
    return out


def cross_check(results: list[FileResult], linter_of: Callable[[int], Linter], encoding: str | None = None) -> None:
    """Run the rules that compare the reports of a batch (kind shared_text), once every report is
    linted: a screen over what each report kept (``FileResult.screen``), then, for the few reports
    that share enough, a full comparison (those reports are read again).  Their findings join the
    results, sorted, masked where personal data is, and counted in the audit."""
    from .audit import FAIL
    from .findings import Finding, hide_masked
    from .kinds.shared_text import candidates
    from .readers import read

    screened = [i for i, r in enumerate(results) if r.error is None and r.screen]
    if len(screened) < 2:
        return
    rules = {r.id: r for i in screened for r in linter_of(i).rules if r.id in results[i].screen}
    pairs: dict[int, set[int]] = {}
    for rule in rules.values():
        screens = [(i, results[i].screen[rule.id]) for i in screened if rule.id in results[i].screen]
        for i, js in candidates(rule, screens).items():
            pairs.setdefault(i, set()).update(js)
    prose: dict[int, tuple | None] = {}

    def digest(j: int):
        if j not in prose:
            try:
                prose[j] = linter_of(j).digest(read(results[j].path, encoding=encoding or linter_of(j).config.encoding))
            except Exception:  # noqa: BLE001 - read once already; if not again, it is not compared
                prose[j] = None
        return prose[j]

    for i, js in sorted(pairs.items()):
        result, linter = results[i], linter_of(i)
        others = [(results[j].path, d) for j in sorted(js) if (d := digest(j)) is not None]
        try:
            doc = read(result.path, encoding=encoding or linter.config.encoding)
            found, _ = linter.check(doc, path=result.path, others=others, only=("shared_text",))
        except Exception:  # noqa: BLE001 - the file's result stays as it was
            continue
        if not found:
            continue
        result.findings = sorted(result.findings + found, key=Finding.sort_key)
        hide_masked(result.findings)
        for entry in result.audit or ():
            n = sum(1 for f in found if f.rule == entry.rule)
            if n:
                entry.status, entry.findings = FAIL, entry.findings + n
