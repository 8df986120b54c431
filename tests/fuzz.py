"""A seeded mutator over the seed reports as .md, .docx, .html and .pdf: no exception may
escape the readers, the rules, the formatters or the writers.

Each case is one seed report in one format, mutated by a few operations drawn from
``random.Random(f"{seed}-{fmt}-{case}")`` (so a failure is reproduced by its numbers):
bytes flipped, inserted, deleted, duplicated or truncated; hostile tokens spliced in (long
digit runs, brackets, NUL, BOMs, a DTD, spans and list starts of 10**9, ``1e400``, ...); for
a .docx, the XML parts inside the package are mutated and the package is zipped again.

A case passes when linting it gives findings or one input error (``E0xx``, never E099: an
exception that escaped a reader, or a rule's, which is its finding), every formatter prints the result, and the
writers (``--fix`` of a text report, ``--fix -o`` and ``--annotate`` of a .docx) either
write or refuse with a gxlint error.

Besides the reports, the files a run reads beside them (:data:`AUXILIARY`): ``baseline`` mutates
a baseline gxlint wrote for the seeds (its bytes, or its JSON: values replaced by hostile ones --
nesting 100,000 deep, 5,000-digit numbers, lone surrogates, other types --, keys dropped); a case
passes when loading it gives a baseline or a gxlint error (E013/E020), and a loaded one filters
the seeds' findings without an exception.  ``config`` and ``rules`` mutate a ``.gxlint.yaml``
(bringing a province's rule file) and that rule file: their bytes, or their YAML's values replaced
by hostile ones (alias bombs, nesting 100,000 deep, 5,000-digit integers, message templates with
format specs or attributes, patterns that backtrack for ever, tags), lines dropped or repeated; a
case passes when loading gives a linter or one clean E020/E021 (E022: a rule unknown to select),
``gxlint rules check`` judges the rule file without an exception, and a loaded linter lints a
seed without an E099 (a rule past its time is its E024 finding; the bound is lowered to
``RULE_SECONDS`` here).

    python tests/fuzz.py --cases 2000            # the long run (CI runs a few dozen a format)
    python tests/fuzz.py --cases 50 --formats pdf --keep failures/
    python tests/fuzz.py --cases 500 --formats baseline
    python tests/fuzz.py --cases 500 --formats config,rules

Exit status 1 when a case failed; each failure is printed with its numbers (and kept in
``--keep`` when given).
"""
from __future__ import annotations

import argparse
import io
import random
import re
import shutil
import sys
import tempfile
import traceback
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

SEEDS = sorted((HERE / "seeds").glob("*.txt"))
FORMATS = ("md", "docx", "html", "pdf")
TOKENS = [
    b"9" * 5000, b"7" * 400, b"\xe3\x80\x94" * 2000, "年".encode() * 2000, b"\x00", b"\x00\x00\x00\x00",
    b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\r", b"\r\n\r\n", b"\t" * 50, b"|---|---|\n",
    b"<!DOCTYPE x [<!ENTITY e 'x'>]>", b'colspan="1000" rowspan="1000"', b"1e400", b"-1", b"NaN",
    b'<w:gridSpan w:val="1000000000"/>', b'<w:start w:val="1000000000"/>', b'<w:numFmt w:val="lowerLetter"/>',
    b'<meta charset="rot13">', b'<meta charset="undefined">', b"<table><tr><td>", b"</td></tr></table>",
    b"<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>", b"<w:p/>" * 20, b"&#0;", b"&#xD800;", b"\xed\xa0\x80",
    "第一部分 总体情况\n".encode(), "（一）".encode(), "〔2023〕1号".encode(), b"%", b"100%", b"0.000001",
    b"stream\nendstream", b"/FlateDecode", b"/W [0 99999999999 500]", b"obj", b"endobj", b"trailer",
]


def base_files(folder: Path, seeds: list[Path], formats) -> dict[str, list[Path]]:
    """The seeds written in each format under ``folder``."""
    out: dict[str, list[Path]] = {f: [] for f in formats}
    for seed in seeds:
        if "md" in formats:
            p = folder / f"{seed.stem}.md"
            shutil.copyfile(seed, p)
            out["md"].append(p)
        if "docx" in formats:
            from seeddocx import seed_docx

            out["docx"].append(seed_docx(seed, folder / f"{seed.stem}.docx"))
        if "html" in formats:
            from htmlbuild import seed_html

            out["html"].append(seed_html(seed, folder / f"{seed.stem}.html"))
        if "pdf" in formats:
            from reportlab import rl_config

            from pdfbuild import seed_pdf

            a85, rl_config.useA85 = rl_config.useA85, 0
            try:  # content streams in clear: a mutation changes text and operators, not only checksums
                out["pdf"].append(seed_pdf(seed, folder / f"{seed.stem}.pdf", pageCompression=0))
            finally:
                rl_config.useA85 = a85
    return out


def mutate_bytes(rng: random.Random, data: bytes, ops: int) -> bytes:
    b = bytearray(data)
    for _ in range(ops):
        if not b:
            b += rng.choice(TOKENS)
            continue
        i = rng.randrange(len(b))
        op = rng.randrange(7)
        if op == 0:  # flip bits of a few bytes
            for k in range(i, min(i + rng.randint(1, 8), len(b))):
                b[k] ^= 1 << rng.randrange(8)
        elif op == 1:  # insert random bytes
            b[i:i] = rng.randbytes(rng.randint(1, 64))
        elif op == 2:  # delete a range
            del b[i:i + rng.randint(1, 512)]
        elif op == 3:  # duplicate a range
            j = min(len(b), i + rng.randint(1, 4096))
            b[j:j] = b[i:j] * rng.randint(1, 4)
        elif op == 4:  # truncate
            del b[max(i, 1):]
        else:  # splice a hostile token
            b[i:i] = rng.choice(TOKENS)
    return bytes(b)


_NUMBERS = ["9" * 5000, "7" * 400, "0", "-1", "1e400", "99999999999", "3.5", "１２", "十二", "100%", ""]
_TEXTS = [t.decode("utf-8", "ignore") for t in TOKENS] + ["\t", "\n", "|", " | ", "\n\n", "。", "：", "，"]


def mutate_text(rng: random.Random, data: bytes, ops: int) -> bytes:
    """Mostly on the text (numbers, lines, tokens), so that most cases are still read; now and
    then on the bytes."""
    import re

    if rng.random() < 0.15:
        return mutate_bytes(rng, data, ops)
    text = data.decode("utf-8")
    for _ in range(ops):
        op = rng.randrange(6)
        lines = text.split("\n")
        if op == 0:  # a number
            nums = list(re.finditer(r"\d+", text))
            if nums:
                m = rng.choice(nums)
                text = text[:m.start()] + rng.choice(_NUMBERS) + text[m.end():]
        elif op == 1:  # a token
            i = rng.randrange(len(text) + 1)
            text = text[:i] + rng.choice(_TEXTS) + text[i:]
        elif op == 2:  # lines repeated
            i = rng.randrange(len(lines))
            j = min(len(lines), i + rng.randint(1, 20))
            lines[j:j] = lines[i:j] * rng.randint(1, 50)
            text = "\n".join(lines)
        elif op == 3:  # lines deleted
            i = rng.randrange(len(lines))
            del lines[i:i + rng.randint(1, 10)]
            text = "\n".join(lines)
        elif op == 4:  # two lines swapped
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        else:  # a character
            if text:
                i = rng.randrange(len(text))
                text = text[:i] + rng.choice("0123456789一二三〔〕（）()年月日号第%.,，。\t |<>&;\"'") + text[i + 1:]
    return text.encode("utf-8")


def mutate_docx(rng: random.Random, src: Path, dst: Path, ops: int) -> None:
    with zipfile.ZipFile(src) as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    if rng.random() < 0.15:  # the package itself
        dst.write_bytes(mutate_bytes(rng, src.read_bytes(), ops))
        return
    names = [n for n in ("word/document.xml", "word/numbering.xml", "word/styles.xml", "[Content_Types].xml")
             if n in members]
    weights = [8, 2, 1, 1][: len(names)]
    for _ in range(rng.randint(1, 2)):
        name = rng.choices(names, weights)[0]
        members[name] = _mutate_xml(rng, members[name], ops)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)


def _mutate_xml(rng: random.Random, xml: bytes, ops: int) -> bytes:
    """Mostly structure-aware: attribute values replaced, elements cut or repeated; sometimes bytes."""
    import re

    b = xml
    for _ in range(ops):
        op = rng.choices(range(5), [4, 3, 1, 1, 4])[0]
        if op == 0:  # an attribute value
            vals = list(re.finditer(rb'w:val="[^"]*"', b))
            if vals:
                m = rng.choice(vals)
                new = rng.choice([b"1000000000", b"1e400", b"-1", b"9" * 5000, b"", b"lowerLetter", b"%1%1%1",
                                  b"continue", b"restart", b"0", b"4294967296"])
                b = b[:m.start()] + b'w:val="' + new + b'"' + b[m.end():]
        elif op == 1:  # repeat an element
            tags = list(re.finditer(rb"<w:(p|tc|tr|r)\b[^>]*>.*?</w:\1>", b[:200_000], re.S))
            if tags:
                m = rng.choice(tags)
                b = b[:m.end()] + m.group() * rng.randint(1, 30) + b[m.end():]
        elif op == 2:  # drop an element's closing tag, or an element
            tags = list(re.finditer(rb"</w:\w+>", b))
            if tags:
                m = rng.choice(tags)
                b = b[:m.start()] + b[m.end():]
        elif op == 3:
            b = mutate_bytes(rng, b, 1)
        else:  # the text of a run
            texts = list(re.finditer(rb"<w:t(?: [^>]*)?>([^<]*)</w:t>", b))
            if texts:
                m = rng.choice(texts)
                new = mutate_text(random.Random(rng.random()), m.group(1), 1) if rng.random() < 0.5 \
                    else rng.choice(_NUMBERS).encode()
                new = new.replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b"\x00", b"")
                b = b[:m.start(1)] + new + b[m.end(1):]
    return b


# ------------------------------------------------------------------ baselines
_JSON_VALUES = [b"[" * 100_000 + b"]" * 100_000, b"{\"a\":" * 50_000 + b"1" + b"}" * 50_000, b"9" * 5000,
                b"1e400", b"-0", b"null", b"true", b"{}", b"[]", b'"\\ud800"', b'"\\u0000"', b'""', b"0.5",
                b'"' + b"x" * 100_000 + b'"', b'"../../etc/passwd"', b'{"path": 1}', b"[1, 2]", b'"\xff\xfe"']
_JSON_VALUE = re.compile(rb'"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null')


def baseline_base(folder: Path, seeds: list[Path]) -> tuple[Path, list]:
    """(a baseline gxlint wrote in ``folder`` for ``seeds``, [(seed path, its findings)])."""
    from gxlint.baseline import entries, write_entries
    from gxlint.engine import Linter

    linter = Linter()
    linted, found = [], []
    for seed in seeds:
        path = folder / seed.name
        shutil.copyfile(seed, path)
        findings = linter.lint_path(str(path)).findings
        linted.append((path, findings))
        found += entries(str(path), findings, str(folder))
    write_entries(str(folder / "baseline.json"), found)
    return folder / "baseline.json", linted


def mutate_json(rng: random.Random, data: bytes, ops: int) -> bytes:
    """Mostly on the JSON's values and keys; now and then on its bytes."""
    if rng.random() < 0.15:
        return mutate_bytes(rng, data, ops)
    for _ in range(ops):
        op = rng.randrange(4)
        values = list(_JSON_VALUE.finditer(data[:200_000]))
        if not values:
            break
        m = rng.choice(values)
        if op <= 1:  # a value (mostly not a key) replaced by a hostile one
            after_key = [v for v in values if data[v.start() - 2:v.start()] == b": "]
            m = rng.choice(after_key) if after_key and rng.random() < 0.8 else m
            data = data[:m.start()] + rng.choice(_JSON_VALUES) + data[m.end():]
        elif op == 2:  # a key and its value dropped
            j = data.find(b",", m.end())
            data = data[:m.start()] + data[j + 1:] if j > 0 else data
        else:  # the document wrapped, or a value repeated
            data = (b"[" * rng.choice([1, 1000, 100_000]) + data + b"]" * rng.choice([1, 1000, 100_000])
                    if rng.random() < 0.3 else data[:m.end()] + b"," + m.group() * rng.randint(1, 1000) + data[m.end():])
    return data


def check_baseline(path: Path, linted: list) -> str | None:
    """None when the baseline at ``path`` loads (and filters the seeds' findings) or is refused
    with a gxlint error; else what went wrong."""
    from collections import Counter

    from gxlint.baseline import drop, load
    from gxlint.errors import GxlintError

    try:
        b = load(str(path))
    except GxlintError as e:
        STATS[(".baseline", e.code)] = STATS.get((".baseline", e.code), 0) + 1
        return None if e.code in ("E013", "E020") else f"unexpected {e.code}: {e.message}"
    except Exception:  # noqa: BLE001
        return f"load raised: {traceback.format_exc(limit=-3)}"
    STATS[(".baseline", "loaded")] = STATS.get((".baseline", "loaded"), 0) + 1
    try:
        for seed, findings in linted:
            kept, n, left = drop(str(seed), list(findings), b)
            assert len(kept) + n == len(findings) and isinstance(left, Counter)
            b.fixed(left, {"GX302", "GX401"})
    except Exception:  # noqa: BLE001
        return f"baseline use raised: {traceback.format_exc(limit=-3)}"
    return None


# ------------------------------------------------------------------ configs and rule files
RULE_FILE = """\
rules:
  - id: GX990
    name: local-year
    category: wording
    severity: warning
    message: 「{match}」写的是{year}年
    kind: pattern
    forbid: '(?P<year>20\\d\\d)年度'
    span: year
    fix: '\\g<year>'
    doc:
      title: 本地年度写法
      description: 省里对年度写法的要求。
      triggers: 2023年度报告
      passes: 年度报告
  - id: GX991
    name: local-words
    category: wording
    severity: info
    message: 「{wrong}」应为「{right}」
    kind: substitution
    regex: true
    words:
      '政务(?=公开)': 政务
      信息公开: 信息公开
  - id: GX992
    name: local-require
    category: structure
    severity: info
    message: 应写明「{match}」
    kind: pattern
    require: 政府信息公开
    scope: title
  - id: GX993
    name: local-phrase
    category: wording
    severity: info
    message: 「{match}」
    kind: pattern
    forbid: 信息公开工作
"""
CONFIG_FILE = """\
select: [ALL]
ignore: [GX502, wording]
severity:
  GX013: error
  arithmetic: info
rule_dirs: [province]
encoding: utf-8
include: ["*.md", "*.txt"]
exclude: ["old/*"]
allow: ["13812345678"]
per_file_ignores:
  "*.md": [GX8, 隐私]
serve:
  host: 127.0.0.1
  port: 8080
  max_files: 100
  allow_urls: false
"""
_BOMB = "[&a [l,l,l,l,l,l,l,l,l]" + "".join(f", &{b} [{','.join(['*' + a] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi")) + "]"
_TEMPLATES = ["'{match:>1000000000}'", "'{match.__class__.__mro__}'", "'{match[0]}'", "'{match!r}'", "'{0}'", "'{}'",
              "'{'", "'}'", "'{{match}}'", "'{year}{match}'", "'{match:{match}}'", "'{wrong}{right}{match}'"]
_PATTERNS = [r"'^(.|..)+\d{20}$'", r"'^(.+)+\d{20}$'", r"'(\S|\S\S)+\d{20}'", r"'(.|..)+公开\d'", r"'(a|aa)+b'",
             "'('", "'(?P<x>a)(?P<x>b)'", "'\\'", "'(?P<year>.)+(?P=year)*x'", "''", "'.'", "'" + "(" * 300 + ")" * 300 + "'"]
_YAML_VALUES = [
    "[" * 100_000 + "]" * 100_000, "{a: " * 5000 + "1" + "}" * 5000, "- " * 1000 + "x", _BOMB, "*nowhere", "&a x",
    "9" * 5000, "0x" + "f" * 5000, "-" + "9" * 40, "1e400", ".nan", ".inf", "~", "true", "''", '"\\0"', "2024-02-30",
    "!!binary '@@@'", "!!python/object/apply:os.system ['echo gxlint-fuzz']", "!!set {a, b}", "!!int 'x'", "'" + "年" * 10000 + "'",
    "[GX1, GX2]", "[ALL]", "{}", "[]", "{port: 99999999}", "{GX013: info}", "[province, province]", "/dev/zero", "../..",
    *_TEMPLATES, *_PATTERNS,
]
_YAML_LINE = re.compile(rb"^( *(?:- )?[^\s:#-][^:\n]*?: )(.+)$|^( *- )(.+)$", re.M)  # key: value, - item


def mutate_yaml(rng: random.Random, data: bytes, ops: int) -> bytes:
    """Mostly on the YAML's values (replaced by hostile ones: alias bombs, nesting 100,000 deep,
    5,000-digit integers, message templates with format specs or attributes, patterns that
    backtrack for ever, tags) and lines (dropped, repeated); now and then on its bytes."""
    if rng.random() < 0.15:
        return mutate_bytes(rng, data, ops)
    for _ in range(ops):
        values = list(_YAML_LINE.finditer(data))
        if not values:
            break
        m = rng.choice(values)
        op = rng.randrange(5)
        if op <= 2:  # a value replaced by a hostile one, half the time a rule's pattern or message
            pool = _YAML_VALUES
            aimed = [v for v in values if v.group(1) and v.group(1).lstrip(b" -").startswith((b"forbid:", b"require:", b"message:"))]
            if aimed and rng.random() < 0.5:
                m = rng.choice(aimed)
                pool = _TEMPLATES if b"message:" in m.group(1) else _PATTERNS
            g = 1 if m.group(1) is not None else 3
            data = data[:m.start(g + 1)] + rng.choice(pool).encode("utf-8") + data[m.end(g + 1):]
        elif op == 3:  # a line dropped
            data = data[:m.start()] + data[m.end() + 1:]
        else:  # a line repeated (a duplicate key, another list item)
            data = data[:m.end()] + b"\n" + m.group() * rng.choice([1, 1, 1000]) + data[m.end():]
    return data


def _rules_base(folder: Path, seeds: list[Path]) -> tuple[Path, list]:
    """(a valid rule file of the province's in ``folder``, [the seeds copied there])."""
    rules = folder / "province" / "local.yaml"
    rules.parent.mkdir(parents=True)
    rules.write_text(RULE_FILE, encoding="utf-8")
    copies = []
    for seed in seeds:
        copies.append(folder / seed.name)
        shutil.copyfile(seed, copies[-1])
    return rules, copies


def config_base(folder: Path, seeds: list[Path]) -> tuple[Path, list]:
    """(a valid .gxlint.yaml in ``folder`` bringing the province's rules, [the seeds copied there])."""
    _, copies = _rules_base(folder, seeds)
    (folder / ".gxlint.yaml").write_text(CONFIG_FILE, encoding="utf-8")
    return folder / ".gxlint.yaml", copies


def _lints(linter, reports: list, kind: str) -> str | None:
    """None when ``linter`` lints ``reports`` without an exception or an E099, and every formatter
    prints the results; else what went wrong.  (A local rule past its time is its E024 finding.)"""
    from gxlint.formatters import FORMATS as OUTPUTS
    from gxlint.formatters import get

    try:
        results = [linter.lint_path(str(p)) for p in reports]
        for r in results:
            if r.error is not None and r.error.code == "E099":
                return f"E099 {r.error.message}"
            if any(f.extra.get("error") == "E099" for f in r.findings):
                return next(f.message for f in r.findings if f.extra.get("error") == "E099")
            if any(f.extra.get("error") == "E024" for f in r.findings):
                _count(kind, "E024")
        for fmt in OUTPUTS:
            get(fmt)(results, io.StringIO(), rules=linter.rules)
    except Exception:  # noqa: BLE001
        return f"lint raised: {traceback.format_exc(limit=-3)}"
    return None


def _count(kind: str, what: str) -> None:
    STATS[(kind, what)] = STATS.get((kind, what), 0) + 1


def check_config(path: Path, reports: list) -> str | None:
    """None when the config at ``path`` loads and its linter lints the seeds, or it is refused with a
    gxlint error (E020, its rule files E021, an unknown rule in select E022); else what went wrong."""
    from gxlint.config import load_config
    from gxlint.engine import Linter
    from gxlint.errors import GxlintError

    try:
        linter = Linter(load_config(str(path)))
    except GxlintError as e:
        _count(".gxlint.yaml", e.code)
        return None if e.code in ("E020", "E021", "E022") else f"unexpected {e.code}: {e.message}"
    except Exception:  # noqa: BLE001
        return f"loading raised: {traceback.format_exc(limit=-3)}"
    _count(".gxlint.yaml", "loaded")
    return _lints(linter, reports[:1], ".gxlint.yaml")


def check_rules(path: Path, reports: list) -> str | None:
    """None when the rule file at ``path`` joins the national pack and the linter lints the seeds,
    or it is refused with E021; and ``gxlint rules check`` judges it without an exception."""
    from gxlint.config import Config
    from gxlint.engine import Linter
    from gxlint.errors import GxlintError
    from gxlint.rulecheck import builtin_ids, check_file

    try:
        check_file(str(path), *builtin_ids())
    except Exception:  # noqa: BLE001
        return f"rules check raised: {traceback.format_exc(limit=-3)}"
    try:
        linter = Linter(Config(rule_dirs=[str(path)]))
    except GxlintError as e:
        _count(".rules", e.code)
        return None if e.code == "E021" else f"unexpected {e.code}: {e.message}"
    except Exception:  # noqa: BLE001
        return f"loading raised: {traceback.format_exc(limit=-3)}"
    _count(".rules", "loaded")
    return _lints(linter, reports[:1], ".rules")


# what a run reads besides reports: kind -> (make the valid file, mutate its bytes, check one, suffix)
AUXILIARY = {"baseline": (baseline_base, mutate_json, check_baseline, ".json"),
             "config": (config_base, mutate_yaml, check_config, ".yaml"),
             "rules": (_rules_base, mutate_yaml, check_rules, ".yaml")}


STATS: dict = {}  # (format, "linted" or the error code) -> cases
RULE_SECONDS = 0.2  # gxlint.engine.RULE_SECONDS while fuzzing configs and rule files (2 s in gxlint)


def failed(out, keep: Path | None, case: str, problem: str, name: str, data: bytes) -> None:
    """Print a failed case with its numbers; keep its input as ``name`` in ``keep`` when given."""
    print(f"FAIL {case}: {problem}", file=out, flush=True)
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        (keep / name).write_bytes(data)


def run_case(linter, path: Path, work: Path) -> str | None:
    """None when the case passes, else what went wrong."""
    from gxlint.errors import GxlintError
    from gxlint.formatters import FORMATS, get

    result = linter.lint_path(str(path))
    key = (path.suffix, result.error.code if result.error else "linted")
    STATS[key] = STATS.get(key, 0) + 1
    if result.error is not None and result.error.code == "E099":
        return f"E099 {result.error.message}"
    for f in result.findings:  # a rule that raised: its one finding says so
        if f.extra.get("error") == "E099":
            return f.message
    for fmt in FORMATS:
        try:
            get(fmt)([result], io.StringIO(), rules=linter.rules)
        except Exception:  # noqa: BLE001
            return f"formatter {fmt}: {traceback.format_exc(limit=-3)}"
    if result.error is not None or not result.findings:
        return None
    try:
        if path.suffix == ".md":
            from gxlint.writers.text_fix import fix_text, unified_diff

            data, _ = fix_text(str(path), result.findings, None)
            unified_diff(str(path), data, None, result.findings)
        elif path.suffix == ".docx":
            from gxlint.writers.docx_annotate import annotate_docx
            from gxlint.writers.docx_fix import fix_docx

            annotate_docx(str(path), result.findings, str(work / "annotated.docx"))
            if any(f.fix is not None for f in result.findings):
                fix_docx(str(path), result.findings, str(work / "fixed.docx"))
    except GxlintError:
        pass  # a writer may refuse (one clear error), never crash
    except Exception:  # noqa: BLE001
        return f"writer: {traceback.format_exc(limit=-3)}"
    return None


def fuzz(cases: int, seed: int = 0, formats=FORMATS, keep: Path | None = None, seeds: int = 2,
         out=sys.stdout) -> int:
    """Run `cases` cases a format; return the number of failures."""
    from gxlint.engine import Linter

    import logging

    logging.disable(logging.WARNING)
    linter = Linter()
    failures = 0
    auxiliary = [f for f in formats if f in AUXILIARY]
    formats = tuple(f for f in formats if f not in AUXILIARY)
    with tempfile.TemporaryDirectory(prefix="gxlint-fuzz-") as tmp:
        tmp = Path(tmp)
        bases = base_files(tmp, SEEDS[:seeds], formats)
        work = tmp / "work"
        work.mkdir()
        for fmt in auxiliary:
            failures += _fuzz_auxiliary(fmt, cases, seed, tmp, SEEDS[:seeds], keep, out)
        for fmt in formats:
            for case in range(cases):
                rng = random.Random(f"{seed}-{fmt}-{case}")
                src = rng.choice(bases[fmt])
                dst = work / f"case{src.suffix}"
                ops = rng.choice([1, 1, 2, 3, 5, 10])
                if fmt == "docx":
                    mutate_docx(rng, src, dst, ops)
                elif fmt == "pdf":  # bytes changed in place: the cross-reference offsets stay right
                    data = bytearray(src.read_bytes())
                    for _ in range(ops):
                        i = rng.randrange(len(data))
                        token = rng.choice(TOKENS + [rng.randbytes(8)])[: len(data) - i]
                        data[i:i + len(token)] = token
                    dst.write_bytes(bytes(data))
                else:
                    dst.write_bytes(mutate_text(rng, src.read_bytes(), ops))
                try:
                    problem = run_case(linter, dst, work)
                except Exception:  # noqa: BLE001 - lint_path itself must not raise
                    problem = f"lint_path raised: {traceback.format_exc(limit=-3)}"
                if problem:
                    failures += 1
                    failed(out, keep, f"seed={seed} format={fmt} case={case}", problem, f"{seed}-{fmt}-{case}{dst.suffix}",
                           dst.read_bytes())
    return failures


HOSTILE_VALUES = [None, True, 0, -1, 2**63, 10**30, 1.5e300, float("nan"), "", "\x00", "{0}", "{x.__class__}",
                  "年" * 10000, "\ud800", [], {}, [[[[[[[[]]]]]]]], {"a": {"b": {"c": []}}}]


def mutate_json(rng: random.Random, value, ops: int, where=lambda path: True):
    """``value`` (decoded JSON) with ``ops`` of its nodes, at a path ``where`` accepts, replaced by a
    value of another type or a hostile one, or dropped from their list or object."""
    import copy

    value = copy.deepcopy(value)
    for _ in range(ops):
        nodes = []

        def walk(v, path):
            if isinstance(v, dict):
                items = v.items()
            elif isinstance(v, list):
                items = enumerate(v)
            else:
                return
            for k, x in items:
                if where(path + (k,)):
                    nodes.append((v, k))
                if len(nodes) < 5000:
                    walk(x, path + (k,))

        walk(value, ())
        if not nodes:
            break
        parent, key = rng.choice(nodes)
        if rng.random() < 0.15:
            del parent[key]
        else:
            parent[key] = rng.choice(HOSTILE_VALUES)
    return value


def fuzz_cache(cases: int, seed: int = 0, out=sys.stdout) -> int:
    """Entries of the three caches (the rule pack's, a file's result, what comparing a batch found)
    mutated: their bytes (a miss: the header's length and CRC-32), or their JSON rewritten with a
    valid header (a well-formed entry of other content, as another version or a forger writes).
    A case passes when building the linter, linting and comparing from that cache raise nothing and
    give no E099, and every formatter prints the results; an entry that does not decode is a miss
    (the result is the one without a cache) and is written again.  (The rule pack's parameters are
    not checked again when its entry is read: its mutations keep to the fields that are.)"""
    import os

    from gxlint.batch import cross_check
    from gxlint.cache import ResultCache, batch_step, read_entry, write_entry
    from gxlint.engine import Linter, _cache_file, builtin_rule_dir, rule_files
    from gxlint.formatters import FORMATS as OUTPUTS
    from gxlint.formatters import get

    failures = 0
    old = os.environ.get("GXLINT_CACHE_DIR")
    with tempfile.TemporaryDirectory(prefix="gxlint-fuzz-cache-") as tmp:
        tmp = Path(tmp)
        os.environ["GXLINT_CACHE_DIR"] = str(tmp / "cache")
        try:
            text = SEEDS[-1].read_text(encoding="utf-8")
            reports = [tmp / "a.md", tmp / "b.md"]  # two offices, the same prose: comparing them finds GX606
            reports[0].write_text(text, encoding="utf-8")
            reports[1].write_text(text.replace("福州市长乐区", "福州市连江县"), encoding="utf-8")

            def lint_all():
                linter = Linter()
                linter.cache = ResultCache()
                linter.in_batch = True
                results = [linter.lint_path(str(p)) for p in reports]
                batch_step(results, linter.cache, "fuzz", lambda: cross_check(results, lambda i: linter))
                return linter, results

            def shown(results):
                return [[f.as_dict() for f in r.findings] for r in results]

            _, truth = lint_all()
            truth = shown(truth)
            pack = _cache_file(rule_files([builtin_rule_dir()]))[0]
            entries = {"pack": [pack]}
            for p in sorted((tmp / "cache" / "results").rglob("*.json")):
                entries.setdefault(p.read_bytes().split(b" ", 3)[2].decode(), []).append(str(p))
            assert set(entries) == {"pack", "result", "batch"}, entries
            originals = {p: Path(p).read_bytes() for ps in entries.values() for p in ps}
            for case in range(cases):
                rng = random.Random(f"{seed}-cache-{case}")
                kind = rng.choice(sorted(entries))
                path = rng.choice(entries[kind])
                original = originals[path]
                for p, data in originals.items():
                    Path(p).write_bytes(data)
                ops = rng.choice([1, 1, 2, 3, 5])
                if rng.random() < 0.4:
                    Path(path).write_bytes(mutate_bytes(rng, original, ops))
                else:
                    data = read_entry(path, kind)
                    checked = (lambda q: q[:1] != ("rules",) or len(q) < 3 or q[2] not in (6, 7)) if kind == "pack" else (lambda q: True)
                    write_entry(path, kind, mutate_json(rng, data, ops, checked))
                try:
                    linter, results = lint_all()
                    problem = next((f"E099 {r.error.message}" for r in results if r.error and r.error.code == "E099"), None)
                    for fmt in OUTPUTS if problem is None else ():
                        get(fmt)(results, io.StringIO(), rules=linter.rules)
                    if problem is None and read_entry(path, kind) is None:
                        problem = "the entry was not written again"
                    if problem is None and Path(path).read_bytes() == original and shown(results) != truth:
                        problem = "a miss gave another result"
                except Exception:  # noqa: BLE001
                    problem = traceback.format_exc(limit=-4)
                if problem:
                    failures += 1
                    print(f"FAIL seed={seed} cache {kind} case={case}: {problem}", file=out, flush=True)
                STATS[("cache", kind)] = STATS.get(("cache", kind), 0) + 1
        finally:
            if old is None:
                os.environ.pop("GXLINT_CACHE_DIR", None)
            else:
                os.environ["GXLINT_CACHE_DIR"] = old
    return failures


# --------------------------------------------------------------------------- the language server
LSP_TIMEOUT = 60  # seconds for one session: a hang guard, not a speed check
LSP_LINT_WAIT = 2  # seconds to let the documents' lints end after shutdown is answered (not a check)
LSP_HOSTILE = [*HOSTILE_VALUES, 10**12, -10**12, 2**64, 1e308, -0.5, "5", "line", {"line": 10**12, "character": -5},
               {"start": {"line": -1, "character": 2**63}, "end": {"line": 0, "character": 0}},
               {"start": {"line": 3, "character": 0}, "end": {"line": 1, "character": 0}}, "\r\n" * 1000, "𠮷\n" * 50]
LSP_BODIES = [b"[]", b"1", b'"text"', b"null", b"true", b"{}", b'{"jsonrpc": "2.0"}', b'{"id": {}, "method": 5}',
              b'{"jsonrpc": "2.0", "id": 7, "method": "initialize", "params": []}', b"{not json", b"\xff\xfe{}",
              b"[" * 100_000 + b"]" * 100_000, b'{"a": ' + b"9" * 5000 + b"}", b'"\\ud800"', b"1e400"]
LSP_HEADERS = [b"Content-Length: -1\r\n\r\n", b"Content-Length: 99999999999\r\n\r\n", b"Content-Length: ten\r\n\r\n",
               b"Content-Length: 1e3\r\n\r\n", b"Content-Length: 0\r\n\r\n", b"content-length:5\n\n",
               b"Content-Type: application/json\r\n\r\n", b"Content-Length: 10\r\n\r\n", b"X" * 10_000 + b"\r\n",
               b"Content-Length: 3\r\nContent-Length: 300\r\n\r\n", b"\r\n\r\n\r\n", b"Content-Length : 2\r\n \r\n"]


def _lsp_frame(body: bytes, header: bytes | None = None) -> bytes:
    return (header if header is not None else b"Content-Length: %d\r\n\r\n" % len(body)) + body


def lsp_session(rng: random.Random, text: str) -> list[dict]:
    """A well-formed session without its end: initialize, initialized, one or two documents opened,
    changed (ranges in and past the text, whole texts), asked for quick fixes, saved, closed."""
    enc = rng.choice([None, ["utf-8"], ["utf-32", "utf-16"], ["utf-16"]])
    caps = {"general": {"positionEncodings": enc}} if enc else {}
    if rng.random() < 0.5:
        caps["workspace"] = {"didChangeWatchedFiles": {"dynamicRegistration": True}}
    msgs: list[dict] = [{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "capabilities": caps}},
                        {"jsonrpc": "2.0", "method": "initialized", "params": {}}]
    uris = [f"file:///gxlint-fuzz/r{k}.{rng.choice(['md', 'txt'])}" for k in range(rng.randint(1, 2))]
    lines = text.count("\n") + 1
    for uri in uris:
        msgs.append({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": rng.choice(["markdown", "plaintext"]), "version": 1, "text": text}}})
    pieces = ["", "合", "𠮷", "\n", "\r\n", "截止12月31日", "国务院令第七十一号", "\t", "|---|"]
    for version in range(2, rng.randint(3, 12)):
        uri = rng.choice(uris)
        if rng.random() < 0.1:
            changes = [{"text": text if rng.random() < 0.5 else "".join(rng.choice(pieces) for _ in range(20))}]
        else:
            def pos():
                return {"line": rng.randint(0, lines + 2), "character": rng.randint(0, 120)}
            changes = [{"range": {"start": pos(), "end": pos()}, "text": "".join(rng.choice(pieces) for _ in range(rng.randint(0, 3)))}
                       for _ in range(rng.randint(1, 3))]
        msgs.append({"jsonrpc": "2.0", "method": "textDocument/didChange",
                     "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}})
        if rng.random() < 0.2:
            msgs.append({"jsonrpc": "2.0", "id": 100 + version, "method": "textDocument/codeAction", "params": {
                "textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                "context": {"diagnostics": [{"source": "gxlint", "range": {"start": {"line": 0, "character": 0},
                                                                          "end": {"line": 0, "character": 2}},
                                             "data": {"fix": "截至", "title": "改为「截至」"}}]}}})
    if rng.random() < 0.3:
        msgs.append({"jsonrpc": "2.0", "method": "textDocument/didSave", "params": {"textDocument": {"uri": uris[0]}}})
    if rng.random() < 0.3:
        msgs.append({"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": uris[-1]}}})
    if rng.random() < 0.2:
        msgs.append({"jsonrpc": "2.0", "id": 99, "method": "workspace/executeCommand",
                     "params": {"command": "gxlint.lintFile", "arguments": ["/gxlint-fuzz/none.docx"]}})
    return msgs


def mutate_lsp(rng: random.Random, msgs: list[dict], ops: int) -> bytes:
    """The session's frames with ``ops`` mutations: a JSON value replaced by a hostile one (huge and
    negative numbers, positions and ranges out of bounds or backwards, other types), a body replaced
    by JSON of another type or bytes that are no JSON, bytes flipped, a header mangled (a wrong,
    negative, huge or missing Content-Length, headers that lie twice, no blank line, a header line
    of 10 KB), garbage between frames, frames dropped, repeated or swapped."""
    import json

    msgs = [dict(m) for m in msgs]
    for _ in range(ops):
        if rng.random() < 0.35 and msgs:
            k = rng.randrange(len(msgs))
            msgs[k] = mutate_json(rng, msgs[k], 1)
    bodies = [json.dumps(m, ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass") for m in msgs]
    frames = [[None, b] for b in bodies]  # [header or None (the right one), body]
    extra: list[tuple[int, bytes]] = []  # (before frame k, garbage)
    for _ in range(ops):
        if not frames:
            break
        k = rng.randrange(len(frames))
        op = rng.randrange(7)
        if op == 0:
            frames[k][1] = rng.choice(LSP_BODIES)
        elif op == 1:
            frames[k][1] = mutate_bytes(rng, frames[k][1], rng.randint(1, 3))
        elif op == 2:
            frames[k][0] = rng.choice(LSP_HEADERS)
        elif op == 3:
            n = len(frames[k][1]) + rng.choice([-50, -1, 1, 7, 4000])
            frames[k][0] = b"Content-Length: %d\r\n\r\n" % n
        elif op == 4:
            extra.append((k, rng.choice([rng.randbytes(rng.randint(1, 300)), *TOKENS, b"Content-Length: 10\r\n\r\n"])))
        elif op == 5:
            frames.insert(rng.randrange(len(frames) + 1), list(rng.choice(frames)))
        else:
            del frames[k]
    out = bytearray()
    for k, (header, body) in enumerate(frames):
        for at, junk in extra:
            if at == k:
                out += junk
        out += _lsp_frame(body, header)
    return bytes(out)


def _read_frames(data: bytes, partial: bool = False) -> list:
    """The server's messages, read as strictly as a client reads them (a problem raises); with
    ``partial``, an incomplete last message is left out."""
    import json

    out, i = [], 0
    while i < len(data):
        end = data.find(b"\r\n\r\n", i)
        if end < 0 and partial:
            break
        headers = dict(line.split(b": ", 1) for line in data[i:end].split(b"\r\n"))
        n = int(headers[b"Content-Length"])
        body = data[end + 4:end + 4 + n]
        if len(body) < n and partial:
            break
        assert len(body) == n, "a message cut short"
        out.append(json.loads(body.decode("utf-8")))
        i = end + 4 + n
    return out


def _lsp_run(data: bytes, uris: list[str], cwd: str, env: dict) -> tuple[int | None, bytes, bytes]:
    """Run ``gxlint lsp`` on ``data`` then a final ``shutdown``; once it is answered, wait (at most
    :data:`LSP_LINT_WAIT` s, not a check) for the documents' diagnostics, so that their lints
    run, then send ``exit``.  (status, or None when the process did not end within
    :data:`LSP_TIMEOUT` s: a hang; its output; its standard error)."""
    import json
    import subprocess
    import threading
    import time

    final = _lsp_frame(json.dumps({"jsonrpc": "2.0", "id": "fuzz-final", "method": "shutdown"}).encode())
    proc = subprocess.Popen([sys.executable, "-m", "gxlint", "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=cwd, env=env)
    got: dict = {"out": [], "err": []}

    def pump(stream, into):
        for chunk in iter(lambda: stream.read1(65536), b""):
            into.append(chunk)

    def feed(payload, close=False):
        try:
            proc.stdin.write(payload)
            proc.stdin.flush()
            if close:
                proc.stdin.close()
        except (BrokenPipeError, ValueError, OSError):
            pass

    readers = [threading.Thread(target=pump, args=(proc.stdout, got["out"]), daemon=True),
               threading.Thread(target=pump, args=(proc.stderr, got["err"]), daemon=True)]
    for t in readers:
        t.start()
    threading.Thread(target=feed, args=(data + b"\r\n\r\n" + final,), daemon=True).start()
    deadline = time.monotonic() + LSP_TIMEOUT
    answered_at = None
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            sent = _read_frames(b"".join(got["out"]), partial=True)
        except Exception:  # noqa: BLE001 - judged once the process has ended
            break
        if answered_at is None and any(m.get("id") == "fuzz-final" for m in sent):
            answered_at = time.monotonic()
        published = {m["params"].get("uri") for m in sent if m.get("method") == "textDocument/publishDiagnostics"
                     and isinstance(m.get("params"), dict)}
        if answered_at is not None and (set(uris) <= published or time.monotonic() > answered_at + LSP_LINT_WAIT):
            break
        time.sleep(0.02)
    feed(_lsp_frame(json.dumps({"jsonrpc": "2.0", "method": "exit"}).encode()), close=True)
    try:
        status = proc.wait(timeout=max(deadline - time.monotonic(), 1))
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        status = None
    for t in readers:
        t.join(5)
    return status, b"".join(got["out"]), b"".join(got["err"])


def fuzz_lsp(cases: int, seed: int = 0, out=sys.stdout, keep: Path | None = None) -> int:
    """``gxlint lsp`` fed mutated sessions (:func:`mutate_lsp`) on its standard input, one process a
    case, then ``shutdown`` (after a blank line, as a fresh message) and ``exit`` (:func:`_lsp_run`).
    A case passes when the process ends within :data:`LSP_TIMEOUT` seconds (the hang guard) with
    status 0 or 1, without a traceback and without an exception reaching its loop
    (「处理消息出错」) or its reader; its output is well-framed UTF-8 JSON; it answers the final
    ``shutdown``; and no diagnostic is E099 (a lint that raised) and no answer an internal error
    (-32603)."""
    import os

    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    failures = 0
    with tempfile.TemporaryDirectory(prefix="gxlint-fuzz-lsp-") as tmp:
        env = {**os.environ, "GXLINT_CACHE_DIR": str(Path(tmp) / "cache")}
        for case in range(cases):
            rng = random.Random(f"{seed}-lsp-{case}")
            session = lsp_session(rng, rng.choice(texts))
            uris = [m["params"]["textDocument"]["uri"] for m in session if m.get("method") == "textDocument/didOpen"]
            data = mutate_lsp(rng, session, rng.choice([1, 1, 2, 3, 5]))
            status, output, err = _lsp_run(data, uris, tmp, env)
            err = err.decode("utf-8", "replace")
            STATS[("lsp", "cases")] = STATS.get(("lsp", "cases"), 0) + 1
            STATS[("lsp", "framing errors")] = STATS.get(("lsp", "framing errors"), 0) + err.count("通信格式错误")
            problem, sent = None, []
            try:
                sent = _read_frames(output)
            except Exception:  # noqa: BLE001
                problem = f"output not well-framed JSON: {traceback.format_exc(limit=-1)}"
            answered = [m for m in sent if m.get("id") == "fuzz-final" and "method" not in m]
            e099 = [d for m in sent if m.get("method") == "textDocument/publishDiagnostics"
                    for d in m["params"]["diagnostics"] if d.get("code") == "E099"]
            internal = [m for m in sent if isinstance(m.get("error"), dict) and m["error"].get("code") == -32603]
            if problem:
                pass
            elif status is None:
                problem = f"no end within {LSP_TIMEOUT} s"
            elif status not in (0, 1):
                problem = f"status {status}: {err[-2000:]}"
            elif "Traceback" in err or "处理消息出错" in err or "读取输入出错" in err:
                problem = f"an exception reached the loop: {err[-2000:]}"
            elif not answered and b'"exit"' not in data:
                problem = "the final shutdown was not answered"
            elif e099 or internal:
                problem = f"internal errors: {(e099 + internal)[:2]}"
            if answered:
                STATS[("lsp", "shutdown answered")] = STATS.get(("lsp", "shutdown answered"), 0) + 1
            if any(m.get("method") == "textDocument/publishDiagnostics" and m["params"]["diagnostics"] for m in sent):
                STATS[("lsp", "linted")] = STATS.get(("lsp", "linted"), 0) + 1
            if problem:
                failures += 1
                failed(out, keep, f"seed={seed} lsp case={case}", problem, f"{seed}-lsp-{case}.bin", data)
    return failures


def _fuzz_auxiliary(fmt: str, cases: int, seed: int, tmp: Path, seeds: list[Path], keep: Path | None, out) -> int:
    """Run ``cases`` cases of the auxiliary file ``fmt`` (:data:`AUXILIARY`); return the failures."""
    import os

    from gxlint import engine

    make, mutate, check, suffix = AUXILIARY[fmt]
    folder = tmp / fmt
    folder.mkdir()
    old = os.environ.get("GXLINT_CACHE_DIR"), engine.RULE_SECONDS
    os.environ["GXLINT_CACHE_DIR"] = str(tmp / f"{fmt}-cache")  # a pack cached per mutated rule file: not the user's
    engine.RULE_SECONDS = RULE_SECONDS  # a pattern that backtracks for ever costs its rule this much a report
    try:
        base, context = make(folder, seeds)
        original = base.read_bytes()
        failures = 0
        for case in range(cases):
            rng = random.Random(f"{seed}-{fmt}-{case}")
            base.write_bytes(mutate(rng, original, rng.choice([1, 1, 2, 3, 5])))
            try:
                problem = check(base, context)
            except Exception:  # noqa: BLE001
                problem = f"check raised: {traceback.format_exc(limit=-3)}"
            if problem:
                failures += 1
                failed(out, keep, f"seed={seed} format={fmt} case={case}", problem, f"{seed}-{fmt}-{case}{suffix}",
                       base.read_bytes())
    finally:
        if old[0] is None:
            os.environ.pop("GXLINT_CACHE_DIR", None)
        else:
            os.environ["GXLINT_CACHE_DIR"] = old[0]
        engine.RULE_SECONDS = old[1]
    return failures


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=200, help="cases per format")
    ap.add_argument("--seed", type=int, default=0)
    every = FORMATS + tuple(AUXILIARY)
    ap.add_argument("--formats", default=",".join(every), help=f"some of {','.join(every)}")
    ap.add_argument("--seeds", type=int, default=2, help="how many seed reports to mutate")
    ap.add_argument("--keep", type=Path, help="folder where failing inputs are copied")
    ap.add_argument("--cache-cases", type=int, default=0, help="cases of mutated cache entries (fuzz_cache)")
    ap.add_argument("--lsp-cases", type=int, default=0, help="sessions of mutated language-server frames (fuzz_lsp)")
    a = ap.parse_args(argv)
    formats = tuple(f for f in a.formats.split(",") if f)
    n = fuzz(a.cases, a.seed, formats, a.keep, a.seeds) if formats else 0
    n += fuzz_cache(a.cache_cases, a.seed) if a.cache_cases else 0
    n += fuzz_lsp(a.lsp_cases, a.seed, keep=a.keep) if a.lsp_cases else 0
    print(", ".join(f"{fmt} {what}: {n}" for (fmt, what), n in sorted(STATS.items())), flush=True)
    print(f"{n} failures", flush=True)
    return 1 if n else 0


if __name__ == "__main__":
    sys.exit(main())
