"""Importing the one-stop system's export: a preview that stores nothing, then the commit; bad
files and rows refused with the reason in Vietnamese, and nothing stored."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

import pytest

from content_types.agency import AgencyRole
from content_types.oversight import DossierBatch, DossierStatistic
from tests.oversight.conftest import HEADER, csv_bytes, export_row, xlsx_bytes

YEAR = timezone.localdate().year - 1
URL = "/admin/so-lieu-ho-so/"


def _upload(client, agency, name, content, replace=False):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"agency": agency.pk, "file": SimpleUploadedFile(name, content)}
    if replace:
        data["replace"] = "on"
    return client.post(URL, data)


def _commit(client, batch):
    return client.post(reverse("iso_dossier_import_commit", args=[batch.pk]))


@pytest.fixture
def signed_in(client, editor_a, procedures_a):
    client.force_login(editor_a)
    return client


def test_csv_preview_stores_nothing_then_commit_stores_every_row(signed_in, agency_a, editor_a):
    content = csv_bytes(
        [
            export_row(1, "1.001193", f"03/{YEAR}"),
            export_row(2, "2.000001.000.00.00.H35", f"03/{YEAR}", late=0, on_time=10),
            export_row(
                3,
                "1.001193",
                f"04/{YEAR}",
                carried=4,
                online=0,
                early=0,
                on_time=0,
                late=0,
                within=10,
                overdue=0,
                returned=0,
            ),  # fmt: skip
        ]
    )
    response = _upload(signed_in, agency_a, "thong-ke.csv", content)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ghi số liệu" in html and "Mới" in html
    assert DossierStatistic.objects.count() == 0
    batch = DossierBatch.objects.get()
    assert batch.result == "preview" and batch.user == editor_a

    response = _commit(signed_in, batch)
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.result == "accepted" and batch.created_count == 3
    march = DossierStatistic.objects.get(procedure_code="1.001193", month=3)
    assert (march.agency, march.year, march.received_online, march.resolved_late) == (
        agency_a,
        YEAR,
        10,
        2,
    )
    assert DossierStatistic.objects.get(procedure_code="2.000001").procedure.title == (
        "Chứng thực bản sao"
    )
    # A second click on «Ghi số liệu» stores nothing more.
    response = _commit(signed_in, batch)
    assert DossierStatistic.objects.count() == 3


def test_xlsx_with_title_rows_dates_and_year_column(signed_in, agency_a):
    header = [*HEADER[:3], "Tháng", "Năm", *HEADER[4:]]
    rows = [
        [1, "1.001193", "Khai sinh", 5, YEAR, *export_row(0, "", "")[4:]],
        [2, "1.001193", "Khai sinh", date(YEAR, 6, 1), None, *export_row(0, "", "")[4:]],
    ]
    response = _upload(signed_in, agency_a, "bao-cao.xlsx", xlsx_bytes(rows, header=header))
    assert "Ghi số liệu" in response.content.decode()
    _commit(signed_in, DossierBatch.objects.get())
    assert sorted(DossierStatistic.objects.values_list("month", flat=True)) == [5, 6]


def _refused(response, *fragments):
    html = response.content.decode()
    assert "Tệp bị từ chối, chưa ghi số liệu nào" in html
    for fragment in fragments:
        assert fragment in html, fragment
    assert "Ghi số liệu</button>" not in html
    assert DossierStatistic.objects.count() == 0
    assert DossierBatch.objects.filter(result="refused").count() == 1


def test_inconsistent_totals_refuse_the_whole_file(signed_in, agency_a):
    content = csv_bytes(
        [
            export_row(1, "1.001193", f"03/{YEAR}"),
            export_row(2, "2.000001", f"03/{YEAR}", online=11),  # 19 in, 18 out
        ]
    )
    _refused(
        _upload(signed_in, agency_a, "sai.csv", content),
        "Dòng 3: tổng không khớp — kỳ trước chuyển sang + tiếp nhận = 19, nhưng đã giải quyết "
        "+ đang giải quyết + trả lại/rút hồ sơ = 18.",
    )


def test_unknown_code_duplicate_row_bad_number_and_month(signed_in, agency_a):
    content = csv_bytes(
        [
            export_row(1, "1.009999", f"03/{YEAR}"),
            export_row(2, "1.001193", f"03/{YEAR}"),
            export_row(3, "1.001193.000.00.00.H35", f"03/{YEAR}"),
            export_row(4, "2.000001", f"13/{YEAR}"),
            export_row(5, "2.000001", f"04/{YEAR}", online="mười"),
            export_row(6, "2.000001", f"01/{timezone.localdate().year + 1}"),
        ]
    )
    _refused(
        _upload(signed_in, agency_a, "sai.csv", content),
        "Dòng 2: mã thủ tục «1.009999» không có trong danh mục thủ tục của Sở Tư pháp thử.",
        "Dòng 4: trùng dòng 3 (cùng thủ tục 1.001193, tháng 03/" + str(YEAR) + ").",
        "Dòng 5: tháng 13/" + str(YEAR) + " không tồn tại.",
        "Dòng 6: «Tiếp nhận trực tuyến» phải là số nguyên không âm (nhận được «mười»).",
        "chưa đến, chưa thể có số liệu",
    )


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("thong-ke.pdf", b"%PDF-1.4", "Chỉ nhận tệp CSV hoặc XLSX"),
        ("thong-ke.xlsx", b"not a zip at all", "Tệp XLSX không đọc được"),
        ("thong-ke.csv", "Mã;Tên\n1;2\n".encode(), "Không tìm thấy dòng tiêu đề"),
        ("thong-ke.csv", "Mã thủ tục,Tháng\n1.001193,03/2025\n".encode(), "Tệp thiếu cột"),
        ("thong-ke.csv", "Mã thủ tục,Tháng".encode("utf-16-le") + b"\xff\xfe\x00", "UTF-8"),
        ("thong-ke.csv", ",".join(HEADER).encode() + b"\n", "không có dòng số liệu"),
    ],
)
def test_malformed_files_are_refused(signed_in, agency_a, name, content, message):
    _refused(_upload(signed_in, agency_a, name, content), message)


def test_cp1258_csv_is_refused_with_the_encoding_advice(signed_in, agency_a):
    content = ",".join(HEADER).encode("cp1258", errors="replace")
    _refused(_upload(signed_in, agency_a, "thong-ke.csv", content), "UTF-8")


def test_a_stored_period_same_figures_unchanged_other_figures_refused_or_replaced(
    signed_in, agency_a
):
    first = csv_bytes([export_row(1, "1.001193", f"03/{YEAR}")])
    _upload(signed_in, agency_a, "t3.csv", first)
    _commit(signed_in, DossierBatch.objects.get())
    stored = DossierStatistic.objects.get()

    # The same file again changes nothing.
    _upload(signed_in, agency_a, "t3.csv", first)
    again = DossierBatch.objects.get(result="preview")
    _commit(signed_in, again)
    again.refresh_from_db()
    assert (again.result, again.unchanged_count) == ("unchanged", 1)
    assert DossierStatistic.objects.get().batch_id == stored.batch_id

    # Other figures for the same month are refused…
    corrected = csv_bytes([export_row(1, "1.001193", f"03/{YEAR}", on_time=7, within=4)])
    response = _upload(signed_in, agency_a, "t3-sua.csv", corrected)
    assert "đã có và khác số liệu gửi lần này" in response.content.decode()
    assert DossierStatistic.objects.get().resolved_on_time == 8
    # …unless the importer says they replace them.
    _upload(signed_in, agency_a, "t3-sua.csv", corrected, replace=True)
    batch = DossierBatch.objects.get(result="preview")
    _commit(signed_in, batch)
    batch.refresh_from_db()
    assert (batch.result, batch.replaced_count) == ("accepted", 1)
    assert DossierStatistic.objects.get().resolved_on_time == 7


def test_a_row_for_another_agency_is_refused(signed_in, agency_a, agency_b, procedures_b):
    header = [*HEADER, "Mã cơ quan"]
    rows = [[*export_row(1, "1.001193", f"03/{YEAR}"), agency_b.agency_code]]
    _refused(
        _upload(signed_in, agency_a, "t.csv", csv_bytes(rows, header=header)),
        "không có quyền gửi số liệu của «UBND phường thử»",
    )


def test_province_admin_imports_a_file_naming_several_agencies(
    client, province_admin, agency_a, agency_b, procedures_a, procedures_b
):
    client.force_login(province_admin)
    header = [*HEADER, "Mã cơ quan"]
    rows = [
        [*export_row(1, "1.001193", f"03/{YEAR}"), agency_a.agency_code],
        [*export_row(2, "1.001193", f"03/{YEAR}"), "cqb"],
    ]
    _upload(client, agency_a, "tinh.csv", csv_bytes(rows, header=header, delimiter=";"))
    _commit(client, DossierBatch.objects.get())
    assert sorted(DossierStatistic.objects.values_list("agency__agency_code", flat=True)) == [
        "CQA", "CQB"
    ]  # fmt: skip


def test_staff_of_another_agency_cannot_import_or_commit(
    client, signed_in, agency_a, staff_b, procedures_a
):
    _upload(signed_in, agency_a, "t.csv", csv_bytes([export_row(1, "1.001193", f"03/{YEAR}")]))
    batch = DossierBatch.objects.get()
    other = staff_b[AgencyRole.EDITORS]
    client.force_login(other)
    response = _upload(client, agency_a, "t.csv", csv_bytes([]))
    assert "Cơ quan không hợp lệ." in response.content.decode()
    assert DossierBatch.objects.count() == 1  # the form refused agency A: nothing read
    assert _commit(client, batch).status_code == 404
    assert DossierStatistic.objects.count() == 0
    client.force_login(staff_b[AgencyRole.REVIEWERS])  # reviewers do not import
    assert client.get(URL).status_code == 403


def test_the_template_file_imports_as_it_is(signed_in, agency_a):
    template = signed_in.get(URL, {"mau": "csv"})
    assert template["Content-Type"].startswith("text/csv")
    content = template.content.replace(b"03/2026", f"03/{YEAR}".encode())
    assert "Ghi số liệu" in _upload(signed_in, agency_a, "mau.csv", content).content.decode()


def test_batch_records_are_only_for_their_agency(client, signed_in, agency_a, staff_b):
    _upload(signed_in, agency_a, "t.csv", csv_bytes([export_row(1, "1.001193", f"03/{YEAR}")]))
    batch = DossierBatch.objects.get()
    _commit(signed_in, batch)
    url = reverse("iso_dossier_batch", args=[batch.pk])
    assert "t.csv" in signed_in.get(url).content.decode()
    client.force_login(staff_b[AgencyRole.EDITORS])
    assert client.get(url).status_code == 404
    assert "t.csv" not in client.get(URL).content.decode()  # nor in the history list
