"""An agency's procedures as the national record (JSON) and as a published list (XLSX): the
same shapes the import reads, so an export imported back changes nothing."""

from __future__ import annotations

import json
from io import BytesIO

from content_types.agency import AgencyPage
from content_types.procedures import ProcedurePage

from .reading import COLUMNS, XLSX_COLUMNS
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
