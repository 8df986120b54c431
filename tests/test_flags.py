"""The usual flags (Ruff's conventions): --exit-zero, -q, --statistics, --fail-on, --output-file,
--output-format, --format csv|html, colour, [tool.gxlint], Chinese categories, ids in any case,
columns of tab-separated reports, click's usage errors in Chinese."""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import unicodedata

import pytest
from conftest import SEED_FILES, SEEDS

FAULTY = SEEDS / "004_aa4e2e269a40bca7.txt"  # 7 errors (GX210, GX501 ×3, GX302 ×2, GX304)
CLEAN = SEEDS / "002_9e678f4fbfe67a94.txt"
WARN = "# 某县2024年政府信息公开工作年度报告\n本年度按计划布署各项工作。\n"  # GX502: a warning


def run(*args, cwd=None, env=None):
    e = dict(os.environ)
    for k in ("NO_COLOR", "FORCE_COLOR"):
        e.pop(k, None)
    e.update(env or {})
    p = subprocess.run([sys.executable, "-m", "gxlint", *map(str, args)], capture_output=True, text=True, cwd=cwd,
                       env=e)
    return p.returncode, p.stdout, p.stderr


def json_findings(*args, cwd=None):
    rc, out, err = run("--format", "json", *args, cwd=cwd)
    assert rc in (0, 1), err
    return [f for entry in json.loads(out)["files"] for f in entry["findings"]]


def test_exit_zero_and_quiet():
    rc, out, err = run(FAULTY)
    assert rc == 1 and "发现 7 个问题" in err
    rc2, out2, err2 = run(FAULTY, "--exit-zero")
    assert rc2 == 0 and out2 == out
    rc3, out3, err3 = run(FAULTY, "-q")
    assert rc3 == 1 and out3 == out and err3 == ""
    assert run("--quiet", FAULTY)[2] == ""
    rc, _, err = run("--exit-zero", SEEDS / "missing.txt")  # nothing readable: still 2
    assert rc == 2


def test_statistics_count_per_rule():
    findings = json_findings(FAULTY)
    rc, out, _ = run(FAULTY, "--statistics")
    assert rc == 1
    rows = [line.split() for line in out.strip().split("\n")]
    got = {r[1]: int(r[0]) for r in rows}
    want = {}
    for f in findings:
        want[f["rule"]] = want.get(f["rule"], 0) + 1
    assert got == want == {"GX210": 1, "GX501": 3, "GX302": 2, "GX304": 1}
    assert [r[1] for r in rows][0] == "GX501"  # most frequent first
    assert rows[0][2] == "错误" and rows[0][3] == "用语"


def test_fail_on_warning(tmp_path):
    md = tmp_path / "w.md"
    md.write_text(WARN, encoding="utf-8")
    rc, out, _ = run(md, "--select", "GX502")
    assert rc == 0 and "warning: GX502" in out
    assert run(md, "--select", "GX502", "--fail-on", "warning")[0] == 1
    assert run(md, "--select", "GX502", "--fail-on", "error")[0] == 0
    rc, _, err = run(md, "--fail-on", "sometimes")
    assert rc == 2 and "--fail-on" in err


def test_output_file_and_output_format(tmp_path):
    rc, out, _ = run("--format", "json", FAULTY)
    rc2, out2, _ = run("--output-format", "json", FAULTY)
    assert (rc, out) == (rc2, out2)
    dst = tmp_path / "out.json"
    rc3, out3, _ = run("--output-format", "json", FAULTY, "--output-file", dst)
    assert rc3 == 1 and out3 == "" and dst.read_text(encoding="utf-8") == out
    rc, out, _ = run(FAULTY, "--output-file", tmp_path / "no-such-dir" / "x.txt")
    assert rc == 2


def test_format_csv_and_html_on_stdout(tmp_path):
    findings = json_findings(FAULTY)
    rc, out, _ = run("--format", "csv", FAULTY)
    assert out.startswith("\ufeff")  # the BOM on standard output too (Excel/WPS)
    rows = list(csv.reader(io.StringIO(out[1:])))
    assert rc == 1 and rows[0][:5] == ["文件", "行", "列", "严重程度", "规则"]
    assert [r[4] for r in rows[1:]] == [f["rule"] for f in findings]
    dst = tmp_path / "o.csv"
    run("--format", "csv", FAULTY, "--output-file", dst)
    assert dst.read_bytes().startswith("\ufeff".encode())  # a file for Excel/WPS gets the BOM
    rc, out, _ = run("--format", "html", FAULTY)
    assert out.startswith("<!DOCTYPE html>") and "GX302" in out


def test_colour_on_a_terminal_only_and_env_overrides(tmp_path):
    assert "\x1b[" not in run(FAULTY)[1]  # a pipe
    forced = run(FAULTY, env={"FORCE_COLOR": "1"})[1]
    assert "\x1b[31;1merror\x1b[0m" in forced and "\x1b[35mGX210\x1b[0m" in forced
    assert "\x1b[" not in run(FAULTY, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})[1]
    assert "\x1b[" not in run(FAULTY, "--output-file", tmp_path / "o.txt", env={"FORCE_COLOR": "1"})[1]
    assert "\x1b[" not in (tmp_path / "o.txt").read_text(encoding="utf-8")
    # on a real terminal (a pseudo-terminal), colour; NO_COLOR turns it off there too
    import pty

    def on_tty(env):
        master, slave = pty.openpty()
        e = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
        e.update(env)
        p = subprocess.Popen([sys.executable, "-m", "gxlint", str(FAULTY), "-q"], stdout=slave,
                             stderr=subprocess.DEVNULL, env=e)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        p.wait()
        os.close(master)
        return b"".join(chunks).decode("utf-8")

    assert "\x1b[31;1merror" in on_tty({})
    assert "\x1b[" not in on_tty({"NO_COLOR": "1"})


def test_pyproject_tool_section(tmp_path):
    shutil.copy(FAULTY, tmp_path / "r.txt")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "reports"\n\n[tool.gxlint]\nselect = ["gx302", "表格计算"]\n'
                                             'ignore = ["GX304"]\n', encoding="utf-8")
    assert {f["rule"] for f in json_findings("r.txt", cwd=tmp_path)} == {"GX302"}
    (tmp_path / ".gxlint.yaml").write_text("select: [GX210]\n", encoding="utf-8")  # .gxlint.yaml comes first
    assert {f["rule"] for f in json_findings("r.txt", cwd=tmp_path)} == {"GX210"}
    (tmp_path / ".gxlint.yaml").unlink()
    (tmp_path / "pyproject.toml").write_text("[tool.gxlint]\nselect = [\n", encoding="utf-8")
    rc, _, err = run("r.txt", cwd=tmp_path)
    assert rc == 2 and "E020" in err and "Traceback" not in err
    (tmp_path / "pyproject.toml").write_text("[tool.gxlint]\nselct = []\n", encoding="utf-8")
    rc, _, err = run("r.txt", cwd=tmp_path)
    assert rc == 2 and "未知的配置项「selct」" in err


@pytest.mark.parametrize("sel", ["表格计算", "arithmetic", "gx3", "GX3"])
def test_chinese_category_names_and_ids_in_any_case(sel):
    assert {f["rule"] for f in json_findings(FAULTY, "--select", sel)} == {"GX302", "GX304"}


@pytest.mark.slow
def test_ignore_and_severity_in_any_case(tmp_path):
    shutil.copy(FAULTY, tmp_path / "r.txt")
    assert "GX302" not in {f["rule"] for f in json_findings(tmp_path / "r.txt", "--ignore", "gx302")}
    (tmp_path / ".gxlint.yaml").write_text("severity:\n  gx302: info\n  用语: warning\n", encoding="utf-8")
    sev = {f["rule"]: f["severity"] for f in json_findings(tmp_path / "r.txt")}
    assert sev["GX302"] == "info" and sev["GX501"] == "warning" and sev["GX210"] == "error"


def _screen_index(line: str, display_col: int) -> int | None:
    """The index of the character that starts at screen column ``display_col`` (1-based), as Vim's
    %v and Emacs count: a tab to the next multiple of 8, a wide (CJK) character 2."""
    col = 1
    for i, ch in enumerate(line):
        if col == display_col:
            return i
        if ch == "\t":
            col += 8 - (col - 1) % 8
        else:
            col += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return len(line) if col == display_col else None


def _columns(seed, fmt: str) -> list[tuple[int, int]]:
    """(line, column) of every finding of ``seed`` as output format ``fmt`` prints it."""
    rc, out, _ = run(seed, "--select", "ALL", "--format", fmt)
    if fmt == "text":
        return [(int(x.split(":")[1]), int(x.split(":")[2])) for x in out.strip().split("\n") if x]
    if fmt == "csv":
        return [(int(r["行"]), int(r["列"])) for r in csv.DictReader(io.StringIO(out))]
    if fmt == "github":  # grouped by severity there: compared as a multiset below
        props = [dict(kv.split("=", 1) for kv in x.split(" ", 1)[1].split("::")[0].split(","))
                 for x in out.strip().split("\n") if x]
        return sorted((int(p["line"]), int(p["col"])) for p in props)
    raise AssertionError(fmt)


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_every_column_lands_on_the_offending_character(seed):
    """One column number in every output format (the screen column): it starts the offending text
    when counted as Vim's %v and Emacs count, also on tab-separated table lines."""
    lines = seed.read_text(encoding="utf-8").split("\n")
    findings = json_findings(seed, "--select", "ALL")
    json_cols = [(f["line"], f["column"]) for f in findings]
    assert _columns(seed, "text") == json_cols
    assert _columns(seed, "csv") == json_cols
    assert _columns(seed, "github") == sorted(json_cols)
    tabbed = 0
    for f in findings:
        line = lines[f["line"] - 1]
        first = f["excerpt"].split("\n")[0]
        assert line[f["character"] - 1:].startswith(first), (f["rule"], line, f["character"], first)  # code points
        i = _screen_index(line, f["column"])
        assert i == f["character"] - 1, (f["rule"], line, f["column"], first)  # the screen column
        tabbed += "\t" in line[:i]
    if seed.name.startswith(("000", "004")):
        assert tabbed, "the seed's table findings are on tab-separated lines"


def _vim_with_quickfix() -> str | None:
    vim = shutil.which("vim")
    if vim is None:
        return None
    version = subprocess.run([vim, "--version"], capture_output=True, text=True).stdout
    return vim if "+quickfix" in version else None


@pytest.mark.parametrize("seed", [s for s in SEED_FILES if s.name.startswith(("000", "004"))], ids=lambda p: p.name[:3])
def test_vim_lands_on_the_offending_character(seed, tmp_path):
    """The README's errorformat in a real Vim: :cc N puts the cursor on the first character of
    finding N's excerpt, also after tabs and Chinese text."""
    vim = _vim_with_quickfix()
    if vim is None:
        pytest.skip("no Vim with +quickfix here: apt-get install vim")
    report = tmp_path / seed.name
    shutil.copy(seed, report)
    rc, out, _ = run(report.name, "--select", "ALL", cwd=tmp_path)
    (tmp_path / "out.txt").write_text(out, encoding="utf-8")
    findings = json_findings(report.name, "--select", "ALL", cwd=tmp_path)
    script = tmp_path / "go.vim"
    script.write_text(
        "set errorformat=%f:%l:%v:\\ %m\n"
        "set nowrap\n"
        "cfile out.txt\n"
        "let g:at = []\n"
        f"for i in range(1, {len(findings)})\n"
        "  execute 'cc ' . i\n"
        "  call add(g:at, line('.') . ' ' . col('.'))\n"
        "endfor\n"
        "call writefile(g:at, 'at.txt')\n"
        "qall!\n", encoding="utf-8")
    subprocess.run([vim, "-N", "-u", "NONE", "-i", "NONE", "-n", "-es", "--cmd", "set encoding=utf-8",
                    "-S", str(script)], cwd=tmp_path, capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
    at = (tmp_path / "at.txt").read_text().split()
    lines = report.read_text(encoding="utf-8").split("\n")
    assert len(at) == 2 * len(findings) > 0
    for f, (ln, byte_col) in zip(findings, zip(at[::2], at[1::2])):
        line = lines[f["line"] - 1]
        landed = len(line.encode("utf-8")[: int(byte_col) - 1].decode("utf-8"))  # Vim's col() counts bytes
        assert int(ln) == f["line"] and line[landed:].startswith(f["excerpt"].split("\n")[0]), (f, line[landed:])


EMACS_SCRIPT = """
(require 'compile)
(let ((out '()) (first t))
  (with-current-buffer (find-file-noselect "out.txt")
    (compilation-mode)
    (setq next-error-last-buffer (current-buffer)))
  (condition-case nil
      (while t
        (next-error 1 first)
        (setq first nil)
        (let ((w (get-buffer-window (find-buffer-visiting (expand-file-name "REPORT")) t)))
          (with-current-buffer (window-buffer w)
            (save-excursion
              (goto-char (window-point w))
              (push (format "%d %d" (line-number-at-pos) (- (point) (line-beginning-position))) out)))))
    (user-error nil))
  (with-temp-file "at.txt" (insert (mapconcat #'identity (nreverse out) " "))))
"""


@pytest.mark.slow
@pytest.mark.parametrize("seed", [s for s in SEED_FILES if s.name.startswith(("000", "004"))], ids=lambda p: p.name[:3])
def test_emacs_lands_on_the_offending_character(seed, tmp_path):
    """Emacs's compilation-mode with its defaults (screen columns, tabs of 8): `next-error` puts point
    on the first character of each finding's excerpt, also after tabs and Chinese text."""
    emacs = shutil.which("emacs")
    if emacs is None:
        pytest.skip("no Emacs here: apt-get install emacs-nox")
    report = tmp_path / seed.name
    shutil.copy(seed, report)
    rc, out, _ = run(report.name, "--select", "ALL", cwd=tmp_path)
    # as M-x compile shows it: a header line above the tool's output
    (tmp_path / "out.txt").write_text("-*- mode: compilation -*-\n" + out, encoding="utf-8")
    (tmp_path / "go.el").write_text(EMACS_SCRIPT.replace("REPORT", report.name), encoding="utf-8")
    subprocess.run([emacs, "--batch", "-Q", "-l", "go.el"], cwd=tmp_path, capture_output=True, timeout=120,
                   stdin=subprocess.DEVNULL, env=dict(os.environ, LANG="C.UTF-8"))
    at = [int(x) for x in (tmp_path / "at.txt").read_text().split()]
    findings = json_findings(report.name, "--select", "ALL", cwd=tmp_path)
    lines = report.read_text(encoding="utf-8").split("\n")
    assert len(at) == 2 * len(findings) > 0
    for f, ln, offset in zip(findings, at[::2], at[1::2]):  # offset: characters from the line's start
        assert ln == f["line"] and lines[ln - 1][offset:].startswith(f["excerpt"].split("\n")[0]), (f, offset)


def test_click_usage_errors_in_chinese():
    rc, out, err = run("--frobnicate", FAULTY)
    assert rc == 2
    assert "错误：没有选项 '--frobnicate'" in err and "用法：" in err and "查看帮助" in err
    assert "Usage:" not in err and "Error:" not in err
    rc, out, err = run("-j", "many", FAULTY)
    assert rc == 2 and "不是有效的" in err
    rc, out, err = run("lint", "--help")
    assert "选项：" in out or "选项:" in out or "\n选项" in out
