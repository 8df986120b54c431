"""Formatters: print FileResults.  Each takes the results and a writable stream."""
from __future__ import annotations

FORMATS = ("text", "json", "sarif", "github", "html", "csv")
# --report FILE: the format by the file's suffix
REPORT_SUFFIXES = {".html": "html", ".htm": "html", ".csv": "csv", ".json": "json", ".sarif": "sarif"}


def get(name: str):
    """The writer of a format: ``write(results, out, rules=())`` (rules: the pack, for SARIF)."""
    from importlib import import_module

    return import_module(f"{__name__}.{name}").write


def error_message(result) -> str:
    """The input error's message without a leading 'path: ' (the formatters print the path)."""
    msg = result.error.message
    prefix = f"{result.path}: "
    return msg[len(prefix):] if msg.startswith(prefix) else msg
