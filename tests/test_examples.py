"""examples/: what a newcomer tries first behaves as the README says."""
from pathlib import Path

import pytest
from make_examples import EXAMPLES, build

EXPECTED_ERRORS = {"clean": 0, "faulty": 7}


@pytest.mark.parametrize("name", ["clean", "faulty"])
@pytest.mark.parametrize("suffix", [".md", ".docx"])
def test_example(name, suffix, linter):
    result = linter.lint_path(str(EXAMPLES / f"{name}{suffix}"))
    assert result.error is None
    serious = [f for f in result.findings if f.severity in ("error", "warning")]
    assert len(serious) == EXPECTED_ERRORS[name], [(f.rule, f.message) for f in serious]


def test_examples_are_up_to_date(tmp_path):
    for name in ("clean", "faulty"):
        md, _ = build(name, tmp_path)
        assert md.read_text(encoding="utf-8") == (EXAMPLES / f"{name}.md").read_text(encoding="utf-8"), (
            "examples/ is stale: run python tests/make_examples.py"
        )
