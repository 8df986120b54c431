"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

* Every rule of the pack is listed in ``tool.driver.rules`` with its summary,
  message template and full documentation as ``help`` (text and Markdown).
* ``columnKind`` is ``unicodeCodePoints``: columns count code points, 1-based.  This is the one
  format whose columns are not screen columns (every other output prints those): SARIF allows
  only code points or UTF-16 code units, and its viewers place the region by them.
* ``shortDescription`` is the rule's Chinese name (``doc.title``), ``fullDescription`` its
  Chinese description; ``help`` the whole page.
* ``partialFingerprints["gxlintFinding/v1"]`` is computed from the rule, the
  file, the human location label (「第三部分 表格三 第17行…」) and the offending
  text, plus an occurrence counter for identical keys -- never from the line
  number -- so an alert survives edits above it.
* A file gxlint could not read becomes a ``toolExecutionNotification`` of the
  run's invocation (with the E0xx code), not a result.
"""
from __future__ import annotations

import hashlib
import json

from . import error_message

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    import os
    from urllib.parse import quote

    # percent-encoded from the name's bytes, so a name that is not valid UTF-8 keeps them (%FF)
    return quote(os.fsencode(os.path.normpath(path).replace("\\", "/")), safe="/:._-~")


def fingerprint(path: str, f, occurrence: int) -> str:
    key = "\0".join((f.rule, path.replace("\\", "/"), f.location, f.excerpt, str(occurrence)))
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _rule(rule) -> dict:
    from ..docs import explain, markdown

    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.description or rule.message},
        "help": {"text": explain(rule), "markdown": markdown(rule)},
        "defaultConfiguration": {"level": LEVELS[rule.default_severity]},
        "properties": {"category": rule.category, "tags": [rule.category]},
    }


def _result(r, f, index: dict, occurrence: int) -> dict:
    text = f"{f.message}（{f.location}）" if f.location else f.message
    res = {
        "ruleId": f.rule,
        "level": LEVELS[f.severity],
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": _uri(r.path)},
                "region": {
                    "startLine": f.line,
                    "startColumn": f.column,
                    "endLine": max(f.end_line, f.line),
                    "endColumn": max(f.end_column, f.column + (f.end_line == f.line)),
                    "snippet": {"text": f.excerpt},
                },
            },
            **({"logicalLocations": [{"name": f.location, "kind": "member"}]} if f.location else {}),
        }],
        "partialFingerprints": {"gxlintFinding/v1": fingerprint(r.path, f, occurrence)},
        "properties": {"category": f.category},
    }
    if f.rule in index:
        res["ruleIndex"] = index[f.rule]
    if f.fix is not None:
        res["fixes"] = [{
            "description": {"text": f.fix.description or f"改为「{f.fix.replacement}」"},
            "artifactChanges": [{
                "artifactLocation": {"uri": _uri(r.path)},
                "replacements": [{
                    "deletedRegion": {"startLine": f.line, "startColumn": f.column,
                                      "endLine": f.end_line, "endColumn": f.end_column},
                    "insertedContent": {"text": f.fix.replacement},
                }],
            }],
        }]
    return res


_SLOT = "\x00results\x00"


def write(results, out, rules=()) -> None:
    """The SARIF log, its results written file by file (the same text as ``json.dump(log,
    indent=1)``): a batch of any size is never held whole; only the unreadable files' notices are."""
    from .. import __version__

    rules = sorted(rules, key=lambda r: r.id)
    index = {r.id: i for i, r in enumerate(rules)}
    notifications: list = []
    run = {
        "tool": {"driver": {
            "name": "gxlint",
            "version": __version__,
            "informationUri": "https://pypi.org/project/gxlint/",
            "rules": [_rule(x) for x in rules],
        }},
        "columnKind": "unicodeCodePoints",
        "results": [_SLOT],
        "invocations": [{
            "executionSuccessful": True,
            "toolExecutionNotifications": notifications,
        }],
    }

    def skeleton() -> tuple[str, str]:
        text = json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, ensure_ascii=False, indent=1)
        slot = json.dumps(_SLOT)
        i = text.index(slot)
        return text[:i], text[i + len(slot):]

    head, _ = skeleton()
    out.write(head.rstrip(" \n"))
    indent = head[len(head.rstrip(" ")):]  # the results' depth
    sep = "\n" + indent
    for r in results:
        if r.error is not None:
            notifications.append({
                "level": "error",
                "descriptor": {"id": r.error.code},
                "message": {"text": f"{r.error.code} {error_message(r)}"},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(r.path)}}}],
            })
            continue
        seen: dict[tuple, int] = {}
        for f in r.findings:
            key = (f.rule, f.location, f.excerpt)
            seen[key] = seen.get(key, 0) + 1
            text = json.dumps(_result(r, f, index, seen[key]), ensure_ascii=False, indent=1)
            out.write(sep + text.replace("\n", "\n" + indent))
            sep = ",\n" + indent
    run["invocations"][0]["executionSuccessful"] = not notifications
    _, tail = skeleton()
    out.write(tail if sep.startswith(",") else tail.lstrip(" \n"))
    out.write("\n")
