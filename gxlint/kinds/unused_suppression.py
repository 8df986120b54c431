"""``unused_suppression``: a suppression directive that suppressed no finding.

The findings of this kind are made by the engine once the other rules have run
(:func:`gxlint.suppress.apply`): whether a directive is stale depends on every
other finding.  ``check`` itself yields nothing.

Placeholders: ``{directive}`` (the directive as written), ``{codes}`` (its ids that
suppressed nothing).
"""
from __future__ import annotations

PARAMS: dict = {}
ARGS = ("directive", "codes")


def check(rule, report):
    return ()
