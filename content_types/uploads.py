"""What an uploaded document file must be: an allowed extension, a size within the limit and
content that really is what the extension says.

`upload_problem` is the rule: a pure function of the name, the size and the content (read from the
stream it is given, nothing else); `upload_check` raises its answer as a `ValidationError`.
"""

import math
import re
import unicodedata
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


MAX_NAME_LENGTH = 200


def _shown_name(name: str) -> str:
    """The name as a message may show it: invisible and control characters made visible."""
    return "".join("?" if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in name)[:80]


def name_problem(name: str) -> str | None:
    """Why a file name is refused: control characters (NUL, line breaks), invisible formatting
    characters such as the right-to-left override that makes "mau‮fdp.exe" read as an
    innocent name, or a name too long to show."""
    if not name.strip():
        return "Tệp không có tên."
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        return (
            f"Tên tệp “{_shown_name(name)}” chứa ký tự điều khiển (ký tự rỗng, xuống dòng…); "
            "hãy đổi tên tệp rồi tải lên lại."
        )
    if any(unicodedata.category(ch) == "Cf" for ch in name):
        return (
            f"Tên tệp “{_shown_name(name)}” chứa ký tự ẩn (như ký tự đảo chiều viết) có thể làm "
            "tên tệp hiển thị sai; hãy đổi tên tệp rồi tải lên lại."
        )
    if len(name) > MAX_NAME_LENGTH:
        return f"Tên tệp dài {len(name)} ký tự, vượt giới hạn {MAX_NAME_LENGTH} ký tự."
    return None


def upload_problem(
    *, name: str, size: int, stream: BinaryIO, max_bytes: int = MAX_UPLOAD_BYTES
) -> str | None:
    """Why the file `name` (`size` bytes, content readable from `stream`) is refused, or None.

    The stream is read from its start and left where it was found.
    """
    problem = name_problem(name)
    if problem is not None:
        return problem
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
    if detail.startswith(_ACTIVE):
        return (
            f"Tệp “{name}” chứa {detail[len(_ACTIVE) :]} nên không được nhận: biểu mẫu "
            "công khai không được mang mã lệnh hay tệp ẩn."
        )
    return f"Nội dung tệp “{name}” không khớp đuôi .{extension} ({_KIND[extension]}): {detail}"


def upload_check(file) -> None:
    """Raise `ValidationError` naming the reason when the uploaded `file` is refused."""
    problem = upload_problem(name=file.name, size=file.size, stream=file)
    if problem is not None:
        raise ValidationError(problem, code="upload_refused")


_ACTIVE = "active:"  # sentinel prefix: the file carries active content (named after it)
# HTML that a browser would run if it ever sniffed the file: a PDF/HTML polyglot.
_HTML_MARKERS = re.compile(
    rb"<\s*(?:html|script|body|iframe|svg|object|embed|meta|!doctype\s+html)\b", re.IGNORECASE
)
_PDF_HEAD_SCAN = 64 * 1024
# PDF names written with #xx escapes (/J#61vaScript) are decoded before looking.
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_ACTIVE_NAMES = {
    b"/JavaScript": "mã JavaScript",
    b"/JS": "mã JavaScript",
    b"/Launch": "lệnh chạy chương trình (Launch)",
    b"/EmbeddedFiles": "tệp nhúng bên trong",
    b"/EmbeddedFile": "tệp nhúng bên trong",
    b"/RichMedia": "nội dung đa phương tiện tự chạy",
    b"/SubmitForm": "lệnh gửi dữ liệu đi (SubmitForm)",
    b"/ImportData": "lệnh nhập dữ liệu (ImportData)",
}
_PDF_NAME = re.compile(rb"/[A-Za-z]+")


def _pdf_problem(stream: BinaryIO) -> str | None:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    data = stream.read()
    stream.seek(0)
    if not data.startswith(_PDF_MAGIC):
        return "tệp không bắt đầu bằng “%PDF-”."
    if _HTML_MARKERS.search(data[:_PDF_HEAD_SCAN]) or _HTML_MARKERS.search(data[-4096:]):
        return "tệp chứa mã trang web (HTML) bên cạnh nội dung PDF."
    names = set(
        _PDF_NAME.findall(_PDF_NAME_ESCAPE.sub(lambda m: bytes.fromhex(m[1].decode()), data))
    )
    for name, label in _PDF_ACTIVE_NAMES.items():
        if name in names:
            return _ACTIVE + label
    try:
        reader = PdfReader(stream, strict=False)
        catalog = reader.trailer["/Root"]
        if not reader.pages:
            return "tệp PDF không có trang nào."
        # Names inside compressed object streams escape the byte scan: ask the parsed file.
        problem = _pdf_catalog_problem(catalog, reader)
    except (PdfReadError, KeyError, ValueError, TypeError, AttributeError, RecursionError):
        return "tệp PDF bị hỏng, không đọc được."
    finally:
        stream.seek(0)
    return problem


_RUNNING_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE"}


def _action_runs(action) -> bool:
    action = action.get_object() if hasattr(action, "get_object") else action
    return hasattr(action, "get") and action.get("/S") in _RUNNING_ACTIONS


def _pdf_catalog_problem(catalog, reader) -> str | None:
    names = catalog.get("/Names")
    names = names.get_object() if names is not None else {}
    if "/JavaScript" in names:
        return _ACTIVE + "mã JavaScript"
    if "/EmbeddedFiles" in names:
        return _ACTIVE + "tệp nhúng bên trong"
    open_action = catalog.get("/OpenAction")
    if open_action is not None and _action_runs(open_action):
        return _ACTIVE + "lệnh tự chạy khi mở tệp (OpenAction)"
    if "/AA" in catalog:
        return _ACTIVE + "lệnh tự chạy khi mở tệp (AA)"
    for page in reader.pages:
        if "/AA" in page:
            return _ACTIVE + "lệnh tự chạy trên trang (AA)"
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if "/A" in annotation and _action_runs(annotation["/A"]):
                return _ACTIVE + "liên kết chạy lệnh"
    return None


def _ole_problem(extension: str, stream: BinaryIO) -> str | None:
    """A Word or Excel 97-2003 file: the right main stream, and no VBA or Excel 4 macros
    (oletools' parser reads the compound file; signatures alone miss renamed projects)."""
    import olefile
    from oletools.olevba import VBA_Parser

    data = stream.read()
    stream.seek(0)
    if not olefile.isOleFile(data=data):
        return "tệp không phải dạng Microsoft Office 97-2003."
    try:
        with olefile.OleFileIO(data) as ole:
            main = ["WordDocument"] if extension == "doc" else ["Workbook", "Book"]
            if not any(ole.exists(stream_name) for stream_name in main):
                return f"tệp không có phần “{main[0]}” của {_KIND[extension]}."
        parser = VBA_Parser(f"tep.{extension}", data=data)
        try:
            if parser.detect_vba_macros():
                return _MACRO
            if extension == "xls" and parser.detect_xlm_macros():
                return _MACRO
        finally:
            parser.close()
    except Exception:  # noqa: BLE001 - any parser failure means an unreadable file
        return "tệp bị hỏng, không đọc được."
    return None


def _content_problem(extension: str, stream: BinaryIO) -> str | None:
    head = stream.read(8)
    stream.seek(0)
    if extension == "pdf":
        return _pdf_problem(stream)
    if extension in ("doc", "xls"):
        if head != _OLE_MAGIC:
            return "tệp không phải dạng Microsoft Office 97-2003."
        return _ole_problem(extension, stream)
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
