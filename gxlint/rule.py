"""Rule files: loading, validating (with line and column of each mistake), and the Rule object.

A rule file is YAML with a ``rules:`` list (and optionally the ``format:`` of
the report, see rules/format.yaml).  Each rule names a *kind*, one of the
generic checkers in ``gxlint.kinds``, and gives it parameters::

    - id: GX401                # GX + three digits, stable forever
      name: rate-over-100      # a short slug
      category: plausibility   # one of CATEGORIES
      severity: error          # error | warning | info
      message: 「{name}」为{value}，比率不可能超过100%
      kind: rate               # the checker
      max: 100                 # ...and its parameters
      doc: {...}               # title, description, summary, source, examples (see docs)

What a user reads about a rule is Chinese: ``doc.title`` (a short noun phrase,
「表格三各行总计」) and ``doc.description`` (what is checked and why).  The English
``doc.summary`` is for developers.  The built-in pack must have both Chinese keys
(``validate_rules(..., builtin=True)``, as ``gxlint rules check`` and the tests
run it); a province's own rule file may leave them out (its rules are then listed
by their ``name``) and ``gxlint rules check`` warns about it.
"""
from __future__ import annotations

import functools
import re
import string

from . import kinds
from .errors import E_RULES, ConfigError
from .findings import SEVERITIES, Finding, Fix
from .record import Record
from .regex_store import compiled

CATEGORIES = ("structure", "period", "docref", "plausibility", "arithmetic", "consistency", "wording", "deadline", "privacy")
COMMON_KEYS = ("id", "name", "category", "severity", "message", "kind", "doc", "enabled", "since", "until")
RULE_ID = compiled(r"^GX\d{3}$")
TOP_KEYS = ("rules", "format", "formats")
DOC_ZH = ("title", "description")  # the Chinese name and description of a rule, in its doc
_CJK = r"[\u4e00-\u9fff]"  # compiled when a rule file is validated (a CJK range costs re 1-3 ms)


class Param(Record):
    """A parameter of a kind: its type(s), whether required, its default; regex: a str (or list of
    str) that must compile as a regular expression; choices: the values allowed (empty: any)."""

    _fields = ("type", "required", "default", "regex", "choices")

    def __init__(self, type: type | tuple, required: bool = False, default: object = None,  # noqa: A002 - the field's name
                 regex: bool = False, choices: tuple = ()):
        self.type = type
        self.required = required
        self.default = default
        self.regex = regex
        self.choices = choices


class Rule(Record):
    """A rule as its file declares it (severity as configured; default_severity as declared), with
    the file and line it was declared at."""

    _fields = ("id", "name", "category", "severity", "message", "kind", "params", "doc", "file", "line",
               "default_severity", "since", "until")

    def __init__(self, id: str, name: str, category: str, severity: str, message: str, kind: str,  # noqa: A002
                 params: dict, doc: dict | None = None, file: str = "", line: int = 0, default_severity: str = "",
                 since: int | None = None, until: int | None = None):
        self.id = id
        self.name = name
        self.category = category
        self.severity = severity
        self.message = message
        self.kind = kind
        self.params = params
        self.doc = {} if doc is None else doc
        self.file = file
        self.line = line
        self.default_severity = default_severity
        self.since = since  # the rule judges the reports of these years only (None: open)
        self.until = until

    def applies_to(self, year: int | None) -> bool:
        """Whether the rule judges a report of `year` (a report of no known year: every rule does)."""
        return year is None or ((self.since is None or year >= self.since) and (self.until is None or year <= self.until))

    def years(self) -> str:
        """The years the rule is for, as a reader says them (「2021年度及以后」), "" for every year."""
        if self.since and self.until:
            return f"{self.since}至{self.until}年度"
        if self.since:
            return f"{self.since}年度及以后"
        return f"{self.until}年度及以前" if self.until else ""

    @property
    def title(self) -> str:
        """The rule's Chinese name (「表格三各行总计」); its slug when a local rule file gives none."""
        return str(self.doc.get("title") or self.name)

    @property
    def description(self) -> str:
        """What the rule checks and why, in Chinese ("" when a local rule file gives none)."""
        return str(self.doc.get("description") or "")

    # -- message and findings ------------------------------------------------
    def format_message(self, **args) -> str:
        """The message with its placeholders (``{name}``, see :func:`message_problems`) replaced by
        ``args``; anything else in braces (an unknown name, a format spec, an attribute: what a rule
        file that passed no check could hold, a forged cache entry) stays as written."""
        out = []
        for literal, name, written in _template(self.message):
            out.append(literal)
            if written:
                out.append(str(args[name]) if name in args else written)
        return "".join(out)

    def _finding(self, report, line, col, end_line, end_col, excerpt, location, fix, args, page=0, masked=False) -> Finding:
        if page:  # a paged document (PDF): line is the line of that page
            location = f"第{page}页 {location}" if location else f"第{page}页"
        f = Finding(
            rule=self.id,
            category=self.category,
            severity=self.severity,
            message=self.format_message(**args),
            line=line,
            column=col,
            end_line=end_line,
            end_column=end_col,
            excerpt=excerpt,
            location=location,
            fix=fix,
            page=page,
            masked=masked,
        )
        f.display_column = report.display_col(line, col, page)
        f.display_end_column = report.display_col(end_line, end_col, page)
        return f

    def at_text(self, report, p, start: int, end: int, /, fix: str | None = None, mask: str | None = None,
                **args) -> Finding:
        """A finding on characters [start, end) of paragraph `p`'s text.

        `mask` (personal data) is the excerpt instead of those characters: the same text with
        the characters no output may show as 「*」.
        """
        location = args.pop("location", "") or _where_paragraph(report, p)
        excerpt = p.text[start:end] if mask is None else mask
        fx = Fix(fix, f"改为「{fix}」") if fix is not None else None
        return self._finding(report, p.line, p.col + start, p.line, p.col + end, excerpt, location, fx, args, p.page,
                             masked=mask is not None)

    def at_paragraph(self, report, p, /, **args) -> Finding:
        return self.at_text(report, p, 0, len(p.text), **args)

    def at_cell(self, report, lt, row, column: str | None, cell, /, fix: str | None = None, span=None, **args) -> Finding:
        """A finding on a table cell, or on characters span=(start, end) of its first line."""
        location = lt.where(row, column) if row is not None else f"第{lt.spec.section}部分 表格{lt.spec.section}"
        location = args.pop("location", location)
        fx = Fix(fix, f"改为「{fix}」") if fix is not None else None
        if span is not None:
            start, end = span
            text = cell.text.split("\n", 1)[0]
            return self._finding(report, cell.line, cell.col + start, cell.line, cell.col + end, text[start:end], location, fx,
                                 args, cell.page)
        lines = cell.text.split("\n")
        end_line = cell.line + len(lines) - 1
        end_col = (cell.col if len(lines) == 1 else 1) + len(lines[-1])
        return self._finding(report, cell.line, cell.col, end_line, end_col, cell.text, location, fx, args, cell.page)

    def at_cell_line(self, report, cell, k: int, start: int, end: int, /, location: str, mask: str | None = None,
                     **args) -> Finding:
        """A finding on characters [start, end) of line ``k`` of ``cell``'s text (``mask`` as in at_text)."""
        text = cell.text.split("\n")[k]
        col = cell.col if k == 0 else 1
        excerpt = text[start:end] if mask is None else mask
        return self._finding(report, cell.line + k, col + start, cell.line + k, col + end, excerpt, location, None, args,
                             cell.page, masked=mask is not None)

    def at_document(self, report, /, location: str = "", **args) -> Finding:
        p = report.title or (report.paragraphs[0] if report.paragraphs else None)
        if p is None:
            return self._finding(report, 1, 1, 1, 1, "", location, None, args)
        f = self.at_paragraph(report, p, location=location or "全文", **args)
        return f

    # -- running ---------------------------------------------------------------
    def run(self, report) -> list[Finding]:
        return list(kinds.load(self.kind).check(self, report))


@functools.lru_cache(maxsize=1024)
def _template(message: str) -> tuple:
    """``message`` as (literal text, placeholder name or None, the placeholder as written) parts:
    a name only for a plain ``{name}``."""
    try:
        parts = list(string.Formatter().parse(message))
    except ValueError:  # unbalanced braces: the text as it is
        return ((message, None, ""),)
    out = []
    for literal, field, spec, conv in parts:
        if field is None:
            out.append((literal, None, ""))
            continue
        written = "{" + field + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") + "}"
        out.append((literal, field if field.isidentifier() and not spec and not conv else None, written))
    return tuple(out)


def message_problems(message: str, kind: str, allowed) -> list[str]:
    """What is wrong with ``message`` as the message of a rule of ``kind``, in Chinese: a placeholder
    is a name of ``allowed`` in braces, ``{match}``, with no conversion (``!r``), no format spec
    (``{match:>1000000000}`` would pad to a gigabyte) and no attribute or index
    (``{match.__class__}``); ``{{`` and ``}}`` are braces."""
    try:
        parts = list(string.Formatter().parse(message))
    except ValueError as e:
        return [f"message 中的花括号有误：{e}（花括号本身写作 {{{{ 和 }}}}）"]
    out = []
    names = "、".join(allowed) or "无"
    for _, field, spec, conv in parts:
        if field is None:
            continue
        written = "{" + field + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") + "}"
        if conv or spec:
            out.append(f"message 中的占位符「{written}」不能带转换或格式（!r、:>10 之类），只能写作 {{名称}}")
        elif not field.isidentifier():
            out.append(f"message 中的占位符「{written}」只能是一个名称，不能用 . 或 [] 取属性、下标，也不能是数字或空的")
        elif field not in allowed:
            out.append(f"message 中的占位符「{written}」不是 {kind} 提供的（可用：{names}）")
    return out


def _where_paragraph(report, p) -> str:
    return report.where_paragraph(p)


# --------------------------------------------------------------------------- loading


class RuleFileError(ConfigError):
    def __init__(self, path: str, problems: list[tuple[int, int, str]]):
        self.path = path
        self.problems = problems
        first = problems[0]
        more = f"（另有 {len(problems) - 1} 处）" if len(problems) > 1 else ""
        super().__init__(E_RULES, f"{path}:{first[0]}:{first[1]}: {first[2]}{more}")


# What a rule file or a config may hold (both come from folders gxlint lints, so from anyone): the
# file's bytes, read from a regular file only; how deep its collections nest; its nodes, each alias
# counted as the nodes it stands for (a "billion laughs" of nested aliases is refused as it is
# composed, long before anything walks it); the characters of an integer (Python converts no more
# than 4,300 decimal digits, and a hexadecimal one of any length would fail when printed).  The
# national pack: 38 KB a file at most, 9 levels, 915 nodes.
MAX_YAML_BYTES = 2**20
MAX_YAML_DEPTH = 32
MAX_YAML_NODES = 100_000
MAX_INT_CHARS = 32


class YamlLimit(Exception):
    """A YAML document over one of the limits above, at (line, column), 1-based."""

    def __init__(self, line: int, col: int, message: str):
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


_COMPOSER = None


def _bounded_composer():
    """ruamel.yaml's Composer (the stage that turns parser events into nodes, set as the YAML
    instance's ``Composer`` like its ``Constructor``) counting as it composes: the nesting of
    collections, the nodes (an alias adds the nodes of what it names, known once that is
    composed), and the length of integers.  The round-trip constructor never copies what an alias
    names, but anything walking the data does (a message printing a value, gxlint.rule._plain)."""
    global _COMPOSER
    if _COMPOSER is not None:
        return _COMPOSER
    from ruamel.yaml.composer import Composer
    from ruamel.yaml.events import AliasEvent, MappingStartEvent, SequenceStartEvent

    class Bounded(Composer):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.warn_double_anchors = False  # a warning on stderr, for a file that is valid YAML
            self.nesting = 0
            self.nodes = 0
            self.sizes: dict[int, int] = {}  # id of an anchored node -> its nodes, aliases expanded

        def compose_node(self, parent, index):
            event = self.parser.peek_event()
            mark = event.start_mark
            if isinstance(event, AliasEvent):
                node = super().compose_node(parent, index)
                self.count(self.sizes.get(id(node), 1), mark)
                return node
            collection = isinstance(event, (SequenceStartEvent, MappingStartEvent))
            if collection:
                self.nesting += 1
                if self.nesting > MAX_YAML_DEPTH:
                    raise YamlLimit(mark.line + 1, mark.column + 1, f"嵌套超过 {MAX_YAML_DEPTH} 层")
            before = self.nodes
            self.count(1, mark)
            node = super().compose_node(parent, index)
            if collection:
                self.nesting -= 1
            elif str(node.tag).endswith(":int") and len(node.value) > MAX_INT_CHARS:
                raise YamlLimit(mark.line + 1, mark.column + 1, f"整数过长（{len(node.value)} 个字符，至多 {MAX_INT_CHARS} 个）")
            if node.anchor is not None:
                self.sizes[id(node)] = self.nodes - before
            return node

        def count(self, n: int, mark) -> None:
            self.nodes += n
            if self.nodes > MAX_YAML_NODES:
                raise YamlLimit(mark.line + 1, mark.column + 1,
                                f"节点过多（别名展开后超过 {MAX_YAML_NODES:,} 个，可能是层层嵌套的别名）")

    _COMPOSER = Bounded
    return Bounded


def _yaml():
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.allow_duplicate_keys = False
    y.Composer = _bounded_composer()
    return y


def read_text(path: str, what: str, limit: int = MAX_YAML_BYTES) -> str:
    """The text of the config or rule file at ``path`` (UTF-8, a BOM allowed), read from a regular
    file only and at most ``limit`` bytes (gxlint.files.read_small); RuleFileError otherwise."""
    from .errors import GxlintError
    from .files import read_small

    try:
        data = read_small(path, limit, what)
    except GxlintError as e:
        raise RuleFileError(path, [(1, 1, e.message.removeprefix(f"{what} {path} "))]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RuleFileError(path, [(1, 1, f"不是 UTF-8 编码的文本（{what}）")]) from None


def load_yaml(path: str, what: str = "规则文件"):
    """Parse the YAML file at ``path`` within the limits above (MAX_YAML_*); raise RuleFileError with
    the position of a syntax error or of what is over a limit."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    text = read_text(path, what)
    try:
        return _yaml().load(text)
    except YamlLimit as e:
        raise RuleFileError(path, [(e.line, e.col, e.message)]) from None
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise RuleFileError(path, [(line, col, f"YAML 语法错误：{_short(e.problem or e.context)}")]) from None
    except YAMLError as e:
        raise RuleFileError(path, [(1, 1, f"YAML 错误：{_short(e)}")]) from None
    except (ValueError, TypeError, OverflowError, RecursionError) as e:  # a value ruamel cannot construct (a date 2024-02-30)
        raise RuleFileError(path, [(1, 1, f"YAML 中有无法读取的值（{type(e).__name__}: {_short(e)}）")]) from None


def _short(x, n: int = 200) -> str:
    """``x`` as text for a one-line message: one line, at most ``n`` characters."""
    s = " ".join(str(x).split())
    return s if len(s) <= n else s[:n] + "…"


def _pos(node, key=None) -> tuple[int, int]:
    """1-based (line, col) of `node[key]` (or of node itself) in a ruamel round-trip tree."""
    try:
        if key is None:
            return node.lc.line + 1, node.lc.col + 1
        if isinstance(key, int):
            ln, col = node.lc.item(key)
        else:
            value = node[key]
            ln, col = node.lc.key(key) if hasattr(value, "lc") else node.lc.value(key)
        return ln + 1, col + 1
    except Exception:  # noqa: BLE001 - positions are best effort
        return 1, 1


def _key_pos(node, key) -> tuple[int, int]:
    try:
        ln, col = node.lc.key(key)
        return ln + 1, col + 1
    except Exception:  # noqa: BLE001
        return 1, 1


def _did_you_mean(word: str, options) -> str:
    import difflib  # only for a mistake in a rule file

    close = difflib.get_close_matches(str(word), [str(o) for o in options], n=1)
    return f"，是不是「{close[0]}」？" if close else ""


def validate_rules(data, path: str, known_ids: dict[str, str] | None = None, *, builtin: bool = False,
                   warnings: list | None = None) -> tuple[list[Rule], list[tuple[int, int, str]]]:
    """Rules of a parsed rule file, and the problems found, each (line, col, message).

    `builtin`: the file is part of the built-in pack, whose rules must give their Chinese
    ``doc.title`` and ``doc.description``; elsewhere a missing one goes to `warnings`
    (line, col, message) when a list is given.  A title or description that is there but is
    not Chinese text is a problem in any file.
    """
    problems: list[tuple[int, int, str]] = []
    rules: list[Rule] = []
    known_ids = {} if known_ids is None else known_ids
    if data is None:
        return [], []
    if not isinstance(data, dict):
        return [], [(1, 1, "规则文件的顶层应是映射（含 rules: 列表）")]
    for key in data:
        if key not in TOP_KEYS:
            problems.append((*_key_pos(data, key), f"未知的顶层键「{key}」{_did_you_mean(key, TOP_KEYS)}"))
    if "format" in data and "formats" in data:
        problems.append((*_key_pos(data, "formats"), "format 与 formats 只能写一个（formats 列出格式的各个版本）"))
    if "format" in data:
        problems += _validate_format(data["format"], data)
    if "formats" in data:
        if not isinstance(data["formats"], list) or not data["formats"]:
            problems.append((*_pos(data, "formats"), "formats 应是列表，每项是格式的一个版本（name、since、sections、tables）"))
        else:
            for i, version in enumerate(data["formats"]):
                problems += _validate_format(version, data["formats"], i)
    items = data.get("rules", [])
    if items is None:
        items = []
    if not isinstance(items, list):
        return rules, problems + [(*_pos(data, "rules"), "rules 应是列表")]
    for i, item in enumerate(items):
        here = _pos(items, i)
        if not isinstance(item, dict):
            problems.append((*here, "每条规则应是映射（id、category、severity、message、kind…）"))
            continue
        before = len(problems)
        for req in ("id", "category", "severity", "message", "kind"):
            if req not in item:
                problems.append((*here, f"规则缺少必填键「{req}」"))
        rid = str(item.get("id", ""))
        if "id" in item:
            if not RULE_ID.match(rid):
                problems.append((*_pos(item, "id"), f"规则编号「{rid}」应为 GX 加三位数字，如 GX101"))
            elif rid in known_ids:
                problems.append((*_pos(item, "id"), f"规则编号「{rid}」重复（已在 {known_ids[rid]} 定义）"))
        cat = item.get("category")
        if "category" in item and cat not in CATEGORIES:  # None too (category: ~)
            problems.append((*_pos(item, "category"), f"类别「{cat}」无效，应为 {'/'.join(CATEGORIES)} 之一{_did_you_mean(cat, CATEGORIES)}"))
        sev = item.get("severity")
        if "severity" in item and sev not in SEVERITIES:
            problems.append((*_pos(item, "severity"), f"严重程度「{sev}」无效，应为 error/warning/info 之一{_did_you_mean(sev, SEVERITIES)}"))
        if "message" in item and not isinstance(item["message"], str):
            problems.append((*_pos(item, "message"), "message 应是字符串"))
        kind = item.get("kind")
        params: dict = {}
        if "kind" in item and kind not in (known := kinds.names()):
            problems.append((*_pos(item, "kind"), f"检查类型「{kind}」不存在，可用：{'、'.join(known)}{_did_you_mean(kind, known)}"))
        elif kind is not None and (wrong := kinds.problems(kind)):
            problems += [(*_pos(item, "kind"), f"检查类型 {kind} 的模块有误：{w}") for w in wrong]
        elif kind is not None:
            mod = kinds.load(kind)
            spec: dict[str, Param] = mod.PARAMS
            for key in item:
                if key in COMMON_KEYS:
                    continue
                if key not in spec:
                    problems.append((*_key_pos(item, key), f"检查类型 {kind} 没有参数「{key}」{_did_you_mean(key, spec)}"))
                    continue
                problems += _check_param(item, key, spec[key])
                params[key] = _plain(item[key])
            for key, p in spec.items():
                if key not in item:
                    if p.required:
                        problems.append((*here, f"检查类型 {kind} 需要参数「{key}」"))
                    else:
                        params[key] = p.default
            if hasattr(mod, "validate") and len(problems) == before:
                for key, msg in mod.validate(params):
                    problems.append((*(_pos(item, key) if key in item else here), msg))
            if isinstance(item.get("message"), str):
                allowed = [*getattr(mod, "ARGS", ()), *_group_names(params, getattr(mod, "GROUP_ARGS", ()))]
                for msg in message_problems(item["message"], kind, allowed):
                    problems.append((*_pos(item, "message"), msg))
        for key in ("since", "until"):
            if key in item and (not isinstance(item[key], int) or isinstance(item[key], bool) or not 2000 <= item[key] <= 2100):
                problems.append((*_pos(item, key), f"{key} 应是报告年度（四位数字，如 2021）"))
        problems += _check_doc_zh(item, here, builtin, warnings)
        if len(problems) == before:
            known_ids[rid] = path
            rules.append(
                Rule(
                    id=rid,
                    name=str(item.get("name", rid)),
                    category=str(cat),
                    severity=str(sev),
                    default_severity=str(sev),
                    message=str(item["message"]),
                    kind=str(kind),
                    params=params,
                    doc=_plain(item.get("doc", {})) or {},
                    file=path,
                    line=here[0],
                    since=item.get("since"),
                    until=item.get("until"),
                )
            )
    return rules, problems


def _group_names(params: dict, keys) -> list[str]:
    """The named groups of the patterns in ``params[key]`` for ``keys`` (a kind's GROUP_ARGS: its
    messages may name them), those that compile."""
    out: list[str] = []
    for key in keys:
        if isinstance(params.get(key), str):
            try:
                out += [g for g in re.compile(params[key]).groupindex if g not in out]
            except re.error:
                pass  # the parameter's own problem, reported with it
    return out


def _check_doc_zh(item, here, builtin: bool, warnings: list | None) -> list[tuple[int, int, str]]:
    """doc.title and doc.description: Chinese text; required in the built-in pack (see the module doc)."""
    doc = item.get("doc")
    if doc is not None and not isinstance(doc, dict):
        return [(*_pos(item, "doc"), "doc 应是映射（title、description、summary、source、triggers、passes）")]
    doc = doc or {}
    names = {"title": "中文名称", "description": "中文说明"}
    problems = []
    for key in DOC_ZH:
        if key not in doc:
            where = _key_pos(item, "doc") if "doc" in item else here
            msg = f"规则缺少 doc.{key}（{names[key]}，用户在 gxlint rules、--explain、--audit 中看到的是它）"
            if builtin:
                problems.append((*where, msg))
            elif warnings is not None:
                warnings.append((*where, msg))
        elif not isinstance(doc[key], str) or not compiled(_CJK).search(doc[key]):
            problems.append((*_pos(doc, key), f"doc.{key}（{names[key]}）应是中文文字"))
    return problems


def _check_param(item, key, p: Param) -> list[tuple[int, int, str]]:
    value = item[key]
    where = _pos(item, key)
    if not isinstance(value, p.type):
        names = {str: "字符串", list: "列表", dict: "映射", int: "整数", bool: "布尔值", float: "数字"}
        t = p.type if isinstance(p.type, tuple) else (p.type,)
        return [(*where, f"参数「{key}」应是{'或'.join(names.get(x, x.__name__) for x in t)}")]
    if p.choices and value not in p.choices:
        return [(*where, f"参数「{key}」的值「{value}」无效，应为 {'/'.join(p.choices)} 之一{_did_you_mean(value, p.choices)}")]
    if p.regex:
        for i, pattern in enumerate([value] if isinstance(value, str) else value):
            try:
                re.compile(str(pattern))
            except re.error as e:
                ln, col = where if isinstance(value, str) else _pos(value, i)
                return [(ln, col, f"参数「{key}」的正则表达式有误：{e}")]
    return []


def _validate_format(fmt, parent, key="format") -> list[tuple[int, int, str]]:
    """Problems of one version of the format (``format:``, or item `key` of ``formats:``)."""
    problems = []
    if not isinstance(fmt, dict):
        return [(*_pos(parent, key), "格式应是映射（name、sections、tables）")]
    for k in ("since", "until"):
        if k in fmt and (not isinstance(fmt[k], int) or isinstance(fmt[k], bool)):
            problems.append((*_pos(fmt, k), f"{k} 应是报告年度（四位数字，如 2021）"))
    for i, s in enumerate(fmt.get("sections", []) or []):
        if not isinstance(s, dict) or "number" not in s or "title" not in s:
            problems.append((*_pos(fmt["sections"], i), "每个部分应有 number 和 title"))
            continue
        for key in ("match", "words"):
            for j, pat in enumerate(s.get(key, []) or []):
                try:
                    re.compile(str(pat))
                except re.error as e:
                    problems.append((*_pos(s[key], j), f"正则表达式有误：{e}"))
    for i, t in enumerate(fmt.get("tables", []) or []):
        if not isinstance(t, dict) or "id" not in t:
            problems.append((*_pos(fmt["tables"], i), "每个表格应有 id"))
            continue
        if not any(k in t for k in ("columns", "column_groups", "blocks")):
            problems.append((*_pos(fmt["tables"], i), f"表格 {t['id']} 应有 columns、column_groups 或 blocks"))
    return problems


def _plain(value):
    """ruamel round-trip containers -> plain dict/list/str."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):  # ruamel's ScalarFloat: unpickling it would import ruamel.yaml
        return float(value)
    if isinstance(value, int):
        return int(value)
    return value
