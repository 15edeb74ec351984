"""A bad decision file is refused with its reasons, row by row, in Vietnamese; nothing is stored."""

from __future__ import annotations

import io
import zipfile

import pytest

from content_types.agency import AgencyRole
from content_types.catalogue import CatalogueDecision, ProcedureUpdateTask
from content_types.procedures import ProcedurePage
from tests.catalogue.builders import HEADING, csv_bytes, json_bytes, upload, xlsx_bytes
from workflows.catalogue.reading import CatalogueFileError, xlsx_check_archive

pytestmark = pytest.mark.django_db

ROW = [1, "1.013814", "Đăng ký thành lập hội", "Hội", "Cấp tỉnh", "Sở Nội vụ", "Mới ban hành"]


def _bomb() -> bytes:
    """A valid-looking XLSX whose sheet expands 20 MB from a few KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<row>" + " " * 20_000_000 + "</row>")
    return buffer.getvalue()


def _mojibake(text: str) -> str:
    return text.encode("utf-8").decode("cp1252", errors="replace")


CASES = {
    "wrong columns": (
        "ds.csv",
        csv_bytes([["STT", "Mã thủ tục", "Tên thủ tục hành chính", "Ghi chú"], ROW[:4]]),
        ["Thiếu cột «Lĩnh vực», «Cấp thực hiện», «Cơ quan thực hiện»"],
    ),
    "duplicate codes": (
        "ds.xlsx",
        xlsx_bytes([HEADING, ROW, [2, "1.013814", "Tên khác", "Hội", "Cấp tỉnh", "Sở Nội vụ", ""]]),
        ["Dòng 3: mã 1.013814 trùng với dòng 2."],
    ),
    "bad code and unknown level and kind": (
        "ds.xlsx",
        xlsx_bytes(
            [
                HEADING,
                [1, "1.01381", "Tên", "Hội", "Cấp tỉnh", "Sở", ""],
                [2, "1.000001", "Tên", "Hội", "Cấp huyện", "Sở", ""],
                [3, "1.000002", "Tên", "Hội", "Cấp tỉnh", "Sở", "Tạm dừng"],
            ]
        ),
        [
            "Dòng 2: mã «1.01381» sai dạng",
            "Dòng 3: không hiểu cấp thực hiện «Cấp huyện»",
        ],
    ),
    "unknown kind": (
        "ds.xlsx",
        xlsx_bytes([HEADING, [3, "1.000002", "Tên", "Hội", "Cấp tỉnh", "Sở", "Tạm dừng"]]),
        ["Dòng 2: không hiểu loại «Tạm dừng»"],
    ),
    "CSV not in UTF-8": (
        "ds.csv",
        csv_bytes([HEADING, ROW], encoding="cp1258"),
        ["Tệp CSV không phải mã UTF-8"],
    ),
    "mojibake in XLSX": (
        "ds.xlsx",
        xlsx_bytes(
            [
                HEADING,
                ROW,
                [2, "1.000003", _mojibake("Thủ tục đăng ký"), "Hội", "Cấp tỉnh", "Sở", ""],
            ]
        ),
        ["Dòng 3: chữ bị lỗi mã hóa"],
    ),
    "XLSX bomb": ("ds.xlsx", _bomb(), ["bom nén"]),
    "not an XLSX": ("ds.xlsx", b"PK\x03\x04 not really", ["không phải là tệp Excel"]),
    "too many rows": (
        "ds.csv",
        csv_bytes(
            [HEADING]
            + [[n, f"1.{n:06d}", "Tên", "Hội", "Cấp tỉnh", "Sở", ""] for n in range(1, 5102)]
        ),
        ["quá 5000 dòng"],
    ),
    "too many columns": (
        "ds.csv",
        csv_bytes([HEADING + [f"Cột {n}" for n in range(60)], ROW]),
        ["Dòng 1: có 67 cột, quá giới hạn 40 cột."],
    ),
    "JSON syntax": ("ds.json", b'{"procedures": [{"code": "1.013814",}]}', ["sai cú pháp"]),
    "JSON without name": (
        "ds.json",
        json_bytes([{"code": "1.013814", "level": "Cấp tỉnh"}]),
        ["Thủ tục thứ 1: thiếu tên thủ tục hành chính."],
    ),
    "wrong extension": ("ds.pdf", b"%PDF-1.4", ["Chỉ nhận tệp .xlsx, .csv hoặc .json."]),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_file_refused_with_reasons_and_nothing_stored(client, agency_a, staff_a, case):
    name, content, expected = CASES[case]
    client.force_login(staff_a[AgencyRole.EDITORS])
    pages = ProcedurePage.objects.count()
    response = upload(client, agency_a, name, content)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tệp bị từ chối, chưa có gì được nhập" in html
    for reason in expected:
        assert reason.replace("«", "&laquo;").replace("»", "&raquo;") in html or reason in html, (
            reason
        )
    assert CatalogueDecision.objects.count() == 0
    assert ProcedureUpdateTask.objects.count() == 0
    assert ProcedurePage.objects.count() == pages


def test_bomb_is_refused_before_anything_expands():
    with pytest.raises(CatalogueFileError) as error:
        xlsx_check_archive(_bomb())
    assert "gấp" in error.value.reasons[0]


def test_missing_decision_number_refused(client, agency_a, staff_a):
    client.force_login(staff_a[AgencyRole.EDITORS])
    response = upload(client, agency_a, "ds.xlsx", xlsx_bytes([HEADING, ROW]), number="")
    assert response.status_code == 400
    assert "Nhập số quyết định công bố." in response.content.decode()
    assert CatalogueDecision.objects.count() == 0


def test_one_bad_row_stops_the_whole_import(client, agency_a, staff_a):
    """A conflict found at import time refuses every row, not just the bad one."""
    from tests.themes.builders import make_procedure

    client.force_login(staff_a[AgencyRole.EDITORS])
    waiting = make_procedure(agency_a, [], title="Đăng ký khai sinh", code="1.001193")
    latest = waiting.get_latest_revision_as_object()
    latest.title = "Bản sửa đang chờ duyệt"
    latest.save_revision(user=staff_a[AgencyRole.EDITORS])
    waiting.get_workflow().start(waiting, staff_a[AgencyRole.EDITORS])
    rows = [
        HEADING,
        ROW,
        [2, "1.001193", "Đăng ký khai sinh 2026", "Hộ tịch", "Cấp tỉnh", "Sở", ""],
    ]
    location = upload(client, agency_a, "qd.xlsx", xlsx_bytes(rows))["Location"]
    response = client.post(location)
    assert response.status_code == 400
    assert "Dòng 3: thủ tục 1.001193 đang chờ duyệt" in response.content.decode()
    assert not ProcedurePage.objects.filter(national_code="1.013814").exists()
    assert ProcedureUpdateTask.objects.count() == 0
