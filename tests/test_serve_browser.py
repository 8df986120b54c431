"""gxlint serve in a real browser: Debian's Chromium, headless, driven through Selenium by Debian's
chromium-driver (never a browser or driver downloaded), against ``gxlint serve`` started in a
subprocess on a free port.

It opens the page, uploads examples/faulty.docx, sees its 7 findings with their locations, opens
a finding's sentence and its rule's explanation, downloads the annotated .docx and reads its 7
comments; uploads a report whose text and file name hold ``<script>`` and ``<img onerror>``: nothing
runs; checks a batch and follows the summary's link to a report.

The screenshots of the page (one report, a batch's summary) are taken here: into the test's
temporary folder, and into ``$GXLINT_SCREENSHOTS`` when it is set (``GXLINT_SCREENSHOTS=docs/images``
refreshes the README's pictures, docs/serve.md).
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import SEED_FILES
from serving import EXAMPLES, IMG, SCRIPT, cli_json, comments, hostile_text, server, wait_for
from systools import require_selenium

pytestmark = pytest.mark.slow
WAIT = 180  # seconds a step may take at most on a loaded machine (a bound, not a measure)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    require_selenium()
    pytest.importorskip("starlette", reason="gxlint[serve] is not installed: pip install -e '.[test]'")
    cwd = tmp_path_factory.mktemp("serve-cwd")  # no .gxlint.yaml there: the built-in rules
    with server("--workers", "1", cwd=cwd) as (address, proc):
        yield address


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium, chromedriver = require_selenium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tmp_path_factory.mktemp("chromium-profile")
    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 f"--user-data-dir={profile}", "--window-size=1280,900", "--lang=zh-CN", "--force-device-scale-factor=1"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False,
                                              "safebrowsing.enabled": False})
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)  # a driver path: no Selenium Manager
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads
    try:
        yield driver
    finally:
        driver.quit()


def page(driver, address):
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(address)
    WebDriverWait(driver, WAIT).until(lambda d: d.find_element("id", "limits").text)  # the script has run
    return driver


def check(driver, *paths, folder=None):
    """Choose ``paths`` in the page's file input (or ``folder`` in its folder input) and start;
    wait for the final results."""
    from selenium.webdriver.support.ui import WebDriverWait

    if folder is None:
        driver.find_element("id", "files").send_keys("\n".join(str(p) for p in paths))
        assert len(driver.find_elements("css selector", "#chosen li")) == len(paths)
    else:
        driver.find_element("id", "folder").send_keys(str(folder))
    driver.find_element("id", "start").click()
    WebDriverWait(driver, WAIT).until(lambda d: d.find_element("id", "toolbar").is_displayed())


def screenshot(driver, name: str, tmp_path: Path, element_id: str | None = None) -> Path:
    """The page (or the part up to the end of ``element_id``) as a PNG, at most 2,600 pixels high."""
    height = driver.execute_script(
        "const e = arguments[0] && document.getElementById(arguments[0]);"
        "return Math.ceil(e ? e.getBoundingClientRect().bottom + window.scrollY + 24 : document.body.scrollHeight);",
        element_id)
    driver.set_window_size(1280, min(max(height, 600), 2600) + 140)  # (the window's frame, in headless mode)
    driver.execute_script("window.scrollTo(0, 0)")
    out = tmp_path / name
    driver.save_screenshot(str(out))
    driver.set_window_size(1280, 900)
    from PIL import Image

    with Image.open(out) as img:
        assert img.width >= 1200 and img.height >= 600
        assert len(img.convert("RGB").resize((64, 64)).getcolors(4096) or ()) > 20, "a blank screenshot"
    if os.environ.get("GXLINT_SCREENSHOTS"):
        shutil.copyfile(out, Path(os.environ["GXLINT_SCREENSHOTS"]) / name)
    return out


def test_one_report_its_findings_context_explanation_and_comments(site, browser, tmp_path):
    from selenium.webdriver.support.ui import WebDriverWait

    driver = page(browser, site)
    assert driver.title == "gxlint 年度报告检查"
    check(driver, EXAMPLES / "faulty.docx")
    report = driver.find_element("css selector", "article.report")
    assert report.find_element("tag name", "h2").text == "faulty.docx"
    assert "福州市长乐区人民政府办公室 2024年政府信息公开工作年度报告" in report.find_element("css selector", ".meta .title").text
    assert report.find_element("css selector", ".meta .year").text == "年度：2024年"
    findings = report.find_elements("css selector", "li.finding")
    cli = json.loads(cli_json("faulty.docx", cwd=EXAMPLES)[1])["files"][0]["findings"]
    assert len(findings) == len(cli) == 7
    for shown, f in zip(findings, cli):
        assert shown.find_element("css selector", ".rule").text == f["rule"]
        assert shown.find_element("css selector", ".loc").text == f"{f['location']}（第 {f['line']} 行第 {f['column']} 列）"
        assert shown.find_element("css selector", ".msg").text == f["message"]
        assert "error" in shown.get_attribute("class").split()
    first = findings[0]
    context = first.find_element("css selector", ".context")
    assert not context.is_displayed()
    first.find_element("css selector", ".show-context").click()
    assert context.is_displayed() and context.find_element("tag name", "mark").text == "国务院令第七十一号"
    assert context.text.startswith("根据《中华人民共和国政府信息公开条例》（国务院令第七十一号）")
    first.find_element("css selector", ".show-rule").click()
    explain = first.find_element("css selector", ".explain")
    WebDriverWait(driver, WAIT).until(lambda d: explain.is_displayed() and explain.text)
    assert explain.text.startswith("GX210 ") and "依据：" in explain.text
    groups = [h.text for h in report.find_elements("css selector", "section.group h3")]
    assert groups[0] == "正文开头" and groups[1].startswith("第二部分")
    # the filters: warnings only hides every finding here (all are errors)
    driver.find_element("id", "show-error").click()
    assert not any(f.is_displayed() for f in findings)
    driver.find_element("id", "show-error").click()
    assert all(f.is_displayed() for f in findings)
    screenshot(driver, "serve-report.png", tmp_path)
    # the annotated copy, downloaded by the browser
    report.find_element("css selector", "a.annotated").click()
    done = wait_for(lambda: [p for p in driver.downloads.iterdir() if p.suffix == ".docx"], tries=WAIT * 10)
    assert done[0].name == "faulty（批注）.docx"
    notes = comments(done[0])
    assert len(notes) == 7 and sorted(n.split()[0] for n in notes) == sorted(f["rule"] for f in cli)


def test_a_hostile_report_runs_nothing(site, browser, tmp_path):
    """Markup in a report's text and in its file name is shown as text: no script runs, no
    element is made of it."""
    hostile = tmp_path / "报告<img src=x onerror=document.title=1>.md"
    hostile.write_text(hostile_text(), encoding="utf-8")
    driver = page(browser, site)
    check(driver, hostile)
    report = driver.find_element("css selector", "article.report")
    assert report.find_element("tag name", "h2").text == hostile.name
    first = report.find_element("css selector", "li.finding")
    first.find_element("css selector", ".show-context").click()
    assert SCRIPT + IMG in first.find_element("css selector", ".context").text
    assert driver.execute_script("return window.pwned") is None and driver.title == "gxlint 年度报告检查"
    assert driver.find_elements("css selector", "#results img, #results script, #results b") == []
    assert [s.get_attribute("src") for s in driver.find_elements("tag name", "script")] == [f"{site}static/app.js"]


def test_a_batch_shows_the_summary_with_a_link_to_each_report(site, browser, tmp_path):
    """A folder chosen whole: its files in the order the command lists them, what the command
    skips in a folder skipped (a hidden folder, a lock file, a spreadsheet)."""
    folder = tmp_path / "各单位报告"
    (folder / "乡镇").mkdir(parents=True)
    for src in SEED_FILES[:3]:
        shutil.copyfile(src, folder / src.name)
    for src in SEED_FILES[3:]:
        shutil.copyfile(src, folder / "乡镇" / src.name)
    shutil.copyfile(EXAMPLES / "faulty.docx", folder / "faulty.docx")
    (folder / ".git").mkdir()
    for skipped in (".git/x.txt", "~$faulty.docx", "统计.xlsx"):
        (folder / skipped).write_bytes(b"x")
    driver = page(browser, site)
    check(driver, folder=folder)
    chosen = [li.text for li in driver.find_elements("css selector", "#chosen li")]
    listed = json.loads(cli_json("各单位报告", cwd=tmp_path)[1])["files"]
    assert chosen == [f["path"] for f in listed] and len(chosen) == 6  # 各单位报告/003_….txt: the walk's order
    summary = driver.find_element("id", "summary")
    assert summary.is_displayed() and summary.find_element("tag name", "h2").text == "检查汇总"
    totals = [d.text.replace("\n", "") for d in summary.find_elements("css selector", ".totals div")]
    assert totals[0] == "6份报告"
    rows = summary.find_elements("css selector", "#reports tbody tr")
    errors = [int(r.find_elements("tag name", "td")[1].text) for r in rows]
    assert len(rows) == 6 and errors == sorted(errors, reverse=True) and errors[0] == 7  # the worst first
    assert len(driver.find_elements("css selector", "article.report")) == 6
    assert summary.find_elements("css selector", "#chart .bar")
    screenshot(driver, "serve-batch.png", tmp_path, element_id="summary")
    link = rows[-1].find_element("tag name", "a")
    name = link.text
    link.click()
    target = driver.find_element("id", driver.current_url.rsplit("#", 1)[1])
    assert target.find_element("tag name", "h2").text == name
    assert driver.execute_script("const r = arguments[0].getBoundingClientRect(); return r.top >= -2 && r.top < 200;",
                                 target)
