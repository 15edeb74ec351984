"""Announcing-decision files as provinces publish them, built in memory."""

from __future__ import annotations

import io
import json

from django.urls import reverse

HEADING = [
    "STT",
    "Mã thủ tục",
    "Tên thủ tục hành chính",
    "Lĩnh vực",
    "Cấp thực hiện",
    "Cơ quan thực hiện",
    "Loại",
]

# A decision with a title block, section headings naming the kind, and one row per procedure.
DECISION_ROWS = [
    ["DANH MỤC THỦ TỤC HÀNH CHÍNH MỚI BAN HÀNH, SỬA ĐỔI, BỔ SUNG, BÃI BỎ"],
    ["(Kèm theo Quyết định số 2150/QĐ-UBND ngày 20/11/2026 của Chủ tịch UBND tỉnh)"],
    [],
    HEADING,
    ["A", "THỦ TỤC HÀNH CHÍNH MỚI BAN HÀNH"],
    ["I", "Lĩnh vực Hộ tịch"],
    [
        1,
        "1.013814",
        "Đăng ký thành lập, giải thể hội",
        "Hội, tổ chức phi chính phủ",
        "Cấp tỉnh",
        "Sở Nội vụ",
        "",
    ],
    [
        2,
        "2.000815",
        "Cấp bản sao trích lục hộ tịch",
        "Hộ tịch",
        "Cấp tỉnh, Cấp xã",
        "Sở Tư pháp",
        "Mới ban hành",
    ],
    ["B", "THỦ TỤC HÀNH CHÍNH SỬA ĐỔI, BỔ SUNG"],
    [1, "1.001193", "Đăng ký khai sinh (sửa đổi 2026)", "Hộ tịch", "Cấp tỉnh", "Sở Tư pháp", ""],
    ["C", "THỦ TỤC HÀNH CHÍNH BÃI BỎ"],
    [
        1,
        "1.004222",
        "Cấp phiếu lý lịch tư pháp cho công dân",
        "Lý lịch tư pháp",
        "Cấp tỉnh",
        "Sở Tư pháp",
        "",
    ],
]


def xlsx_bytes(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, encoding: str = "utf-8") -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode(encoding, errors="replace")


def json_bytes(procedures) -> bytes:
    return json.dumps({"procedures": procedures}, ensure_ascii=False).encode()


def upload(
    client, agency, name: str, content: bytes, *, number="2150/QĐ-UBND", effective="2026-12-01"
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("iso_catalogue", args=[agency.pk]),
        {"number": number, "effective_date": effective, "file": SimpleUploadedFile(name, content)},
    )


def rows_for(agency_name: str, rows=None):
    """The decision's rows all naming `agency_name` as the implementing agency."""
    rows = DECISION_ROWS if rows is None else rows
    return [
        [agency_name if cell in ("Sở Tư pháp", "Sở Nội vụ") else cell for cell in row]
        for row in rows
    ]


def demo_agencies(home) -> dict:
    """The demo's agencies that the demo decision names (titles as in fixtures/demo.py), with
    the demo procedures published."""
    from content_types.agency import AgencyLevel
    from fixtures.demo_procedures import demo_procedures_load
    from tests.factories import make_agency

    commune = AgencyLevel.COMMUNE
    agencies = {
        code: make_agency(home, code, title=title, short_name=short, level=level)
        for code, title, short, level in (
            ("STP", "Sở Tư pháp tỉnh Quảng Ninh", "Sở Tư pháp", AgencyLevel.PROVINCIAL),
            ("UBND-PHG", "Ủy ban nhân dân phường Hồng Gai", "UBND phường Hồng Gai", commune),
            (
                "SKHCN",
                "Sở Khoa học và Công nghệ tỉnh Quảng Ninh",
                "Sở KH&CN",
                AgencyLevel.PROVINCIAL,
            ),
            ("UBND-DKVD", "Ủy ban nhân dân đặc khu Vân Đồn", "UBND đặc khu Vân Đồn", commune),
        )
    }
    demo_procedures_load(list(agencies.values()))
    return agencies
