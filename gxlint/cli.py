"""Command line: ``gxlint [OPTIONS] PATH...``, ``gxlint rules``, ``gxlint rules check FILE``.

The options of ``lint`` are parsed here; linting itself is gxlint.run.lint (exit status there).
Heavy imports happen inside the commands.
"""
from __future__ import annotations

import os
import sys

import click

from . import __version__, cli_zh
from .run import EXIT_FINDINGS, EXIT_OK, _fail

cli_zh.install()  # click's own usage errors and help headings in Chinese


class _DefaultToLint(click.Group):
    """`gxlint draft.docx` means `gxlint lint draft.docx`."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["lint", *args]
        elif not args:
            args = ["lint"]
        return super().parse_args(ctx, args)


@click.group(cls=_DefaultToLint, context_settings={"help_option_names": ["-h", "--help"]}, options_metavar="[选项]",
             subcommand_metavar="命令 [参数]...")
@click.version_option(__version__, prog_name="gxlint")
def main():
    """gxlint：政府信息公开工作年度报告合规检查。

    \b
    gxlint draft.docx            检查一份报告（.docx、.doc、.wps、.pdf、.ofd、.html、.txt、.md）
    gxlint https://…/2024.html   按网址检查（网页正文，或网页链接的报告附件）
    gxlint reports/              检查文件夹中的全部报告
    gxlint lint --help           检查的全部选项（输出格式、修复、批注、汇总报告等）
    gxlint rules                 列出规则
    gxlint rules check 规则.yaml  校验自定义规则文件
    gxlint lsp                   启动语言服务器（供编辑器使用）
    """


@main.command("lint", options_metavar="[选项]")
@click.argument("paths", nargs=-1, type=click.Path(readable=False), metavar="[报告或文件夹]...")  # unreadable: an E013 line
@click.option(
    "--format", "--output-format", "fmt", type=click.Choice(["text", "json", "sarif", "github", "csv", "html"]),
    default="text", show_default=True,
    help="输出格式：text（每个问题一行）、json、sarif（代码扫描）、github（GitHub Actions 注释）、csv（表格）、"
         "html（汇总页面）。--output-format 与之相同（Ruff 的写法）。",
)
@click.option("--output-file", type=click.Path(dir_okay=False), metavar="文件",
              help="把输出写入此文件而不是标准输出（原子写入；csv 带 BOM）。")
@click.option("--exit-zero", is_flag=True, help="发现问题时退出状态也为 0（无法读取任何输入时仍为 2）。")
@click.option("-q", "--quiet", is_flag=True, help="只输出问题，不输出汇总和提示。")
@click.option("--statistics", is_flag=True, help="只输出每条规则的问题数（多的在前），不逐条列出。")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error", show_default=True,
              help="有这一严重程度（或更严重）的问题时退出状态为 1：error（默认）、warning（警告也使 CI 失败）、info。")
@click.option("--select", multiple=True, metavar="规则", help="只运行这些规则（编号、编号前缀或类别，逗号分隔）。")
@click.option("--ignore", multiple=True, metavar="规则", help="不运行这些规则（编号、编号前缀或类别，逗号分隔）。")
@click.option("--config", "config_path", type=click.Path(readable=False), help="配置文件（默认：从报告所在目录向上查找 .gxlint.yaml）。")
@click.option("--encoding", metavar="编码", help="文本报告的编码（默认自动识别 UTF-8/GB18030）。")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, metavar="进程数", help="并行进程数（默认 0：全部 CPU 核心）。")
@click.option(
    "--report", "report_path", type=click.Path(dir_okay=False),
    help="另外写出汇总报告：.html（可直接打开的页面）、.csv（Excel/WPS 可打开）、.json 或 .sarif。",
)
@click.option("--previous", type=click.Path(readable=False), help="上年的年度报告，用于与上年对照的检查（上年结转、内容雷同等）。")
@click.option("--fix", is_flag=True, help="应用可自动修复的问题：.txt/.md 原地修改；.docx 需配合 -o，修改以修订（痕迹）形式写入副本。")
@click.option("--diff", is_flag=True, help="只显示 --fix 会做的修改（统一差异格式），不写文件。")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="与 --fix 同用：修复结果写入此文件，原文件不变。")
@click.option("--audit", is_flag=True, help="逐条列出每条规则对该报告的检查情况：通过、未通过、无法判断（附原因）。")
@click.option("--stdin-filename", metavar="文件名",
              help="与「-」同用：从标准输入读取报告，按此文件名决定读法（按扩展名，默认 .md）、适用的配置和输出中的文件名。")
@click.option("--annotate", type=click.Path(), metavar="副本.docx|目录",
              help="把每个问题作为 Word 批注写入 .docx 副本（作者「gxlint」），原文件不变；"
                   "检查多份报告或文件夹时给出目录，有问题的 .docx 报告按原相对路径写入该目录。")
@click.option("--urls", "urls_file", type=click.Path(dir_okay=False), metavar="网址列表.txt",
              help="逐行列出报告网址的文件（# 开头为注释），与文件夹一样作为一批检查；网址也可直接作为参数给出。")
@click.option("--no-suppressions", is_flag=True,
              help="忽略报告中的抑制注释（<!-- gxlint-disable … -->、gxlint: disable=…、Word 批注「gxlint: ignore …」），显示全部问题。")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False), metavar="文件",
              help="只报告基线文件中没有的新问题，并说明基线中有多少问题已修复（也可在 .gxlint.yaml 中写 baseline:）。")
@click.option("--write-baseline", type=click.Path(dir_okay=False), metavar="文件",
              help="把本次发现的全部问题写入基线文件（之后用 --baseline 只看新问题）。")
@click.option("--no-cache", is_flag=True, help="不使用结果缓存（默认：未改动的报告直接取上次的结果）。")
@click.option("--cache-dir", type=click.Path(file_okay=False), metavar="目录",
              help="结果缓存的目录（默认：$GXLINT_CACHE_DIR，或 $XDG_CACHE_HOME/gxlint，或 ~/.cache/gxlint）。")
def lint_cmd(**options):
    """检查报告，每个问题输出一行：path:line:col: severity: GX### 说明 [位置]。"""
    from .run import lint

    lint(**options)


@main.command("lsp", options_metavar="[选项]")
def lsp_cmd():
    """启动语言服务器（LSP，标准输入输出），供编辑器实时检查。"""
    from .lsp import main as serve

    serve()


@main.group("rules", invoke_without_command=True, options_metavar="[选项]", subcommand_metavar="[命令] [参数]...")
@click.option("--config", "config_path", type=click.Path(), help="配置文件（其中的 rule_dirs 一并列出）。")
@click.option("--explain", metavar="GX###", help="显示一条规则的说明、依据和示例。")
@click.pass_context
def rules_cmd(ctx, config_path, explain):
    """列出全部规则（编号、类别、默认严重程度、中文名称）；--explain 显示一条规则的详细说明。"""
    if ctx.invoked_subcommand is not None:
        return
    from .config import find_config, load_config
    from .engine import Linter
    from .errors import GxlintError

    try:
        linter = Linter(load_config(config_path or find_config(".")))
    except GxlintError as e:
        _fail(e.code, e.message)
    if explain:
        rule = next((r for r in linter.all_rules if r.id == explain.upper()), None)
        if rule is None:
            _fail("E022", f"没有规则 {explain}")
        from .docs import explain as render

        click.echo(render(rule))
        return
    from .formatters import CATEGORY_LABELS, SEVERITY_LABELS

    rows = [(r.id, CATEGORY_LABELS.get(r.category, r.category), SEVERITY_LABELS.get(r.default_severity, r.default_severity),
             r.title) for r in linter.all_rules]
    click.echo(_columns(rows))


def _columns(rows) -> str:
    """Rows of cells aligned in columns by display width (a Chinese character takes two columns)."""
    import unicodedata

    def width(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)

    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return "\n".join("  ".join([*(c + " " * (w - width(c)) for c, w in zip(row, widths)), row[-1]]) for row in rows)


@rules_cmd.command("check", options_metavar="[选项]")
@click.argument("files", nargs=-1, required=True, type=click.Path(), metavar="规则文件...")
def rules_check_cmd(files):
    """校验规则文件，逐条指出错误所在的行和列。"""
    from .engine import builtin_rule_dir, rule_files
    from .rule import RuleFileError, load_yaml, validate_rules

    known: dict = {}
    builtin = rule_files([builtin_rule_dir()])
    builtin_abs = set(map(os.path.abspath, builtin))
    for path in builtin:  # ids of the national pack count as taken
        try:
            for r in validate_rules(load_yaml(path), path, {})[0]:
                known[r.id] = os.path.basename(path)
        except RuleFileError:
            pass
    bad = False
    for path in files:
        is_builtin = os.path.abspath(path) in builtin_abs
        if is_builtin:
            own = {k: v for k, v in known.items() if v != os.path.basename(path)}
        else:
            own = dict(known)
        warnings: list = []
        try:
            rules, problems = validate_rules(load_yaml(path), path, own, builtin=is_builtin, warnings=warnings)
        except RuleFileError as e:
            problems = e.problems
            rules = []
        for line, col, msg in problems:
            click.echo(f"{path}:{line}:{col}: {msg}")
        for line, col, msg in warnings:  # a local rule file may do without: its rules are then shown by name
            click.echo(f"{path}:{line}:{col}: 警告：{msg}")
        if problems:
            bad = True
        else:
            click.echo(f"{path}: 有效（{len(rules)} 条规则）", err=True)
    sys.exit(EXIT_FINDINGS if bad else EXIT_OK)


if __name__ == "__main__":  # pragma: no cover
    main()
