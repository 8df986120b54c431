"""Linting with the options of ``gxlint [OPTIONS] PATH...`` (a :class:`gxlint.options.Options`),
without click: gxlint.cli parses the options with click, gxlint.entry builds them for the plain
``gxlint FILE...`` (a cold lint of one report does not import click).

* :func:`lint`: the command: prints the findings, writes what the options ask, exits with the
  exit status (gxlint.run.output);
* :func:`lint_paths`: the results only, for another front end (a web page): nothing printed,
  written or fixed; a refusal raises GxlintError.

The parts: gxlint.run.inputs (what is linted, with which linter), gxlint.run.actions (--fix,
--diff, --annotate), gxlint.run.output (formats, --report, baseline, progress, exit status).
Heavy imports happen inside the functions.
"""
from __future__ import annotations

import os
import sys

from ..errors import E_CONFIG, E_OS, E_USAGE, GxlintError
from .output import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, echo, fail  # noqa: F401 - the exit statuses, for callers

__all__ = ["EXIT_ERROR", "EXIT_FINDINGS", "EXIT_OK", "lint", "lint_paths", "run_plain"]


def lint(options, paths=()) -> None:
    """Lint ``paths`` (report files, folders, web addresses, or ``-``) as ``gxlint lint`` does
    with ``options``; exits with the exit status (a refusal: its E0xx line and status 2)."""
    try:
        status = _lint(options, tuple(paths))
    except GxlintError as e:
        fail(e.code, e.message)
    sys.exit(status)


def lint_paths(options, paths, on_result=None) -> list:
    """The results (gxlint.engine.FileResult) of linting ``paths`` (report files, folders, web
    addresses) with ``options``, in the order the command prints them, with what comparing the
    reports of a batch adds.  Nothing is printed or written: the options of the output (format,
    files, baseline) and the actions (fix, diff, annotate) are not used.  Raises GxlintError (E0xx)
    for what the command refuses (a missing config, an unreadable list of addresses...).

    ``on_result(index, result)``, when given, is called with each result as it comes (its file
    still at ``result.path``, a fetched report's too), before what comparing the reports of a batch
    adds: a front end shows progress and the first results while the batch goes on."""
    from .inputs import Inputs, read_urls

    paths = (*paths, *read_urls(options.urls))
    _usage(options, paths)
    if "-" in paths:
        raise GxlintError(E_USAGE, "「-」（标准输入）只能在命令行中使用")

    inputs = Inputs(options, paths)
    _found_some(inputs, paths)
    for linter in inputs.linters.values():
        linter.in_batch = inputs.batch
    return _compared(inputs, on_result)


def _found_some(inputs, paths: tuple) -> None:
    """Refuse (E023) a run whose folders hold no report file (only spreadsheets, only Word lock
    files, or all left out by the config), as Ruff does: "nothing checked" is no success."""
    from ..errors import E_NO_REPORTS

    if inputs.stdin or inputs.items or (inputs.fetched is not None and inputs.fetched.failed):
        return
    filtered = any(c.include or c.exclude for c in inputs.configs.values())
    raise GxlintError(E_NO_REPORTS, f"没有找到报告文件：{'、'.join(paths)} 中没有 .docx、.doc、.wps、.pdf、.ofd、.html、.txt "
                                    f"或 .md 文件（Word 的锁定文件 ~$*.docx 不算）"
                                    f"{'，或都被 .gxlint.yaml 的 include/exclude 排除' if filtered else ''}")


def _usage(options, paths: tuple) -> bool:
    """Refuse (GxlintError) what the options and paths cannot do together; whether --annotate
    names a folder (like cp: when it is one or ends with /, or for several reports)."""
    from .inputs import is_url

    if not paths:
        raise GxlintError(E_USAGE, "请给出要检查的报告文件或文件夹，例如：gxlint draft.docx")
    o = options
    if any(map(is_url, paths)) and (o.fix or o.diff or o.annotate or "-" in paths):
        raise GxlintError(E_USAGE, "--fix、--diff、--annotate 和「-」不能用于网址，请下载后对文件使用")
    if o.isolated and o.config:  # as Ruff: --isolated ignores every config, so one named is a contradiction
        raise GxlintError(E_USAGE, "--isolated 不读取任何配置文件，不能与 --config 同用")
    if o.config and not os.path.isfile(o.config):
        raise GxlintError(E_CONFIG, f"配置文件不存在：{o.config}")
    if o.previous and not os.path.isfile(o.previous):
        raise GxlintError(E_OS, f"上年报告不存在：{o.previous}")
    if o.previous and any(os.path.isfile(p) and os.path.samefile(p, o.previous) for p in paths if p != "-"):
        raise GxlintError(E_USAGE, f"--previous 给出的 {o.previous} 就是被检查的报告本身，请给出上一年度的报告")
    stdin = "-" in paths
    if stdin and len(paths) != 1:
        raise GxlintError(E_USAGE, "「-」（标准输入）不能与其他文件一起检查")
    if stdin and (o.fix or o.diff or o.annotate):
        raise GxlintError(E_USAGE, "--fix、--diff 和 --annotate 不能用于标准输入，请对文件使用")
    if o.stdin_filename and not stdin:
        raise GxlintError(E_USAGE, "--stdin-filename 只能与「-」（从标准输入读取）一起使用")
    if o.output and not o.fix:
        raise GxlintError(E_USAGE, "-o/--output 只能与 --fix 一起使用")
    if o.output and (len(paths) != 1 or os.path.isdir(paths[0])):
        raise GxlintError(E_USAGE, "--fix -o 一次只处理一个报告文件")
    annotate = o.annotate
    annotate_dir = bool(annotate) and (os.path.isdir(annotate) or annotate.endswith(("/", os.sep))
                                       or len(paths) != 1 or os.path.isdir(paths[0]))
    if annotate_dir and not os.path.isdir(annotate) and (os.path.exists(annotate) or annotate.lower().endswith(".docx")):
        raise GxlintError(E_USAGE, f"检查多份报告时 --annotate 应给出目录（批注副本按原相对路径写入其中），而不是文件 {annotate}")
    if annotate and not annotate_dir and not paths[0].lower().endswith(".docx"):
        raise GxlintError(E_USAGE, f"--annotate 只能用于 .docx 报告：{paths[0]}")
    return annotate_dir


def _lint(options, paths: tuple) -> int:
    from .actions import annotate, annotate_all, fix, show_diffs
    from .inputs import Inputs, read_urls
    from .output import Baselines, ReadFiles, Sink, Totals, done, keep_outputs_apart, report_format

    o = options
    paths = (*paths, *read_urls(o.urls))
    annotate_dir = _usage(o, paths)
    report = (o.report, report_format(o.report)) if o.report else None
    inputs = Inputs(o, paths, names=annotate_dir)
    _found_some(inputs, paths)
    reads = ReadFiles(o, inputs)
    keep_outputs_apart(o, reads, annotate_dir)
    _tune_gc()
    configs = inputs.configs
    batch = inputs.batch
    # each file's config, for its baseline and the rules it was checked by (only with a baseline: a
    # batch keeps no more per file)
    keys = {p: key for p, key in inputs.items} if o.baseline or any(c.baseline for c in configs.values()) else {}
    if inputs.stdin:
        result = inputs.lint_stdin()
        keys[result.path] = inputs.stdin_key

    def checked(path: str) -> set[str]:
        """The ids of the rules this run judged on the file at ``path`` (a baselined finding of
        another rule is not counted as fixed): selected and not ignored for it, and not needing
        what this run lacked (last year's report, the other reports of a batch)."""
        from ..kinds import needs

        linter = inputs.linters[keys[path]] if path in keys else next(iter(inputs.linters.values()))
        lacking = set() if batch else {"others"}
        if not (o.previous or linter.config.previous):
            lacking.add("previous")
        return {r.id for r in linter.rules_for(path) if not lacking & set(needs(r.kind))}

    if hasattr(sys.stdout, "reconfigure"):  # whatever a text holds (a lone surrogate), it is printed
        sys.stdout.reconfigure(errors="backslashreplace")
    baselines = Baselines(o.baseline, o.write_baseline,
                          lambda path: configs[keys[path]].baseline if path in keys else None, checked)
    sink = Sink("statistics" if o.statistics else o.format, o.output_file, inputs.rules, report, baselines)
    for linter in inputs.linters.values():
        linter.in_batch = batch
    if inputs.stdin:
        sink.add(result)
    elif o.diff or o.annotate or o.fix:  # these need every result at hand
        results = _compared(inputs)
        if o.diff:  # the changes on standard output; the summary and the exit status are the findings'
            show_diffs(results, o.encoding)
            for i, r in enumerate(results):
                baselines.filter(i, r)
            return done(Totals(results, baselines), o)
        if annotate_dir:
            annotate_all(results, inputs.names, o.annotate, reads)
        elif o.annotate:
            annotate(results[0], o.annotate)
        if o.fix:
            from ..batch import lint_files

            results = fix(results, o.output, o.encoding, lambda todo: lint_files(todo, inputs.linters, o),
                          {r.path: key for r, (_, key) in zip(results, inputs.items)})
        for r in results:
            sink.add(r)
    else:  # each result written (or spooled) as it comes; the batch keeps only what comparing needs
        from ..batch import Kept, Spool

        fetched = inputs.fetched
        comparing = _comparing(inputs.linters) if batch else set()
        screens = Spool() if batch else None
        kept, where = [], []
        for i, r in _results(inputs, sink.live and not o.output_file):
            if i is not None and batch:
                kept.append(Kept(r, comparing, screens, inputs.items[i][0]))
                where.append(sink.count)
            if fetched is not None:
                r.path = fetched.shown.get(r.path, r.path)
            sink.add(r)
        if batch:
            shown_path = fetched.shown.get if fetched is not None else lambda p, d: p
            for i, (added, entries) in _compare_batch(kept, inputs).items():
                sink.change(where[i], shown_path(kept[i].path, kept[i].path), added, entries)
    sink.finish(o.quiet)
    return done(sink, o)


def _comparing(linters) -> set[str]:
    """The ids of the rules that compare the reports of a batch (their audit entries are kept)."""
    from ..kinds import compares

    return {r.id for linter in linters.values() for r in linter.rules if compares(r.kind)}


def _results(inputs, live: bool):
    """(index in ``inputs.items`` or None, result) in path order, as they come; the failed fetches
    (index None) in their places.  A progress bar on a terminal (gxlint.run.output.progress)."""
    from contextlib import nullcontext

    from ..batch import stream
    from .output import progress

    failed = list(inputs.fetched.failed) if inputs.fetched is not None else []
    bar = progress(len(inputs.items), live)
    with bar or nullcontext():
        for i, r in enumerate(stream(inputs.items, inputs.linters, inputs.options)):
            while failed and failed[0][0] <= i:
                yield None, failed.pop(0)[1]
            yield i, r
            if bar is not None:
                bar.update(1)
    for _, r in failed:
        yield None, r


def _compared(inputs, on_result=None) -> list:
    """Every result in order, with what comparing the reports of a batch adds merged in (and the
    addresses of fetched reports as their paths); ``on_result(index, result)`` as each comes."""
    from ..batch import Kept, merged

    pairs = []
    for pair in _results(inputs, False):
        if on_result is not None:
            on_result(len(pairs), pair[1])
        pairs.append(pair)
    if inputs.batch:
        linted = [r for i, r in pairs if i is not None]  # those of inputs.items, in their order
        comparing = _comparing(inputs.linters)
        kept = [Kept(r, comparing) for r in linted]
        for i, change in _compare_batch(kept, inputs).items():
            merged(linted[i], *change)
    results = [r for _, r in pairs]
    if inputs.fetched is not None:
        for r in results:
            r.path = inputs.fetched.shown.get(r.path, r.path)
    return results


def _compare_batch(kept, inputs) -> dict:
    """What comparing the reports of a batch adds, {index: (findings, audit entries)} (from the cache
    when it holds the outcome for exactly these files)."""
    from ..batch import changes
    from ..cache import batch_step

    o = inputs.options
    cache = None if o.no_cache else next(iter(inputs.linters.values())).cache
    return changes(kept, lambda: batch_step(kept, cache, f"batch\0{o.previous}\0{o.audit}\0{o.encoding}",
                                            lambda: _compare(kept, inputs)))


def _compare(results, inputs) -> None:
    """What comparing the reports of a batch finds: text shared between them (GX606) and, without
    --previous, each report against its predecessor of the same office in the batch."""
    from ..batch import cross_check
    from ..pairing import pair_years

    def linter_of(i):
        return inputs.linters[inputs.items[i][1]]

    cross_check(results, linter_of, inputs.options.encoding)
    if not inputs.options.previous:
        pair_years(results, linter_of, inputs.options.encoding)


def _tune_gc() -> None:
    """The rule pack lives as long as the process: keep the collector from scanning it over and
    over, and let it run less often (a report makes many short-lived, acyclic objects).  No
    collection first: it would cost a cold lint 5 ms to free the few cycles the imports left."""
    import gc

    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


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
