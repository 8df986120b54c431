"""The paths that were quadratic in the number of findings and fixes (issue 31): 40,000 findings in
one file took 73 s, 5,000 fixes in a small .docx 71 s.  The work is counted, never timed: for n and
4n findings of one shape, what a linear path does grows 4-fold and a quadratic one 16-fold.

What is counted is the work a quadratic path repeats: the blocks of the document walked, the
attributes of findings read, the runs of a paragraph read (``paragraph_spans``), the elements a
search for complex fields walks, the comparisons made to choose fixes.  (Suppressions are counted
in tests/test_suppress.py, the language server's edits in tests/test_lsp.py.)
"""
import zipfile

import pytest
from conftest import SEEDS
from seeddocx import seed_docx

from gxlint import rule as rule_module
from gxlint.engine import Linter
from gxlint.findings import Finding

SEED004 = SEEDS / "004_aa4e2e269a40bca7.txt"
COUNT = [0]


def _with_lines(extra: list[str]):
    """Seed 004 with ``extra`` lines after its opening (where the prose rules judge them)."""
    def transform(text: str) -> str:
        lines = text.split("\n")
        return "\n".join(lines[:8] + extra + lines[8:])
    return transform


class _Blocks(list):
    """A document's blocks, counting each block handed out by a walk over them."""

    def __iter__(self):
        for b in list.__iter__(self):
            COUNT[0] += 1
            yield b


class _CountedFinding(Finding):
    def __getattribute__(self, name):
        COUNT[0] += 1
        return object.__getattribute__(self, name)


@pytest.fixture(scope="module")
def linter():
    return Linter()


def test_findings_are_located_and_masked_in_linear_work(linter, monkeypatch):
    """A line per paragraph, each with a 截止 (GX503) and a mobile number (GX802, masked) on the same
    line: each finding's location was a walk of the blocks before it, and each finding was
    compared with every masked one."""
    from gxlint.readers.text import parse_text

    monkeypatch.setattr(rule_module, "Finding", _CountedFinding)
    work = {}
    for n in (250, 1000):
        text = _with_lines([f"截止12月31日，联系人手机139{k:08d}。" for k in range(n)])(SEED004.read_text(encoding="utf-8"))
        doc = parse_text(text, "r.txt", markdown=False, formats=linter.formats)
        doc.blocks = _Blocks(doc.blocks)
        COUNT[0] = 0
        findings = linter.lint_document(doc)
        work[n] = COUNT[0]
        assert sum(f.rule == "GX503" for f in findings) == n and sum(f.rule == "GX802" for f in findings) == n
        assert all(f.location == "正文开头" for f in findings if f.rule in ("GX503", "GX802"))
        assert all("139****" in f.excerpt for f in findings if f.rule == "GX802")
    assert work[1000] < 5 * work[250], work


@pytest.fixture(scope="module")
def fixable(tmp_path_factory):
    """.docx reports with n fixable 截止 (GX503): all in one paragraph, or one a paragraph."""
    folder = tmp_path_factory.mktemp("fixable")
    out = {}
    for n in (50, 200):
        out["one", n] = seed_docx(SEED004, folder / f"one{n}.docx",
                                  transform=_with_lines(["，".join(["截止12月31日"] * n) + "。"]))
        out["many", n] = seed_docx(SEED004, folder / f"many{n}.docx", transform=_with_lines(["截止12月31日。"] * n))
    return out


@pytest.mark.parametrize("shape", ["one", "many"])
def test_fixes_and_comments_of_a_docx_in_linear_work(shape, fixable, linter, tmp_path, monkeypatch):
    """--fix -o and --annotate: each fix read its paragraph's runs several times (after each cut),
    and walked the whole document for the runs of complex fields; each comment read its
    paragraph's runs again.  Counted: the runs paragraph_spans hands the writers, the elements
    under what the search for fields is given."""
    from gxlint.writers import _docx, docx_fix
    from gxlint.writers.docx_annotate import annotate_docx
    from gxlint.writers.docx_fix import fix_docx

    real_spans, real_fields = _docx.paragraph_spans, docx_fix._field_runs

    def spans(p):
        out = real_spans(p)
        COUNT[0] += len(out[1])
        return out

    def fields(el, *args):
        COUNT[0] += sum(1 for _ in el.iter())
        return real_fields(el, *args)

    monkeypatch.setattr(_docx, "paragraph_spans", spans)
    monkeypatch.setattr(docx_fix, "_field_runs", fields)
    work = {}
    for n in (50, 200):
        src = fixable[shape, n]
        findings = linter.lint_path(str(src)).findings
        assert sum(f.rule == "GX503" for f in findings) == n
        COUNT[0] = 0
        assert fix_docx(str(src), findings, str(tmp_path / "fixed.docx")) >= n
        assert annotate_docx(str(src), findings, str(tmp_path / "annotated.docx")) == len(findings)
        work[n] = COUNT[0]
        xml = zipfile.ZipFile(tmp_path / "fixed.docx").read("word/document.xml").decode("utf-8")
        assert xml.count("<w:delText") >= n and xml.count("截至") - xml.count("截止") >= 0
        again = linter.lint_path(str(tmp_path / "fixed.docx")).findings  # read as Word shows it, fixes accepted
        assert not [f for f in again if f.rule == "GX503"]
        comments = zipfile.ZipFile(tmp_path / "annotated.docx").read("word/comments.xml").decode("utf-8")
        assert comments.count("<w:comment ") == len(findings)
    assert work[200] < 5 * work[50], work


class _Offset(int):
    """An offset counting the comparisons made with it."""

    def __lt__(self, other):
        COUNT[0] += 1
        return int(self) < int(other)

    def __gt__(self, other):
        COUNT[0] += 1
        return int(self) > int(other)

    def __eq__(self, other):
        COUNT[0] += 1
        return int(self) == int(other)

    __hash__ = int.__hash__


def test_fixes_are_chosen_in_linear_work():
    """A fix is taken when it shares no character and no start with one taken before it: each was
    compared with every fix taken before (800 million comparisons for 40,000 fixes).  Counted: the
    comparisons of offsets; and the same fixes are taken as when comparing every pair."""
    import random

    from gxlint.writers import DisjointRanges

    def naive(ranges):
        taken = []
        for a, b in ranges:
            if not any(a == c or (a < d and c < b) for c, d in taken):
                taken.append((a, b))
        return sorted(taken)

    work = {}
    for n in (500, 2000):
        rng = random.Random(n)
        ranges = [(a, a + rng.choice([0, 1, 2, 5])) for a in (rng.randrange(0, 3 * n) for _ in range(n))]
        ranges += [(3 * k, 3 * k + 2) for k in range(n)]  # in order, as a report's findings come
        chosen = DisjointRanges()
        COUNT[0] = 0
        for a, b in ranges:
            chosen.add(_Offset(a), _Offset(b), None)
        work[n] = COUNT[0]
        assert list(zip(chosen.starts, chosen.ends)) == naive(ranges)
    assert work[2000] < 5 * work[500], work


def test_text_fixes_and_their_diff_in_one_pass(tmp_path, linter):
    """--fix and --diff of a text report with 4,000 fixes (each fix was applied by copying the whole
    text, each hidden number searched for over the whole text): the result is the text with
    every fix, the diff hides every number."""
    from gxlint.writers.text_fix import fix_text, unified_diff

    text = _with_lines([f"截止12月31日，手机139{k:08d}，" * 4 for k in range(1000)])(SEED004.read_text(encoding="utf-8"))
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    findings = [f for f in linter.lint_path(str(path)).findings if f.rule in ("GX503", "GX802")]
    data, n = fix_text(str(path), findings)
    assert n == 4000 == sum(f.rule == "GX503" for f in findings)
    assert data.decode("utf-8") == text.replace("截止12月31日", "截至12月31日")
    diff = unified_diff(str(path), data, None, findings)
    lines = diff.splitlines()
    assert sum(ln.startswith("-") for ln in lines) == sum(ln.startswith("+") for ln in lines) == 1000 + 1  # (+ the names)
    assert "139****" in diff and not any(f"139{k:08d}" in diff for k in range(1000))
