"""The options of a lint (``gxlint lint --help``), each declared once, in :data:`OPTIONS`: its name,
flags, type, default, Chinese help and choices.

:class:`Options` holds one value per option.  Both command-line paths build one: gxlint.cli makes
its click options of :data:`OPTIONS` (:func:`gxlint.cli.lint_cmd`), gxlint.entry builds
``Options(no_cache=...)`` for the plain ``gxlint FILE...`` without importing click.  What takes
them: gxlint.run (``lint``, ``lint_paths``), gxlint.batch, gxlint.lsp and any other front end (a
web page): ``Options()`` has the command's defaults, ``Options(format="json", select=("GX3",))``
changes some.  This module imports nothing: it is read at every start.
"""
from __future__ import annotations

# Types (how click reads a value; the plain path takes the defaults):
#   flag    a switch, False unless given
#   text    a string
#   count   an integer >= 0
#   choice  one of ``choices``
#   file    a file path (a folder is refused)
#   dir     a folder path (a file is refused)
#   path    a file or folder path
#   input   a path gxlint reads and checks itself (missing or unreadable: an E0xx line, not a usage error)


class Option:
    """One option: ``name`` (the attribute of Options), its ``flags`` (``--format``, ``-q``...), its
    ``type`` (see above), ``default``, Chinese ``help``, ``choices`` (type choice), ``metavar`` (what
    the help shows for its value), ``multiple`` (given several times: a tuple) and
    ``show_default`` (the help says the default)."""

    __slots__ = ("name", "flags", "type", "default", "help", "choices", "metavar", "multiple", "show_default")

    def __init__(self, name: str, flags: tuple, type: str, help: str, default=None,  # noqa: A002 - the field's name
                 choices: tuple = (), metavar: str | None = None, multiple: bool = False, show_default: bool = False):
        self.name, self.flags, self.type, self.help = name, flags, type, help
        self.default = () if multiple else (False if type == "flag" else default)
        self.choices, self.metavar, self.multiple, self.show_default = choices, metavar, multiple, show_default


FORMATS = ("text", "json", "sarif", "github", "csv", "html")
SEVERITIES = ("error", "warning", "info")

OPTIONS = (
    Option("format", ("--format", "--output-format"), "choice", default="text", choices=FORMATS, show_default=True,
           help="输出格式：text（每个问题一行）、json、sarif（代码扫描）、github（GitHub Actions 注释）、csv（表格）、"
                "html（汇总页面）。--output-format 与之相同（Ruff 的写法）。"),
    Option("output_file", ("--output-file",), "file", metavar="文件",
           help="把输出写入此文件而不是标准输出（原子写入；csv 带 BOM）。"),
    Option("exit_zero", ("--exit-zero",), "flag", help="发现问题时退出状态也为 0（无法读取任何输入时仍为 2）。"),
    Option("quiet", ("-q", "--quiet"), "flag", help="只输出问题，不输出汇总和提示。"),
    Option("statistics", ("--statistics",), "flag", help="只输出每条规则的问题数（多的在前），不逐条列出。"),
    Option("fail_on", ("--fail-on",), "choice", default="error", choices=SEVERITIES, show_default=True,
           help="有这一严重程度（或更严重）的问题时退出状态为 1：error（默认）、warning（警告也使 CI 失败）、info。"),
    Option("select", ("--select",), "text", multiple=True, metavar="规则", help="只运行这些规则（编号、编号前缀或类别，逗号分隔）。"),
    Option("ignore", ("--ignore",), "text", multiple=True, metavar="规则", help="不运行这些规则（编号、编号前缀或类别，逗号分隔）。"),
    Option("config", ("--config",), "input", help="配置文件（默认：从报告所在目录向上查找 .gxlint.yaml）。"),
    Option("isolated", ("--isolated",), "flag",
           help="不读取任何配置文件（.gxlint.yaml、pyproject.toml 的 [tool.gxlint]），也就不加载其中 rule_dirs 的本地规则，"
                "只用国家规则包检查；用于检查别处送来的文件夹。不能与 --config 同用。"),
    Option("encoding", ("--encoding",), "text", metavar="编码", help="文本报告的编码（默认自动识别 UTF-8/GB18030）。"),
    Option("jobs", ("-j", "--jobs"), "count", default=0, metavar="进程数", help="并行进程数（默认 0：全部 CPU 核心）。"),
    Option("report", ("--report",), "file",
           help="另外写出汇总报告：.html（可直接打开的页面）、.csv（Excel/WPS 可打开）、.json 或 .sarif。"),
    Option("previous", ("--previous",), "input", help="上年的年度报告，用于与上年对照的检查（上年结转、内容雷同等）。"),
    Option("fix", ("--fix",), "flag",
           help="应用可自动修复的问题：.txt/.md 原地修改；.docx 需配合 -o，修改以修订（痕迹）形式写入副本。"),
    Option("diff", ("--diff",), "flag", help="只显示 --fix 会做的修改（统一差异格式），不写文件。"),
    Option("output", ("-o", "--output"), "file", help="与 --fix 同用：修复结果写入此文件，原文件不变。"),
    Option("audit", ("--audit",), "flag", help="逐条列出每条规则对该报告的检查情况：通过、未通过、无法判断（附原因）。"),
    Option("stdin_filename", ("--stdin-filename",), "text", metavar="文件名",
           help="与「-」同用：从标准输入读取报告，按此文件名决定读法（按扩展名，默认 .md）、适用的配置和输出中的文件名。"),
    Option("annotate", ("--annotate",), "path", metavar="副本.docx|目录",
           help="把每个问题作为 Word 批注写入 .docx 副本（作者「gxlint」），原文件不变；"
                "检查多份报告或文件夹时给出目录，有问题的 .docx 报告按原相对路径写入该目录。"),
    Option("urls", ("--urls",), "file", metavar="网址列表.txt",
           help="逐行列出报告网址的文件（# 开头为注释），与文件夹一样作为一批检查；网址也可直接作为参数给出。"),
    Option("no_suppressions", ("--no-suppressions",), "flag",
           help="忽略报告中的抑制注释（<!-- gxlint-disable … -->、gxlint: disable=…、Word 批注「gxlint: ignore …」），显示全部问题。"),
    Option("baseline", ("--baseline",), "file", metavar="文件",
           help="只报告基线文件中没有的新问题，并说明基线中有多少问题已修复（也可在 .gxlint.yaml 中写 baseline:）。"),
    Option("write_baseline", ("--write-baseline",), "file", metavar="文件",
           help="把本次发现的全部问题写入基线文件（之后用 --baseline 只看新问题）。"),
    Option("no_cache", ("--no-cache",), "flag", help="不使用结果缓存（默认：未改动的报告直接取上次的结果）。"),
    Option("cache_dir", ("--cache-dir",), "dir", metavar="目录",
           help="结果缓存的目录（默认：$GXLINT_CACHE_DIR，或 $XDG_CACHE_HOME/gxlint，或 ~/.cache/gxlint）。"),
)


class Options:
    """The value of every option of :data:`OPTIONS` (by its name), the command's default where not
    given.  ``Options(jobs=1)``; ``options.replace(quiet=True)`` is a copy with a change."""

    __slots__ = tuple(o.name for o in OPTIONS)

    def __init__(self, **values):
        unknown = set(values) - set(self.__slots__)
        if unknown:
            raise TypeError(f"unknown option(s): {', '.join(sorted(unknown))}")
        for o in OPTIONS:
            value = values.get(o.name, o.default)
            if o.multiple:  # a tuple, whether given one string or several
                value = (value,) if isinstance(value, str) else tuple(value or ())
            setattr(self, o.name, value)

    def replace(self, **changes) -> Options:
        return Options(**{**self.as_dict(), **changes})

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__}

    def __eq__(self, other):
        return self.as_dict() == other.as_dict() if isinstance(other, Options) else NotImplemented

    __hash__ = None

    def __repr__(self) -> str:
        changed = ", ".join(f"{o.name}={getattr(self, o.name)!r}" for o in OPTIONS if getattr(self, o.name) != o.default)
        return f"Options({changed})"

    def selectors(self, name: str) -> list[str]:
        """``select`` or ``ignore`` as a list (each value may hold several, comma-separated)."""
        return [x.strip() for v in getattr(self, name) or () for x in v.split(",") if x.strip()]
