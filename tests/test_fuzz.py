"""The seeded fuzzer (tests/fuzz.py) in CI: a few dozen mutated reports in each format, and mutated
baselines, configs and rule files, in a process limited to 1 GiB of address space and with a
timeout (a hang guard); no exception may escape the readers, the rules, the formatters, the
writers, the baseline or the loaders of configs and rule files.  The
long run is a command: ``python tests/fuzz.py --cases 2000`` (docs/internals.md, "Limits")."""
import resource
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # hundreds of mutated reports in four formats

FUZZ = Path(__file__).with_name("fuzz.py")
ADDRESS_SPACE = 2**30
TIMEOUT = 600


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def fuzz(*args: str) -> dict[str, str]:
    """Run tests/fuzz.py with ``args`` in a bounded process: it must end with no failure; its
    counts (the line before the last: ``name: n, ...``)."""
    p = subprocess.run([sys.executable, str(FUZZ), *args], capture_output=True, text=True, timeout=TIMEOUT,
                       preexec_fn=_limit_memory)
    assert p.returncode == 0, p.stdout[-4000:] + p.stderr[-4000:]
    assert "0 failures" in p.stdout
    return dict(item.rsplit(": ", 1) for item in p.stdout.splitlines()[-2].split(", "))


@pytest.mark.parametrize("formats, cases", [("md,html,docx", 60), ("pdf", 12)])
def test_no_exception_escapes_on_mutated_reports(formats, cases):
    stats = fuzz("--cases", str(cases), "--formats", formats, "--seed", "17")
    # the mutations keep most reports readable: the rules run, not only the readers' refusals
    for fmt in formats.split(","):
        assert int(stats.get(f".{fmt} linted", 0)) >= cases // 3, stats


def test_no_exception_escapes_on_mutated_cache_entries():
    """The entries of the rule pack's cache, of a file's result and of a batch's comparisons,
    their bytes or their JSON mutated (tests/fuzz.py fuzz_cache)."""
    stats = fuzz("--formats", "", "--cache-cases", "60", "--seed", "17")
    for kind in ("pack", "result", "batch"):
        assert int(stats.get(f"cache {kind}", 0)) >= 10, stats


def test_the_language_server_survives_mutated_frames():
    """Sessions of JSON-RPC frames (initialize, didOpen, didChange, codeAction...) mutated (bytes
    flipped, headers mangled, Content-Length wrong, negative or huge, bodies of other JSON types or
    no JSON, numbers huge or negative, ranges out of bounds or backwards, garbage between frames),
    each fed to a `gxlint lsp` process with a final shutdown (tests/fuzz.py fuzz_lsp): each process
    answers the shutdown, ends when told without a traceback and within a timeout, writes
    well-framed JSON, and no lint raised."""
    stats = fuzz("--formats", "", "--lsp-cases", "40", "--seed", "17")
    assert int(stats["lsp cases"]) == int(stats["lsp shutdown answered"]) == 40, stats
    # the mutations reach the framing and still leave documents to lint
    assert int(stats["lsp framing errors"]) >= 10 and int(stats["lsp linted"]) >= 10, stats


def test_no_exception_escapes_on_mutated_baselines():
    """Mutated baselines (tests/fuzz.py's ``baseline``): each loads or is one E013/E020 error,
    never an exception, and one that loads filters findings."""
    stats = fuzz("--cases", "200", "--formats", "baseline", "--seed", "17")
    assert int(stats.get(".baseline loaded", 0)) >= 20 and int(stats.get(".baseline E020", 0)) >= 20, stats


def test_no_exception_escapes_on_mutated_configs_and_rule_files():
    """Mutated .gxlint.yaml files and rule files (tests/fuzz.py's ``config`` and ``rules``: alias
    bombs, deep nesting, huge integers, hostile message templates, patterns that backtrack for
    ever): each loads or is one clean E020/E021 (E022), and what loads lints a seed; a rule past its
    time is its E024 finding."""
    stats = fuzz("--cases", "60", "--formats", "config,rules", "--seed", "17")
    assert int(stats.get(".gxlint.yaml loaded", 0)) >= 5 and int(stats.get(".gxlint.yaml E020", 0)) >= 20, stats
    assert int(stats.get(".rules loaded", 0)) >= 5 and int(stats.get(".rules E021", 0)) >= 20, stats
    assert int(stats.get(".rules E024", 0)) >= 1, stats  # a catastrophic pattern was run, and stopped
