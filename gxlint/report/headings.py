"""The title and the parts of a report: which paragraphs are the title (over up to three lines)
and the report year it names, which open the format's six parts, the signature date, and the
issuing organ."""
from __future__ import annotations

import os
import re
from collections import Counter

from ..labels import normalize
from ..model import Paragraph
from ..regex_store import compiled
from ..template import FormatSpec, SectionSpec
from .model import Heading, Report
from .numbers import parse_count

_NUMERAL = compiled(r"^\s*([一二三四五六七八九十]+)\s*[、.．，,]\s*")
_TITLE_YEAR = compiled(r"(\d{4})\s*年\s*度?")
_ISSUER_TAIL = compiled(r"关于$")
_DISCLOSURE = compiled(r"信息公开|政务公开")  # what a report's title names
# a repository's documentation files, never reports whatever they quote
_DOC_FILE = compiled(r"(?i)^(?:readme|changelog|changes|history|license|licence|contributing|authors|notice|copying)\b")
# An organ's name (上犹县人民政府办公室, 某某市人力资源和社会保障局) has at most this many characters: a
# longer line above the title or the signature date is no issuer's name.
ORGAN_MAX = 30
# an office's name as signed above the date (上犹县人民政府办公室, 某镇人民政府, 某县财政局): short, no sentence
_ORGAN = compiled(rf"^[^，。；：,;:]{{2,{ORGAN_MAX}}}(?:政府|办公室|办公厅|局|委员会|委|办事处|管委会|中心|厅|院|镇|乡|街道|办)$")
# how a report calls its own office: 我镇, 本乡, 本街道, 我局 (most said wins)
_SELF = compiled(r"[我本](镇|乡|街道|县|区|市|局|委|办|厅)(?![长委务级域内外法理事公场])")
# the statistics period of one whole year, where the title gives no year
_PERIOD_YEAR = compiled(r"(?=\d)(\d{4})\s*年\s*0?1\s*月\s*0?1\s*日\s*(?:起)?\s*(?:至|到|—|-|－|~)+\s*(\d{4})\s*年\s*12\s*月\s*31\s*日")
# Where neither the title nor a whole period gives the year: a period that names it once
# (「统计期限为2023年1月1日至12月31日」), or the introduction naming the report
# (「现将2021年度政府信息公开工作情况报告如下」: the year within 30 characters of 现将, else the
# year is some other one the sentence names).
_PERIOD_ONCE = compiled(r"(?=\d)(?<!\d)(?P<year>\d{4})\s*年\s*0?1\s*月\s*0?1\s*日\s*(?:起)?\s*(?:至|到|—|-|－|~)+\s*12\s*月\s*31\s*日")
_SELF_NAMED = compiled(r"(?:现将|现公布|特向社会公布|编制|发布)[^。；《]{0,30}?(?<![\d关于做好])(?P<year>\d{4})\s*年度?(?:的)?"
                       r"政府信息公开(?:工作)?(?:年度)?(?:报告|情况)")
# lines before a title that are not part of it: a web page's path or source line
_NOT_TITLE = compiled(r"当前位置|首页|>|来源|发布时间|发布日期|浏览|字号|索引号")
# A paragraph that is nothing but a date: the 成文日期 of the signature (落款).
_DATE_ONLY = compiled(
    r"^(?P<y>\d{4}|[〇零○OoＯｏ0０一二三四五六七八九]{4})\s*(?:年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日|[.．\-－/／]\s*(?P<m2>\d{1,2})\s*[.．\-－/／]\s*(?P<d2>\d{1,2}))$"
)

# Thresholds of what can be a heading or a title (characters; the format's longest part title,
# 「四、政府信息公开行政复议、行政诉讼情况」, is 21, and real titles of one line reach about 45):
HEADING_MAX = 40  # a paragraph longer than this is prose, never a part's heading
TITLE_MAX = 60  # a title line says 报告 within this many characters
TITLE_LINE_MAX = 30  # a line above it that continues the title (「上犹县2022年度政府信息」) is short
TITLE_WINDOW = 12  # the title is among the first blocks before the first part
TITLE_LINES = 3  # a title spreads over at most this many lines
PERIOD_WINDOW = 40  # blocks after the first part searched for the statistics period (no year in the title)
# How close (0..1, textdistance's normalised similarity) an unnumbered paragraph must be worded to
# a part's title to be taken as that part's heading (numbered ones need only the part's words).
HEADING_SIMILARITY = 0.85


def signature(report: Report) -> tuple[Paragraph, int, int, int] | None:
    """(paragraph, year, month, day) of the signature date: the last paragraph that is only a date."""
    for b in reversed(report.doc.blocks):
        if not isinstance(b, Paragraph):
            continue
        m = _DATE_ONLY.match(b.text.strip().strip("*").strip())
        if m:
            y, mo, d = (parse_count(x) for x in (m.group("y"), m.group("m") or m.group("m2"), m.group("d") or m.group("d2")))
            return b, y, mo, d
    return None


def is_report(report: Report) -> bool:
    """False for a file that is plainly not an annual report: a repository's README,
    CHANGELOG, LICENSE…, or a file with no report title (one that names 信息公开 or 政务公开),
    none of the format's parts, no table and no word of 政府信息公开 (meeting notes).  Such a
    file is skipped."""
    if _DOC_FILE.match(os.path.basename(report.doc.path or "")):
        return False  # a repository's README, CHANGELOG, LICENSE… beside the reports
    titled = report.title is not None and _DISCLOSURE.search(report.title_text) is not None
    return (titled or bool(report.headings) or bool(report.doc.tables())
            or any("政府信息公开" in p.text for p in report.paragraphs))


def issuer(report: Report) -> str:
    """The organ the report is from: the title before its year, else the short line above the
    title, else the office named above the signature date, else what the text calls itself
    (我镇, 本乡, 本街道, 我局 → 镇, 乡, 街道, 局); "" when none says."""
    if report.title is not None:
        text = report.title_text
        m = _TITLE_YEAR.search(text)
        before = _ISSUER_TAIL.sub("", normalize(text[: m.start()] if m else "").strip("#*"))
        if before:
            return before
        i = next(i for i, b in enumerate(report.doc.blocks) if b is report.title_lines[0])
        above = next((b for b in reversed(report.doc.blocks[:i]) if isinstance(b, Paragraph) and b.text.strip()), None)
        if above is not None and len(above.text.strip()) <= ORGAN_MAX and "报告" not in above.text:
            return normalize(above.text).strip("#*")
    sig = report.signature()
    if sig is not None:
        i = next(i for i, b in enumerate(report.doc.blocks) if b is sig[0])
        above = next((b for b in reversed(report.doc.blocks[:i]) if isinstance(b, Paragraph) and b.text.strip()), None)
        if above is not None and _ORGAN.search(normalize(above.text)):
            return normalize(above.text).strip("#*")
    said = Counter(m.group(1) for p in report.paragraphs for m in _SELF.finditer(p.text))
    return said.most_common(1)[0][0] if said else ""


def _heading_text(p: Paragraph) -> tuple[str, str]:
    """(numeral, rest) of a paragraph as shown, markdown emphasis removed."""
    shown = p.shown.replace("*", "").strip()
    m = _NUMERAL.match(shown)
    if m:
        return m.group(1), shown[m.end() :]
    return "", shown


def find_headings(rep: Report) -> None:
    """The paragraphs that open the format's parts.

    First by the format's wording (``match``).  Then, for a part still without a heading, a
    short paragraph worded otherwise that stands between the headings of the parts before and
    after: one that shows the part's numeral is that part (the drafter numbered it so), the
    best of several being the one that says the part's ``words`` and is worded closest to the
    format's title (years and the words any heading may add, 政府信息公开工作, 政务公开, 的,
    aside); one without a numeral must say the ``words`` and be worded almost as the title.
    """
    candidates = []
    for pos, b in enumerate(rep.doc.blocks):
        if not isinstance(b, Paragraph) or len(b.shown) > HEADING_MAX:
            continue
        numeral, rest = _heading_text(b)
        key = normalize(rest).rstrip(":：。.")
        if not key:
            continue
        spec = _worded_as(rep.fmt, key)
        if spec is not None:
            rep.headings.append(Heading(spec, b, numeral, pos))
        else:
            candidates.append((pos, b, numeral, key))
    found = {h.section.number: h.position for h in rep.headings}
    for spec in rep.fmt.sections:
        if spec.number in found:
            continue
        before = max((found[s.number] for s in rep.fmt.sections[: spec.order] if s.number in found), default=-1)
        after = min((found[s.number] for s in rep.fmt.sections[spec.order + 1 :] if s.number in found),
                    default=len(rep.doc.blocks))
        best = None
        for pos, b, numeral, key in candidates:
            if not before < pos < after or (numeral and numeral != spec.number):
                continue
            says = all(w.search(key) for w in spec.words)
            sim = _title_similarity(key, spec.title)
            if not numeral and not (says and sim >= HEADING_SIMILARITY):
                continue
            score = (bool(numeral), says, sim)
            if best is None or score > best[0]:
                best = (score, Heading(spec, b, numeral, pos, exact=False))
        if best is not None:
            rep.headings.append(best[1])
            found[spec.number] = best[1].position
    rep.headings.sort(key=lambda h: h.position)


# (id of a format, a short paragraph's words) -> (the format, index of the first part whose
# wording they match, or -1): reports repeat their headings and short lines
_WORDED: dict = {}
# Entries kept (then all are forgotten at once): a report has a few dozen short lines, so this
# holds those of a batch of about a hundred reports.
_WORDED_SIZE = 4096


def _worded_as(fmt: FormatSpec, key: str) -> SectionSpec | None:
    """The first part of `fmt` whose wording (``match``) the words `key` of a paragraph match."""
    got = _WORDED.get((id(fmt), key))
    if got is None or got[0] is not fmt:
        i = next((i for i, spec in enumerate(fmt.sections) if any(p.search(key) for p in spec.patterns)), -1)
        if len(_WORDED) >= _WORDED_SIZE:
            _WORDED.clear()
        got = _WORDED[(id(fmt), key)] = (fmt, i)
    return fmt.sections[got[1]] if got[1] >= 0 else None


_HEADING_FILLER = compiled(r"\d{4}年度?|本?年度|政府信息公开工作|政府信息公开|政务公开工作|政务公开|工作|的|本机关|[、，,]")


def _heading_core(text: str) -> str:
    return _HEADING_FILLER.sub("", normalize(text))


def _title_similarity(key: str, title: str) -> float:
    """Similarity (0..1) of a heading's wording to a part's title, fillers aside."""
    a, b = _heading_core(key), _heading_core(title)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    from ..distance import similarity  # lazy, as in labels: only for a heading the format's wording did not match

    return similarity(a, b)


def find_title(rep: Report) -> None:
    """The title: the first short paragraph that says 报告 before the first part, with the one
    or two short lines above it when the title is spread over lines and the year is not yet in
    it (「上犹县2022年度政府信息」 / 「公开工作报告」).  Without a year in the title, the report
    year is the statistics period's (「自2022年1月1日起至2022年12月31日止」)."""
    first = rep.headings[0].position if rep.headings else len(rep.doc.blocks)
    blocks = rep.doc.blocks[: min(first, TITLE_WINDOW)]
    for i, b in enumerate(blocks):
        if not isinstance(b, Paragraph) or len(b.text) > TITLE_MAX or "报告" not in b.text or _NOT_TITLE.search(b.text):
            continue
        lines = [b]
        for prev in reversed(blocks[:i]):
            if _TITLE_YEAR.search("".join(p.text for p in lines)) or len(lines) == TITLE_LINES:
                break
            if not isinstance(prev, Paragraph):
                break
            t = prev.text.strip()
            if not t:
                continue
            if len(t) > TITLE_LINE_MAX or _NOT_TITLE.search(t) or re.search(r"[。，；：:;,]", t) or _DATE_ONLY.match(t):
                break
            lines.insert(0, prev)
        if not _TITLE_YEAR.search("".join(p.text for p in lines)):
            lines = [b]
        rep.title, rep.title_lines = b, lines
        m = _TITLE_YEAR.search(rep.title_text)
        if m:
            rep.year, rep.year_from = int(m.group(1)), "title"
        break
    if rep.year is None:
        for p in rep.doc.blocks[:first + PERIOD_WINDOW]:
            if isinstance(p, Paragraph) and (m := _PERIOD_YEAR.search(p.text)) and m.group(1) == m.group(2):
                rep.year, rep.year_from = int(m.group(1)), "period"
                break
    if rep.year is None:  # a period that names the year once, or the introduction naming the report
        for pattern, blocks, source in ((_PERIOD_ONCE, rep.doc.blocks[:first + PERIOD_WINDOW], "period"),
                                        (_SELF_NAMED, rep.doc.blocks[:first], "introduction")):
            m = next((m for p in blocks if isinstance(p, Paragraph) and (m := pattern.search(p.text))), None)
            if m:
                rep.year, rep.year_from = int(m.group("year")), source
                break


# --------------------------------------------------------------------------- tables

