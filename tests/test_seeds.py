"""The five seed reports: every listed defect found once, with its category; 002 clean.

As text exactly as published, and as .docx built from them with real Word
tables (merged header cells) and Word-numbered headings.
"""
from collections import Counter

import pytest
from conftest import SEED_FILES
from seeddocx import seed_docx


def _check(findings, want):
    serious = [f for f in findings if f.severity in ("error", "warning")]
    got = Counter((f.rule, f.category) for f in serious)
    assert got == Counter((w["rule"], w["category"]) for w in want), [
        (f.rule, f.line, f.message) for f in serious
    ]
    for w in want:
        if "excerpt" in w:
            assert any(f.rule == w["rule"] and w["excerpt"] in f.excerpt for f in serious), (w, serious)


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_seed_text(seed, linter, expected):
    result = linter.lint_path(str(seed))
    assert result.error is None
    _check(result.findings, expected[seed.name])


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_seed_docx(seed, linter, expected, tmp_path):
    path = seed_docx(seed, tmp_path / (seed.stem + ".docx"))
    result = linter.lint_path(str(path))
    assert result.error is None
    _check(result.findings, expected[seed.name])


def test_docx_headings_are_word_numbered(tmp_path):
    """The fixture really uses Word's numbering: the 「一、」 is not in the text."""
    from gxlint.readers import read

    path = seed_docx(SEED_FILES[2], tmp_path / "002.docx")
    doc = read(str(path))
    heads = [p for p in doc.paragraphs() if p.number]
    assert [p.number for p in heads][:6] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert heads[0].text == "总体情况"


def test_locations_point_at_the_text(linter):
    """Line/column land on the offending characters, for text and tables alike."""
    seed = next(p for p in SEED_FILES if p.name.startswith("004"))
    lines = seed.read_text(encoding="utf-8").split("\n")
    for f in linter.lint_path(str(seed)).findings:
        line = lines[f.line - 1]
        assert line[f.column - 1 :].startswith(f.excerpt.split("\n")[0]), (f.rule, line, f.excerpt)
    table_finding = next(f for f in linter.lint_path(str(seed)).findings if f.rule == "GX302")
    assert "第三部分 表格三" in table_finding.location and "总计列" in table_finding.location


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_seed_docx_as_drafted(seed, linter, tmp_path):
    """A report formatted by hand, as most are (fonts and sizes on every run, paragraph properties,
    revision ids, runs cut at the figures), gives the findings of the same report formatted by styles."""
    import zipfile

    from docxbuild import as_drafted

    plain = seed_docx(seed, tmp_path / "plain.docx")
    drafted = tmp_path / "drafted.docx"
    as_drafted(plain, drafted)
    xml = zipfile.ZipFile(drafted).read("word/document.xml").decode()
    assert xml.count('w:eastAsia="仿宋_GB2312"') > 20 and xml.count("<w:r ") > zipfile.ZipFile(plain).read(
        "word/document.xml").decode().count("<w:r>") and "w14:paraId" in xml
    key = [(f.rule, f.line, f.column, f.end_column, f.location, f.message) for f in linter.lint_path(str(plain)).findings]
    assert key == [(f.rule, f.line, f.column, f.end_column, f.location, f.message)
                   for f in linter.lint_path(str(drafted)).findings]
