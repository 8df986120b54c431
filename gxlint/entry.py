"""The ``gxlint`` command: ``gxlint lsp`` starts the language server without importing click
(an editor waits for its first diagnostics); everything else is gxlint.cli."""
import sys


def main():
    if sys.argv[1:] == ["lsp"]:
        from .lsp import main as serve

        serve()  # never returns
    from .cli import main as cli

    cli()
