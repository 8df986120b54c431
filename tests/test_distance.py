"""gxlint.distance (rapidfuzz, called directly) gives the Levenshtein values of textdistance's own
pure-Python algorithm (external=False: not rapidfuzz again)."""
from __future__ import annotations

import random

import textdistance

from gxlint.distance import distance, similarity

PURE = textdistance.Levenshtein(external=False)

LABELS = ["本年新收政府信息公开申请数量", "本年废止件数", "行政复议", "行政诉讼", "结果维持", "尚未审结",
          "（三）不予公开", "1.属于国家秘密", "上年结转政府信息公开申请数量", "", "a", "ab c"]


def test_same_values_as_textdistance():
    rnd = random.Random(19)
    pairs = [(a, b) for a in LABELS for b in LABELS]
    alphabet = "政府信息公开申请年度报告行政复议诉讼0123456789（）.、 abc"
    for _ in range(300):
        a = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        b = list(a)
        for _ in range(rnd.randint(0, 4)):  # a few edits, as a misspelt label has
            i = rnd.randint(0, len(b))
            op = rnd.choice("ids")
            if op == "i":
                b.insert(i, rnd.choice(alphabet))
            elif b and i < len(b):
                if op == "d":
                    del b[i]
                else:
                    b[i] = rnd.choice(alphabet)
        pairs.append((a, "".join(b)))
    for a, b in pairs:
        assert distance(a, b) == PURE.distance(a, b), (a, b)
        assert abs(similarity(a, b) - PURE.normalized_similarity(a, b)) < 1e-12, (a, b)
    assert distance("本年度止件数", "本年废止件数") == 1
    assert similarity("行政复议", "行政复议") == 1.0
