"""Personal data (GX801-GX803): found when valid, never repeated by any output, allowed on purpose.

The numbers are fictitious but valid: 11010519491231002X is the example of
GB 11643-1999 itself (and of GX801's documentation, which SARIF output carries:
the report's numbers below are others); the rest were computed with the same
check digits.
"""
import json
import subprocess
import sys
import zipfile

import pytest
from conftest import SEEDS
from seeddocx import seed_docx

from gxlint.readers.text import parse_text

SEED_002 = next(SEEDS.glob("002_*.txt"))
STANDARD_ID = "11010519491231002X"  # GB 11643-1999's example: check character X
ID = "110105198001011238"
ID_MASKED = "110105********1238"
MOBILE = "13912345678"
MOBILE_MASKED = "139****5678"
CARD = "6222021234567890128"  # Luhn-valid
ID_LUHN = "620102198001011554"  # a valid 身份证号 that also passes the Luhn check (and starts like a card)
SENTENCE_END = "所有办件均按照规定时限规范回复。"
# what no output may contain: the numbers, and the middle that the mask hides
RAW = (ID, MOBILE, "19800101", "1234567890")


def with_personal_data(text: str) -> str:
    assert text.count(SENTENCE_END) == 1
    return text.replace(SENTENCE_END, f"{SENTENCE_END}申请人李某（身份证号：{ID}，手机：{MOBILE}）对答复无异议。")


def with_contacts_only(text: str) -> str:
    """002 as published (电话：0797-8542306, its URL, 17865条) plus an office e-mail and the hotline."""
    old = "电话：0797-8542306）"
    assert text.count(old) == 1
    return text.replace(old, "电话：0797-8542306，政务服务便民热线：12345，电子邮箱：syxzfb2022@163.com）")


def privacy(linter, text: str):
    doc = parse_text(text, "x.md", markdown=True)  # a sentence of a report
    return [f for f in linter.lint_document(doc, fragment=True) if f.category == "privacy"]


def rules(findings):
    return sorted(f.rule for f in findings)


def run(*args, cwd):
    p = subprocess.run([sys.executable, "-m", "gxlint", *map(str, args)], capture_output=True, text=True, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


# --------------------------------------------------------------------------- acceptance on seed 002
@pytest.fixture(params=["txt", "docx"])
def seed_file(request, tmp_path):
    def make(transform):
        if request.param == "txt":
            path = tmp_path / "002.txt"
            path.write_text(transform(SEED_002.read_text(encoding="utf-8")), encoding="utf-8")
            return path
        return seed_docx(SEED_002, tmp_path / "002.docx", transform=transform)

    return make


def test_seed_with_an_id_and_a_mobile_is_flagged_twice_masked(seed_file, linter):
    result = linter.lint_path(str(seed_file(with_personal_data)))
    assert result.error is None
    serious = [f for f in result.findings if f.severity in ("error", "warning")]
    assert rules(serious) == ["GX801", "GX802"], [(f.rule, f.message) for f in serious]
    by_rule = {f.rule: f for f in serious}
    assert f"「{ID_MASKED}」" in by_rule["GX801"].message and by_rule["GX801"].excerpt == ID_MASKED
    assert f"「{MOBILE_MASKED}」" in by_rule["GX802"].message and by_rule["GX802"].excerpt == MOBILE_MASKED
    assert all(f.location == "第一部分" for f in serious)
    for f in serious:
        assert not any(raw in f.message or raw in f.excerpt for raw in RAW)


def test_seed_with_its_contacts_only_is_clean(seed_file, linter):
    result = linter.lint_path(str(seed_file(with_contacts_only)))
    assert result.error is None
    assert [f for f in result.findings if f.severity in ("error", "warning")] == []


def test_located_on_the_number_as_written(linter, tmp_path):
    text = with_personal_data(SEED_002.read_text(encoding="utf-8"))
    path = tmp_path / "002.txt"
    path.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    for f in linter.lint_path(str(path)).findings:
        assert lines[f.line - 1][f.column - 1 : f.end_column - 1] == {"GX801": ID, "GX802": MOBILE}[f.rule]


# --------------------------------------------------------------------------- what counts
def test_id_card_check_digit_and_birth_date(linter):
    assert rules(privacy(linter, f"身份证号{ID}。")) == ["GX801"]
    assert rules(privacy(linter, f"身份证号{STANDARD_ID}。")) == ["GX801"]
    assert rules(privacy(linter, f"身份证号{STANDARD_ID.lower()}。")) == ["GX801"]
    assert rules(privacy(linter, "身份证号１１０１０５１９４９１２３１００２Ｘ。")) == ["GX801"]  # full-width
    assert privacy(linter, "身份证号110105194912310021。") == []  # wrong check digit (X expected)
    assert privacy(linter, "身份证号110105194913310021。") == []  # month 13 (check digit right for it)
    old = privacy(linter, "身份证号110105800101123。")  # 15 digits, before 1999: born 1980-01-01
    assert rules(old) == ["GX801"] and "「110105*****1123」" in old[0].message
    assert privacy(linter, "身份证号110105801301123。") == []  # month 13
    assert privacy(linter, f"编号9{ID}。") == []  # inside a longer run


def test_mobile_forms_and_what_is_no_mobile(linter):
    for written in (MOBILE, "139-1234-5678", "139 1234 5678", "+86 139 1234 5678", "8613912345678", "0086-139-1234-5678"):
        found = privacy(linter, f"经办人手机：{written}。")
        assert rules(found) == ["GX802"], written
        assert f"「{MOBILE_MASKED}」" in found[0].message and "1234" not in found[0].excerpt
    for text in (
        "电话：0591-28803765，邮编：350207，电子邮箱：szb28838206@163.com",
        "（0797）8542306", "12345政务服务便民热线", "闽财非税函〔2021〕1号", "发布政务信息17865条",
        "网站（http://www.example.gov.cn/zwgk/13812345678.html）", "邮箱：13812345678@163.com",
        "号码138123456789", "12813812345678",
    ):
        assert privacy(linter, text) == [], text


def test_bank_card_luhn_and_one_finding_per_number(linter):
    assert rules(privacy(linter, f"退费至银行卡{CARD}。")) == ["GX803"]
    assert rules(privacy(linter, "退费至银行卡6222 0212 3456 7890 128。")) == ["GX803"]
    assert privacy(linter, "退费至银行卡6222021234567890127。") == []  # Luhn check fails
    assert privacy(linter, "6222 0212 3456 7890 1280 1234") == []  # a longer grouped run
    # 18 digits that are a 身份证号 and Luhn-valid: the id card only
    assert rules(privacy(linter, f"身份证号{ID_LUHN}。")) == ["GX801"]
    # one more digit: no 身份证号 any more, but a 19-digit card; still one finding
    run19 = privacy(linter, f"卡号{ID_LUHN}7。")
    assert rules(run19) == ["GX803"] and "「6201***********5547」" in run19[0].message
    # a 统一社会信用代码 written in digits is an organisation's, not a person's
    assert privacy(linter, f"统一社会信用代码：{ID_LUHN}") == []


# --------------------------------------------------------------------------- allow:
def test_allow_list_in_config_skips_numbers_published_on_purpose(tmp_path):
    report = tmp_path / "r.md"
    report.write_text(f"# 某县2024年政府信息公开工作年度报告\n\n公开电话：{MOBILE}（值班手机）；申请人身份证号{STANDARD_ID}。\n",
                      encoding="utf-8")
    (tmp_path / ".gxlint.yaml").write_text('allow: ["139-1234-5678"]\n', encoding="utf-8")
    rc, out, _ = run("--select", "privacy", report, cwd=tmp_path)
    assert rc == 1 and "GX801" in out and "GX802" not in out
    (tmp_path / ".gxlint.yaml").write_text(f'allow: ["139 1234 5678", "{STANDARD_ID.lower()}"]\n', encoding="utf-8")
    assert run("--select", "privacy", report, cwd=tmp_path)[:2] == (0, "")
    (tmp_path / ".gxlint.yaml").write_text(f"allow:\n  - {MOBILE}\n", encoding="utf-8")
    rc, out, err = run(report, cwd=tmp_path)
    assert rc == 2 and "E020" in err and ".gxlint.yaml:2:5" in err and "加引号" in err


# --------------------------------------------------------------------------- no output leaks
@pytest.mark.slow
def test_no_output_repeats_the_numbers(tmp_path):
    text = with_personal_data(SEED_002.read_text(encoding="utf-8"))
    report = tmp_path / "002.txt"
    report.write_text(text, encoding="utf-8")
    outputs = {}
    for fmt in ("text", "json", "sarif", "github"):
        rc, out, err = run("--format", fmt, report, cwd=tmp_path)
        assert rc == 1 and ID_MASKED in out and MOBILE_MASKED in out, fmt
        outputs[fmt] = out + err
    for name in ("summary.csv", "summary.html"):
        rc, _, _ = run(report, "--report", tmp_path / name, cwd=tmp_path)
        outputs[name] = (tmp_path / name).read_text(encoding="utf-8-sig")
        assert rc == 1 and MOBILE_MASKED in outputs[name], name
    # last year's report the same: GX605 marks the whole paragraph, the numbers in it hidden
    previous = tmp_path / "2021.txt"
    previous.write_text(text.replace("2022", "2021"), encoding="utf-8")
    rc, out, _ = run("--format", "json", "--previous", previous, report, cwd=tmp_path)
    copied = [f for f in json.loads(out)["files"][0]["findings"] if f["rule"] == "GX605" and ID_MASKED in f["excerpt"]]
    assert len(copied) == 1 and MOBILE_MASKED in copied[0]["excerpt"]
    outputs["previous"] = out
    # --diff: a fix in the paragraph that holds the numbers shows that paragraph, numbers hidden
    report.write_text(text.replace("对答复无异议。", "对答复无异议，已按要求布署。"), encoding="utf-8")
    rc, out, _ = run("--diff", report, cwd=tmp_path)
    minus = [ln for ln in out.splitlines() if ln.startswith("-") and "按要求布署" in ln]
    plus = [ln for ln in out.splitlines() if ln.startswith("+") and "按要求部署" in ln]
    assert rc == 1 and len(minus) == len(plus) == 1, out
    assert ID_MASKED in minus[0] and MOBILE_MASKED in plus[0]
    outputs["diff"] = out
    for name, out in outputs.items():
        for raw in RAW:
            assert raw not in out, (name, raw)


def test_word_comments_mark_the_number_and_do_not_repeat_it(linter, tmp_path):
    from gxlint.writers._docx import Locator, Package

    src = seed_docx(SEED_002, tmp_path / "002.docx", transform=with_personal_data)
    findings = [f for f in linter.lint_path(str(src)).findings if f.category == "privacy"]
    where = Locator(Package(str(src)).root)
    for f in findings:  # the masked excerpt still finds its place (not the title fallback)
        target = where.find(f)
        assert target is not None and target.block.text[target.a:target.b] == {"GX801": ID, "GX802": MOBILE}[f.rule]
    dst = tmp_path / "annotated.docx"
    rc, _, _ = run(src, "--annotate", dst, cwd=tmp_path)
    assert rc == 1
    with zipfile.ZipFile(dst) as z:
        comments = z.read("word/comments.xml").decode("utf-8")
    assert ID_MASKED in comments and MOBILE_MASKED in comments
    assert not any(raw in comments for raw in RAW)


# --------------------------------------------------------------------------- table cells
CONTACTS = [["联系人", "联系方式"], ["李某", "电话：0797-8542306"], ["王某", f"办公室\n手机：{MOBILE}"]]


def test_a_number_in_a_markdown_table_cell(linter):
    table = "| 联系人 | 联系方式 |\n| --- | --- |\n| 李某 | 电话：0797-8542306 |\n" f"| 王某 | 手机：{MOBILE} |\n"
    text = SEED_002.read_text(encoding="utf-8") + "\n\n" + table
    found = privacy(linter, text)
    assert rules(found) == ["GX802"], [(f.rule, f.location) for f in found]
    f = found[0]
    assert f.location == "第六部分 表格 第3行第2列" and f.excerpt == MOBILE_MASKED
    assert text.split("\n")[f.line - 1][f.column - 1 : f.end_column - 1] == MOBILE


def test_a_number_on_the_second_line_of_a_word_table_cell(linter, tmp_path):
    from docxbuild import build_docx
    from seeddocx import seed_blocks

    from gxlint.writers._docx import Locator, Package

    src = tmp_path / "002.docx"
    build_docx([*seed_blocks(SEED_002.read_text(encoding="utf-8")), ("table", CONTACTS)], src)
    found = [f for f in linter.lint_path(str(src)).findings if f.category == "privacy"]
    assert rules(found) == ["GX802"] and found[0].location == "第六部分 表格 第3行第2列"
    target = Locator(Package(str(src)).root).find(found[0])  # where a Word comment goes
    assert target is not None and target.block.text[target.a:target.b] == MOBILE
    dst = tmp_path / "annotated.docx"
    rc, out, _ = run(src, "--annotate", dst, cwd=tmp_path)
    assert rc == 1 and MOBILE_MASKED in out and MOBILE not in out
    with zipfile.ZipFile(dst) as z:
        comments = z.read("word/comments.xml").decode("utf-8")
    assert MOBILE_MASKED in comments and MOBILE not in comments


def test_the_national_tables_hold_no_personal_data(linter, tmp_path):
    """Large counts in the national tables (信息处理费, page views) are not phone or card numbers."""
    for seed in SEEDS.glob("*.txt"):
        doc = parse_text(seed.read_text(encoding="utf-8"), seed.name)
        assert [f for f in linter.lint_document(doc) if f.category == "privacy"] == [], seed.name


def test_an_id_number_written_in_groups(linter):
    for written in ("110105 19800101 1238", "110105-19800101-1238"):
        found = privacy(linter, f"申请人身份证号{written}。")
        assert rules(found) == ["GX801"], written
        assert f"「{ID_MASKED}」" in found[0].message and found[0].excerpt == written[:7] + "********" + written[15:]
    assert privacy(linter, "申请人身份证号110105 19800101-1238。") == []  # two separators: not one number
    assert privacy(linter, "申请人身份证号110105 19800101 1239。") == []  # wrong check digit
    assert privacy(linter, "编号110105 19800101 1238 5。") == []  # a longer grouped run
