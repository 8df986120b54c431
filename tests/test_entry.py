"""The plain `gxlint FILE...` runs without click (gxlint.entry -> gxlint.run.lint) and does
exactly what the click command does with the same arguments."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from gxlint.entry import plain

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "seeds"


def gxlint(*args, cwd, env):
    return subprocess.run([sys.executable, "-m", "gxlint", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture
def folder(tmp_path):
    from seeddocx import seed_docx

    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(SEEDS / "004_aa4e2e269a40bca7.txt", reports / "004.txt")
    shutil.copy(SEEDS / "002_9e678f4fbfe67a94.txt", reports / "002.txt")
    seed_docx(SEEDS / "001_0e25ab109a1a5fa1.txt", reports / "001.docx")
    (reports / "notes.md").write_text("# 会议纪要\n\n今天开会。\n", encoding="utf-8")
    (reports / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    return reports


@pytest.mark.slow
@pytest.mark.parametrize("args", [
    ["004.txt"],
    ["001.docx", "004.txt", "002.txt"],
    ["."],
    ["--no-cache", "001.docx"],
    ["002.txt", "--no-cache"],
    ["missing.docx"],
    ["broken.docx"],
    ["notes.md"],
])
def test_same_as_the_click_command(folder, tmp_path, args):
    env = dict(os.environ, GXLINT_CACHE_DIR=str(tmp_path / "cache"), PYTHONPATH=str(ROOT))
    env.pop("CI", None)
    assert plain(args)
    fast = gxlint(*args, cwd=folder, env=env)
    with_click = gxlint("lint", *args, cwd=folder, env=env)  # "lint" first: parsed by click
    assert (fast.returncode, fast.stdout, fast.stderr) == (with_click.returncode, with_click.stdout, with_click.stderr)
    assert fast.stderr.strip() and "Traceback" not in fast.stderr


def test_what_is_plain():
    assert plain(["a.docx"]) and plain(["reports/", "b.pdf"]) and plain(["--no-cache", "a.docx"])
    assert plain(["https://example.org/2024.html"])
    assert not plain([])  # no path: click says what is missing
    assert not plain(["--no-cache"]) and not plain(["--no-cache", "--no-cache", "a.docx"])
    for args in (["-"], ["-q", "a.docx"], ["a.docx", "--format", "json"], ["--help"], ["--version"],
                 ["rules"], ["lint", "a.docx"], ["lsp"], ["*.docx"], ["report[1].docx"], ["a?.docx"]):
        assert not plain(args), args  # options, standard input, commands, wildcards click expands on Windows
    assert plain(["a.docx", "rules"])  # only the first argument can name a command


def test_defaults_are_the_commands():
    """What click passes the command for `gxlint x.docx` is what Options() holds by default, and
    click's options are the declared ones (gxlint.options.OPTIONS), each once."""
    from gxlint.cli import lint_cmd
    from gxlint.options import OPTIONS, Options

    defaults = Options().as_dict()
    for args, no_cache in ((["x.docx"], False), (["--no-cache", "x.docx", "y"], True)):
        given = lint_cmd.make_context("lint", list(args)).params  # (click consumes the list)
        assert given.pop("paths") == tuple(a for a in args if a != "--no-cache")
        assert given.pop("no_cache") is no_cache
        assert given == {k: v for k, v in defaults.items() if k != "no_cache"}
    flags = [f for p in lint_cmd.params for f in p.opts + p.secondary_opts if f.startswith("-")]
    assert flags == [f for o in OPTIONS for f in o.flags]
    assert Options(select=["GX3"], jobs=2) == Options().replace(select=("GX3",), jobs=2) == Options(select="GX3", jobs=2)
    with pytest.raises(TypeError):
        Options(no_such_option=True)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_interrupt_and_closed_pipe(folder, tmp_path):
    env = dict(os.environ, GXLINT_CACHE_DIR=str(tmp_path / "cache"), PYTHONPATH=str(ROOT))
    many = tmp_path / "many"
    many.mkdir()
    for i in range(40):
        shutil.copy(SEEDS / "004_aa4e2e269a40bca7.txt", many / f"{i:03}.txt")
    # standard output closed after the first line: no traceback, exit 1 (as click does)
    p = subprocess.Popen([sys.executable, "-m", "gxlint", "-j1", "--no-cache", str(many)], cwd=folder, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p2 = subprocess.Popen([sys.executable, "-m", "gxlint", "--no-cache", str(many)], cwd=folder, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for proc in (p, p2):
        proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=300) == 1
        assert "Traceback" not in err and "BrokenPipe" not in err, err
    # Ctrl-C while a report is being linted (the lint waits until it comes): 已中止。, exit 1, no traceback
    p = subprocess.Popen([sys.executable, "-c", INTERRUPTED, "--no-cache", str(many / "000.txt")], cwd=folder, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert p.stderr.readline() == b"linting\n"
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=300)
    err = err.decode()
    assert p.returncode == 1 and "已中止。" in err and "Traceback" not in err, err


# The plain command, whose lint of a report waits (up to 2 minutes) for the test's Ctrl-C.
# SIGINT is handled as on a terminal even where the test runs with it ignored (a background job
# of a non-interactive shell, as CI may run it: children then inherit the ignoring).
INTERRUPTED = """
import signal, sys, time
signal.signal(signal.SIGINT, signal.default_int_handler)
from gxlint.engine import Linter

def waiting(self, *args, **kwargs):
    print("linting", file=sys.stderr, flush=True)
    time.sleep(120)

Linter.lint_path = waiting
sys.argv = ["gxlint", *sys.argv[1:]]
from gxlint.entry import main
main()
"""
