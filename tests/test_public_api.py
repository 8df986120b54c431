"""Only public, documented APIs (issue 28): no private module of the interpreter, and no pickle
of anything a user or another process can write (issue 31: the caches hold JSON, see
tests/test_cache.py)."""
import subprocess
from pathlib import Path


def test_no_interpreter_internals_rebuild_code():
    """No private module of the interpreter, no pickled code: ``grep -rE "_sre|re\\._parser|_sha2|
    _blake2|pickle\\.load" gxlint/`` finds only the batch's spool, which reads back (pickle) what
    this process wrote into an anonymous temporary file no other process can open by name."""
    from gxlint import batch

    root = Path(__file__).resolve().parent.parent
    p = subprocess.run(["grep", "-rnE", r"_sre|re\._parser|_sha2|_blake2|pickle\.load", "gxlint/"],
                       cwd=root, capture_output=True, text=True)
    hits = [line for line in p.stdout.splitlines() if not line.startswith("Binary file")]
    assert all(line.startswith("gxlint/batch.py:") and "pickle.load(self." in line for line in hits), hits
    spool = batch.Spool()
    try:
        assert isinstance(spool.file.name, int)  # opened O_TMPFILE or unlinked at once: no name in any folder
    finally:
        spool.file.close()
