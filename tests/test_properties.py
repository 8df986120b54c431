"""Property-based tests (hypothesis): no input crashes gxlint, and the table arithmetic is exact.

* Any text, read as plain text or Markdown, lints without an exception; any bytes
  named .txt or .docx (and any damage to a real .docx) give findings or one
  ``E0xx`` input error, never E099.
* A 表格三 whose counts satisfy every identity of GX301-GX303 gets no arithmetic
  finding, and changing any one of its cells by any amount gets one; likewise a
  表格四 and GX304.  Tables are written as Markdown pipe tables and tab-separated
  text, and (fewer examples: building a .docx is slow) as real Word tables.

Examples are derandomized, so every run checks the same inputs.
"""
import re
import zipfile

import pytest
from docxbuild import APPLICATION_ROWS, REVIEW_LABELS, applications_table, build_docx, review_table
from hypothesis import given, settings
from hypothesis import strategies as st

from gxlint.readers.text import parse_text

FAST = settings(max_examples=100, deadline=None, derandomize=True, database=None)
SLOW = settings(max_examples=10, deadline=None, derandomize=True, database=None)

COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
LABELS = [item or sub or main for main, sub, item in APPLICATION_ROWS]
N_OUTCOMES = len(LABELS) - 4  # rows 3 … 23: （一）予以公开 … （六）3.其他
REVIEW_GROUPS = ["行政复议", "未经复议直接起诉", "复议后起诉"]

# Fragments that steer arbitrary text into the readers' and rules' harder paths.
TOKENS = [
    "\t", "\t\t", "|", " | ", "\n", "\r\n", "\n\n", "|---|---|", "# ", "一、", "（三）", "1.",
    "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况", "总体情况",
    "XX市2024年政府信息公开工作年度报告", "2023年1月1日至12月31日", *COLUMNS, *LABELS[:4],
    "（七）总计", "结转下年度继续办理", "行政复议", "行政诉讼", "结果维持", "尚未审结", "信息内容",
    "第二十条第（一）项", "本年制发件数", "0", "7", "-3", "1.5", "700%", "〔2021〕", "（2021）",
    "第012号", "国务院令第七十一号", "截止2024年", "\x00", "\x0c", "\u3000", "\ufeff",
]
texts = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=12)), max_size=80).map("".join)


def arithmetic(findings) -> list[str]:
    return [f.rule for f in findings if f.category == "arithmetic"]


# --------------------------------------------------------------------------- never crashes
@pytest.mark.slow
@FAST
@given(text=texts, markdown=st.booleans())
def test_any_text_lints_without_exception(linter, text, markdown):
    findings = linter.lint_document(parse_text(text, "t.md" if markdown else "t.txt", markdown=markdown))
    assert not [f.message for f in findings if f.extra.get("error")]  # a rule that raised


def assert_lints_or_input_error(result):
    if result.error is not None:
        assert re.fullmatch(r"E0\d\d", result.error.code) and result.error.code != "E099", result.error
        assert not result.findings
    assert not [f.message for f in result.findings if f.extra.get("error")]  # a rule that raised


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("properties")


@FAST
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".txt", ".md", ".docx"]))
def test_any_bytes_give_findings_or_an_input_error(linter, scratch, data, suffix):
    path = scratch / f"any{suffix}"
    path.write_bytes(data)
    assert_lints_or_input_error(linter.lint_path(str(path)))


@pytest.fixture(scope="module")
def small_docx(scratch) -> dict[str, bytes]:
    """The members of a real report fragment as .docx."""
    path = scratch / "small.docx"
    build_docx([("title", "XX局2024年政府信息公开工作年度报告"), ("heading", 1, "总体情况"),
                ("para", "本年度共收到**12**件申请，[+依法+]答复。"),
                ("table", [["行政复议", "行政诉讼"], [{"text": "1", "vmerge": "restart"}, "2"],
                           [{"text": "", "vmerge": "continue"}, "3"]])], path)
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def damage(data: bytes, cut, patches) -> bytes:
    out = bytearray(data)
    for pos, byte in patches:
        out[pos % len(out)] = byte
    return bytes(out[: cut % len(out)] if cut is not None else out)


@pytest.mark.slow
@FAST
@given(target=st.sampled_from(["package", "word/document.xml", "word/styles.xml", "word/numbering.xml"]),
       cut=st.none() | st.integers(0, 10**6),
       patches=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=6))
def test_damaged_docx_gives_findings_or_an_input_error(linter, scratch, small_docx, target, cut, patches):
    """Damage the package's bytes, or one part's XML inside an intact package."""
    path = scratch / "damaged.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in small_docx.items():
            z.writestr(name, damage(data, cut, patches) if name == target else data)
    if target == "package":
        path.write_bytes(damage(path.read_bytes(), cut, patches))
    assert_lints_or_input_error(linter.lint_path(str(path)))


# --------------------------------------------------------------------------- 表格三
@st.composite
def balanced_applications(draw) -> list[list[int]]:
    """25 rows × 7 columns of counts satisfying GX301, GX302 and GX303."""
    columns = []
    for _ in range(6):  # 自然人 and the five 法人或其他组织 columns
        outcomes = draw(st.lists(st.integers(0, 40), min_size=N_OUTCOMES, max_size=N_OUTCOMES))
        total, carried_out = sum(outcomes), draw(st.integers(0, 40))
        carried_in = draw(st.integers(0, total + carried_out))
        columns.append([total + carried_out - carried_in, carried_in, *outcomes, total, carried_out])
    return [[*row, sum(row)] for row in zip(*columns)]


one_change = st.tuples(st.integers(0, len(LABELS) - 1), st.integers(0, len(COLUMNS) - 1),
                       st.integers(-30, 30).filter(bool))


def changed(rows: list[list[int]], change) -> list[list[int]]:
    r, c, delta = change
    out = [list(row) for row in rows]
    out[r][c] += delta
    return out


def applications_text(rows, markdown: bool) -> str:
    if markdown:
        lines = ["## 三、收到和处理政府信息公开申请情况", "", f"| 项目 | {' | '.join(COLUMNS)} |",
                 "|---" * 8 + "|"]
        lines += [f"| {label} | {' | '.join(map(str, row))} |" for label, row in zip(LABELS, rows)]
    else:
        lines = ["三、收到和处理政府信息公开申请情况", "", "\t".join(["项目", *COLUMNS])]
        lines += ["\t".join([label, *map(str, row)]) for label, row in zip(LABELS, rows)]
    return "\n".join(lines) + "\n"


def applications_docx(rows, path) -> str:
    table = applications_table([(*labels, list(map(str, row)))
                                for labels, row in zip(APPLICATION_ROWS, rows)])
    build_docx([("heading", 1, "三、收到和处理政府信息公开申请情况", {"numbered": False}), table], path)
    return str(path)


@pytest.mark.slow
@FAST
@given(rows=balanced_applications(), change=one_change, markdown=st.booleans())
def test_applications_table_arithmetic_text(linter, rows, change, markdown):
    def lint(r):
        return arithmetic(linter.lint_document(parse_text(applications_text(r, markdown), markdown=markdown)))

    assert lint(rows) == []
    assert lint(changed(rows, change))


@pytest.mark.slow
@SLOW
@given(rows=balanced_applications(), change=one_change)
def test_applications_table_arithmetic_docx(linter, scratch, rows, change):
    assert arithmetic(linter.lint_path(applications_docx(rows, scratch / "apps.docx")).findings) == []
    assert arithmetic(linter.lint_path(applications_docx(changed(rows, change), scratch / "apps.docx")).findings)


# --------------------------------------------------------------------------- 表格四
@st.composite
def balanced_review(draw) -> list[int]:
    """15 counts: per group 结果维持, 结果纠正, 其他结果, 尚未审结 and their 总计 (GX304)."""
    out = []
    for _ in REVIEW_GROUPS:
        parts = draw(st.lists(st.integers(0, 20), min_size=4, max_size=4))
        out += [*parts, sum(parts)]
    return out


def review_text(values) -> str:
    return "\n".join([
        "四、政府信息公开行政复议、行政诉讼情况", "",
        "行政复议\t行政诉讼",
        "\t".join([*REVIEW_LABELS[:5], *REVIEW_GROUPS[1:]]),
        "\t".join(REVIEW_LABELS[:5] * 2),
        "\t".join(map(str, values)),
    ]) + "\n"


review_change = st.tuples(st.integers(0, 14), st.integers(-30, 30).filter(bool))


@FAST
@given(values=balanced_review(), change=review_change)
def test_review_table_arithmetic_text(linter, values, change):
    i, delta = change
    bad = list(values)
    bad[i] += delta
    assert arithmetic(linter.lint_document(parse_text(review_text(values)))) == []
    assert arithmetic(linter.lint_document(parse_text(review_text(bad)))) == ["GX304"]


@pytest.mark.slow
@SLOW
@given(values=balanced_review(), change=review_change)
def test_review_table_arithmetic_docx(linter, scratch, values, change):
    i, delta = change
    bad = list(values)
    bad[i] += delta
    path = scratch / "review.docx"
    for vals, want in ((values, []), (bad, ["GX304"])):
        build_docx([("heading", 1, "四、政府信息公开行政复议、行政诉讼情况", {"numbered": False}),
                    review_table(list(map(str, vals)))], path)
        assert arithmetic(linter.lint_path(str(path)).findings) == want


@FAST
@given(st.text(alphabet=st.sampled_from("（），：；！？　ａＺ０９ｅ\u0301\u0308\u3099①㈠ﬁ…、。“”e年か（ ,.:0"), max_size=40)
       | st.text(max_size=20))
def test_nfkc_is_unicodedata_nfkc(text):
    """labels.nfkc, the fast NFKC every comparison of texts goes through, is NFKC exactly."""
    import unicodedata

    from gxlint.labels import nfkc

    assert nfkc(text) == unicodedata.normalize("NFKC", text)
