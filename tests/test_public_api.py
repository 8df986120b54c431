"""Only public, documented APIs (issue 28): no private module of the interpreter, and no pickle
at all (issue 31: the caches hold JSON, see tests/test_cache.py; the batch's spool too)."""
import subprocess
from pathlib import Path


def test_no_interpreter_internals_rebuild_code():
    """``grep -rE "_sre|re\\._parser|_sha2|_blake2|pickle\\.load" gxlint/`` finds nothing, and no
    module of gxlint imports pickle."""
    root = Path(__file__).resolve().parent.parent
    p = subprocess.run(["grep", "-rnE", "--include=*.py", r"_sre|re\._parser|_sha2|_blake2|pickle\.load|import pickle",
                        "gxlint/"], cwd=root, capture_output=True, text=True)
    assert p.returncode == 1 and p.stdout == "", p.stdout


def test_the_batch_spool_reads_back_what_it_wrote(tmp_path):
    """The spool of a batch (the whole-document outputs, the screens of GX606) keeps results as
    lines of JSON in a file with no name: read back, a result equals what was written, an error
    result too."""
    from gxlint import batch
    from gxlint.engine import Linter
    from gxlint.errors import GxlintError

    root = Path(__file__).resolve().parent.parent
    linter = Linter()
    linter.audit = True
    r = linter.lint_path(str(root / "examples" / "faulty.md"))
    broken = batch.FileResult("x.docx", error=GxlintError("E005", "不是 ZIP 文件"))
    spool = batch.Spool()
    try:
        assert isinstance(spool.file.name, int)  # opened O_TMPFILE or unlinked at once: no name in any folder
        first, second = spool.add(r), spool.add(broken)
        back = list(spool)
        assert [x.path for x in back] == [r.path, "x.docx"]
        assert back[0].findings == r.findings and [a.as_dict() for a in back[0].audit] == [a.as_dict() for a in r.audit]
        assert back[1].error.code == "E005" and back[1].error.message == "不是 ZIP 文件"
        assert second.get().error.code == "E005" and first.get().findings == r.findings
    finally:
        spool.file.close()
