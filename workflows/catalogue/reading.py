"""Reading an announcing decision's list: XLSX, CSV or JSON in the national record's shape.

Everything here is pure: bytes in, `Record`s and Vietnamese reasons out. A file is refused as a
whole when anything in it is wrong (wrong columns, a duplicate code, broken encoding, an archive
that would expand into far more than it weighs), with the reasons row by row, so that nothing is
ever half-imported.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field

from content_types.catalogue import ChangeKind
from content_types.procedures import ProcedureLevel, national_code_validator
from content_types.text import fold_vietnamese

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_MEMBER_RATIO = 100  # an XLSX of text compresses ~10:1; bombs reach 1000:1 and more
MAX_ZIP_MEMBERS = 500
MAX_ROWS = 5000
MAX_COLUMNS = 40
HEADER_SEARCH_ROWS = 20


class CatalogueFileError(Exception):
    """The file is refused; `reasons` says why, row by row."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass
class Record:
    """One procedure of the list, in the national record's shape (see `record_keys`)."""

    row: int  # the spreadsheet row, or the position in the JSON list (1-based)
    kind: str | None  # ChangeKind; None: new if the agency lacks it, else amended
    data: dict = field(default_factory=dict)
    label: str = "Dòng"

    @property
    def where(self) -> str:
        return f"{self.label} {self.row}"

    @property
    def code(self) -> str:
        return self.data["code"]


COLUMNS = {
    # key: (the published heading, folded aliases)
    "stt": ("STT", ("stt", "so thu tu", "tt")),
    "code": (
        "Mã thủ tục",
        ("ma thu tuc", "ma tthc", "ma so tthc", "ma so", "ma thu tuc hanh chinh"),
    ),
    "name": ("Tên thủ tục hành chính", ("ten thu tuc hanh chinh", "ten thu tuc", "ten tthc")),
    "field": ("Lĩnh vực", ("linh vuc",)),
    "level": ("Cấp thực hiện", ("cap thuc hien",)),
    "agency": ("Cơ quan thực hiện", ("co quan thuc hien",)),
    "kind": ("Loại", ("loai", "hinh thuc", "noi dung cong bo", "tinh trang", "loai cong bo")),
    "replaces": ("Mã thủ tục bị thay thế", ("ma thu tuc bi thay the", "thay the thu tuc")),
}
REQUIRED_COLUMNS = ("code", "name", "field", "level", "agency")
XLSX_COLUMNS = ("stt", "code", "name", "field", "level", "agency", "kind", "replaces")

KIND_WORDS = [
    # folded phrase → kind; longer phrases first ("sua doi, bo sung" before "bo sung")
    ("bai bo", ChangeKind.ABOLISHED),
    ("thay the", ChangeKind.REPLACED),
    ("sua doi", ChangeKind.AMENDED),
    ("bo sung", ChangeKind.AMENDED),
    ("moi ban hanh", ChangeKind.NEW),
    ("ban hanh moi", ChangeKind.NEW),
    ("moi", ChangeKind.NEW),
]
LEVEL_WORDS = {
    "cap tinh": ProcedureLevel.PROVINCIAL,
    "tinh": ProcedureLevel.PROVINCIAL,
    "provincial": ProcedureLevel.PROVINCIAL,
    "cap xa": ProcedureLevel.COMMUNE,
    "xa": ProcedureLevel.COMMUNE,
    "commune": ProcedureLevel.COMMUNE,
    "cap trung uong": ProcedureLevel.CENTRAL,
    "trung uong": ProcedureLevel.CENTRAL,
    "central": ProcedureLevel.CENTRAL,
    "co quan khac": ProcedureLevel.OTHER,
    "other": ProcedureLevel.OTHER,
}


def _clean(text) -> str:
    if text is None:
        return ""
    return re.sub(r"\s+", " ", str(text)).strip()


def _heading_key(text: str) -> str | None:
    folded = re.sub(r"[^a-z0-9 ]", " ", fold_vietnamese(_clean(text)))
    folded = re.sub(r"\s+", " ", folded).strip()
    for key, (_label, aliases) in COLUMNS.items():
        if folded in aliases:
            return key
    return None


def kind_from_text(text: str) -> str | None:
    folded = fold_vietnamese(_clean(text))
    if folded in ChangeKind.values:  # the export's own values: "new", "amended"…
        return folded
    for phrase, kind in KIND_WORDS:
        if phrase in folded:
            return kind
    return None


def level_from_text(text: str) -> str | None:
    folded = fold_vietnamese(_clean(text))
    # «Cấp tỉnh, Cấp xã»: the first level named is where the agency implements it.
    first = re.split(r"[,;/]", folded)[0].strip()
    return LEVEL_WORDS.get(first)


def looks_misencoded(text: str) -> bool:
    """UTF-8 read as Windows-1252 («Thá»§ tá»¥c»), or replacement characters: broken encoding.
    Correct Vietnamese has letters (ủ, ạ, ộ…) Windows-1252 cannot encode, so it never matches."""
    if "\ufffd" in text:
        return True
    if text.isascii():
        return False
    try:
        return text.encode("cp1252").decode("utf-8") != text
    except (UnicodeEncodeError, UnicodeDecodeError):
        return False


# --- XLSX ---------------------------------------------------------------------------------


def xlsx_check_archive(content: bytes) -> None:
    """Refuse a zip bomb before openpyxl expands anything: member count, sizes and ratios come
    from the archive's directory, which costs nothing to read."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as exc:
        raise CatalogueFileError(["Tệp không phải là tệp Excel (XLSX) hợp lệ."]) from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise CatalogueFileError(
                [f"Tệp Excel có {len(members)} thành phần, quá giới hạn {MAX_ZIP_MEMBERS}."]
            )
        total = 0
        for member in members:
            total += member.file_size
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > 1024 * 1024 and ratio > MAX_MEMBER_RATIO:
                raise CatalogueFileError(
                    [
                        f"Tệp Excel bị từ chối: thành phần {member.filename} giải nén ra "
                        f"{member.file_size:,} byte, gấp {ratio:.0f} lần dung lượng nén (giới hạn "
                        f"{MAX_MEMBER_RATIO} lần). Tệp có thể là «bom nén»."
                    ]
                )
        if total > MAX_UNCOMPRESSED_BYTES:
            raise CatalogueFileError(
                [
                    f"Tệp Excel giải nén ra {total:,} byte, quá giới hạn "
                    f"{MAX_UNCOMPRESSED_BYTES:,} byte."
                ]
            )
        if "xl/workbook.xml" not in archive.namelist():
            raise CatalogueFileError(["Tệp không phải là tệp Excel (XLSX) hợp lệ."])


def xlsx_rows(content: bytes) -> list[tuple[int, list[str]]]:
    """(row number, cells as text) of the first sheet, after the archive checks."""
    from openpyxl import load_workbook

    xlsx_check_archive(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise CatalogueFileError(["Không đọc được tệp Excel: tệp bị hỏng."]) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise CatalogueFileError([f"Tệp có quá {MAX_ROWS} dòng; hãy chia nhỏ danh mục."])
            cells = list(row)
            while cells and cells[-1] in (None, ""):
                cells.pop()
            if len(cells) > MAX_COLUMNS:
                raise CatalogueFileError(
                    [f"Dòng {number}: có {len(cells)} cột, quá giới hạn {MAX_COLUMNS} cột."]
                )
            rows.append((number, [_cell_text(cell) for cell in cells]))
        return rows
    finally:
        workbook.close()


def _cell_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return _clean(cell)


# --- CSV ----------------------------------------------------------------------------------


def csv_rows(content: bytes) -> list[tuple[int, list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogueFileError(
            [
                f"Tệp CSV không phải mã UTF-8 (lỗi ở byte thứ {exc.start + 1}): có thể tệp được "
                "lưu bằng bảng mã Windows-1258 hoặc TCVN3. Hãy lưu lại tệp với mã UTF-8."
            ]
        ) from exc
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = []
    for number, cells in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        if number > MAX_ROWS + HEADER_SEARCH_ROWS:
            raise CatalogueFileError([f"Tệp có quá {MAX_ROWS} dòng; hãy chia nhỏ danh mục."])
        if len(cells) > MAX_COLUMNS:
            raise CatalogueFileError(
                [f"Dòng {number}: có {len(cells)} cột, quá giới hạn {MAX_COLUMNS} cột."]
            )
        rows.append((number, [_clean(cell) for cell in cells]))
    return rows


def table_records(rows: list[tuple[int, list[str]]]) -> tuple[list[Record], list[str]]:
    """Records from a published list: find the heading row, then one record per coded row.
    Rows without a code are section headings («A. THỦ TỤC HÀNH CHÍNH MỚI BAN HÀNH»,
    «I. Lĩnh vực Hộ tịch»); a heading that names a kind applies to the rows below it."""
    header_at = None
    columns: dict[str, int] = {}
    for index, (_number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = {_heading_key(cell): position for position, cell in enumerate(cells)}
        if "code" in keys and "name" in keys:
            header_at, columns = index, {k: v for k, v in keys.items() if k}
            break
    if header_at is None:
        found = next((cells for _n, cells in rows if any(cells)), [])
        return _refuse_columns(REQUIRED_COLUMNS, found)
    missing = [key for key in REQUIRED_COLUMNS if key not in columns]
    if missing:
        return _refuse_columns(missing, rows[header_at][1])

    records, reasons = [], []
    section_kind = None
    for number, cells in rows[header_at + 1 :]:

        def cell(key: str, cells=cells) -> str:
            position = columns.get(key)
            return cells[position] if position is not None and position < len(cells) else ""

        if not any(cells):
            continue
        for text in cells:
            if looks_misencoded(text):
                reasons.append(
                    f"Dòng {number}: chữ bị lỗi mã hóa («{text[:40]}»); hãy lưu lại tệp với mã "
                    "UTF-8 hoặc Unicode dựng sẵn."
                )
                break
        else:
            code = cell("code")
            if not re.match(r"^\d\.\d", code) and not cell("name"):
                code = ""  # «A | THỦ TỤC HÀNH CHÍNH MỚI BAN HÀNH»: a heading, not a procedure
            if not code:
                heading = " ".join(c for c in cells if c)
                if kind_from_text(heading) and not cell("name"):
                    section_kind = kind_from_text(heading)
                elif cell("name"):
                    reasons.append(f"Dòng {number}: thiếu mã thủ tục.")
                continue
            kind_text = cell("kind")
            kind = kind_from_text(kind_text) if kind_text else section_kind
            if kind_text and kind is None:
                reasons.append(
                    f"Dòng {number}: không hiểu loại «{kind_text}» (ghi «Mới ban hành», «Sửa "
                    "đổi, bổ sung», «Thay thế» hoặc «Bãi bỏ»)."
                )
                continue
            data = {
                "code": code,
                "name": cell("name"),
                "field": cell("field"),
                "level": cell("level"),
                "agency": cell("agency"),
            }
            if cell("replaces"):
                data["replaces"] = cell("replaces")
            records.append(Record(row=number, kind=kind, data=data))
    return records, reasons


def _refuse_columns(missing, found: list[str]):
    names = ", ".join(f"«{COLUMNS[key][0]}»" for key in missing)
    seen = ", ".join(f"«{c}»" for c in found if c) or "không có"
    raise CatalogueFileError(
        [
            f"Thiếu cột {names}. Danh mục cần các cột «STT», «Mã thủ tục», «Tên thủ tục hành "
            f"chính», «Lĩnh vực», «Cấp thực hiện», «Cơ quan thực hiện»; tệp có: {seen}."
        ]
    )


# --- JSON ---------------------------------------------------------------------------------


def json_records(content: bytes) -> tuple[list[Record], list[str]]:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise CatalogueFileError(["Tệp JSON không phải mã UTF-8."]) from exc
    except json.JSONDecodeError as exc:
        raise CatalogueFileError(
            [f"Tệp JSON sai cú pháp ở dòng {exc.lineno}, cột {exc.colno}: {exc.msg}."]
        ) from exc
    items = data.get("procedures") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise CatalogueFileError(
            [
                "Tệp JSON cần một danh sách thủ tục (khóa «procedures») theo cấu trúc của CSDL "
                "quốc gia."
            ]
        )
    if len(items) > MAX_ROWS:
        raise CatalogueFileError([f"Tệp có quá {MAX_ROWS} thủ tục; hãy chia nhỏ danh mục."])
    records, reasons = [], []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            reasons.append(f"Thủ tục thứ {number}: không phải một bản ghi (đối tượng JSON).")
            continue
        kind_text = item.get("kind") or ""
        kind = kind_from_text(str(kind_text)) if kind_text else None
        if kind_text and kind is None:
            reasons.append(f"Thủ tục thứ {number}: không hiểu loại «{kind_text}».")
            continue
        for key, value in _strings(item):
            if looks_misencoded(value):
                reasons.append(f"Thủ tục thứ {number}: chữ bị lỗi mã hóa ở «{key}».")
                break
        else:
            records.append(
                Record(
                    row=number,
                    kind=kind,
                    data={k: v for k, v in item.items() if k != "kind"},
                    label="Thủ tục thứ",
                )
            )
    return records, reasons


def _strings(value, key: str = ""):
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, str(k))
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)


# --- the whole file -----------------------------------------------------------------------


def file_format(name: str) -> str | None:
    lowered = (name or "").lower()
    for extension in ("xlsx", "csv", "json"):
        if lowered.endswith("." + extension):
            return extension
    return None


def catalogue_read(*, content: bytes, file_format: str) -> list[Record]:
    """Every record of the file, checked row by row; raises CatalogueFileError with every
    reason found."""
    if len(content) > MAX_FILE_BYTES:
        raise CatalogueFileError(
            [f"Tệp nặng {len(content):,} byte, quá giới hạn {MAX_FILE_BYTES:,} byte."]
        )
    if file_format == "xlsx":
        records, reasons = table_records(xlsx_rows(content))
    elif file_format == "csv":
        records, reasons = table_records(csv_rows(content))
    elif file_format == "json":
        records, reasons = json_records(content)
    else:
        raise CatalogueFileError(["Chỉ nhận tệp .xlsx, .csv hoặc .json."])
    reasons += records_check(records, any_reasons=bool(reasons))
    if reasons:
        raise CatalogueFileError(sorted(reasons, key=_row_of))
    return records


def _row_of(reason: str) -> int:
    found = re.match(r"^(?:Dòng|Thủ tục thứ) (\d+)", reason)
    return int(found.group(1)) if found else 0


def records_check(records: list[Record], *, any_reasons: bool = False) -> list[str]:
    """Reasons to refuse the records: codes, duplicates, names, levels."""
    reasons = []
    first_row: dict[tuple[str, str], str] = {}
    for record in records:
        where = record.where
        code = _clean(record.data.get("code"))
        record.data["code"] = code
        if not code:
            reasons.append(f"{where}: thiếu mã thủ tục.")
            continue
        try:
            national_code_validator(code)
        except Exception:
            reasons.append(
                f"{where}: mã «{code}» sai dạng (mã có dạng 1.001234 hoặc 1.001234.000.00.00.H35)."
            )
            continue
        # The province's file may list one procedure for two agencies, never twice for one.
        base = (code.split(".000.")[0], fold_vietnamese(_clean(record.data.get("agency"))))
        if base in first_row:
            reasons.append(f"{where}: mã {code} trùng với {first_row[base]}.")
        else:
            first_row[base] = record.where.lower()
        if not _clean(record.data.get("name")):
            reasons.append(f"{where}: thiếu tên thủ tục hành chính.")
        if len(_clean(record.data.get("name"))) > 255:
            reasons.append(f"{where}: tên thủ tục dài quá 255 ký tự.")
        level = record.data.get("level")
        if record.kind != ChangeKind.ABOLISHED and level_from_text(str(level or "")) is None:
            reasons.append(
                f"{where}: không hiểu cấp thực hiện «{level or ''}» (ghi «Cấp tỉnh» hoặc «Cấp xã»)."
            )
        replaces = record.data.get("replaces")
        if replaces:
            try:
                national_code_validator(replaces)
            except Exception:
                reasons.append(f"{where}: mã thủ tục bị thay thế «{replaces}» sai dạng.")
    if not records and not reasons and not any_reasons:
        reasons.append("Tệp không có thủ tục nào.")
    return reasons
