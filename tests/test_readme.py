"""README.md is the user's guide, in Chinese: short, the newcomer's two commands on its first screen,
and every block of it runs as written.

Each fenced block of the README is claimed by one test below (``CLAIMS``: a line of the block ->
the test that runs it), and a block no test claims fails ``test_every_block_is_run_by_a_test``.
The shell blocks run line by line with bash in a folder holding the files they name (报告.docx,
各单位报告/, 2023年报.docx ...), with the gxlint under test first on PATH; the Windows block runs on
a copy of the checkout with a ``py`` launcher standing for Windows' and a folder standing for
``D:\\``.  The two ``.pre-commit-config.yaml`` blocks are run by tests/test_precommit.py, the
Neovim one by tests/test_lsp_neovim.py.
"""
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import SEEDS
from seeddocx import seed_docx

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BIN = Path(sys.executable).parent
SEED_002 = SEEDS / "002_9e678f4fbfe67a94.txt"  # clean
SEED_003 = SEEDS / "003_aec54f57ed4abe50.txt"
SEED_004 = SEEDS / "004_aa4e2e269a40bca7.txt"  # 7 errors, 上年结转 1


def blocks() -> list[tuple[str, str]]:
    """(language, text) of every fenced block of the README, in order."""
    return re.findall(r"(?ms)^```(\w*)\n(.*?)^```", README)


def block(first: str) -> str:
    """The block one of whose lines starts with ``first``."""
    found = [text for _, text in blocks() if any(ln.startswith(first) for ln in text.split("\n"))]
    assert len(found) == 1, (first, found)
    return found[0]


CLAIMS = {
    "python3 -m venv .venv": "test_the_newcomer_install_and_the_windows_install",
    ".venv/bin/python -m pytest -q": "test_the_test_command_is_what_ci_runs",
    "examples/faulty.docx:3:41:": "test_the_finding_shown_is_real",
    "py -m pip install": "test_the_newcomer_install_and_the_windows_install",
    "pipx install ./gxlint": "test_the_pipx_install",
    "gxlint 报告.docx --select": "test_shell_blocks",
    "文件:行:列:": "test_the_output_line_is_described_as_printed",
    "gxlint 报告.docx --annotate": "test_shell_blocks",
    "gxlint 各单位报告/ --report": "test_shell_blocks",
    "gxlint 各单位报告/ --write-baseline": "test_shell_blocks",
    "gxlint 2024年报.docx --previous": "test_shell_blocks",
    "ignore: [GX502]": "test_the_config_block",
    "  - repo: https://": "tests/test_precommit.py::test_readme_config_with_a_commit_of_an_untagged_clone",
    "  - repo: local": "tests/test_precommit.py::test_readme_local_config_as_written",
    "local gxlint = ": "tests/test_lsp_neovim.py::test_readme_neovim_snippet",
    "  - id: GX901": "test_the_local_rule_block",
}


def test_every_block_is_run_by_a_test():
    """Every block is claimed by exactly one line of CLAIMS, and every claiming test exists."""
    for lang, text in blocks():
        claims = [k for k in CLAIMS if any(ln.startswith(k) for ln in text.split("\n"))]
        assert len(claims) == 1, (lang, text[:80], claims)
    here = sys.modules[__name__]
    for claim, test in CLAIMS.items():
        path, _, name = test.rpartition("::")
        source = (ROOT / path).read_text(encoding="utf-8") if path else None
        assert (f"def {name}(" in source) if source else callable(getattr(here, test, None)), test
        block(claim)


def test_the_readme_is_chinese_short_and_leads_with_the_two_commands():
    """More Chinese characters than Latin letters outside the code blocks, under 15,000
    characters, and the install-and-try and the test commands in the first 20 lines."""
    prose = re.sub(r"(?ms)^```.*?^```", "", README)
    chinese = len(re.findall(r"[\u3400-\u9fff]", prose))
    latin = len(re.findall(r"[A-Za-z]", prose))
    assert chinese > latin, (chinese, latin)
    assert len(README) < 15_000
    first = README.split("\n")[:20]
    assert first.index(".venv/bin/python -m pytest -q") > first.index(
        "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/gxlint examples/faulty.docx")
    assert '`.venv/bin/python -m pytest -q -m "not slow"`' in "\n".join(first) and "快速测试" in "\n".join(first)


def test_the_readme_links_resolve():
    for target in re.findall(r"\]\(([^)#]+)\)", README):
        if "://" not in target:
            assert (ROOT / target).exists(), target
    for doc in (ROOT / "docs").glob("*.md"):
        for target in re.findall(r"\]\(([^)#]+)\)", doc.read_text(encoding="utf-8")):
            if "://" not in target:
                assert (doc.parent / target).exists(), (doc.name, target)


def test_no_dated_run_logs_in_the_docs():
    """A figure is stated with how it was measured; the history is the git log."""
    for doc in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        text = doc.read_text(encoding="utf-8")
        assert not re.search(r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|"
                             r"November|December) \d{4}|\bsessions? ago\b|\bthe run before\b", text), doc.name


def test_the_test_command_is_what_ci_runs():
    """The README's test command is the suite itself: CI (.ci/run) runs it, in a fresh virtualenv."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert block(".venv/bin/python -m pytest -q").strip() == ".venv/bin/python -m pytest -q"
    assert '"$venv/bin/python" -m pytest -q' in ci and "python3 -m venv" in ci


def _gxlint(*args, cwd=None):
    p = subprocess.run([str(BIN / "gxlint"), *map(str, args)], capture_output=True, text=True, cwd=cwd)
    assert "Traceback" not in p.stderr
    return p


def test_the_finding_shown_is_real():
    out = _gxlint("examples/faulty.docx", cwd=ROOT).stdout.split("\n")
    shown = block("examples/faulty.docx:3:41:").strip().split("\n")
    assert len(shown) == 2 and all(line in out for line in shown), shown


def test_the_output_line_is_described_as_printed():
    """文件:行:列: 严重程度: 规则编号 说明 [位置] is the shape of every line gxlint prints."""
    assert block("文件:行:列:").strip() == "文件:行:列: 严重程度: 规则编号 说明 [位置]"
    for line in _gxlint("examples/faulty.docx", cwd=ROOT).stdout.strip().split("\n"):
        assert re.fullmatch(r"[^:]+:\d+:\d+: (error|warning|info): GX\d{3} .+ \[.+\]", line), line


def _copy_checkout(dst: Path) -> Path:
    """The checkout's files as a clone would have them (tracked files, as they are in the work tree)."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in files.decode("utf-8").split("\0"):
        if name and (ROOT / name).is_file():
            (dst / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dst / name)
    return dst


def _findings(stdout: str) -> list[str]:
    return [ln for ln in stdout.split("\n") if re.match(r".+:\d+:\d+: (error|warning|info): GX\d{3} ", ln)]


@pytest.mark.slow
def test_the_newcomer_install_and_the_windows_install(tmp_path):
    """The first command, as written, in a copy of the checkout: it installs gxlint with the test
    tools and lints the faulty example (7 findings, exit status 1).  Then the Windows block, each
    line as the Command Prompt splits it, with ``py`` (Windows' Python launcher) standing for that
    new virtualenv's Python and ``D:\\`` for a folder holding a copy of the checkout as ``gxlint``
    and the report (a Windows path is the one thing Linux must read otherwise)."""
    src = _copy_checkout(tmp_path / "gxlint")
    p = subprocess.run(["bash", "-c", block("python3 -m venv .venv")], cwd=src, capture_output=True, text=True,
                       timeout=900)
    assert p.returncode == 1, p.stderr[-2000:]
    assert len(_findings(p.stdout)) == 7 and "发现 7 个问题" in p.stderr

    drive = tmp_path / "D"  # D:\\
    drive.mkdir()
    shutil.copytree(src, drive / "gxlint", ignore=shutil.ignore_patterns(".venv"))
    (drive / "报告").mkdir()
    shutil.copy(ROOT / "examples" / "faulty.docx", drive / "报告" / "2024年报.docx")
    launcher = tmp_path / "launcher"
    launcher.mkdir()
    (launcher / "py").write_text(f'#!/bin/sh\nexec "{src / ".venv" / "bin" / "python"}" "$@"\n', encoding="utf-8")
    (launcher / "py").chmod(0o755)
    env = dict(os.environ, PATH=f"{launcher}{os.pathsep}{os.environ['PATH']}")
    install, check = (
        [str(drive) + "/" + w[3:].replace("\\", "/") if w.startswith("D:\\") else w for w in line.split()]
        for line in block("py -m pip install").strip().split("\n"))
    p = subprocess.run(install, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:]
    shown = subprocess.run([str(launcher / "py"), "-m", "pip", "show", "-f", "gxlint"], capture_output=True, text=True)
    assert "__editable__" not in shown.stdout  # the folder was installed, not the editable checkout
    p = subprocess.run(check, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert p.returncode == 1 and len(_findings(p.stdout)) == 7, p.stdout + p.stderr


@pytest.mark.slow
def test_the_pipx_install(tmp_path):
    """Linux/macOS: pipx installs the gxlint folder into an environment of its own, and its
    ``gxlint`` lints the example."""
    pipx = shutil.which("pipx")
    if pipx is None:
        pytest.skip("no pipx here: apt-get install pipx")
    _copy_checkout(tmp_path / "gxlint")
    home = tmp_path / "pipx"
    env = dict(os.environ, PIPX_HOME=str(home / "home"), PIPX_BIN_DIR=str(home / "bin"),
               PATH=f"{home / 'bin'}{os.pathsep}{os.environ['PATH']}")
    results = []
    for line in block("pipx install ./gxlint").strip().split("\n"):
        results.append(subprocess.run(["bash", "-c", line], cwd=tmp_path, env=env, capture_output=True, text=True,
                                      timeout=900))
    installed, checked = results
    assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-2000:]
    assert checked.returncode == 1 and len(_findings(checked.stdout)) == 7, checked.stdout + checked.stderr
    assert (home / "bin" / "gxlint").exists()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A folder holding every file the README's shell blocks name."""
    from test_previous import as_last_year

    w = tmp_path_factory.mktemp("world")
    shutil.copy(ROOT / "examples" / "faulty.docx", w / "报告.docx")
    from pdfbuild import seed_pdf

    seed_pdf(SEED_004, w / "报告.pdf")
    d = w / "各单位报告"
    (d / "乡镇").mkdir(parents=True)
    seed_docx(SEED_004, d / "区政府办.docx")
    seed_docx(SEED_002, d / "乡镇" / "某镇.docx")
    shutil.copy(SEEDS / "000_6c964df6ff835ea4.txt", d / "某局.txt")
    (d / "~$区政府办.docx").write_bytes(b"\x00lock")  # Word's lock file: not a report
    seed_docx(SEED_004, w / "2024年报.docx")
    last = w / "2023.txt"
    last.write_text(as_last_year(SEED_003.read_text(encoding="utf-8"), 2), encoding="utf-8")
    seed_docx(last, w / "2023年报.docx")
    last.unlink()
    return w


def _sh(line: str, cwd: Path):
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")
    p = subprocess.run(["bash", "-c", line], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert "Traceback" not in p.stderr, p.stderr
    return p


@pytest.mark.slow
def test_shell_blocks(world):
    """Every line of the README's shell blocks for users, as written, in order, in the world folder:
    each does what the README says of it."""
    runs = {}
    for first in ("gxlint 报告.docx --select", "gxlint 报告.docx --annotate", "gxlint 各单位报告/ --report",
                  "gxlint 各单位报告/ --write-baseline", "gxlint 2024年报.docx --previous"):
        for line in block(first).strip().split("\n"):
            runs[line] = _sh(line, world)
    rules = {ln.split(": ")[2].split()[0] for ln in _findings(runs["gxlint 报告.docx"].stdout)}
    assert runs["gxlint 报告.docx"].returncode == 1 and len(_findings(runs["gxlint 报告.docx"].stdout)) == 7
    audit = runs["gxlint 报告.pdf --audit"]
    assert audit.returncode == 1 and "报告.pdf: 检查情况：通过" in audit.stdout and "第" in audit.stdout
    selected = {ln.split(": ")[2].split()[0] for ln in _findings(runs["gxlint 报告.docx --select 表格计算,GX201"].stdout)}
    assert selected and all(r.startswith("GX3") or r == "GX201" for r in selected) and selected < rules
    assert runs["gxlint 报告.docx --ignore GX502"].returncode == 1

    assert runs["gxlint 报告.docx --annotate 报告-批注.docx"].returncode == 1
    comments = zipfile.ZipFile(world / "报告-批注.docx").read("word/comments.xml").decode("utf-8")
    assert comments.count('w:author="gxlint"') == 7
    assert runs["gxlint 报告.docx --fix -o 报告-修订.docx"].returncode == 1
    document = zipfile.ZipFile(world / "报告-修订.docx").read("word/document.xml").decode("utf-8")
    assert "<w:ins " in document and 'w:author="gxlint"' in document

    folder = runs["gxlint 各单位报告/"]
    assert folder.returncode == 1 and "检查了 3 个文件" in folder.stderr and "~$" not in folder.stdout
    assert (world / "汇总.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (world / "问题清单.csv").read_bytes().startswith("\ufeff文件,".encode())
    assert (world / "批注版" / "区政府办.docx").exists() and not (world / "批注版" / "乡镇" / "某镇.docx").exists()

    written = runs["gxlint 各单位报告/ --write-baseline 基线.json"]
    assert written.returncode == 0 and written.stdout == "" and "已写入基线 基线.json" in written.stderr
    again = runs["gxlint 各单位报告/ --baseline 基线.json"]
    assert again.returncode == 0 and again.stdout == "" and "未发现基线以外的新问题" in again.stderr

    previous = runs["gxlint 2024年报.docx --previous 2023年报.docx"]
    assert previous.returncode == 1 and "GX603" in previous.stdout, previous.stdout + previous.stderr


def test_the_config_block(tmp_path):
    """The .gxlint.yaml block is a valid config, found from the report's folder, and does what it says."""
    (tmp_path / ".gxlint.yaml").write_text(block("ignore: [GX502]"), encoding="utf-8")
    (tmp_path / "乡镇").mkdir()
    shutil.copy(SEED_004, tmp_path / "乡镇" / "某镇.txt")
    shutil.copy(SEED_004, tmp_path / "报告草稿.txt")  # excluded from the folder
    p = _gxlint(".", "--format", "json", cwd=tmp_path)
    assert p.returncode == 1, p.stderr
    import json

    files = json.loads(p.stdout)["files"]
    assert [f["path"] for f in files] == ["./乡镇/某镇.txt"]


def test_the_local_rule_block(tmp_path):
    """The local rule, saved as the README says (本地规则/科室名称.yaml, rule_dirs in the config):
    `gxlint rules check` accepts it and the rule finds its triggering example."""
    rules = tmp_path / "本地规则"
    rules.mkdir()
    (rules / "科室名称.yaml").write_text(block("  - id: GX901"), encoding="utf-8")
    (tmp_path / ".gxlint.yaml").write_text("rule_dirs: [本地规则]\n", encoding="utf-8")
    check = re.search(r"`(gxlint rules check \S+)`", README)[1]
    p = _sh(check, tmp_path)
    assert p.returncode == 0 and "有效（1 条规则）" in p.stderr, p.stdout + p.stderr
    report = tmp_path / "报告.txt"
    report.write_text(SEED_002.read_text(encoding="utf-8") + "\n可直接与政务公开股联系。\n", encoding="utf-8")
    p = _gxlint(report, "--select", "GX901", cwd=tmp_path)
    assert "warning: GX901 「政务公开股」应为「政务公开科」" in p.stdout, p.stdout + p.stderr
