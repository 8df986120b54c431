"""Regular expressions compiled once per process, from the code an earlier process stored.

Compiling the rule pack's expressions (parsing them and generating the regex engine's code, a
Python loop over every character of a range such as ``[\\u4e00-\\u9fa5]``) was a fifth of a cold
``gxlint one.docx``; so the code ``re`` generates for each is kept in the user cache folder
(``regex-….pickle``, beside the rule pack's, for this Python build and this gxlint only) and a
later process builds its patterns from that code (``_sre.compile``, as ``re`` itself does),
checked equal to what ``re.compile`` gives when it was stored.  Anything unexpected there falls
back to ``re.compile``.  What else is derived from a pattern alone and costly to derive (the
literal prefilter of gxlint.kinds._scan) is stored beside its code (``remembered``).

Used by the rules, the kinds, the report builder and the .docx reader's lean path: each pattern
is given as a string and compiled on first use.  ``save()`` writes what was new (the engine
calls it after a report's rules ran).
"""
from __future__ import annotations

import os
import pickle
import re
import sys

import _sre

try:  # Python 3.11+
    from re import _compiler as _sre_compile
    from re import _parser as _p
except ImportError:  # Python 3.10
    import sre_compile as _sre_compile  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

_COMPILED: dict[str, re.Pattern] = {}
# what was stored: "code", pattern -> what _sre.compile takes besides it; other tables of
# ``remembered`` (e.g. "literals", pattern -> clauses)
_store: dict | None = None
_unsaved = False
_TABLES = ("code", "literals")


def compiled(pattern: str) -> re.Pattern:
    """`pattern` compiled, once per process, from the stored code when there is some."""
    rx = _COMPILED.get(pattern)
    if rx is None:
        rx = _COMPILED[pattern] = _build(pattern)
    return rx


def remembered(table: str, pattern: str, derive):
    """``derive(pattern)``, stored in ``table`` (one of _TABLES) for the next process."""
    global _unsaved
    store = _stored()[table]
    got = store.get(pattern)
    if got is None:
        got = store[pattern] = derive(pattern)
        _unsaved = True
    return got


def _codes_file() -> str:
    from . import __version__
    from .cache import default_dir  # (light: os, pickle and the interpreter's own SHA-256)

    # a development checkout that changes the store or the prefilter's analysis does not read old entries
    stats = [os.stat(f) for f in (__file__, os.path.join(os.path.dirname(__file__), "kinds", "_scan.py"))
             if os.path.exists(f)]
    files = "".join(f"{st.st_size}{st.st_mtime_ns}" for st in stats)
    build = f"{sys.implementation.cache_tag}-{_sre.MAGIC}-{_sre.CODESIZE}-{_crc(f'{sys.version}{__version__}{files}')}"
    return os.path.join(default_dir(), f"regex-{build}.pickle")


def _crc(text: str) -> str:
    import zlib

    return format(zlib.crc32(text.encode()), "08x")


def _stored() -> dict:
    global _store
    if _store is None:
        try:
            with open(_codes_file(), "rb") as f:
                _store = pickle.load(f)
            if not (isinstance(_store, dict) and all(isinstance(_store.get(t), dict) for t in _TABLES)):
                raise ValueError
        except Exception:  # noqa: BLE001 - no or a bad store: patterns are compiled as usual
            _store = {t: {} for t in _TABLES}
    return _store


def _build(pattern: str) -> re.Pattern:
    global _unsaved
    codes = _stored()["code"]
    entry = codes.get(pattern)
    if entry is not None:
        try:
            return _sre.compile(pattern, *entry)
        except Exception:  # noqa: BLE001 - a stale or damaged entry
            codes.pop(pattern, None)
    rx = re.compile(pattern)
    entry = _code_of(pattern, rx)
    if entry is not None:
        codes[pattern] = entry
        _unsaved = True
    return rx


def _code_of(pattern: str, rx: re.Pattern) -> tuple | None:
    """The arguments of ``_sre.compile`` that build `rx` (as ``re``'s compiler does), or None when
    what they build is not equal to `rx` (a compiler that works otherwise: nothing is stored)."""
    try:
        tree = _p.parse(pattern, 0)
        code = [int(x) for x in _sre_compile._code(tree, 0)]  # (named opcodes do not pickle)
        groupindex = dict(tree.state.groupdict)
        indexgroup = [None] * tree.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        entry = (tree.state.flags, code, tree.state.groups - 1, groupindex, tuple(indexgroup))
        if _sre.compile(pattern, *entry) == rx and rx.groupindex == groupindex:
            return entry
    except Exception:  # noqa: BLE001 - a compiler of another shape: patterns are compiled as usual
        pass
    return None


def save() -> None:
    """Store the code and literals of the patterns met since the store was read (no-op when none was)."""
    global _unsaved
    if not _unsaved or _store is None:
        return
    _unsaved = False
    import threading

    data = {t: dict(_store[t]) for t in _TABLES}  # (the editor lints in threads)
    path = _codes_file()
    tmp = f"{path}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "wb") as f:
            pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except Exception:  # noqa: BLE001 - a store that cannot be written is only a slower next start
        try:
            os.remove(tmp)
        except OSError:
            pass
