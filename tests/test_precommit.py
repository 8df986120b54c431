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


def _readme_config() -> str:
    """The README's `.pre-commit-config.yaml` block, verbatim."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("```yaml\nrepos:")
    return text[start + len("```yaml\n"): text.index("```", start + 8)]


def test_readme_config_names_the_release_tag():
    """`rev:` is the tag of this version (v + pyproject's version), so it exists once released."""
    import re

    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M)[1]
    assert re.search(r"^\s+rev: (\S+)", _readme_config(), re.M)[1] == f"v{version}"
    tags = subprocess.run(["git", "tag", "--list", f"v{version}"], cwd=ROOT, capture_output=True, text=True).stdout
    if tags.strip():  # the checkout carries its tags: the tag is this version's
        shown = subprocess.run(["git", "show", f"v{version}:pyproject.toml"], cwd=ROOT, capture_output=True,
                               text=True).stdout
        assert f'version = "{version}"' in shown


def test_readme_config_works_with_pre_commit_run(tmp_path, env):
    """The README's block as a user pastes it, `repo:` set to a clone of this checkout tagged with
    its `rev:` as a release is: `pre-commit run` installs the hook from the tag and blocks the
    faulty report."""
    import re

    config = _readme_config()
    rev = re.search(r"^\s+rev: (\S+)", config, re.M)[1]
    src = tmp_path / "gxlint-src"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(src)], check=True, env=env)
    if not subprocess.run(["git", "tag", "--list", rev], cwd=src, capture_output=True, text=True).stdout.strip():
        subprocess.run(["git", "tag", rev], cwd=src, check=True, env=env)  # as the release makes it
    repo = _repo(tmp_path, env, {
        "2024年报.txt": (SEEDS / "004_aa4e2e269a40bca7.txt").read_bytes(),
        ".pre-commit-config.yaml": re.sub(r"(?m)^(\s+- repo: )\S+", lambda m: m[1] + str(src), config).encode(),
    })
    p = subprocess.run([PRE_COMMIT, "run", "--all-files"], cwd=repo, env=env, capture_output=True, text=True,
                       timeout=600)
    assert p.returncode == 1, p.stdout + p.stderr
    assert "GX302" in p.stdout and "Failed" in p.stdout
