"""The whole hostile corpus (tests/hostile_corpus.py) linted in one run of the command line.

Single cases are tested one by one in test_docx_reader.py, test_text_reader.py and
test_cli.py; here they share one folder with good reports, as they would in a real
batch: each broken file gets exactly one ``E0xx`` line, every good file keeps its
findings, the run ends with status 1 (2 when no file at all can be read), within a
time and memory budget, and the targets of the external entities are never read.
"""
import json
import re
import resource
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest
from hostile_corpus import BROKEN, GOOD, LOCK, MARKER, SEED, build_corpus

pytestmark = pytest.mark.slow  # a batch of the hostile corpus in a gxlint process, with its memory measured

TIMEOUT = 120  # seconds, a hang guard (the run takes a few)
ADDRESS_SPACE = 2**30  # RLIMIT_AS of the linting process
PEAK_RSS = 500 * 2**20
LINE = re.compile(r"^(?P<path>[^:]+)(?::\d+:\d+)?: (?:error|warning|info): (?P<code>E0\d\d|GX\d{3}) ")


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run(*args):
    """The command line as test_cli.py runs it, with at most 1 GiB of address space."""
    p = subprocess.run([sys.executable, "-m", "gxlint", *map(str, args)], capture_output=True,
                       text=True, timeout=TIMEOUT, preexec_fn=_limit_memory)
    return p.returncode, p.stdout, p.stderr


class Batch(NamedTuple):
    folder: Path
    rc: int
    out: str
    err: str
    peak: int  # bytes
    by_file: dict  # file name -> its output lines, without the path


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    build_corpus(folder)
    rc, out, err = run(folder, folder / LOCK)  # the lock file: skipped in the folder, linted by name
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # the largest child so far
    by_file: dict[str, list[str]] = {}
    for line in out.splitlines():
        m = LINE.match(line)
        assert m, f"not an output line: {line!r}"
        name = m["path"].removeprefix(f"{folder}/")
        by_file.setdefault(name, []).append(line.removeprefix(m["path"]))
    return Batch(folder, rc, out, err, peak, by_file)


def test_batch_ends_with_status_1_without_traceback_within_memory(batch):
    assert batch.rc == 1  # some files were checked; the unreadable ones fail the batch
    assert "Traceback" not in batch.out + batch.err
    assert "E099" not in batch.out
    assert batch.peak < PEAK_RSS, f"peak RSS {batch.peak / 2**20:.0f} MiB"


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_file_gets_exactly_one_error_line(batch, name):
    lines = batch.by_file.get(name)
    assert lines is not None and len(lines) == 1, lines
    assert lines[0].startswith(f": error: {BROKEN[name]} "), lines[0]


@pytest.mark.parametrize("name", sorted(GOOD))
def test_good_file_keeps_its_findings(batch, expected, name):
    by_file = batch.by_file
    assert by_file.get(name) == by_file[GOOD[name]]
    assert len(by_file[name]) == len(expected[SEED.name])


def test_only_broken_files_end_with_status_2(batch):
    rc, out, err = run(*(batch.folder / name for name in sorted(BROKEN)))
    assert rc == 2 and "Traceback" not in out + err
    assert [line.split(": error: ")[1][:4] for line in out.splitlines()] == [BROKEN[n] for n in sorted(BROKEN)]


def test_lock_file_is_skipped_in_the_folder_and_refused_by_name(batch):
    lines = batch.by_file[LOCK]  # once: from the path given, not again from the folder
    assert len(lines) == 1 and lines[0].startswith(": error: E005 ") and "锁文件" in lines[0]


def test_nothing_else_is_reported(batch):
    assert set(batch.by_file) == set(BROKEN) | set(GOOD) | {LOCK}


def test_external_entity_targets_are_never_read(batch):
    """The secret's marker is in no output (JSON shows excerpts too); opening the FIFO would hang."""
    assert MARKER not in batch.out + batch.err
    rc, out, err = run("--format", "json", batch.folder / "xxe.docx")
    assert MARKER not in out + err
    error = json.loads(out)["files"][0]["error"]
    assert error["code"] == "E008" and "word/document.xml" in error["message"] and "DTD" in error["message"]
