"""Render report blocks (tests/docxbuild.py's block list) as a page saved from a government website.

The page is what people actually save: a ``<head>`` with meta, stylesheet and
scripts; a header with the site logo and a search form; a navigation menu; a
breadcrumb; the article (an ``<h1>`` title, a line with the publishing date and
the font-size links, the report in a ``<div class="TRS_Editor">`` with a
``<p>`` per paragraph, part headings in bold, tables as pasted from Word with
``<p>`` in the label cells and merged header cells as ``rowspan``/``colspan``);
a hidden share box; print/close links; a footer with 网站标识码 and the ICP and
公安 registration numbers; a statistics script.

Word's vertical merges (``vmerge`` restart/continue) become ``rowspan``; the 「一、」
Word numbering renders is typed in front of the heading, as it is on the web.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from seeddocx import NUMERALS, seed_blocks

SITE = "上杭县人民政府"

_HEAD = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<meta http-equiv="X-UA-Compatible" content="IE=edge" />
<meta name="SiteName" content="{site}" />
<meta name="ArticleTitle" content="{title}" />
<meta name="ColumnName" content="政府信息公开年报" />
<title>{title}_政府信息公开年报_{site}</title>
<link rel="stylesheet" type="text/css" href="../../images/style.css" />
<style type="text/css">
.TRS_Editor p {{ text-indent: 2em; line-height: 1.8; font-size: 16px; }}
.TRS_Editor table td {{ border: 1px solid #000; text-align: center; }}
</style>
<script type="text/javascript" src="../../images/jquery-1.12.4.min.js"></script>
<script type="text/javascript">
var _hmt = _hmt || [];
(function() {{ var hm = document.createElement("script"); hm.src = "https://hm.baidu.com/hm.js?0a1b2c";
  var s = document.getElementsByTagName("script")[0]; s.parentNode.insertBefore(hm, s); }})();
if (window.innerWidth < 768) {{ document.write("<p>请使用电脑浏览本页</p>"); }}
</script>
</head>
<body>
<header class="header">
  <div class="logo"><a href="/"><img src="../../images/logo.png" alt="{site}" /></a></div>
  <div class="top-links"><a href="/wza/">无障碍浏览</a> | <a href="/en/">English</a> | <a href="/m/">手机版</a></div>
  <form class="search" action="/search/" method="get">
    <input type="text" name="q" value="请输入关键字" /><button type="submit">搜索</button>
  </form>
</header>
<nav class="menu">
  <ul>
    <li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
    <li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li>
  </ul>
</nav>
<div class="container">
  <div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/ndbg/">政府信息公开年报</a></div>
  <div class="article">
"""

_FOOT = """    <div class="share" style="display: none">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
    <div class="tools"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
  </div>
</div>
<aside class="related"><h3>相关链接</h3><ul><li><a href="/zwgk/ndbg/2023/">2023年政府信息公开工作年度报告</a></li></ul></aside>
<footer class="footer">
  <p>主办单位：{site}办公室　　承办单位：{site}信息中心</p>
  <p>网站标识码：3508230001　<a href="https://beian.miit.gov.cn/">闽ICP备05012345号</a>　<img src="../../images/ga.png" alt="" />闽公网安备 35082302000123号</p>
  <p><a href="http://bszs.conac.cn/"><img src="../../images/red.png" alt="党政机关" /></a></p>
</footer>
<script type="text/javascript">document.getElementById("views").innerHTML = "1024";</script>
</body>
</html>
"""


def render_html(blocks: list, *, charset: str = "utf-8", date: str = "2025-01-20") -> str:
    """The whole page for ``blocks`` (title, heading, para and table blocks)."""
    title = next((b[1] for b in blocks if b[0] == "title"), "政府信息公开工作年度报告")
    out = [_HEAD.format(charset=charset, site=SITE, title=escape(title))]
    numeral = 0
    body: list[str] = []
    for b in blocks:
        kind = b[0]
        if kind == "title":
            out.append(f'    <h1 class="title">{escape(b[1])}</h1>\n')
            out.append(f'    <div class="info">发布时间：{date}　来源：{SITE}办公室　浏览次数：<span id="views"></span>'
                       '　【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</div>\n')
        elif kind == "heading":
            level, text = b[1], b[2]
            numbered = not (len(b) > 3 and b[3].get("numbered") is False)
            if numbered and level == 1:
                text = f"{NUMERALS[numeral]}、{text}"
                numeral += 1
            body.append(f"<p><strong>{escape(text)}</strong></p>")
        elif kind == "para":
            body.append(f"<p>　　{escape(b[1])}</p>")
        elif kind == "table":
            body.append(_table(b[1]))
        else:
            raise ValueError(f"no HTML rendering for {kind!r} blocks")
    out.append('    <div class="TRS_Editor">\n' + "\n".join(body) + "\n    </div>\n")
    out.append(_FOOT.format(site=SITE))
    return "".join(out)


def _table(rows: list) -> str:
    """A table as pasted from Word: vertical merges as rowspan, a <p> per line in label cells."""
    grid = []  # per row: [(grid column, text, colspan, vmerge)]
    for row in rows:
        col, cells = 0, []
        for cell in row:
            if isinstance(cell, str):
                text, span, vm = cell, 1, None
            else:
                text, span, vm = cell.get("text", ""), cell.get("colspan", 1), cell.get("vmerge")
            cells.append((col, text, span, vm))
            col += span
        grid.append(cells)
    html = ['<table border="1" cellspacing="0" cellpadding="0" width="100%" style="border-collapse: collapse">',
            "<tbody>"]
    for r, cells in enumerate(grid):
        tds = []
        for col, text, span, vm in cells:
            if vm == "continue":
                continue
            rowspan = 1
            if vm == "restart":
                while r + rowspan < len(grid) and any(
                        c == col and v == "continue" for c, _, _, v in grid[r + rowspan]):
                    rowspan += 1
            attrs = (f' colspan="{span}"' if span > 1 else "") + (f' rowspan="{rowspan}"' if rowspan > 1 else "")
            if not text:
                inner = "<p>&nbsp;</p>"
            elif text.replace(".", "", 1).lstrip("-").isdigit():
                inner = escape(text)
            else:
                inner = "".join(f'<p align="center"><span>{escape(line)}</span></p>' for line in text.split("\n"))
            tds.append(f"<td{attrs}>{inner}</td>")
        html.append("<tr>" + "".join(tds) + "</tr>")
    html.append("</tbody>\n</table>")
    return "\n".join(html)


def seed_html(seed: Path, out: Path, *, encoding: str = "utf-8", charset: str | None = None) -> Path:
    """Write `out` (.html) built from the seed text, encoded with `encoding`, declaring `charset`."""
    page = render_html(seed_blocks(seed.read_text(encoding="utf-8"), markdown=seed.suffix == ".md"),
                       charset=charset or encoding)
    out.write_bytes(page.encode(encoding, errors="xmlcharrefreplace"))
    return out
