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

pytestmark = [
    pytest.mark.slow,  # pre-commit installs its hook environment in new git repositories
    pytest.mark.skipif(not os.path.exists(PRE_COMMIT) or not (ROOT / ".git").exists(),
                       reason="needs the pre-commit program and a git checkout of gxlint"),
]


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


def _readme_block(first: str) -> str:
    """The README's `.pre-commit-config.yaml` block holding the line ``first``, verbatim."""
    import re

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = [b for b in re.findall(r"(?ms)^```yaml\n(.*?)^```", text) if first in b]
    assert len(found) == 1, found
    return found[0]


def _run_hooks(tmp_path, env, config: str, extra_env=None):
    repo = _repo(tmp_path, env, {
        "2024年报.txt": (SEEDS / "004_aa4e2e269a40bca7.txt").read_bytes(),
        "2022年报.txt": (SEEDS / "002_9e678f4fbfe67a94.txt").read_bytes(),
        "~$草稿.docx": b"\x00lock",  # Word's lock file: would be E005 if it were linted
        ".pre-commit-config.yaml": config.encode("utf-8"),
    })
    return subprocess.run([PRE_COMMIT, "run", "--all-files"], cwd=repo, env=dict(env, **(extra_env or {})),
                          capture_output=True, text=True, timeout=900)


def test_readme_config_with_a_commit_of_an_untagged_clone(tmp_path, env):
    """The README's block as a user fills it in, in a new repository: `repo:` the path of a clone of
    gxlint that has no tags (as a clone of a repository without releases), `rev:` its commit, as
    `git rev-parse HEAD` gives it.  pre-commit installs the hook from that commit and blocks the
    faulty report; the lock file is not linted."""
    import re

    config = _readme_block("  - repo: https://")
    src = tmp_path / "gxlint-src"
    subprocess.run(["git", "clone", "-q", "--no-tags", str(ROOT), str(src)], check=True, env=env)
    for tag in subprocess.run(["git", "tag"], cwd=src, capture_output=True, text=True).stdout.split():
        subprocess.run(["git", "tag", "-d", tag], cwd=src, check=True, capture_output=True)
    assert subprocess.run(["git", "tag"], cwd=src, capture_output=True, text=True).stdout == ""
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=src, capture_output=True, text=True).stdout.strip()
    assert re.search(r"(?m)^    rev: [0-9a-f]{40}$", config), "the README shows a full commit id"
    filled = re.sub(r"(?m)^(  - repo: )\S+", lambda m: m[1] + str(src), config)
    filled = re.sub(r"(?m)^(    rev: )\S+", lambda m: m[1] + commit, filled)
    p = _run_hooks(tmp_path, env, filled)
    assert p.returncode == 1, p.stdout + p.stderr
    assert "GX302" in p.stdout and "Failed" in p.stdout and "E005" not in p.stdout


def test_readme_local_config_as_written(tmp_path, env):
    """The README's `repo: local` block, verbatim, where gxlint is installed (on PATH): the same
    files are linted as by the hook of gxlint's own repository."""
    config = _readme_block("  - repo: local")
    ours = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    for key in ("files", "exclude"):
        line = next(ln.strip() for ln in config.split("\n") if ln.strip().startswith(key + ":"))
        assert line in ours, line  # the same selection as the hook's
    p = _run_hooks(tmp_path, env, config, {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"})
    assert p.returncode == 1, p.stdout + p.stderr
    assert "GX302" in p.stdout and "Failed" in p.stdout and "E005" not in p.stdout
    assert "2022年报.txt" not in p.stdout  # the clean report passes
