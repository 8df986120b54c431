"""``--format github``: GitHub Actions workflow commands (``::error file=…,line=…::message``).

Errors come first: GitHub shows at most 10 error and 10 warning annotations
per step, so the important ones must not be crowded out.  Escaping follows
``@actions/core``: ``%``, CR and LF in the message; those plus ``:`` and ``,``
in property values.  A file gxlint could not read is an ``::error`` on that
file with its E0xx code.  Columns count code points (1-based).
"""
from __future__ import annotations

from . import error_message, shown

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
ORDER = {"error": 0, "warning": 1, "info": 2}


def escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def _lines(r):
    """(order, line) for each annotation of one file's result."""
    if r.error is not None:
        props = f"file={escape_property(shown(r.path))},title={escape_property(r.error.code)}"
        yield 0, f"::error {props}::{escape_data(r.error.code + ' ' + error_message(r))}"
        return
    for f in r.findings:
        props = [f"file={escape_property(shown(r.path))}", f"line={f.line}", f"col={f.shown_column}"]
        if f.end_line == f.line and f.shown_end_column > f.shown_column:
            props.append(f"endColumn={f.shown_end_column}")
        elif f.end_line > f.line:
            props.append(f"endLine={f.end_line}")
        props.append(f"title={escape_property(f.rule)}")
        text = f"{f.message}（{f.location}）" if f.location else f.message
        yield ORDER[f.severity], f"::{COMMANDS[f.severity]} {','.join(props)}::{escape_data(text)}"


def write(results, out, rules=()) -> None:
    """One pass over ``results`` per severity (a batch's results are read back from disk, never
    held whole); path order kept within a severity."""
    for order in sorted(set(ORDER.values())):
        for r in results:
            for o, line in _lines(r):
                if o == order:
                    out.write(line + "\n")
