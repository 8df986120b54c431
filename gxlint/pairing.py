"""Last year's report: making sure ``--previous`` is it, and finding it in a batch.

* :func:`mismatch` says why a report given as last year's is not (another year than N-1 in
  its title, or another issuer); the engine then refuses it with E022 instead of comparing
  two unrelated reports.  What cannot be read (no year or no issuer in a title) is not held
  against it: a refusal is as confident as a finding.
* :func:`pair_years`: when a folder holds several years of one office's reports, each report
  is compared with its predecessor (same issuer, year N-1) by the year-over-year rules (those
  whose kind needs ``previous``: gxlint.kinds), without ``--previous``.
"""
from __future__ import annotations

import re


def _norm(issuer: str) -> str:
    return re.sub(r"[\s\u3000]+", "", issuer or "")


def identity(report) -> tuple[str, int | None]:
    """(issuer, report year) as the title gives them ("" / None when it does not)."""
    return _norm(report.issuer()), report.year


def mismatch(report, previous) -> str | None:
    """Why ``previous`` is not last year's report of ``report``'s office (None when it may be)."""
    issuer, year = identity(report)
    p_issuer, p_year = identity(previous)
    problems = []
    if year and p_year and p_year != year - 1:
        problems.append(f"它是 {p_year} 年度的报告，本报告是 {year} 年度，应为 {year - 1} 年度的报告")
    if issuer and p_issuer and issuer != p_issuer:
        problems.append(f"它由「{p_issuer}」发布，本报告由「{issuer}」发布")
    return "；".join(problems) or None


def pair_years(results, linter_of, encoding=None) -> int:
    """Run the year-over-year rules on each report of ``results`` whose predecessor (same issuer,
    year N-1) is in the batch too; their findings join the results.  Returns how many pairs."""
    from .audit import audit
    from .findings import Finding, hide_masked
    from .readers import read

    by_key = {}
    for i, r in enumerate(results):
        ident = getattr(r, "identity", None)
        if r.error is None and ident and ident[0] and ident[1]:
            by_key.setdefault(ident, i)  # the same report saved twice: the first
    pairs = 0
    for i, r in enumerate(results):
        ident = getattr(r, "identity", None)
        if r.error is not None or not ident or not ident[0] or not ident[1]:
            continue
        j = by_key.get((ident[0], ident[1] - 1))
        linter = linter_of(i)
        if j is None or linter.config.previous:
            continue
        try:
            doc = read(r.path, encoding=encoding or linter.config.encoding, formats=linter.formats)
            prev = read(results[j].path, encoding=encoding or linter.config.encoding, formats=linter.formats)
            found, report = linter.check(doc, prev, path=r.path, only="previous")
        except Exception:  # noqa: BLE001 - read once already; if not again, the pair is not compared
            continue
        pairs += 1
        r.findings = sorted(r.findings + found, key=Finding.sort_key)
        hide_masked(r.findings)
        if r.audit is not None:  # the year-over-year rules' entries, now with last year's report
            yoy = linter.comparing("previous", linter.rules_for(r.path))
            fresh = {e.rule: e for e in audit(yoy, report, found)}
            r.audit = [fresh.get(e.rule, e) for e in r.audit]
    return pairs
