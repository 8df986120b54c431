"""Baseline: adopt gxlint on a folder full of old findings, then see only the new ones.

``gxlint reports/ --write-baseline .gxlint-baseline.json`` records every finding of the run by
the SARIF formatter's fingerprint (rule, file, location label, offending text and an occurrence
counter: never the line, so a finding survives edits elsewhere in the file).  The file's path
in the fingerprint is relative to the baseline file's folder, so the baseline works from any
working directory.  ``--baseline FILE`` (or ``baseline:`` in ``.gxlint.yaml``) then drops the
findings the baseline holds and counts the baselined findings that are gone (fixed), so the
baseline can be refreshed: only those of the files linted, by the rules that judged them in this
run (a finding of a rule left out by ``--select`` is not fixed).

The file (JSON, sorted, one entry per finding so that a review of its diff is readable)::

    {"version": 1, "tool": "gxlint",
     "findings": [{"path": "2024/a.docx", "rule": "GX302", "location": "…", "excerpt": "0",
                   "fingerprint": "…"}]}
"""
from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field

from .errors import E_CONFIG, E_OS, ConfigError, GxlintError

VERSION = 1
MAX_SIZE = 64 * 2**20  # bytes: a baseline of 100,000 findings is about 30 MiB


def _rel(path: str, base: str) -> str:
    try:
        rel = os.path.relpath(os.path.abspath(path), base)
    except ValueError:  # another drive (Windows)
        rel = os.path.abspath(path)
    return rel.replace(os.sep, "/")


def _fingerprints(path: str, findings, base: str) -> list[tuple[str, object]]:
    from .formatters.sarif import fingerprint

    rel = _rel(path, base)
    seen: Counter = Counter()
    out = []
    for f in findings:
        key = (f.rule, f.location, f.excerpt)
        seen[key] += 1
        out.append((fingerprint(rel, f, seen[key]), f))
    return out


def entries(path: str, findings, base: str) -> list[dict]:
    """The baseline entries of ``findings`` of the file at ``path`` (a baseline in folder ``base``)."""
    return [{"path": _rel(path, base), "rule": f.rule, "location": f.location, "excerpt": f.excerpt, "fingerprint": fp}
            for fp, f in _fingerprints(path, findings, base)]


def write_entries(path: str, found: list[dict]) -> int:
    """Write a baseline of the entries ``found`` (:func:`entries`) to ``path``; return how many."""
    from .writers import write_atomic

    found.sort(key=lambda e: (e["path"], e["rule"], e["location"], e["fingerprint"]))
    doc = {"version": VERSION, "tool": "gxlint", "findings": found}
    write_atomic(path, (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return len(found)


@dataclass
class Baseline:
    path: str
    by_file: dict[str, Counter] = field(default_factory=dict)  # relative path -> fingerprints (with counts)
    rules: dict[str, str] = field(default_factory=dict)  # fingerprint -> its rule's id

    @property
    def base(self) -> str:
        return os.path.dirname(os.path.abspath(self.path))

    def fixed(self, left: Counter, checked) -> int:
        """How many of the unmatched fingerprints ``left`` are of rules in ``checked``: the
        baselined findings that a rule judged again and did not find."""
        return sum(n for fp, n in left.items() if self.rules.get(fp) in checked)


def load(path: str) -> Baseline:
    """The baseline file at ``path``; E013 when it cannot be read, E020 when it is not a baseline."""
    from .files import read_small

    if not os.path.lexists(path):
        raise GxlintError(E_OS, f"基线文件 {path} 不存在；可先用 --write-baseline {path} 生成")
    data = read_small(path, MAX_SIZE, "基线文件", too_large=E_CONFIG)
    try:
        doc = json.loads(data.decode("utf-8-sig"))
        entries = doc["findings"]
        if doc.get("version") != VERSION or not isinstance(entries, list):
            raise ValueError
        b = Baseline(path)
        for e in entries:
            b.by_file.setdefault(str(e["path"]), Counter())[str(e["fingerprint"])] += 1
            b.rules[str(e["fingerprint"])] = str(e.get("rule", ""))
        return b
    except UnicodeDecodeError:
        raise ConfigError(E_CONFIG, f"{path}: 不是 UTF-8 文本，不是 gxlint 的基线文件（应由 --write-baseline 生成）") from None
    except RecursionError:  # JSON nested thousands deep: no baseline is
        raise ConfigError(E_CONFIG, f"{path}: 嵌套层次过深，不是 gxlint 的基线文件（应由 --write-baseline 生成）") from None
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ConfigError(E_CONFIG, f"{path}: 不是 gxlint 的基线文件（应由 --write-baseline 生成）") from None


def drop(path: str, findings: list, b: Baseline, left: Counter | None = None) -> tuple[list, int, Counter]:
    """(the ``findings`` of the file at ``path`` that baseline ``b`` does not hold, how many it
    held, the baselined fingerprints of that file left unmatched); ``left``: those still unmatched
    by the file's other findings (default: all of the file's)."""
    if left is None:
        left = Counter(b.by_file.get(_rel(path, b.base), ()))
    kept = []
    n = 0
    for fp, f in _fingerprints(path, findings, b.base):
        if left[fp] > 0:
            left[fp] -= 1
            n += 1
        else:
            kept.append(f)
    return kept, n, +left
