"""Every Chinese text gxlint writes, read as a template: messages of the rules (and what they say on
their own examples), input and usage errors, summaries, click's translated messages and the help.

What is checked is what a Chinese reader trips over: a space inside a Chinese sentence (「既不是 旧版
Word 97-2003（.doc） 文件」: a space between two Chinese characters or next to full-width
punctuation; a space between Chinese and Latin text or a number is the usual style and allowed),
English words such as ``error:`` before Chinese text, and help whose columns are out of line
because a Chinese character takes two columns on a terminal.

Location labels (「第三部分 表格三 第20行「2. 重复申请」 总计列」) separate their parts by a space on
purpose, as a path does: they are not sentences, and are left out (strings that build them begin
with 第{}部分, 第{}页 or 表格).
"""
import ast
import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import unicodedata

import pytest

from gxlint.engine import Linter
from gxlint.readers.text import parse_text

ROOT = Path(__file__).resolve().parent.parent
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
FULL = "，。、：；！？（）「」『』《》〔〕【】"
STRAY = re.compile(f"[{CJK}{FULL}][ \t\u3000]+[{CJK}{FULL}]")
ENGLISH_LEAD = re.compile(rf"\b(?:error|warning|Error|Warning|Usage|Options)\s*:\s*[{CJK}]")
LOCATION = re.compile(r"^(?:第X部分|第X页|表格)")


def width(s: str) -> int:
    """Columns on a terminal: a wide (Chinese) character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


REGEX_CALLS = {"compile", "compiled", "search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer"}


def _name(node) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""


def _constants(node) -> list[str] | None:
    """The string values ``node`` can take, when it is a string constant or a choice of them."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        a, b = _constants(node.body), _constants(node.orelse)
        return a + b if a is not None and b is not None else None
    return None


class _Templates(ast.NodeVisitor):
    """Every string literal with Chinese in it, as the text it makes: placeholders that are names
    assigned string constants in the same function are filled with each of their values, the
    others with X (a number, a path or a code: Latin text)."""

    def __init__(self, path: Path):
        self.path, self.found, self.scopes, self.skip = path, [], [], set()

    def visit_Module(self, node):
        self._scope(node)

    def visit_FunctionDef(self, node):
        self._scope(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def _scope(self, node):
        names: dict[str, list[str]] = {}
        for n in ast.walk(node):
            if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name):
                values = _constants(n.value)
                if values is not None:
                    names.setdefault(n.targets[0].id, []).extend(values)
        body = getattr(node, "body", [])
        if body and isinstance(body[0], ast.Expr) and _constants(body[0].value):
            self.skip.add(id(body[0].value))  # a docstring
        self.scopes.append(names)
        self.generic_visit(node)
        self.scopes.pop()

    def visit_ClassDef(self, node):
        if node.body and isinstance(node.body[0], ast.Expr) and _constants(node.body[0].value):
            self.skip.add(id(node.body[0].value))
        self.generic_visit(node)

    def visit_Expr(self, node):
        if _constants(node.value):  # a bare string: a docstring or a comment
            self.skip.add(id(node.value))
        self.generic_visit(node)

    def visit_Call(self, node):
        if _name(node.func) in REGEX_CALLS:
            for a in [*node.args, *(k.value for k in node.keywords)]:
                for n in ast.walk(a):
                    self.skip.add(id(n))
        self.generic_visit(node)

    def visit_keyword(self, node):
        if node.arg == "location":
            for n in ast.walk(node.value):
                self.skip.add(id(n))
        self.generic_visit(node)

    def visit_Constant(self, node):
        if isinstance(node.value, str) and id(node) not in self.skip and re.search(f"[{CJK}]", node.value):
            self.found.append((node.lineno, re.sub(r"\{[^{}]*\}", "X", node.value)))

    def visit_JoinedStr(self, node):
        if id(node) in self.skip:
            return
        choices = []
        for v in node.values:
            if isinstance(v, ast.Constant):
                choices.append([v.value])
            elif isinstance(v.value, ast.Name):
                known = next((s[v.value.id] for s in reversed(self.scopes) if v.value.id in s), None)
                choices.append(known or ["X"])
            else:
                choices.append(["X"])
        texts = {"".join(parts) for parts in itertools.islice(itertools.product(*choices), 16)}
        for text in texts:
            if re.search(f"[{CJK}]", text):
                self.found.append((node.lineno, text))
        # the constant parts are visited as part of the whole, not alone


def python_templates():
    for path in sorted((ROOT / "gxlint").rglob("*.py")):
        t = _Templates(path)
        t.visit(ast.parse(path.read_text(encoding="utf-8")))
        for line, text in t.found:
            yield f"{path.relative_to(ROOT)}:{line}", text


def test_the_scan_reads_the_messages_it_is_meant_to():
    """The scan fills a placeholder with the values its name is given: the E004 message for a .doc
    that is no Word file reads as the user sees it."""
    texts = [text for where, text in python_templates() if where.startswith("gxlint/readers/convert.py")]
    assert "不是 Word 文档（既不是旧版 Word 97-2003 文件（.doc），也不是 RTF），请提供 .docx 文件" in texts
    assert len(list(python_templates())) > 300


def test_no_stray_space_in_the_chinese_of_the_code():
    bad = [(where, text) for where, text in python_templates()
           if not LOCATION.match(text) and (STRAY.search(text) or ENGLISH_LEAD.search(text))]
    assert not bad, "\n".join(f"{w}: {t!r}" for w, t in bad)


LINTER = Linter()


def _messages_on_its_example(rule) -> list[str]:
    doc = parse_text(rule.doc["triggers"], "example.md", markdown=True)
    previous = parse_text(rule.doc["previous"], "previous.md", markdown=True) if rule.doc.get("previous") else None
    others = [parse_text(rule.doc["other"], "other.md", markdown=True)] if rule.doc.get("other") else None
    found = LINTER.lint_document(doc, previous, others, fragment=rule.kind != "not_report")
    return [f.message for f in found if f.rule == rule.id]


@pytest.mark.parametrize("rule", LINTER.all_rules, ids=lambda r: r.id)
def test_no_stray_space_in_a_rules_text(rule):
    """The message as written and as it reads on the rule's own triggering example (placeholders
    filled by the kind), the Chinese title and description."""
    said = _messages_on_its_example(rule)
    assert said, f"{rule.id} says nothing on its own example"
    for text in [re.sub(r"\{[^{}]*\}", "X", rule.message), *said, rule.title, rule.description]:
        assert not STRAY.search(text), (rule.id, text, STRAY.search(text)[0])


def run(*args, columns=80):
    env = dict(os.environ, COLUMNS=str(columns))
    p = subprocess.run([sys.executable, "-m", "gxlint", *args], capture_output=True, text=True, env=env)
    assert "Traceback" not in p.stderr
    return p


HELP = [["--help"], ["lint", "--help"], ["rules", "--help"], ["rules", "check", "--help"], ["lsp", "--help"]]


@pytest.mark.parametrize("columns", [80, 60])
@pytest.mark.parametrize("args", HELP, ids=lambda a: " ".join(a[:-1]) or "gxlint")
def test_help_is_aligned_by_display_width(args, columns):
    """In every section of every --help, the descriptions start in one column and their continuation
    lines too, counting a Chinese character as two columns; no line runs past the width except the
    examples written as they are (\\b) and a word that cannot be broken; headings and usage in
    Chinese, with no stray space."""
    out = run(*args, columns=columns).stdout
    lines = out.split("\n")
    assert re.match(r"用法：\S.*gxlint", lines[0]) and "Usage" not in out and "Options" not in out
    assert "选项：" in lines, out
    sections = [i for i, ln in enumerate(lines) if re.fullmatch(r"\S+：", ln)]
    for start, end in zip(sections, [*sections[1:], len(lines)]):
        rows = lines[start + 1:end]
        # where each description starts: after the term and at least two spaces
        starts = set()
        for ln in rows:
            m = re.match(r"^(  \S.*?)  +(?=\S)", ln)
            if ln.startswith("  -") or (m and not ln.startswith("   ")):
                if m:
                    starts.add(width(ln[:m.end()]))
                    text = ln[m.end():]
                else:
                    text = ""  # a term too long for the column: its description on the next line
            else:
                starts.add(width(ln) - width(ln.lstrip()))  # a continuation line
                text = ln.strip()
            assert not STRAY.search(text), ln
        assert len(starts - {0}) == 1, (lines[start], starts, "\n".join(rows))
    for ln in lines:
        term_alone = ln.startswith("  -") and not re.search(r"\S  +\S", ln)  # click never breaks an option's names
        if width(ln) > columns - 2 and not ln.startswith("  gxlint ") and not term_alone:
            assert " " not in ln.strip().split("  ")[-1], ("too wide", ln)


def test_usage_and_run_errors_are_prefixed_in_chinese(tmp_path):
    p = run(str(tmp_path), "--select", "GX999")
    assert p.returncode == 2 and p.stderr.startswith("gxlint：错误：E022 ") and "gxlint: error" not in p.stderr
    p = run("--frobnicate", str(tmp_path))
    assert p.returncode == 2 and "错误：没有选项 '--frobnicate'" in p.stderr and "Error" not in p.stderr
    assert not STRAY.search(p.stderr), p.stderr


def test_statistics_names_each_rule_by_its_chinese_title():
    """--statistics shows what each rule checks (its title), not its message with 「…」 for the
    parts a finding fills in."""
    titles = {r.id: r.title for r in LINTER.all_rules}
    p = run(str(ROOT / "examples" / "faulty.docx"), "--statistics")
    rows = [ln.split() for ln in p.stdout.strip().split("\n")]
    assert p.returncode == 1 and len(rows) == 4 and "…" not in p.stdout
    for count, rule, severity, category, *title in rows:
        assert " ".join(title) == titles[rule], (rule, title)
