"""A reviewer's batch: folder expansion with include/exclude, -j N, summary pages (HTML, CSV)."""
import csv
import io
import os
import shutil
import subprocess
import sys

import pytest
import systools
from conftest import SEED_FILES
from seeddocx import seed_docx


def run(*args, cwd=None, env=None):
    return subprocess.run([sys.executable, "-m", "gxlint", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Seeds as text and .docx in nested folders, a broken file, a lock file, a hidden folder."""
    d = tmp_path_factory.mktemp("reports")
    for i, f in enumerate(SEED_FILES):
        sub = d / f"county{i % 2}"
        sub.mkdir(exist_ok=True)
        shutil.copy(f, sub / f.name)
        seed_docx(f, sub / (f.stem + ".docx"))
    (d / "county0" / "broken.docx").write_bytes(b"PK\x03\x04 not really")
    (d / "county0" / "~$lock.docx").write_bytes(b"\x00" * 162)
    (d / ".git").mkdir()
    shutil.copy(SEED_FILES[0], d / ".git" / "hidden.txt")
    (d / "notes.pdf.bak").write_text("x")
    (d / "README.md").write_text("# 各单位年度报告\n\n提交前请运行 gxlint。\n", encoding="utf-8")
    return d


def test_parallel_output_is_identical_and_sorted(folder):
    one = run("-j", "1", ".", cwd=folder)
    two = run("-j", "2", ".", cwd=folder)
    assert one.stdout == two.stdout and one.returncode == two.returncode == 1
    paths = [ln.split(":", 1)[0] for ln in one.stdout.splitlines()]
    assert paths == sorted(paths)
    assert "~$lock" not in one.stdout and "hidden" not in one.stdout
    readme = [ln for ln in one.stdout.splitlines() if "README" in ln]
    assert len(readme) == 1 and ": info: GX027 " in readme[0]  # not a report: said once, skipped
    assert one.stdout.count("broken.docx: error: E005") == 1
    assert one.stderr == two.stderr  # no progress bar when stderr is not a terminal
    assert one.stderr.strip().splitlines() == ["检查了 12 个文件，发现 27 个问题（错误 26，警告 0，提示 1），1 个文件无法读取。"]


def test_include_and_exclude_from_the_config(folder, tmp_path):
    d = tmp_path / "r"
    shutil.copytree(folder, d)
    (d / ".gxlint.yaml").write_text('include: ["*.docx"]\nexclude: ["county1/*", "broken*"]\n', encoding="utf-8")
    p = run("--format", "json", ".", cwd=d)
    import json

    files = [f["path"] for f in json.loads(p.stdout)["files"]]
    assert files == [os.path.join(".", "county0", n) for n in
                     ("000_6c964df6ff835ea4.docx", "002_9e678f4fbfe67a94.docx", "004_aa4e2e269a40bca7.docx")]
    # a file named explicitly is linted whatever the globs say
    p = run("--format", "json", "county1/001_0e25ab109a1a5fa1.txt", cwd=d)
    assert len(json.loads(p.stdout)["files"]) == 1


def test_csv_summary_opens_in_excel(folder, tmp_path):
    out = tmp_path / "summary.csv"
    p = run(".", "--report", out, cwd=folder)
    assert p.returncode == 1 and f"汇总报告已写入 {out}" in p.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel/WPS detect the encoding
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:5] == ["文件", "行", "列", "严重程度", "规则"]
    assert len(rows) == 1 + 26 + 1 + 1  # header, errors, the unreadable file, README (GX027 info)
    broken = [r for r in rows if r[3] == "无法读取"]
    assert len(broken) == 1 and broken[0][4] == "E005"
    assert {r[5] for r in rows[1:] if r[4] == "GX302"} == {"表格计算"}  # categories in Chinese, as in the HTML
    fix = [r for r in rows if r[9]]
    assert "保护第三方合法权益" in {r[9] for r in fix}
    assert oct(out.stat().st_mode & 0o777) != oct(0o600)


@pytest.fixture(scope="module")
def html_summary(folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("html") / "summary.html"
    p = run(".", "--report", out, cwd=folder)
    assert p.returncode == 1
    return out


def test_html_summary_is_self_contained(html_summary):
    from lxml import html

    page = html_summary.read_text(encoding="utf-8")
    tree = html.fromstring(page)
    assert not tree.xpath("//script | //link | //img | //iframe")  # nothing fetched, nothing run
    assert not [a for a in tree.xpath("//a/@href") if not a.startswith("#")]
    bars = tree.xpath("//svg[@id='chart']/rect")
    assert {b.get("data-category") for b in bars} == {"structure", "docref", "plausibility", "arithmetic", "wording"}
    rows = tree.xpath("//table[@id='reports']/tbody/tr")
    assert rows[0].get("class") == "broken"  # worst first: unreadable, then most errors
    first_ok = rows[1].xpath("td")
    assert first_ok[0].text_content().endswith("004_aa4e2e269a40bca7.docx") or first_ok[0].text_content().endswith(
        "004_aa4e2e269a40bca7.txt")
    assert first_ok[1].text_content() == "7"
    # every report links to its own findings
    for a in tree.xpath("//table[@id='reports']//a"):
        assert tree.xpath(f"//*[@id='{a.get('href')[1:]}']")
    top = tree.xpath("//table[@id='rules']/tbody/tr[1]/td")
    assert [top[0].text_content(), top[2].text_content()] == ["GX501", "10"]
    assert top[1].text_content() == "表格项目名称与格式不符"  # the rule's Chinese name (doc.title)


@pytest.mark.slow
def test_html_summary_renders_in_headless_chromium(html_summary, tmp_path):
    exe = systools.require_chromium()
    shot = tmp_path / "summary.png"
    subprocess.run(
        [exe, *systools.CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
         "--window-size=1200,1400", f"--screenshot={shot}", html_summary.as_uri()],
        capture_output=True, timeout=120, check=True)
    from PIL import Image  # noqa: I001 - pillow comes with reportlab (test extra)

    img = Image.open(shot).convert("RGB")
    # the chart's bars are drawn in #3b6fb6: count pixels of that colour
    blue = sum(n for n, px in img.getcolors(maxcolors=1 << 24) if px == (0x3B, 0x6F, 0xB6))
    assert blue > 5000, "the chart did not render"


@pytest.fixture
def deep_folder(tmp_path):
    """A folder 1,100 levels deep (deep/d/d/...): a report in the first two and at the bottom, a
    spreadsheet in each, a hidden folder in each, a symlink back to the top at the bottom.  Removed
    from its bottom up (shutil.rmtree recurses per level in Python 3.11: pytest's cleanup of old
    temporary folders would fail on it)."""
    top = tmp_path / "deep"
    folder = str(top)
    os.mkdir(folder)
    chain = []
    for level in range(1100):
        chain.append(folder)
        if level < 2:
            shutil.copy(SEED_FILES[4], os.path.join(folder, "a.txt"))
        open(os.path.join(folder, "notes.xlsx"), "wb").close()  # not a report: skipped
        os.mkdir(os.path.join(folder, ".hidden"))
        open(os.path.join(folder, ".hidden", "skipped.txt"), "wb").close()
        folder = os.path.join(folder, "d")
        os.mkdir(folder)
    chain.append(folder)
    shutil.copy(SEED_FILES[4], os.path.join(folder, "bottom.txt"))
    os.symlink(str(top), os.path.join(folder, "loop"))  # a link back to the top: not followed
    yield top, os.path.join(folder, "bottom.txt")
    for f in reversed(chain):
        for name in os.listdir(f):
            p = os.path.join(f, name)
            if os.path.islink(p) or not os.path.isdir(p):
                os.unlink(p)
            elif name != "d":
                shutil.rmtree(p)
        os.rmdir(f)


@pytest.mark.slow
def test_a_folder_1100_levels_deep_is_walked_to_its_bottom(deep_folder, tmp_path):
    """os.walk recursed once per level (RecursionError at about 1,000 in Python 3.11: nothing was
    linted); the walk is iterative: the report at the bottom is found and linted, in the same
    order as os.walk gives (each folder's files, then its subfolders in sorted order)."""
    import json

    from gxlint.batch import expand

    top, bottom = deep_folder
    assert expand(str(top)) == [str(top / "a.txt"), str(top / "d" / "a.txt"), bottom]
    p = run("--no-cache", "--select", "GX302", "--format", "json", "--output-file", tmp_path / "out.json", top)
    assert p.returncode == 1 and "Traceback" not in p.stderr, p.stderr[-2000:]
    files = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["files"]
    assert [f["path"] for f in files] == [str(top / "a.txt"), str(top / "d" / "a.txt"), bottom]
    assert all(not f["error"] and [x["rule"] for x in f["findings"]] == ["GX302", "GX302"] for f in files)
