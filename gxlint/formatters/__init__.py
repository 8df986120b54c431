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
    """The input error's message without a leading 'path: ' (the formatters print the path)."""
    msg = result.error.message
    prefix = f"{result.path}: "
    return msg[len(prefix):] if msg.startswith(prefix) else msg
