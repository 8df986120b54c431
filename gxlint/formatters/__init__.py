"""Formatters: print FileResults.  Each takes the results and a writable stream."""
from __future__ import annotations

FORMATS = ("text", "json")


def get(name: str):
    if name == "json":
        from .json import write
    else:
        from .text import write
    return write


def error_message(result) -> str:
    """The input error's message without a leading 'path: ' (the formatters print the path)."""
    msg = result.error.message
    prefix = f"{result.path}: "
    return msg[len(prefix):] if msg.startswith(prefix) else msg
