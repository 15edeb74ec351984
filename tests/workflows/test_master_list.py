"""The agency's master list (danh mục tài liệu) and the version history views."""

from datetime import timedelta
from io import BytesIO

from django.urls import reverse
from django.utils import timezone

import pytest

from content_types.agency import AgencyRole
from content_types.documents import DocumentKind
from tests.factories import make_draft_document, make_form, new_revision, run_workflow
from workflows.master_list import master_list_rows

EDITORS = AgencyRole.EDITORS


@pytest.fixture
def register(agency_a, staff_a):
    """One item in each state: current (with a scheduled successor), draft, in review."""
    editor = staff_a[EDITORS]
    current = make_form(agency_a, editor, code="BM.01", title="Đơn đề nghị")
    run_workflow(current, staff_a)
    new_revision(current, editor, title="Đơn đề nghị (mẫu mới)",
                 go_live_at=timezone.now() + timedelta(days=3))  # fmt: skip
    run_workflow(current, staff_a)
    draft = make_form(agency_a, editor, code="BM.02", title="Tờ khai nháp")
    review = make_draft_document(agency_a, editor, title="Sổ tay chất lượng")
    review.get_workflow().start(review, editor)
    return {"current": current, "draft": draft, "review": review}


def test_rows_show_code_issue_effective_date_and_status(agency_a, register):
    rows = {row.code: row for row in master_list_rows(agency_a)}
    assert rows["BM.01"].status == "current"
    assert rows["BM.01"].issue_number == 1
    assert rows["BM.01"].title == "Đơn đề nghị"  # the version in force, not the scheduled one
    assert rows["BM.01"].pending.startswith("Lần 02 chờ hiệu lực từ")
    assert rows["BM.02"].status == "draft"
    assert rows["BM.02"].issue_number is None
    assert rows["ST.01"].status == "in_review"
    assert rows["ST.01"].kind == DocumentKind.MANUAL


def test_filters(agency_a, register):
    assert [r.code for r in master_list_rows(agency_a, status="draft")] == ["BM.02"]
    assert [r.code for r in master_list_rows(agency_a, kind="form")] == ["BM.01", "BM.02"]
    assert [r.code for r in master_list_rows(agency_a, query="so tay")] == []
    assert [r.code for r in master_list_rows(agency_a, query="sổ tay")] == ["ST.01"]


def test_staff_open_the_master_list_and_export_xlsx(client, agency_a, staff_a, register):
    from openpyxl import load_workbook

    client.force_login(staff_a[AgencyRole.REVIEWERS])
    url = reverse("iso_master_list", args=[agency_a.pk])
    html = client.get(url, {"tinh_trang": "current"}).content.decode()
    assert "Đơn đề nghị" in html and "Tờ khai nháp" not in html

    response = client.get(url, {"xuat": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header_row = next(i for i, row in enumerate(values) if row[0] == "STT")
    body = {row[1]: row for row in values[header_row + 1 :]}
    assert body["BM.01"][4] == "01"
    assert body["BM.01"][6] == "Đang hiệu lực"
    assert body["BM.02"][6] == "Dự thảo"
    assert body["ST.01"][6] == "Đang trình duyệt"


def test_one_agency_user_is_sent_to_their_list(client, agency_a, staff_a):
    client.force_login(staff_a[EDITORS])
    response = client.get(reverse("iso_master_list_index"))
    assert response.url == reverse("iso_master_list", args=[agency_a.pk])


def test_editor_of_another_agency_cannot_open_the_master_list(client, agency_a, staff_b, register):
    client.force_login(staff_b[EDITORS])
    for params in ({}, {"xuat": "xlsx"}):
        response = client.get(reverse("iso_master_list", args=[agency_a.pk]), params)
        assert response.status_code in (302, 403)
        assert b"BM.01" not in response.content


def test_version_history_and_obsolete_version_view(client, agency_a, staff_a, staff_b):
    editor = staff_a[EDITORS]
    form = make_form(agency_a, editor, code="BM.09", title="Mẫu lần 1")
    run_workflow(form, staff_a)
    new_revision(form, editor, title="Mẫu lần 2", change_summary="Bổ sung mục 3")
    run_workflow(form, staff_a)

    client.force_login(editor)
    html = client.get(reverse("iso_version_history", args=[form.pk])).content.decode()
    assert "Bổ sung mục 3" in html and "Hết hiệu lực" in html and "Đang hiệu lực" in html

    obsolete = client.get(reverse("iso_version_detail", args=[form.pk, 1])).content.decode()
    assert "HẾT HIỆU LỰC" in obsolete
    assert reverse("iso_version_detail", args=[form.pk, 2]) in obsolete  # link to the current
    current = client.get(reverse("iso_version_detail", args=[form.pk, 2])).content.decode()
    assert "HẾT HIỆU LỰC" not in current

    client.force_login(staff_b[EDITORS])
    for url in (
        reverse("iso_version_history", args=[form.pk]),
        reverse("iso_version_detail", args=[form.pk, 1]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert "Bổ sung mục 3" not in response.content.decode()
