"""Load on `gxlint serve`: many clients at once on 127.0.0.1, every answer checked.

    python benchmarks/serve_load.py [--clients 20] [--reports 50] [--rounds 2] [--workers 2]

Starts `python -m gxlint serve --no-browser --port 0 --workers W` (no config: run in an empty
folder), then, for each of --rounds rounds, --clients client threads at once each POST
--reports reports to /api/lint, one report a request, as a drafter's page would send them
(multipart/form-data over HTTP/1.1, a new connection each, the standard library's http.client).
The reports cycle through the seeds and the examples (.txt, .md, .docx); each answer must be
exactly the text `gxlint --no-cache --format json REPORT` prints for it, and its status 200.

Printed (a Markdown table): reports/s of each round (all clients' reports over the round's wall
time), wrong answers (must be 0), the peak memory of the server's whole process tree (the sum of
the proportional set size, PSS, of the server and its workers, sampled every 50 ms from /proc) in
each round, and the last round's peak over the first's: the memory is flat when the load repeats
(target <= 1.2).  Requests go to the loopback only, their number bounded by the arguments; the
server is stopped at the end.
"""
from __future__ import annotations

import argparse
import http.client
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORTS = [*sorted((ROOT / "tests" / "seeds").glob("*.txt")), *(ROOT / "examples" / n for n in
                                                                ("faulty.docx", "clean.docx", "faulty.md", "clean.md"))]


def expected(paths: list[Path]) -> dict[str, str]:
    """What `gxlint --no-cache --format json NAME` prints for each report, run in its folder."""
    out = {}
    for p in paths:
        run = subprocess.run([sys.executable, "-m", "gxlint", "--no-cache", "--format", "json", p.name],
                             capture_output=True, text=True, encoding="utf-8", cwd=p.parent)
        out[p.name] = run.stdout
    return out


def multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode("utf-8")
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def post(port: int, name: str, data: bytes) -> tuple[int, str]:
    body, ctype = multipart(name, data)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        conn.request("POST", "/api/lint", body=body, headers={"Content-Type": ctype})
        answer = conn.getresponse()
        return answer.status, answer.read().decode("utf-8")
    finally:
        conn.close()


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def pss_kb(pid: int) -> int:
    """The summed PSS (KB) of ``pid``'s process tree."""
    total = 0
    for p in _tree(pid):
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                total += next((int(line.split()[1]) for line in f if line.startswith("Pss:")), 0)
        except OSError:
            pass
    return total


class Sampler(threading.Thread):
    """The peak of :func:`pss_kb` while it runs, sampled every 50 ms."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, pss_kb(self.pid))
            self.stop.wait(0.05)

    def finish(self) -> int:
        self.stop.set()
        self.join()
        return self.peak


def round_(port: int, clients: int, reports: int, files: list[tuple[str, bytes]], want: dict[str, str]) -> tuple:
    """One round: (wall seconds, reports answered, wrong answers with what was wrong)."""
    wrong: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def client(k: int) -> None:
        start.wait()  # all at once
        for i in range(reports):
            name, data = files[(k + i) % len(files)]
            status, text = post(port, name, data)
            if status != 200 or text != want[name]:
                with lock:
                    wrong.append(f"{name}: HTTP {status} {text[:120]!r}")

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0, clients * reports, wrong


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--reports", type=int, default=50, help="reports each client sends")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--workers", type=int, default=2, help="the server's --workers")
    args = ap.parse_args(argv)
    files = [(p.name, p.read_bytes()) for p in REPORTS]
    want = expected(REPORTS)
    with tempfile.TemporaryDirectory() as cwd:
        server = subprocess.Popen([sys.executable, "-m", "gxlint", "serve", "--no-browser", "--port", "0",
                                   "--workers", str(args.workers), "--max-files", "10"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd)
        try:
            m = re.search(r"http://127\.0\.0\.1:(\d+)/", server.stdout.readline())
            if not m:
                print(server.stderr.read(), file=sys.stderr)
                return 2
            port = int(m.group(1))
            for name, data in files:  # the workers started and warm: what is measured is the load
                post(port, name, data)
            rows, peaks, wrong_all = [], [], []
            idle = pss_kb(server.pid)
            for r in range(1, args.rounds + 1):
                sampler = Sampler(server.pid)
                sampler.start()
                wall, n, wrong = round_(port, args.clients, args.reports, files, want)
                peaks.append(sampler.finish())
                wrong_all += wrong
                rows.append((f"round {r}: {args.clients} clients x {args.reports} reports, reports/s",
                             f"{n / wall:.1f}", ""))
                rows.append((f"round {r}: peak memory of the server's process tree (PSS)", f"{peaks[-1] / 1024:.0f} MB", ""))
            after = pss_kb(server.pid)
        finally:
            server.terminate()
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
    rows[:0] = [(f"server: --workers {args.workers}, idle before the load (PSS)", f"{idle / 1024:.0f} MB", "")]
    rows += [
        ("server idle after the load (PSS)", f"{after / 1024:.0f} MB", ""),
        ("wrong answers (status or text unlike `gxlint --format json`)", str(len(wrong_all)), "0"),
        (f"peak memory, round {args.rounds} / round 1", f"{peaks[-1] / max(peaks[0], 1):.2f}", "<= 1.2"),
    ]
    print("| measure | value | target |")
    print("|---|---|---|")
    for name, value, target in rows:
        print(f"| {name} | {value} | {target} |")
    for w in wrong_all[:10]:
        print("wrong:", w, file=sys.stderr)
    return 1 if wrong_all else 0


if __name__ == "__main__":
    sys.exit(main())
