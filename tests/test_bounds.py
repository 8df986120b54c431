"""Never a traceback, never a hang, never gigabytes (issue 17): each hostile input, built here
by a small generator, ends as one ``E0xx`` line with the right exit status, or as normal
findings, in a process limited to 500 MB of address space and with a timeout (a hang guard,
not a speed check).  Without their limits, the inputs below took 2 to 25 GB or minutes."""
import json
import os
import random
import re
import resource
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import SEEDS
from hostile import make_cfb
from pdfbombs import encrypted_inflating_pdf, inflating_pdf, many_pages_pdf, operators_pdf, wide_font_pdf
from seeddocx import seed_docx

SEED = SEEDS / "004_aa4e2e269a40bca7.txt"  # seven findings (tests/seeds/expected.yaml)
TIMEOUT = 120
ADDRESS_SPACE = 500 * 2**20
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run(*args, cwd=None):
    p = subprocess.run([sys.executable, "-m", "gxlint", *map(os.fsdecode, args)], capture_output=True,
                       timeout=TIMEOUT, preexec_fn=_limit_memory, cwd=cwd)
    out, err = p.stdout.decode("utf-8"), p.stderr.decode("utf-8")  # what gxlint prints is UTF-8
    assert "Traceback" not in out + err, err
    assert "E099" not in out, out
    return p.returncode, out, err


def one_error(path, code, *args):
    """`path` alone gives exactly one line, an error with `code`, and exit status 2."""
    rc, out, err = run(path, *args)
    lines = out.splitlines()
    assert len(lines) == 1 and f": error: {code} " in lines[0], out + err
    assert rc == 2
    return lines[0]


def checked(path, *args):
    """`path` is linted (no input error): its finding lines."""
    rc, out, err = run(path, *args)
    assert rc in (0, 1) and ": error: E0" not in out, out + err
    return out.splitlines()


def minimal_docx(path, body: str, parts: dict | None = None) -> Path:
    """A .docx of three parts: content types, document.xml with ``body``, and ``parts``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   f'<Override PartName="/word/document.xml" ContentType="{CT_MAIN}"/></Types>')
        z.writestr("word/document.xml", f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>')
        for name, data in (parts or {}).items():
            z.writestr(name, data)
    return Path(path)


def docx_variant(src: Path, dst: Path, edit) -> Path:
    """A copy of .docx ``src`` whose document.xml is ``edit(document.xml)``."""
    with zipfile.ZipFile(src) as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    members["word/document.xml"] = edit(members["word/document.xml"])
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return dst


@pytest.fixture(scope="module")
def seed_doc(tmp_path_factory):
    return seed_docx(SEED, tmp_path_factory.mktemp("seed") / "seed.docx")


# ---------------------------------------------------------------------- whole-run tracebacks
@pytest.mark.slow
def test_names_that_are_not_utf8_or_hold_line_breaks_are_printed_escaped(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    text = SEED.read_bytes()
    (folder / "good.txt").write_bytes(text)
    with open(os.path.join(os.fsencode(folder), b"bad\xffname.txt"), "wb") as f:
        f.write(text)
    (folder / "two\nlines.txt").write_bytes(text)
    rc, out, _ = run(folder)
    assert rc == 1
    names = {line.split(":", 1)[0].rsplit("/", 1)[1] for line in out.splitlines()}
    assert names == {"good.txt", "bad\\xffname.txt", "two\\nlines.txt"}
    assert len(out.splitlines()) == 3 * 7  # every line is one finding
    rc, out, _ = run(folder, "--format", "json")
    assert sorted(Path(f["path"]).name for f in json.loads(out)["files"]) == [
        "bad\\xffname.txt", "good.txt", "two\\nlines.txt"]
    for fmt in ("sarif", "github"):
        rc, out, _ = run(folder, "--format", fmt)
        assert rc == 1 and ("%FFname.txt" in out if fmt == "sarif" else "bad\\xffname.txt" in out)
    for suffix in (".html", ".csv"):
        rc, _, err = run(folder, "--report", tmp_path / f"summary{suffix}")
        assert rc == 1 and "bad\\xffname.txt" in (tmp_path / f"summary{suffix}").read_text(encoding="utf-8-sig")


def test_symlink_loops_in_the_folder_and_beside_the_config(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "good.txt").write_bytes(SEED.read_bytes())
    os.symlink("loop-b.txt", folder / "loop-a.txt")
    os.symlink("loop-a.txt", folder / "loop-b.txt")
    os.symlink(".", folder / "self")  # a folder loop: never followed
    os.symlink(".gxlint.yaml", folder / ".gxlint.yaml")  # a config that points at itself
    rc, out, _ = run(folder)
    assert rc == 1
    errors = [line for line in out.splitlines() if ": error: E0" in line]
    assert len(errors) == 2 and all("E013" in line and "符号链接循环" in line for line in errors)
    assert sum(1 for line in out.splitlines() if "/good.txt:" in line) == 7
    one_error(folder / "loop-a.txt", "E013")


def test_previous_report_with_a_codec_that_is_no_text_encoding(tmp_path):
    prev = tmp_path / "prev.html"
    prev.write_text('<html><head><meta charset="rot13"></head><body><p>政府信息公开工作年度报告</p></body></html>',
                    encoding="utf-8")
    report = tmp_path / "report.txt"
    report.write_bytes(SEED.read_bytes())
    assert len(checked(report, "--previous", prev)) >= 7


def test_previous_report_whose_reader_fails_costs_only_that_file(tmp_path, monkeypatch):
    """A reader bug on last year's report (any exception) is this file's E099, not the run's end."""
    from gxlint import readers
    from gxlint.engine import Linter

    report, prev = tmp_path / "report.txt", tmp_path / "prev.txt"
    report.write_bytes(SEED.read_bytes())
    prev.write_bytes(SEED.read_bytes())
    read = readers.read
    monkeypatch.setattr(readers, "read", lambda path, **kw: (_ for _ in ()).throw(LookupError("rot13"))
                        if path == str(prev) else read(path, **kw))
    result = Linter().lint_path(str(report), previous=str(prev))
    assert result.error.code == "E099" and str(prev) in result.error.message


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(), reason="needs fork")
def test_a_killed_worker_costs_only_its_file(tmp_path):
    """As the out-of-memory killer would: the worker linting one file gets SIGKILL."""
    from gxlint.batch import lint_files
    from gxlint.engine import Linter
    from gxlint.options import Options

    class Killing(Linter):
        def lint_path(self, path, **kw):
            if path.endswith("victim.txt"):
                os.kill(os.getpid(), signal.SIGKILL)
            return super().lint_path(path, **kw)

    paths = []
    for i in range(12):
        p = tmp_path / (f"{i:02d}victim.txt" if i == 5 else f"{i:02d}.txt")
        p.write_bytes(SEED.read_bytes())
        paths.append(str(p))
    results = lint_files([(p, None) for p in paths], {None: Killing()}, Options(jobs=2))
    assert [r.path for r in results] == paths
    assert [r.error.code if r.error else None for r in results] == [None] * 5 + ["E098"] + [None] * 6
    assert "信号 9" in results[5].error.message
    assert all(len(r.findings) == 7 for i, r in enumerate(results) if i != 5)


# ---------------------------------------------------------------------- only regular files, bounded reads
@pytest.mark.parametrize("name", ["pipe.txt", "pipe.docx", "pipe.pdf", "pipe.html"])
def test_a_fifo_is_refused_without_being_opened(tmp_path, name):
    os.mkfifo(tmp_path / name)  # opening it would block for ever
    assert "命名管道" in one_error(tmp_path / name, "E013")


@pytest.mark.parametrize("name", ["zero.txt", "zero.docx", "zero.md"])
def test_a_device_is_refused(tmp_path, name):
    os.symlink("/dev/zero", tmp_path / name)  # read without end
    assert "设备文件" in one_error(tmp_path / name, "E013")


def test_a_directory_named_like_a_report_is_an_error_not_an_empty_success(tmp_path):
    (tmp_path / "report.docx").mkdir()
    assert "是目录" in one_error(tmp_path / "report.docx", "E013")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_is_an_input_error(tmp_path):
    p = tmp_path / "secret.txt"
    p.write_bytes(SEED.read_bytes())
    p.chmod(0)
    one_error(p, "E013")


def test_utf16_without_bom_is_an_encoding_error(tmp_path):
    p = tmp_path / "utf16.txt"
    p.write_bytes(SEED.read_text(encoding="utf-8").encode("utf-16-le"))
    assert "--encoding utf-16-le" in one_error(p, "E011")
    assert len(checked(p, "--encoding", "utf-16-le")) == 7


def test_a_huge_ole_file_is_sniffed_by_its_directory_not_read(tmp_path):
    """A 600 MB Word 97 file (sparse on disk) cannot be read whole in 500 MB of memory."""
    p = tmp_path / "old.docx"
    p.write_bytes(make_cfb({"WordDocument": b"\xec\xa5" + b"\0" * 510, "1Table": b"\0" * 64}))
    with open(p, "r+b") as f:
        f.truncate(600 * 2**20)
    one_error(p, "E003")


def test_a_dtd_in_a_docx_part_is_refused_naming_the_part(tmp_path, seed_doc):
    p = docx_variant(seed_doc, tmp_path / "dtd.docx", lambda d: d.replace(
        b"?>", b'?><!DOCTYPE w:document [<!ENTITY e "x">]>', 1))
    assert "word/document.xml" in one_error(p, "E008")


# ---------------------------------------------------------------------- memory from small files
def test_list_numbering_lower_letter_starting_at_a_billion(tmp_path):
    numbering = (f'<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0">'
                 '<w:start w:val="1000000000"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1)"/>'
                 '</w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>')
    para = ('<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
            '<w:r><w:t>本机关依法公开政府信息。</w:t></w:r></w:p>')
    p = minimal_docx(tmp_path / "letters.docx", para * 60, {"word/numbering.xml": numbering})
    assert p.stat().st_size < 2000
    checked(p)


def test_header_cell_spanning_a_billion_grid_columns(tmp_path, seed_doc):
    p = docx_variant(seed_doc, tmp_path / "span.docx",
                     lambda d: d.replace(b'<w:gridSpan w:val="4"/>', b'<w:gridSpan w:val="1000000000"/>'))
    checked(p)


def test_numbers_beyond_any_report_are_no_internal_error(tmp_path, seed_doc):
    """A cell of 5,000 digits (beyond int()), one of 400 (beyond float), w:val="1e400"."""
    text = SEED.read_text(encoding="utf-8")
    for n in (5000, 400):
        p = tmp_path / f"digits{n}.txt"
        p.write_text(re.sub(r"\t\d+", "\t" + "7" * n, text, count=3)
                     .replace("。", "。共收到申请" + "9" * n + "件。", 3), encoding="utf-8")
        checked(p)
    p = docx_variant(seed_doc, tmp_path / "1e400.docx",
                     lambda d: d.replace(b'<w:gridSpan w:val="4"/>', b'<w:gridSpan w:val="1e400"/>')
                     .replace(b'w:val="center"', b'w:val="' + b"9" * 5000 + b'"'))
    checked(p)


@pytest.mark.slow
def test_pdf_stream_inflating_to_a_gibibyte(tmp_path):
    p = tmp_path / "inflate.pdf"
    inflating_pdf(p, 1024)
    assert p.stat().st_size < 2 * 2**20
    assert "解压后" in one_error(p, "E006")


def test_pdf_font_width_range_of_1e11_ids(tmp_path):
    p = tmp_path / "widths.pdf"
    wide_font_pdf(p, 99_999_999_999)
    rc, out, err = run(p)  # read (a page with four glyphs), within the memory limit
    assert rc in (0, 1, 2) and ("E006" not in out and "E016" not in out), out


def test_pdf_of_more_pages_than_any_report(tmp_path):
    p = tmp_path / "pages.pdf"
    many_pages_pdf(p, 1001)
    assert "1001 页" in one_error(p, "E006")


@pytest.mark.slow
def test_pdf_of_200000_pages_loads_none(tmp_path, monkeypatch):
    """A file of 200,000 pages (24 MB): one E006 line (within the memory limit), and in process,
    refused from the page count PDFium reads from the page tree: not one page is loaded."""
    from gxlint.errors import InputError
    from gxlint.readers import pdf as reader

    p = tmp_path / "pages.pdf"
    many_pages_pdf(p, 200_000)
    assert "200000 页" in one_error(p, "E006")
    loaded = []
    monkeypatch.setattr(reader, "_read_page", lambda *a: loaded.append(a) or pytest.fail("a page was read"))
    with pytest.raises(InputError) as e:
        reader.read_pdf(str(p))
    assert e.value.code == "E006" and loaded == []


def test_pdf_bomb_behind_encryption(tmp_path):
    """A copy-protected PDF (RC4, empty open password) whose content stream inflates to 100 MiB:
    its bytes are encrypted, so it is checked on PDFium's copy without the encryption (the
    streams still deflated), within the memory limit."""
    p = tmp_path / "sealed.pdf"
    encrypted_inflating_pdf(p, 100)
    assert b"/Encrypt" in p.read_bytes() and p.stat().st_size < 2**20
    assert "解压后" in one_error(p, "E006")


def test_pdf_page_of_millions_of_paths(tmp_path):
    """16 MiB of tiny paths in one page's content (200 KB deflated): PDFium would keep 1.2
    million objects; refused before it opens the file."""
    p = tmp_path / "ops.pdf"
    operators_pdf(p, 16)
    assert p.stat().st_size < 2**20
    assert "绘制内容" in one_error(p, "E006")


# ---------------------------------------------------------------------- super-linear time
def test_a_long_line_of_digits(tmp_path):
    p = tmp_path / "digits.txt"
    p.write_text(SEED.read_text(encoding="utf-8") + "9" * 60_000 + "\n", encoding="utf-8")
    assert len(checked(p)) >= 7


def test_html_table_of_large_spans(tmp_path):
    rows = "".join("<tr>" + '<td colspan="1000" rowspan="1000">1</td>' * 50 + "</tr>" for _ in range(200))
    p = tmp_path / "spans.html"
    p.write_text(f"<html><body><p>政府信息公开工作年度报告</p><table>{rows}</table></body></html>", encoding="utf-8")
    checked(p)


# ---------------------------------------------------------------------- too large for a report
def test_a_million_lines_are_too_large_for_a_report(tmp_path):
    p = tmp_path / "lines.txt"
    p.write_bytes(b"x\n" * 1_000_000)
    assert "行数" in one_error(p, "E006")


@pytest.mark.slow
def test_a_million_empty_paragraphs_are_too_large_for_a_report(tmp_path):
    rsid = random.Random(17).getrandbits  # Word's revision ids: the part does not look like a zip bomb
    p = minimal_docx(tmp_path / "paras.docx", "".join(f'<w:p w:rsidR="{rsid(32):08X}"/>' for _ in range(1_000_000)))
    assert "段落" in one_error(p, "E006")


def test_an_html_page_of_a_hundred_thousand_paragraphs(tmp_path):
    p = tmp_path / "paras.html"
    p.write_text("<html><body>" + "<p>政府</p>" * 100_000 + "</body></html>", encoding="utf-8")
    one_error(p, "E006")


def test_a_ten_megabyte_html_text_is_not_an_empty_page(tmp_path):
    p = tmp_path / "node.html"
    p.write_text("<html><body><p>" + "政府信息公开" * 600_000 + "</p></body></html>", encoding="utf-8")
    assert "10 MB" in one_error(p, "E006")


# ---------------------------------------------------------------------- encodings
@pytest.mark.parametrize("charset", ["rot13", "base64", "zlib", "undefined", "hex"])
def test_html_charset_that_is_no_text_encoding_is_ignored(tmp_path, charset):
    p = tmp_path / "page.html"
    p.write_text(f'<html><head><meta charset="{charset}"></head><body><p>政府信息公开工作年度报告</p></body></html>',
                 encoding="utf-8")
    checked(p)


@pytest.mark.parametrize("encoding", ["rot13", "base64", "undefined", "no-such-codec"])
def test_encoding_option_that_is_no_text_encoding_is_an_encoding_error(tmp_path, encoding):
    p = tmp_path / "report.txt"
    p.write_bytes(SEED.read_bytes())
    rc, out, _ = run(p, "--encoding", encoding)
    assert rc == 2 and out.count("\n") == 1 and ": error: E011 " in out and encoding in out


# ---------------------------------------------------------------------- every pattern, long lines
ADVERSARIAL_UNITS = {  # 100 KB lines that make a backtracking pattern quadratic or worse
    "digits": ("9", 100_000),
    "brackets": ("〔", 100_000),
    "years": ("年", 100_000),
    "year-numbers": ("2023年", 20_000),
    "spaces": (" ", 100_000),
    "letters": ("a", 100_000),
    "dots": ("1.", 50_000),
    "words": ("第一", 50_000),
    "parentheses": ("（", 100_000),
    "mixed": ("〔2023〕1号、", 10_000),
}
ADVERSARIAL = {name: unit * n for name, (unit, n) in ADVERSARIAL_UNITS.items()}
_PATTERNS_SCRIPT = r"""
import importlib, pkgutil, re, sys
import gxlint, gxlint.kinds, gxlint.readers
from gxlint.engine import Linter
from gxlint import kinds

lines = {{name: unit * n for name, (unit, n) in {units!r}.items()}}
patterns = {{}}
for rule in Linter().all_rules:  # every regular expression a rule of the pack is given
    params = kinds.load(rule.kind).PARAMS
    for key, value in rule.params.items():
        if key in params and params[key].regex and value:
            for i, p in enumerate([value] if isinstance(value, str) else value):
                patterns[f"{{rule.id}}.{{key}}.{{i}}"] = re.compile(str(p))
for pkg in (gxlint, gxlint.kinds, gxlint.readers):  # and every compiled pattern of the code
    for info in pkgutil.iter_modules(pkg.__path__):
        name = f"{{pkg.__name__}}.{{info.name}}"
        if name in ("gxlint.lsp", "gxlint.__main__", "gxlint.cli"):
            continue
        mod = importlib.import_module(name)
        for attr, value in vars(mod).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                patterns[f"{{name}}.{{attr}}"] = value
print(len(patterns), flush=True)
for name, pattern in sorted(patterns.items()):
    for kind, line in lines.items():
        print(name, kind, file=sys.stderr, flush=True)  # on a hang, the last line names the culprit
        for _ in pattern.finditer(line):
            pass
        pattern.match(line)
"""


@pytest.mark.slow
def test_every_pattern_is_linear_on_100_kb_lines():
    script = _PATTERNS_SCRIPT.format(units=ADVERSARIAL_UNITS)
    try:
        p = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           timeout=TIMEOUT, preexec_fn=_limit_memory)
    except subprocess.TimeoutExpired as e:
        last = (e.stderr or b"").decode().strip().splitlines()[-1:]
        pytest.fail(f"a pattern is super-linear on a 100 KB line: {last}")
    assert p.returncode == 0, p.stderr[-2000:]
    assert int(p.stdout) > 60  # the pack's and the code's patterns were all found


@pytest.mark.slow
def test_every_rule_on_100_kb_lines(tmp_path):
    """The whole pack on a report whose paragraphs and table cells are such lines."""
    text = SEED.read_text(encoding="utf-8")
    body = "\n".join(ADVERSARIAL.values())
    cells = "\t".join(line[:20_000] for line in ADVERSARIAL.values())
    p = tmp_path / "long.txt"
    p.write_text(text + "\n" + body + "\n" + cells + "\n" + cells + "\n", encoding="utf-8")
    assert len(checked(p)) >= 7


@pytest.mark.slow
def test_pdf_time_limit_is_checked_before_each_page(tmp_path, monkeypatch):
    """The per-file clock (120 s) is looked at before each page is loaded (the work on one page
    is bounded by the limits on its content, objects and characters): with a limit already
    spent, the reading ends with E006 before the first page."""
    from gxlint.errors import InputError
    from gxlint.readers import pdflimits
    from gxlint.readers.pdf import read_pdf
    from pdfbuild import seed_pdf

    pdf = seed_pdf(SEED, tmp_path / "seed.pdf")
    calls, check = [], pdflimits.check_time
    monkeypatch.setattr(pdflimits, "check_time", lambda: calls.append(1) or check())
    doc = read_pdf(str(pdf))
    pages = max(b.page for b in doc.blocks if getattr(b, "page", None))
    assert len(calls) >= pages
    monkeypatch.setattr(pdflimits, "MAX_SECONDS", -1.0)
    with pytest.raises(InputError) as e:
        read_pdf(str(pdf))
    assert e.value.code == "E006" and "秒内未能读完" in e.value.message
    monkeypatch.undo()
    assert read_pdf(str(pdf)).blocks  # the limits change nothing for a report


def test_pdf_stream_check_decodes_each_filter_chain(tmp_path):
    """The stream check before PDFium decodes through the filters PDFium would: Flate under
    ASCII85 (as reportlab writes), RunLength, LZW; 9 MiB of drawing operators is over the
    content limit whichever encodes it, an embedded font of the same size is not."""
    import base64
    import zlib

    from gxlint.readers import pdflimits

    ops = b"0 0 m 1 1 l S\n" * (9 * 2**20 // 14 + 1)

    def pdf(data: bytes, filters: bytes, extra: bytes = b"") -> bytes:
        return (b"%PDF-1.4\n4 0 obj\n<< /Length " + str(len(data)).encode() + b" /Filter " + filters + extra
                + b" >>\nstream\n" + data + b"\nendstream\nendobj\ntrailer\n<< /Size 5 >>\n%%EOF\n")

    a85 = base64.a85encode(zlib.compress(ops)) + b"~>"
    run_length = bytes([129, 0x20]) * (len(ops) // 128 + 1)  # 128 spaces a pair
    code = 256  # LZW: clear, then the codes of "   …" growing by one each (258, 259, …)
    bits, out, acc, n = 9, [], 0, 0
    for c in [256, 32] + list(range(258, 258 + 3000)):
        acc, n = (acc << bits) | c, n + bits
        while n >= 8:
            out.append((acc >> (n - 8)) & 0xFF)
            n -= 8
        code += 1
        if code + 1 >= (1 << bits) and bits < 12:
            bits += 1
    lzw = bytes(out)
    for data, filters in ((a85, b"[/ASCII85Decode /FlateDecode]"), (run_length, b"/RunLengthDecode")):
        with pytest.raises(pdflimits.PdfTooLarge, match="绘制内容"):
            pdflimits.check_streams(pdf(data, filters))
        assert pdflimits.check_streams(pdf(data, filters, b" /Length1 99")) > 9 * 2**20  # a font: counted, allowed
    assert pdflimits.check_streams(pdf(lzw, b"/LZWDecode")) > 3000  # decoded, counted


def test_a_stream_dictionary_is_found_back_to_its_object_as_the_pattern_finds_it():
    """pdflimits._dictionary looks back from ``stream`` for the last ``N G obj`` by hand (it ran
    for every stream of a report): the same as the last match of the pattern, on stream heads
    as files write them and on random bytes made of the pieces that matter (digits, spaces of
    each kind, ``obj``, ``endobj``, ``object``, letters), over the 4 KB window too."""
    from gxlint.readers import pdflimits

    pattern = re.compile(rb"\d+\s+\d+\s+obj\b")

    def by_pattern(data: bytes, at: int) -> bytes:
        head = data[max(at - 4096, 0):at]
        found = list(pattern.finditer(head))
        return head[found[-1].end():] if found else head

    heads = [b"%PDF-1.7\n12 0 obj\n<< /Length 5 /Filter /FlateDecode >>\n",
             b"3 0 obj<</Type/XRef/Size 9>>", b"1 0 obj\n<<>>\nendobj\n7\r\n0\tobj\n<< /Length 1 >>",
             b"x12 0 obj<</A 1>>", b"1 0 objx<< >>", b"1 0 obj", b"1  0obj<<>>", b"obj", b"",
             b"4 0 obj\n" + b" " * 5000 + b"<< /Length 2 >>", b"9 9 obj" + b"\x0b\x0c" * 3000 + b"1 2 obj_"]
    rng = random.Random(27)
    pieces = [b"0", b"17", b" ", b"\n", b"\r", b"\t", b"\x0b", b"\x0c", b"obj", b"endobj", b"object", b"a", b"_",
              b"<<", b"/Length 3"]
    heads += [b"".join(rng.choice(pieces) for _ in range(rng.randrange(1, 60))) for _ in range(5000)]
    heads += [b"".join(rng.choice(pieces) for _ in range(3000)) for _ in range(20)]
    for head in heads:
        data = head + b"stream\n..."
        assert pdflimits._dictionary(data, len(head)) == by_pattern(data, len(head)), head[-80:]
