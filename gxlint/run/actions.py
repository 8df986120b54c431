"""What a run does with its results besides printing them: ``--fix`` (text reports in place, a
.docx as a copy with tracked changes), ``--diff`` (what --fix would change) and ``--annotate``
(the findings as Word comments in a copy).  A refusal raises GxlintError (E0xx)."""
from __future__ import annotations

import os

from .output import echo

TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")


def fixable(result) -> bool:
    return result.error is None and any(f.fix is not None for f in result.findings)


def is_docx(path: str) -> bool:
    return path.lower().endswith(".docx")


def show_diffs(results, encoding) -> None:
    """--diff: print what --fix would change in text reports."""
    from ..writers.text_fix import fix_text, unified_diff

    for r in results:
        if not fixable(r):
            continue
        if not r.path.lower().endswith(TEXT_SUFFIXES):
            echo(f"{r.path}: 提示：--diff 只适用于 .txt/.md；.docx 请用 --fix -o 输出带修订的副本", err=True)
            continue
        data, n = fix_text(r.path, r.findings, encoding)
        text = unified_diff(r.path, data, encoding, r.findings)
        if text:
            echo(text, nl=False)


def annotate(result, out: str) -> None:
    """--annotate OUT.docx: the findings of one .docx report as comments in a copy."""
    from ..writers.docx_annotate import annotate_docx

    if result.error is not None:
        raise result.error
    n = annotate_docx(result.path, result.findings, out)
    echo(f"已写入 {out}：{n} 条批注（作者「gxlint」）", err=True)


def annotate_all(results, names: dict[str, str], folder: str, reads) -> None:
    """--annotate DIR: every .docx report with findings, annotated, at its relative path under
    ``folder``; none written when one would replace a file the run reads (``reads``: a
    gxlint.run.output.ReadFiles) or another's copy."""
    from ..errors import E_USAGE, GxlintError
    from ..writers.docx_annotate import annotate_docx

    todo = [(r, os.path.join(folder, names[r.path])) for r in results
            if r.error is None and r.findings and is_docx(r.path)]
    seen: dict[str, str] = {}
    for r, dst in todo:  # check everything before writing anything
        key = os.path.normcase(os.path.abspath(dst))
        if key in seen:
            raise GxlintError(E_USAGE, f"{seen[key]} 和 {r.path} 的批注副本都会写到 {dst}，请分开检查")
        seen[key] = r.path
        if reads.holds(dst):
            raise GxlintError(E_USAGE, f"{dst}: 批注副本不能覆盖报告本身或本次检查要读取的其他文件，请为 --annotate 指定另一个目录")
    total = 0
    for r, dst in todo:
        os.makedirs(os.path.dirname(dst) or ".", exist_ok=True)
        total += annotate_docx(r.path, r.findings, dst)
    clean = sum(1 for r in results if r.error is None and not r.findings and is_docx(r.path))
    other = sum(1 for r in results if r.error is None and r.findings and not is_docx(r.path))
    note = f"；{clean} 份 .docx 没有问题，未写入" if clean else ""
    note += f"；{other} 份非 .docx 报告不能写入批注" if other else ""
    echo(f"已在 {folder} 写入 {len(todo)} 份报告的批注副本，共 {total} 条批注（作者「gxlint」）{note}", err=True)


def fix(results, output, encoding, relint, keys):
    """--fix: write the fixes (in place for text, to ``output`` for any), then lint what was written
    (``relint([(path, linter key)])``); the results of the files as they are now."""
    from ..writers import write_atomic
    from ..writers.docx_fix import fix_docx
    from ..writers.text_fix import fix_text

    written = []
    for r in results:
        if not fixable(r):
            continue
        if is_docx(r.path):
            if not output:
                echo(f"{r.path}: 提示：.docx 不在原地修改，请用 --fix -o 修改后.docx 输出带修订的副本", err=True)
                continue
            n = fix_docx(r.path, r.findings, output)
        elif r.path.lower().endswith(TEXT_SUFFIXES):
            data, n = fix_text(r.path, r.findings, encoding)
            if n:
                write_atomic(output or r.path, data)
        else:
            echo(f"{r.path}: 提示：此类文件不能自动修复", err=True)
            continue
        echo(f"{output or r.path}：已修复 {n} 处" + ("（修订模式，可在 Word 中接受或拒绝）" if is_docx(r.path) else ""),
             err=True)
        written.append((r.path, output or r.path))
    if output and not written and results[0].error is None:  # nothing to fix: the copy is still made, as asked
        with open(results[0].path, "rb") as f:
            write_atomic(output, f)
        written.append((results[0].path, output))
    if not written:
        return results
    again = {new: res for (_, new), res in zip(written, relint([(new, keys[old]) for old, new in written]))}
    if output:
        return [again[output]]
    return [again.get(r.path, r) for r in results]
