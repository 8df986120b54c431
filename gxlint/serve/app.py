"""The web application (Starlette): the page, its assets, the JSON API and the page's jobs.

Endpoints (docs/serve.md):

* ``GET /``, ``GET /static/app.js``, ``GET /static/app.css``: the page (Chinese), served by gxlint;
* ``GET /api/limits``: what the server accepts (the page checks before uploading);
* ``GET /api/rules/GXnnn``: a rule's explanation (``gxlint rules --explain``);
* ``POST /api/lint``: files (``files``, ``previous``, ``urls``; ``select``, ``ignore``, ``audit``)
  in, what ``gxlint --format json`` prints for them out (header ``X-Gxlint-Exit``: its exit status);
* ``POST /api/jobs``: the same upload, answered at once with a job id; ``GET /api/jobs/ID?since=N``:
  its progress and the reports done; ``DELETE /api/jobs/ID``: its results dropped;
* ``GET /api/jobs/ID/reports/N/annotated.docx`` | ``fixed.docx`` | ``findings.csv``: one report's;
* ``GET /api/jobs/ID/findings.csv`` | ``summary.html`` | ``result.json`` | ``all.zip``: the job's.

Every answer carries a Content-Security-Policy that allows no inline script or style and no
framing, and ``X-Content-Type-Options: nosniff``; downloads are attachments.  Nothing of a
report's content or name is logged.
"""
from __future__ import annotations

import asyncio
import os
from importlib import resources
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import E_INTERNAL, E_KILLED, E_UPLOAD_BAD, E_USAGE, GxlintError
from .jobs import Busy, Jobs, Workers, killed_json
from .upload import Reader, UploadError, addresses, unzip

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
ASSETS = {"index.html": "text/html; charset=utf-8", "app.js": "text/javascript; charset=utf-8",
          "app.css": "text/css; charset=utf-8"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class Guard:
    """ASGI middleware: the security headers on every answer; on a server listening on the
    loopback, requests naming another host are refused (a page elsewhere cannot reach it by DNS
    rebinding)."""

    def __init__(self, app, loopback: bool):
        self.app, self.loopback = app, loopback

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if self.loopback:
            host = dict(scope.get("headers") or ()).get(b"host", b"").decode("latin-1")
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name not in LOOPBACK:
                return await _error(400, GxlintError(E_USAGE, "请用 http://127.0.0.1 或 http://localhost 打开此页面"))(
                    scope, receive, send)

        async def send_secured(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = CSP
                headers["X-Content-Type-Options"] = "nosniff"
                headers["X-Frame-Options"] = "DENY"
                headers["Referrer-Policy"] = "no-referrer"
                headers["Cross-Origin-Opener-Policy"] = "same-origin"
                headers["Cross-Origin-Resource-Policy"] = "same-origin"
                if scope["path"].startswith("/api/"):
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_secured)


def _error(status: int, e: GxlintError) -> JSONResponse:
    return JSONResponse({"error": {"code": e.code, "message": e.message}}, status_code=status)


def _attachment(data: bytes | str, media_type: str, name: str, fallback: str) -> Response:
    """A download named ``name`` (RFC 6266: the UTF-8 name, and an ASCII one for old clients)."""
    cd = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
    return Response(data, media_type=media_type, headers={"Content-Disposition": cd})


def _stem(name: str) -> str:
    """A shown name as the stem of a download's name: its last part, without its suffix, with
    no character Windows refuses in a file name."""
    import re

    base = name.rsplit("/", 1)[-1]
    base = base.rsplit(".", 1)[0] if "." in base else base
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", base).strip(" .") or "报告"


def create_app(limits, config_path: str | None = None, tmp: str | None = None, warm: bool = False) -> Starlette:
    """The application with ``limits`` (gxlint.serve.limits.Limits) and the config at
    ``config_path`` (None: the one found from the working directory, as the command finds it for
    a file there; none found: no config); ``tmp``: where the private folders of requests are made
    (default: the system's temporary folder); ``warm``: start the pool's processes at startup."""
    from contextlib import asynccontextmanager

    from ..config import find_config, load_config
    from ..engine import Linter

    jobs = Jobs(limits, tmp)
    if config_path is None:
        config_path = find_config(os.getcwd())
    if config_path is None:  # never looked up from a request's folder: an explicit, empty config
        config_path = os.path.join(jobs.base, "gxlint.yaml")
        with open(config_path, "w", encoding="utf-8"):
            pass
    config_path = os.path.abspath(config_path)
    linter = Linter(load_config(config_path))  # the rules' explanations (and a broken config fails here)
    rules = {r.id: r for r in linter.all_rules}
    workers = Workers(limits, config_path)
    assets = {name: resources.files(__package__).joinpath("static", name).read_bytes() for name in ASSETS}

    @asynccontextmanager
    async def lifespan(app):
        workers.listen(jobs.deliver)
        if warm:
            workers.warm()
        sweeper = asyncio.create_task(_sweep(jobs))
        try:
            yield
        finally:
            sweeper.cancel()
            await asyncio.get_running_loop().run_in_executor(None, workers.close)
            jobs.close()

    async def page(request: Request) -> Response:
        return Response(assets["index.html"], media_type=ASSETS["index.html"])

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ASSETS or name == "index.html":
            return _error(404, GxlintError(E_USAGE, "没有这个文件"))
        return Response(assets[name], media_type=ASSETS[name], headers={"Cache-Control": "no-cache"})

    async def favicon(request: Request) -> Response:
        return Response(status_code=204)

    async def api_limits(request: Request) -> Response:
        from ..readers import SUFFIXES

        return JSONResponse({"max_upload_mb": limits.max_upload_mb, "max_files": limits.max_files,
                             "allow_urls": limits.allow_urls, "suffixes": [*SUFFIXES, ".zip"],
                             "keep_minutes": limits.keep_minutes})

    async def api_rule(request: Request) -> Response:
        from ..docs import explain
        from ..formatters import CATEGORY_LABELS, SEVERITY_LABELS

        rule = rules.get(request.path_params["rule"].upper())
        if rule is None:
            return _error(404, GxlintError(E_USAGE, f"没有规则 {request.path_params['rule'][:20]}"))
        return JSONResponse({"id": rule.id, "title": rule.title, "category": CATEGORY_LABELS.get(rule.category, rule.category),
                             "severity": SEVERITY_LABELS.get(rule.severity, rule.severity), "explain": explain(rule)})

    async def receive(request: Request, folder: str):
        """The request's upload, read into ``folder`` within the limits (UploadError)."""
        from starlette.concurrency import run_in_threadpool

        reader = Reader(folder, limits, request.headers.get("content-type", ""))
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > limits.max_upload:
            raise reader.too_large()
        try:
            async for chunk in request.stream():
                reader.feed(chunk)
        finally:
            reader.close()
        upload = reader.finish()
        await run_in_threadpool(unzip, upload, reader)
        upload.items += addresses(upload.fields.get("urls", ""), limits, reader)
        if not upload.items:
            raise UploadError(400, E_UPLOAD_BAD, "没有收到报告：请选择报告文件或文件夹，或填写报告网址")
        return upload

    def spec_of(upload, folder: str, page: bool) -> dict:
        from ..config import normalize_selector
        from ..rule import CATEGORIES

        def selectors(key):
            found = [s.strip() for s in upload.fields.get(key, "").replace("，", ",").split(",") if s.strip()]
            for sel in map(normalize_selector, found):  # refused here as the command refuses it (E022)
                if sel != "ALL" and sel not in CATEGORIES and not any(r.startswith(sel) for r in rules):
                    raise UploadError(400, E_USAGE, f"未知的规则或类别「{sel[:40]}」（规则编号如 GX301，类别如 arithmetic 或「表格计算」）")
            return found

        return {"folder": folder, "page": page, "audit": bool(upload.fields.get("audit", "").strip()),
                "select": selectors("select"), "ignore": selectors("ignore"),
                "items": [(i.name, i.path, i.url, (i.error.code, i.error.message) if i.error else None)
                          for i in upload.items],
                "previous": (upload.previous.name, upload.previous.path) if upload.previous else None}

    async def start(request: Request, page: bool):
        """Read the upload and submit its work: (future, (job or None, names), None), or (None,
        None, an error response).  The request's folder is removed when the work ends (or at once,
        when it does not start)."""
        from starlette.requests import ClientDisconnect

        folder = jobs.folder()
        try:
            upload = await receive(request, folder)
            spec = spec_of(upload, folder, page)
            names = [i.name for i in upload.items]
            job = jobs.add(names) if page else None
            try:
                future = workers.submit(job.id if job else None, spec)
            except Busy:
                if job:
                    jobs.delete(job.id)
                raise
        except UploadError as e:
            jobs.remove(folder)
            return None, None, _error(e.status, e)
        except Busy as e:
            jobs.remove(folder)
            return None, None, _error(503, e)
        except ClientDisconnect:  # the browser went away mid-upload: nobody reads the answer
            jobs.remove(folder)
            return None, None, _error(400, GxlintError(E_UPLOAD_BAD, "上传中断"))
        except BaseException:
            jobs.remove(folder)
            raise
        future.add_done_callback(lambda f: jobs.remove(folder))
        return future, (job, names), None

    async def api_lint(request: Request) -> Response:
        from concurrent.futures.process import BrokenProcessPool

        future, made, error = await start(request, page=False)
        if error is not None:
            return error
        names = made[1]
        try:
            outcome = await asyncio.wrap_future(future)
        except BrokenProcessPool:
            text, _ = killed_json(names)
            return Response(text, media_type="application/json", headers={"X-Gxlint-Exit": "2"})
        except GxlintError as e:
            return _error(400, e)
        except Exception as e:  # noqa: BLE001 - a bug: one line, never a traceback to the client
            return _error(500, GxlintError(E_INTERNAL, f"内部错误（{type(e).__name__}），请报告给 gxlint 开发者"))
        return Response(outcome["json"], media_type="application/json", headers={"X-Gxlint-Exit": str(outcome["exit"])})

    async def api_job_create(request: Request) -> Response:
        future, made, error = await start(request, page=True)
        if error is not None:
            return error
        job, names = made
        future.add_done_callback(lambda f: _finished(job, f))
        return JSONResponse({"id": job.id, "total": len(names), "names": names}, status_code=202)

    def job_of(request: Request):
        job = jobs.get(request.path_params["job"])
        if job is None:
            return None, _error(404, GxlintError(E_USAGE, "检查结果已过期或已删除，请重新上传"))
        return job, None

    async def api_job(request: Request) -> Response:
        job, error = job_of(request)
        if error is not None:
            return error
        since = request.query_params.get("since", "0")
        return JSONResponse(job.status(int(since) if since.isdigit() else 0))

    async def api_job_delete(request: Request) -> Response:
        jobs.delete(request.path_params["job"])
        return Response(status_code=204)

    def ready(request: Request):
        job, error = job_of(request)
        if error is None and job.state != "done":
            error = _error(409, GxlintError(E_USAGE, "检查尚未完成"))
        return job, error

    async def download_report(request: Request) -> Response:
        job, error = ready(request)
        if error is not None:
            return error
        n, what = request.path_params["n"], request.path_params["what"]
        if not 0 <= n < len(job.results):
            return _error(404, GxlintError(E_USAGE, "没有这份报告"))
        r, stem = job.results[n], _stem(job.results[n].path)
        if what == "findings.csv":
            return _attachment(_csv([r]), "text/csv; charset=utf-8", f"{stem}-问题清单.csv", "gxlint-findings.csv")
        key = {"annotated.docx": "annotated", "fixed.docx": "fixed"}.get(what)
        data = job.files.get(n, {}).get(key) if key else None
        if data is None:
            return _error(404, GxlintError(E_USAGE, "这份报告没有可下载的批注版或修订版（只有含问题的 .docx 报告才有）"))
        label = "批注" if key == "annotated" else "修订"
        return _attachment(data, DOCX, f"{stem}（{label}）.docx", f"gxlint-{key}.docx")

    async def download_job(request: Request) -> Response:
        job, error = ready(request)
        if error is not None:
            return error
        what = request.path_params["what"]
        if what == "findings.csv":
            return _attachment(_csv(job.results), "text/csv; charset=utf-8", "gxlint-问题清单.csv", "gxlint-findings.csv")
        if what == "summary.html":
            return _attachment(_summary(job), "text/html; charset=utf-8", "gxlint-汇总.html", "gxlint-summary.html")
        if what == "result.json":
            return _attachment(job.json.encode("utf-8"), "application/json", "gxlint-结果.json", "gxlint-result.json")
        if what == "all.zip":
            return _attachment(_zip(job), "application/zip", "gxlint-检查结果.zip", "gxlint-results.zip")
        return _error(404, GxlintError(E_USAGE, "没有这个文件"))

    def _summary(job) -> bytes:
        import io

        from ..formatters import html

        out = io.StringIO()
        html.write(job.results, out, rules=list(rules.values()))
        return out.getvalue().encode("utf-8")

    def _zip(job) -> bytes:
        import io
        import zipfile

        buf = io.BytesIO()
        used: set[str] = set()

        def unique(name: str) -> str:
            stem, dot, ext = name.rpartition(".")
            k = 1
            while name in used:
                k += 1
                name = f"{stem}-{k}.{ext}" if dot else f"{name}-{k}"
            used.add(name)
            return name

        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("汇总.html", _summary(job))
            zf.writestr("问题清单.csv", _csv(job.results))
            zf.writestr("结果.json", job.json.encode("utf-8"))
            for n, made in sorted(job.files.items()):
                stem = _stem(job.results[n].path)
                for key, folder, label in (("annotated", "批注版", "批注"), ("fixed", "修订版", "修订")):
                    if key in made:
                        zf.writestr(unique(f"{folder}/{stem}（{label}）.docx"), made[key])
        return buf.getvalue()

    routes = [
        Route("/", page),
        Route("/static/{name}", asset),
        Route("/favicon.ico", favicon),
        Route("/api/limits", api_limits),
        Route("/api/rules/{rule}", api_rule),
        Route("/api/lint", api_lint, methods=["POST"]),
        Route("/api/jobs", api_job_create, methods=["POST"]),
        Route("/api/jobs/{job}", api_job, methods=["GET"]),
        Route("/api/jobs/{job}", api_job_delete, methods=["DELETE"]),
        Route("/api/jobs/{job}/reports/{n:int}/{what}", download_report),
        Route("/api/jobs/{job}/{what}", download_job),
    ]
    async def not_found(request: Request, exc) -> Response:
        return _error(404, GxlintError(E_USAGE, "没有这个页面"))

    async def not_allowed(request: Request, exc) -> Response:
        return _error(405, GxlintError(E_USAGE, f"此地址不接受 {request.method[:10]} 请求"))

    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={404: not_found, 405: not_allowed})
    app.add_middleware(Guard, loopback=limits.host in LOOPBACK)
    app.state.jobs, app.state.workers, app.state.config_path = jobs, workers, config_path
    return app


def _finished(job, future) -> None:
    """A job's work ended (in the pool's callback thread): its results, or its error."""
    from concurrent.futures.process import BrokenProcessPool

    e = future.exception() if not future.cancelled() else None
    if future.cancelled():
        job.fail(GxlintError(E_INTERNAL, "检查已取消（服务器正在停止）"))
    elif isinstance(e, BrokenProcessPool):
        job.fail(GxlintError(E_KILLED, ""), killed=True)
    elif isinstance(e, GxlintError):
        job.fail(e)
    elif e is not None:
        job.fail(GxlintError(E_INTERNAL, f"内部错误（{type(e).__name__}），请报告给 gxlint 开发者"))
    else:
        job.finish(future.result())


def _csv(results) -> bytes:
    """The findings as CSV (gxlint.formatters.csv: UTF-8 with its BOM, for Excel and WPS)."""
    import io

    from ..formatters.csv import write

    out = io.StringIO(newline="")
    write(results, out)
    return out.getvalue().encode("utf-8", "backslashreplace")


async def _sweep(jobs: Jobs) -> None:
    """Drop the jobs whose time ran out, every half minute."""
    while True:
        await asyncio.sleep(30)
        jobs.expire()
