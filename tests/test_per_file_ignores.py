"""per_file_ignores in .gxlint.yaml: some rules are not run on some files (globs as for exclude)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from conftest import SEEDS

from gxlint.config import load_config
from gxlint.engine import Linter
from gxlint.readers.text import parse_text

SEED_004 = next(SEEDS.glob("004_*.txt"))  # GX210, GX501 x3, GX302 x2, GX304


def run(*args, cwd):
    p = subprocess.run([sys.executable, "-m", "gxlint", *map(str, args)], capture_output=True, text=True, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def rules_by_file(out: str) -> dict[str, list[str]]:
    return {os.path.normpath(f["path"]).replace(os.sep, "/"): sorted(x["rule"] for x in f["findings"]) for f in json.loads(out)["files"]}


def make_tree(tmp_path, config: str):
    (tmp_path / "乡镇").mkdir()
    shutil.copy(SEED_004, tmp_path / "乡镇" / "a.txt")
    shutil.copy(SEED_004, tmp_path / "b.txt")
    (tmp_path / ".gxlint.yaml").write_text(config, encoding="utf-8")


def test_rules_are_off_only_for_the_matching_files(tmp_path):
    make_tree(tmp_path, 'per_file_ignores:\n  "乡镇/*": [GX501, arithmetic]\n  "b.txt": GX210\n')
    rc, out, err = run("--format", "json", ".", cwd=tmp_path)
    assert rc == 1, err
    got = rules_by_file(out)
    assert got["乡镇/a.txt"] == ["GX210"]  # GX501 by id, GX302/GX304 by category
    assert got["b.txt"] == ["GX302", "GX302", "GX304", "GX501", "GX501", "GX501"]


def test_a_file_named_on_the_command_line_and_the_audit(tmp_path):
    make_tree(tmp_path, 'per_file_ignores:\n  "乡镇/*": [GX3]\n')
    rc, out, _ = run("--format", "json", "--audit", "乡镇/a.txt", cwd=tmp_path)
    data = json.loads(out)["files"][0]
    assert rc == 1 and not any(f["rule"].startswith("GX3") for f in data["findings"])
    audited = {a["rule"] for a in data["audit"]}
    assert "GX210" in audited and not any(r.startswith("GX3") for r in audited)  # not run, not judged
    rc, out, _ = run("--format", "json", "b.txt", cwd=tmp_path)
    assert rc == 1 and "GX302" in rules_by_file(out)["b.txt"]


def test_documents_linted_in_process_follow_it_too(tmp_path):
    """The language server lints an editor's text through Linter.lint_document."""
    make_tree(tmp_path, 'per_file_ignores:\n  "乡镇/*": [GX302]\n')
    linter = Linter(load_config(str(tmp_path / ".gxlint.yaml")))
    text = SEED_004.read_text(encoding="utf-8")
    inside = linter.lint_document(parse_text(text, str(tmp_path / "乡镇" / "a.txt")))
    outside = linter.lint_document(parse_text(text, str(tmp_path / "b.txt")))
    assert "GX302" not in {f.rule for f in inside} and "GX302" in {f.rule for f in outside}


def test_a_bad_per_file_ignores_is_one_error_line(tmp_path):
    make_tree(tmp_path, 'per_file_ignores:\n  "乡镇/*": {GX302: true}\n')
    rc, out, err = run("b.txt", cwd=tmp_path)
    assert rc == 2 and out == "" and err.count("\n") == 1
    assert "E020" in err and ".gxlint.yaml:2:" in err and "「乡镇/*」" in err and "Traceback" not in err
    (tmp_path / ".gxlint.yaml").write_text('per_file_ignores:\n  "乡镇/*": [GX3O2]\n', encoding="utf-8")
    rc, out, err = run("b.txt", cwd=tmp_path)
    assert rc == 2 and "E022" in err and "GX3O2" in err and "Traceback" not in err
