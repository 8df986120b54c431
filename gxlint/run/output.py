"""Where the results of a run go: the formatters on standard output or ``--output-file``
(:class:`Sink`), the summary file (``--report``), the baseline (:class:`Baselines`), the progress
bar, and the exit status.

Exit status: 0 when no finding has severity error (``--fail-on``), 1 when one does or when some
input could not be read, 2 for a usage or config error or when no input could be read at all.
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


def fail(code: str, message: str):
    """The one line of a usage, config or input error (in Chinese), and exit status 2."""
    echo(f"gxlint：错误：{code} {message}", err=True)
    sys.exit(EXIT_ERROR)


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


class Totals:
    """What :func:`exit_status` and the summary read of a list of results (as :class:`Sink` counts
    them while they pass): ``count`` files, ``broken`` of them unreadable, ``counts`` of findings by
    severity, and the run's ``baselines``."""

    def __init__(self, results, baselines):
        from collections import Counter

        self.baselines = baselines
        self.count = len(results)
        self.broken = sum(1 for r in results if r.error is not None)
        self.counts = Counter(f.severity for r in results if r.error is None for f in r.findings)


def done(totals, options) -> int:
    """The summary on standard error (unless --quiet), then the exit status of the findings
    (``totals``: a :class:`Sink` or :class:`Totals`), whatever else the run printed."""
    o = options
    if o.format == "text" and not o.quiet:
        from ..formatters.text import summary

        b = totals.baselines
        echo(summary(totals.count, totals.counts, totals.broken, b.dropped, bool(b.write_to)), err=True)
    if o.report and not o.quiet:
        echo(f"汇总报告已写入 {o.report}", err=True)
    status = exit_status(totals, o.fail_on)
    return EXIT_OK if o.exit_zero and status == EXIT_FINDINGS else status


OUTPUTS = (("output_file", "--output-file"), ("report", "--report"), ("write_baseline", "--write-baseline"),
           ("output", "--fix -o"), ("annotate", "--annotate"))  # the options that name a file the run writes


def _identity(path: str) -> tuple[int, int] | None:
    """(device, inode) of the regular file at ``path``, None when there is none."""
    import stat

    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISREG(st.st_mode) else None


class ReadFiles:
    """The files a run reads (its reports, last year's report, the configs, the list of addresses,
    the baselines), by identity (a hard link or a symlink to a report is the report), so that no
    output replaces one of them."""

    def __init__(self, options, inputs):
        self._inputs = [p for p, _ in inputs.items] + [options.previous, options.urls, *inputs.configs]
        self._baselines = [options.baseline, *(c.baseline for c in inputs.configs.values())]
        self._ids: dict | None = None

    def holds(self, path: str, baselines: bool = True) -> bool:
        """Whether writing ``path`` would replace a file the run reads (a baseline only when
        ``baselines``: --write-baseline refreshes the baseline the config names)."""
        ident = _identity(path)
        if ident is None:
            return False
        if self._ids is None:  # stat'ed only when an output exists already
            self._ids = {i: "input" for p in self._inputs if p and (i := _identity(p))}
            for p in self._baselines:
                if p and (i := _identity(p)):
                    self._ids.setdefault(i, "baseline")
        what = self._ids.get(ident)
        return what == "input" or (what == "baseline" and baselines)


def keep_outputs_apart(options, reads: ReadFiles, annotate_dir: bool) -> None:
    """Refuse, before any report is read or anything written, an output option naming a file the run
    reads or two naming one file (E022), or a file that is not written to (E013: a socket...)."""
    named = [(name, flag, getattr(options, name)) for name, flag in OUTPUTS if getattr(options, name)
             and not (name == "annotate" and annotate_dir)]  # --annotate DIR: each copy is checked (run.actions)
    if not named:  # the plain lint of a report imports nothing more
        return
    from ..errors import E_USAGE, GxlintError
    from ..writers import check_target

    seen: dict = {}
    for name, flag, path in named:
        check_target(path)
        if reads.holds(path, baselines=name != "write_baseline"):
            raise GxlintError(E_USAGE, f"{flag} 给出的 {path} 是本次检查要读取的文件，不能用输出覆盖它，请为 {flag} 另指定一个文件")
        key = _identity(path) or (None if os.path.exists(path) else os.path.realpath(path))
        if key is None:  # a FIFO, /dev/null: written into, by as many outputs as name it
            continue
        if key in seen:
            raise GxlintError(E_USAGE, f"{seen[key]} 和 {flag} 给出的是同一个文件 {path}，请分别指定不同的文件")
        seen[key] = flag


def report_format(path: str) -> str:
    """The format of the ``--report`` file, by its suffix (E022 for another)."""
    from ..errors import E_USAGE, GxlintError
    from ..formatters import REPORT_SUFFIXES

    fmt = REPORT_SUFFIXES.get(os.path.splitext(path)[1].lower())
    if fmt is None:
        raise GxlintError(E_USAGE, f"--report 的文件应以 {'、'.join(REPORT_SUFFIXES)} 结尾：{path}")
    return fmt


def progress(total: int, live: bool):
    """A progress bar on stderr (``update(1)`` per file) only when it is a terminal (not piped, not
    CI) and the findings are not printed on the terminal as they come (``live``); else None."""
    if total <= 1 or not sys.stderr.isatty() or os.environ.get("CI") or (live and sys.stdout.isatty()):
        return None
    import click  # a progress bar on a terminal only

    return click.progressbar(length=total, label="检查中", file=sys.stderr, show_pos=True)


class Sink:
    """Where the results of a run go, in path order, as they come.  Text and CSV are written at once
    (what comparing the reports of a batch adds, GX606 and the pairing with last year's report,
    follows after the last file, in path order); the formats that are one document (JSON, SARIF,
    HTML, GitHub's errors-first order, --statistics) and --report are written from a Spool once the
    batch is done.  Counts for the summary and the exit status are kept as the results pass."""

    LIVE = ("text", "csv")

    def __init__(self, fmt: str, output_file, rules, report, baselines):
        from collections import Counter

        from ..batch import Spool

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
                from ..formatters.csv import stream

                sys.stdout.flush()
                self.out = stream(sys.stdout.buffer)
        else:  # written to a temporary file, which replaces output_file atomically at the end
            import io
            import tempfile

            self.tmp = tempfile.TemporaryFile(prefix="gxlint-")
            self.out = io.TextIOWrapper(self.tmp, encoding="utf-8", newline="", errors="backslashreplace")
        from ..formatters.text import use_color

        self.color = fmt == "text" and output_file is None and use_color(self.out)
        if csv_out:
            from ..formatters.csv import write_header

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
            from ..formatters.text import write

            write([r], self.out, color=self.color)
        else:
            from ..formatters.csv import write

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
        from ..engine import FileResult

        self.baselines.finish(quiet)
        for path, added, audit in self.extra:
            self._write_live(FileResult(path, findings=added))
            if audit and self.fmt == "text":
                from ..formatters.text import write_audit_entries

                write_audit_entries(path, audit.values(), self.out)
        if not self.live:
            from ..formatters import get
            from ..formatters.text import write_statistics

            writer = write_statistics if self.fmt == "statistics" else get(self.fmt)
            writer(self.spool, self.out, rules=self.rules)
        self.out.flush()
        if self.tmp is None and self.out is not sys.stdout:
            self.out.detach()  # the CSV stream over standard output: stdout stays open
        if self.tmp is not None:
            from ..writers import write_atomic

            self.out.detach()
            self.tmp.seek(0)
            write_atomic(self.output_file, self.tmp)
        if self.report:
            write_report(*self.report, self.spool, self.rules)


class Baselines:
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
        from .. import baseline  # json and hashlib: imported only when a baseline is used

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


def write_report(path, fmt, results, rules):
    """Write the summary file atomically (a half-written report never replaces a good one)."""
    import io

    from ..formatters import get
    from ..writers import write_atomic

    buf = io.StringIO(newline="")
    get(fmt)(results, buf, rules=rules)
    data = buf.getvalue().encode("utf-8", "backslashreplace")  # a CSV starts with its BOM (formatters/csv.py)
    write_atomic(path, data)
