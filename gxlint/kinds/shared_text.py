"""``shared_text``: paragraphs shared with another report of the same batch (内容雷同 between offices).

Runs only when several reports are linted together (``gxlint reports/``): an
office that copies another office's 总体情况 or 存在的主要问题 changes the
name and the figures, not the sentences.  Each paragraph of the parts in
``sections`` with at least ``min_chars`` characters (after normalising away
digits, years, whitespace and emphasis, as ``repeated_text`` does) is cut into
overlapping runs of ``k`` characters; the paragraph is reported when at least
``threshold`` of its runs occur in the same part of one other report.  Two
files with the same title (one report saved as .docx and as .pdf) are not
compared.  A batch is first screened on a sample of the runs (``screen``: a
few KB a report), leaving out those that many reports share (formulaic
phrases), so a folder of a thousand reports costs little; only the reports
that share enough are read again and compared in full.
``repeated_text`` compares with last year's report of the same office; no kind
compares the reports of one batch.  Placeholders: ``{section}``, ``{other}``
(the other file), ``{share}`` (e.g. 92%).
"""
from __future__ import annotations

import zlib
from array import array
from collections import Counter

from ..rule import Param
from .repeated_text import long_paragraphs, normal

PARAMS = {
    "sections": Param(list, default=["一", "五"]),
    "threshold": Param((int, float), default=0.8),
    "min_chars": Param(int, default=60),
    "k": Param(int, default=8),
}
ARGS = ("section", "other", "share")
NEEDS = ("others",)  # what it cannot judge a report without (gxlint.kinds.NEEDS)


def _title(report) -> str | None:
    """The title as two files of one report share it."""
    return normal(report.title_text) if report.title is not None else None


def digest(report, rules) -> tuple:
    """What the rules of this kind compare of a report (small, picklable): its title and the texts
    of the paragraphs of the parts their ``sections`` name."""
    sections = sorted({n for r in rules for n in r.params["sections"]})
    return _title(report), {n: [p.text for p in report.part_paragraphs(n)] for n in sections}


def _runs(text: str, k: int) -> set[str]:
    return {text[i:i + k] for i in range(len(text) - k + 1)}


def check(rule, report):
    others = report.others
    if not others:
        return
    p = rule.params
    k, title = p["k"], _title(report)
    theirs: dict[str, list] = {}  # part number -> [(path, runs of that part)]
    for number in p["sections"]:
        for path, (their_title, parts) in others:
            if title is not None and their_title == title:
                continue  # the same report in another file
            runs = set()
            for text in parts.get(number, ()):
                runs |= _runs(normal(text), k)
            if runs:
                theirs.setdefault(number, []).append((path, runs))
    for number, para, text in long_paragraphs(report, p["sections"], p["min_chars"]):
        if number not in theirs:
            continue
        mine = _runs(text, k)
        share, path = max(((len(mine & runs) / len(mine), path) for path, runs in theirs[number]), key=lambda x: x[0])
        if share >= p["threshold"]:
            yield rule.at_paragraph(report, para, section=number, other=path, share=f"{share:.0%}")


def screen(rule, report) -> tuple:
    """What a batch keeps of a report to find the reports it may share text with, a few KB:
    its title and, for each long paragraph of ``sections``, the CRC-32 of one run in eight
    (chosen by its first character, so that two copies keep the same runs)."""
    k = rule.params["k"]
    paragraphs = [
        array("I", sorted({zlib.crc32(t[i:i + k].encode()) for i in range(len(t) - k + 1) if ord(t[i]) % 8 == 0}))
        for _, _, t in long_paragraphs(report, rule.params["sections"], rule.params["min_chars"])
    ]
    return _title(report), paragraphs


def candidates(rule, screens: list[tuple[int, tuple]]) -> dict[int, list[int]]:
    """{i: [j, ...]}: from the ``screen`` of each report ``i``, the reports ``j`` that may share a
    paragraph with it.  Runs kept by more than max(10, 2% of the batch) reports are formulaic
    phrases and do not count."""
    cap = max(10, len(screens) // 50)
    index: dict[int, array] = {}  # run -> the reports keeping it (4 bytes each: a batch of 10,000 is large)
    for i, (_, paragraphs) in screens:
        for h in set().union(*paragraphs) if paragraphs else ():
            files = index.get(h)
            if files is None:
                index[h] = array("I", (i,))
            elif len(files) <= cap:  # one more than the cap marks a formulaic run
                files.append(i)
    titles = dict((i, title) for i, (title, _) in screens)
    out: dict[int, list[int]] = {}
    for i, (title, paragraphs) in screens:
        found: set[int] = set()
        for runs in paragraphs:
            if len(runs) < 3:
                continue
            hits: Counter = Counter()
            for h in runs:
                files = index[h]
                if len(files) <= cap:
                    hits.update(files)
            for j, n in hits.items():
                if j != i and n >= 0.6 * rule.params["threshold"] * len(runs) and (title is None or titles[j] != title):
                    found.add(j)
        if found:
            out[i] = sorted(found)
    return out
