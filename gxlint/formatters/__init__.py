"""Formatters: print FileResults.  Each takes the results and a writable stream."""
from __future__ import annotations

FORMATS = ("text", "json", "sarif", "github", "html", "csv")
# --report FILE: the format by the file's suffix
REPORT_SUFFIXES = {".html": "html", ".htm": "html", ".csv": "csv", ".json": "json", ".sarif": "sarif"}
# what a reader of the summaries (a person, in Chinese) sees for a category and a severity
CATEGORY_LABELS = {
    "structure": "结构", "period": "报告期", "docref": "文号引用", "plausibility": "数值合理性",
    "arithmetic": "表格计算", "consistency": "前后一致", "wording": "用语", "deadline": "时限", "privacy": "隐私",
}
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


def get(name: str):
    """The writer of a format: ``write(results, out, rules=())`` (rules: the pack, for SARIF)."""
    from importlib import import_module

    return import_module(f"{__name__}.{name}").write


def error_message(result) -> str:
    """The input error's message without a leading 'path: ' (the formatters print the path),
    safe to print (:func:`shown`)."""
    msg = result.error.message
    prefix = f"{result.path}: "
    return shown(msg[len(prefix):] if msg.startswith(prefix) else msg)


def shown(s: str) -> str:
    """`s` safe to print on one line in any output format: the bytes of a file name that is
    not valid UTF-8 (kept by Python as lone surrogates, which no encoder accepts) as
    ``\\xff``, line breaks and other control characters as ``\\n``, ``\\x1b``..."""
    if s.isprintable():
        return s
    out = []
    for ch in s:
        o = ord(ch)
        if 0xDC80 <= o <= 0xDCFF:  # os.fsdecode's surrogateescape of byte o - 0xDC00
            out.append(f"\\x{o - 0xDC00:02x}")
        elif 0xD800 <= o <= 0xDFFF:
            out.append(f"\\u{o:04x}")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif o < 0x20 or 0x7F <= o < 0xA0 or o in (0x2028, 0x2029):
            out.append(f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}")
        else:
            out.append(ch)
    return "".join(out)
