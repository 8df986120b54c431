"""Helpers shared by the kinds that compute with table cells (equation, inequality, year_over_year, issuer)."""
from __future__ import annotations


def show(v) -> str:
    """A cell value as a message shows it: 3, not 3.0; 2.5 stays 2.5."""
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def split_terms(side: str) -> list[str]:
    """The labels of one side of ``a + b + c`` (ValueError on an empty term)."""
    terms = [t.strip() for t in side.split("+")]
    if not all(terms):
        raise ValueError("某一边有空项")
    return terms
