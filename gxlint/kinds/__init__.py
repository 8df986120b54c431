"""The generic check kinds.  One module per kind, each with:

* ``PARAMS``: the parameters a rule of this kind takes (validated by ``gxlint rules check``);
* ``ARGS``: the placeholders its messages may use;
* ``check(rule, report)``: yields findings.

A kind never parses a file: it looks at a ``gxlint.report.Report``.
"""
