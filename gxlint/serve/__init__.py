"""``gxlint serve``: the web page, for the people who never open a terminal (docs/serve.md).

On one PC it listens on 127.0.0.1 on a free port, prints the address and opens the browser; on an
office's server ``--host``/``--port`` and the limits (gxlint.serve.limits) say how it is reached
and what it takes.  The page, its script and its style are served by gxlint itself: nothing is
fetched from elsewhere, so it runs offline or on an intranet.

The application is gxlint.serve.app (Starlette, on uvicorn; uploads parsed by python-multipart),
its work done by gxlint.serve.jobs and gxlint.serve.worker with the command's engine
(gxlint.run.lint_paths), so the page gives the command's answers.  These libraries are the
optional extra ``gxlint[serve]``; without them ``gxlint serve`` says so in one line (E040).
"""
from __future__ import annotations

import socket
import sys

from ..errors import E_SERVE, GxlintError

NEEDED = ("starlette", "uvicorn", "python_multipart")


def missing() -> list[str]:
    """The libraries of ``gxlint[serve]`` that cannot be imported."""
    import importlib.util

    return [m for m in NEEDED if importlib.util.find_spec(m) is None]


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (0: a free port); E040 when it cannot be had."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        sock = socket.socket(family, socket.SOCK_STREAM)
        if sys.platform != "win32":  # on Windows this option would let two servers share the port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as e:
        raise GxlintError(E_SERVE, f"无法在 {host}:{port} 上监听（{e.strerror or e}）：端口可能已被占用，"
                                   "请用 --port 换一个端口，或用 --port 0 任选空闲端口") from None
    return sock


def address(sock: socket.socket, host: str) -> str:
    port = sock.getsockname()[1]
    shown = host if host not in ("0.0.0.0", "::", "") else socket.gethostname()
    return f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}/"


def serve(limits, config_path: str | None, open_browser: bool) -> None:
    """Run the server until Ctrl+C (the caller has checked :func:`missing`)."""
    import uvicorn

    from .app import LOOPBACK, create_app

    app = create_app(limits, config_path, warm=True)
    sock = listen(limits.host, limits.port)
    url = address(sock, limits.host)
    print(f"gxlint 网页已启动：{url}", flush=True)
    if limits.host not in LOOPBACK:
        print(f"本机以外的电脑可用本机的地址访问（端口 {sock.getsockname()[1]}）；正式使用请放在单位的网站服务器之后（见说明文档）。",
              flush=True)
    print("按 Ctrl+C 停止。", flush=True)
    if open_browser and limits.host in LOOPBACK:
        import webbrowser

        webbrowser.open(url)
    config = uvicorn.Config(app, log_level="warning", access_log=False, server_header=False, lifespan="on")
    import signal

    def stop(signum, frame):  # uvicorn stops gracefully on SIGTERM, then raises it again: end as for Ctrl+C
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn stopped (requests finished, workers stopped), then re-raised Ctrl+C
        pass
    print("gxlint 网页已停止。", flush=True)
