import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))  # docxbuild, seeddocx

SEEDS = TESTS / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def expected():
    from ruamel.yaml import YAML

    return YAML(typ="safe").load((SEEDS / "expected.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def linter():
    from gxlint.engine import Linter

    return Linter()


def assert_findings_as_docx(linter, path, docx, expected_seed: list, excerpts: bool = True):
    """The report at `path` (a PDF, an OFD…) gives the findings of its .docx: the same rules as
    often, and, of severity error or warning, exactly what the seed README lists
    (tests/seeds/expected.yaml), with the excerpts listed there."""
    from collections import Counter

    got = linter.lint_path(str(path))
    assert got.error is None
    want = linter.lint_path(str(docx)).findings
    assert Counter(f.rule for f in got.findings) == Counter(f.rule for f in want), [
        (f.rule, f.location, f.excerpt) for f in got.findings]
    serious = Counter(f.rule for f in got.findings if f.severity in ("error", "warning"))
    assert serious == Counter(w["rule"] for w in expected_seed)
    for w in expected_seed if excerpts else ():
        if "excerpt" in w:
            assert any(f.rule == w["rule"] and w["excerpt"] in f.excerpt for f in got.findings), w
    return got


def squash(text: str) -> str:
    """Text without whitespace: how a fixed-layout (PDF, OFD) reading is compared with the .docx."""
    import re

    return re.sub(r"\s+", "", text)


def data_rows(table) -> list[tuple[str, tuple[str, ...]]]:
    """(the row's last label, its numbers left to right) of each row of a table holding a number:
    what a fixed-layout reading must find of each row, whatever its grid."""
    from gxlint.report import parse_number

    out = []
    for row in table.rows:
        numbers = tuple(c.text for c in row if parse_number(c.text) is not None)
        labels = [squash(c.text) for c in row if c.text and parse_number(c.text) is None]
        if numbers:
            out.append((labels[-1] if labels else "", numbers))
    return out


def cells(table) -> list[tuple]:
    """A table's cells as (row, column, rowspan, colspan, text without whitespace)."""
    return [(c.row, c.column, c.rowspan, c.colspan, squash(c.text)) for row in table.rows for c in row]
