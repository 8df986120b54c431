"""The generic check kinds.  One module per kind, each with:

* ``PARAMS``: the parameters a rule of this kind takes (validated by ``gxlint rules check``);
* ``ARGS``: the placeholders its messages may use;
* ``check(rule, report)``: yields findings;
* ``NEEDS`` (optional): the parts of a report a rule of this kind reads and cannot do without,
  of ``tables`` (the national tables), ``figures`` (numbers in them: the rule computes with
  them, so a table with rows that could not be read is not judged by it, and ``--audit`` says
  so), ``previous`` (last year's report), ``others`` (the other reports of a batch).  The
  linter does not run such a rule on a report lacking one;
* ``exclusive(rule, report)`` (optional): True when the report gets this rule's findings and no
  other rule's (an unfilled template).

Kinds that search paragraph text do it through ``_scan`` (a literal prefilter, and the
matches of a pattern found once per report for all the rules that share it).

A kind never parses a file: it looks at a ``gxlint.report.Report``.
"""
