"""gxlint serve, through Starlette's TestClient (the application as the server runs it, its pool of
worker processes included): every endpoint, every limit, hostile reports shown as text, nothing
left in the temporary folder, and the JSON API equal to ``gxlint --format json``.

The browser (tests/test_serve_browser.py) and the load (tests/test_serve_load.py) are slow tests."""
from __future__ import annotations

import asyncio
import io
import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from conftest import SEED_FILES, SEEDS
from serving import EXAMPLES, ID_CARD, IMG, SCRIPT, cli_json, comments, hostile_text, insertions, private_text, \
    wait_for

pytest.importorskip("starlette", reason="gxlint[serve] is not installed: pip install -e '.[test]'")
from starlette.testclient import TestClient  # noqa: E402

from gxlint.serve.app import create_app  # noqa: E402
from gxlint.serve.limits import Limits  # noqa: E402

BASE = "http://127.0.0.1"  # the server listens on the loopback: it answers requests naming it


@pytest.fixture(scope="module")
def tmp(tmp_path_factory):
    return tmp_path_factory.mktemp("serve-tmp")


@pytest.fixture(scope="module")
def client(tmp):
    """One application (one worker process) for the module's tests."""
    app = create_app(Limits(workers=1, max_files=20, max_upload_mb=5), tmp=str(tmp))
    with TestClient(app, base_url=BASE) as c:
        c.app_state = app.state
        yield c


def leftovers(client) -> list[str]:
    """What is in the server's private temporary folder (each request's folder is removed as soon
    as its results are built; the empty config it made when none was found stays)."""
    base = client.app_state.jobs.base
    return sorted(str(p.relative_to(base)) for p in Path(base).rglob("*") if p.name != "gxlint.yaml")


def upload(*paths, name=None):
    return [("files", (name or Path(p).name, Path(p).read_bytes())) for p in paths]


def run_job(client, files, **data) -> dict:
    answer = client.post("/api/jobs", files=files, data=data)
    assert answer.status_code == 202, answer.text
    job = answer.json()["id"]
    status = wait_for(lambda: (s := client.get(f"/api/jobs/{job}").json())["state"] in ("done", "failed") and s)
    assert status["id"] == job and status["final"] == (status["state"] == "done"), status
    return status


# ---------------------------------------------------------------------------------------------- page
def test_the_page_and_its_assets_are_served_with_a_strict_policy(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    html = page.text
    assert "政府信息公开工作年度报告检查" in html and 'lang="zh-CN"' in html
    # nothing the policy would block: no inline script, no style element or attribute, no handler
    assert re.findall(r"<script\b[^>]*>", html) == ['<script src="/static/app.js" defer>']
    assert "<style" not in html and " style=" not in html and not re.search(r"\son\w+=", html)
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "every asset is served by gxlint"
    js = client.get("/static/app.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert forbidden not in js.text, forbidden
    assert not re.search(r"https?://", js.text.replace("http://127.0.0.1", ""))
    css = client.get("/static/app.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css") and "@import" not in css.text
    for missing in ("/static/nothing.js", "/static/index.html", "/static/..%2Fapp.py", "/admin"):
        answer = client.get(missing)
        assert answer.status_code == 404 and answer.json()["error"]["code"] == "E022"
    assert client.get("/favicon.ico").status_code == 204  # no icon: no request a browser retries
    answer = client.put("/api/lint", content=b"x")
    assert answer.status_code == 405 and answer.json()["error"]["message"] == "此地址不接受 PUT 请求"


def test_a_host_other_than_the_loopback_is_refused(client):
    answer = client.get("/", headers={"host": "attacker.example:8080"})
    assert answer.status_code == 400 and "127.0.0.1" in answer.json()["error"]["message"]
    assert client.get("/", headers={"host": "localhost:8080"}).status_code == 200


def test_limits_and_rules(client):
    limits = client.get("/api/limits").json()
    assert limits["max_files"] == 20 and limits["max_upload_mb"] == 5 and limits["allow_urls"] is True
    assert ".docx" in limits["suffixes"] and ".zip" in limits["suffixes"]
    rule = client.get("/api/rules/gx302")
    assert rule.status_code == 200 and rule.headers["cache-control"] == "no-store"
    from gxlint.docs import explain
    from gxlint.engine import Linter

    assert rule.json()["explain"] == explain(next(r for r in Linter().all_rules if r.id == "GX302"))
    assert rule.json()["title"] == "表格三各行总计"
    missing = client.get("/api/rules/GX999")
    assert missing.status_code == 404 and missing.json()["error"]["message"] == "没有规则 GX999"


# ---------------------------------------------------------------------------------------------- JSON API
def test_the_json_api_answers_what_the_command_prints(client):
    """The seeds, uploaded together: exactly the text of `gxlint --format json` on them (a batch:
    what comparing them adds too), and its exit status."""
    status, printed = cli_json(*(p.name for p in SEED_FILES), cwd=SEEDS)
    answer = client.post("/api/lint", files=upload(*SEED_FILES))
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/json")
    assert answer.text == printed
    assert answer.headers["x-gxlint-exit"] == str(status) == "1"
    one, printed = cli_json("faulty.docx", cwd=EXAMPLES)
    assert client.post("/api/lint", files=upload(EXAMPLES / "faulty.docx")).text == printed
    assert leftovers(client) == []


def test_the_json_api_takes_the_options_and_last_years_report(client, tmp_path):
    from test_previous import SEED_003, SEED_004, as_last_year

    (tmp_path / "2023.txt").write_text(as_last_year(SEED_003.read_text(encoding="utf-8"), 2), encoding="utf-8")
    (tmp_path / "2024.txt").write_bytes(SEED_004.read_bytes())
    _, printed = cli_json("2024.txt", "--previous", "2023.txt", "--audit", "--select", "GX6,arithmetic", cwd=tmp_path)
    files = upload(tmp_path / "2024.txt") + [("previous", ("2023.txt", (tmp_path / "2023.txt").read_bytes()))]
    answer = client.post("/api/lint", files=files, data={"audit": "1", "select": "GX6，arithmetic"})
    assert answer.text == printed and '"GX603"' in printed and '"audit"' in printed
    # last year's report of another office: each report's E022 line, as the command gives it
    _, printed = cli_json("2024.txt", "--previous", SEED_003, cwd=tmp_path)
    files = upload(tmp_path / "2024.txt") + [("previous", (SEED_003.name, SEED_003.read_bytes()))]
    answer = client.post("/api/lint", files=files)
    assert answer.json() == json.loads(printed.replace(str(SEED_003), SEED_003.name))
    assert answer.json()["files"][0]["error"]["code"] == "E022" and answer.headers["x-gxlint-exit"] == "2"
    assert leftovers(client) == []


def test_a_zip_of_a_folder_is_checked_as_the_command_checks_the_folder(client, tmp_path):
    """Members in the order the command walks a folder, hidden files, lock files and other types
    skipped as it skips them, shown under the archive's name."""
    folder = tmp_path / "各单位"
    (folder / "乡镇" / "深").mkdir(parents=True)
    (folder / ".git").mkdir()
    files = {"各单位/b.txt": SEED_FILES[1], "各单位/乡镇/a.txt": SEED_FILES[0], "各单位/a.md": EXAMPLES / "faulty.md",
             "各单位/乡镇/深/c.docx": EXAMPLES / "faulty.docx", "各单位/.git/x.txt": SEED_FILES[2],
             "各单位/~$锁.docx": EXAMPLES / "faulty.docx", "各单位/统计.xlsx": SEED_FILES[2]}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, src in reversed(list(files.items())):  # an archive's own order is not the walk's
            (tmp_path / name).write_bytes(src.read_bytes())
            z.write(tmp_path / name, name)
    _, printed = cli_json("各单位", cwd=tmp_path)
    answer = client.post("/api/lint", files=[("files", ("各单位.zip", buf.getvalue()))])
    assert answer.json() == json.loads(printed)
    assert [f["path"] for f in answer.json()["files"]] == ["各单位/a.md", "各单位/b.txt", "各单位/乡镇/a.txt", "各单位/乡镇/深/c.docx"]
    assert leftovers(client) == []


def test_one_bad_file_never_breaks_a_batch(client, tmp_path):
    (tmp_path / "空.docx").write_bytes(b"")
    (tmp_path / "坏.docx").write_bytes(b"PK\x03\x04 truncated")
    (tmp_path / "faulty.md").write_bytes((EXAMPLES / "faulty.md").read_bytes())
    _, printed = cli_json("空.docx", "坏.docx", "faulty.md", cwd=tmp_path)
    files = upload(tmp_path / "空.docx", tmp_path / "坏.docx", tmp_path / "faulty.md") + [
        ("files", ("坏.zip", b"PK\x03\x04 not a zip"))]
    answer = client.post("/api/lint", files=files).json()
    assert answer["files"][:3] == json.loads(printed)["files"]
    assert [f["error"]["code"] if f["error"] else len(f["findings"]) for f in answer["files"]] == ["E001", "E005", 7, "E044"]
    assert "不是有效的 ZIP 压缩包" in answer["files"][3]["error"]["message"]
    assert client.app_state.jobs.base not in json.dumps(answer, ensure_ascii=False)
    assert leftovers(client) == []


# ---------------------------------------------------------------------------------------------- limits
@pytest.fixture(scope="module")
def strict(tmp):
    """An application with small limits (the uploads it refuses never reach its pool)."""
    app = create_app(Limits(workers=1, max_files=2, max_upload_mb=0.05, max_unzip_mb=0.2), tmp=str(tmp))
    client = TestClient(app, base_url=BASE)
    client.app_state = app.state
    return client


@pytest.mark.parametrize("path", ["/api/lint", "/api/jobs"])
def test_each_limit_is_a_chinese_error_with_its_code(strict, path):
    seed = SEED_FILES[0].read_bytes()
    big = [("files", ("大.txt", seed * 5))]  # about 67 KB: over 0.05 MiB
    answer = strict.post(path, files=big)
    assert answer.status_code == 413 and answer.json()["error"]["code"] == "E041"
    assert "大小上限 0.05 MiB" in answer.json()["error"]["message"]
    many = [("files", (f"{i}.txt", b"x")) for i in range(3)]
    answer = strict.post(path, files=many)
    assert answer.status_code == 413 and answer.json()["error"]["code"] == "E042" and "最多检查 2 份" in answer.text
    for name in ("统计.xlsx", "报告", "报告.exe"):
        answer = strict.post(path, files=[("files", (name, b"x"))])
        assert answer.status_code == 415 and answer.json()["error"]["code"] == "E043", name
        assert name in answer.json()["error"]["message"]
    answer = strict.post(path, json={"files": ["a.docx"]})
    assert answer.status_code == 415 and "multipart/form-data" in answer.json()["error"]["message"]
    answer = strict.post(path, files=[("files", ("", b""))], data={"urls": ""})
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "E044" and "没有收到报告" in answer.text
    answer = strict.post(path, files=[("files", ("a.txt", b"x"))], data={"urls": "ftp://example.org/x.pdf"})
    assert answer.status_code == 400 and "不是 http:// 或 https:// 网址" in answer.text
    answer = strict.post(path, data={"urls": "https://a.example/1\nhttps://a.example/2\nhttps://a.example/3"})
    assert answer.status_code == 413 and answer.json()["error"]["code"] == "E042"
    assert leftovers(strict) == []


def test_a_zip_is_bounded_as_it_inflates(strict):
    def archive(members: dict) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in members.items():
                z.writestr(name, data)
        return buf.getvalue()

    bomb = archive({"a.txt": b"0" * (1 << 20)})  # 1 MiB inflated from about 1 KiB
    assert len(bomb) < 0.05 * 1024 * 1024
    answer = strict.post("/api/lint", files=[("files", ("炸弹.zip", bomb))])
    assert answer.status_code == 413 and answer.json()["error"]["code"] == "E041" and "解压后超过 0.2 MiB" in answer.text
    many = archive({f"{i}.txt": b"x" for i in range(3)})
    answer = strict.post("/api/lint", files=[("files", ("多.zip", many))])
    assert answer.status_code == 413 and answer.json()["error"]["code"] == "E042"
    # members named to escape: only ever shown (the files are kept under names of the server's own)
    sneaky = archive({"../../etc/x.txt": b"\xef\xbb\xbf" + SEED_FILES[2].read_bytes()[:100], "/abs/y.md": b"# x"})
    answer = strict.post("/api/lint", files=[("files", ("路径.zip", sneaky))])
    assert answer.status_code == 200
    assert [f["path"] for f in answer.json()["files"]] == ["路径/abs/y.md", "路径/etc/x.txt"]
    assert leftovers(strict) == []


def test_the_upload_limit_is_enforced_while_the_body_streams(tmp):
    """Straight through ASGI, as uvicorn drives it: a body of 100 chunks of 64 KiB over a limit of
    0.2 MiB is refused (413) after the few chunks that pass the limit, not read to its end; and a
    Content-Length over the limit is refused before any of it is read."""
    app = create_app(Limits(workers=1, max_upload_mb=0.2), tmp=str(tmp))
    boundary = b"gxlintboundary"
    head = (b"--" + boundary + b'\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n'
            b"Content-Type: text/plain\r\n\r\n")
    chunks = [head] + [b"x" * 65536] * 100

    def call(content_length: bool):
        sent = []

        async def receive():
            if len(sent) < len(chunks):
                sent.append(chunks[len(sent)])
                return {"type": "http.request", "body": sent[-1], "more_body": True}
            return {"type": "http.request", "body": b"--" + boundary + b"--\r\n", "more_body": False}

        out = []

        async def send(message):
            out.append(message)

        headers = [(b"host", b"127.0.0.1:8000"), (b"content-type", b"multipart/form-data; boundary=" + boundary)]
        if content_length:
            headers.append((b"content-length", str(sum(map(len, chunks)) + 20).encode()))
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
                 "scheme": "http", "path": "/api/lint", "raw_path": b"/api/lint", "query_string": b"",
                 "root_path": "", "headers": headers, "client": ("127.0.0.1", 5), "server": ("127.0.0.1", 8000)}
        asyncio.run(app(scope, receive, send))
        body = b"".join(m.get("body", b"") for m in out if m["type"] == "http.response.body")
        return out[0]["status"], json.loads(body), len(sent)

    status, body, read = call(content_length=False)
    assert status == 413 and body["error"]["code"] == "E041" and read <= 5 < len(chunks)
    status, body, read = call(content_length=True)
    assert status == 413 and body["error"]["code"] == "E041" and read == 0
    assert [p for p in Path(app.state.jobs.base).iterdir() if p.name != "gxlint.yaml"] == []


def test_a_full_queue_is_503_and_a_server_that_fetches_nothing_says_so(tmp):
    app = create_app(Limits(workers=1, max_queue=1, allow_urls=False), tmp=str(tmp))
    client = TestClient(app, base_url=BASE)
    app.state.workers.active = 1  # one job waiting or running: the queue is full
    answer = client.post("/api/lint", files=upload(EXAMPLES / "faulty.md"))
    assert answer.status_code == 503 and answer.json()["error"]["code"] == "E045" and "稍后再试" in answer.text
    assert [p for p in Path(app.state.jobs.base).iterdir() if p.name != "gxlint.yaml"] == []
    app.state.workers.active = 0
    answer = client.post("/api/jobs", data={"urls": "https://www.example.gov.cn/2024.html"})
    assert answer.status_code == 403 and "allow_urls" in answer.json()["error"]["message"]
    assert client.get("/api/limits").json()["allow_urls"] is False


# ---------------------------------------------------------------------------------------------- the page's jobs
def test_a_job_shows_each_report_with_its_findings_in_context(client):
    status = run_job(client, upload(EXAMPLES / "faulty.docx"))
    assert status["state"] == "done" and status["total"] == status["done"] == 1 and "summary" not in status
    (view,) = status["reports"]
    assert (view["name"], view["title"], view["issuer"], view["year"]) == (
        "faulty.docx", "福州市长乐区人民政府办公室 2024年政府信息公开工作年度报告", "福州市长乐区人民政府办公室", 2024)
    assert view["counts"] == {"error": 7, "warning": 0, "info": 0}
    assert [g["label"] for g in view["groups"]] == ["正文开头", "第二部分 主动公开政府信息情况",
                                                     "第三部分 收到和处理政府信息公开申请情况",
                                                     "第四部分 政府信息公开行政复议、行政诉讼情况"]
    found = [f for g in view["groups"] for f in g["findings"]]
    cli = json.loads(cli_json("faulty.docx", cwd=EXAMPLES)[1])["files"][0]["findings"]
    assert [(f["rule"], f["line"], f["column"], f["location"], f["message"]) for f in found] == [
        (f["rule"], f["line"], f["column"], f["location"], f["message"]) for f in cli]
    for f in found:  # each with its words in their sentence or cell
        assert f["context"] is not None and f["context"]["marked"] == f["excerpt"], f
    first = found[0]
    assert first["context"]["before"].endswith("《中华人民共和国政府信息公开条例》（")
    assert first["context"]["after"].startswith("）、《国务院办公厅") and first["context"]["after"].endswith("…")
    assert first["fix"] == {"replacement": "国务院令第711号", "description": "改为「国务院令第711号」"}
    assert view["downloads"] == {"annotated": True, "fixed": True}
    assert {a["rule"] for a in view["audit"]} >= {"GX603"}  # 无法判断: no last year's report
    assert all(a["reason"] for a in view["audit"])


def test_a_job_gives_the_downloads(client):
    status = run_job(client, upload(EXAMPLES / "faulty.docx", *SEED_FILES[:2]))
    job = f"/api/jobs/{status['id']}"
    annotated = client.get(f"{job}/reports/0/annotated.docx")
    assert annotated.status_code == 200 and annotated.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    cd = annotated.headers["content-disposition"]
    assert cd.startswith("attachment;") and "filename*=UTF-8''faulty%EF%BC%88%E6%89%B9%E6%B3%A8%EF%BC%89.docx" in cd
    notes = comments(annotated.content)
    assert len(notes) == 7 and all(n.startswith("GX") for n in notes)
    fixed = client.get(f"{job}/reports/0/fixed.docx")
    assert fixed.status_code == 200 and insertions(fixed.content) >= 1
    assert client.get(f"{job}/reports/1/annotated.docx").status_code == 404  # a .txt: no Word copy
    csv = client.get(f"{job}/reports/0/findings.csv")
    assert csv.content.startswith(b"\xef\xbb\xbf") and csv.headers["content-type"].startswith("text/csv")
    rows = csv.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("文件,行,列,严重程度,规则") and len(rows) == 8
    _, printed = cli_json("--audit", "faulty.docx", *(SEEDS / p.name for p in SEED_FILES[:2]), cwd=EXAMPLES)
    printed = printed.replace(str(SEEDS) + os.sep, "")
    assert client.get(f"{job}/result.json").text == printed
    everything = client.get(f"{job}/findings.csv").content.decode("utf-8-sig").splitlines()
    assert len(everything) == 1 + sum(len(f["findings"]) for f in json.loads(printed)["files"])
    summary = client.get(f"{job}/summary.html")
    assert summary.headers["content-disposition"].startswith("attachment;") and "检查汇总" in summary.text
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"{job}/all.zip").content))
    assert sorted(archive.namelist()) == ["修订版/faulty（修订）.docx", "批注版/faulty（批注）.docx", "汇总.html", "结果.json",
                                          "问题清单.csv"]
    assert len(comments(archive.read("批注版/faulty（批注）.docx"))) == 7
    assert status["summary"]["reports"] == 3 and status["summary"]["rows"][0]["name"] == "faulty.docx"
    assert client.get(f"{job}/nothing.txt").status_code == 404
    waiting = client.app_state.jobs.add(["a.docx"])  # a job not done yet: its downloads are not there
    answer = client.get(f"/api/jobs/{waiting.id}/all.zip")
    assert answer.status_code == 409 and answer.json()["error"]["message"] == "检查尚未完成"
    assert client.get(f"/api/jobs/{waiting.id}").json()["state"] == "queued"
    client.app_state.jobs.delete(waiting.id)
    assert client.get(f"{job}/reports/9/findings.csv").status_code == 404
    assert client.delete(job).status_code == 204
    gone = client.get(job)
    assert gone.status_code == 404 and "已过期或已删除" in gone.json()["error"]["message"]
    assert client.get(f"{job}/all.zip").status_code == 404
    assert client.get("/api/jobs/not-a-job").status_code == 404
    assert leftovers(client) == []


def test_a_job_reports_progress_file_by_file(client):
    """Each report's view arrives as it is done: the polls of a batch see views before the last."""
    answer = client.post("/api/jobs", files=upload(*SEED_FILES, EXAMPLES / "faulty.md"))
    job = answer.json()["id"]
    seen = []

    def progress():
        status = client.get(f"/api/jobs/{job}?since={len(seen)}").json()
        if not status["final"]:
            seen.extend(v["index"] for v in status["reports"])
            assert status["done"] >= len(seen)
        return status["final"] and status

    status = wait_for(progress, pause=0.02)
    assert seen == sorted(set(seen)) and set(seen) <= set(range(6))
    assert [v["index"] for v in status["reports"]] == list(range(6)) and status["done"] == 6
    assert status["summary"]["reports"] == 6


def test_a_hostile_report_is_data_never_markup(client, tmp_path):
    """Markup in a report's text and in its file name reaches the page as JSON strings (inserted
    with textContent by the page) and the summary page escaped."""
    name = "报告<img src=x onerror=alert(document.domain)>.md"  # (a browser would send " as %22)
    status = run_job(client, [("files", (name, hostile_text().encode("utf-8")))])
    (view,) = status["reports"]
    assert view["name"] == name and view["counts"]["error"] == 7
    first = view["groups"][0]["findings"][0]
    assert first["rule"] == "GX210" and (SCRIPT + IMG) in first["context"]["after"]
    answer = client.get(f"/api/jobs/{status['id']}")
    assert answer.headers["content-type"] == "application/json" and answer.headers["x-content-type-options"] == "nosniff"
    summary = client.get(f"/api/jobs/{status['id']}/summary.html").text
    assert "<img" not in summary and "&lt;img src=x onerror=" in summary
    lint = client.post("/api/lint", files=[("files", (name, hostile_text().encode("utf-8")))]).json()
    assert lint["files"][0]["path"] == name


def test_personal_data_is_masked_everywhere(client):
    """A 身份证号 in a report: masked in the finding, in its context and in every download."""
    status = run_job(client, [("files", ("隐私.md", private_text().encode("utf-8")))])
    found = [f for g in status["reports"][0]["groups"] for f in g["findings"] if f["rule"] == "GX801"]
    assert len(found) == 1 and "*" in found[0]["context"]["marked"]
    assert found[0]["context"]["before"].endswith("（身份证号：")
    job = f"/api/jobs/{status['id']}"
    for text in (json.dumps(status, ensure_ascii=False), client.get(f"{job}/result.json").text,
                 client.get(f"{job}/findings.csv").content.decode("utf-8-sig"), client.get(f"{job}/summary.html").text):
        assert ID_CARD not in text


def test_an_unknown_rule_is_refused_before_any_work(client):
    for path in ("/api/jobs", "/api/lint"):
        answer = client.post(path, files=upload(EXAMPLES / "faulty.md"), data={"ignore": "wording, GX999"})
        assert answer.status_code == 400 and answer.json()["error"] == {
            "code": "E022", "message": "未知的规则或类别「GX999」（规则编号如 GX301，类别如 arithmetic 或「表格计算」）"}
    assert leftovers(client) == [] and client.app_state.workers.active == 0


# ---------------------------------------------------------------------------------------------- config, command
def test_the_serve_section_of_the_config(tmp_path):
    from gxlint.config import load_config
    from gxlint.errors import ConfigError

    cfg = tmp_path / ".gxlint.yaml"
    cfg.write_text("select: [ALL]\nserve:\n  host: 0.0.0.0\n  port: 8080\n  max_files: 30\n  allow_urls: false\n",
                   encoding="utf-8")
    limits = Limits.of(load_config(str(cfg)).serve, {"port": 9000, "max_files": None})
    assert (limits.host, limits.port, limits.max_files, limits.allow_urls) == ("0.0.0.0", 9000, 30, False)
    assert limits.workers >= 1 and limits.max_unzip_mb == 200 and limits.max_queue == 16 * limits.workers
    for text, said in (("serve:\n  port: 70000\n", ":2:9: 「serve.port」应是端口号"),
                       ("serve:\n  workers: true\n", "「serve.workers」应是同时检查报告的进程数"),
                       ("serve:\n  max_file: 3\n", ":2:3: 未知的 serve 配置项「max_file」，是不是「max_files」？"),
                       ("serve: 8080\n", "「serve」应是映射")):
        cfg.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError) as e:
            load_config(str(cfg))
        assert e.value.code == "E020" and said in e.value.message, e.value.message


def test_serve_without_its_libraries_says_what_to_install(monkeypatch):
    from click.testing import CliRunner

    import gxlint.serve
    from gxlint.cli import main

    monkeypatch.setattr(gxlint.serve, "missing", lambda: ["starlette", "uvicorn"])
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 2
    assert result.output.strip() == 'gxlint：错误：E040 网页版需要 starlette、uvicorn，请先安装：pip install "gxlint[serve]"'


def test_a_port_in_use_is_a_one_line_error():
    from gxlint.errors import GxlintError
    from gxlint.serve import listen

    taken = listen("127.0.0.1", 0)
    try:
        with pytest.raises(GxlintError) as e:
            listen("127.0.0.1", taken.getsockname()[1])
        assert e.value.code == "E040" and "端口可能已被占用" in e.value.message
    finally:
        taken.close()


def test_report_addresses_are_fetched_as_the_command_fetches_them(client):
    """Addresses pasted with a file: each fetched by the server (on 127.0.0.1 here), linted in its
    place; a 404 is its E031 line; the JSON is the command's for the same arguments."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from htmlbuild import seed_html

    page = seed_html(SEED_FILES[4], Path(client.app_state.jobs.base).parent / "page.html", encoding="utf-8",
                     charset="utf-8").read_bytes()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            if self.path != "/2024.html":
                self.send_error(404, "Not Found")
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

    site = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{site.server_address[1]}"
        urls = [f"{base}/2024.html", f"{base}/gone.html"]
        _, printed = cli_json("faulty.md", *urls, cwd=EXAMPLES)
        answer = client.post("/api/lint", files=upload(EXAMPLES / "faulty.md"), data={"urls": "\n".join(["# 两个网址", *urls])})
        assert answer.text == printed
        files = answer.json()["files"]
        assert [f["path"] for f in files] == ["faulty.md", *urls] and files[2]["error"]["code"] == "E031"
        assert files[1]["error"] is None and files[1]["findings"]
    finally:
        site.shutdown()
        site.server_close()
    assert leftovers(client) == []


def test_a_worker_that_dies_costs_only_its_job(tmp):
    """A worker process killed mid-job (as the out-of-memory killer would): each file of its job
    gets an E098 line, the folder is removed, and the next request is served by a new pool."""
    import signal

    from gxlint.serve import worker

    app = create_app(Limits(workers=1, max_files=40), tmp=str(tmp))
    with TestClient(app, base_url=BASE) as c:
        c.app_state = app.state
        pid = app.state.workers.pool().submit(worker.warm).result()  # the one worker's process id
        answer = c.post("/api/jobs", files=upload(*SEED_FILES * 6))  # 30 reports: it is still at work
        assert answer.status_code == 202
        os.kill(pid, signal.SIGKILL)
        status = wait_for(lambda: (s := c.get(f"/api/jobs/{answer.json()['id']}").json())["final"] and s)
        codes = {v["error"]["code"] if v["error"] else None for v in status["reports"]}
        assert codes == {"E098"} and len(status["reports"]) == 30
        assert leftovers(c) == []
        _, printed = cli_json("faulty.md", cwd=EXAMPLES)
        assert c.post("/api/lint", files=upload(EXAMPLES / "faulty.md")).text == printed


def test_the_csv_download_neutralises_formulas(client):
    """A file named like a formula: no cell of the CSV download starts with = + - or @ (OWASP)."""
    import csv

    status = run_job(client, [("files", ("=SUM(1+1)*cmd.md", (EXAMPLES / "faulty.md").read_bytes()))])
    data = client.get(f"/api/jobs/{status['id']}/findings.csv").content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(data)) for cell in row]
    assert cells and not [c for c in cells if c[:1] in ("=", "+", "-", "@")]


def test_jobs_are_dropped_when_their_time_runs_out_or_too_many_are_held(tmp):
    from gxlint.serve.jobs import Jobs

    jobs = Jobs(Limits(workers=1, keep_minutes=0.1), tmp=str(tmp))
    try:
        jobs.HELD = 3
        made = [jobs.add(["a.docx"]) for _ in range(3)]
        for job in made[:2]:
            job.finish({"views": [None], "results": [], "files": {}, "titles": {}, "json": ""})
        newest = jobs.add(["b.docx"])  # the oldest finished job makes room
        assert jobs.get(made[0].id) is None and jobs.get(made[1].id) is made[1] and jobs.get(newest.id) is newest
        made[1].expires = 0  # its time has run out
        assert jobs.get(made[1].id) is None
        assert jobs.get(made[2].id) is made[2]  # still running: kept, whatever its age
    finally:
        jobs.close()
