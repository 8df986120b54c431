"""Tests for gxlint.readers.convert: .doc and .wps read through LibreOffice.

The seed reports go .txt -> .docx (tests/seeddocx.py) -> .doc (LibreOffice); gxlint on
the .doc (and on the same file named .wps, the WPS 文字 format being Word's binary
format) must give the .docx's findings, with locations.  Those tests skip with the
reason when LibreOffice cannot convert here (tests/systools.py).  The pre-flight
errors (Works file, password, damaged, no LibreOffice) and the process clean-up on a
timeout are tested without LibreOffice: a stand-in ``soffice`` that hangs.
"""
from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import textwrap
import uuid
from collections import Counter
from pathlib import Path

import pytest
import systools
from conftest import SEED_FILES
from hostile import make_cfb
from seeddocx import seed_docx

from gxlint.errors import InputError
from gxlint.readers import read

pytestmark = pytest.mark.slow  # LibreOffice converts the seeds to .doc


def run_cli(*args, env=None):
    p = subprocess.run([sys.executable, "-m", "gxlint", *map(str, args)], capture_output=True, text=True,
                       env={**os.environ, **(env or {})}, timeout=600)
    return p.returncode, p.stdout, p.stderr


def leftovers(marker: str) -> list[str]:
    """Command lines of running processes that hold ``marker``: a string only this test's processes
    hold (a unique name, the test's own temporary folder), never another gxlint's on the machine."""
    out = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            except OSError:
                continue
            if marker in cmd:
                out.append(f"{pid}: {cmd}")
    return out


def own_tmp(tmp_path) -> dict:
    """The environment of a gxlint whose temporary folders (LibreOffice's profile among them, on
    the command line of every office process it starts) are in the test's own folder."""
    folder = tmp_path / "tmp"
    folder.mkdir(exist_ok=True)
    return {"TMPDIR": str(folder)}


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """seed name -> (.docx, .doc, .wps); the .doc written by LibreOffice from the .docx."""
    systools.require_office()
    d = tmp_path_factory.mktemp("doc")
    docx = [seed_docx(seed, d / f"{seed.stem}.docx") for seed in SEED_FILES]
    out = d / "doc"
    out.mkdir()
    systools.soffice(["--convert-to", "doc", "--outdir", str(out), *map(str, docx)], d / "profile", timeout=900)
    result = {}
    for seed, x in zip(SEED_FILES, docx):
        doc = out / f"{seed.stem}.doc"
        if not doc.is_file():
            pytest.skip(f"LibreOffice did not write {doc.name}")
        wps = out / f"{seed.stem}.wps"
        shutil.copy(doc, wps)
        result[seed.name] = (x, doc, wps)
    return result


def findings(linter, path):
    got = linter.lint_path(str(path))
    assert got.error is None, got.error
    return [(f.rule, f.line, f.location, f.excerpt) for f in got.findings]


# --------------------------------------------------------------------------- the seeds
@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_seed_doc_findings_as_docx(seed, converted, linter, expected):
    docx, doc, _ = converted[seed.name]
    with open(doc, "rb") as f:  # really Word's binary format, not a .docx renamed
        assert f.read(8) == bytes.fromhex("d0cf11e0a1b11ae1")
    got, want = findings(linter, doc), findings(linter, docx)
    assert Counter(g[0] for g in got) == Counter(w[0] for w in want), got
    assert [(r, loc, ex) for r, _, loc, ex in got] == [(r, loc, ex) for r, _, loc, ex in want]
    assert Counter(r for r, *_ in got) >= Counter(w["rule"] for w in expected[seed.name])


def test_doc_locations_are_the_docx_paragraphs(converted):
    """Same paragraphs and tables as the .docx, so the same line numbers in the output."""
    docx, doc, _ = converted[SEED_FILES[4].name]
    rc, out, err = run_cli(doc, "--select", "GX302,GX210")
    assert rc == 1, err
    rc2, want, _ = run_cli(docx, "--select", "GX302,GX210")
    assert out.replace(str(doc), "X") == want.replace(str(docx), "X")
    assert out.count(": error: ") == 3


def test_wps_reads_as_doc(converted, linter):
    docx, _, wps = converted[SEED_FILES[2].name]
    assert findings(linter, wps) == findings(linter, docx)


def test_batch_of_docs_leaves_no_office_process(converted, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    for _, doc, wps in converted.values():
        shutil.copy(doc, folder / doc.name)
    shutil.copy(next(iter(converted.values()))[2], folder / "one.wps")
    rc, out, err = run_cli(folder, "--format", "json", env=own_tmp(tmp_path))
    assert "Traceback" not in err
    assert leftovers(own_tmp(tmp_path)["TMPDIR"]) == []
    assert '"E0' not in out and out.count('"path"') >= 6


# --------------------------------------------------------------------------- pre-flight, no LibreOffice needed
def _fib(flags: int = 0, nfib: int = 0xC1) -> bytes:
    """The start of a Word 97 FIB: wIdent, nFib, unused, lid, pnNext, flags."""
    return struct.pack("<HHHHHH", 0xA5EC, nfib, 0, 0x0804, 0, flags) + b"\0" * 500


NO_OFFICE = {"GXLINT_SOFFICE": "/nonexistent/soffice"}


def _error(path, code, env=None):
    rc, out, err = run_cli(path, env=env)
    assert rc == 2, (out, err)
    assert out.count("\n") == 1 and out.startswith(f"{path}: error: {code} "), out
    assert "Traceback" not in err
    return out


@pytest.mark.parametrize("name", ["report.doc", "report.wps"])
def test_without_office_e003_names_what_to_install(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(make_cfb({"WordDocument": _fib(), "1Table": b"\0" * 64}))
    out = _error(path, "E003", NO_OFFICE)
    assert "LibreOffice" in out and "另存为 .docx" in out


def test_works_wps_is_e019(tmp_path):
    ole = tmp_path / "works.wps"
    ole.write_bytes(make_cfb({"CONTENTS": b"CHNKWKS " + b"\0" * 200, "MatOST": b"\0" * 64}))
    assert "Works" in _error(ole, "E019")
    dos = tmp_path / "works3.wps"
    dos.write_bytes(b"\x01\xfe" + bytes(range(256)) * 4)  # Works 3 and earlier: not OLE at all
    assert "Works" in _error(dos, "E019")


@pytest.mark.parametrize("streams", [
    {"WordDocument": _fib(flags=0x0100), "1Table": b"\0" * 64},  # Word 97 RC4 / XOR: fEncrypted
    {"EncryptionInfo": b"\x04\x00\x04\x00" + b"\0" * 200, "EncryptedPackage": b"\0" * 5000},
], ids=["fib-encrypted", "encryption-info"])
def test_password_is_e002(tmp_path, streams):
    path = tmp_path / "secret.wps"
    path.write_bytes(make_cfb(streams))
    assert "密码" in _error(path, "E002")


def test_damaged_doc_is_e003_before_any_conversion(tmp_path):
    path = tmp_path / "zeros.doc"
    path.write_bytes(make_cfb({"WordDocument": b"\0" * 512}))
    assert "损坏" in _error(path, "E003", {"GXLINT_SOFFICE": sys.executable})  # would fail if run


def test_excel_named_doc_is_e004(tmp_path):
    path = tmp_path / "sheet.doc"
    path.write_bytes(make_cfb({"Workbook": b"\0" * 64}))
    _error(path, "E004")


def test_docx_named_doc_is_read_as_docx(tmp_path, linter):
    docx = seed_docx(SEED_FILES[4], tmp_path / "r.docx")
    doc = tmp_path / "r.doc"
    shutil.copy(docx, doc)
    assert findings(linter, doc) == findings(linter, docx)


def _hanging_office(tmp_path, marker: str) -> Path:
    """A stand-in soffice that starts a child (as soffice starts soffice.bin) and never ends."""
    exe = tmp_path / "soffice"
    exe.write_text(textwrap.dedent(f"""\
        #!{sys.executable}
        import subprocess, sys, time
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(900)", "{marker}"])
        time.sleep(900)
        """), encoding="utf-8")
    exe.chmod(0o755)
    return exe


def test_timeout_is_e030_and_kills_the_process_group(tmp_path):
    marker = f"gxlint-test-hang-{uuid.uuid4().hex}"
    exe = _hanging_office(tmp_path, marker)
    folder = tmp_path / "batch"
    folder.mkdir()
    for n in range(2):
        (folder / f"r{n}.doc").write_bytes(make_cfb({"WordDocument": _fib(), "1Table": b"\0" * 64}))
    rc, out, err = run_cli(folder, env={"GXLINT_SOFFICE": str(exe), "GXLINT_OFFICE_TIMEOUT": "3"})
    assert "Traceback" not in err
    assert out.count("error: E030 ") == 2 and "超时" in out, out
    assert leftovers(marker) == []


def test_conversion_failure_is_e030(tmp_path):
    exe = tmp_path / "soffice"
    exe.write_text(f"#!{sys.executable}\nimport sys; sys.stderr.write('Error: source file could not be loaded\\n'); "
                   "sys.exit(1)\n", encoding="utf-8")
    exe.chmod(0o755)
    path = tmp_path / "r.doc"
    path.write_bytes(make_cfb({"WordDocument": _fib(), "1Table": b"\0" * 64}))
    with pytest.raises(InputError) as e:
        os.environ["GXLINT_SOFFICE"] = str(exe)
        try:
            read(str(path))
        finally:
            del os.environ["GXLINT_SOFFICE"]
    assert e.value.code == "E030" and "could not be loaded" in e.value.message


def test_real_office_killed_on_timeout_leaves_nothing(converted, tmp_path):
    """The real LibreOffice under a one-second timeout (it needs several to start): each file
    is E030 or linted, never a traceback, and no LibreOffice process of gxlint's is left."""
    folder = tmp_path / "batch"
    folder.mkdir()
    for name, (_, doc, _) in list(converted.items())[:2]:
        shutil.copy(doc, folder / doc.name)
    rc, out, err = run_cli(folder, env={"GXLINT_OFFICE_TIMEOUT": "1", **own_tmp(tmp_path)})
    assert "Traceback" not in err
    assert out and all(re.search(r": error: E030 |:\d+:\d+: \w+: GX\d{3} ", ln) for ln in out.splitlines()), out
    assert leftovers(own_tmp(tmp_path)["TMPDIR"]) == []
