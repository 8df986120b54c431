"""What a run lints: report files, folders (expanded with their config's include/exclude), web
addresses (fetched into a private folder, ``--urls``) or standard input (``-``), each with the
linter of the config that applies to it (``.gxlint.yaml`` found from its folder upward, or
``--config``; none with ``--isolated``).  A refusal raises GxlintError (E0xx)."""
from __future__ import annotations

import os
import sys

from ..errors import E_USAGE, GxlintError

MAX_URL_LIST = 16 * 2**20  # bytes of --urls: 100,000 addresses


def is_url(arg: str) -> bool:
    return arg[:8].lower().startswith(("http://", "https://"))


def read_urls(path) -> list[str]:
    """The addresses listed in ``--urls`` (one a line; blank lines and # comments skipped)."""
    if not path:
        return []
    from ..errors import E_ENCODING
    from ..files import read_small

    data = read_small(path, MAX_URL_LIST, "网址列表")
    try:
        lines = [ln.strip() for ln in data.decode("utf-8-sig").splitlines()]
    except UnicodeDecodeError:
        raise GxlintError(E_ENCODING, f"网址列表 {path} 不是 UTF-8 文本") from None
    urls = [ln for ln in lines if ln and not ln.startswith("#")]
    if bad := [u for u in urls if not is_url(u)]:
        raise GxlintError(E_USAGE, f"网址列表 {path} 中有不是 http:// 或 https:// 网址的行：{bad[0]}")
    return urls


def make_linter(config, options, verify_previous: bool = True):
    """The linter of ``config`` with ``options`` (select, ignore, audit, previous, suppressions,
    result cache); ``verify_previous``: last year's report of another office or year is refused."""
    from ..engine import Linter

    if options.previous:
        config.previous = os.path.abspath(options.previous)
    linter = Linter(config, select=options.selectors("select"), ignore=options.selectors("ignore"),
                    audit=options.audit)
    linter.suppressions = not options.no_suppressions
    linter.verify_previous = verify_previous
    if not options.no_cache:
        from ..cache import ResultCache

        linter.cache = ResultCache(options.cache_dir)
    return linter


class Inputs:
    """The files of a run, resolved from ``paths`` and ``options``:

    * ``items``: (path, linter key) in order, folders expanded in sorted path order, addresses
      fetched (``fetched``: a :class:`Fetched`, or None);
    * ``linters`` and ``configs``: {linter key: Linter / Config}; the key is the path of the config
      file that applies (None: no config file);
    * ``names`` (when asked for): path -> its path relative to the folder given (``--annotate DIR``
      writes there);
    * ``stdin``: whether the report comes on standard input (``-``; ``stdin_key`` its linter's).
    """

    def __init__(self, options, paths: tuple, names: bool = False):
        from ..batch import expand
        from ..readers import SUFFIXES

        self.options = options
        self.linters: dict = {}
        self.configs: dict = {}
        self._found: dict[str, str | None] = {}  # folder -> its config (a folder of 1,000 reports is looked up once)
        self.items: list[tuple[str, object]] = []
        self.names: dict[str, str] = {}
        self.fetched = Fetched() if any(map(is_url, paths)) else None
        self.stdin = "-" in paths
        self.stdin_key = None
        if self.stdin:
            self.stdin_key = self.key(options.stdin_filename or os.path.join(os.getcwd(), "-"))
            return
        for arg in paths:
            if self.fetched is not None and is_url(arg):
                local = self.fetched.get(arg, len(self.items))
                if local is not None:
                    self.items.append((local, self.key(os.path.join(os.getcwd(), "-"))))
                continue
            # a folder named like a report (x.docx) is an error of its own, not an empty folder
            if os.path.isdir(arg) and not arg.rstrip("/" + os.sep).lower().endswith(SUFFIXES):
                key = self.key(arg)
                cfg = self.configs[key]
                base = os.path.dirname(key) if key else None
                for p in expand(arg, cfg.include, cfg.exclude, base):
                    self.items.append((p, self.key(p)))
                    if names:
                        self.names[p] = os.path.relpath(p, arg)
            else:
                self.items.append((arg, self.key(arg)))
                self.names[arg] = os.path.basename(arg)

    def key(self, path: str):
        """The linter key of the file (or folder) at ``path``: its config file, read and its linter
        made the first time."""
        from ..config import find_config, load_config

        folder = os.path.dirname(os.path.abspath(path)) if not os.path.isdir(path) else os.path.abspath(path)
        config_path = self.options.config
        if self.options.isolated:  # no config read at all (--config is refused with it)
            self._found[folder] = None
        elif not config_path and folder not in self._found:
            self._found[folder] = find_config(path)
        cfg_path = config_path or self._found[folder]
        if cfg_path not in self.linters:
            self.configs[cfg_path] = load_config(cfg_path)
            self.linters[cfg_path] = make_linter(self.configs[cfg_path], self.options)
        return cfg_path

    @property
    def batch(self) -> bool:
        """Several reports: the rules comparing them run once all are linted."""
        return not self.stdin and len(self.items) > 1

    @property
    def rules(self) -> list:
        """The rules of all the linters, each id once."""
        return list({r.id: r for linter in self.linters.values() for r in linter.rules}.values())

    def lint_stdin(self):
        """The result of the report on standard input, kept in a temporary file named like
        ``--stdin-filename`` (its suffix chooses the reader; default .md)."""
        import shutil
        import tempfile

        from ..readers import SUFFIXES

        name = self.options.stdin_filename or "-"
        suffix = os.path.splitext(name)[1].lower()
        folder = tempfile.mkdtemp(prefix="gxlint-")
        try:
            tmp = os.path.join(folder, "stdin" + (suffix if suffix in SUFFIXES else ".md"))
            with open(tmp, "wb") as f:
                shutil.copyfileobj(sys.stdin.buffer, f)
            return self.linters[self.stdin_key].lint_path(tmp, encoding=self.options.encoding, name=name)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


class Fetched:
    """Reports fetched by their addresses (gxlint.fetch) into a private folder, removed at exit;
    a failed fetch is that address's result (one E0xx line), in its place in the batch."""

    def __init__(self):
        import atexit
        import shutil
        import tempfile

        self.folder = tempfile.mkdtemp(prefix="gxlint-url-")
        atexit.register(shutil.rmtree, self.folder, True)
        self.shown: dict[str, str] = {}  # local file -> the address it came from
        self.failed: list[tuple[int, object]] = []  # (index among the linted files, its FileResult)

    def get(self, url: str, index: int) -> str | None:
        from ..engine import FileResult
        from ..errors import InputError
        from ..fetch import fetch_report

        try:
            local, source = fetch_report(url, os.path.join(self.folder, str(len(self.shown) + len(self.failed))))
        except InputError as e:
            self.failed.append((index, FileResult(url, error=e)))
            return None
        except Exception as e:  # noqa: BLE001 - a bug on one page costs that page, not the batch
            from ..errors import E_INTERNAL

            self.failed.append((index, FileResult(url, error=InputError(
                E_INTERNAL, f"获取网址时出现内部错误（{type(e).__name__}: {str(e)[:200]}），请把此网址报告给 gxlint 开发者"))))
            return None
        self.shown[local] = source
        return local
