"""The ``gxlint`` command.  Two invocations skip click, whose import is a fifth of a cold lint:
``gxlint lsp`` (an editor waits for its first diagnostics) and the plain ``gxlint FILE...``
(report files, folders or addresses, and at most ``--no-cache``: what a drafter types and what
pre-commit runs), which calls gxlint.run.lint with the command's defaults (gxlint.options.Options).
Anything else, and anything that could read differently under click (an option, ``-``, a name
like a command, a wildcard click would expand on Windows), goes to gxlint.cli."""
import sys

COMMANDS = ("lint", "rules", "lsp")


def plain(args: list) -> bool:
    """Whether ``args`` are report paths, at most with --no-cache, that click would pass as they are."""
    paths = [a for a in args if a != "--no-cache"]
    return (bool(paths) and len(args) - len(paths) <= 1 and paths[0] not in COMMANDS
            and not any(a[:1] == "-" or "*" in a or "?" in a or "[" in a for a in paths))


def main():
    args = sys.argv[1:]
    if args == ["lsp"]:
        from .lsp import main as serve

        serve()  # never returns
    if plain(args):
        from .options import Options
        from .run import lint, run_plain

        options = Options(no_cache="--no-cache" in args)
        run_plain(lambda: lint(options, [a for a in args if a != "--no-cache"]))
    from .cli import main as cli

    cli()
