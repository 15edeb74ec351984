"""The province's decision file covers many agencies: split by «Cơ quan thực hiện»."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.models import Revision, WorkflowState

import pytest

from content_types.agency import AgencyRole
from content_types.catalogue import CatalogueDecision, ProcedureUpdateTask
from content_types.procedures import ProcedurePage
from tests.catalogue.builders import HEADING, upload, xlsx_bytes
from tests.factories import make_user
from tests.themes.builders import make_procedure
from workflows.provisioning import PROVINCE_ADMINS

pytestmark = pytest.mark.django_db

# agency_a: «Sở Tư pháp thử» (short «Sở Tư pháp», code CQA); agency_b: «UBND phường thử»
# (short «UBND phường», code CQB).
ROWS = [
    ["DANH MỤC THỦ TỤC HÀNH CHÍNH (Kèm theo Quyết định số 2150/QĐ-UBND)"],
    HEADING,
    [1, "1.013814", "Đăng ký thành lập hội", "Hội", "Cấp tỉnh", "Sở Tư pháp", "Mới ban hành"],
    [2, "1.001193", "Đăng ký khai sinh (2026)", "Hộ tịch", "Cấp xã", "UBND phường", "Sửa đổi"],
    [3, "2.000815", "Cấp bản sao trích lục", "Hộ tịch", "Cấp tỉnh", "CQA", "Mới ban hành"],
]
UNKNOWN = [
    *ROWS,
    [4, "1.000001", "Cấp giấy phép lái xe", "Đường bộ", "Cấp tỉnh", "Sở Giao thông vận tải", ""],
    [5, "1.000002", "Cấp giấy phép xây dựng", "Xây dựng", "Cấp tỉnh", "Sở Xây dựng", ""],
]


@pytest.fixture
def province():
    return make_user("tinh.quantri", Group.objects.get(name=PROVINCE_ADMINS))


def _province_upload(client, content, name="qd-tinh.xlsx"):
    return client.post(
        reverse("iso_catalogue_province"),
        {
            "number": "2150/QĐ-UBND",
            "effective_date": "2026-12-01",
            "file": SimpleUploadedFile(name, content),
        },
    )


def _counts():
    return (
        ProcedurePage.objects.count(),
        Revision.objects.count(),
        ProcedureUpdateTask.objects.count(),
        CatalogueDecision.objects.count(),
        WorkflowState.objects.count(),
    )


def test_province_file_goes_row_by_row_to_each_named_agency(client, agency_a, agency_b, province):
    ward = make_procedure(agency_b, [], title="Đăng ký khai sinh", code="1.001193")
    client.force_login(province)
    assert "Nhập tệp của tỉnh" in client.get(reverse("iso_catalogue_index")).content.decode()
    content = xlsx_bytes(ROWS)  # one file: an XLSX records when it was written
    response = _province_upload(client, content)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Tệp có thủ tục của <strong>2</strong> cơ quan" in html
    assert 'data-code="1.013814" data-action="create" data-agency="CQA"' in html
    assert 'data-code="1.001193" data-action="update" data-agency="CQB"' in html
    assert ProcedurePage.objects.count() == 1  # a preview changes nothing

    assert client.post(response["Location"]).status_code == 302
    in_a = set(
        ProcedurePage.objects.descendant_of(agency_a).values_list("national_code", flat=True)
    )
    assert in_a == {"1.013814", "2.000815"}
    ward = ProcedurePage.objects.get(pk=ward.pk)
    assert ward.workflow_in_progress and ward.live  # a draft for approval, nothing published
    assert ward.get_latest_revision_as_object().title == "Đăng ký khai sinh (2026)"
    tasks = set(ProcedureUpdateTask.objects.values_list("agency__agency_code", "national_code"))
    assert tasks == {("CQA", "1.013814"), ("CQA", "2.000815"), ("CQB", "1.001193")}
    # The province sees them all on one list.
    listing = client.get(reverse("iso_catalogue_tasks_index")).content.decode()
    assert "1.013814" in listing and "1.001193" in listing

    # The same file again changes nothing.
    before = _counts()
    again = _province_upload(client, content)
    assert "Không có gì thay đổi" in client.get(again["Location"]).content.decode()
    client.post(again["Location"])
    assert _counts() == before


def test_unknown_agencies_refuse_the_whole_file_row_by_row(client, agency_a, agency_b, province):
    client.force_login(province)
    before = _counts()
    response = _province_upload(client, xlsx_bytes(UNKNOWN))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tệp bị từ chối, chưa có gì được nhập" in html
    assert "Dòng 6 (mã 1.000001): không có cơ quan «Sở Giao thông vận tải» trong hệ thống" in html
    assert "Dòng 7 (mã 1.000002): không có cơ quan «Sở Xây dựng» trong hệ thống" in html
    assert "1.013814" not in html  # only the rows at fault are named
    assert _counts() == before


def test_agency_editor_sees_only_its_rows_and_how_many_belong_to_others(
    client, agency_a, agency_b, staff_a
):
    client.force_login(staff_a[AgencyRole.EDITORS])
    response = upload(client, agency_a, "qd-tinh.xlsx", xlsx_bytes(ROWS))
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "1 dòng của tệp thuộc cơ quan khác: không nhập vào Sở Tư pháp thử" in html
    assert "1.013814" in html and "2.000815" in html and "1.001193" not in html
    client.post(response["Location"])
    assert not ProcedurePage.objects.descendant_of(agency_b).exists()
    assert set(ProcedureUpdateTask.objects.values_list("national_code", flat=True)) == {
        "1.013814",
        "2.000815",
    }


def test_province_import_is_for_province_administrators_only(
    client, agency_a, agency_b, staff_a, province
):
    client.force_login(province)
    location = _province_upload(client, xlsx_bytes(ROWS))["Location"]
    decision = CatalogueDecision.objects.get(agency=None)
    before = _counts()
    for role in (AgencyRole.EDITORS, AgencyRole.ADMINISTRATORS, AgencyRole.APPROVERS):
        client.force_login(staff_a[role])
        for response in (
            client.get(reverse("iso_catalogue_province")),
            _province_upload(client, xlsx_bytes(ROWS)),
            client.get(location),
            client.post(location),
        ):
            assert response.status_code in (302, 403)
            if response.status_code == 302:
                assert response["Location"] == "/admin/"
    # The province's decision is no agency's: not reachable under an agency's own preview.
    client.force_login(staff_a[AgencyRole.EDITORS])
    own = reverse("iso_catalogue_preview", args=[agency_a.pk, decision.pk])
    assert client.get(own).status_code == 404
    assert client.post(own).status_code == 404
    assert _counts() == before


def test_open_tasks_are_work_items_of_their_agency_only(client, agency_a, agency_b, staff_a):
    from django.utils import timezone

    from workflows.workspace.registry import WorkScope, work_sources

    client.force_login(staff_a[AgencyRole.EDITORS])
    client.post(upload(client, agency_a, "qd-tinh.xlsx", xlsx_bytes(ROWS))["Location"])
    source = next(s for s in work_sources() if s.key == "procedure_update")
    today = timezone.localdate()
    # Due three months after the decision: listed once the workspace's horizon reaches it.
    assert (
        source.collect(WorkScope(staff_a[AgencyRole.EDITORS], (agency_a.pk,), today, today)) == []
    )
    later = today + timedelta(days=120)
    mine = source.collect(WorkScope(staff_a[AgencyRole.EDITORS], (agency_a.pk,), today, later))
    assert {item.title.rsplit("(", 1)[1].rstrip(")") for item in mine} == {"1.013814", "2.000815"}
    assert all(item.due and item.agency_id == agency_a.pk for item in mine)
    assert (
        source.collect(WorkScope(staff_a[AgencyRole.EDITORS], (agency_b.pk,), today, later)) == []
    )
