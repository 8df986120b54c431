"""click's own messages (usage errors, help headings) in Chinese, and help laid out for Chinese.

click translates its messages with :mod:`gettext` (``_`` and ``ngettext`` bound in each of its
modules); :func:`install` rebinds them in those modules to a lookup in the table below, so
that a mistyped option reads 「错误：没有选项 '--frobnicate'。」.  A message not in the table
stays in English (a newer click may add some).

click measures and wraps help by characters; a Chinese character takes two columns on a
terminal, so its columns would come out of line and its lines too long.  :class:`HelpFormatter`
(installed as ``click.Context.formatter_class``) measures by display width, breaks Chinese text
between any two characters (never before 「，。」 and the like, never after 「（「」), Latin text at
spaces only, and writes 「用法：」 and 「选项：」 with full-width colons and no space after them.
"""
from __future__ import annotations

import importlib
import re
import unicodedata

import click

MESSAGES = {
    "Usage:": "用法：",  # HelpFormatter writes no space after it
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行「{command} {option}」查看帮助。",
    "Invalid value: {message}": "无效的值：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "No such option {name!r}.": "没有选项 {name!r}",  # click adds 「 」 and a suggestion
    "No such option: {name}": "没有选项：{name}",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Missing command.": "缺少命令。",
    "unknown error": "未知错误",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "Invalid start character for option ({option})": "选项的首字符无效（{option}）",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受值。",
    "Aborted!": "已中止。",
    "Options": "选项",
    "Positional arguments": "位置参数",
    "Commands": "命令",
    "Value must be an iterable.": "值应是可迭代的。",
    "env var: {var}": "环境变量：{var}",
    "default: {default}": "默认：{default}",
    "required": "必需",
    "(dynamic)": "（动态）",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid UUID.": "{value!r} 不是有效的 UUID。",
    "file": "文件",
    "directory": "目录",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是目录。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 不可执行。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Show the version and exit.": "显示版本并退出。",
    "Show this message and exit.": "显示此帮助并退出。",
}
PLURALS = {
    "Did you mean {possibility}?": ("（您是不是要输入 {possibility}？）", "（您是不是要输入以下之一：{possibilities}？）"),
    "Option {name!r} requires an argument.": ("选项 {name!r} 需要一个值。", "选项 {name!r} 需要 {nargs} 个值。"),
    "{value!r} is not {choice}.": ("{value!r} 不是 {choice}。", "{value!r} 不是 {choices} 之一。"),
    "{value!r} does not match the format {format}.": ("{value!r} 不符合格式 {format}。", "{value!r} 不符合格式 {formats}。"),
    "Got unexpected extra argument ({args})": ("多余的参数（{args}）", "多余的参数（{args}）"),
    "Takes {nargs} values but 1 was given.": ("需要 {nargs} 个值，但只给了 1 个。", "需要 {nargs} 个值，但给了 {len} 个。"),
}
MODULES = ("core", "exceptions", "parser", "types", "formatting", "decorators", "termui")


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    pair = PLURALS.get(singular)
    if pair is None:
        return singular if n == 1 else plural
    return pair[0] if n == 1 else pair[1]


def width(s: str) -> int:
    """Display width of ``s`` on a terminal: a wide (Chinese) character counts 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


_TOKEN = re.compile(r"\s+|\[[^\s\]]*\]|[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]+")
_NO_START = set("，。、：；！？）」』》〕】”’,.;:!?)]")  # never at the start of a line
_NO_END = set("（「『《〔【“‘([")  # never at the end of a line


def wrap(text: str, limit: int, first: str = "", rest: str = "") -> list[str]:
    """``text`` (one paragraph) in lines of at most ``limit`` columns (a unit wider than that
    stands alone), the first led by ``first``, the others by ``rest``."""
    units: list[list[str]] = []  # [space before, text]: a unit is never broken
    space = ""
    for tok in _TOKEN.findall(text):
        if tok.isspace():
            space = " "
        elif units and not space and (tok[0] in _NO_START or units[-1][1][-1] in _NO_END):
            units[-1][1] += tok
        else:
            units.append([space, tok])
            space = ""
    lines, line = [], first
    used = width(first)
    empty = True
    for space, unit in units:
        w = width(unit)
        if not empty and used + width(space) + w > limit:
            lines.append(line)
            line, used, empty = rest, width(rest), True
        if not empty:
            line += space
            used += width(space)
        line += unit
        used += w
        empty = False
    lines.append(line)
    return lines


def wrap_paragraphs(text: str, limit: int, indent: str = "") -> str:
    """Paragraphs (separated by blank lines) each wrapped by :func:`wrap`; a paragraph whose
    first line is ``\\b`` is kept as it is written (click's convention)."""
    out = []
    for para in re.split(r"\n\s*\n", text.expandtabs().strip("\n")):
        lines = para.split("\n")
        if lines[0].strip() == "\b":
            out.append("\n".join(indent + ln for ln in lines[1:]))
            continue
        lead = indent + " " * (len(lines[0]) - len(lines[0].lstrip()))
        out.append("\n".join(wrap(" ".join(ln.strip() for ln in lines), limit, lead, lead)))
    return "\n\n".join(out)


class HelpFormatter(click.HelpFormatter):
    """click's help formatter, measuring by display width (see the module's docstring)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        prefix = gettext("Usage:") if prefix is None else prefix.rstrip()
        lead = f"{prefix:>{self.current_indent}}{prog}"
        if not args:
            self.write(lead + "\n")
            return
        self.write("\n".join(wrap(args, self.width, lead + " ", " " * (width(lead) + 1))) + "\n")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        self.write(wrap_paragraphs(text, self.width, " " * self.current_indent) + "\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max((width(r[0]) for r in rows), default=0), col_max) + col_spacing
        lead = " " * self.current_indent
        for term, *more in rows:
            text = more[0] if more else ""
            self.write(lead + term)
            if not text:
                self.write("\n")
                continue
            if width(term) <= first_col - col_spacing:
                self.write(" " * (first_col - width(term)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            body = wrap_paragraphs(text, max(self.width - first_col - self.current_indent, 10))
            pad = "\n" + " " * (first_col + self.current_indent)
            self.write(pad.join(ln for ln in body.split("\n")) + "\n")


def install() -> None:
    """Rebind click's ``_`` and ``ngettext`` to the Chinese table and lay out help with
    :class:`HelpFormatter` (idempotent)."""
    click.Context.formatter_class = HelpFormatter
    for name in MODULES:
        try:
            mod = importlib.import_module(f"click.{name}")
        except ImportError:
            continue
        if hasattr(mod, "_"):
            mod._ = gettext
        if hasattr(mod, "ngettext"):
            mod.ngettext = ngettext
