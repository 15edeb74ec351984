"""An agency's procedures as the national record (JSON) and as a published list (XLSX): the
same shapes the import reads, so an export imported back changes nothing."""

from __future__ import annotations

import json
from io import BytesIO

from content_types.agency import AgencyPage
from content_types.procedures import ProcedurePage

from .reading import COLUMNS, XLSX_COLUMNS, kind_from_text
from .records import agency_forms_by_code, procedure_record, record_export


def agency_records(agency: AgencyPage) -> list[dict]:
    """The published procedures of `agency`, by code."""
    codes = {form.pk: code for code, form in agency_forms_by_code(agency).items()}
    pages = (
        ProcedurePage.objects.descendant_of(agency)
        .live()
        .select_related("field")
        .prefetch_related("channels", "cases", "forms_used")
        .order_by("national_code")
    )
    return [record_export(procedure_record(page, form_codes=codes)) for page in pages]


def catalogue_export_json(*, agency: AgencyPage) -> bytes:
    data = {"agency": agency.title, "procedures": agency_records(agency)}
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def catalogue_export_xlsx(*, agency: AgencyPage) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh mục TTHC"
    sheet.append([f"DANH MỤC THỦ TỤC HÀNH CHÍNH CỦA {agency.title.upper()}"])
    sheet["A1"].font = Font(bold=True)
    sheet.append([COLUMNS[key][0] for key in XLSX_COLUMNS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for number, record in enumerate(agency_records(agency), start=1):
        sheet.append(
            [
                number,
                record["code"],
                record["name"],
                record["field"],
                record["level"],
                record["agency"],
                "",
                "",
            ]
        )
    for column, width in zip("ABCDEFGH", (6, 26, 60, 24, 14, 40, 18, 24), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the demo decision («Tải tệp mẫu») ------------------------------------------------------

SAMPLE_NAME = "qd-cong-bo-tthc-mau"
SECTIONS = (
    ("new", "A", "THỦ TỤC HÀNH CHÍNH MỚI BAN HÀNH"),
    ("amended", "B", "THỦ TỤC HÀNH CHÍNH SỬA ĐỔI, BỔ SUNG"),
    ("replaced", "C", "THỦ TỤC HÀNH CHÍNH THAY THẾ"),
    ("abolished", "D", "THỦ TỤC HÀNH CHÍNH BÃI BỎ"),
)


def sample_decision_path():
    from django.conf import settings

    return settings.BASE_DIR / "fixtures" / "catalogue" / f"{SAMPLE_NAME}.json"


def sample_decision_json() -> bytes:
    return sample_decision_path().read_bytes()


def sample_decision_xlsx() -> bytes:
    """The same decision as the province publishes its list: a title, the heading row, then
    one section per kind («A. THỦ TỤC HÀNH CHÍNH MỚI BAN HÀNH») with its rows."""
    data = json.loads(sample_decision_json())
    decision = data.get("decision") or {}
    return records_xlsx(
        title="DANH MỤC THỦ TỤC HÀNH CHÍNH MỚI BAN HÀNH, SỬA ĐỔI, BỔ SUNG, BÃI BỎ",
        subtitle=decision.get("title", ""),
        records=data["procedures"],
    )


def records_xlsx(*, title: str, subtitle: str, records: list[dict]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh mục TTHC"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True)
    if subtitle:
        sheet.append([subtitle])
    sheet.append([])
    sheet.append([COLUMNS[key][0] for key in XLSX_COLUMNS])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for kind, letter, heading in SECTIONS:
        rows = [r for r in records if kind_from_text(str(r.get("kind") or "")) == kind]
        if not rows:
            continue
        sheet.append([letter, heading])
        sheet[sheet.max_row][1].font = Font(bold=True)
        for number, record in enumerate(rows, start=1):
            sheet.append(
                [
                    number,
                    record["code"],
                    record["name"],
                    record.get("field", ""),
                    record.get("level", ""),
                    record.get("agency", ""),
                    "",
                    record.get("replaces", ""),
                ]
            )
    for column, width in zip("ABCDEFGH", (6, 26, 60, 24, 14, 40, 18, 24), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
