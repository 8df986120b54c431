"""``.gxlint.yaml``: which rules run, at which severity, with which extra rule files.

Found from the linted file's folder upward, then in the working directory; a
``pyproject.toml`` with a ``[tool.gxlint]`` table (the same keys) counts as one too.
Rule ids are read without regard to case and categories also by their Chinese names
(表格计算)::

    select: [GX, arithmetic]      # rule ids, id prefixes (GX3) or categories; default: all
    ignore: [GX502, wording]      # the same kinds of selectors, removed after select
    severity:                     # override default severities, by id, prefix or category
      GX013: error
      wording: info
    rule_dirs: [provincial-rules] # folders of extra rule files (*.yaml), relative to this file
    encoding: gb18030             # default encoding of .txt/.md reports (else detected)
    include: ["*.docx"]           # when linting a folder: only files matching these globs ...
    exclude: ["old/*", "*草稿*"]   # ... and not these (paths relative to this file's folder; * spans folders)
    previous: ../2023/报告.docx    # last year's report, for the year-over-year rules (relative to this file)
    allow: ["13812345678"]        # numbers published on purpose: the privacy rules (GX8) skip them
    per_file_ignores:             # rules not run on some files (globs as for exclude)
      "乡镇/*": [GX407]
    baseline: .gxlint-baseline.json  # report only findings not in this baseline (relative to this file)
    serve:                        # gxlint serve (the web page): where it listens and its limits
      host: 127.0.0.1
      port: 8080
      max_upload_mb: 50           # one request's upload, counted as it arrives
      max_files: 100              # report files in one request (a .zip's reports and addresses count)
      workers: 2                  # reports linted at once, shared by all users (default: CPU cores)
      keep_minutes: 30            # results kept in memory for download, then dropped
      allow_urls: true            # whether the page may fetch reports by their addresses
"""
from __future__ import annotations

import fnmatch
import os
from pathlib import Path

from .errors import E_CONFIG, ConfigError
from .findings import SEVERITIES
from .record import Record

NAMES = (".gxlint.yaml", ".gxlint.yml")
PYPROJECT = "pyproject.toml"  # its [tool.gxlint] table holds the same keys
KEYS = ("select", "ignore", "severity", "rule_dirs", "encoding", "include", "exclude", "previous", "allow",
        "per_file_ignores", "baseline", "serve")
# serve: key -> (type, minimum, maximum, what a value is, in Chinese); gxlint.serve.limits reads them
SERVE_KEYS = {
    "host": (str, None, None, "监听地址，如 127.0.0.1 或 0.0.0.0"),
    "port": (int, 0, 65535, "端口号（0 到 65535，0 表示任选一个空闲端口）"),
    "max_upload_mb": (float, 0.01, 4096, "一次上传的大小上限（MiB，大于 0）"),
    "max_files": (int, 1, 10000, "一次最多检查的报告数（1 到 10000）"),
    "workers": (int, 1, 256, "同时检查报告的进程数（1 到 256）"),
    "keep_minutes": (float, 0.1, 1440, "结果保留的分钟数（大于 0，至多 1440）"),
    "allow_urls": (bool, None, None, "是否允许按网址检查（true 或 false）"),
}


class Config(Record):
    """A .gxlint.yaml (or [tool.gxlint]) as read.  rule_dirs: absolute paths; previous: the absolute
    path of last year's report; allow: numbers published on purpose, as written; per_file_ignores:
    glob -> selectors; baseline: the absolute path of the baseline file (gxlint.baseline)."""

    _fields = ("path", "select", "ignore", "severity", "rule_dirs", "encoding", "include", "exclude", "previous",
               "allow", "per_file_ignores", "baseline")

    def __init__(self, path: str | None = None, select: list[str] | None = None, ignore: list[str] | None = None,
                 severity: dict[str, str] | None = None, rule_dirs: list[str] | None = None,
                 encoding: str | None = None, include: list[str] | None = None, exclude: list[str] | None = None,
                 previous: str | None = None, allow: list[str] | None = None,
                 per_file_ignores: dict[str, list[str]] | None = None, baseline: str | None = None,
                 serve: dict | None = None):
        self.path = path
        self.select = [] if select is None else select
        self.ignore = [] if ignore is None else ignore
        self.severity = {} if severity is None else severity
        self.rule_dirs = [] if rule_dirs is None else rule_dirs
        self.encoding = encoding
        self.include = [] if include is None else include
        self.exclude = [] if exclude is None else exclude
        self.previous = previous
        self.allow = [] if allow is None else allow
        self.per_file_ignores = {} if per_file_ignores is None else per_file_ignores
        self.baseline = baseline
        self.serve = {} if serve is None else serve

    def ignored_for(self, path: str) -> list[str]:
        """Selectors that ``per_file_ignores`` removes for the file at ``path``."""
        if not self.per_file_ignores:
            return []
        base = os.path.dirname(os.path.abspath(self.path)) if self.path else os.getcwd()
        rel = os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/")
        return [sel for pattern, sels in self.per_file_ignores.items() if glob_matches(rel, [pattern]) for sel in sels]


def glob_matches(rel: str, patterns: list[str]) -> bool:
    """Whether the path ``rel`` (relative, with /) or its file name matches one of the globs (* spans /)."""
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(rel, p) or fnmatch.fnmatchcase(name, p) for p in patterns)


def _has_tool_section(path: Path) -> bool:
    """Whether ``path`` is a pyproject.toml with a [tool.gxlint] table (a regular file of at most
    MAX_YAML_BYTES: a larger one is no config of gxlint's)."""
    from .errors import GxlintError
    from .files import read_small
    from .rule import MAX_YAML_BYTES

    try:
        return path.is_file() and b"[tool.gxlint" in read_small(str(path), MAX_YAML_BYTES, "pyproject.toml")
    except (OSError, GxlintError):
        return False


def find_config(start: str) -> str | None:
    """The nearest .gxlint.yaml (or pyproject.toml with [tool.gxlint]; .gxlint.yaml first in a
    folder) from `start` (a file or folder) upward, else in the working directory."""
    p = Path(os.path.realpath(start))  # Path.resolve() raises on a symlink loop (Python < 3.13)
    d = p if p.is_dir() else p.parent
    for folder in (d, *d.parents, Path.cwd()):
        for name in NAMES:
            candidate = folder / name
            if candidate.is_file():
                return str(candidate)
        if _has_tool_section(folder / PYPROJECT):
            return str(folder / PYPROJECT)
    return None


def normalize_selector(sel: str) -> str:
    """A selector as the engine matches it: rule ids and prefixes upper-cased (gx301 → GX301),
    a category given by its Chinese name (表格计算 → arithmetic), all → ALL."""
    from .formatters import CATEGORY_LABELS

    s = str(sel).strip()
    by_label = {v: k for k, v in CATEGORY_LABELS.items()}
    if s in by_label:
        return by_label[s]
    if s.upper() == "ALL" or (s[:2].upper() == "GX" and s[2:].isdigit()):
        return s.upper()
    return s


def _load_toml(path: str):
    """The [tool.gxlint] table of a pyproject.toml (None when it has none), read and parsed within
    the limits of a YAML config (gxlint.rule: MAX_YAML_*)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        try:
            import tomli as tomllib
        except ModuleNotFoundError:
            raise ConfigError(E_CONFIG, f"{path}: 读取 pyproject.toml 需要 Python 3.11 或 tomli（pip install tomli）") from None
    from .rule import MAX_INT_CHARS, MAX_YAML_DEPTH, RuleFileError, read_text

    try:
        data = tomllib.loads(read_text(path, "配置文件"))
    except RuleFileError as e:
        raise ConfigError(E_CONFIG, e.message) from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(E_CONFIG, f"{path}: TOML 格式错误（{e}）") from None
    except RecursionError:  # tomllib recurses per level of nesting
        raise ConfigError(E_CONFIG, f"{path}: TOML 嵌套过深（至多 {MAX_YAML_DEPTH} 层）") from None
    except ValueError as e:  # an integer of more than 4,300 digits
        raise ConfigError(E_CONFIG, f"{path}: TOML 中有无法读取的值（{str(e)[:200]}）") from None
    tool = data.get("tool")
    table = tool.get("gxlint") if isinstance(tool, dict) else None
    stack = [(table, 1)]  # the limits of YAML, walked without recursion
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth > MAX_YAML_DEPTH:
                raise ConfigError(E_CONFIG, f"{path}: [tool.gxlint] 嵌套超过 {MAX_YAML_DEPTH} 层")
            stack += [(v, depth + 1) for v in (value.values() if isinstance(value, dict) else value)]
        elif isinstance(value, int) and abs(value) >= 10**MAX_INT_CHARS:
            raise ConfigError(E_CONFIG, f"{path}: [tool.gxlint] 中的整数过长（至多 {MAX_INT_CHARS} 位）")
    return table


def load_config(path: str | None) -> Config:
    if path is None:
        return Config()
    from .rule import RuleFileError, load_yaml, _key_pos, _pos, _did_you_mean

    if os.path.basename(path) == PYPROJECT:
        data = _load_toml(path)
    else:
        try:
            data = load_yaml(path, "配置文件")
        except RuleFileError as e:
            raise ConfigError(E_CONFIG, e.message) from None
    cfg = _load(path, data, _key_pos, _pos, _did_you_mean)
    cfg.select = [normalize_selector(s) for s in cfg.select]
    cfg.ignore = [normalize_selector(s) for s in cfg.ignore]
    cfg.severity = {normalize_selector(k): v for k, v in cfg.severity.items()}
    cfg.per_file_ignores = {k: [normalize_selector(s) for s in v] for k, v in cfg.per_file_ignores.items()}
    return cfg


def _load(path: str, data, _key_pos, _pos, _did_you_mean) -> Config:
    cfg = Config(path=path)
    if data is None:
        return cfg
    if not isinstance(data, dict):
        raise ConfigError(E_CONFIG, f"{path}:1:1: 配置文件的顶层应是映射")

    def fail(key, msg, at_key=False):
        ln, col = _key_pos(data, key) if at_key else _pos(data, key)
        raise ConfigError(E_CONFIG, f"{path}:{ln}:{col}: {msg}")

    for key in data:
        if key not in KEYS:
            fail(key, f"未知的配置项「{key}」{_did_you_mean(key, KEYS)}（可用：{'、'.join(KEYS)}）", at_key=True)
    for key in ("select", "ignore", "rule_dirs", "include", "exclude"):
        value = data.get(key, [])
        if value is None:
            value = []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            fail(key, f"「{key}」应是字符串列表")
        setattr(cfg, key, [str(v) for v in value])
    base = os.path.dirname(os.path.abspath(path))
    cfg.rule_dirs = [os.path.normpath(os.path.join(base, d)) for d in cfg.rule_dirs]
    for d in cfg.rule_dirs:
        if not os.path.isdir(d):
            fail("rule_dirs", f"规则目录「{d}」不存在")
    sev = data.get("severity", {}) or {}
    if not isinstance(sev, dict):
        fail("severity", "「severity」应是映射，如 GX502: info")
    for k, v in sev.items():
        if v not in SEVERITIES:
            ln, col = _pos(sev, k)
            raise ConfigError(E_CONFIG, f"{path}:{ln}:{col}: 严重程度「{v}」无效，应为 error/warning/info 之一")
        cfg.severity[str(k)] = str(v)
    if data.get("encoding") is not None:
        cfg.encoding = str(data["encoding"])
    if data.get("previous") is not None:
        if not isinstance(data["previous"], str):
            fail("previous", "「previous」应是上年报告的文件路径")
        cfg.previous = os.path.normpath(os.path.join(base, data["previous"]))
        if not os.path.isfile(cfg.previous):
            fail("previous", f"上年报告「{cfg.previous}」不存在")
    allow = data.get("allow")
    if allow is not None:
        if not isinstance(allow, list):
            fail("allow", "「allow」应是号码列表，如 allow: [\"13812345678\"]")
        for i, v in enumerate(allow):
            if not isinstance(v, str):
                ln, col = _pos(allow, i)
                raise ConfigError(E_CONFIG, f"{path}:{ln}:{col}: 「allow」中的号码应加引号（如 \"13812345678\"），否则会被读成数字")
        cfg.allow = [str(v) for v in allow]
    if data.get("baseline") is not None:
        if not isinstance(data["baseline"], str):
            fail("baseline", "「baseline」应是基线文件的路径（由 --write-baseline 生成）")
        cfg.baseline = os.path.normpath(os.path.join(base, data["baseline"]))
    pfi = data.get("per_file_ignores")
    if pfi is not None:
        if not isinstance(pfi, dict):
            fail("per_file_ignores", "「per_file_ignores」应是映射：文件路径模式 → 规则列表，如 \"乡镇/*\": [GX407]")
        for pattern, sels in pfi.items():
            if isinstance(sels, str):
                sels = [sels]
            if not isinstance(sels, list) or not all(isinstance(v, str) for v in sels):
                ln, col = _pos(pfi, pattern)
                raise ConfigError(E_CONFIG, f"{path}:{ln}:{col}: 「{pattern}」应对应规则编号、前缀或类别的列表，如 [GX407]")
            cfg.per_file_ignores[str(pattern)] = [str(v) for v in sels]
    serve = data.get("serve")
    if serve is not None:
        if not isinstance(serve, dict):
            fail("serve", "「serve」应是映射，如 serve: {host: 0.0.0.0, port: 8080}")
        cfg.serve = {key: _serve_value(path, serve, key, _pos, _key_pos, _did_you_mean) for key in serve}
    return cfg


def _serve_value(path: str, serve: dict, key, _pos, _key_pos, _did_you_mean):
    """The value of ``serve.key``, checked against :data:`SERVE_KEYS` (ConfigError with its place)."""
    if key not in SERVE_KEYS:
        ln, col = _key_pos(serve, key)
        raise ConfigError(E_CONFIG, f"{path}:{ln}:{col}: 未知的 serve 配置项「{key}」{_did_you_mean(str(key), SERVE_KEYS)}"
                                    f"（可用：{'、'.join(SERVE_KEYS)}）")
    kind, low, high, what = SERVE_KEYS[key]
    value = serve[key]
    if kind is bool:
        ok = isinstance(value, bool)
    elif kind is str:
        ok = isinstance(value, str) and bool(value.strip())
    else:  # a number (an int where int is wanted; never a bool, which YAML's true would be)
        ok = (isinstance(value, int if kind is int else (int, float)) and not isinstance(value, bool)
              and low <= value <= high)
    if not ok:
        ln, col = _pos(serve, key)
        raise ConfigError(E_CONFIG, f"{path}:{ln}:{col}: 「serve.{key}」应是{what}，而不是「{value}」")
    return kind(value)
