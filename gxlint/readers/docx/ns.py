"""Namespace URIs and qualified tag names of WordprocessingML, markup compatibility, math and
content types; ``_w`` builds a ``w:`` tag name and ``_int`` reads an integer attribute."""
from __future__ import annotations

# --------------------------------------------------------------------------- names
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_STRICT_W_NS = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
_MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


def _w(name: str) -> str:
    return "{%s}%s" % (_W_NS, name)


W_DOCUMENT, W_BODY = _w("document"), _w("body")
W_P, W_R, W_T, W_TBL, W_TR, W_TC = _w("p"), _w("r"), _w("t"), _w("tbl"), _w("tr"), _w("tc")
W_PPR, W_RPR, W_TRPR, W_TCPR = _w("pPr"), _w("rPr"), _w("trPr"), _w("tcPr")
W_PSTYLE, W_NUMPR, W_NUMID, W_ILVL, W_OUTLINELVL = (
    _w("pStyle"), _w("numPr"), _w("numId"), _w("ilvl"), _w("outlineLvl"))
W_SDT, W_SDTCONTENT, W_CUSTOMXML = _w("sdt"), _w("sdtContent"), _w("customXml")
W_INS, W_DEL, W_MOVETO, W_MOVEFROM = _w("ins"), _w("del"), _w("moveTo"), _w("moveFrom")
W_HYPERLINK, W_SMARTTAG, W_FLDSIMPLE = _w("hyperlink"), _w("smartTag"), _w("fldSimple")
W_DIR, W_BDO = _w("dir"), _w("bdo")
W_TAB, W_PTAB, W_BR, W_CR, W_NBH = _w("tab"), _w("ptab"), _w("br"), _w("cr"), _w("noBreakHyphen")
W_TYPE = _w("type")
W_RUBY, W_RUBYBASE = _w("ruby"), _w("rubyBase")
W_DRAWING, W_PICT, W_OBJECT, W_TXBX = _w("drawing"), _w("pict"), _w("object"), _w("txbxContent")
W_GRIDBEFORE, W_GRIDSPAN, W_VMERGE = _w("gridBefore"), _w("gridSpan"), _w("vMerge")
W_VAL = _w("val")
W_STYLE, W_STYLEID, W_NAME, W_BASEDON, W_DEFAULT = (
    _w("style"), _w("styleId"), _w("name"), _w("basedOn"), _w("default"))
W_ABSTRACTNUM, W_ABSTRACTNUMID, W_NUM, W_NUMSTYLELINK = (
    _w("abstractNum"), _w("abstractNumId"), _w("num"), _w("numStyleLink"))
W_LVL, W_LVLOVERRIDE, W_STARTOVERRIDE = _w("lvl"), _w("lvlOverride"), _w("startOverride")
W_START, W_NUMFMT, W_LVLTEXT, W_LVLRESTART, W_ISLGL = (
    _w("start"), _w("numFmt"), _w("lvlText"), _w("lvlRestart"), _w("isLgl"))
MC_ALT, MC_CHOICE, MC_FALLBACK = (
    "{%s}AlternateContent" % _MC_NS, "{%s}Choice" % _MC_NS, "{%s}Fallback" % _MC_NS)
M_OMATH, M_OMATHPARA, M_T = "{%s}oMath" % _M_NS, "{%s}oMathPara" % _M_NS, "{%s}t" % _M_NS
CT_DEFAULT, CT_OVERRIDE = "{%s}Default" % _CT_NS, "{%s}Override" % _CT_NS


_INT_LIMIT = 2**31 - 1  # ST_DecimalNumber is a 32-bit integer: what Word writes fits


def _int(value, default=None):
    """An integer attribute, clamped to what Word writes; `default` when it is no number."""
    if value is None:
        return default
    try:
        n = int(value)
    except (TypeError, ValueError, OverflowError):  # "1e400" is inf, "9" * 5000 beyond int()
        try:
            n = int(float(value))
        except (TypeError, ValueError, OverflowError):
            return default
    return max(-_INT_LIMIT, min(n, _INT_LIMIT))
