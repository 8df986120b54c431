"""Suppressions: Markdown/HTML comments, plain-text lines, Word review comments; stale ones reported."""
import json
import subprocess
import sys
import zipfile

import pytest
from conftest import SEEDS
from seeddocx import seed_docx

from gxlint.engine import Linter
from gxlint.writers.docx_annotate import annotate_docx

SEED_000 = SEEDS / "000_6c964df6ff835ea4.txt"  # GX401 on line 35 (a prose paragraph)
SEED_004 = SEEDS / "004_aa4e2e269a40bca7.txt"


def run(*args, cwd=None):
    p = subprocess.run([sys.executable, "-m", "gxlint", *map(str, args)], capture_output=True, text=True, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def findings(path, *args):
    rc, out, err = run("--format", "json", *args, path)
    assert rc in (0, 1), err
    return json.loads(out)["files"][0]["findings"]


def keys(fs):
    return sorted((f["rule"], f["excerpt"], f["location"]) for f in fs)


def insert_line(src, dst, before: int, text: str):
    lines = src.read_text(encoding="utf-8").split("\n")
    lines.insert(before - 1, text)
    dst.write_text("\n".join(lines), encoding="utf-8")
    return dst


@pytest.mark.parametrize("suffix,directive", [
    (".md", "<!-- gxlint-disable-next-line GX401 -->"),
    (".md", "<!-- gxlint-disable-next-line gx401 -->"),  # ids without regard to case
    (".txt", "gxlint: disable-next-line=GX401"),
    (".txt", "gxlint: disable-next-line GX401"),
])
def test_next_line_directive_removes_exactly_that_finding(tmp_path, suffix, directive):
    plain = tmp_path / ("plain" + suffix)
    plain.write_text(SEED_000.read_text(encoding="utf-8"), encoding="utf-8")
    before = findings(plain)
    assert ("GX401", 35) in {(f["rule"], f["line"]) for f in before}
    marked = insert_line(SEED_000, tmp_path / ("marked" + suffix), 35, directive)
    after = findings(marked)
    gone = [f for f in before if f["rule"] == "GX401"]
    assert keys(after) == keys([f for f in before if f not in gone])
    # --no-suppressions shows everything again (the directive line itself is not linted)
    assert keys(findings(marked, "--no-suppressions")) == keys(before)


def test_disable_enable_range_in_markdown(tmp_path):
    md = tmp_path / "r.md"
    md.write_text("# 某县2024年政府信息公开工作年度报告\n"
                  "<!-- gxlint-disable GX502 -->\n"
                  "本年度按计划布署各项工作。\n"
                  "\n"
                  "做好信息消毁工作。\n"
                  "<!-- gxlint-enable -->\n"
                  "本年度按计划布署各项工作。\n", encoding="utf-8")
    fs = [f for f in findings(md) if f["rule"] in ("GX502", "GX090")]
    assert [(f["rule"], f["line"], f["excerpt"]) for f in fs] == [("GX502", 7, "布署")]


def test_plain_text_disable_line_until_end_and_html_comment(tmp_path):
    txt = tmp_path / "r.txt"
    txt.write_text("某县2024年政府信息公开工作年度报告\n本年度按计划布署各项工作。\ngxlint: disable=GX502\n"
                   "本年度按计划布署各项工作。\n做好信息消毁工作。\n", encoding="utf-8")
    assert [(f["rule"], f["line"]) for f in findings(txt, "--select", "GX502,GX090")] == [("GX502", 2)]
    html = tmp_path / "r.html"
    html.write_text("<html><body><h1>某县2024年政府信息公开工作年度报告</h1>\n<p>本年度按计划布署各项工作。</p>\n"
                    "<!-- gxlint-disable-next-line GX502 -->\n<p>本年度按计划布署各项工作。</p>\n</body></html>\n",
                    encoding="utf-8")
    assert [(f["rule"], f["line"]) for f in findings(html, "--select", "GX502,GX090")] == [("GX502", 2)]
    # the next line with text, past lines of markup only
    html.write_text("<html><body><h1>某县2024年政府信息公开工作年度报告</h1>\n<!-- gxlint-disable-next-line GX502 -->\n"
                    "<div class=\"content\">\n  <p>\n  本年度按计划布署各项工作。\n  </p>\n</div>\n"
                    "<p>本年度按计划布署各项工作。</p>\n</body></html>\n", encoding="utf-8")
    assert [(f["rule"], f["line"]) for f in findings(html, "--select", "GX502,GX090")] == [("GX502", 8)]


def test_stale_directive_is_reported_at_its_line_with_a_stable_id(tmp_path):
    md = tmp_path / "s.md"
    md.write_text("# 某县2024年政府信息公开工作年度报告\n"
                  "<!-- gxlint-disable-next-line GX502, GX999 -->\n"
                  "本年度按计划部署各项工作。\n", encoding="utf-8")
    fs = findings(md)
    stale = [f for f in fs if f["rule"] == "GX090"]
    assert len(stale) == 1 and stale[0]["line"] == 2 and stale[0]["severity"] == "info"
    assert "GX502" in stale[0]["message"] and "GX999（没有这条规则）" in stale[0]["message"]
    assert not [f for f in findings(md, "--ignore", "GX090") if f["rule"] == "GX090"]
    assert not [f for f in findings(md, "--no-suppressions") if f["rule"] == "GX090"]


def test_rules_that_did_not_run_are_not_judged(tmp_path):
    # GX605 needs last year's report: without it a GX605 directive cannot be called stale
    md = tmp_path / "p.md"
    md.write_text("# 某县2024年政府信息公开工作年度报告\n<!-- gxlint-disable-next-line GX605 -->\n本年度工作。\n",
                  encoding="utf-8")
    assert not [f for f in findings(md) if f["rule"] == "GX090"]
    assert not [f for f in findings(md, "--select", "GX502,GX090") if f["rule"] == "GX090"]
    md.write_text(md.read_text(encoding="utf-8").replace("GX605", "GX502"), encoding="utf-8")
    assert [f for f in findings(md, "--select", "GX502,GX090") if f["rule"] == "GX090"]


# --------------------------------------------------------------------------- Word
@pytest.fixture(scope="module")
def docx_004(tmp_path_factory):
    return seed_docx(SEED_004, tmp_path_factory.mktemp("sup") / "004.docx")


def _set_comment_texts(path, texts: dict):
    """Rewrite the text of comments (by position) as a reviewer would in Word."""
    import docx

    d = docx.Document(str(path))
    comments = list(d.comments)
    for i, text in texts.items():
        c = comments[i]
        c.paragraphs[0].text = text
        for p in c.paragraphs[1:]:
            p._p.getparent().remove(p._p)
    d.save(str(path))


def test_word_comment_ignore_suppresses_its_anchored_finding(docx_004, tmp_path):
    linter = Linter()
    before = linter.lint_path(str(docx_004)).findings
    gx210 = [f for f in before if f.rule == "GX210"]
    gx501 = [f for f in before if f.rule == "GX501"]
    assert len(gx210) == 1 and len(gx501) >= 2
    # the reviewer's comments, anchored by gxlint --annotate on the offending text, then rewritten
    reviewed = tmp_path / "reviewed.docx"
    annotate_docx(str(docx_004), [gx210[0], gx501[0]], str(reviewed))
    _set_comment_texts(reviewed, {0: "gxlint: ignore GX210 经核实为原文引用", 1: "gxlint：ignore gx501"})
    after = Linter().lint_path(str(reviewed)).findings
    key = lambda f: (f.rule, f.line, f.column, f.excerpt)  # noqa: E731
    assert sorted(map(key, after)) == sorted(key(f) for f in before if f not in (gx210[0], gx501[0]))
    # --no-suppressions
    off = Linter()
    off.suppressions = False
    assert sorted(map(key, off.lint_path(str(reviewed)).findings)) == sorted(map(key, before))


def test_word_comment_suppresses_in_a_package_with_a_zip_comment_or_its_part_named_in_capitals(docx_004, tmp_path):
    """prepare() opens the package again for its comments only when the reader saw a part named
    like them (Document.review_comments): a zip comment after the directory, or a part named
    word/COMMENTS.xml, must not hide the reviewer's directive."""
    import shutil
    import zipfile

    from gxlint.readers.docx import read_docx

    def may_comment(path):
        return read_docx(str(path)).review_comments

    assert may_comment(docx_004) is False  # (no comments part: the package is not opened again)
    before = Linter().lint_path(str(docx_004)).findings
    gx210 = [f for f in before if f.rule == "GX210"]
    reviewed = tmp_path / "reviewed.docx"
    annotate_docx(str(docx_004), gx210, str(reviewed))
    _set_comment_texts(reviewed, {0: "gxlint: ignore GX210"})
    commented = tmp_path / "commented.docx"
    shutil.copy(reviewed, commented)
    with zipfile.ZipFile(commented, "a") as z:
        # (a comment zipfile reads past; one holding an end record's signature makes the package
        # unreadable: E005, as Word's own reader finds it)
        z.comment = "审阅意见已处理".encode()
    capitals = tmp_path / "capitals.docx"
    with zipfile.ZipFile(reviewed) as src, zipfile.ZipFile(capitals, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/comments.xml":
                info.filename = "word/COMMENTS.xml"
            elif info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b'Target="comments.xml"', b'Target="COMMENTS.xml"')
            dst.writestr(info, data)
    for path in (reviewed, commented, capitals):
        assert may_comment(path)
        result = Linter().lint_path(str(path))
        assert result.error is None and result.findings, path.name
        assert [f for f in result.findings if f.rule == "GX210"] == [], path.name


def test_word_comment_for_another_rule_suppresses_nothing_and_is_stale(docx_004, tmp_path):
    linter = Linter()
    before = linter.lint_path(str(docx_004)).findings
    gx210 = next(f for f in before if f.rule == "GX210")
    reviewed = tmp_path / "reviewed.docx"
    annotate_docx(str(docx_004), [gx210], str(reviewed))
    _set_comment_texts(reviewed, {0: "gxlint: ignore GX502"})
    after = linter.lint_path(str(reviewed)).findings
    assert gx210.rule in {f.rule for f in after}
    stale = [f for f in after if f.rule == "GX090"]
    assert len(stale) == 1 and stale[0].line == gx210.line and "GX502" in stale[0].message
    assert "批注「gxlint: ignore GX502」" in stale[0].location


def test_word_comment_made_with_python_docx_on_whole_runs(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("某县2024年政府信息公开工作年度报告", style="Title")
    p1 = d.add_paragraph("本年度按计划布署各项工作。")
    d.add_paragraph("做好信息消毁工作。")
    d.add_comment(p1.runs, text="gxlint: ignore GX502 原文如此", author="审核人", initials="SH")
    path = tmp_path / "c.docx"
    d.save(str(path))
    fs = [f for f in Linter().lint_path(str(path)).findings if f.rule in ("GX502", "GX090")]
    assert [(f.rule, f.excerpt) for f in fs] == [("GX502", "消毁")]


def test_a_comment_that_is_no_directive_or_a_broken_comments_part_changes_nothing(docx_004, tmp_path):
    linter = Linter()
    before = linter.lint_path(str(docx_004)).findings
    gx210 = next(f for f in before if f.rule == "GX210")
    plain = tmp_path / "plain.docx"
    annotate_docx(str(docx_004), [gx210], str(plain))  # gxlint's own comment: 「GX210 …」, not a directive
    key = lambda f: (f.rule, f.line, f.column)  # noqa: E731
    assert sorted(map(key, linter.lint_path(str(plain)).findings)) == sorted(map(key, before))
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(broken, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/comments.xml":
                data = b"<w:comments gxlint: ignore GX210"
            zout.writestr(info, data)
    result = linter.lint_path(str(broken))
    assert result.error is None
    assert sorted(map(key, result.findings)) == sorted(map(key, before))


def test_annotate_comments_say_how_to_suppress(docx_004, tmp_path):
    import docx

    linter = Linter()
    fs = linter.lint_path(str(docx_004)).findings
    out = tmp_path / "a.docx"
    annotate_docx(str(docx_004), fs, str(out))
    for c, f in zip(docx.Document(str(out)).comments, fs):
        assert f"gxlint: ignore {f.rule}" in c.text


# --------------------------------------------------------------------------- linear (issue 31)
# 10,000 directives took 34 s when each finding was compared with each directive.  The work is
# counted here, never timed: every attribute read on a finding or a directive, and every line
# read by index, for n and for 4n of the same shape; linear work grows 4-fold, quadratic 16-fold.
from gxlint import suppress  # noqa: E402
from gxlint.findings import Finding  # noqa: E402

READS = [0]


class _CountedFinding(Finding):
    def __getattribute__(self, name):
        READS[0] += 1
        return object.__getattribute__(self, name)


class _CountedSuppression(suppress.Suppression):
    def __getattribute__(self, name):
        READS[0] += 1
        return object.__getattribute__(self, name)


class _CountedLines(list):
    def __getitem__(self, i):
        READS[0] += 1
        return list.__getitem__(self, i)


def _finding(rule: str, line: int, col: int = 1, end_line: int | None = None, end_col: int = 3, cls=Finding):
    return cls(rule, "usage", "warning", "m", line, col, end_line or line, end_col, "截止")


def _shape(kind: str, n: int):
    """(source lines, findings) of one shape of directives with n of them."""
    if kind == "next-line":  # a directive before each finding
        lines = [x for k in range(n) for x in ("<!-- gxlint-disable-next-line GX503 -->", f"截止{k}日")]
        fs = [_finding(r, 2 * k + 2) for k in range(n) for r in ("GX503", "GX502")]
    elif kind == "run":  # n directives in a row, all for the one line after them
        lines = ["gxlint: disable-next-line=GX503"] * n + ["截止12月31日"] + ["截止"] * n
        fs = [_finding("GX503", k) for k in range(n + 1, 2 * n + 2)]
    elif kind == "open":  # n ranges never ended (the enables name another rule), each covering every finding
        lines = ["<!-- gxlint-disable GX5 -->"] * n + ["<!-- gxlint-enable GX601 -->"] * n + ["截止"] * n
        fs = [_finding(r, k) for k in range(2 * n + 1, 3 * n + 1) for r in ("GX503", "GX601")]
    else:  # "ranges": n ranges of one line each, the findings on the lines between them
        lines = [x for _ in range(n) for x in ("gxlint: disable GX503 GX502", "截止", "gxlint: enable", "截止")]
        fs = [_finding("GX503", 4 * k + j) for k in range(n) for j in (2, 4)]
    return lines, fs


def _work(kind: str, n: int, monkeypatch) -> tuple[int, list]:
    monkeypatch.setattr(suppress, "Suppression", _CountedSuppression)
    lines, fs = _shape(kind, n)
    fs = [_CountedFinding(**{k: getattr(f, k) for k in Finding._fields}) for f in fs]
    READS[0] = 0
    sups, only = suppress.text_directives(_CountedLines(lines))
    kept = suppress.apply(fs, sups, lambda code: True, lambda code: True)
    return READS[0], [(f.rule, f.line) for f in kept]


@pytest.mark.parametrize("kind", ["next-line", "run", "open", "ranges"])
def test_directives_and_findings_are_matched_in_linear_work(kind, monkeypatch):
    small, kept_small = _work(kind, 200, monkeypatch)
    large, kept_large = _work(kind, 800, monkeypatch)
    assert large < 5 * small, (small, large)
    expected = {"next-line": [("GX502", 2 * k + 2) for k in range(800)],  # only the GX503 are suppressed
                "run": [("GX503", k) for k in range(802, 1602)],  # all but the line after the run
                "open": [("GX601", k) for k in range(1601, 2401)],
                "ranges": [("GX503", 4 * k + 4) for k in range(800)]}[kind]
    assert kept_large == expected


def _naive(findings, sups):
    """Each finding compared with each directive, as suppress.apply did before issue 31."""
    kept = []
    for f in findings:
        hit = [s for s in sups if s.covers(f)]
        for s in hit:
            s.used.update([c for c in s.codes if f.rule.startswith(c)] if s.codes else [""])
        if not hit:
            kept.append(f)
    return kept


def test_the_sweep_suppresses_what_comparing_every_pair_suppresses():
    """Random directives (ranges opened and ended by id or all at once, nested, next-line ones, ids
    by prefix) and random findings (points, spans, several lines): the same findings are kept and
    the same ids of each directive are marked used as when every pair is compared."""
    import random

    rules = ["GX501", "GX502", "GX503", "GX601", "GX090", "AB12"]
    codes = ["GX5", "GX50", "GX501", "GX503", "GX6", "AB12", "GX999", "", "GX501 GX601"]
    for case in range(300):
        rng = random.Random(case)
        lines = []
        for _ in range(rng.randint(1, 40)):
            what = rng.choice(["text", "text", "disable", "enable", "next", "html-next", "blank"])
            c = rng.choice(codes)
            lines.append({"text": "截止", "blank": "", "disable": f"gxlint: disable {c}", "enable": f"gxlint: enable {c}",
                          "next": f"gxlint: disable-next-line={c}",
                          "html-next": f"<!-- gxlint-disable-next-line {c} --> <p>"}[what])
        fs = []
        for _ in range(rng.randint(0, 30)):
            line = rng.randint(1, len(lines) + 1)
            end_line = line + rng.choice([0, 0, 0, 1, 3])
            col = rng.randint(1, 4)
            end_col = rng.randint(1, 6) if end_line > line else col + rng.randint(0, 3)
            fs.append(_finding(rng.choice(rules), line, col, end_line, end_col))
        mine, _ = suppress.text_directives(lines)
        theirs, _ = suppress.text_directives(lines)
        kept = suppress.apply(fs, mine, lambda code: True, lambda code: True)
        assert [id(f) for f in kept] == [id(f) for f in _naive(fs, theirs)], (case, lines)
        assert [s.used for s in mine] == [s.used for s in theirs], (case, lines)


def test_word_directives_are_placed_reading_their_paragraph_once(tmp_path, monkeypatch):
    """Comments 「gxlint: ignore GX503」 anchored in one paragraph: placing them reads that paragraph's
    runs once, not once per comment (counted: the runs paragraph_spans hands out)."""
    import re

    from gxlint.readers import docx as reader

    def directives(n: int):
        def transform(text):
            lines = text.split("\n")
            return "\n".join(lines[:8] + ["，".join(["截止12月31日"] * n) + "。"] + lines[8:])

        src = seed_docx(SEED_004, tmp_path / f"d{n}.docx", transform=transform)
        fs = [f for f in Linter().lint_path(str(src)).findings if f.rule == "GX503"]
        assert len(fs) == n
        annotated = tmp_path / f"a{n}.docx"
        annotate_docx(str(src), fs, str(annotated))
        out = tmp_path / f"c{n}.docx"
        with zipfile.ZipFile(annotated) as zin, zipfile.ZipFile(out, "w") as zout:
            for info in zin.infolist():
                data = zin.read(info)
                if info.filename == "word/comments.xml":
                    data = re.sub(rb"(<w:t[^>]*>)[^<]*(</w:t>)", rb"\1gxlint: ignore GX503\2", data)
                zout.writestr(info, data)
        return out

    real = reader.paragraph_spans
    runs = [0]

    def counted(p):
        out = real(p)
        runs[0] += len(out[1])
        return out

    work = {}
    for n in (40, 160):
        path = directives(n)
        monkeypatch.setattr(reader, "paragraph_spans", counted)
        runs[0] = 0
        result = Linter().lint_path(str(path))
        monkeypatch.setattr(reader, "paragraph_spans", real)
        assert not [f for f in result.findings if f.rule in ("GX503", "GX090")]  # each suppressed its own
        work[n] = runs[0]
    assert work[160] < 5 * work[40], work
