"""GX606: a paragraph of 总体情况 or 五 that another report of the same batch also holds (内容雷同 between offices)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from conftest import SEEDS
from seeddocx import seed_docx

from gxlint.engine import Linter
from gxlint.readers.text import parse_text
from gxlint.report import build_report

SEED = {p.name[:3]: p for p in SEEDS.glob("*.txt")}


def run(*args, cwd):
    p = subprocess.run([sys.executable, "-m", "gxlint", *map(str, args)], capture_output=True, text=True, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def part_five(text: str) -> list[str]:
    report = build_report(parse_text(text, "x.txt"), Linter().format)
    return [p.text for p in report.part_paragraphs("五")]


def copying_000(text: str) -> str:
    """Seed 002 (上犹县) with part 五 taken from seed 000's report, as an office copying another's."""
    mine, theirs = part_five(text), part_five(SEED["000"].read_text(encoding="utf-8"))
    first = text.index(mine[0])
    last = text.index(mine[-1]) + len(mine[-1])
    return text[:first] + "\n".join(theirs) + text[last:]


@pytest.fixture()
def batch(tmp_path):
    """Five real reports of five offices, and a sixth that copies part 五 of one of them."""
    for key in ("000", "001", "003", "004"):
        shutil.copy(SEED[key], tmp_path / f"{key}.txt")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "copy.txt").write_text(copying_000(SEED["002"].read_text(encoding="utf-8")), encoding="utf-8")
    return tmp_path


def by_file(out: str, rule: str = "GX606") -> dict[str, list[dict]]:
    return {f["path"].replace("\\", "/"): [x for x in f["findings"] if x["rule"] == rule]
            for f in json.loads(out)["files"]}


def test_the_copy_and_its_source_are_both_flagged(batch):
    rc, out, err = run("--format", "json", ".", cwd=batch)
    found = by_file(out)
    copy, source = found["./sub/copy.txt"], found["./000.txt"]
    assert len(copy) == len(part_five(SEED["000"].read_text(encoding="utf-8"))) == len(source) == 2, err
    assert all("「./000.txt」" in f["message"] and f["location"] == "第五部分" for f in copy)
    assert all("「./sub/copy.txt」" in f["message"] for f in source)
    assert all("100%的文字相同" in f["message"] for f in copy + source)
    assert not found["./001.txt"] and not found["./003.txt"] and not found["./004.txt"]  # real reports: none


def test_alone_or_with_the_same_report_twice_nothing_is_compared(batch, tmp_path_factory):
    rc, out, _ = run("--format", "json", "--audit", "sub/copy.txt", cwd=batch)
    data = json.loads(out)["files"][0]
    assert not [f for f in data["findings"] if f["rule"] == "GX606"]
    entry = next(a for a in data["audit"] if a["rule"] == "GX606")
    assert entry["status"] == "not assessable" and "多份报告" in entry["reason"]
    twice = tmp_path_factory.mktemp("twice")
    shutil.copy(SEED["000"], twice / "000.txt")
    seed_docx(SEED["000"], twice / "000.docx")  # one report as .txt and .docx: the same title
    rc, out, _ = run("--format", "json", ".", cwd=twice)
    assert by_file(out) == {"./000.docx": [], "./000.txt": []}


def test_audit_and_parallel_runs_agree(batch):
    for i in range(4):  # enough files for a process pool
        shutil.copy(SEED["003"], batch / f"again{i}.txt")
    outputs = [run("--format", "json", "--audit", "-j", j, ".", cwd=batch)[1] for j in ("1", "2")]
    assert outputs[0] == outputs[1]
    data = {f["path"]: f for f in json.loads(outputs[0])["files"]}
    entry = next(a for a in data["./sub/copy.txt"]["audit"] if a["rule"] == "GX606")
    assert (entry["status"], entry["findings"]) == ("fail", 2)
    entry = next(a for a in data["./001.txt"]["audit"] if a["rule"] == "GX606")
    assert entry["status"] == "pass"


def test_a_copy_with_the_names_changed_passes_the_screen(tmp_path):
    """The documented example as two files of a folder: the batch screen finds the pair too."""
    rule = next(r for r in Linter().all_rules if r.id == "GX606")
    (tmp_path / "a.md").write_text(rule.doc["other"], encoding="utf-8")
    (tmp_path / "b.md").write_text(rule.doc["triggers"], encoding="utf-8")
    (tmp_path / "c.md").write_text(rule.doc["passes"], encoding="utf-8")
    rc, out, _ = run("--format", "json", "--select", "GX606", ".", cwd=tmp_path)
    found = by_file(out)
    assert [f["message"] for f in found["./a.md"]] == [rule.format_message(section="五", other="./b.md", share="85%")]
    assert len(found["./b.md"]) == 1 and found["./c.md"] == []
