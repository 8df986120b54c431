"""Command line: ``gxlint [OPTIONS] PATH...``, ``gxlint rules``, ``gxlint rules check FILE``.

The options of ``lint`` (declared in gxlint.options) are parsed here; linting itself is
gxlint.run.lint (exit status there).
Heavy imports happen inside the commands.
"""
from __future__ import annotations

import sys

import click

from . import __version__, cli_zh
from .run.output import EXIT_FINDINGS, EXIT_OK, fail

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


def _lint_options(command):
    """The click options of ``lint``, made from their one declaration (gxlint.options.OPTIONS)."""
    from .options import OPTIONS

    types = {"count": click.IntRange(min=0), "file": click.Path(dir_okay=False), "dir": click.Path(file_okay=False),
             "path": click.Path(), "input": click.Path(readable=False)}  # unreadable input: an E0xx line
    for o in reversed(OPTIONS):
        kw: dict = {"help": o.help}
        if o.type == "flag":
            kw["is_flag"] = True
        elif o.type == "choice":
            kw["type"] = click.Choice(list(o.choices))
        elif o.type in types:
            kw["type"] = types[o.type]
        if o.type != "flag" and not o.multiple and o.default is not None:
            kw["default"] = o.default
        for key in ("metavar", "multiple", "show_default"):
            if getattr(o, key):
                kw[key] = getattr(o, key)
        command = click.option(*o.flags, o.name, **kw)(command)
    return command


@main.command("lint", options_metavar="[选项]")
@click.argument("paths", nargs=-1, type=click.Path(readable=False), metavar="[报告或文件夹]...")  # unreadable: an E013 line
@_lint_options
def lint_cmd(paths, **values):
    """检查报告，每个问题输出一行：path:line:col: severity: GX### 说明 [位置]。"""
    from .options import Options
    from .run import lint

    lint(Options(**values), paths)


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
        fail(e.code, e.message)
    if explain:
        rule = next((r for r in linter.all_rules if r.id == explain.upper()), None)
        if rule is None:
            fail("E022", f"没有规则 {explain}")
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
    """校验规则文件，逐条指出错误所在的行和列，并用每条规则的示例（doc.triggers、doc.passes）检验它。"""
    from .rulecheck import builtin_ids, check_file

    known, builtin = builtin_ids()
    bad = False
    for path in files:
        rules, problems, warnings = check_file(path, known, builtin)
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
