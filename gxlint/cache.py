"""The caches on disk: a second ``gxlint reports/`` over unchanged files reads no report (as Ruff
does), and a second start does not parse the rule pack's YAML again (``gxlint.engine.load_pack``).

A file's result (findings, audit, what a batch compares of it) is stored under a key made of

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
is cached too, under a key made of every file's path and key.  A file that could not be read
(an E0xx error, quick to find again) is not cached.

**An entry is data, never code.**  The cache folder may be shared (``GXLINT_CACHE_DIR`` of a
team, a CI cache restored from another branch), so whatever is in it is read as untrusted input:

* an entry is a line ``gxlint-cache FORMAT KIND LENGTH CRC32`` and JSON of that length and CRC,
  decoded field by field with every type checked (``decode_result``, ``decode_changes``, and
  ``gxlint.engine._pack_of`` for the rule pack); anything else — another format version, another
  kind of entry, bytes cut short or changed, a value of another type, a pickle — is a miss, and
  the entry is written again;
* an entry is read only when it is a regular file (``os.lstat``, then opened with ``O_NOFOLLOW``
  and ``O_NONBLOCK`` and checked again with ``os.fstat``): a FIFO, a device or a symbolic link
  is never opened for reading (a FIFO would block, ``/dev/zero`` never ends), and at most
  ``MAX_ENTRY`` bytes are read;
* an entry is written to a new temporary file (``O_EXCL``: never through a link placed there)
  and renamed into place, so runs in parallel never read a half-written entry, and a special
  file in an entry's place is replaced, never written into.

What the cache does not do is authenticate its entries: someone who can write the folder can
make gxlint report what they wrote (as with any shared cache), but cannot make it run code.
"""
from __future__ import annotations

import json
import os
import stat
import sys

FORMAT = 1  # the layout of every entry; another value is a miss
MAX_ENTRY = 64 * 2**20  # an entry larger than this is not read (a result of 100,000 findings is ~30 MB)
# a file larger than any report is not hashed (the reader refuses it anyway: E006)
MAX_HASHED = 256 * 2**20

_CODE: str | None = None


def default_dir() -> str:
    """The user cache folder of gxlint (shared with the rule pack cache)."""
    return os.environ.get("GXLINT_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "gxlint")


# --------------------------------------------------------------------------- entries on disk
def _header(kind: str, body: bytes) -> bytes:
    """The first line of an entry: format, kind, length and CRC-32 of the JSON that follows."""
    import zlib

    return f"gxlint-cache {FORMAT} {kind} {len(body)} {zlib.crc32(body):08x}\n".encode()


def read_entry(path: str, kind: str):
    """The JSON value stored at ``path`` by :func:`write_entry` with this ``kind``, or None: no
    such file, not a regular file (nothing else is opened for reading), too large, an entry of
    another format or kind, cut short or changed since it was written (its length and CRC-32),
    or not UTF-8 JSON."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_ENTRY:
            return None
        fd = os.open(path, flags)
    except (OSError, ValueError):
        return None
    try:
        st = os.fstat(fd)  # what was opened (a file swapped in since the lstat is seen here)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_ENTRY:
            return None
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(st.st_size + 1)  # (read(n) allocates n bytes first: not MAX_ENTRY)
    except OSError:
        return None
    finally:
        os.close(fd)
    head, _, body = data.partition(b"\n")
    if len(data) > st.st_size or head + b"\n" != _header(kind, body):  # (grown since: being replaced)
        return None
    try:
        return json.loads(body)
    except (ValueError, RecursionError):  # not UTF-8, not JSON, nested too deep, a 5,000-digit number
        return None


_written = 0


def write_entry(path: str, kind: str, data) -> None:
    """Store the JSON value ``data`` at ``path`` (a new temporary file renamed into place); a
    folder that cannot be written only makes the next run slower."""
    global _written
    import threading

    try:
        try:
            body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate (a file name of any bytes): written as \udcxx
            body = json.dumps(data, separators=(",", ":")).encode("ascii")
    except (TypeError, ValueError, RecursionError):  # a value JSON does not hold: not cached
        return
    _written += 1
    tmp = f"{path}.{os.getpid()}.{threading.get_ident()}.{_written}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(tmp, flags, 0o666)
        try:
            with os.fdopen(fd, "wb", closefd=False) as f:
                f.write(_header(kind, body) + body)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except (OSError, ValueError):  # a read-only or full folder, a folder in the entry's place
        try:
            os.unlink(tmp)
        except OSError:
            pass


# --------------------------------------------------------------------------- keys
def code_fingerprint() -> str:
    """gxlint's version and the size and mtime of each of its modules (once per process)."""
    global _CODE
    if _CODE is None:
        from hashlib import sha256

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


def file_digest(path: str) -> str | None:
    """The content hash of a regular file of report size, else None (not cached).  A FIFO, a
    device such as /dev/zero or a directory is never opened here: the reader refuses it (E013)."""
    # (hashlib loads OpenSSL's binding, about 3 ms: imported when the cache is used only.  BLAKE2b
    # is 2.8x as fast as SHA-256 here, 500 against 180 MB/s: a cached run over 1,000 reports spent
    # a third of its CPU time hashing them with SHA-256.)
    from hashlib import blake2b

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


# --------------------------------------------------------------------------- results as JSON
def _finding(f) -> list:
    return [f.rule, f.category, f.severity, f.message, f.line, f.column, f.end_line, f.end_column, f.excerpt,
            f.location, None if f.fix is None else [f.fix.replacement, f.fix.description], f.display_column,
            f.display_end_column, f.page, f.masked, f.extra]


class _Bad(Exception):
    """An entry whose content is not what gxlint writes: a miss."""


def _of(value, t):
    """``value`` when it is exactly of type ``t`` (a bool is no int here), else _Bad."""
    if type(value) is not t:
        raise _Bad
    return value


def _json_scalars(d) -> dict:
    if type(d) is not dict or not all(type(v) in (str, int, float, bool) or v is None for v in d.values()):
        raise _Bad
    return d


def _decode_finding(x):
    from .findings import SEVERITIES, Finding, Fix

    if type(x) is not list or len(x) != 16:
        raise _Bad
    fix = x[10]
    if fix is not None:
        if type(fix) is not list or len(fix) != 2:
            raise _Bad
        fix = Fix(_of(fix[0], str), _of(fix[1], str))
    if x[2] not in SEVERITIES:
        raise _Bad
    s, i = str, int
    return Finding(_of(x[0], s), _of(x[1], s), x[2], _of(x[3], s), _of(x[4], i), _of(x[5], i), _of(x[6], i),
                   _of(x[7], i), _of(x[8], s), _of(x[9], s), fix, _of(x[11], i), _of(x[12], i), _of(x[13], i),
                   _of(x[14], bool), _json_scalars(x[15]))


def _audit(entries) -> list | None:
    if entries is None:
        return None
    return [[e.rule, e.name, e.status, e.reason, e.findings, e.title] for e in entries]


def _decode_audit(x) -> list | None:
    if x is None:
        return None
    from .audit import AuditEntry

    out = []
    for e in _of(x, list):
        if type(e) is not list or len(e) != 6:
            raise _Bad
        s = str
        out.append(AuditEntry(_of(e[0], s), _of(e[1], s), _of(e[2], s), _of(e[3], s), _of(e[4], int), _of(e[5], s)))
    return out


def encode_screen(screen) -> dict | None:
    """The JSON value of a result's screen ({rule: (title, runs of CRC-32s)}; None stays None)."""
    if screen is None:
        return None
    return {rule: [title, [list(runs) for runs in paragraphs]] for rule, (title, paragraphs) in screen.items()}


def decode_screen(screen):
    """The screen of the JSON value ``screen`` (what :func:`encode_screen` writes); _Bad else."""
    from array import array

    if screen is None:
        return None
    out = {}
    for rule, value in _of(screen, dict).items():
        if type(value) is not list or len(value) != 2 or not (value[0] is None or type(value[0]) is str):
            raise _Bad
        runs = _of(value[1], list)
        if not all(type(r) is list and all(type(h) is int for h in r) for r in runs):
            raise _Bad
        out[rule] = (value[0], [array("I", r) for r in runs])  # (OverflowError: not a CRC-32)
    return out


def encode_result(r) -> dict:
    """The JSON value of a FileResult without an error (what :func:`decode_result` reads)."""
    return {"findings": [_finding(f) for f in r.findings], "audit": _audit(r.audit), "screen": encode_screen(r.screen),
            "identity": None if r.identity is None else list(r.identity)}


def decode_result(x):
    """The FileResult (its path to be set) of the JSON value ``x``, or None when ``x`` is not what
    :func:`encode_result` writes."""
    from .engine import FileResult

    try:
        if type(x) is not dict or set(x) != {"findings", "audit", "screen", "identity"}:
            raise _Bad
        findings = [_decode_finding(f) for f in _of(x["findings"], list)]
        screen = decode_screen(x["screen"])
        identity = x["identity"]
        if identity is not None:
            if type(identity) is not list or len(identity) != 2 or not (identity[1] is None or type(identity[1]) is int):
                raise _Bad
            identity = (_of(identity[0], str), identity[1])
        return FileResult("", findings=findings, audit=_decode_audit(x["audit"]), screen=screen, identity=identity)
    except (_Bad, OverflowError, TypeError, ValueError):
        return None


def encode_changes(changes: dict) -> list:
    """The JSON value of what comparing a batch changed, {index: (findings, audit)}."""
    return [[i, [_finding(f) for f in findings], _audit(audit)] for i, (findings, audit) in changes.items()]


def decode_changes(x) -> dict | None:
    """{index: (findings, audit)} of the JSON value ``x``, or None when it is not what
    :func:`encode_changes` writes."""
    try:
        out = {}
        for item in _of(x, list):
            if type(item) is not list or len(item) != 3 or type(item[0]) is not int:
                raise _Bad
            out[item[0]] = ([_decode_finding(f) for f in _of(item[1], list)], _decode_audit(item[2]))
        return out
    except (_Bad, TypeError, ValueError):
        return None


# --------------------------------------------------------------------------- the result cache
class ResultCache:
    """Cached FileResults in ``folder`` (default: the user cache folder's ``results/``)."""

    def __init__(self, folder: str | None = None):
        self.folder = folder or os.path.join(default_dir(), "results")
        self._packs: dict = {}  # id(rule list) -> digest of those rules

    def _pack(self, linter, rules) -> str:
        from hashlib import sha256

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
        from hashlib import sha256

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
        return os.path.join(self.folder, key[:2], key + ".json")

    def get(self, key: str):
        """The FileResult cached under ``key``, or None (a miss)."""
        result = decode_result(read_entry(self._file(key), "result"))
        if result is not None:
            result.cache_key = key  # (what a batch's comparisons are cached by)
        return result

    def put(self, key: str, result) -> None:
        if result.error is not None:  # input errors are quick to find again, and their messages name the file
            return
        result.cache_key = key
        write_entry(self._file(key), "result", encode_result(result))


def batch_step(results, cache: ResultCache | None, name: str, step) -> None:
    """Run ``step()``, which adds to the findings (and audit) of ``results`` what comparing them
    with each other finds (GX606, pairing with last year's report), unless the cache holds its
    outcome for exactly these files (same paths, same per-file keys)."""
    keys = [getattr(r, "cache_key", None) for r in results]
    if cache is None or any(k is None for k in keys):
        step()
        return
    from hashlib import sha256

    h = sha256(f"{name}\0{code_fingerprint()}".encode())
    for r, k in zip(results, keys):
        h.update(f"{r.path}\0{k}\0".encode("utf-8", "surrogateescape"))  # a name of any bytes
    key = h.hexdigest()
    hit = decode_changes(read_entry(cache._file(key), "batch"))
    if hit is not None and all(0 <= i < len(results) for i in hit):
        for i, (findings, audit) in hit.items():
            results[i].findings, results[i].audit = findings, audit
        return

    def state(r):
        return id(r.findings), len(r.findings), tuple((a.status, a.findings, a.reason) for a in r.audit or ())

    before = [state(r) for r in results]
    step()
    # only what changed is kept: comparing reports mostly finds nothing
    changed = {i: (r.findings, r.audit) for i, (r, b) in enumerate(zip(results, before)) if state(r) != b}
    write_entry(cache._file(key), "batch", encode_changes(changed))
