"""One-stop dossier figures in: reading an export (CSV/XLSX) or a push (JSON), checking every row,
and storing a batch all at once or not at all.

Rules (the README repeats them for users):
- every row names a procedure of its agency (by national code; the province's long form
  1.001193.000.00.00.H35 matches 1.001193) and a month no later than the current one;
- figures are whole numbers ≥ 0 and add up: carried over + received = resolved + in progress +
  returned/withdrawn;
- one row per procedure and month in a batch;
- a period already stored with the same figures is "unchanged" (sending a batch twice changes
  nothing); with different figures it is refused, unless the batch says to replace
  (import: «Thay thế số liệu đã có»; push: "thay_the": true), when the new figures replace the old
  and the batch records how many it replaced;
- any refused row refuses the whole batch, with every row's reason; the batch itself is recorded.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from content_types.agency import AgencyPage
from content_types.oversight import (
    DOSSIER_FIGURES,
    FIGURE_FIELDS,
    FIGURE_LABELS,
    DossierBatch,
    DossierStatistic,
)
from content_types.procedures import ProcedurePage
from content_types.text import national_code_base, normalise_agency_code, search_tokens

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
FIRST_YEAR = 2000

# Error kinds decide a push's HTTP status: forbidden → 403, conflict (only) → 409, else 400.
INVALID, FORBIDDEN, CONFLICT = "invalid", "forbidden", "conflict"


class DossierFileError(ValueError):
    """The file as a whole cannot be read; the message is for the user, in Vietnamese."""


def _header_key(text: str) -> str:
    # "Trả lại/rút hồ sơ", "TRẢ LẠI / RÚT HỒ SƠ" and "Tra lai rut ho so" are the same column.
    return "".join(search_tokens(str(text or "")))


# Column headers as one-stop exports spell them → our keys. Figures by their labels.
_HEADERS: dict[str, str] = {
    _header_key("Mã thủ tục"): "procedure_code",
    _header_key("Mã TTHC"): "procedure_code",
    _header_key("Mã thủ tục hành chính"): "procedure_code",
    _header_key("Tháng"): "month",
    _header_key("Kỳ báo cáo"): "month",
    _header_key("Năm"): "year",
    _header_key("Mã cơ quan"): "agency_code",
    _header_key("Mã đơn vị"): "agency_code",
    **{_header_key(label): name for name, label, _ in DOSSIER_FIGURES},
    _header_key("Trả lại hoặc rút hồ sơ"): "returned",
}
_REQUIRED_COLUMNS = ["procedure_code", "month", *FIGURE_FIELDS]
_COLUMN_LABELS = {
    "procedure_code": "Mã thủ tục",
    "month": "Tháng",
    "year": "Năm",
    "agency_code": "Mã cơ quan",
    **FIGURE_LABELS,
}
# The JSON push's keys → our keys.
PUSH_KEYS: dict[str, str] = {
    "ma_thu_tuc": "procedure_code",
    "thang": "month",
    "nam": "year",
    "ma_co_quan": "agency_code",
    **{key: name for name, _, key in DOSSIER_FIGURES},
}


@dataclass
class DossierRow:
    number: int  # the spreadsheet row, or the item's position (from 1) in a push
    values: dict[str, object]
    agency: AgencyPage | None = None
    procedure: ProcedurePage | None = None
    procedure_code: str = ""
    year: int | None = None
    month: int | None = None
    figures: dict[str, int] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (kind, message)
    status: str = ""  # new, replace, unchanged
    existing: DossierStatistic | None = None

    @property
    def period_label(self) -> str:
        return f"{self.month:02d}/{self.year}" if self.month and self.year else ""

    @property
    def received(self) -> int:
        return sum(self.figures.get(n, 0) for n in FIGURE_FIELDS[1:4])

    @property
    def figure_list(self) -> list[int | None]:
        return [self.figures.get(name) for name in FIGURE_FIELDS]


@dataclass
class DossierCheck:
    """The outcome of checking a batch: every row, and the batch-wide errors (row 0)."""

    rows: list[DossierRow]
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not any(row.errors for row in self.rows)

    def messages(self) -> list[dict]:
        """Every reason, row by row, for the batch record and the push's answer."""
        found = [{"row": 0, "kind": k, "message": m} for k, m in self.errors]
        for row in self.rows:
            found += [{"row": row.number, "kind": k, "message": m} for k, m in row.errors]
        return found

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)


# --- reading a file ---------------------------------------------------------------------------


def _decode_csv(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DossierFileError(
            "Tệp CSV không đọc được: tệp phải được lưu với bảng mã UTF-8 (trong Excel chọn "
            "«CSV UTF-8»)."
        ) from None


def _csv_table(content: bytes) -> list[list[object]]:
    text = _decode_csv(content)
    if "\x00" in text:
        raise DossierFileError("Tệp CSV không đọc được: tệp có ký tự không hợp lệ.")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [list(row) for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as error:
        raise DossierFileError(f"Tệp CSV không đọc được: {error}.") from None


def _xlsx_table(content: bytes) -> list[list[object]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError):
        raise DossierFileError(
            "Tệp XLSX không đọc được: tệp bị hỏng hoặc không phải bảng tính Excel (.xlsx)."
        ) from None
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def dossier_file_rows(*, name: str, content: bytes) -> list[DossierRow]:
    """The data rows of a one-stop export, keyed by column, numbered as the spreadsheet shows
    them. Title rows above the header (exports often have some) are skipped."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if not content:
        raise DossierFileError("Tệp rỗng: không có số liệu nào.")
    if len(content) > MAX_FILE_BYTES:
        raise DossierFileError("Tệp quá lớn: tối đa 5 MB.")
    if extension == "csv":
        table = _csv_table(content)
    elif extension == "xlsx":
        table = _xlsx_table(content)
    else:
        raise DossierFileError(
            "Chỉ nhận tệp CSV hoặc XLSX xuất từ hệ thống thông tin giải quyết thủ tục hành chính."
        )
    header_at = next(
        (
            index
            for index, row in enumerate(table[:30])
            if any(_HEADERS.get(_header_key(cell)) == "procedure_code" for cell in row)
        ),
        None,
    )
    if header_at is None:
        raise DossierFileError(
            "Không tìm thấy dòng tiêu đề: tệp phải có cột «Mã thủ tục», «Tháng» và các cột số "
            "liệu như mẫu xuất của hệ thống một cửa."
        )
    columns: dict[int, str] = {}
    for position, cell in enumerate(table[header_at]):
        key = _HEADERS.get(_header_key(cell))
        if key is None:
            continue  # «STT», «Tên thủ tục» and the like are not ours to read
        if key in columns.values():
            raise DossierFileError(f"Cột «{cell}» xuất hiện hai lần trong dòng tiêu đề.")
        columns[position] = key
    missing = [_COLUMN_LABELS[key] for key in _REQUIRED_COLUMNS if key not in columns.values()]
    if missing:
        raise DossierFileError("Tệp thiếu cột: " + ", ".join(f"«{m}»" for m in missing) + ".")
    rows = []
    for index, cells in enumerate(table[header_at + 1 :], start=header_at + 2):
        values = {
            key: cells[position] if position < len(cells) else None
            for position, key in columns.items()
        }
        if all(v is None or str(v).strip() == "" for v in values.values()):
            continue
        rows.append(DossierRow(number=index, values=values))
    if not rows:
        raise DossierFileError("Tệp không có dòng số liệu nào dưới dòng tiêu đề.")
    if len(rows) > MAX_ROWS:
        raise DossierFileError(f"Tệp có quá nhiều dòng: tối đa {MAX_ROWS:,} dòng.")
    return rows


def dossier_push_rows(*, payload: object) -> tuple[list[DossierRow], str, bool]:
    """The rows of a JSON push, with its agency code (may be empty) and its replace flag."""
    if not isinstance(payload, dict) or not isinstance(payload.get("so_lieu"), list):
        raise DossierFileError(
            "Dữ liệu không đúng cấu trúc: cần một đối tượng JSON có mảng «so_lieu»."
        )
    items = payload["so_lieu"]
    if not items:
        raise DossierFileError("Mảng «so_lieu» rỗng: không có số liệu nào.")
    if len(items) > MAX_ROWS:
        raise DossierFileError(f"Quá nhiều dòng số liệu: tối đa {MAX_ROWS:,} dòng một lần.")
    replace = payload.get("thay_the", False)
    if not isinstance(replace, bool):
        raise DossierFileError("«thay_the» phải là true hoặc false.")
    agency_code = payload.get("co_quan") or ""
    if not isinstance(agency_code, str):
        raise DossierFileError('«co_quan» phải là mã cơ quan dạng chuỗi, ví dụ "STP".')
    rows = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            row = DossierRow(number=number, values={})
            row.errors.append((INVALID, f"Dòng {number}: mỗi phần tử phải là một đối tượng."))
        else:
            unknown = sorted(set(item) - set(PUSH_KEYS))
            row = DossierRow(
                number=number,
                values={PUSH_KEYS[k]: v for k, v in item.items() if k in PUSH_KEYS},
            )
            row.values.setdefault("_strict", True)  # a machine sends every figure
            if unknown:
                row.errors.append(
                    (INVALID, f"Dòng {number}: trường không hợp lệ: {', '.join(unknown)}.")
                )
        rows.append(row)
    return rows, agency_code, replace


# --- checking ---------------------------------------------------------------------------------

_THOUSANDS = re.compile(r"^\d{1,3}([.,\s]\d{3})+$")
_MONTH_YEAR = re.compile(r"^(?:tháng\s*)?(\d{1,2})\s*[/.\-]\s*(\d{4})$", re.IGNORECASE)
_YEAR_MONTH = re.compile(r"^(\d{4})\s*[/.\-]\s*(\d{1,2})$")


def _whole_number(value: object) -> int | None:
    """A non-negative whole number from a cell or JSON value, or None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    if _THOUSANDS.match(text):  # 1.234 or 1,234: Vietnamese and English thousands
        return int(re.sub(r"\D", "", text))
    return None


def _period(row: DossierRow) -> tuple[int, int] | None:
    """(year, month) of the row, from «Tháng» (03/2026, 2026-03, a date) and «Năm»."""
    value, year_value = row.values.get("month"), row.values.get("year")
    if isinstance(value, datetime | date):
        return value.year, value.month
    text = str(value if value is not None else "").strip()
    match = _MONTH_YEAR.match(text)
    if match:
        return int(match[2]), int(match[1])
    match = _YEAR_MONTH.match(text)
    if match:
        return int(match[1]), int(match[2])
    month = _whole_number(text) if text else None
    year = _whole_number(year_value) if year_value not in (None, "") else None
    if month is not None and year is not None:
        return year, month
    return None


def _check_values(row: DossierRow, today: date) -> None:
    n = row.number
    code = str(row.values.get("procedure_code") or "").strip()
    if not code:
        row.errors.append((INVALID, f"Dòng {n}: thiếu «Mã thủ tục»."))
    row.procedure_code = national_code_base(code)
    period = _period(row)
    if period is None:
        shown = row.values.get("month")
        row.errors.append(
            (
                INVALID,
                f"Dòng {n}: «Tháng» không hợp lệ (nhận được «{shown if shown is not None else ''}»"
                "); ghi dạng 03/2026, hoặc số tháng kèm cột «Năm».",
            )
        )
    else:
        year, month = period
        if not (1 <= month <= 12) or year < FIRST_YEAR:
            row.errors.append((INVALID, f"Dòng {n}: tháng {month:02d}/{year} không tồn tại."))
        elif (year, month) > (today.year, today.month):
            row.errors.append(
                (INVALID, f"Dòng {n}: tháng {month:02d}/{year} chưa đến, chưa thể có số liệu.")
            )
        else:
            row.year, row.month = year, month
    strict = row.values.get("_strict", False)
    for name in FIGURE_FIELDS:
        label = FIGURE_LABELS[name]
        raw = row.values.get(name)
        if raw is None or (not strict and str(raw).strip() == ""):
            if strict:
                row.errors.append((INVALID, f"Dòng {n}: thiếu «{label}»."))
                continue
            raw = 0  # exports leave zero cells empty
        number = _whole_number(raw)
        if number is None:
            row.errors.append(
                (INVALID, f"Dòng {n}: «{label}» phải là số nguyên không âm (nhận được «{raw}»).")
            )
        else:
            row.figures[name] = number
    if len(row.figures) == len(FIGURE_FIELDS):
        f = row.figures
        incoming = f["carried_over"] + row.received
        outgoing = (
            f["resolved_early"] + f["resolved_on_time"] + f["resolved_late"]
            + f["pending_within"] + f["pending_overdue"] + f["returned"]
        )  # fmt: skip
        if incoming != outgoing:
            row.errors.append(
                (
                    INVALID,
                    f"Dòng {n}: tổng không khớp — kỳ trước chuyển sang + tiếp nhận = {incoming}, "
                    f"nhưng đã giải quyết + đang giải quyết + trả lại/rút hồ sơ = {outgoing}.",
                )
            )


def _procedures_by_code(agencies: Iterable[AgencyPage]) -> dict[int, dict[str, list]]:
    """{agency id: {national code base: [procedure pages]}}, one query per agency in the batch."""
    found: dict[int, dict[str, list]] = {}
    for agency in agencies:
        codes: dict[str, list] = {}
        for procedure in ProcedurePage.objects.descendant_of(agency).only(
            "pk", "title", "national_code", "path", "depth"
        ):
            codes.setdefault(national_code_base(procedure.national_code), []).append(procedure)
        found[agency.pk] = codes
    return found


def dossier_rows_check(
    *,
    rows: list[DossierRow],
    agency: AgencyPage | None,
    allowed_agency_ids: set[int] | None,
    replace: bool,
    today: date | None = None,
) -> DossierCheck:
    """Check every row and say what committing would do to it (new, replace, unchanged).

    `agency` is the batch's agency (rows without «Mã cơ quan» belong to it); rows may name
    another agency only if it is in `allowed_agency_ids` (None: any agency, the province).
    """
    today = today or timezone.localdate()
    check = DossierCheck(rows=rows)
    codes = {
        normalise_agency_code(str(row.values.get("agency_code") or ""))
        for row in rows
        if row.values.get("agency_code")
    }
    by_code = {a.agency_code: a for a in AgencyPage.objects.filter(agency_code__in=codes)}
    for row in rows:
        if row.errors:
            continue  # malformed push items are already reported
        _check_values(row, today)
        code = normalise_agency_code(str(row.values.get("agency_code") or ""))
        if code:
            row.agency = by_code.get(code)
            if row.agency is None:
                row.errors.append((INVALID, f"Dòng {row.number}: không có cơ quan mã «{code}»."))
                continue
        elif agency is not None:
            row.agency = agency
        else:
            row.errors.append(
                (INVALID, f"Dòng {row.number}: thiếu «Mã cơ quan» (số liệu của cơ quan nào?).")
            )
            continue
        if allowed_agency_ids is not None and row.agency.pk not in allowed_agency_ids:
            row.errors.append(
                (
                    FORBIDDEN,
                    f"Dòng {row.number}: không có quyền gửi số liệu của «{row.agency.title}».",
                )
            )
            row.agency = None
    agencies = {row.agency.pk: row.agency for row in rows if row.agency is not None}
    procedures = _procedures_by_code(agencies.values())
    seen: dict[tuple, int] = {}
    for row in rows:
        if row.agency is None or not row.procedure_code:
            continue
        matches = procedures[row.agency.pk].get(row.procedure_code, [])
        if not matches:
            row.errors.append(
                (
                    INVALID,
                    f"Dòng {row.number}: mã thủ tục «{row.values.get('procedure_code')}» không có "
                    f"trong danh mục thủ tục của {row.agency.title}.",
                )
            )
        elif len(matches) > 1:
            row.errors.append(
                (
                    INVALID,
                    f"Dòng {row.number}: mã thủ tục «{row.procedure_code}» ứng với "
                    f"{len(matches)} thủ tục của {row.agency.title}; hãy sửa danh mục thủ tục.",
                )
            )
        else:
            row.procedure = matches[0]
        if row.year is None:
            continue
        key = (row.agency.pk, row.procedure_code, row.year, row.month)
        if key in seen:
            row.errors.append(
                (
                    INVALID,
                    f"Dòng {row.number}: trùng dòng {seen[key]} (cùng thủ tục "
                    f"{row.procedure_code}, tháng {row.period_label}).",
                )
            )
        else:
            seen[key] = row.number
    _compare_with_stored(rows, replace=replace)
    if not rows:
        check.errors.append((INVALID, "Không có dòng số liệu nào."))
    return check


def _compare_with_stored(rows: list[DossierRow], *, replace: bool) -> None:
    candidates = [r for r in rows if not r.errors and r.agency is not None and r.year]
    if not candidates:
        return
    stored = {
        (s.agency_id, s.procedure_code, s.year, s.month): s
        for s in DossierStatistic.objects.filter(
            agency_id__in={r.agency.pk for r in candidates},
            year__in={r.year for r in candidates},
            procedure_code__in={r.procedure_code for r in candidates},
        )
    }
    for row in candidates:
        existing = stored.get((row.agency.pk, row.procedure_code, row.year, row.month))
        row.existing = existing
        if existing is None:
            row.status = "new"
        elif existing.figures() == row.figures:
            row.status = "unchanged"
        elif replace:
            row.status = "replace"
        else:
            row.errors.append(
                (
                    CONFLICT,
                    f"Dòng {row.number}: số liệu tháng {row.period_label} của thủ tục "
                    f"{row.procedure_code} ({row.agency.short_name}) đã có và khác số liệu gửi "
                    "lần này; chọn thay thế nếu đây là số liệu điều chỉnh.",
                )
            )


# --- storing ----------------------------------------------------------------------------------


def payload_digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@transaction.atomic
def dossier_batch_store(*, batch: DossierBatch, check: DossierCheck) -> DossierBatch:
    """Write a checked batch: all its rows, or (when any row is refused) none, and the record.

    The batch row is saved in every case: a refused batch is part of the history too.
    """
    batch.row_count = len(check.rows)
    if not check.ok:
        batch.result = DossierBatch.Result.REFUSED
        batch.errors = check.messages()
        batch.created_count = batch.replaced_count = batch.unchanged_count = 0
        batch.save()
        return batch
    batch.errors = []
    batch.created_count = check.count("new")
    batch.replaced_count = check.count("replace")
    batch.unchanged_count = check.count("unchanged")
    changed = batch.created_count + batch.replaced_count
    batch.result = DossierBatch.Result.ACCEPTED if changed else DossierBatch.Result.UNCHANGED
    batch.save()
    new, replaced = [], []
    for row in check.rows:
        if row.status == "new":
            new.append(
                DossierStatistic(
                    agency=row.agency,
                    procedure=row.procedure,
                    procedure_code=row.procedure_code,
                    year=row.year,
                    month=row.month,
                    batch=batch,
                    **row.figures,
                )
            )
        elif row.status == "replace":
            statistic = row.existing
            for name, value in row.figures.items():
                setattr(statistic, name, value)
            statistic.procedure = row.procedure
            statistic.batch = batch
            statistic.updated_at = timezone.now()
            replaced.append(statistic)
    DossierStatistic.objects.bulk_create(new, batch_size=1000)
    DossierStatistic.objects.bulk_update(
        replaced, [*FIGURE_FIELDS, "procedure", "batch", "updated_at"], batch_size=1000
    )
    return batch


def dossier_import_preview(
    *, user, agency: AgencyPage, allowed_agency_ids: set[int] | None, name: str, content: bytes,
    replace: bool,
) -> tuple[DossierBatch, DossierCheck | None]:  # fmt: skip
    """Read and check an uploaded export without storing figures. A readable file is kept on
    a «preview» batch for its commit; an unreadable one is recorded as refused."""
    batch = DossierBatch(
        source=DossierBatch.Source.IMPORT,
        user=user,
        agency=agency,
        file_name=name[:255],
        replace=replace,
        payload_sha256=payload_digest(content),
    )
    try:
        rows = dossier_file_rows(name=name, content=content)
    except DossierFileError as error:
        batch.result = DossierBatch.Result.REFUSED
        batch.errors = [{"row": 0, "kind": INVALID, "message": str(error)}]
        batch.save()
        return batch, None
    check = dossier_rows_check(
        rows=rows, agency=agency, allowed_agency_ids=allowed_agency_ids, replace=replace
    )
    batch.row_count = len(rows)
    if check.ok:
        batch.result = DossierBatch.Result.PREVIEW
        batch.payload = content
    else:
        batch.result = DossierBatch.Result.REFUSED
        batch.errors = check.messages()
    batch.save()
    return batch, check


@transaction.atomic
def dossier_import_commit(
    *, batch: DossierBatch, allowed_agency_ids: set[int] | None
) -> tuple[DossierBatch, DossierCheck]:
    """Store a previewed file, checked again: the figures may have changed since the preview."""
    # Locked: two clicks on «Ghi số liệu» store the file once.
    batch = DossierBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.result != DossierBatch.Result.PREVIEW or batch.payload is None:
        raise DossierFileError("Lần nhập này đã được xử lý hoặc không còn tệp để ghi.")
    rows = dossier_file_rows(name=batch.file_name, content=bytes(batch.payload))
    check = dossier_rows_check(
        rows=rows,
        agency=batch.agency,
        allowed_agency_ids=allowed_agency_ids,
        replace=batch.replace,
    )
    return dossier_batch_store(batch=batch, check=check), check
