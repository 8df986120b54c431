"""Linting a report leaves no reference cycles: what it makes is freed as soon as it is done with.

A batch worker runs the cyclic garbage collector seldom (gxlint raises its thresholds: a report makes
many short-lived objects), so garbage caught in a cycle lives for hundreds of reports.  An lxml
parser with a target made for each part was such garbage, with libxml2's buffers: a worker grew
from 23 to 28 MB over 5,000 reports (issue 19's flat memory).  Each path that reads a report is
linted here twice, the second time with the collector saving what it finds."""
import gc
from collections import Counter

import pytest
from conftest import SEED_FILES
from docxbuild import as_drafted
from seeddocx import seed_docx

from gxlint.engine import Linter


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> list:
    folder = tmp_path_factory.mktemp("cycles")
    out = []
    for seed in SEED_FILES:
        styled = seed_docx(seed, folder / f"{seed.stem}.docx")
        drafted = folder / f"{seed.stem}-drafted.docx"
        as_drafted(styled, drafted)
        out += [str(seed), str(styled), str(drafted)]
    return out


def _garbage(paths: list) -> Counter:
    """The objects caught in reference cycles when ``paths`` are linted (in a batch, as a worker does)."""
    linter = Linter()
    linter.in_batch = True
    for p in paths:  # first: the memos, the stored regex code, the template cache fill
        linter.lint_path(p)
    gc.collect()
    flags = gc.get_debug()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for p in paths:
            linter.lint_path(p)
        gc.collect()
        return Counter(type(o).__name__ for o in gc.garbage)
    finally:
        gc.set_debug(flags)
        gc.garbage.clear()


@pytest.mark.slow
def test_linting_reports_leaves_no_reference_cycles(reports):
    assert _garbage(reports) == Counter()


def test_the_check_sees_cycles():
    class Node:
        def __init__(self):
            self.me = self

    gc.collect()
    flags = gc.get_debug()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        Node()
        gc.collect()
        assert "Node" in Counter(type(o).__name__ for o in gc.garbage)
    finally:
        gc.set_debug(flags)
        gc.garbage.clear()
