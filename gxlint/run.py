"""Linting from the command line, without click: ``gxlint [OPTIONS] PATH...`` once its options are
parsed (gxlint.cli parses them with click; gxlint.entry calls :func:`lint` directly for the plain
``gxlint FILE...``, so that a cold lint of one report does not import click).

Exit status: 0 when no finding has severity error, 1 when one does or when some input could not be
read, 2 for a usage or config error or when no input could be read at all.  Heavy imports happen
inside the functions.
"""
from __future__ import annotations

import os
import sys

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def echo(message: str = "", err: bool = False, nl: bool = True) -> None:
    """Print ``message`` on standard output (or error), flushed, as click.echo does."""
    f = sys.stderr if err else sys.stdout
    f.write(message + ("\n" if nl else ""))
    f.flush()


def _split(values) -> list[str]:
    out = []
    for v in values or ():
        out += [x.strip() for x in v.split(",") if x.strip()]
    return out


def _fail(code: str, message: str):
    """A usage, config or whole-run error: one Chinese line on standard error, exit status 2."""
    echo(f"gxlint：错误：{code} {message}", err=True)
    sys.exit(EXIT_ERROR)


def lint(paths=(), fmt="text", output_file=None, exit_zero=False, quiet=False, statistics=False, fail_on="error",
         select=(), ignore=(), config_path=None, encoding=None, jobs=0, report_path=None, previous=None, fix=False,
         diff=False, output=None, audit=False, annotate=None, stdin_filename=None, urls_file=None,
         no_suppressions=False, baseline_path=None, write_baseline=None, no_cache=False, cache_dir=None):
    """Lint ``paths`` as `gxlint lint` does with these options (the defaults are the command's);
    exits with the exit status."""
    from .batch import expand
    from .config import find_config, load_config
    from .engine import Linter
    from .errors import GxlintError
    from .formatters import REPORT_SUFFIXES

    paths = (*paths, *_read_urls(urls_file))
    if not paths:
        _fail("E022", "请给出要检查的报告文件或文件夹，例如：gxlint draft.docx")
    fetched = _Fetched() if any(map(_is_url, paths)) else None
    if fetched and (fix or diff or annotate or "-" in paths):
        _fail("E022", "--fix、--diff、--annotate 和「-」不能用于网址，请下载后对文件使用")
    if config_path and not os.path.isfile(config_path):
        _fail("E020", f"配置文件不存在：{config_path}")
    if previous and not os.path.isfile(previous):
        _fail("E013", f"上年报告不存在：{previous}")
    if previous and any(os.path.isfile(p) and os.path.samefile(p, previous) for p in paths if p != "-"):
        _fail("E022", f"--previous 给出的 {previous} 就是被检查的报告本身，请给出上一年度的报告")
    stdin = "-" in paths
    if stdin and len(paths) != 1:
        _fail("E022", "「-」（标准输入）不能与其他文件一起检查")
    if stdin and (fix or diff or annotate):
        _fail("E022", "--fix、--diff 和 --annotate 不能用于标准输入，请对文件使用")
    if stdin_filename and not stdin:
        _fail("E022", "--stdin-filename 只能与「-」（从标准输入读取）一起使用")
    if output and not fix:
        _fail("E022", "-o/--output 只能与 --fix 一起使用")
    if output and (len(paths) != 1 or os.path.isdir(paths[0])):
        _fail("E022", "--fix -o 一次只处理一个报告文件")
    # --annotate, like cp: into a folder when it is one (or ends with /), or for several reports
    annotate_dir = bool(annotate) and (os.path.isdir(annotate) or annotate.endswith(("/", os.sep))
                                       or len(paths) != 1 or os.path.isdir(paths[0]))
    if annotate_dir and not os.path.isdir(annotate) and (os.path.exists(annotate) or annotate.lower().endswith(".docx")):
        _fail("E022", f"检查多份报告时 --annotate 应给出目录（批注副本按原相对路径写入其中），而不是文件 {annotate}")
    if annotate and not annotate_dir and not paths[0].lower().endswith(".docx"):
        _fail("E022", f"--annotate 只能用于 .docx 报告：{paths[0]}")
    report_fmt = None
    if report_path:
        report_fmt = REPORT_SUFFIXES.get(os.path.splitext(report_path)[1].lower())
        if report_fmt is None:
            _fail("E022", f"--report 的文件应以 {'、'.join(REPORT_SUFFIXES)} 结尾：{report_path}")
    linters: dict = {}
    configs: dict = {}

    found: dict[str, str | None] = {}  # folder -> its config (a folder of 1,000 reports is looked up once)

    def linter_key(path: str):
        folder = os.path.dirname(os.path.abspath(path)) if not os.path.isdir(path) else os.path.abspath(path)
        if not config_path and folder not in found:
            found[folder] = find_config(path)
        cfg_path = config_path or found[folder]
        if cfg_path not in linters:
            configs[cfg_path] = load_config(cfg_path)
            if previous:
                configs[cfg_path].previous = os.path.abspath(previous)
            linters[cfg_path] = Linter(configs[cfg_path], select=_split(select), ignore=_split(ignore), audit=audit)
            linters[cfg_path].suppressions = not no_suppressions
            linters[cfg_path].verify_previous = True
            if not no_cache:
                from .cache import ResultCache

                linters[cfg_path].cache = ResultCache(cache_dir)
        return cfg_path

    items = []
    names: dict[str, str] = {}  # path -> its name under the --annotate folder
    try:
        if stdin:
            name = stdin_filename or "-"
            stdin_key = linter_key(stdin_filename or os.path.join(os.getcwd(), "-"))
            results = [_lint_stdin(linters[stdin_key], name, encoding)]
            paths = ()
        from .readers import SUFFIXES

        for arg in paths:
            if fetched is not None and _is_url(arg):
                local = fetched.get(arg, len(items))
                if local is not None:
                    items.append((local, linter_key(os.path.join(os.getcwd(), "-"))))
                continue
            # a folder named like a report (x.docx) is an error of its own, not an empty folder
            if os.path.isdir(arg) and not arg.rstrip("/" + os.sep).lower().endswith(SUFFIXES):
                key = linter_key(arg)
                cfg = configs[key]
                base = os.path.dirname(key) if key else None
                for p in expand(arg, cfg.include, cfg.exclude, base):
                    items.append((p, linter_key(p)))
                    if annotate_dir:
                        names[p] = os.path.relpath(p, arg)
            else:
                items.append((arg, linter_key(arg)))
                names[arg] = os.path.basename(arg)
    except GxlintError as e:
        _fail(e.code, e.message)
    if not stdin and not items and not (fetched and fetched.failed):  # only folders were named, and hold no report
        filtered = any(c.include or c.exclude for c in configs.values())
        _fail("E023", f"没有找到报告文件：{'、'.join(paths)} 中没有 .docx、.doc、.wps、.pdf、.ofd、.html、.txt 或 .md 文件"
                      f"（Word 的锁定文件 ~$*.docx 不算）{'，或都被 .gxlint.yaml 的 include/exclude 排除' if filtered else ''}")
    _tune_gc()
    rules = list({r.id: r for linter in linters.values() for r in linter.rules}.values())
    # each file's config, for its baseline and the rules it was checked by (only with a baseline: a
    # batch keeps no more per file)
    keys = {p: key for p, key in items} if baseline_path or any(c.baseline for c in configs.values()) else {}
    if stdin:
        keys[results[0].path] = stdin_key

    def checked(path: str) -> set[str]:
        """The ids of the rules this run judged on the file at ``path`` (a baselined finding of
        another rule is not counted as fixed): selected and not ignored for it, and not one that
        needs what this run lacked (last year's report, the other reports of a batch)."""
        linter = linters[keys[path]] if path in keys else next(iter(linters.values()))
        lacking = set() if batch else {"shared_text"}
        if not (previous or linter.config.previous):
            lacking |= {"year_over_year", "repeated_text"}
        return {r.id for r in linter.rules_for(path) if r.kind not in lacking}
    if hasattr(sys.stdout, "reconfigure"):  # whatever a text holds (a lone surrogate), it is printed
        sys.stdout.reconfigure(errors="backslashreplace")
    try:
        baselines = _Baselines(baseline_path, write_baseline,
                               lambda path: configs[keys[path]].baseline if path in keys else None, checked)
        sink = _Sink("statistics" if statistics else fmt, output_file, rules,
                     report_path and (report_path, report_fmt), baselines)
    except GxlintError as e:
        _fail(e.code, e.message)
    batch = not stdin and len(items) > 1
    for linter in linters.values():
        linter.in_batch = batch
    try:
        if stdin:
            sink.add(results[0])
        elif diff or annotate or fix:  # these need every result at hand
            from .batch import Kept, merged

            results = [r for _, r in _results(items, linters, encoding, jobs, None, False)]
            if batch:
                comparing = _comparing(linters)
                kept = [Kept(r, comparing) for r in results]
                for i, change in _compare_batch(kept, items, linters, encoding, previous, no_cache, audit).items():
                    merged(results[i], *change)
            if diff:  # the changes on standard output; the summary and the exit status are the findings'
                _show_diffs(results, encoding)
                for i, r in enumerate(results):
                    baselines.filter(i, r)
                _done(_Totals(results, baselines), fmt, quiet, None, fail_on, exit_zero)
            if annotate_dir:
                _annotate_all(results, names, annotate)
            elif annotate:
                _annotate(results[0], annotate)
            if fix:
                from .batch import lint_files

                results = _fix(results, output, encoding, lambda todo: lint_files(todo, linters, encoding, jobs),
                               {r.path: key for r, (_, key) in zip(results, items)})
            for r in results:
                sink.add(r)
        else:  # each result written (or spooled) as it comes; the batch keeps only what comparing needs
            from .batch import Kept, Spool

            comparing = _comparing(linters) if batch else set()
            screens = Spool() if batch else None
            kept, where = [], []
            for i, r in _results(items, linters, encoding, jobs, fetched, sink.live and not output_file):
                if i is not None and batch:
                    kept.append(Kept(r, comparing, screens, items[i][0]))
                    where.append(sink.count)
                if fetched is not None:
                    r.path = fetched.shown.get(r.path, r.path)
                sink.add(r)
            if batch:
                shown_path = fetched.shown.get if fetched is not None else lambda p, d: p
                for i, (added, entries) in _compare_batch(kept, items, linters, encoding, previous, no_cache,
                                                          audit).items():
                    sink.change(where[i], shown_path(kept[i].path, kept[i].path), added, entries)
        sink.finish(quiet)
    except GxlintError as e:
        _fail(e.code, e.message)
    _done(sink, fmt, quiet, report_path, fail_on, exit_zero)


def _done(totals, fmt, quiet, report_path, fail_on, exit_zero):
    """The summary on standard error, then exit with the status of the findings (``totals``:
    count, broken and counts by severity, as :func:`exit_status` reads them)."""
    if fmt == "text" and not quiet:
        from .formatters.text import summary

        b = totals.baselines
        echo(summary(totals.count, totals.counts, totals.broken, b.dropped, bool(b.write_to)), err=True)
    if report_path and not quiet:
        echo(f"汇总报告已写入 {report_path}", err=True)
    status = exit_status(totals, fail_on)
    sys.exit(EXIT_OK if exit_zero and status == EXIT_FINDINGS else status)


class _Totals:
    """What :func:`exit_status` and the summary read of a list of results."""

    def __init__(self, results, baselines):
        from collections import Counter

        self.baselines = baselines
        self.count = len(results)
        self.broken = sum(1 for r in results if r.error is not None)
        self.counts = Counter(f.severity for r in results if r.error is None for f in r.findings)


def _comparing(linters) -> set[str]:
    """The ids of the rules that compare the reports of a batch (their audit entries are kept)."""
    from .batch import COMPARING_KINDS

    return {r.id for linter in linters.values() for r in linter.rules if r.kind in COMPARING_KINDS}


def _results(items, linters, encoding, jobs, fetched, live: bool):
    """(index in ``items`` or None, result) in path order, as they come; the failed fetches of
    ``fetched`` (index None) in their places.  A progress bar on stderr only when it is a terminal
    (not piped, not CI) and the findings are not printed on the terminal as they come (``live``)."""
    from contextlib import nullcontext

    from .batch import stream

    failed = list(fetched.failed) if fetched is not None else []
    show = len(items) > 1 and sys.stderr.isatty() and not os.environ.get("CI") and not (live and sys.stdout.isatty())
    bar = None
    if show:
        import click  # a progress bar on a terminal only

        bar = click.progressbar(length=len(items), label="检查中", file=sys.stderr, show_pos=True)
    with bar or nullcontext():
        for i, r in enumerate(stream(items, linters, encoding, jobs)):
            while failed and failed[0][0] <= i:
                yield None, failed.pop(0)[1]
            yield i, r
            if bar is not None:
                bar.update(1)
    for _, r in failed:
        yield None, r


def _compare_batch(kept, items, linters, encoding, previous, no_cache, audit) -> dict:
    """What comparing the reports of a batch adds, {index: (findings, audit entries)} (from the cache
    when it holds the outcome for exactly these files)."""
    from .batch import changes
    from .cache import batch_step

    cache = None if no_cache else next(iter(linters.values())).cache
    return changes(kept, lambda: batch_step(kept, cache, f"batch\0{previous}\0{audit}\0{encoding}",
                                            lambda: _compare(kept, items, linters, encoding, previous)))


class _Sink:
    """Where the results of a run go, in path order, as they come.  Text and CSV are written at once
    (what comparing the reports of a batch adds, GX606 and the pairing with last year's report,
    follows after the last file, in path order); the formats that are one document (JSON, SARIF,
    HTML, GitHub's errors-first order, --statistics) and --report are written from a Spool once the
    batch is done.  Counts for the summary and the exit status are kept as the results pass."""

    LIVE = ("text", "csv")

    def __init__(self, fmt: str, output_file, rules, report, baselines):
        from collections import Counter

        from .batch import Spool

        self.fmt, self.output_file, self.rules, self.report, self.baselines = fmt, output_file, rules, report, baselines
        self.live = fmt in self.LIVE
        self.spool = Spool() if not self.live or report else None
        self.count = self.broken = 0
        self.counts: Counter = Counter()
        self.extra: list = []  # (path, findings, audit entries) added by comparing, for the live formats
        csv_out = fmt == "csv"
        if output_file is None:
            self.tmp = None
            self.out = sys.stdout
            if csv_out and hasattr(sys.stdout, "buffer"):  # UTF-8 with its BOM, whatever the system's encoding
                from .formatters.csv import stream

                sys.stdout.flush()
                self.out = stream(sys.stdout.buffer)
        else:  # written to a temporary file, which replaces output_file atomically at the end
            import io
            import tempfile

            self.tmp = tempfile.TemporaryFile(prefix="gxlint-")
            self.out = io.TextIOWrapper(self.tmp, encoding="utf-8", newline="", errors="backslashreplace")
        from .formatters.text import use_color

        self.color = fmt == "text" and output_file is None and use_color(self.out)
        if csv_out:
            from .formatters.csv import write_header

            write_header(self.out)  # the BOM first, in every way CSV is written

    def add(self, r) -> None:
        self.baselines.filter(self.count, r)
        self.count += 1
        if r.error is not None:
            self.broken += 1
        else:
            self.counts.update(f.severity for f in r.findings)
        if self.live:
            self._write_live(r)
            if self.tmp is None:
                self.out.flush()
        if self.spool is not None:
            self.spool.add(r)

    def _write_live(self, r) -> None:
        if self.fmt == "text":
            from .formatters.text import write

            write([r], self.out, color=self.color)
        else:
            from .formatters.csv import write

            write([r], self.out, header=False)

    def change(self, pos: int, path: str, added: list, audit: dict) -> None:
        """What comparing the reports adds to the result at position ``pos`` (file ``path``)."""
        added = self.baselines.filter_added(pos, path, added)
        self.counts.update(f.severity for f in added)
        if self.spool is not None:
            self.spool.changes[pos] = (added, audit)
        if self.live:
            self.extra.append((path, added, audit))

    def finish(self, quiet: bool) -> None:
        from .engine import FileResult

        self.baselines.finish(quiet)
        for path, added, audit in self.extra:
            self._write_live(FileResult(path, findings=added))
            if audit and self.fmt == "text":
                from .formatters.text import write_audit_entries

                write_audit_entries(path, audit.values(), self.out)
        if not self.live:
            from .formatters import get
            from .formatters.text import write_statistics

            writer = write_statistics if self.fmt == "statistics" else get(self.fmt)
            writer(self.spool, self.out, rules=self.rules)
        self.out.flush()
        if self.tmp is None and self.out is not sys.stdout:
            self.out.detach()  # the CSV stream over standard output: stdout stays open
        if self.tmp is not None:
            from .writers import write_atomic

            self.out.detach()
            self.tmp.seek(0)
            write_atomic(self.output_file, self.tmp)
        if self.report:
            _write_report(*self.report, self.spool, self.rules)


class _Baselines:
    """--baseline FILE (or the config's ``baseline:``): each result's findings the baseline holds are
    dropped as it passes (and what comparing adds, at the end); --write-baseline FILE: every finding
    is recorded, then written, and none shown.  ``finish`` says how many were dropped or fixed:
    fixed are the baselined findings of the files linted, by the rules ``checked(path)`` names."""

    def __init__(self, option: str | None, write_to: str | None, configured, checked):
        self.option, self.write_to, self.configured, self.checked = option, write_to, configured, checked
        self.loaded: dict = {}
        self.left: dict = {}  # position -> (baseline, its fingerprints of that file not matched yet, path)
        self.entries: list = []  # --write-baseline
        self.dropped = 0
        self.base = os.path.dirname(os.path.abspath(write_to)) if write_to else None
        if option and not write_to:  # a baseline named on the command line is read (or refused) before any output
            self._of(None)

    @property
    def _mod(self):
        from . import baseline  # json and hashlib: imported only when a baseline is used

        return baseline

    def _of(self, path):
        p = self.option or (self.configured(path) if path is not None else None)
        if p is None:
            return None
        if p not in self.loaded:
            self.loaded[p] = self._mod.load(p)
        return self.loaded[p]

    def filter(self, pos: int, r) -> None:
        if r.error is not None:
            return
        if self.write_to:
            self.entries += self._mod.entries(r.path, r.findings, self.base)
            self.dropped += len(r.findings)
            r.findings = []
            return
        b = self._of(r.path)
        if b is None:
            return
        r.findings, n, left = self._mod.drop(r.path, r.findings, b)
        self.dropped += n
        if left:
            self.left[pos] = (b, left, r.path)

    def filter_added(self, pos: int, path: str, added: list) -> list:
        if self.write_to:
            self.entries += self._mod.entries(path, added, self.base)
            return []
        if pos not in self.left:  # the file's baselined findings all matched its own
            return added
        b, left, _ = self.left[pos]
        kept, n, left = self._mod.drop(path, added, b, left)
        self.dropped += n
        self.left[pos] = (b, left, path)
        return kept

    def finish(self, quiet: bool) -> None:
        if self.write_to:
            n = self._mod.write_entries(self.write_to, self.entries)
            if not quiet:
                echo(f"已写入基线 {self.write_to}：{n} 个问题。之后用 --baseline {self.write_to}（或在 .gxlint.yaml 中写"
                           f" baseline:）只报告新问题", err=True)
            return
        if quiet:
            return
        fixed = sum(b.fixed(left, self.checked(path)) for b, left, path in self.left.values())
        notes = [f"基线中的 {self.dropped} 个问题未显示"] if self.dropped else []
        if fixed:
            notes.append(f"基线中的 {fixed} 个问题已不再出现（已修复），可用 --write-baseline 更新基线文件")
        if notes:
            echo("；".join(notes), err=True)


def _compare(results, items, linters, encoding, previous) -> None:
    """What comparing the reports of a batch finds: text shared between them (GX606) and, without
    --previous, each report against its predecessor of the same office in the batch."""
    from .batch import cross_check
    from .pairing import pair_years

    cross_check(results, lambda i: linters[items[i][1]], encoding)
    if not previous:
        pair_years(results, lambda i: linters[items[i][1]], encoding)


def _is_url(arg: str) -> bool:
    return arg[:8].lower().startswith(("http://", "https://"))


def _read_urls(path) -> list[str]:
    """The addresses listed in ``--urls`` (one a line; blank lines and # comments skipped)."""
    if not path:
        return []
    try:
        with open(path, encoding="utf-8-sig") as f:
            lines = [ln.strip() for ln in f]
    except OSError as e:
        _fail("E013", f"无法读取网址列表 {path}（{e.strerror or e}）")
    except UnicodeDecodeError:
        _fail("E011", f"网址列表 {path} 不是 UTF-8 文本")
    urls = [ln for ln in lines if ln and not ln.startswith("#")]
    if bad := [u for u in urls if not _is_url(u)]:
        _fail("E022", f"网址列表 {path} 中有不是 http:// 或 https:// 网址的行：{bad[0]}")
    return urls


class _Fetched:
    """Reports fetched by their addresses (gxlint.fetch) into a private folder, removed at exit;
    a failed fetch is that address's result (one E0xx line), in its place in the batch."""

    def __init__(self):
        import atexit
        import shutil
        import tempfile

        self.folder = tempfile.mkdtemp(prefix="gxlint-url-")
        atexit.register(shutil.rmtree, self.folder, True)
        self.shown: dict[str, str] = {}  # local file -> the address it came from
        self.failed: list[tuple[int, object]] = []  # (index among the linted files, its FileResult)

    def get(self, url: str, index: int) -> str | None:
        from .engine import FileResult
        from .errors import InputError
        from .fetch import fetch_report

        try:
            local, source = fetch_report(url, os.path.join(self.folder, str(len(self.shown) + len(self.failed))))
        except InputError as e:
            self.failed.append((index, FileResult(url, error=e)))
            return None
        self.shown[local] = source
        return local

    def merge(self, results: list) -> list:
        for r in results:
            r.path = self.shown.get(r.path, r.path)
        out = list(results)
        for offset, (index, failed) in enumerate(self.failed):
            out.insert(index + offset, failed)
        return out


def _fixable(result) -> bool:
    return result.error is None and any(f.fix is not None for f in result.findings)


def _is_docx(path: str) -> bool:
    return path.lower().endswith(".docx")


def _show_diffs(results, encoding) -> None:
    """--diff: print what --fix would change in text reports."""
    from .writers.text_fix import fix_text, unified_diff

    for r in results:
        if not _fixable(r):
            continue
        if not r.path.lower().endswith((".txt", ".text", ".md", ".markdown")):
            echo(f"{r.path}: 提示：--diff 只适用于 .txt/.md；.docx 请用 --fix -o 输出带修订的副本", err=True)
            continue
        data, n = fix_text(r.path, r.findings, encoding)
        text = unified_diff(r.path, data, encoding, r.findings)
        if text:
            echo(text, nl=False)


def _annotate(result, out: str) -> None:
    from .writers.docx_annotate import annotate_docx

    if result.error is not None:
        _fail(result.error.code, result.error.message)
    n = annotate_docx(result.path, result.findings, out)
    echo(f"已写入 {out}：{n} 条批注（作者「gxlint」）", err=True)


def _annotate_all(results, names: dict[str, str], folder: str) -> None:
    """--annotate DIR: every .docx report with findings, annotated, at its relative path under ``folder``."""
    from .writers.docx_annotate import annotate_docx

    todo = [(r, os.path.join(folder, names[r.path])) for r in results
            if r.error is None and r.findings and _is_docx(r.path)]
    seen: dict[str, str] = {}
    for r, dst in todo:  # check everything before writing anything
        key = os.path.normcase(os.path.abspath(dst))
        if key in seen:
            _fail("E022", f"{seen[key]} 和 {r.path} 的批注副本都会写到 {dst}，请分开检查")
        seen[key] = r.path
        if os.path.exists(dst) and os.path.samefile(r.path, dst):
            _fail("E022", f"{dst}: 批注副本不能覆盖报告本身，请为 --annotate 指定另一个目录")
    total = 0
    for r, dst in todo:
        os.makedirs(os.path.dirname(dst) or ".", exist_ok=True)
        total += annotate_docx(r.path, r.findings, dst)
    clean = sum(1 for r in results if r.error is None and not r.findings and _is_docx(r.path))
    other = sum(1 for r in results if r.error is None and r.findings and not _is_docx(r.path))
    note = f"；{clean} 份 .docx 没有问题，未写入" if clean else ""
    note += f"；{other} 份非 .docx 报告不能写入批注" if other else ""
    echo(f"已在 {folder} 写入 {len(todo)} 份报告的批注副本，共 {total} 条批注（作者「gxlint」）{note}", err=True)


def _fix(results, output, encoding, relint, keys):
    """--fix: write the fixes (in place for text, to `output` for any), then lint what was written."""
    from .writers import write_atomic
    from .writers.docx_fix import fix_docx
    from .writers.text_fix import fix_text

    written = []
    for r in results:
        if not _fixable(r):
            continue
        if _is_docx(r.path):
            if not output:
                echo(f"{r.path}: 提示：.docx 不在原地修改，请用 --fix -o 修改后.docx 输出带修订的副本", err=True)
                continue
            n = fix_docx(r.path, r.findings, output)
        elif r.path.lower().endswith((".txt", ".text", ".md", ".markdown")):
            data, n = fix_text(r.path, r.findings, encoding)
            if n:
                write_atomic(output or r.path, data)
        else:
            echo(f"{r.path}: 提示：此类文件不能自动修复", err=True)
            continue
        echo(f"{output or r.path}：已修复 {n} 处" + ("（修订模式，可在 Word 中接受或拒绝）" if _is_docx(r.path) else ""),
                   err=True)
        written.append((r.path, output or r.path))
    if output and not written:  # nothing to fix: the copy is still made, as asked
        import shutil

        shutil.copyfile(results[0].path, output)
        written.append((results[0].path, output))
    if not written:
        return results
    again = {new: res for (_, new), res in zip(written, relint([(new, keys[old]) for old, new in written]))}
    if output:
        return [again[output]]
    return [again.get(r.path, r) for r in results]


FAILING = {"error": ("error",), "warning": ("error", "warning"), "info": ("error", "warning", "info")}


def exit_status(totals, fail_on: str = "error") -> int:
    """2 when nothing could be checked (every input unreadable); 1 when a file has a finding of
    severity ``fail_on`` or worse, or could not be read; else 0 (by default warnings alone pass).
    ``totals``: ``count`` files, ``broken`` of them unreadable, ``counts`` of findings by severity."""
    broken = totals.broken
    if broken and broken == totals.count:
        return EXIT_ERROR
    if broken or any(totals.counts.get(s) for s in FAILING[fail_on]):
        return EXIT_FINDINGS
    return EXIT_OK


def _tune_gc() -> None:
    """The rule pack lives as long as the process: keep the collector from scanning it over and
    over, and let it run less often (a report makes many short-lived, acyclic objects).  No
    collection first: it would cost a cold lint 5 ms to free the few cycles the imports left."""
    import gc

    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def _lint_stdin(linter, name: str, encoding):
    """Standard input, kept in a temporary file named like ``name`` (its suffix chooses the reader)."""
    import shutil
    import tempfile

    from .readers import SUFFIXES

    suffix = os.path.splitext(name)[1].lower()
    folder = tempfile.mkdtemp(prefix="gxlint-")
    try:
        tmp = os.path.join(folder, "stdin" + (suffix if suffix in SUFFIXES else ".md"))
        with open(tmp, "wb") as f:
            shutil.copyfileobj(sys.stdin.buffer, f)
        return linter.lint_path(tmp, encoding=encoding, name=name)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _write_report(path, fmt, results, rules):
    """Write the summary file atomically (a half-written report never replaces a good one)."""
    import io

    from .errors import GxlintError
    from .formatters import get
    from .writers import write_atomic

    buf = io.StringIO(newline="")
    get(fmt)(results, buf, rules=rules)
    data = buf.getvalue().encode("utf-8", "backslashreplace")  # a CSV starts with its BOM (formatters/csv.py)
    try:
        write_atomic(path, data)
    except GxlintError as e:
        _fail(e.code, e.message)


def run_plain(lint_call) -> None:
    """Run ``lint_call`` (a lint that exits) as click's standalone mode would run the command: Ctrl-C
    says 已中止。 (exit 1); a closed pipe on standard output ends quietly (exit 1)."""
    import errno

    try:
        lint_call()
    except (EOFError, KeyboardInterrupt):
        echo(err=True)
        echo("已中止。", err=True)
        sys.exit(1)
    except OSError as e:
        if e.errno != errno.EPIPE:
            raise
        devnull = os.open(os.devnull, os.O_WRONLY)  # the interpreter's last flush would fail again
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
