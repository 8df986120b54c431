"""Errors that stop gxlint from reading an input, a config or a rule file.

Each has a stable code (E0xx) that users and tools can rely on; the message is
one line, in Chinese, and says what to do.
"""
from __future__ import annotations

# Input errors: the file could not be read as a report.
E_EMPTY = "E001"  # empty file
E_ENCRYPTED = "E002"  # password-protected Office document
E_LEGACY_DOC = "E003"  # Word 97-2003 .doc (or WPS .wps) and no LibreOffice to convert it
E_OLE = "E004"  # some other OLE2 compound file
E_NOT_ZIP = "E005"  # .docx that is not a ZIP archive, or a truncated one
E_TOO_LARGE = "E006"  # zip bomb / part too large
E_BROKEN_PACKAGE = "E007"  # missing part, CRC error
E_BAD_XML = "E008"  # malformed XML inside the package
E_NOT_WORD = "E009"  # .dotx, .docm, other content types
E_UNSUPPORTED = "E010"  # file type gxlint does not read
E_ENCODING = "E011"  # text whose encoding cannot be determined
E_BINARY = "E012"  # binary data in a text file
E_OS = "E013"  # missing, unreadable, a directory...
E_PDF_NO_TEXT = "E014"  # PDF (or OFD) without usable text (a scan, or fonts without a character map)
E_PDF_ENCRYPTED = "E015"  # PDF that needs a password to open
E_PDF_BROKEN = "E016"  # not a PDF after all, truncated or corrupt
E_OFD_BROKEN = "E017"  # not an OFD after all (no ZIP, no OFD.xml), truncated or corrupt
E_OFD_ENCRYPTED = "E018"  # encrypted OFD (GM/T 0099 Encryptions, or ZIP entries with a password)
E_WORKS = "E019"  # a .wps that is a Microsoft Works file, not WPS Office
E_OFFICE_FAILED = "E030"  # LibreOffice could not convert a .doc/.wps (failed, timed out)
# Reports by their web address (gxlint/fetch.py).
E_FETCH = "E031"  # the address cannot be fetched (network, timeout, HTTP error status)
E_FETCH_TOO_LARGE = "E032"  # the response is over the size limit
E_REDIRECTS = "E033"  # too many redirects, or a redirect loop
E_NO_REPORT = "E034"  # a page with neither report text nor a link to a report attachment
E_KILLED = "E098"  # the process linting this file died (out-of-memory killer, a crash): the batch goes on
# Configuration errors.
E_CONFIG = "E020"  # .gxlint.yaml invalid
E_RULES = "E021"  # a rule file invalid
E_USAGE = "E022"  # bad command-line value (unknown rule id in --select...)
E_NO_REPORTS = "E023"  # the folders named hold no report file (only spreadsheets, only Word lock files...)
E_RULE_TIME = "E024"  # a rule from outside the national pack ran past its time on a report (a finding of that rule)
# The web page (gxlint serve, gxlint/serve/).
E_SERVE = "E040"  # gxlint serve cannot start: Starlette/uvicorn/python-multipart missing, the address taken
E_UPLOAD_TOO_LARGE = "E041"  # the upload (or a zip of reports, inflated) is over the size limit: HTTP 413
E_UPLOAD_TOO_MANY = "E042"  # more report files in one request than the limit: HTTP 413
E_UPLOAD_TYPE = "E043"  # not a report file gxlint reads (nor a .zip of them), or not a multipart upload: HTTP 415
E_UPLOAD_BAD = "E044"  # a malformed upload: broken multipart, a zip that cannot be opened, a bad address list
E_BUSY = "E045"  # the server's queue of work is full: HTTP 503, try again shortly
E_INTERNAL = "E099"  # a bug in gxlint while linting this file (the batch goes on)


class GxlintError(Exception):
    """An error with a stable code and a one-line message for the user."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

    def __reduce__(self):  # results travel between processes in a parallel batch
        return (GxlintError._rebuild, (self.__class__, self.code, self.message))

    @staticmethod
    def _rebuild(cls, code, message):
        e = cls.__new__(cls)
        GxlintError.__init__(e, code, message)
        return e

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message}


class InputError(GxlintError):
    """The file could not be read as a report."""


class ConfigError(GxlintError):
    """A config or rule file is invalid."""
