"""``set_phrase``: a four-character set phrase written with one character wrong (再接再励).

Set phrases (成语 and the fixed four-character phrases of official writing) are written one
way; a slip of the input method puts a character that sounds or looks the same in their
place: 再接再励 for 再接再厉, 按步就班 for 按部就班, 未雨筹缪 for 未雨绸缪.  ``phrases`` lists the
right forms; ``confusables`` lists the characters mistaken for each other, each entry a
string of two or more characters (「厉励」: either may be written for the other).  A phrase
written with exactly one of its characters replaced by a character confusable with it is
reported, with the phrase as the fix.  Only these replacements are looked for, so a phrase
the text does not hold costs nothing, and a word that merely resembles a phrase (one
character apart, but not a confusable one) is not reported.  Placeholders: ``{wrong}`` (as
written) and ``{right}`` (the phrase).
"""
from __future__ import annotations

import functools

from ..rule import Param
from ..regex_store import compiled

PARAMS = {
    "phrases": Param(list, required=True),
    "confusables": Param(list, required=True),
}
ARGS = ("wrong", "right")


def validate(params):
    for p in params["phrases"]:
        if not isinstance(p, str) or len(p) < 2:
            yield "phrases", f"phrases 中的「{p}」应是至少两个字的词语"
    for c in params["confusables"]:
        if not isinstance(c, str) or len(set(c)) < 2:
            yield "confusables", f"confusables 中的「{c}」应是至少两个不同的字"
    wrong = _wrong_forms(tuple(params["phrases"]), tuple(params["confusables"]))[0]
    for w, right in wrong.items():
        if w in params["phrases"]:
            yield "confusables", f"「{w}」本身在 phrases 中，不能作为「{right}」的错误写法"


@functools.lru_cache(maxsize=8)
def _wrong_forms(phrases: tuple, confusables: tuple) -> tuple[dict, str]:
    """({wrong form: phrase}, the characters a wrong form has in place of a phrase's)."""
    mistaken: dict[str, set[str]] = {}
    for group in confusables:
        for ch in group:
            mistaken.setdefault(ch, set()).update(x for x in group if x != ch)
    wrong: dict[str, str] = {}
    for phrase in phrases:
        for k, ch in enumerate(phrase):
            for other in mistaken.get(ch, ()):
                form = phrase[:k] + other + phrase[k + 1:]
                if form not in phrases:
                    wrong.setdefault(form, phrase)
    chars = "".join(sorted({c for form, phrase in wrong.items() for c, p in zip(form, phrase) if c != p}))
    return wrong, chars


def check(rule, report):
    wrong, chars = _wrong_forms(tuple(rule.params["phrases"]), tuple(rule.params["confusables"]))
    if not wrong:
        return
    lengths = sorted({len(w) for w in wrong})
    marks = compiled("[" + chars.replace("\\", "\\\\").replace("]", "\\]").replace("^", "\\^").replace("-", "\\-") + "]")
    for p in report.paragraphs:
        text = p.text
        seen = set()
        for m in marks.finditer(text):
            for n in lengths:
                for start in range(max(0, m.start() - n + 1), min(m.start(), len(text) - n) + 1):
                    form = text[start: start + n]
                    right = wrong.get(form)
                    if right is not None and start not in seen:
                        seen.add(start)
                        yield rule.at_text(report, p, start, start + n, fix=right, wrong=form, right=right)
