"""Command line: ``gxlint [OPTIONS] PATH...``, ``gxlint rules``, ``gxlint rules check FILE``.

Exit status: 0 when no finding has severity error, 1 when one does, 2 for a
usage, config or input error.  Heavy imports happen inside the commands.
"""
from __future__ import annotations

import os
import sys

import click

from . import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _DefaultToLint(click.Group):
    """`gxlint draft.docx` means `gxlint lint draft.docx`."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["lint", *args]
        elif not args:
            args = ["lint"]
        return super().parse_args(ctx, args)


@click.group(cls=_DefaultToLint, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gxlint")
def main():
    """gxlint：政府信息公开工作年度报告合规检查。

    \b
    gxlint draft.docx            检查一份报告（.docx、.txt、.md）
    gxlint reports/              检查文件夹中的全部报告
    gxlint rules                 列出规则
    gxlint rules check FILE      校验自定义规则文件
    gxlint lsp                   启动语言服务器（供编辑器使用）
    """


def _split(values) -> list[str]:
    out = []
    for v in values or ():
        out += [x.strip() for x in v.split(",") if x.strip()]
    return out


def _expand(paths) -> list[str]:
    from .readers import SUFFIXES

    out = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.lower().endswith(SUFFIXES) and not name.startswith("~$"):
                        out.append(os.path.join(root, name))
        else:
            out.append(p)
    return out


def _fail(code: str, message: str):
    click.echo(f"gxlint: error: {code} {message}", err=True)
    sys.exit(EXIT_ERROR)


@main.command("lint")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]), default="text", show_default=True,
    help="输出格式：text（每个问题一行）、json、sarif（代码扫描）、github（GitHub Actions 注释）。",
)
@click.option("--select", multiple=True, help="只运行这些规则（编号、编号前缀或类别，逗号分隔）。")
@click.option("--ignore", multiple=True, help="不运行这些规则（编号、编号前缀或类别，逗号分隔）。")
@click.option("--config", "config_path", type=click.Path(), help="配置文件（默认：从报告所在目录向上查找 .gxlint.yaml）。")
@click.option("--encoding", help="文本报告的编码（默认自动识别 UTF-8/GB18030）。")
def lint_cmd(paths, fmt, select, ignore, config_path, encoding):
    """检查报告，每个问题输出一行：path:line:col: severity: GX### 说明 [位置]。"""
    from .config import find_config, load_config
    from .engine import FileResult, Linter
    from .errors import E_OS, GxlintError, InputError
    from .formatters import get
    from .formatters.text import summary

    if not paths:
        _fail("E022", "请给出要检查的报告文件或文件夹，例如：gxlint draft.docx")
    if config_path and not os.path.isfile(config_path):
        _fail("E020", f"配置文件不存在：{config_path}")
    linters: dict = {}
    results = []
    try:
        for path in _expand(paths):
            cfg_path = config_path or find_config(path)
            if cfg_path not in linters:
                linters[cfg_path] = Linter(load_config(cfg_path), select=_split(select), ignore=_split(ignore))
            linter = linters[cfg_path]
            if not os.path.exists(path):
                results.append(FileResult(path, error=InputError(E_OS, "文件不存在")))
                continue
            results.append(linter.lint_path(path, encoding=encoding))
    except GxlintError as e:
        _fail(e.code, e.message)
    out = click.get_text_stream("stdout")
    rules = {r.id: r for linter in linters.values() for r in linter.rules}
    get(fmt)(results, out, rules=list(rules.values()))
    if fmt == "text":
        click.echo(summary(results), err=True)
    if any(r.error for r in results):
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if any(f.severity == "error" for r in results for f in r.findings) else EXIT_OK)


@main.command("lsp")
def lsp_cmd():
    """启动语言服务器（LSP，标准输入输出），供编辑器实时检查。"""
    try:
        from .lsp import main as serve
    except ImportError as e:  # pygls is a dependency, but an environment may lack it
        _fail("E022", f"语言服务器需要 pygls 2.x：pip install 'pygls>=2,<3'（{e}）")
    serve()


@main.group("rules", invoke_without_command=True)
@click.option("--config", "config_path", type=click.Path(), help="配置文件（其中的 rule_dirs 一并列出）。")
@click.option("--explain", metavar="GX###", help="显示一条规则的说明、依据和示例。")
@click.pass_context
def rules_cmd(ctx, config_path, explain):
    """列出全部规则（编号、类别、默认严重程度、名称、说明）。"""
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
    for r in linter.all_rules:
        click.echo(f"{r.id}  {r.category:<12} {r.default_severity:<7} {r.name:<30} {r.doc.get('summary', '')}")


@rules_cmd.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path())
def rules_check_cmd(files):
    """校验规则文件，逐条指出错误所在的行和列。"""
    from .engine import builtin_rule_dir, rule_files
    from .rule import RuleFileError, load_yaml, validate_rules

    known: dict = {}
    builtin = rule_files([builtin_rule_dir()])
    for path in builtin:  # ids of the national pack count as taken
        try:
            for r in validate_rules(load_yaml(path), path, {})[0]:
                known[r.id] = os.path.basename(path)
        except RuleFileError:
            pass
    bad = False
    for path in files:
        if os.path.abspath(path) in map(os.path.abspath, builtin):
            own = {k: v for k, v in known.items() if v != os.path.basename(path)}
        else:
            own = dict(known)
        try:
            rules, problems = validate_rules(load_yaml(path), path, own)
        except RuleFileError as e:
            problems = e.problems
            rules = []
        for line, col, msg in problems:
            click.echo(f"{path}:{line}:{col}: {msg}")
        if problems:
            bad = True
        else:
            click.echo(f"{path}: 有效（{len(rules)} 条规则）", err=True)
    sys.exit(EXIT_FINDINGS if bad else EXIT_OK)


if __name__ == "__main__":  # pragma: no cover
    main()
