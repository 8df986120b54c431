"""Levenshtein edit distance for the matchers (labels, headings, last year's text), imported only
when an exact match fails.

rapidfuzz computes it: it is textdistance's fast backend, and textdistance, asked for the same
measure, calls it, after an import of some 15 ms (json, difflib, fractions and every other
algorithm of the package) that a cold lint of one report cannot spare.  textdistance itself, pure
Python, computes it where rapidfuzz cannot be imported.  tests/test_distance.py checks both give
the same values.
"""
from __future__ import annotations

try:
    from rapidfuzz.distance import Levenshtein as _levenshtein
except ImportError:  # pragma: no cover - rapidfuzz is a dependency; textdistance then does it alone
    import textdistance

    _levenshtein = textdistance.levenshtein


def distance(a: str, b: str) -> int:
    """The number of insertions, deletions and substitutions that turn ``a`` into ``b``."""
    return _levenshtein.distance(a, b)


def similarity(a: str, b: str) -> float:
    """1 - distance / the longer length: 1.0 for equal texts, 0.0 for nothing in common."""
    return _levenshtein.normalized_similarity(a, b)
