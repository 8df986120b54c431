"""The server's work: one bounded pool of processes shared by every user (:class:`Workers`), and
the jobs of the page (:class:`Jobs`), held in memory only.

* A request's files are written into a private folder (0700) of the server's own temporary folder
  (:meth:`Jobs.folder`); the folder is removed as soon as the job's results are built, whether
  the work succeeded or not.
* ``workers`` processes lint at once (``spawn``: the same on Windows, and no fork of a server
  with threads); at most ``max_queue`` jobs wait or run, past that a request gets 503 (E045).
  A process that dies (the out-of-memory killer) costs the jobs it held an E098 line per file, and
  the pool is made again for the next ones.
* A job's results (the views, the FileResults, the .docx copies) stay in memory for the page and
  its downloads until the page lets them go (DELETE) or ``keep_minutes`` pass; nothing of them
  is written to disk or to a log.
"""
from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
import time

from ..errors import E_BUSY, E_KILLED, GxlintError


class Busy(GxlintError):
    def __init__(self):
        super().__init__(E_BUSY, "服务器正忙（排队的检查已满），请稍后再试")


class Workers:
    """The pool of lint processes, started at the first job (or by :meth:`warm`), and the queue
    on which they say which file is done (read by a thread of the server: :meth:`listen`)."""

    def __init__(self, limits, config_path: str):
        import multiprocessing

        self.limits, self.config_path = limits, config_path
        self.ctx = multiprocessing.get_context("spawn")
        self.queue = self.ctx.Queue()
        self.lock = threading.Lock()
        self.executor = None
        self.active = 0  # jobs waiting or running
        self.listener: threading.Thread | None = None

    def pool(self):
        from concurrent.futures import ProcessPoolExecutor

        from . import worker

        with self.lock:
            if self.executor is None:
                self.executor = ProcessPoolExecutor(max_workers=self.limits.workers, mp_context=self.ctx,
                                                    initializer=worker.init, initargs=(self.queue, self.config_path))
            return self.executor

    def warm(self) -> None:
        """Start every process and load the rule pack in each (the first request need not wait)."""
        from . import worker

        pool = self.pool()
        for _ in range(self.limits.workers):
            pool.submit(worker.warm)

    def submit(self, job_id: str | None, spec: dict):
        """Run ``spec`` (gxlint.serve.worker.run) in the pool: a concurrent.futures.Future. Raises
        :class:`Busy` when ``max_queue`` jobs are already waiting or running."""
        from . import worker

        with self.lock:
            if self.active >= self.limits.max_queue:
                raise Busy()
            self.active += 1
        try:
            future = self.pool().submit(worker.run, job_id, spec)
        except Exception:
            self._done(None)
            raise
        future.add_done_callback(self._done)
        return future

    def _done(self, future) -> None:
        from concurrent.futures.process import BrokenProcessPool

        with self.lock:
            self.active -= 1
            if future is not None and not future.cancelled() and isinstance(future.exception(), BrokenProcessPool):
                broken, self.executor = self.executor, None  # the next job gets a new pool
                if broken is not None:
                    threading.Thread(target=broken.shutdown, kwargs={"wait": False}, daemon=True).start()

    def listen(self, deliver) -> None:
        """Pass each progress event of the queue to ``deliver(job id, position, view)`` on a thread
        of its own, until :meth:`close`."""
        def loop():
            while (event := self.queue.get()) is not None:
                try:
                    deliver(*event)
                except Exception:  # noqa: BLE001 - a job gone (expired, deleted) while it ran
                    pass

        self.listener = threading.Thread(target=loop, name="gxlint-progress", daemon=True)
        self.listener.start()

    def close(self) -> None:
        with self.lock:
            pool, self.executor = self.executor, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        if self.listener is not None:
            self.queue.put(None)
            self.listener.join(timeout=10)
        self.queue.close()


def killed_json(names: list[str]) -> tuple[str, list]:
    """What a job whose process died gives: an E098 line for each of its files."""
    import io

    from ..engine import FileResult
    from ..errors import InputError
    from ..formatters import json as json_format

    results = [FileResult(n, error=InputError(E_KILLED, "检查此文件的进程意外终止（可能是内存不足），其他请求不受影响；"
                                                        "请稍后单独上传此文件重试，若仍失败请报告给 gxlint 开发者"))
               for n in names]
    out = io.StringIO()
    json_format.write(results, out)
    return out.getvalue(), results


class Job:
    """One check started from the page: its files' ``names``, what each file's view is once done
    (``views``, None until then), its ``state`` (queued, running, done, failed), and once done
    the FileResults, the .docx copies and the JSON document."""

    def __init__(self, names: list[str], keep: float):
        self.id = secrets.token_urlsafe(18)  # the only key to the results: unguessable
        self.names = names
        self.views: list = [None] * len(names)
        self.done = 0
        self.state = "queued"
        self.error: dict | None = None
        self.results: list = []
        self.files: dict = {}
        self.titles: dict = {}
        self.json = ""
        self.keep = keep
        self.expires = time.monotonic() + keep
        self.lock = threading.Lock()

    def progress(self, pos: int, view) -> None:
        with self.lock:
            if self.state in ("done", "failed"):  # an event read after the job's end: nothing new
                return
            self.state = "running"
            if view is not None:
                self.views[pos] = view
            self.done += 1

    def finish(self, outcome: dict) -> None:
        with self.lock:
            self.views = outcome["views"]
            self.results, self.files = outcome["results"], outcome["files"]
            self.titles, self.json = outcome["titles"], outcome["json"]
            self.done = len(self.names)
            self.state = "done"
            self.expires = time.monotonic() + self.keep

    def fail(self, error: GxlintError, killed: bool = False) -> None:
        with self.lock:
            if killed:
                from .view import report_view

                self.json, self.results = killed_json(self.names)
                self.views = [report_view(i, r.path, r, None, {}, {}) for i, r in enumerate(self.results)]
                self.done, self.state = len(self.names), "done"
            else:
                self.error, self.state = {"code": error.code, "message": error.message}, "failed"
            self.expires = time.monotonic() + self.keep

    def status(self, since: int = 0) -> dict:
        """What the page polls: the state, how many files are done, the views from ``since`` on
        that are ready (every view once the job is done: what comparing the reports added)."""
        with self.lock:
            done = self.state == "done"
            ready = self.views if done else [v for v in self.views[since:] if v is not None]
            out = {"id": self.id, "state": self.state, "total": len(self.names), "done": self.done,
                   "names": self.names, "reports": ready, "final": done, "error": self.error}
            if done and len(self.names) > 1:
                from .view import summary

                out["summary"] = summary(self.views, self.titles)
            return out


class Jobs:
    """The jobs of the page, by id, each until it is deleted or its time runs out (or, past
    :data:`HELD` jobs held, the oldest finished ones go first); and the private folders of the
    requests being read or linted."""

    HELD = 256

    def __init__(self, limits, tmp: str | None = None):
        self.limits = limits
        self.base = tempfile.mkdtemp(prefix="gxlint-serve-", dir=tmp)  # 0700
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()

    def folder(self) -> str:
        """A new private folder (0700) for one request's files."""
        return tempfile.mkdtemp(dir=self.base)

    @staticmethod
    def remove(folder: str) -> None:
        shutil.rmtree(folder, ignore_errors=True)

    def add(self, names: list[str]) -> Job:
        job = Job(names, self.limits.keep_minutes * 60)
        with self.lock:
            finished = sorted((j for j in self.jobs.values() if j.state in ("done", "failed")), key=lambda j: j.expires)
            for old in finished[:max(0, len(self.jobs) + 1 - self.HELD)]:
                del self.jobs[old.id]
            self.jobs[job.id] = job
        return job

    def get(self, job_id: str) -> Job | None:
        self.expire()
        with self.lock:
            return self.jobs.get(job_id)

    def delete(self, job_id: str) -> bool:
        with self.lock:
            return self.jobs.pop(job_id, None) is not None

    def expire(self) -> None:
        now = time.monotonic()
        with self.lock:
            for job_id in [j.id for j in self.jobs.values() if j.expires < now and j.state in ("done", "failed")]:
                del self.jobs[job_id]

    def deliver(self, job_id: str, pos: int, view) -> None:
        with self.lock:
            job = self.jobs.get(job_id)
        if job is not None:
            job.progress(pos, view)

    def close(self) -> None:
        with self.lock:
            self.jobs.clear()
        shutil.rmtree(self.base, ignore_errors=True)

    def held(self) -> int:
        with self.lock:
            return len(self.jobs)

