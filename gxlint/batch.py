"""Many files at once: folder expansion (with the config's include/exclude globs) and parallel linting.

Results always come back in input order (folders expanded in sorted path
order), whatever the number of workers, so output is the same for ``-j 1``
and ``-j 8``, and they are streamed (:func:`stream`): each as soon as it and
the files before it are done.  A file that cannot be read is that file's
result, never the end of the batch.

Once a result is written out, a batch keeps of it only a :class:`Kept`: what
comparing the reports with each other needs (:func:`cross_check` for GX606,
``pairing.pair_years``), its screen in a :class:`Spool` on disk.  What the
comparisons add comes back from :func:`changes` and is merged into the
results of the one-document formats by the Spool that holds them (``merged``).
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator

from .config import glob_matches
from .engine import FileResult, Linter
from .errors import E_KILLED, GxlintError, InputError

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
    for root, files in _walk(path):
        for name in files:
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


def _walk(top: str) -> Iterator[tuple[str, list[str]]]:
    """(folder, its file names, sorted) under ``top``, as ``os.walk`` gives them top-down with the
    subfolders in sorted order, hidden ones skipped, without recursion: a folder nested 1,100
    deep (os.walk's RecursionError in Python 3.11) is walked to its bottom.  Symlinks to
    folders are not followed; a folder that cannot be listed is skipped, as os.walk does."""
    stack = [top]
    while stack:
        root = stack.pop()
        dirs, files = [], []
        try:
            with os.scandir(root) as entries:
                for entry in entries:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    if not is_dir:
                        files.append(entry.name)
                    elif not entry.name.startswith(".") and not entry.is_symlink():
                        dirs.append(entry.name)
        except OSError:
            continue
        yield root, sorted(files)
        stack.extend(os.path.join(root, d) for d in sorted(dirs, reverse=True))


_WORKER_LINTERS: dict = {}


def _init_worker(linters: dict) -> None:
    global _WORKER_LINTERS
    _WORKER_LINTERS = linters


def _lint_chunk(work: list[tuple[str, object, str | None]]) -> list[FileResult]:
    return [_lint(_WORKER_LINTERS[key], path, encoding) for path, key, encoding in work]


def _lint(linter: Linter, path: str, encoding: str | None) -> FileResult:
    return linter.lint_path(path, encoding=encoding)


def lint_files(items: list[tuple[str, object]], linters: dict, options=None,
               progress: Callable[[int], None] | None = None) -> list[FileResult]:
    """The results of :func:`stream`, as a list."""
    out = []
    for r in stream(items, linters, options):
        out.append(r)
        if progress is not None:
            progress(1)
    return out


def stream(items: list[tuple[str, object]], linters: dict, options=None) -> Iterator[FileResult]:
    """Lint each (path, linter key) with ``linters[key]`` on ``options.jobs`` processes (0: all cores;
    ``options``: a gxlint.options.Options, default the command's), reading text reports in
    ``options.encoding``, and yield the results in input order, each as soon as it and those
    before it are done.

    Results in the result cache are taken here, in this process, as the batch goes by; only the
    other files go to the worker processes (started at the first of them).  At most a few chunks
    per worker are in flight, so a batch of any size holds only those results (a slow file
    holds back the output of the files after it, not their linting, up to that window).

    A worker that dies (killed by the out-of-memory killer, a crash in a library) costs only
    its file: when the pool breaks, the files without a result are linted again, each in a
    process of its own, and a file whose process dies again gets an E098 error."""
    if options is None:
        from .options import Options

        options = Options()
    encoding = options.encoding
    jobs = min(options.jobs or os.cpu_count() or 1, len(items))
    if jobs <= 1 or len(items) < MIN_PARALLEL:
        for path, key in items:
            yield _lint(linters[key], path, encoding)
        return
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    ctx = _context()
    chunk = max(1, min(16, len(items) // (jobs * 8)))
    window = jobs * 4 * chunk  # items taken and not yet yielded
    pending: deque = deque()  # (future or None, its work items or [its cached result]), in input order
    part: list = []
    taken = queued = done = 0  # items taken from `items`, in flight, yielded
    pool = None

    def submit(work: list) -> None:
        """``work`` to the pool (started at the first file not in the cache)."""
        nonlocal pool, queued
        if pool is None:
            pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker,
                                       initargs=(linters,))
        pending.append((pool.submit(_lint_chunk, work), work))
        queued += len(work)

    try:
        while True:
            while taken < len(items) and queued + len(part) < window:
                path, key = items[taken]
                taken += 1
                hit = linters[key].cached(path, encoding)
                if hit is None:
                    part.append((path, key, encoding))
                    if len(part) < chunk:
                        continue
                if part:
                    submit(part)
                    part = []
                if hit is not None:
                    pending.append((None, [hit]))
                    queued += 1
            if part:  # the window is full or the items are all taken: what is gathered goes now
                submit(part)
                part = []
            if not pending:
                return
            future, what = pending[0]
            results = what if future is None else future.result()
            pending.popleft()
            queued -= len(what)
            for r in results:
                done += 1
                yield r
    except BrokenProcessPool:
        pass
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    # the pool broke: the files not yielded yet, each in a process of its own (a cached one is
    # only looked up there), in order
    from multiprocessing.connection import wait

    yield from _isolated([(path, key, encoding) for path, key in items[done:]], linters, jobs, ctx, wait)


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


def _screen_rules(r) -> tuple:
    return r.screen_rules if isinstance(r, Kept) else tuple(r.screen or ())


class _Screens:
    """(index, its screen for rule ``rule_id``) of the ``screened`` results, read from disk at
    each pass (a kind's ``candidates`` may make several)."""

    def __init__(self, results, screened: list[int], rule_id: str):
        self.results, self.rule_id = results, rule_id
        self.screened = [i for i in screened if rule_id in _screen_rules(results[i])]

    def __len__(self) -> int:
        return len(self.screened)

    def __iter__(self):
        for i in self.screened:
            yield i, self.results[i].screen[self.rule_id]


def cross_check(results: list[FileResult], linter_of: Callable[[int], Linter], encoding: str | None = None) -> None:
    """Run the rules that compare the reports of a batch (their kinds need ``others``), once every
    report is linted: a screen over what each report kept (``FileResult.screen``, the kind's
    ``candidates``), then, for the few reports that share enough, a full comparison (those reports
    are read again).  Their findings join the results, sorted, masked where personal data is, and
    counted in the audit."""
    from . import kinds
    from .audit import FAIL
    from .findings import Finding, hide_masked
    from .readers import read

    screened = [i for i, r in enumerate(results) if r.error is None and _screen_rules(r)]
    if len(screened) < 2:
        return
    rules = {r.id: r for i in screened for r in linter_of(i).rules if r.id in _screen_rules(results[i])}
    pairs: dict[int, set[int]] = {}
    for rule in rules.values():
        for i, js in kinds.load(rule.kind).candidates(rule, _Screens(results, screened, rule.id)).items():
            pairs.setdefault(i, set()).update(js)
    prose: dict[int, tuple | None] = {}

    def digest(j: int):
        if j not in prose:
            try:
                prose[j] = linter_of(j).digest(read(results[j].path, encoding=encoding or linter_of(j).config.encoding, formats=linter_of(j).formats))
            except Exception:  # noqa: BLE001 - read once already; if not again, it is not compared
                prose[j] = None
        return prose[j]

    for i, js in sorted(pairs.items()):
        result, linter = results[i], linter_of(i)
        others = [(results[j].path, d) for j in sorted(js) if (d := digest(j)) is not None]
        try:
            doc = read(result.path, encoding=encoding or linter.config.encoding, formats=linter.formats)
            found, _ = linter.check(doc, path=result.path, others=others, only="others")
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


class Kept:
    """What a batch keeps of a report once its result is written out: what comparing it with the
    other reports needs (its identity, its cache key, the findings that hide personal data in what
    the comparisons may add, and its screen, kept on disk in a :class:`Spool` and read back when the
    batch is compared) and, with --audit, the audit entries of the comparing rules.  ``findings``
    and ``audit`` then receive what the comparisons add (as a FileResult's would: cross_check and
    pair_years work on either)."""

    __slots__ = ("path", "error", "screen_rules", "_screen", "_spool", "identity", "cache_key", "findings", "audit",
                 "masks")

    def __init__(self, r: FileResult, comparing: set[str], screens: Spool | None = None, path: str | None = None):
        # `path`: the batch's own string for r.path (not a copy per report)
        self.path, self.error, self.cache_key = path or r.path, r.error, r.cache_key
        self.identity = _interned(r.identity) if r.identity else r.identity
        self.screen_rules = _interned(tuple(r.screen)) if r.screen else ()
        self._spool = screens if screens is not None and r.screen else None
        self._screen = screens.add(r.screen).offset if self._spool is not None else r.screen
        self.masks = [f for f in r.findings if f.masked] or None
        self.findings = list(self.masks or ())
        self.audit = None
        if r.audit is not None:
            from copy import copy

            self.audit = [copy(e) for e in r.audit if e.rule in comparing]

    @property
    def screen(self) -> dict | None:
        """{rule id: screen} (read back from disk)."""
        return _Stored(self._spool, self._screen).get() if self._spool is not None else self._screen

    def added(self) -> list:
        """The findings the comparisons added (sorted, masked like the report's own)."""
        return [f for f in self.findings if not self.masks or f not in self.masks]


_TUPLES: dict = {}


def _interned(t: tuple) -> tuple:
    """One tuple for all the reports with the same rule ids (a batch has one or two), or the same
    identity (the reports of one office)."""
    return _TUPLES.setdefault(t, t)


def changes(kept: list[Kept], compare: Callable[[], None]) -> dict[int, tuple[list, dict]]:
    """Run ``compare()`` (which adds to the ``findings`` and ``audit`` of ``kept``) and return, for each
    report it changed, (the findings it added, {rule: its new audit entry})."""
    def state(k):  # (a small int, without --audit: nothing per report but the list)
        if k.audit is None:
            return len(k.findings)
        return len(k.findings), tuple((a.rule, a.status, a.findings, a.reason) for a in k.audit)

    before = [state(k) for k in kept]
    compare()
    out = {}
    for i, (k, b) in enumerate(zip(kept, before)):
        if state(k) != b:
            old = dict((e[0], e) for e in b[1]) if isinstance(b, tuple) else {}
            audit = {a.rule: a for a in k.audit or () if old.get(a.rule) != (a.rule, a.status, a.findings, a.reason)}
            out[i] = (k.added(), audit)
    return out


def merged(r: FileResult, added: list, audit: dict) -> FileResult:
    """``r`` with what comparing the reports added to it: the findings in order, masked where
    personal data is, and the audit entries of the comparing rules."""
    from .findings import Finding, hide_masked

    if added:
        r.findings = sorted(r.findings + added, key=Finding.sort_key)
        hide_masked(r.findings)
    if audit and r.audit is not None:
        r.audit = [audit.get(e.rule, e) for e in r.audit]
    return r


class _Stored:
    """Where one object is in a Spool's file."""

    __slots__ = ("spool", "offset")

    def __init__(self, spool, offset: int):
        self.spool, self.offset = spool, offset

    def get(self):
        self.spool.file.seek(self.offset)
        return _load(self.spool.file.readline())


def _dump(obj) -> bytes:
    """One line of a Spool: a FileResult or a result's screen as JSON (data only: reading it back
    runs no code, unlike a pickle)."""
    import json

    from .cache import encode_result, encode_screen

    if isinstance(obj, FileResult):
        value = {"result": encode_result(obj), "path": obj.path, "key": obj.cache_key,
                 "error": None if obj.error is None else [obj.error.code, obj.error.message]}
    else:
        value = {"screen": encode_screen(obj)}
    # (a path of bytes that are no UTF-8 holds lone surrogates: kept as they are)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass") + b"\n"


def _load(line: bytes):
    """The FileResult or screen of a line :func:`_dump` wrote."""
    import json

    from .cache import decode_result, decode_screen

    value = json.loads(line.decode("utf-8", "surrogatepass"))
    if "screen" in value:
        return decode_screen(value["screen"])
    r = decode_result(value["result"])
    r.path, r.cache_key = value["path"], value["key"]
    if value["error"] is not None:
        r.error = GxlintError(*value["error"])
    return r


class Spool:
    """Objects kept on disk as they come (a line of JSON each in a temporary file), read back in
    order as often as needed, or one by one: the whole-document outputs of a batch (JSON, SARIF,
    HTML, GitHub's severity order, --report, --statistics) and the screens of its reports, without
    holding the batch in memory.  ``changes`` ({position: (added findings, audit entries)}) are
    merged into the FileResults as they are read in order."""

    def __init__(self):
        import tempfile

        self.file = tempfile.TemporaryFile(prefix="gxlint-")
        self.count = 0
        self.changes: dict[int, tuple[list, dict]] = {}

    def add(self, r) -> _Stored:
        offset = self.file.seek(0, os.SEEK_END)
        self.file.write(_dump(r))
        self.count += 1
        return _Stored(self, offset)

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[FileResult]:
        self.file.seek(0)
        for i in range(self.count):
            r = _load(self.file.readline())
            if i in self.changes:
                r = merged(r, *self.changes[i])
            yield r
