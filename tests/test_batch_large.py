"""Issue 6's batch: a folder of 1,000 generated reports plus the whole hostile corpus.

One line per broken file, the right findings for every report, the same output
for -j 1 and -j 2, and exit status 1.
"""
import shutil
import subprocess
import sys
from collections import Counter

import pytest
from hostile_corpus import BROKEN, build_corpus

from conftest import SEED_FILES
from seeddocx import seed_docx

REPORTS = 1000


@pytest.fixture(scope="module")
def folder(tmp_path_factory, expected):
    d = tmp_path_factory.mktemp("batch")
    build_corpus(d / "hostile")
    base = [seed_docx(s, tmp_path_factory.mktemp("base") / f"{s.stem}.docx") for s in SEED_FILES]
    want = {}
    for i in range(REPORTS):
        seed = SEED_FILES[i % len(SEED_FILES)]
        sub = d / f"office{i // 100:02d}"
        sub.mkdir(exist_ok=True)
        if i % 4 == 3:  # a quarter as Markdown
            target = sub / f"r{i:04d}.md"
            shutil.copy(seed, target)
        else:
            target = sub / f"r{i:04d}.docx"
            shutil.copy(base[i % len(base)], target)
        want[str(target.relative_to(d))] = Counter(x["rule"] for x in expected[seed.name])
    return d, want


def run(folder, jobs):
    p = subprocess.run([sys.executable, "-m", "gxlint", "-j", str(jobs), "."], capture_output=True, text=True,
                       cwd=folder, timeout=600)
    assert "Traceback" not in p.stderr
    return p


@pytest.mark.slow
def test_thousand_reports_and_the_hostile_corpus(folder):
    d, want = folder
    one, two = run(d, 1), run(d, 2)
    assert one.stdout == two.stdout, "output depends on -j"
    assert one.returncode == two.returncode == 1
    got: dict[str, Counter] = {}
    errors: dict[str, list[str]] = {}
    for line in one.stdout.splitlines():
        path, rest = line.split(":", 1)
        path = path.removeprefix("./")
        if rest.startswith(" error: E0"):
            errors.setdefault(path, []).append(rest.split()[1])
        else:
            got.setdefault(path, Counter())[line.split(": ")[2].split()[0]] += 1
    for name, code in BROKEN.items():
        assert errors.pop(f"hostile/{name}") == [code], name
    assert not errors
    for path, rules in want.items():
        assert got.get(path, Counter()) == rules, path
