"""How quickly `gxlint lsp` answers an editor: start → first diagnostics, change → diagnostics.

    python benchmarks/editor.py [--starts 5] [--edits 40] [--burst 5] [--file REPORT.md] [--against DIR]

Speaks JSON-RPC over the server's standard input and output, as an editor does (no client
library, so the client's own imports cost nothing here).  For each of --starts servers:

* start → first diagnostics: from spawning `python -m gxlint lsp` (then sending initialize,
  initialized and didOpen of the report at once, as an editor opening a file does) to the
  first textDocument/publishDiagnostics of the report; with the server's CPU time (user +
  system, from /proc) at that moment;
* change → diagnostics: --edits single-character edits (typing a character, then deleting
  it), each sent once the previous one's diagnostics arrived, and the time until the
  diagnostics of that version arrive; with the server's CPU time per edit;
* typing: --burst edits 30 ms apart (faster than the server lints), the time from the last
  edit to the diagnostics of the last version, and how many diagnostics of the burst's
  earlier versions were published meanwhile (each one linted before the next edit came is
  published; a run overtaken by an edit is not).

Wall times on a shared machine are noisy: medians with their spread are printed.  The report
is the first seed as Markdown unless --file names one.  Each server has a cache folder of its
own, warmed by one run first (the rule pack is cached after the first start after an install).
--against DIR runs the server of another source tree too (e.g. an older commit: ``git archive
COMMIT | tar -x -C DIR``), its sessions interleaved with these, for a before/after.
"""
from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")


class Server:
    """A `gxlint lsp` process and a thread reading its messages into a queue (with arrival times)."""

    def __init__(self, cwd: Path, env: dict):
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "-m", "gxlint", "lsp"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=cwd, env=env)
        self.messages: queue.Queue = queue.Queue()
        self.next_id = 1
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.messages.put((time.perf_counter(), None))
                    return
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
                elif line in (b"\r\n", b"\n"):
                    break
            self.messages.put((time.perf_counter(), json.loads(out.read(length))))

    def send(self, method: str, params, request: bool = False) -> int | None:
        msg = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            msg["id"] = self.next_id
            self.next_id += 1
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()
        return msg.get("id")

    def wait(self, match, timeout: float = 60.0) -> tuple[float, dict, list[dict]]:
        """(arrival time, message) of the first message ``match`` accepts; and the ones skipped."""
        skipped = []
        end = time.perf_counter() + timeout
        while True:
            t, msg = self.messages.get(timeout=max(end - time.perf_counter(), 0.001))
            if msg is None:
                raise SystemExit("the server ended")
            if "id" in msg and "method" in msg:  # a request of the server's: answer it
                self.proc.stdin.write(_frame({"jsonrpc": "2.0", "id": msg["id"], "result": None}))
                self.proc.stdin.flush()
                continue
            if match(msg):
                return t, msg, skipped
            skipped.append(msg)

    def cpu(self) -> float:
        """User + system CPU seconds of the server so far."""
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK

    def stop(self) -> None:
        try:
            rid = self.send("shutdown", None, request=True)
            self.wait(lambda m: m.get("id") == rid, timeout=10)
            self.send("exit", None)
            self.proc.wait(timeout=10)
        except Exception:  # noqa: BLE001 - a benchmark that cannot stop it kills it
            self.proc.kill()
            self.proc.wait()


def _frame(obj) -> bytes:
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def diagnostics_of(uri: str, version: int | None = None):
    def match(m):
        p = m.get("params") or {}
        return (m.get("method") == "textDocument/publishDiagnostics" and p.get("uri") == uri
                and (version is None or p.get("version") == version))
    return match


def edit_params(uri: str, version: int, line: int, char: int, text: str, delete: bool) -> dict:
    end = char + 1 if delete else char
    return {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{
        "range": {"start": {"line": line, "character": char}, "end": {"line": line, "character": end}},
        "text": "" if delete else text}]}


def session(work: Path, text: str, edits: int, burst: int, env: dict) -> dict:
    doc = work / "report.md"
    doc.write_text(text, encoding="utf-8")
    uri = doc.as_uri()
    s = Server(work, env)
    out: dict = {}
    try:
        s.send("initialize", {"processId": os.getpid(), "rootUri": work.as_uri(), "capabilities": {
            "textDocument": {"publishDiagnostics": {"versionSupport": True}}}}, request=True)
        s.send("initialized", {})
        s.send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1,
                                                         "text": text}})
        t, msg, _ = s.wait(diagnostics_of(uri))
        out["start"] = t - s.t0
        out["start_cpu"] = s.cpu()
        out["diagnostics"] = len(msg["params"]["diagnostics"])
        # a line of prose in the middle of the report, where typing happens
        lines = text.split("\n")
        line = next(i for i in range(len(lines) // 2, len(lines)) if len(lines[i]) > 20)
        version = 1
        latencies = []
        cpu0 = s.cpu()
        for k in range(edits):
            version += 1
            sent = time.perf_counter()
            s.send("textDocument/didChange", edit_params(uri, version, line, 10, "的", delete=k % 2 == 1))
            t, _, _ = s.wait(diagnostics_of(uri, version))
            latencies.append(t - sent)
            time.sleep(0.05)  # a typist's pause
        out["change"] = latencies
        out["change_cpu"] = (s.cpu() - cpu0) / max(edits, 1)
        # a burst: edits faster than linting, then the last version's diagnostics
        if edits % 2 == 1:  # end with the character deleted, as before the edits
            version += 1
            s.send("textDocument/didChange", edit_params(uri, version, line, 10, "", delete=True))
            s.wait(diagnostics_of(uri, version))
        first = version + 1
        for k in range(burst):
            version += 1
            s.send("textDocument/didChange", edit_params(uri, version, line, 10, "的", delete=k % 2 == 1))
            sent = time.perf_counter()
            if k < burst - 1:
                time.sleep(0.03)
        t, _, skipped = s.wait(diagnostics_of(uri, version))
        out["burst"] = t - sent
        out["stale"] = sum(1 for m in skipped if diagnostics_of(uri)(m) and (m["params"].get("version") or 0) >= first)
    finally:
        s.stop()
    return out


def spread(xs: list[float], unit: float = 1000.0) -> str:
    xs = [x * unit for x in xs]
    if len(xs) == 1:
        return f"{xs[0]:.0f} ms"
    q = statistics.quantiles(xs, n=4)
    return f"{statistics.median(xs):.0f} ms (min {min(xs):.0f}, quartiles {q[0]:.0f}–{q[2]:.0f}, max {max(xs):.0f})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--starts", type=int, default=5, help="servers started (one session each)")
    ap.add_argument("--edits", type=int, default=40, help="edits per session, one at a time")
    ap.add_argument("--burst", type=int, default=5, help="edits typed 30 ms apart at the end of a session")
    ap.add_argument("--file", type=Path, help="the report (default: the first seed, as Markdown)")
    ap.add_argument("--against", type=Path, metavar="DIR", help="also run the server of this source tree")
    args = ap.parse_args()

    import compileall

    import gxlint

    compileall.compile_dir(str(Path(gxlint.__file__).parent), quiet=1)  # as pip installs it
    trees = {"": None}
    if args.against:
        compileall.compile_dir(str(args.against / "gxlint"), quiet=1)
        trees[f" [{args.against.name}]"] = str(args.against.resolve())
    text = (args.file or sorted((ROOT / "tests" / "seeds").glob("*.txt"))[0]).read_text(encoding="utf-8")
    work = Path(tempfile.mkdtemp(prefix="gxlint-editor-"))
    env = {**os.environ, "GXLINT_CACHE_DIR": str(work / "cache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    envs = {k: env if v is None else {**env, "PYTHONPATH": v} for k, v in trees.items()}
    runs: dict[str, list[dict]] = {k: [] for k in trees}
    try:
        for e in envs.values():
            session(work, text, 1, 1, e)  # warm: the rule pack's cache, the OS's file cache
        for _ in range(args.starts):
            for k, e in envs.items():
                runs[k].append(session(work, text, args.edits, args.burst, e))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"gxlint lsp, {len(text)} characters of Markdown, {runs[''][0]['diagnostics']} diagnostics; "
          f"{args.starts} starts, {args.edits} edits each")
    for k, rs in runs.items():
        change = [x for r in rs for x in r["change"]]
        print(f"  start → first diagnostics (wall){k}         {spread([r['start'] for r in rs])}")
        print(f"  server CPU until then{k}                    {spread([r['start_cpu'] for r in rs])}")
        print(f"  change → diagnostics (wall){k}              {spread(change)}")
        print(f"  server CPU per change{k}                    {spread([r['change_cpu'] for r in rs])}")
        print(f"  burst of {args.burst} edits 30 ms apart: last edit → its diagnostics{k}  "
              f"{spread([r['burst'] for r in rs])}")
        print(f"  diagnostics of intermediate versions published during a burst (median){k}  "
              f"{statistics.median([r['stale'] for r in rs]):.0f} of {args.burst - 1}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
