"""Reading an upload: a ``multipart/form-data`` body, parsed as it streams in (python-multipart),
each report file written at once into the job's private folder under a name of gxlint's own
(``3.docx``: its position and its suffix), never under the name the browser sent, which is only
shown.  The limits are enforced while the body is read: the bytes are counted as they come (413
as soon as they pass the limit, or at once when Content-Length already says so), a file part is
refused (413) as soon as its headers make one too many, and a file of a type gxlint does not read
(415) as soon as its name is known.

Fields: ``files`` (report files, any number; a ``.zip`` of them is opened: :func:`unzip`),
``previous`` (last year's report, optional), ``urls`` (report addresses, one a line), and the
lint options ``select``, ``ignore`` (comma-separated) and ``audit`` (any value: on).
"""
from __future__ import annotations

import os
import posixpath
import re
import unicodedata

from ..errors import E_UPLOAD_BAD, E_UPLOAD_TOO_LARGE, E_UPLOAD_TOO_MANY, E_UPLOAD_TYPE, GxlintError

FIELD_LIMIT = 256 * 1024  # a text field (the addresses, the options)
TEXT_FIELDS = ("urls", "select", "ignore", "audit")
FILE_FIELDS = ("files", "previous")


class UploadError(GxlintError):
    """A refused upload: the HTTP ``status`` (413, 415, 400) with the E0xx code and message."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(code, message)
        self.status = status


class Item:
    """One report of a job: ``name`` as shown (the browser's file name, a zip member's path, an
    address), ``path`` where gxlint keeps it (None for an address) or ``error`` (a zip member
    that could not be taken out)."""

    __slots__ = ("name", "path", "url", "error")

    def __init__(self, name: str, path: str | None = None, url: str | None = None, error: GxlintError | None = None):
        self.name, self.path, self.url, self.error = name, path, url, error


class Upload:
    """What a request brought: ``items`` in order, ``previous`` (an Item or None), the text
    ``fields``."""

    def __init__(self):
        self.items: list[Item] = []
        self.previous: Item | None = None
        self.fields: dict[str, str] = {}


def shown_name(name: str) -> str:
    """A name a browser or a zip gave, as gxlint shows it: ``/`` between folders, no empty, ``.``
    or ``..`` part, no drive or leading slash, no control character, at most 255 characters (the
    end kept).  Only ever shown, never a path on the server."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/"))
    name = "".join(ch if ch.isprintable() else "_" for ch in name)
    parts = [p for p in name.split("/") if p not in ("", ".", "..")]
    if parts and re.fullmatch(r"[A-Za-z]:", parts[0]):
        parts = parts[1:]
    return "/".join(parts)[-255:] or "未命名"


def suffix(name: str) -> str:
    return posixpath.splitext(name)[1].lower()


def walk_key(name: str) -> list:
    """The order the command lists a folder in (os.walk, sorted): a folder's files before its
    sub-folders', each sorted by name."""
    parts = name.split("/")
    return [(1, p) for p in parts[:-1]] + [(0, parts[-1])]


def skipped(name: str) -> bool:
    """What the command skips in a folder (gxlint.batch.expand): hidden folders, Word's lock files
    (~$*), files of other types; and the folder macOS adds to a zip (__MACOSX)."""
    from ..readers import SUFFIXES

    parts = name.split("/")
    return (any(p.startswith(".") or p == "__MACOSX" for p in parts[:-1]) or parts[-1].startswith("~$")
            or not parts[-1].lower().endswith(SUFFIXES))


class Reader:
    """The multipart body of one request, read into ``folder`` (private, made by the caller)."""

    def __init__(self, folder: str, limits, content_type: str):
        from python_multipart.multipart import MultipartParser, parse_options_header

        self.folder, self.limits = folder, limits
        self.upload = Upload()
        self.parse_header = parse_options_header
        ctype, params = parse_options_header(content_type)
        self.form: bytearray | None = None  # an urlencoded form (addresses and options only): its body
        if ctype == b"application/x-www-form-urlencoded":
            self.form = bytearray()
        elif ctype != b"multipart/form-data" or not params.get(b"boundary"):
            raise UploadError(415, E_UPLOAD_TYPE, "请以 multipart/form-data 表单上传报告文件（字段 files、previous、urls）")
        self.parser = None if self.form is not None else MultipartParser(params[b"boundary"], {
            "on_part_begin": self._begin, "on_part_data": self._data, "on_part_end": self._end,
            "on_header_field": self._header_field, "on_header_value": self._header_value,
            "on_header_end": self._header_end, "on_headers_finished": self._headers_done,
        })
        self.received = 0
        self.files = 0  # report files so far (a zip counts its reports when opened)
        self.made = 0  # files written in the folder
        self.error: UploadError | None = None
        self._header = [b"", b""]
        self._disposition = b""
        self._part = None  # ("file", field, Item, open file) / ("text", field, bytearray) / None (skipped)

    def feed(self, chunk: bytes) -> None:
        """Parse ``chunk`` of the body; raises UploadError when it breaks a limit."""
        self.received += len(chunk)
        if self.received > self.limits.max_upload:
            raise self.too_large()
        if self.form is not None:
            if len(self.form) + len(chunk) > FIELD_LIMIT * len(TEXT_FIELDS):
                raise UploadError(413, E_UPLOAD_TOO_LARGE, f"表单过长（上限 {FIELD_LIMIT * len(TEXT_FIELDS) // 1024} KiB）")
            self.form.extend(chunk)
            return
        try:
            self.parser.write(chunk)
        except UploadError:
            raise
        except Exception:  # noqa: BLE001 - python-multipart's errors on a malformed body
            raise UploadError(400, E_UPLOAD_BAD, "上传的表单格式有误，请重新选择文件上传") from None
        if self.error is not None:
            raise self.error

    def finish(self) -> Upload:
        if self.form is not None:
            from urllib.parse import parse_qsl

            for key, value in parse_qsl(self.form.decode("utf-8", "replace")):
                if key in TEXT_FIELDS:
                    self.upload.fields[key] = (self.upload.fields.get(key, "") + "\n" + value).strip("\n")
            return self.upload
        try:
            self.parser.finalize()
        except Exception:  # noqa: BLE001
            raise UploadError(400, E_UPLOAD_BAD, "上传的表单不完整，请重新上传") from None
        if self._part is not None:
            raise UploadError(400, E_UPLOAD_BAD, "上传的表单不完整，请重新上传")
        return self.upload

    def close(self) -> None:
        """Close a file part left open by a refused upload (the folder is removed by the caller)."""
        if self._part is not None and self._part[0] == "file":
            self._part[3].close()
        self._part = None

    def too_large(self) -> UploadError:
        return UploadError(413, E_UPLOAD_TOO_LARGE, f"上传的文件超过大小上限 {self.limits.max_upload_mb:g} MiB，"
                                                    "请分批上传，或请管理员调整 max_upload_mb")

    def too_many(self) -> UploadError:
        return UploadError(413, E_UPLOAD_TOO_MANY, f"一次最多检查 {self.limits.max_files} 份报告，请分批上传，"
                                                   "或请管理员调整 max_files")

    # python-multipart's callbacks; an error is kept and raised by feed (not through the parser)
    def _begin(self) -> None:
        self._disposition = b""

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._header[0] += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._header[1] += data[start:end]

    def _header_end(self) -> None:
        if self._header[0].strip().lower() == b"content-disposition":
            self._disposition = self._header[1]
        self._header = [b"", b""]

    def _headers_done(self) -> None:
        if self.error is not None:
            self._part = None
            return
        _, options = self.parse_header(self._disposition)
        field = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" not in options:
            self._part = ("text", field, bytearray()) if field in TEXT_FIELDS else None
            return
        filename = options[b"filename"].decode("utf-8", "replace")  # (parsed as latin-1: the bytes sent)
        if field not in FILE_FIELDS or not filename:  # an empty file input sends a part with no name
            self._part = None
            return
        try:
            self._part = ("file", field, *self._open(field, shown_name(filename)))
        except UploadError as e:
            self.error = e
            self._part = None

    def _open(self, field: str, name: str) -> tuple:
        from ..readers import SUFFIXES

        ext = suffix(name)
        if not name.lower().endswith(SUFFIXES) and ext != ".zip":
            raise UploadError(415, E_UPLOAD_TYPE, f"「{name}」不是 gxlint 能检查的文件：请上传 .docx、.doc、.wps、.pdf、"
                                                  ".ofd、.html、.txt、.md 报告，或装有这些报告的 .zip 压缩包")
        if field == "previous":
            if ext == ".zip":
                raise UploadError(415, E_UPLOAD_TYPE, "上年报告应是一份报告文件，不能是 .zip 压缩包")
            if self.upload.previous is not None:
                raise UploadError(400, E_UPLOAD_BAD, "上年报告只能上传一份")
        else:  # a .zip counts one until it is opened (unzip), then its reports
            self.files += 1
            if self.files > self.limits.max_files:
                raise self.too_many()
        item = Item(name, self.new_path(ext))
        if field == "previous":
            self.upload.previous = item
        else:
            self.upload.items.append(item)
        fd = os.open(item.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        return item, os.fdopen(fd, "wb")

    def new_path(self, ext: str) -> str:
        """A new file in the folder: its number and ``ext`` (the name gxlint gives it)."""
        self.made += 1
        return os.path.join(self.folder, f"{self.made}{ext}")

    def _data(self, data: bytes, start: int, end: int) -> None:
        part = self._part
        if part is None:
            return
        if part[0] == "file":
            part[3].write(data[start:end])
            return
        if len(part[2]) + end - start > FIELD_LIMIT:
            self.error = UploadError(413, E_UPLOAD_TOO_LARGE, f"表单字段「{part[1]}」过长（上限 {FIELD_LIMIT // 1024} KiB）")
            self._part = None
            return
        part[2].extend(data[start:end])

    def _end(self) -> None:
        part, self._part = self._part, None
        if part is None:
            return
        if part[0] == "file":
            part[3].close()
            return
        text = part[2].decode("utf-8", "replace")
        self.upload.fields[part[1]] = (self.upload.fields.get(part[1], "") + "\n" + text).strip("\n")


def unzip(upload: Upload, reader: Reader) -> None:
    """Replace each uploaded .zip by the reports it holds, in the order the command lists a folder,
    each member taken out under a name of gxlint's own (its name is only shown: as in the archive
    when all its members are in one folder, a zipped folder; else under a folder named like the
    archive, as Windows' 「全部解压缩」 puts them): members of other types, hidden folders and lock files skipped as the
    command skips them in a folder; at most ``max_files`` reports in all (413); inflated, at most
    ``max_unzip_mb`` MiB in all, counted as they inflate (413, whatever the archive's directory
    says).  A zip that cannot be opened, or a member that cannot be taken out (a password, a bad
    CRC), is one item with its error: the other files of the request are checked."""
    import zipfile

    items = []
    budget = reader.limits.max_unzip
    for item in upload.items:
        if suffix(item.name) != ".zip":
            items.append(item)
            continue
        base = item.name[:-4]
        reader.files -= 1
        try:
            with zipfile.ZipFile(item.path) as zf:
                infos = zf.infolist()
                if len(infos) > 10 * reader.limits.max_files + 1000:
                    raise reader.too_many()
                members = [(shown_name(i.filename), i) for i in infos if not i.is_dir()]
                members = sorted(((n, i) for n, i in members if not skipped(n)), key=lambda m: walk_key(m[0]))
                # a zipped folder is shown as its folder; loose members as in a folder named like the archive
                tops = {n.split("/", 1)[0] for n, _ in members if "/" in n}
                loose = len(tops) != 1 or any("/" not in n for n, _ in members)
                for name, info in members:
                    reader.files += 1
                    if reader.files > reader.limits.max_files:
                        raise reader.too_many()
                    shown = f"{base}/{name}" if loose else name
                    if info.flag_bits & 0x1:
                        from ..errors import E_ENCRYPTED

                        items.append(Item(shown, error=GxlintError(E_ENCRYPTED, "压缩包中的此文件有密码保护，请解压后上传")))
                        continue
                    path = reader.new_path(suffix(name))
                    try:
                        budget = _inflate(zf, info, path, budget, reader)
                    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
                        if os.path.exists(path):
                            os.remove(path)
                        items.append(Item(shown, error=GxlintError(E_UPLOAD_BAD, "无法从压缩包中取出此文件（压缩包已损坏或使用了"
                                                                              "不支持的压缩方式），请解压后上传")))
                        continue
                    items.append(Item(shown, path))
        except zipfile.BadZipFile:
            items.append(Item(item.name, error=GxlintError(E_UPLOAD_BAD, "不是有效的 ZIP 压缩包（文件损坏或不完整）")))
        except OSError as e:
            items.append(Item(item.name, error=GxlintError(E_UPLOAD_BAD, f"无法打开压缩包（{e.strerror or e}）")))
        finally:
            os.remove(item.path)
    upload.items = items


def _inflate(zf, info, path: str, budget: int, reader: Reader) -> int:
    """Take ``info`` out of ``zf`` into ``path``, counting the bytes against ``budget``; what is left."""
    with zf.open(info) as src, open(path, "xb") as dst:
        while chunk := src.read(1 << 16):
            budget -= len(chunk)
            if budget < 0:
                raise UploadError(413, E_UPLOAD_TOO_LARGE, f"压缩包解压后超过 {reader.limits.max_unzip_mb:g} MiB，请分批上传")
            dst.write(chunk)
    os.chmod(path, 0o600)
    return budget


def addresses(text: str, limits, reader: Reader) -> list[Item]:
    """The report addresses pasted (one a line, blank lines and # comments skipped), each an Item;
    400 for a line that is not an http(s) address, 403 when the server fetches none."""
    from ..run.inputs import is_url

    urls = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    if urls and not limits.allow_urls:
        raise UploadError(403, E_UPLOAD_BAD, "此服务器不按网址检查报告（allow_urls: false），请下载报告后上传文件")
    bad = [u for u in urls if not is_url(u) or any(c.isspace() for c in u)]
    if bad:
        raise UploadError(400, E_UPLOAD_BAD, f"「{shown_name(bad[0])[:80]}」不是 http:// 或 https:// 网址，请每行填写一个报告网址")
    reader.files += len(urls)
    if reader.files > limits.max_files:
        raise reader.too_many()
    return [Item(u, url=u) for u in urls]
