"""A cold `gxlint one.docx` imports only what linting one report needs (speed: benchmarks/cold.py)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from seeddocx import seed_docx

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "seeds"

# What the command line runs, then the modules it imported, one a line, on stderr.
RUN = """
import atexit, sys
atexit.register(lambda: print("\\n".join(["--modules--", *sorted(sys.modules)]), file=sys.stderr))
sys.argv = ["gxlint", *sys.argv[1:]]
from gxlint.entry import main  # the console script's entry point
main()
"""

# Heavy or needless for one report: the editor's and other formats' libraries, the old fuzzy
# matcher, what only a rule file's mistake, a baseline, a machine format or importlib.resources needs;
# click (the plain `gxlint FILE` is run without it: gxlint.entry) and textdistance (its backend,
# rapidfuzz, is called directly: gxlint.distance); pickle (the caches hold JSON: no code from data);
# hashlib without the result cache (the rule pack's cache entry is named without it); regex (the
# national pack's patterns run on re: regex bounds only the rules of other rule files).
NOT_IMPORTED = ("click", "textdistance", "pygls", "lsprotocol", "cattrs", "docx", "pypdfium2", "pdfplumber", "pdfminer", "ofdkit",
                "jsonschema", "ruamel", "regex", "charset_normalizer", "pickle", "_pickle", "difflib",
                "importlib.resources", "tempfile", "gxlint.baseline", "gxlint.formatters.sarif",
                "gxlint.formatters.json", "gxlint.writers", "gxlint.lsp", "gxlint.pairing")


def lint(path: Path, cache: Path, *args: str) -> tuple[subprocess.CompletedProcess, set[str]]:
    env = dict(os.environ, GXLINT_CACHE_DIR=str(cache), PYTHONPATH=str(ROOT))
    p = subprocess.run([sys.executable, "-c", RUN, *args, path.name], cwd=path.parent, env=env,
                       capture_output=True, text=True, timeout=120)
    p.stderr, _, modules = p.stderr.partition("--modules--\n")
    return p, set(modules.split())


def heavy(modules: set[str], *more: str) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in NOT_IMPORTED + more))


def test_one_docx_imports_nothing_heavy(tmp_path):
    # 行政复议 misspelt in table four: a label matched by edit distance (textdistance is imported)
    seed = SEEDS / "000_6c964df6ff835ea4.txt"
    one = seed_docx(seed, tmp_path / "one.docx", lambda t: t.replace("行政复议", "行政夏议", 1))
    cache = tmp_path / "cache"
    first, _ = lint(one, cache)  # parses the rule files (ruamel.yaml) and caches the pack
    assert first.returncode == 1, first.stderr
    assert ": error: GX" in first.stdout
    for args in ((), ("--no-cache",)):
        shutil.rmtree(cache / "results", ignore_errors=True)  # the report is linted again
        p, modules = lint(one, cache, *args)
        assert (p.returncode, p.stdout) == (first.returncode, first.stdout), args
        assert "gxlint.kinds.pattern" in modules and "lxml.etree" in modules  # it did lint the report
        assert "rapidfuzz" in modules  # the misspelt label was matched
        assert heavy(modules, *(("hashlib", "_hashlib") if args else ())) == [], args


def test_cached_result_imports_no_reader(tmp_path):
    one = seed_docx(SEEDS / "001_0e25ab109a1a5fa1.txt", tmp_path / "one.docx")
    cache = tmp_path / "cache"
    first, _ = lint(one, cache)
    again, modules = lint(one, cache)
    assert (again.returncode, again.stdout) == (first.returncode, first.stdout)
    assert "gxlint.readers.docx" not in modules and "gxlint.report" not in modules
    assert heavy(modules) == []
