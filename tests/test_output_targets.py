"""Where a run writes (issue 31): every output (``--output-file``, ``--report``,
``--write-baseline``, ``--annotate``, ``--fix -o``) goes where the user asked, never over a file
the same run reads (a report, last year's report, a config, a baseline, the list of addresses:
E022 naming the option, before anything is read or written), and never replaces what is not a
regular file: a FIFO or a character device (``/dev/null``, ``/dev/stdout``) is written into, as
the shell's ``>`` would; a socket is refused (E013).  What is checked is what the files hold and
are afterwards, never how long it took."""
import hashlib
import os
import shutil
import socket
import stat
import subprocess
import sys
import threading

import pytest
from conftest import SEEDS
from seeddocx import seed_docx

SEED004 = SEEDS / "004_aa4e2e269a40bca7.txt"  # seven findings, four of them fixable


def run(*args, cwd=None):
    p = subprocess.run([sys.executable, "-m", "gxlint", "--no-cache", *map(str, args)], capture_output=True,
                       text=True, cwd=cwd, timeout=300)
    assert "Traceback" not in p.stderr, p.stderr
    return p


def digest(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def refused(p, code: str, *words: str) -> None:
    """One error line with ``code`` and ``words`` on standard error, status 2, nothing linted."""
    lines = p.stderr.strip().splitlines()
    assert p.returncode == 2 and len(lines) == 1 and lines[0].startswith(f"gxlint：错误：{code} "), p.stderr
    assert all(w in lines[0] for w in words), lines[0]
    assert p.stdout == "", p.stdout


@pytest.fixture
def reports(tmp_path):
    """A folder of reports in several formats (all read by the run), a config and last year's report."""
    d = tmp_path / "reports"
    d.mkdir()
    shutil.copy(SEED004, d / "a.md")
    shutil.copy(SEED004, d / "b.txt")
    seed_docx(SEED004, d / "c.docx")
    (d / "d.html").write_text("<html><body><p>某县2024年政府信息公开工作年度报告</p></body></html>", encoding="utf-8")
    (tmp_path / ".gxlint.yaml").write_text("ignore: [GX606]\n", encoding="utf-8")
    shutil.copy(next(SEEDS.glob("000_*.txt")), tmp_path / "last.txt")
    return d


@pytest.mark.parametrize("option, target", [
    ("--output-file", "reports/b.txt"),
    ("--output-file", ".gxlint.yaml"),  # the config the run reads
    ("--output-file", "last.txt"),  # --previous
    ("--report", "reports/d.html"),
    ("--write-baseline", "reports/a.md"),
    ("--fix -o", "reports/a.md"),
    ("--annotate", "reports/c.docx"),
])
def test_an_output_never_replaces_a_file_the_run_reads(reports, option, target):
    root = reports.parent
    before = {p: digest(p) for p in root.rglob("*") if p.is_file()}
    if option == "--fix -o":
        args = ["--fix", "-o", target, "reports/a.md"]
    elif option == "--annotate":
        args = [option, target, "reports/c.docx"]
    else:
        args = [option, target, "reports", "--previous", "last.txt"]
    p = run(*args, cwd=root)
    refused(p, "E022", option, target)
    assert {p: digest(p) for p in root.rglob("*") if p.is_file()} == before


def test_a_link_to_a_report_is_the_report(reports, tmp_path):
    """A symlink or a hard link to a report names the report: refused too."""
    (tmp_path / "soft.txt").symlink_to(reports / "b.txt")
    os.link(reports / "b.txt", tmp_path / "hard.txt")
    before = digest(reports / "b.txt")
    refused(run("--output-file", tmp_path / "soft.txt", reports), "E022", "--output-file")
    refused(run("--write-baseline", tmp_path / "hard.txt", reports), "E022", "--write-baseline")
    assert digest(reports / "b.txt") == before and (tmp_path / "soft.txt").is_symlink()


def test_the_baseline_is_refreshed_in_place_but_never_an_output_file(reports, tmp_path):
    """--write-baseline over the baseline the config names is how a baseline is refreshed; any
    other output over it is refused."""
    root = reports.parent
    assert run("--write-baseline", "base.json", "reports", cwd=root).returncode == 0
    (root / ".gxlint.yaml").write_text("baseline: base.json\n", encoding="utf-8")
    p = run("--write-baseline", "base.json", "reports", cwd=root)
    assert p.returncode == 0 and "已写入基线" in p.stderr, p.stderr
    before = digest(root / "base.json")
    refused(run("--output-file", "base.json", "reports", cwd=root), "E022", "--output-file", "base.json")
    refused(run("--report", "base.json", "--baseline", "base.json", "reports", cwd=root), "E022", "--report")
    assert digest(root / "base.json") == before


def test_two_outputs_naming_one_file_are_refused(reports):
    p = run("--output-file", "out.csv", "--report", "out.csv", "reports", cwd=reports.parent)
    refused(p, "E022", "--output-file", "--report", "out.csv")
    assert not (reports.parent / "out.csv").exists()


def test_annotated_copies_never_replace_another_report_of_the_batch(tmp_path):
    """--annotate DIR where DIR is a folder of the batch: the copy of one report would replace
    another report; nothing is written."""
    d = tmp_path / "reports"
    (d / "sub").mkdir(parents=True)
    seed_docx(SEED004, d / "a.docx")
    shutil.copy(d / "a.docx", d / "sub" / "a.docx")
    before = {p: digest(p) for p in d.rglob("*.docx")}
    p = run(d, "--annotate", d / "sub")
    refused(p, "E022", "--annotate")
    assert {p: digest(p) for p in d.rglob("*.docx")} == before


def test_fix_output_into_a_missing_folder_is_one_error_line(tmp_path):
    """With fixes (.md) and without (the copy of a clean .txt), and for a .docx."""
    fixable = tmp_path / "r.md"
    shutil.copy(SEED004, fixable)
    clean = tmp_path / "clean.txt"
    shutil.copy(next(SEEDS.glob("002_*.txt")), clean)
    docx = seed_docx(SEED004, tmp_path / "r.docx")
    for src, out in ((fixable, "fixed.md"), (clean, "copy.txt"), (docx, "fixed.docx")):
        p = run("--fix", "-o", tmp_path / "missing" / out, src)
        assert p.returncode == 2 and "E013" in p.stderr and str(tmp_path / "missing" / out) in p.stderr, p.stderr
    assert not (tmp_path / "missing").exists()


@pytest.fixture
def char_device(tmp_path):
    """A character device to write to: as root, a null device made in the test's folder (so that
    a failure could never replace the system's /dev/null); else /dev/null itself, which a user
    cannot replace anyway."""
    if os.geteuid() == 0:
        node = tmp_path / "null"
        try:
            os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        except (PermissionError, OSError):
            pytest.skip("root without CAP_MKNOD: no device node to write to but the system's own")
        return str(node)
    return "/dev/null"


def test_a_character_device_is_written_into_not_replaced(char_device, tmp_path):
    report = tmp_path / "r.txt"
    shutil.copy(SEED004, report)
    before = os.stat(char_device)
    p = run(report, "--output-file", char_device, "--report", char_device + ".html", "--write-baseline", char_device)
    assert p.returncode == 0 and "已写入基线" in p.stderr, p.stderr  # every finding went to the baseline
    after = os.stat(char_device)
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    assert p.stdout == ""  # the findings went into the device
    assert not [n for n in os.listdir(os.path.dirname(char_device)) if n.endswith(".tmp")]


def test_a_fifo_is_written_into_not_replaced(tmp_path):
    report = tmp_path / "r.txt"
    shutil.copy(SEED004, report)
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()), daemon=True)
    reader.start()
    p = run(report, "--format", "json", "--output-file", fifo)
    reader.join(60)
    assert p.returncode == 1 and p.stdout == ""
    assert b'"rule": "GX302"' in got[0]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_dev_stdout_is_standard_output_even_when_it_is_a_pipe(tmp_path):
    report = tmp_path / "r.txt"
    shutil.copy(SEED004, report)
    p = run(report, "--format", "json", "--output-file", "/dev/stdout")
    assert p.returncode == 1 and '"rule": "GX302"' in p.stdout


def test_a_socket_is_refused_before_any_report_is_read(tmp_path):
    report = tmp_path / "r.txt"
    shutil.copy(SEED004, report)
    sock = socket.socket(socket.AF_UNIX)
    path = tmp_path / "out.sock"
    sock.bind(str(path))
    try:
        for option in ("--output-file", "--report"):
            target = path if option == "--output-file" else tmp_path / "s.html"
            if option == "--report":
                os.symlink(path, target)
            refused(run(report, option, target), "E013", "套接字")
        assert stat.S_ISSOCK(os.stat(path).st_mode)
    finally:
        sock.close()


def test_atomic_write_of_a_regular_file_replaces_it(tmp_path):
    """A regular output is still written atomically: a new file (another inode) takes the old one's
    place, with its mode; no temporary file is left."""
    report = tmp_path / "r.txt"
    shutil.copy(SEED004, report)
    out = tmp_path / "out.json"
    out.write_text("old", encoding="utf-8")
    os.chmod(out, 0o640)
    inode = os.stat(out).st_ino
    p = run(report, "--format", "json", "--output-file", out)
    assert p.returncode == 1 and '"rule": "GX302"' in out.read_text(encoding="utf-8")
    st = os.stat(out)
    assert st.st_ino != inode and stat.S_IMODE(st.st_mode) == 0o640
    assert sorted(os.listdir(tmp_path)) == ["out.json", "r.txt"]
