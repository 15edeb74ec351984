"""What an uploaded document file must be: an allowed extension, a size within the limit and
content that really is what the extension says.

`upload_problem` is the rule: a pure function of the name, the size and the content (read from the
stream it is given, nothing else); `upload_check` raises its answer as a `ValidationError`.
"""

import math
import zipfile
from typing import BinaryIO

from django.core.exceptions import ValidationError

ALLOWED_EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx", "odt", "ods")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024

_PDF_MAGIC = b"%PDF-"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc, Excel 97-2003 .xls
_ZIP_MAGIC = b"PK\x03\x04"
_KIND = {
    "pdf": "PDF",
    "doc": "Word 97-2003",
    "xls": "Excel 97-2003",
    "docx": "Word (Office Open XML)",
    "xlsx": "Excel (Office Open XML)",
    "odt": "OpenDocument văn bản",
    "ods": "OpenDocument bảng tính",
}
_OOXML_PART = {"docx": "word/", "xlsx": "xl/"}
_ODF_MIMETYPE = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
}
_MACRO = "macro"  # sentinel detail: the package carries macros
_XML_READ_LIMIT = 256 * 1024  # enough for any [Content_Types].xml; bounds a zip bomb


def megabytes_text(size: int) -> str:
    """`size` in MB the Vietnamese way, rounded up to 0.1: 22_334_668 → "21,3 MB"."""
    tenths = math.ceil(size * 10 / (1024 * 1024))
    whole, tenth = divmod(tenths, 10)
    return f"{whole} MB" if tenth == 0 else f"{whole},{tenth} MB"


def upload_problem(
    *, name: str, size: int, stream: BinaryIO, max_bytes: int = MAX_UPLOAD_BYTES
) -> str | None:
    """Why the file `name` (`size` bytes, content readable from `stream`) is refused, or None.

    The stream is read from its start and left where it was found.
    """
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_EXTENSIONS:
        found = f"có phần mở rộng .{extension}" if extension else "không có phần mở rộng"
        allowed = ", ".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)
        return f"Tệp “{name}” {found}; chỉ nhận các tệp {allowed}."
    if size == 0:
        return f"Tệp “{name}” rỗng (0 byte)."
    if size > max_bytes:
        return f"Tệp {megabytes_text(size)} vượt giới hạn {megabytes_text(max_bytes)}."

    position = stream.tell()
    try:
        stream.seek(0)
        detail = _content_problem(extension, stream)
    finally:
        stream.seek(position)
    if detail is None:
        return None
    if detail == _MACRO:
        return (
            f"Tệp “{name}” chứa macro (mã lệnh tự chạy) nên không được nhận, "
            f"dù có đuôi .{extension}."
        )
    return f"Nội dung tệp “{name}” không khớp đuôi .{extension} ({_KIND[extension]}): {detail}"


def upload_check(file) -> None:
    """Raise `ValidationError` naming the reason when the uploaded `file` is refused."""
    problem = upload_problem(name=file.name, size=file.size, stream=file)
    if problem is not None:
        raise ValidationError(problem, code="upload_refused")


def _content_problem(extension: str, stream: BinaryIO) -> str | None:
    head = stream.read(8)
    stream.seek(0)
    if extension == "pdf":
        return None if head.startswith(_PDF_MAGIC) else "tệp không bắt đầu bằng “%PDF-”."
    if extension in ("doc", "xls"):
        return None if head == _OLE_MAGIC else "tệp không phải dạng Microsoft Office 97-2003."
    if not head.startswith(_ZIP_MAGIC):
        return "tệp không phải gói ZIP."
    try:
        with zipfile.ZipFile(stream) as archive:
            return _package_problem(extension, archive)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError):
        return "gói ZIP bị hỏng."


def _package_problem(extension: str, archive: zipfile.ZipFile) -> str | None:
    names = archive.namelist()
    lower_names = [entry.lower() for entry in names]
    if any(
        entry.endswith("vbaproject.bin") or entry.startswith(("basic/", "scripts/"))
        for entry in lower_names
    ):
        return _MACRO

    if extension in _ODF_MIMETYPE:
        if not names or names[0] != "mimetype":
            return "thiếu mục “mimetype” ở đầu gói."
        with archive.open("mimetype") as entry:
            mimetype = entry.read(200).strip()
        if mimetype != _ODF_MIMETYPE[extension]:
            return f"mimetype là “{mimetype.decode('ascii', 'replace')}”."
        return None

    if "[Content_Types].xml" not in names:
        return "thiếu [Content_Types].xml."
    if not any(entry.startswith(_OOXML_PART[extension]) for entry in names):
        return f"thiếu phần {_OOXML_PART[extension]}."
    with archive.open("[Content_Types].xml") as entry:
        content_types = entry.read(_XML_READ_LIMIT).lower()
    if b"macroenabled" in content_types:
        return _MACRO
    return None
