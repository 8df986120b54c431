"""Command line: ``gxlint [OPTIONS] PATH...``, ``gxlint rules``, ``gxlint rules check FILE``.

Exit status: 0 when no finding has severity error, 1 when one does or when
some input could not be read, 2 for a usage or config error or when no input
could be read at all.  Heavy imports happen inside the commands.
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
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, help="并行进程数（默认 0：全部 CPU 核心）。")
@click.option(
    "--report", "report_path", type=click.Path(dir_okay=False),
    help="另外写出汇总报告：.html（可直接打开的页面）、.csv（Excel/WPS 可打开）、.json 或 .sarif。",
)
def lint_cmd(paths, fmt, select, ignore, config_path, encoding, jobs, report_path):
    """检查报告，每个问题输出一行：path:line:col: severity: GX### 说明 [位置]。"""
    from .batch import expand
    from .config import find_config, load_config
    from .engine import Linter
    from .errors import GxlintError
    from .formatters import REPORT_SUFFIXES, get
    from .formatters.text import summary

    if not paths:
        _fail("E022", "请给出要检查的报告文件或文件夹，例如：gxlint draft.docx")
    if config_path and not os.path.isfile(config_path):
        _fail("E020", f"配置文件不存在：{config_path}")
    report_fmt = None
    if report_path:
        report_fmt = REPORT_SUFFIXES.get(os.path.splitext(report_path)[1].lower())
        if report_fmt is None:
            _fail("E022", f"--report 的文件应以 {'、'.join(REPORT_SUFFIXES)} 结尾：{report_path}")
    linters: dict = {}
    configs: dict = {}

    def linter_key(path: str):
        cfg_path = config_path or find_config(path)
        if cfg_path not in linters:
            configs[cfg_path] = load_config(cfg_path)
            linters[cfg_path] = Linter(configs[cfg_path], select=_split(select), ignore=_split(ignore))
        return cfg_path

    items = []
    try:
        for arg in paths:
            if os.path.isdir(arg):
                key = linter_key(arg)
                cfg = configs[key]
                base = os.path.dirname(key) if key else None
                items += [(p, linter_key(p)) for p in expand(arg, cfg.include, cfg.exclude, base)]
            else:
                items.append((arg, linter_key(arg)))
    except GxlintError as e:
        _fail(e.code, e.message)
    results = _run(items, linters, encoding, jobs)
    rules = list({r.id: r for linter in linters.values() for r in linter.rules}.values())
    get(fmt)(results, click.get_text_stream("stdout"), rules=rules)
    if fmt == "text":
        click.echo(summary(results), err=True)
    if report_path:
        _write_report(report_path, report_fmt, results, rules)
    sys.exit(exit_status(results))


def exit_status(results) -> int:
    """2 when nothing could be checked (every input unreadable); 1 when a file has an
    error-severity finding or could not be read; else 0 (warnings alone pass)."""
    broken = sum(1 for r in results if r.error is not None)
    if broken and broken == len(results):
        return EXIT_ERROR
    if broken or any(f.severity == "error" for r in results for f in r.findings):
        return EXIT_FINDINGS
    return EXIT_OK


def _run(items, linters, encoding, jobs):
    """Lint all files; a progress bar on stderr only when it is a terminal (not piped, not CI)."""
    from .batch import lint_files

    show = len(items) > 1 and sys.stderr.isatty() and not os.environ.get("CI")
    if not show:
        return lint_files(items, linters, encoding, jobs)
    with click.progressbar(length=len(items), label="检查中", file=sys.stderr, show_pos=True) as bar:
        return lint_files(items, linters, encoding, jobs, progress=bar.update)


def _write_report(path, fmt, results, rules):
    """Write the summary file atomically (a half-written report never replaces a good one)."""
    import tempfile

    from .formatters import get

    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".gxlint-", suffix=".tmp")
        # CSV gets a BOM so that Excel and WPS open the Chinese text correctly
        with os.fdopen(fd, "w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as out:
            get(fmt)(results, out, rules=rules)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a report is an ordinary file
        os.replace(tmp, path)
    except OSError as e:
        _fail("E013", f"无法写入汇总报告 {path}：{e.strerror}")
    click.echo(f"汇总报告已写入 {path}", err=True)


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
