"""Result cache: a second ``gxlint reports/`` over unchanged files reads no report (as Ruff does).

A file's result (findings, audit, what a batch compares of it, or its input error) is stored
under a key made of

* the BLAKE2b (32 bytes) of the file's bytes (and of last year's report, when one is compared);
* gxlint's version (and Python's) and the size and modification time of every module of the
  installed package (a development checkout that changes a kind does not see old results);
* the rule pack as it runs on that file: each rule's id, severity, message, kind, Chinese
  title (the audit names rules by it) and parameters after the config, ``--select``/``--ignore`` and ``per_file_ignores``, and the
  report format;
* the options that change a result: encoding, audit, batch, suppressions, the config's allow list.

Results live in ``$GXLINT_CACHE_DIR`` (else ``$XDG_CACHE_HOME/gxlint``, else ``~/.cache/gxlint``)
under ``results/``, or in the folder ``--cache-dir`` names; ``--no-cache`` bypasses the cache.
What comparing the reports of a batch adds (GX606, the pairing of a report with last year's)
is cached too, under a key made of every file's path and key.  Each entry is written to a
temporary file and renamed into place, so runs in parallel never
read a half-written entry; an entry that cannot be read is a miss.  A file that could not be
read (an E0xx error, quick to find again) is not cached.
"""
from __future__ import annotations

import os
import pickle
import sys

# The hashes from the interpreter's own modules: hashlib also loads OpenSSL's binding (about 3 ms
# of a cold `gxlint one.docx`); the digests are the same.  A file's content is hashed with BLAKE2b,
# which the interpreter's module computes 2.8x as fast as its SHA-256 (500 against 180 MB/s: a
# cached run over 1,000 reports spent a third of its CPU time hashing them with SHA-256).
try:
    from _sha2 import sha256  # Python >= 3.12
except ImportError:
    try:
        from _sha256 import sha256
    except ImportError:  # an interpreter built without its own hashes
        from hashlib import sha256
try:
    from _blake2 import blake2b
except ImportError:  # an interpreter built without its own hashes
    from hashlib import blake2b

_CODE: str | None = None


def default_dir() -> str:
    """The user cache folder of gxlint (shared with the rule pack cache)."""
    return os.environ.get("GXLINT_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "gxlint")


def code_fingerprint() -> str:
    """gxlint's version and the size and mtime of each of its modules (once per process)."""
    global _CODE
    if _CODE is None:
        from . import __version__

        h = sha256(f"{__version__}\0{sys.version}".encode())
        root = os.path.dirname(os.path.abspath(__file__))
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith(".py"):
                    st = os.stat(os.path.join(folder, name))
                    h.update(f"{os.path.relpath(os.path.join(folder, name), root)}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
        _CODE = h.hexdigest()
    return _CODE


# a file larger than any report is not hashed (the reader refuses it anyway: E006)
MAX_HASHED = 256 * 2**20


def file_digest(path: str) -> str | None:
    """The content hash of a regular file of report size, else None (not cached).  A FIFO, a
    device such as /dev/zero or a directory is never opened here: the reader refuses it (E013)."""
    import stat

    h = blake2b(digest_size=32)
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_HASHED:
            return None
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


class ResultCache:
    """Cached FileResults in ``folder`` (default: the user cache folder's ``results/``)."""

    def __init__(self, folder: str | None = None):
        self.folder = folder or os.path.join(default_dir(), "results")
        self._packs: dict = {}  # id(rule list) -> digest of those rules

    def _pack(self, linter, rules) -> str:
        key = (id(linter), id(rules))
        if key not in self._packs:
            h = sha256(code_fingerprint().encode())
            h.update(repr(linter.formats).encode())
            for r in rules:
                h.update(repr((r.id, r.severity, r.message, r.kind, r.title, sorted(r.params.items(), key=str))).encode())
            self._packs[key] = h.hexdigest()
        return self._packs[key]

    def key(self, linter, path: str, name: str | None, encoding: str | None, previous: str | None) -> str | None:
        """The key of ``path``'s result with ``linter``; None when the file cannot be read."""
        digest = file_digest(path)
        if digest is None:
            return None
        prev = file_digest(previous) if previous else ""
        if prev is None:
            return None
        rules = linter.rules_for(name or path)
        h = sha256(self._pack(linter, rules).encode())
        h.update(repr((digest, prev, encoding or linter.config.encoding, linter.audit, linter.in_batch,
                       linter.suppressions, linter.verify_previous, sorted(linter.config.allow), os.path.splitext(name or path)[1].lower(),
                       )).encode())
        return h.hexdigest()

    def _file(self, key: str) -> str:
        return os.path.join(self.folder, key[:2], key + ".pickle")

    def get(self, key: str):
        try:
            with open(self._file(key), "rb") as f:
                return pickle.load(f)
        except Exception:  # noqa: BLE001 - missing, half-written by a crashed run, or from another Python: a miss
            return None

    def put(self, key: str, result) -> None:
        if result.error is not None:  # input errors are quick to find again, and their messages name the file
            return
        result.cache_key = key
        self._store(key, result)

    def _store(self, key: str, value) -> None:
        dst = self._file(key)
        try:
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            tmp = f"{dst}.{os.getpid()}.{id(value)}.tmp"
            with open(tmp, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, dst)
        except OSError:  # a read-only or full cache folder only makes the next run slower
            try:
                os.unlink(tmp)
            except (OSError, UnboundLocalError):
                pass


def batch_step(results, cache: ResultCache | None, name: str, step) -> None:
    """Run ``step()``, which adds to the findings (and audit) of ``results`` what comparing them
    with each other finds (GX606, pairing with last year's report), unless the cache holds its
    outcome for exactly these files (same paths, same per-file keys)."""
    keys = [getattr(r, "cache_key", None) for r in results]
    if cache is None or any(k is None for k in keys):
        step()
        return
    h = sha256(f"{name}\0{code_fingerprint()}".encode())
    for r, k in zip(results, keys):
        h.update(f"{r.path}\0{k}\0".encode("utf-8", "surrogateescape"))  # a name of any bytes
    key = h.hexdigest()
    hit = cache.get(key)
    if isinstance(hit, dict):
        for i, (findings, audit) in hit.items():
            results[i].findings, results[i].audit = findings, audit
        return

    def state(r):
        return id(r.findings), len(r.findings), tuple((a.status, a.findings, a.reason) for a in r.audit or ())

    before = [state(r) for r in results]
    step()
    # only what changed is kept: comparing reports mostly finds nothing
    cache._store(key, {i: (r.findings, r.audit) for i, (r, b) in enumerate(zip(results, before)) if state(r) != b})
