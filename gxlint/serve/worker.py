"""The work of one request, in a process of the server's pool (gxlint.serve.jobs): lint its files
with :func:`gxlint.run.lint_paths` (the command's engine, options and config), report each
result as it comes on the pool's queue, and build what the page and the downloads need.

Nothing here keeps anything: the request's files are in its private folder, which the server
removes as soon as this returns; Python's temporary files of the run (a batch's spool, fetched
reports) are made in that folder too (``tempfile.tempdir``, one job at a time per process).
"""
from __future__ import annotations

import os
import tempfile

_QUEUE = None  # the pool's queue of progress events: (job id, position, the report's view or None)
_CONFIG = None  # the server's config file (always a file: never looked up from the uploads' folder)
_LINTER = None  # a linter of the server's config: the formats and rule titles the views show


def init(queue, config_path: str) -> None:
    """Each pool process starts here (ProcessPoolExecutor's initializer).  Ctrl+C in the terminal
    reaches every process of the group: the server stops its workers itself, after the requests."""
    import signal

    global _QUEUE, _CONFIG
    _QUEUE, _CONFIG = queue, config_path
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _linter():
    global _LINTER
    if _LINTER is None:
        from ..config import load_config
        from ..engine import Linter

        _LINTER = Linter(load_config(_CONFIG))
    return _LINTER


def warm() -> int:
    """Load the rule pack once, before the first request needs it."""
    _linter()
    return os.getpid()


def run(job_id: str | None, spec: dict) -> dict:
    """Lint the files of ``spec`` (gxlint.serve.jobs.Job.spec); what comes back:

    * ``json``: what ``gxlint --format json`` prints for them (paths as the user named them);
    * ``exit``: the command's exit status for them;
    * with ``spec["page"]``: ``results`` (the FileResults, for the downloads made on demand),
      ``views`` (gxlint.serve.view.report_view each) and ``files`` ({index: {"annotated": bytes,
      "fixed": bytes}} for .docx reports with findings).
    Progress goes to the pool's queue as each file is done (with its view, for the page)."""
    folder = spec["folder"]
    tempfile.tempdir = folder  # a batch's spool and fetched reports: in the request's own folder
    try:
        return _run(job_id, spec)
    finally:
        tempfile.tempdir = None


def _run(job_id, spec: dict) -> dict:
    import io

    from ..engine import FileResult
    from ..errors import GxlintError
    from ..formatters import json as json_format
    from ..options import Options
    from ..run import lint_paths
    from ..run.output import Totals, exit_status

    page = spec["page"]
    items = spec["items"]  # (name, local path or None, address or None, (code, message) or None)
    names = {path or url: name for name, path, url, _ in items if (path or url)}
    if spec.get("previous"):
        names[spec["previous"][1]] = spec["previous"][0]
    todo = [(pos, path or url) for pos, (_, path, url, err) in enumerate(items) if err is None]
    options = Options(config=_CONFIG, no_cache=True, jobs=1, audit=spec.get("audit", False) or page,
                      select=tuple(spec.get("select", ())), ignore=tuple(spec.get("ignore", ())),
                      previous=spec["previous"][1] if spec.get("previous") else None)
    renamed = _renamer(names, spec["folder"])
    texts: dict[int, object] = {}
    infos: dict[int, dict] = {}
    linter = _linter() if page else None
    sections = {s.number: s.title for s in linter.format.sections} if page else {}

    def on_result(i: int, r) -> None:
        pos = todo[i][0]
        view = None
        if page:
            texts[i], infos[i] = _read(r, linter)
            view = _view(pos, items[pos][0], r, texts[i], infos[i], sections, renamed)
        if _QUEUE is not None and job_id is not None:
            _QUEUE.put((job_id, pos, view))

    results_of: dict[int, object] = {}
    if todo:
        for i, r in enumerate(lint_paths(options, [p for _, p in todo], on_result)):
            results_of[todo[i][0]] = r
    results = []
    for pos, (name, path, url, err) in enumerate(items):
        if err is not None:
            r = FileResult(name, error=GxlintError(*err))
            if _QUEUE is not None and job_id is not None:
                _QUEUE.put((job_id, pos, _view(pos, name, r, None, {}, sections, renamed) if page else None))
        else:
            r = results_of[pos]
            r.path = name
            _rename(r, renamed)
        results.append(r)
    out = io.StringIO()
    json_format.write(results, out)
    done = {"json": out.getvalue(), "exit": exit_status(Totals(results, None), "error")}
    if not page:
        return done
    index_of = {pos: i for i, (pos, _) in enumerate(todo)}
    views = [_view(pos, r.path, r, texts.get(index_of.get(pos)), infos.get(index_of.get(pos), {}), sections,
                   lambda s: s) for pos, r in enumerate(results)]
    files = {}
    for pos, (r, (_, path, _, _)) in enumerate(zip(results, items)):
        made = _copies(r, path) if path else {}
        if made:
            files[pos] = made
            views[pos]["downloads"].update({k: True for k in made})
    done.update(results=results, views=views, files=files,
                titles={rule.id: rule.title for rule in linter.all_rules})
    return done


def _read(r, linter) -> tuple:
    """(Texts, title/issuer/year) of the report of result ``r`` (read again: the page shows its
    sentences; nothing when it could not be read)."""
    from ..readers import read
    from ..report import build_report
    from .view import Texts, report_info

    if r.error is not None:
        return None, {}
    try:
        doc = read(r.path, encoding=linter.config.encoding, formats=linter.formats)
        return Texts(doc), report_info(build_report(doc, linter.formats))
    except Exception:  # noqa: BLE001 - the findings are shown, without their sentences
        return None, {}


def _view(pos, name, r, texts, info, sections, renamed) -> dict:
    from .view import report_view

    return report_view(pos, name, r, texts, info, sections, renamed)


def _renamer(names: dict[str, str], folder: str):
    """A message with the server's names of the request's files replaced by the names shown."""
    ordered = sorted(names.items(), key=lambda kv: -len(kv[0]))
    prefix = folder.rstrip(os.sep) + os.sep

    def renamed(text: str) -> str:
        if prefix not in text:
            return text
        for local, name in ordered:
            text = text.replace(local, name)
        return text.replace(prefix, "")

    return renamed


def _rename(r, renamed) -> None:
    """The result's messages with the names shown (its path is set by the caller)."""
    if r.error is not None:
        r.error = type(r.error)(r.error.code, renamed(r.error.message))
    for f in r.findings:
        f.message = renamed(f.message)


def _copies(r, path: str) -> dict:
    """The annotated copy (Word comments) and the fixed copy (tracked changes) of a .docx report
    with findings, as bytes; {} for another report or one without findings."""
    if r.error is not None or not r.findings or not path.lower().endswith(".docx"):
        return {}
    from ..writers.docx_annotate import annotate_docx
    from ..writers.docx_fix import fix_docx

    made = {}
    base = os.path.splitext(path)[0]
    for key, write, wanted in (("annotated", annotate_docx, r.findings),
                               ("fixed", fix_docx, [f for f in r.findings if f.fix is not None])):
        if not wanted:
            continue
        dst = f"{base}.{key}.docx"
        try:
            if write(path, wanted, dst):  # how many comments or changes it wrote
                with open(dst, "rb") as f:
                    made[key] = f.read()
        except Exception:  # noqa: BLE001 - the findings are shown; this copy is not offered
            continue
        finally:
            if os.path.exists(dst):
                os.remove(dst)
    return made
