"""The generic check kinds: every module of this package whose name does not start with ``_`` is
one (found by :func:`names`; adding a kind is adding its module, nothing else).  A kind declares:

* ``PARAMS``: the parameters a rule of this kind takes, {name: gxlint.rule.Param} (type, default,
  choices, regular expression: checked by ``gxlint rules check`` and when a pack is loaded);
* ``ARGS``: the placeholders its messages may use (a plain ``{name}``: gxlint.rule.message_problems);
  ``GROUP_ARGS`` (optional): parameters whose patterns' named groups are placeholders too;
* ``check(rule, report)``: yields the findings of ``rule`` on a gxlint.report.Report;
* ``NEEDS`` (optional, default none): what a rule of this kind cannot judge a report without,
  of the words of :data:`NEEDS` below.  The engine does not run the rule when one that it
  *requires* is missing, ``--audit`` says why it could not judge, a batch runs the rules needing
  ``others`` (the other reports) or ``previous`` (last year's, found in the batch) once every
  report is linted;
* ``validate(params)`` (optional): yields (parameter, problem in Chinese) for what the
  parameter types cannot say (a ``fix`` template naming a group its pattern does not have, two
  parameters that exclude each other); run once the types are right;
* ``reason(rule, report)`` (optional): why ``--audit`` cannot judge the rule on this report
  ("" when it can), instead of :func:`gxlint.audit.missing_parts` (the tables and the part
  named by ``table``, ``tables``, ``statements[].cell.table`` and ``section``);
* with ``others`` in NEEDS, what a batch keeps and compares: ``digest(report, rules)`` (what
  the rules compare of a report, small), ``screen(rule, report)`` (a smaller sample, kept for
  every report) and ``candidates(rule, screens)`` ({i: [j...]}: the reports worth comparing);
  ``report.others`` then holds (path, digest) of the other reports;
* ``exclusive(rule, report)`` (optional): True when the report gets this rule's findings and no
  other rule's (an unfilled template: one finding, not one per empty cell).

Kinds that search paragraph text do it through ``_scan`` (a literal prefilter, and the matches
of a pattern found once per report for all the rules that share it).  A kind never parses a
file: it looks at a ``gxlint.report.Report``.
"""
from __future__ import annotations

# What a kind may need: {need: (the engine runs a rule of it only with it, why --audit cannot judge without it)}.
# ``not_report`` is the one need of the kind for files that are plainly not annual reports: the
# rules needing it run only on such files, the others never.
NEEDS = {
    "previous": (True, "未提供上年报告（--previous 或配置项 previous:）"),
    "others": (True, "只在同时检查多份报告（如一个文件夹）时与其他报告比较"),
    "tables": (True, "未识别到格式规定的任何表格"),
    # numbers in the national tables: the rule computes with them, so --audit does not pass it on
    # a table with rows that could not be read or with no number (gxlint.audit.unread_figures)
    "figures": (True, "统计表中没有可读取的数字"),
    "title": (False, "未识别到报告标题"),
    "year": (False, "未从标题或统计期限识别出报告年度"),
    "issuer": (False, "未识别出发布机关（标题、落款和正文均未写明）"),
    "signature": (False, "未找到落款日期"),
    "not_report": (True, ""),
}
# Needs that are other reports given with the one linted: a rule needing one compares reports
# (a batch runs it once all are linted), and a run without it has not judged the rule.
COMPARING = ("previous", "others")

_modules: dict = {}
_names: dict = {}


def names() -> tuple[str, ...]:
    """Every kind: the modules of this package not starting with ``_``, sorted (listed once per
    process for each ``__path__``)."""
    key = tuple(__path__)
    if key not in _names:
        import pkgutil

        _names[key] = tuple(sorted(m.name for m in pkgutil.iter_modules(key) if not m.name.startswith("_")))
    return _names[key]


def load(name: str):
    """The module of kind ``name`` (imported once)."""
    mod = _modules.get(name)
    if mod is None:
        import importlib

        mod = _modules[name] = importlib.import_module(f"{__name__}.{name}")
    return mod


def needs(name: str) -> tuple[str, ...]:
    """What a rule of kind ``name`` needs (its NEEDS)."""
    return getattr(load(name), "NEEDS", ())


def compares(name: str) -> bool:
    """Whether rules of kind ``name`` compare the report with others (last year's, the batch's)."""
    return any(n in COMPARING for n in needs(name))


def has(report, need: str, judged: bool = False) -> bool:
    """Whether ``report`` has what ``need`` names.  ``judged``: whether a run judges it at all, for
    --audit (``others``: the report is linted in a batch, whose comparison comes later), not
    whether it is at hand now (the other reports' digests, while the batch compares)."""
    if need == "previous":
        return report.previous is not None
    if need == "others":
        return report.others is not None if judged else bool(report.others)
    if need == "tables":
        return bool(report.tables)
    if need == "figures":
        return any(row.values for lt in report.tables.values() for row in lt.rows.values())
    if need == "title":
        return report.title is not None
    if need == "year":
        return report.year is not None
    if need == "issuer":
        return bool(report.issuer())
    if need == "signature":
        return report.signature() is not None
    if need == "not_report":
        return not report.is_report
    raise ValueError(f"unknown need {need!r}")


def problems(name: str) -> list[str]:
    """What the module of kind ``name`` declares wrong (for ``gxlint rules check`` and the tests):
    a missing ``PARAMS``, ``ARGS`` or ``check``, an unknown need, the batch functions of ``others``."""
    try:
        mod = load(name)
    except Exception as e:  # noqa: BLE001 - a kind that cannot be imported is a problem to report
        return [f"无法导入（{type(e).__name__}: {e}）"]
    out = []
    if not isinstance(getattr(mod, "PARAMS", None), dict):
        out.append("缺少 PARAMS（参数说明，映射）")
    if not isinstance(getattr(mod, "ARGS", None), tuple):
        out.append("缺少 ARGS（提示信息可用的占位符，元组）")
    groups = getattr(mod, "GROUP_ARGS", ())
    if not isinstance(groups, tuple) or not all(g in getattr(mod, "PARAMS", {}) for g in groups):
        out.append("GROUP_ARGS 应是参数名的元组")
    if not callable(getattr(mod, "check", None)):
        out.append("缺少 check(rule, report)")
    declared = getattr(mod, "NEEDS", ())
    if not isinstance(declared, tuple):
        out.append("NEEDS 应是元组")
        declared = ()
    for n in declared:
        if n not in NEEDS:
            out.append(f"NEEDS 中的「{n}」不是 {'、'.join(NEEDS)} 之一")
    if "others" in declared:
        for fn in ("digest", "screen", "candidates"):
            if not callable(getattr(mod, fn, None)):
                out.append(f"NEEDS 含 others，但缺少 {fn}()")
    return out
