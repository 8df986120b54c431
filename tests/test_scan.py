"""Rules that scan once (gxlint/kinds/_scan.py): the literal prefilter never skips a text its
pattern matches, the memo shares matches between rules, and findings are those of a plain scan.
"""
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seeddocx import seed_docx

from gxlint.engine import Linter
from gxlint.kinds import _scan
from gxlint.model import Table
from gxlint.readers import read
from gxlint.readers.text import parse_text

SEEDS = sorted(Path(__file__).parent.joinpath("seeds").glob("*.txt"))
LINTER = Linter()


def _examples():
    """Every rule's documented examples (triggering and passing), and last year's where given."""
    for r in LINTER.all_rules:
        for key in ("triggers", "passes", "previous", "other"):
            if r.doc.get(key):
                yield r.doc[key]


def _paragraph_texts() -> list[str]:
    texts = []
    for seed in SEEDS:
        texts += [p.text for p in parse_text(seed.read_text(encoding="utf-8"), str(seed)).paragraphs()]
    for example in _examples():
        texts += [p.text for p in parse_text(example, "example.md", markdown=True).paragraphs()]
    return texts


TEXTS = _paragraph_texts()


def _patterns_run() -> list[str]:
    """The patterns the rule pack runs over paragraphs, as the kinds hand them to the scanner."""
    patterns: set[str] = set()
    docs = [parse_text(s.read_text(encoding="utf-8"), str(s)) for s in SEEDS]
    docs += [parse_text(e, "example.md", markdown=True) for e in _examples()]
    for doc in docs:
        _, report = LINTER.check(doc, fragment=True)
        patterns |= set(report.memo.get("scan.paragraphs", {}))
        patterns |= {p for p, _ in report.memo.get("scan.texts", {})}
    return sorted(patterns)


PATTERNS = _patterns_run()


def test_the_pack_runs_its_patterns_through_the_scanner_and_most_have_a_prefilter():
    assert len(PATTERNS) >= 40, len(PATTERNS)  # the pattern, substitution, docnum, date, figure… rules
    with_literals = [p for p in PATTERNS if _scan.literals(p)]
    assert len(with_literals) >= 0.8 * len(PATTERNS), [p for p in PATTERNS if not _scan.literals(p)]


def test_prefilter_never_skips_a_paragraph_its_pattern_matches():
    """Over every pattern the pack runs and every paragraph of the seeds and the rule docs' examples."""
    skipped_rightly = 0
    for pattern in PATTERNS:
        rx = re.compile(pattern)
        for text in TEXTS:
            if not _scan.may_match(pattern, text):
                assert rx.search(text) is None, (pattern, text)
                skipped_rightly += 1
    assert skipped_rightly > len(PATTERNS) * len(TEXTS) // 2  # and it skips most of them


# characters the pack's patterns are written with, so that random texts do match some of them
_ALPHABET = sorted({ch for p in PATTERNS for ch in p if not ch.isascii() or ch.isalnum()} | set("0123456789 ()-./%"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ALPHABET), max_size=40).map("".join), st.sampled_from(PATTERNS))
def test_prefilter_never_skips_a_random_text_its_pattern_matches(text, pattern):
    if not _scan.may_match(pattern, text):
        assert re.search(pattern, text) is None


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PATTERNS), st.data())
def test_prefilter_passes_every_text_made_of_a_match(pattern, data):
    """Texts around a real match (taken from the seeds and examples) always pass."""
    rx = re.compile(pattern)
    matched = [m for t in TEXTS for m in [rx.search(t)] if m]
    if not matched:
        return
    m = data.draw(st.sampled_from(matched))
    pad = data.draw(st.sampled_from(["", "甲", "。", "1"]))
    text = pad + m.string + pad
    assert _scan.may_match(pattern, text)


@pytest.mark.parametrize("pattern, clauses", [
    (r"(?P<open>[〔（])\s*\d{4}\s*[〕）]\s*(?P<num>\d{1,5})\s*号", (("号",), ("〔", "（"), ("〕", "）"))),
    (r"(?:ab|cd)e", (("ab", "cd"), ("e",))),
    (r"x+y", (("x",), ("y",))),
    (r"a(?!b)c", (("a",), ("c",))),
    (r"(?=\d)(?<![年])(?P<y>\d{4})度", (("度",),)),
    (r"(?<=前)后", (("前",), ("后",))),  # what a lookaround sees stands in the text too
])
def test_literals_a_match_needs(pattern, clauses):
    assert _scan.literals(pattern) == clauses


@pytest.mark.parametrize("pattern", [
    r"x*", r"x?", r"x{0,3}", r"[^x]", r"\d+", r"a|", r"(?:a|\d)", r"(?i)abc", r"(?i:abc)d", r"[一-龥]+",
    r"(x)?(?(1)a|b)",
])
def test_no_prefilter_where_a_match_needs_no_literal_or_the_analysis_is_unsure(pattern):
    assert _scan.literals(pattern) == ()


def _findings(path_or_doc, linter):
    doc = read(str(path_or_doc))
    return [(f.rule, f.line, f.column, f.end_line, f.end_column, f.message, f.excerpt, f.fix and f.fix.replacement)
            for f in linter.check(doc)[0]]


@pytest.fixture(scope="module")
def seed_docs(tmp_path_factory):
    out = tmp_path_factory.mktemp("scan")
    return [*SEEDS, *(seed_docx(s, out / (s.stem + ".docx")) for s in SEEDS)]


@pytest.mark.slow
def test_findings_are_those_of_a_plain_scan(seed_docs, monkeypatch):
    """With the prefilter and the memo the seeds (as text and as .docx) give the findings a plain
    ``re.finditer`` over every paragraph gives."""
    with_scan = [_findings(p, LINTER) for p in seed_docs]
    assert any(with_scan)

    def plain(report, pattern):
        return {p.text: ms for p in report.paragraphs if (ms := list(re.finditer(pattern, p.text)))}

    monkeypatch.setattr(_scan, "in_paragraphs", plain)
    monkeypatch.setattr(_scan, "may_match", lambda pattern, text: True)
    assert [_findings(p, LINTER) for p in seed_docs] == with_scan


class _Counting:
    """A compiled pattern that counts the texts it is run over."""

    def __init__(self, rx, runs):
        self.rx, self.runs = rx, runs

    def finditer(self, text, *args):
        self.runs.append(self.rx.pattern)
        return self.rx.finditer(text, *args)

    def __getattr__(self, name):
        return getattr(self.rx, name)


def test_rules_sharing_a_pattern_scan_each_paragraph_once(monkeypatch):
    """The four 发文字号 checks share one pattern: it runs once per paragraph that may hold a number."""
    from gxlint.kinds.docnum import _TAIL

    runs = []
    real = _scan.compiled
    monkeypatch.setattr(_scan, "compiled", lambda pattern: _Counting(real(pattern), runs))
    title = "年政府信息公开工作年度报告\n\n"  # (above the title stands the page's, not the report's)
    text = SEEDS[0].read_text(encoding="utf-8").replace(title, title + "根据某府办发（2021）第05号文件。\n\n", 1)
    doc = parse_text(text, str(SEEDS[0]))
    findings, _ = LINTER.check(doc)
    assert {"GX201", "GX202", "GX203"} <= {f.rule for f in findings}
    may = [p.text for p in doc.paragraphs() if _scan.may_match(_TAIL, p.text)]
    assert 0 < runs.count(_TAIL) == len(set(may)) < len(doc.paragraphs())


def test_a_pattern_no_paragraph_can_match_is_never_compiled(monkeypatch):
    doc = parse_text("本机关2023年度政府信息公开工作年度报告\n\n无文号的段落。\n", "x.md", markdown=True)
    _, report = LINTER.check(doc, fragment=True)
    compiled = []
    real = _scan.compiled
    monkeypatch.setattr(_scan, "compiled", lambda p: compiled.append(p) or real(p))
    assert _scan.in_paragraphs(report, r"国办公开办函〔\d{4}〕\d+号") == {}
    assert r"国办公开办函〔\d{4}〕\d+号" not in compiled


def _random_pattern():
    """Patterns of the syntax the scan reads (and some it does not), over a small alphabet."""
    chars = st.sampled_from(list("ab年号") + [r"\.", r"\x61", r"\u5e74", "\\n"])
    classes = st.sampled_from(["[ab]", "[^a]", "[a-c]", r"[\d号]", "[年]", "[]a]", r"[\-a]", "[一-龥]"])
    others = st.sampled_from([".", r"\d", r"\w", r"\s", "^", "$", r"\b", r"(?=a)", r"(?!b)", r"(?<=年)", r"(?<!号)"])
    atom = st.one_of(chars, chars, classes, others)

    def grow(inner):
        group = st.tuples(st.sampled_from(["(", "(?:", "(?P<g>", "(?=", "(?!", "(?>", "(?s:", "(?i:"]),
                          st.lists(inner, min_size=1, max_size=3)).map(lambda t: t[0] + "|".join(t[1]) + ")")
        quantified = st.tuples(st.one_of(chars, classes, group), st.sampled_from(
            ["*", "+", "?", "{2}", "{0,2}", "{1,}", "+?", "*+", "{,3}"])).map("".join)
        return st.lists(st.one_of(atom, group, quantified), min_size=1, max_size=5).map("".join)

    return st.recursive(atom, grow, max_leaves=12)


@pytest.mark.slow
@settings(max_examples=600, deadline=None)
@given(_random_pattern(), st.lists(st.sampled_from(list("ab年号c1 .\n")), max_size=12).map("".join))
def test_the_literals_of_random_patterns_are_in_every_text_they_match(pattern, text):
    """The scan of the pattern text never rules out a text ``re`` finds a match in."""
    try:
        rx = re.compile(pattern)
    except re.error:
        return
    for m in rx.finditer(text):
        for clause in _scan.literals(pattern):
            assert any(s in text for s in clause), (pattern, text, m)
    if rx.search(text):
        assert _scan.may_match(pattern, text)


@pytest.mark.parametrize("pattern", [
    r"a\1", r"(?x)a b", r"\N{DIGIT ONE}a", r"a{", r"a{x}", r"(?<g>a)", r"(?L)a", r"[a", r"(a", r"a)",
])
def test_what_the_scan_does_not_read_gets_no_prefilter(pattern):
    assert _scan.literals(pattern) == ()


def _kinds_needing():
    from gxlint import kinds

    return [kinds.load(k) for k in kinds.names() if {"tables", "previous", "others"} & set(kinds.needs(k))]


def test_rules_are_not_run_without_the_parts_they_need_and_findings_stay_the_same(monkeypatch):
    """A kind that declares NEEDS (tables, last year's report, the other reports of a batch) finds
    nothing without them: skipping its rules on such reports changes no finding."""
    assert {"cell_text", "equation", "year_over_year", "shared_text"} <= {m.__name__.rsplit(".", 1)[1] for m in _kinds_needing()}
    no_tables = [parse_text(s.read_text(encoding="utf-8"), str(s)) for s in SEEDS]
    for d in no_tables:
        d.blocks = [b for b in d.blocks if not isinstance(b, Table)]  # a report whose tables are images
    docs = [parse_text(s.read_text(encoding="utf-8"), str(s)) for s in SEEDS] + no_tables
    examples = [(parse_text(r.doc["triggers"], "e.md", markdown=True),
                 parse_text(r.doc["previous"], "p.md", markdown=True) if r.doc.get("previous") else None)
                for r in LINTER.all_rules]
    ran = []
    real_run = type(LINTER.all_rules[0]).run
    monkeypatch.setattr(type(LINTER.all_rules[0]), "run", lambda rule, report: ran.append(rule.id) or real_run(rule, report))

    def lint():
        ran.clear()
        out = [LINTER.lint_document(d) for d in docs] + [LINTER.lint_document(d, p, fragment=True) for d, p in examples]
        return [[(f.rule, f.line, f.column, f.message) for f in fs] for fs in out], list(ran)

    skipped, ran_skipped = lint()
    for module in _kinds_needing():
        monkeypatch.setattr(module, "NEEDS", ())
    every, ran_every = lint()
    assert skipped == every
    assert len(ran_skipped) < len(ran_every)  # the rules of the table kinds did not run on the reports without tables
