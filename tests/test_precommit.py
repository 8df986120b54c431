"""The pre-commit hook, run by the real pre-commit program against this checkout."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEEDS

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")

pytestmark = pytest.mark.skipif(
    not os.path.exists(PRE_COMMIT) or not (ROOT / ".git").exists(),
    reason="needs the pre-commit program and a git checkout of gxlint",
)


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    e = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path_factory.mktemp("pre-commit-home")))
    e.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid")
    return e


def _repo(tmp_path, env, files):
    repo = tmp_path / "reports"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True, env=env)
    for name, data in files.items():
        (repo / name).write_bytes(data)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
    return repo


def _try_repo(repo, env, *extra):
    return subprocess.run(
        [PRE_COMMIT, "try-repo", str(ROOT), "gxlint", "--all-files", *extra],
        cwd=repo, env=env, capture_output=True, text=True, timeout=600,
    )


def test_faulty_report_blocks_the_commit(tmp_path, env):
    repo = _repo(tmp_path, env, {"2024年报.txt": (SEEDS / "004_aa4e2e269a40bca7.txt").read_bytes()})
    p = _try_repo(repo, env)
    assert p.returncode == 1, p.stdout + p.stderr
    assert "GX302" in p.stdout and "Failed" in p.stdout


def test_clean_report_and_lock_file_pass(tmp_path, env):
    repo = _repo(tmp_path, env, {
        "2022年报.txt": (SEEDS / "002_9e678f4fbfe67a94.txt").read_bytes(),
        "~$草稿.docx": b"\x00lock",  # Word's lock file: would be E005 if it were linted
        "README.md": "# 各单位年度报告\n\n提交前请运行 gxlint。\n".encode(),
        "会议记录.txt": "会议记录\n\n参会人员：张三、李四。讨论下周工作安排。\n".encode(),
    })
    p = _try_repo(repo, env, "--verbose")  # a passing hook's output is shown only when verbose
    assert p.returncode == 0, p.stdout + p.stderr
    assert "Passed" in p.stdout and "E005" not in p.stdout
    # the README and the notes are not reports: one info line each, and the commit goes on
    skipped = [ln for ln in p.stdout.splitlines() if ": info: GX027 " in ln]
    assert sorted(ln.split(":")[0] for ln in skipped) == ["README.md", "会议记录.txt"], p.stdout
