"""The linter: rule packs + config → findings for a file."""
from __future__ import annotations

import glob
import os
import time
from pathlib import Path

from .config import Config
from .errors import E_INTERNAL, E_RULE_TIME, E_USAGE, ConfigError, GxlintError
from .findings import Finding, hide_masked
from .record import Record
from .regex_store import Overtime, budget
from . import kinds
from .rule import CATEGORIES, Rule, RuleFileError, load_yaml, validate_rules
from .template import FormatSpec, build_formats


def builtin_rule_dir() -> str:
    """The rule pack shipped with gxlint (rules/ in the source tree), found as the folder of the
    package ``gxlint.rules`` (importlib.resources would find the same, at 10 ms a start)."""
    try:
        from . import rules

        return os.path.dirname(rules.__file__)
    except (ImportError, TypeError):  # TypeError: no __file__
        return str(Path(__file__).resolve().parent.parent / "rules")


def rule_files(dirs: list[str]) -> list[str]:
    out = []
    for d in dirs:
        if os.path.isfile(d):
            out.append(d)
            continue
        out += sorted(glob.glob(os.path.join(d, "*.yaml")) + glob.glob(os.path.join(d, "*.yml")))
    return out


def _cache_file(paths: list[str]) -> tuple[str, list] | None:
    """Where the pack parsed from exactly these rule files is cached, and the (path, size, mtime)
    of each, which the entry holds and must match; None when a file cannot be stat'ed.  (The name
    needs no cryptographic hash, which would import hashlib at every start: an entry whose files
    are not these is a miss.)"""
    import zlib

    from . import __version__
    from .cache import default_dir

    files = []
    for p in paths:
        try:
            st = os.stat(p)
        except OSError:
            return None
        files.append([os.path.abspath(p), st.st_size, st.st_mtime_ns])
    text = repr((__version__, files)).encode("utf-8", "surrogateescape")
    name = f"pack-{zlib.crc32(text):08x}{zlib.adler32(text):08x}.json"
    return os.path.join(default_dir(), name), files


def load_pack(paths: list[str]) -> tuple[list[Rule], list[FormatSpec]]:
    """All rules and the report format from these rule files; RuleFileError on the first bad file.

    Parsing YAML with positions is the slowest part of a cold run, so a valid pack is cached
    (as JSON, see gxlint.cache) under ~/.cache/gxlint, keyed by the files' paths, sizes and
    modification times; any change re-reads and re-validates.  An entry that is not what
    :func:`_pack_data` writes for these files (corrupt, foreign, of another type) is a miss, and
    the pack it would have given is built from the same data either way (``_pack_of``).
    """
    from .cache import read_entry, write_entry

    where = _cache_file(paths)
    if where is not None:
        data = read_entry(where[0], "pack")
        if type(data) is dict and data.get("files") == where[1]:
            pack = _pack_of(data)
            if pack is not None:
                return pack
    data = _pack_data(paths)
    if where is not None:
        data["files"] = where[1]
        write_entry(where[0], "pack", data)
    import json

    return _pack_of(json.loads(json.dumps(data)))  # what a later run reads from the cache, exactly


def _pack_data(paths: list[str]) -> dict:
    """The rules and format of these rule files as JSON data (RuleFileError on the first bad file)."""
    rules: list[Rule] = []
    fmt_data = fmt_file = None
    known: dict[str, str] = {}
    for path in paths:
        data = load_yaml(path)
        found, problems = validate_rules(data, path, known)
        if problems:
            raise RuleFileError(path, problems)
        rules += found
        if isinstance(data, dict) and isinstance(data.get("formats" if "formats" in data else "format"), (dict, list)):
            fmt_data = data["formats" if "formats" in data else "format"]  # the last file that declares it
            fmt_file = path
    if fmt_data is None:
        raise RuleFileError(paths[0] if paths else "rules", [(1, 1, "没有找到报告格式（format:）定义")])
    from .rule import _plain

    return {"rules": [[getattr(r, f) for f in Rule._fields] for r in rules], "format": _plain(fmt_data),
            "format_file": os.path.abspath(fmt_file)}


def _pack_of(data: dict) -> tuple[list[Rule], list[FormatSpec]] | None:
    """The pack of :func:`_pack_data`'s data read back, or None when it is not such data: every
    field of each rule is of its type, its kind a module of gxlint.kinds, and there is a format.
    (The parameters are not checked against the kind's again, as validate_rules did when the entry
    was written: that would import every kind, which a run whose results are all cached does not;
    a forged entry can make findings wrong, or a rule fail and name itself, as any forged cache
    entry can, not run code.)"""
    from .findings import SEVERITIES
    from .rule import RULE_ID

    def year(x):
        return x is None or type(x) is int

    known: dict[str, bool] = {}

    def kind_ok(name) -> bool:  # a module of the kinds package (a file looked for, not imported)
        if name not in known:
            known[name] = (type(name) is str and name.isascii() and name.isidentifier() and not name.startswith("_")
                           and any(os.path.isfile(os.path.join(d, name + ".py")) for d in kinds.__path__))
        return known[name]

    try:
        if (type(data["rules"]) is not list or type(data["format"]) not in (dict, list)
                or type(data["format_file"]) is not str):
            return None
        rules = []
        for x in data["rules"]:
            if type(x) is not list or len(x) != len(Rule._fields):
                return None
            rid, name, category, severity, message, kind, params, doc, file, line, default_severity, since, until = x
            if not (type(rid) is str and RULE_ID.match(rid) and type(name) is str and category in CATEGORIES
                    and severity in SEVERITIES and default_severity in SEVERITIES and type(message) is str
                    and kind_ok(kind) and type(params) is dict and type(doc) is dict and type(file) is str and type(line) is int
                    and year(since) and year(until)):
                return None
            rules.append(Rule(rid, name, category, severity, message, kind, params, doc, file, line, default_severity,
                              since, until))
        local = data["format_file"]  # a province's format: its patterns searched with a time limit
        formats = build_formats(data["format"], None if os.path.dirname(local) == builtin_rule_dir() else local)
        return (rules, formats) if formats else None
    except Exception:  # noqa: BLE001 - a format of another shape (KeyError, TypeError...): a miss
        return None


def exclusive(rules: list[Rule], report) -> list[Rule]:
    """The rules of `rules` whose kind says (``exclusive(rule, report)``) that `report` gets their
    findings alone (an unfilled template: one finding, not one per empty cell); [] for most."""
    out = []
    for rule in rules:
        says = getattr(kinds.load(rule.kind), "exclusive", None)
        if says is None or not rule.applies_to(report.year):
            continue
        try:
            if within(rule, report, says, rule, report):
                out.append(rule)
        except Exception:  # noqa: BLE001 - not exclusive: running the rule names what failed (or its time)
            pass
    return out


def _matches(selector: str, rule: Rule) -> bool:
    return selector == "ALL" or selector == rule.category or rule.id.startswith(selector)


class FileResult(Record):
    """The outcome of linting one file: its findings, or the error that kept it from being read.
    audit: AuditEntry per rule, when the linter audits (--audit); screen: in a batch, rule id ->
    what a rule comparing reports keeps of this one; identity: in a batch, (issuer, year) of the
    report, to pair it with last year's; cache_key: the result cache's key of this result, when
    it is cached."""

    _fields = ("path", "findings", "error", "audit", "screen", "identity", "cache_key")

    def __init__(self, path: str, findings: list[Finding] | None = None, error: GxlintError | None = None,
                 audit: list | None = None, screen: dict | None = None, identity: tuple | None = None,
                 cache_key: str | None = None):
        self.path = path
        self.findings = [] if findings is None else findings
        self.error = error
        self.audit = audit
        self.screen = screen
        self.identity = identity
        self.cache_key = cache_key


class Linter:
    def __init__(self, config: Config | None = None, select=None, ignore=None, extra_rule_dirs=None,
                 audit: bool = False):
        self.config = config or Config()
        self.audit = audit  # lint_path also says, rule by rule, what could be checked
        self.in_batch = False  # lint_path keeps a screen of each report (FileResult.screen) for batch.cross_check
        self.suppressions = True  # False (--no-suppressions): directives in the report suppress nothing
        self.cache = None  # a gxlint.cache.ResultCache: lint_path keeps and reuses results by content
        self.verify_previous = False  # True (the CLI): lint_path refuses (E022) a `previous` of another office or year
        dirs = [builtin_rule_dir(), *self.config.rule_dirs, *(extra_rule_dirs or [])]
        rules, self.formats = load_pack(rule_files(dirs))
        self.format = self.formats[0]  # the newest version: reports of no known year are read against it
        self.all_rules = sorted(rules, key=lambda r: r.id)
        from .config import normalize_selector

        select = [normalize_selector(s) for s in select] if select else (self.config.select or ["ALL"])
        ignore = [*self.config.ignore, *(normalize_selector(s) for s in ignore or [])]
        per_file = [sel for sels in self.config.per_file_ignores.values() for sel in sels]
        for sel in [*select, *ignore, *self.config.severity, *per_file]:
            if sel != "ALL" and sel not in CATEGORIES and not any(r.id.startswith(sel) for r in self.all_rules):
                raise ConfigError(E_USAGE, f"未知的规则或类别「{sel}」（规则编号如 GX301，类别如 arithmetic 或「表格计算」）")
        self.rules = [
            r for r in self.all_rules
            if any(_matches(s, r) for s in select) and not any(_matches(s, r) for s in ignore)
        ]
        for r in self.rules:
            # most specific override wins: id > prefix > category
            best = None
            for sel, sev in self.config.severity.items():
                if _matches(sel, r):
                    rank = 3 if sel == r.id else 2 if r.id.startswith(sel) else 1
                    if best is None or rank > best[0]:
                        best = (rank, sev)
            if best:
                r.severity = best[1]

    def comparing(self, need: str, rules=None) -> list[Rule]:
        """The rules (of ``rules``, default all) whose kind needs ``need``: ``others`` (they compare
        the reports of a batch) or ``previous`` (last year's report)."""
        return [r for r in (self.rules if rules is None else rules) if need in kinds.needs(r.kind)]

    def rules_for(self, path: str) -> list[Rule]:
        """The rules run on the file at ``path``: ``self.rules`` less the config's per_file_ignores."""
        off = self.config.ignored_for(path)
        if not off:
            return self.rules
        return [r for r in self.rules if not any(_matches(sel, r) for sel in off)]

    def lint_document(self, doc, previous_doc=None, others=None, fragment: bool = False) -> list[Finding]:
        """Findings for `doc`; `previous_doc` is last year's report (year-over-year rules run only with
        it); `others` are the other documents of a batch (the rules comparing reports run only with them);
        `fragment`: `doc` is a piece of a report (a rule's example), linted even if it is not a report."""
        if others is not None:
            others = [(o.path, self.digest(o)) for o in others]
        with budget():  # a province's format: its searches on this report share a time (regex_store.limited)
            return self.check(doc, previous_doc, others=others, fragment=fragment)[0]

    def digest(self, doc) -> dict:
        """What the rules comparing the reports of a batch compare of `doc`: {kind: its digest}
        (for kind shared_text, its prose)."""
        from .report import build_report

        report = build_report(doc, self.formats)
        by_kind: dict[str, list[Rule]] = {}
        for r in self.comparing("others"):
            by_kind.setdefault(r.kind, []).append(r)
        return {kind: kinds.load(kind).digest(report, rules) for kind, rules in by_kind.items()}

    def check(self, doc, previous_doc=None, path: str | None = None, others=None, only: str | None = None,
              verify_previous: bool = False, fragment: bool = False):
        """(findings, report) for `doc`: the report as the rules saw it, for the audit; `path`
        (default: the document's) is the file the document stands for (per_file_ignores); `others`
        the (path, digest) of the other reports of a batch (Linter.digest); `only`: run only the
        rules whose kind needs this (``previous``, ``others``); `verify_previous`: E022 when
        `previous_doc` is not last year's report of the same office.  The kinds say what their
        rules need (gxlint.kinds): a rule is not run without what it requires, and a document that
        is plainly not a report (``Report.is_report``) gets only the rules needing ``not_report``,
        unless it is a `fragment` of one.  A rule that fails (a bug in its kind, or a parameter
        its kind cannot take) gives one finding naming it and its rule file; the others run."""
        from .report import build_report
        from .suppress import prepare

        doc, sups = prepare(doc)
        report = build_report(doc, self.formats)
        report.allow = frozenset(self.config.allow)
        if previous_doc is not None:
            report.previous = build_report(previous_doc, self.formats)
            if verify_previous:
                from .pairing import mismatch

                why = mismatch(report, report.previous)
                if why:
                    raise GxlintError(E_USAGE, f"{previous_doc.path} 不是本报告上一年度、同一机关的报告：{why}，"
                                               "不能用于与上年对照的检查")
        findings: list[Finding] = []
        rules = self.rules_for(path or doc.path)
        as_report = report.is_report or fragment
        report.others = others
        alone = exclusive(rules, report)  # an unfilled template: its one finding and nothing else
        for rule in alone or rules:
            needs = kinds.needs(rule.kind)
            if (only is not None and only not in needs) or ("not_report" in needs) == as_report:
                continue
            if not rule.applies_to(report.year):
                continue
            if others and "others" in needs:  # the other reports as this kind digested them
                report.others = [(p, d[rule.kind]) for p, d in others if rule.kind in d]
            if all(kinds.has(report, n) for n in needs if kinds.NEEDS[n][0] and n != "not_report"):
                findings += _run(rule, report)
            report.others = others
        if sups and self.suppressions:
            findings = self._suppress(findings, sups, rules, report, full=only is None and not others)
        hide_masked(findings)
        findings.sort(key=Finding.sort_key)
        return findings, report

    def _suppress(self, findings, sups, rules, report, full: bool):
        """``findings`` less those the report's directives suppress, plus the stale directives
        (when ``full``: every rule ran; only ids whose rules all ran are judged: not those that
        compare the report with others it was not given with, gxlint.kinds.COMPARING)."""
        from .suppress import apply

        ran = {r.id for r in rules
               if not any(n in kinds.COMPARING and not kinds.has(report, n) for n in kinds.needs(r.kind))}
        stale = next((r for r in rules if r.kind == "unused_suppression"), None) if full else None

        def judged(code: str) -> bool:
            mine = [r.id for r in self.all_rules if r.id.startswith(code)]
            return bool(mine) and all(i in ran for i in mine)

        def known(code: str) -> bool:
            return any(r.id.startswith(code) for r in self.all_rules)

        return apply(findings, sups, judged, known, stale, report)

    def lint_path(self, path: str, encoding: str | None = None, previous: str | None = None,
                  name: str | None = None) -> FileResult:
        """Lint one file; `previous` (default: the config's) is last year's report, read like `path`;
        `name` is the file `path` stands for (standard input kept in a temporary file)."""
        previous = self._previous(path, previous)
        if self.cache is None:
            return self._lint_path(path, encoding, previous, name)
        key = self.cache.key(self, path, name, encoding, previous)
        result = self.cache.get(key) if key else None
        if result is not None:
            result.path = name or path
            return result
        result = self._lint_path(path, encoding, previous, name)
        if key:
            self.cache.put(key, result)
        return result

    def cached(self, path: str, encoding: str | None = None) -> FileResult | None:
        """The cached result of lint_path(path, encoding), or None (no cache, or not cached)."""
        if self.cache is None or not os.path.isfile(path):
            return None
        key = self.cache.key(self, path, None, encoding, self._previous(path, None))
        result = self.cache.get(key) if key else None
        if result is not None:
            result.path = path
        return result

    def _previous(self, path: str, previous: str | None) -> str | None:
        """Last year's report for `path`: `previous`, else the config's; None when it is `path` itself
        (last year's report linted in the same batch)."""
        previous = previous or self.config.previous
        if previous and os.path.exists(path) and os.path.exists(previous) and os.path.samefile(path, previous):
            return None
        return previous

    def _lint_path(self, path: str, encoding: str | None, previous: str | None, name: str | None) -> FileResult:
        with budget():  # the searches of a province's format on this report (regex_store.limited)
            return self._lint_budgeted(path, encoding, previous, name)

    def _lint_budgeted(self, path: str, encoding: str | None, previous: str | None, name: str | None) -> FileResult:
        from .readers import read

        result = FileResult(path=name or path)
        try:
            doc = read(path, encoding=encoding or self.config.encoding, formats=self.formats)
        except GxlintError as e:
            result.error = type(e)(e.code, e.message.replace(path, name)) if name else e
            return result
        except Overtime as e:  # a pattern of a province's format
            result.error = format_overtime(e)
            return result
        except Exception as e:  # noqa: BLE001 - a reader bug must not stop a batch either
            result.error = GxlintError(E_INTERNAL, f"读取时出现内部错误（{type(e).__name__}: {e}），请把此文件报告给 gxlint 开发者")
            return result
        previous_doc = None
        if previous:
            try:
                previous_doc = read(previous, encoding=encoding or self.config.encoding, formats=self.formats)
            except GxlintError as e:
                result.error = type(e)(e.code, f"上年报告 {previous}：{e.message}")
                return result
            except Overtime as e:
                result.error = format_overtime(e)
                return result
            except Exception as e:  # noqa: BLE001 - a reader bug must not stop a batch either
                result.error = GxlintError(E_INTERNAL, f"读取上年报告 {previous} 时出现内部错误（{type(e).__name__}: {e}），"
                                                       "请把此文件报告给 gxlint 开发者")
                return result
        try:
            rules = self.rules_for(name or path)
            shared = self.comparing("others", rules) if self.in_batch else []
            result.findings, report = self.check(doc, previous_doc, name or path, others=[] if shared else None,
                                                 verify_previous=self.verify_previous)
            if self.in_batch:
                from .pairing import identity

                result.identity = identity(report)
            if shared:
                result.screen = {}
                for r in shared:  # what the batch keeps to find the reports worth comparing
                    try:
                        result.screen[r.id] = within(r, report, kinds.load(r.kind).screen, r, report)
                    except Exception as e:  # noqa: BLE001 - a broken rule names itself (as in check)
                        result.findings = sorted([*result.findings, broken(r, report, e)], key=Finding.sort_key)
            if self.audit:
                from .audit import audit

                result.audit = audit(rules, report, result.findings)
        except GxlintError as e:  # last year's report refused
            result.error = e
        except Overtime as e:  # a pattern of a province's format, searched by the report builder
            result.error = format_overtime(e)
        except Exception as e:  # noqa: BLE001 - a bug must not stop a batch
            result.error = GxlintError(E_INTERNAL, f"内部错误（{type(e).__name__}: {e}），请把此文件报告给 gxlint 开发者")
        return result


def format_overtime(e: Overtime) -> GxlintError:
    """The error of a report that a pattern of a province's format (gxlint.regex_store.limited)
    could not be searched in within its time: the report is not judged (E024, naming the file)."""
    from .regex_store import FORMAT_SECONDS

    return GxlintError(E_RULE_TIME, f"报告格式（{e}）中的正则表达式（match 或 words）在此报告上运行超过 "
                                    f"{FORMAT_SECONDS:g} 秒，已停止，未检查此报告；请检查该格式定义（如 (.+)+ 这样嵌套的重复）")


# The time a rule from outside the national pack may take on one report, all its searches together
# (its patterns run on the regex package, gxlint.regex_store.bounded); past it, one E024 finding.
RULE_SECONDS = 2.0
_NATIONAL: dict[str, bool] = {}  # rule file -> whether it is one of the national pack's


def national(rule: Rule) -> bool:
    """Whether ``rule`` comes from the national pack (rules/ of gxlint), whose patterns run on ``re``
    unbounded (tests/test_bounds.py runs each on adversarial lines); any other rule file (a
    province's rule_dirs, the linted folder's config) is anyone's."""
    got = _NATIONAL.get(rule.file)
    if got is None:
        got = _NATIONAL[rule.file] = os.path.dirname(os.path.abspath(rule.file)) == builtin_rule_dir()
    return got


def within(rule: Rule, report, call, *args):
    """``call(*args)``, a step of ``rule`` on ``report``; for a rule not from the national pack,
    within its time left on the report (:data:`RULE_SECONDS` in all, kept in ``report.memo``), past
    which its searches raise gxlint.regex_store.Overtime."""
    if national(rule):
        return call(*args)
    from .regex_store import bounded

    spent = report.memo.setdefault("engine.seconds", {})
    start = time.monotonic()
    try:
        with bounded(RULE_SECONDS - spent.get(rule.id, 0.0)):
            return call(*args)
    finally:
        spent[rule.id] = spent.get(rule.id, 0.0) + time.monotonic() - start


def _run(rule: Rule, report) -> list[Finding]:
    """The findings of ``rule`` on ``report``; when it fails or runs out of time, one finding naming
    it (:func:`broken`)."""
    try:
        return within(rule, report, rule.run, report)
    except Exception as e:  # noqa: BLE001 - one broken rule must not hide the findings of the others
        return [broken(rule, report, e)]


def broken(rule: Rule, report, e: Exception) -> Finding:
    """The finding of a rule that failed on a report (E099, in ``extra["error"]`` too), or ran past
    its time (E024, gxlint.regex_store.Overtime): its id, its rule file and line, what happened; the
    report's other rules ran."""
    from .regex_store import Overtime

    p = report.title or (report.paragraphs[0] if report.paragraphs else None)
    line, col, page = (p.line, p.col, p.page) if p is not None else (1, 1, 0)
    if isinstance(e, Overtime):
        code = E_RULE_TIME
        message = (f"{code} 规则 {rule.id}（{rule.file}:{rule.line}）在此报告上运行超过 {RULE_SECONDS:g} 秒，已停止，"
                   "未能检查此报告，其他规则照常检查；请检查该规则的正则表达式（如 (.+)+ 这样嵌套的重复）")
    else:
        code = E_INTERNAL
        message = (f"{code} 内部错误：规则 {rule.id}（{rule.file}:{rule.line}）运行出错"
                   f"（{type(e).__name__}: {e}），未能检查此报告，其他规则照常检查；请报告给该规则文件的维护者")
    f = Finding(rule=rule.id, category=rule.category, severity="error", line=line, column=col, end_line=line,
                end_column=col, excerpt="", location=f"第{page}页 全文" if page else "全文", page=page,
                extra={"error": code}, message=message)
    f.display_column = f.display_end_column = report.display_col(line, col, page)
    return f
