"""``--format json``: one JSON document, version 2 (other tools depend on this shape).

``line``/``column`` are 1-based; ``column``/``end_column`` are screen columns, the number every
output format prints (a CJK character counts 2, a tab moves to the next multiple of 8);
``character``/``end_character`` count code points, for programs that slice the line (a fix
replaces the code points [character, end_character)).  Version 2: version 1's ``column`` counted
code points.  ``error`` is
``{"code": "E0xx", "message": "…"}`` when a file could not be read.
"""
from __future__ import annotations

import json

from . import error_message, shown


def file_entry(r) -> dict:
    return {
        "path": shown(r.path),
        "error": {"code": r.error.code, "message": error_message(r)} if r.error else None,
        "findings": [f.as_dict() for f in r.findings] if r.error is None else [],
        **({"audit": [a.as_dict() for a in r.audit]} if r.audit is not None else {}),
    }


def write(results, out, rules=()) -> None:
    """The document ``{"version": 2, "files": [...]}``, written file by file (the same text as
    ``json.dump(doc, indent=1)``): a batch of any size is never held whole."""
    out.write('{\n "version": 2,\n "files": [')
    sep = "\n"
    for r in results:
        text = json.dumps(file_entry(r), ensure_ascii=False, indent=1)
        out.write(sep + "  " + text.replace("\n", "\n  "))
        sep = ",\n"
    out.write("\n ]\n}\n" if sep != "\n" else "]\n}\n")
