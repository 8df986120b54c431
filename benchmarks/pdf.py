"""PDF against .docx: the same reports linted in one run as PDF and as .docx, CPU time.

    python benchmarks/pdf.py [--repeat 7] [--copies 4] [--engines] [--published DIR] [--against DIR]

The five seed reports are written as .docx (tests/seeddocx.py) as a drafter's Word writes them
(direct formatting on every paragraph and run: tests/docxbuild.py ``as_drafted``, the primary
figure of benchmarks/run.py) and styled (the national layout through styles), and the drafted
ones are exported to PDF by LibreOffice (``soffice --headless --convert-to pdf``, as offices publish them: embedded
TrueType subsets with ToUnicode maps, tables ruled with stroked lines, rows cut by page breaks),
or, without LibreOffice, drawn by reportlab (tests/pdfbuild.py).  --copies copies of each make
a folder of PDFs and a folder of the same reports as .docx of each kind.  Then, interleaved, --repeat times:

* one run: ``gxlint --no-cache -j 1 FOLDER`` over each folder in a new process: CPU time (user +
  system) of the process, and the ratio PDF / .docx, median (min-max);
* per report, in one process (warm): the CPU time of ``Linter().lint_path`` on each PDF and on its
  .docx, median of --repeat, and the ratio; the longest report's figure is "a published
  multi-page report".

--against DIR runs the one-run pair (PDF and drafted .docx) with the gxlint of another source tree
too, alternately with this one's (e.g. an older commit: ``git worktree add --detach /tmp/old
COMMIT``), and prints its ratio beside.

--engines also compares the candidate engines on what they read (needs pdfplumber, not a
dependency of gxlint): for each PDF (the seeds as LibreOffice and reportlab write them, the
pages of --published DIR, and PDFs made to test orientation: /Rotate 90, text set sideways),
the CPU time to extract the characters with their boxes and the table rules, and the share of
the .docx's (or the source's) text found, in order, among the characters read (difflib).
"""
from __future__ import annotations

import argparse
import difflib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))


def spread(xs: list[float], scale: float = 1.0, fmt: str = "{:.0f}") -> str:
    xs = [x * scale for x in xs]
    return f"{fmt.format(statistics.median(xs))} ({fmt.format(min(xs))}-{fmt.format(max(xs))})"


def process_cpu(cmd: list[str], cwd: str, tree: Path = ROOT) -> float:
    before = os.times()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "PYTHONPATH": str(tree)})
    after = os.times()
    return (after.children_user - before.children_user) + (after.children_system - before.children_system)


def make_reports(work: Path, copies: int) -> tuple[dict[str, Path], str]:
    """(folder of each kind: "drafted", "styled" .docx and "pdf", how the PDFs were made); in
    work/src, NNN.docx (drafted, the PDF's source), NNN.pdf and NNN-styled.docx."""
    from docxbuild import as_drafted
    from seeddocx import seed_docx

    seeds = sorted((ROOT / "tests" / "seeds").glob("*.txt"))
    src = work / "src"
    src.mkdir()
    styled = [Path(seed_docx(s, src / f"{s.stem[:3]}-styled.docx")) for s in seeds]
    docs = [src / f"{s.stem[:3]}.docx" for s in seeds]
    for a, b in zip(styled, docs):
        as_drafted(a, b)
    how = "LibreOffice"
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={(work / 'lo').as_uri()}",
                        "--convert-to", "pdf", "--outdir", str(src), *map(str, docs)],
                       capture_output=True, timeout=600, stdin=subprocess.DEVNULL)
    if not soffice or not all(d.with_suffix(".pdf").is_file() for d in docs):
        from pdfbuild import seed_pdf

        how = "reportlab (LibreOffice absent)"
        for s, d in zip(seeds, docs):
            seed_pdf(s, d.with_suffix(".pdf"))
    folders = {k: work / k for k in ("drafted", "styled", "pdf")}
    for f in folders.values():
        f.mkdir()
    for d, st in zip(docs, styled):
        for k in range(copies):
            shutil.copy(d, folders["drafted"] / f"{d.stem}-{k}.docx")
            shutil.copy(st, folders["styled"] / f"{d.stem}-{k}.docx")
            shutil.copy(d.with_suffix(".pdf"), folders["pdf"] / f"{d.stem}-{k}.pdf")
    return folders, how


def in_process(paths: list[Path], repeat: int) -> dict[Path, list[float]]:
    from gxlint.engine import Linter

    linter = Linter()
    for p in paths:
        linter.lint_path(str(p))  # warm: imports, the rule pack
    out: dict[Path, list[float]] = {p: [] for p in paths}
    for _ in range(repeat):
        for p in paths:
            t = time.process_time()
            linter.lint_path(str(p))
            out[p].append(time.process_time() - t)
    return out


def pages_of(path: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


# --------------------------------------------------------------------------- engines
def extract_pdfium(path: Path) -> str:
    from pdfpages import pages

    return "".join(c["text"] for p in pages(path) for c in p.chars)


def extract_pdfminer(path: Path) -> str:
    import pdfplumber

    text = []
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            page = page.dedupe_chars()
            text += [c["text"] for c in page.chars if c.get("upright", True)]
            page.edges  # the rules, as the old reader read them
    return "".join(text)


def fidelity(got: str, want: str) -> float:
    got, want = re.sub(r"\s+", "", got), re.sub(r"\s+", "", want)
    m = difflib.SequenceMatcher(None, want, got, autojunk=False)
    return sum(b.size for b in m.get_matching_blocks()) / max(len(want), 1)


def engine_cases(work: Path, published: Path | None) -> list[tuple[str, Path, str]]:
    """(name, pdf, the text it should give)."""
    from conftest import squash  # noqa: F401 - tests' path set up
    from pdfbuild import seed_pdf, turned_pdf

    from gxlint.readers import read

    cases = []
    src = work / "src"
    for d in sorted(src.glob("???.docx")):
        text = "".join(b.text if hasattr(b, "text") else "".join(c.text for r in b.rows for c in r)
                       for b in read(str(d)).blocks)
        if d.with_suffix(".pdf").is_file():
            cases.append((f"{d.stem} LibreOffice (TrueType subsets, ToUnicode)", d.with_suffix(".pdf"), text))
    seed = sorted((ROOT / "tests" / "seeds").glob("*.txt"))[-1]
    rl = seed_pdf(seed, work / "rl.pdf")
    cases.append(("004 reportlab (CID font STSong-Light, no ToUnicode, not embedded)", rl,
                  extract_pdfium(rl)))
    lines = ["一、总体情况", "本年度共收到政府信息公开申请12件，均已按期答复。", "二、主动公开政府信息情况"]
    for how in ("rotated-page", "sideways"):
        turned_pdf(work / f"{how}.pdf", lines, how)
        cases.append((f"/Rotate 90 page" if how == "rotated-page" else "text set sideways", work / f"{how}.pdf",
                      "".join(lines)))
    for pdf in sorted(published.glob("*.pdf")) if published else []:
        # the text of the page it was printed from (same name, .html or .txt), else what
        # pdfminer reads (then the share says how far the engines agree)
        source = next((pdf.with_suffix(s) for s in (".html", ".txt") if pdf.with_suffix(s).is_file()), None)
        want = "".join(p.text for p in read(str(source)).paragraphs()) if source else extract_pdfminer(pdf)
        cases.append((f"published: {pdf.name}" + ("" if source else " (against pdfminer)"), pdf, want))
    return cases


def engines(work: Path, published: Path | None, repeat: int) -> None:
    try:
        import pdfplumber  # noqa: F401
    except ImportError:
        print("\n--engines: pdfplumber is not installed (pip install pdfplumber): skipped")
        return
    print("\nEngines: CPU ms to read characters and rules (median of", repeat, "), share of the text read in order")
    print(f"  {'PDF':<62} {'pdfminer.six':>22} {'PDFium':>22}")
    for name, pdf, want in engine_cases(work, published):
        row = []
        for fn in (extract_pdfminer, extract_pdfium):
            xs = []
            for _ in range(repeat):
                t = time.process_time()
                got = fn(pdf)
                xs.append(time.process_time() - t)
            row.append(f"{statistics.median(xs) * 1000:7.0f} ms {fidelity(got, want):6.1%}")
        print(f"  {name[:62]:<62} {row[0]:>22} {row[1]:>22}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--copies", type=int, default=4, help="copies of each of the five reports in each folder")
    ap.add_argument("--engines", action="store_true", help="also compare pdfminer.six (pdfplumber) and PDFium")
    ap.add_argument("--published", type=Path, help="a folder of published report PDFs for --engines")
    ap.add_argument("--against", type=Path, metavar="DIR", help="also run the gxlint of this source tree")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gxlint-pdf-"))
    try:
        folders, how = make_reports(work, args.copies)
        n = len(list(folders["pdf"].glob("*.pdf")))
        gx = [sys.executable, "-m", "gxlint", "--no-cache", "-j", "1"]
        runs: dict[str, list[float]] = {k: [] for k in folders}
        for f in folders.values():
            process_cpu([*gx, str(f)], str(work))
        other: dict[str, list[float]] = {"drafted": [], "pdf": []}
        for _ in range(args.repeat):
            for k, f in folders.items():
                runs[k].append(process_cpu([*gx, str(f)], str(work)))
                if args.against and k in other:
                    other[k].append(process_cpu([*gx, str(f)], str(work), args.against))
        src = sorted((work / "src").glob("???.docx"))
        styled = [d.with_name(f"{d.stem}-styled.docx") for d in src]
        per = in_process([*src, *styled, *(d.with_suffix(".pdf") for d in src)], args.repeat)
        print(f"PDFs exported by {how} from the drafted .docx; {n} reports a folder; CPU time, median "
              f"(min-max) of {args.repeat} interleaved runs")
        for k in folders:
            print(f"  one run (a new process) over the {k + ' folder:':<16} {spread(runs[k], 1000)} ms")
        for k in ("drafted", "styled"):
            ratios = [p / d for p, d in zip(runs["pdf"], runs[k])]
            print(f"  ratio PDF / {k} .docx, one run:  {spread(ratios, 1, '{:.2f}')}   target <= 2")
        if args.against:
            ratios = [p / d for p, d in zip(other["pdf"], other["drafted"])]
            print(f"  ratio PDF / drafted .docx, one run, with {args.against}:  {spread(ratios, 1, '{:.2f}')}")
        print("  per report, in process (warm), ms:")
        for d, st in zip(src, styled):
            p = d.with_suffix(".pdf")
            r = [a / b for a, b in zip(per[p], per[d])]
            print(f"    {d.stem}: {pages_of(p)} pages, PDF {spread(per[p], 1000, '{:.1f}')}, drafted .docx "
                  f"{spread(per[d], 1000, '{:.1f}')} (ratio {spread(r, 1, '{:.1f}')}), styled .docx "
                  f"{spread(per[st], 1000, '{:.1f}')}")
        if args.engines:
            engines(work, args.published, args.repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
