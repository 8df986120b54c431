"""Regular expressions compiled once per process, when first used.

The rules, the kinds and the report builder give their patterns as strings and call
``compiled(pattern)`` where they search: a pattern is compiled (``re.compile``) the first time
it is needed, so that a pattern no report of the run needs is never compiled.  Compiling is the
costliest part of a cold ``gxlint one.docx`` after the interpreter's start (a character range such
as ``[\\u4e00-\\u9fa5]`` costs ``re`` a Python loop over its 20,000 characters), so a module
compiles at import only what every report needs, and a rule's pattern is compiled only when the
literal prefilter of ``gxlint.kinds._scan`` cannot rule a match out (see docs/speed.md).
"""
from __future__ import annotations

import re

_COMPILED: dict[str, re.Pattern] = {}


def compiled(pattern: str) -> re.Pattern:
    """``re.compile(pattern)``, once per process."""
    rx = _COMPILED.get(pattern)
    if rx is None:
        rx = _COMPILED[pattern] = re.compile(pattern)
    return rx
