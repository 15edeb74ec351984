"""Importing the province's announcing decision: preview, drafts through approval, idempotence."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse

from wagtail.models import Revision, WorkflowState

import pytest

from content_types.agency import AgencyRole
from content_types.catalogue import (
    CatalogueDecision,
    ChangeKind,
    ProcedureUpdateTask,
    TaskStatus,
)
from content_types.procedures import ProcedurePage, ProcedurePageProcessStep
from tests.catalogue.builders import DECISION_ROWS, rows_for, upload, xlsx_bytes
from tests.themes.builders import make_procedure
from workflows.models import WithdrawalRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def existing(agency_a):
    amended = make_procedure(agency_a, [], title="Đăng ký khai sinh", code="1.001193")
    abolished = make_procedure(agency_a, [], title="Cấp phiếu lý lịch tư pháp", code="1.004222")
    return amended, abolished


def _approve(page, staff):
    """The agency's reviewer, then its approver, approve the page's workflow."""
    for role in (AgencyRole.REVIEWERS, AgencyRole.APPROVERS):
        page = ProcedurePage.objects.get(pk=page.pk)
        page.current_workflow_task_state.approve(user=staff[role])
    return ProcedurePage.objects.get(pk=page.pk)


def _refused(response) -> None:
    """Wagtail's admin answers PermissionDenied with a redirect to the dashboard."""
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == "/admin/"


def _counts():
    return (
        ProcedurePage.objects.count(),
        Revision.objects.count(),
        ProcedureUpdateTask.objects.count(),
        CatalogueDecision.objects.count(),
        WorkflowState.objects.count(),
    )


def test_decision_preview_then_drafts_then_approval(
    client, agency_a, staff_a, existing, django_capture_on_commit_callbacks
):
    amended, abolished = existing
    editor = staff_a[AgencyRole.EDITORS]
    client.force_login(editor)
    before = _counts()

    response = upload(client, agency_a, "qd-2150.xlsx", xlsx_bytes(DECISION_ROWS))
    assert response.status_code == 302
    preview = client.get(response["Location"])
    html = preview.content.decode()
    # The preview says what would happen, row by row, and changes no procedure.
    assert "1.013814" in html and "Thêm thủ tục mới" in html
    assert "Đăng ký khai sinh (sửa đổi 2026)" in html and "Sửa đổi (bản nháp" in html
    assert "Cần bãi bỏ" in html
    assert "<del>Đăng ký khai sinh</del>" in html
    assert "Thêm thủ tục mới (bản nháp, trình duyệt): <strong>2</strong>" in html
    assert ProcedurePage.objects.count() == before[0]
    assert ProcedureUpdateTask.objects.count() == 0

    applied = client.post(response["Location"])
    assert applied.status_code == 302

    new = ProcedurePage.objects.get(national_code="1.013814")
    assert not new.live and new.workflow_in_progress  # a draft submitted, never published
    assert new.level == "provincial" and new.field.name == "Hội, tổ chức phi chính phủ"
    second = ProcedurePage.objects.get(national_code="2.000815")
    assert second.implementing_agency == "Sở Tư pháp" and second.level == "provincial"
    amended = ProcedurePage.objects.get(pk=amended.pk)
    assert amended.title == "Đăng ký khai sinh"  # the live version is untouched …
    assert amended.workflow_in_progress
    draft = amended.get_latest_revision_as_object()
    assert draft.title == "Đăng ký khai sinh (sửa đổi 2026)"  # … the draft carries the change
    assert draft.announcement_decision.startswith("Quyết định số 2150/QĐ-UBND")
    assert ProcedurePage.objects.get(pk=abolished.pk).live  # abolition goes through approval

    tasks = {t.national_code: t for t in ProcedureUpdateTask.objects.all()}
    assert set(tasks) == {"1.013814", "2.000815", "1.001193", "1.004222"}
    assert tasks["1.013814"].kind == ChangeKind.NEW
    assert tasks["1.001193"].kind == ChangeKind.AMENDED
    assert tasks["1.004222"].kind == ChangeKind.ABOLISHED
    assert tasks["1.004222"].title == "Cần bãi bỏ"
    assert all(t.due_date == date(2027, 3, 1) for t in tasks.values())  # 3 months after 1/12

    # Not on the public site nor the API before approval.
    assert client.get(f"/api/v1/procedures/{new.pk}/").status_code == 404

    # Approval publishes the draft; the internal process is still to be updated.
    new = _approve(new, staff_a)
    assert new.live and new.title == "Đăng ký thành lập, giải thể hội"
    client.logout()
    assert client.get(f"/api/v1/procedures/{new.pk}/").json()["title"] == new.title
    task = ProcedureUpdateTask.objects.get(national_code="1.013814")
    assert task.status == TaskStatus.OPEN

    # The editor writes the internal process; its approval closes the task.
    latest = new.get_latest_revision_as_object()
    latest.process_time_limit = Decimal(5)
    latest.process_steps = [
        ProcedurePageProcessStep(
            task="Tiếp nhận hồ sơ", unit="Bộ phận Một cửa", role="Công chức", working_days=1
        )
    ]
    latest.save_revision(user=editor)
    new.get_workflow().start(new, editor)
    _approve(new, staff_a)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.closed_at is not None

    # The abolished procedure: the import asked for its withdrawal through the same approval;
    # until leadership approves it stays on the public site.
    request = WithdrawalRequest.objects.get(page_id=abolished.pk)
    assert request.requested_by == editor and request.approved_at is None
    assert "Quyết định số 2150/QĐ-UBND" in request.reason
    abolished = ProcedurePage.objects.get(pk=abolished.pk)
    assert abolished.live and abolished.workflow_in_progress
    public_url = abolished.url
    assert client.get(public_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):  # the public site learns on commit
        abolished = _approve(abolished, staff_a)
    assert not abolished.live
    request.refresh_from_db()
    assert request.approved_by == staff_a[AgencyRole.APPROVERS]
    assert client.get(public_url).status_code == 404
    assert client.get(f"/api/v1/procedures/{abolished.pk}/").status_code == 404
    codes = [p["national_code"] for p in client.get("/api/v1/procedures/").json()["results"]]
    assert "1.004222" not in codes
    withdrawn_task = ProcedureUpdateTask.objects.get(national_code="1.004222")
    assert withdrawn_task.status == TaskStatus.DONE


def test_same_file_twice_changes_nothing_the_second_time(client, agency_a, staff_a, existing):
    client.force_login(staff_a[AgencyRole.EDITORS])
    content = xlsx_bytes(DECISION_ROWS)
    first = upload(client, agency_a, "qd.xlsx", content)
    client.post(first["Location"])
    # Approving the drafts in between does not make the second import see changes.
    _approve(ProcedurePage.objects.get(national_code="1.001193"), staff_a)
    after_first = _counts()

    second = upload(client, agency_a, "qd.xlsx", content)
    assert second["Location"] == first["Location"]  # the same upload, not a new one
    preview = client.get(second["Location"]).content.decode()
    assert "Không có gì thay đổi" in preview
    assert "Nhập thành bản nháp" not in preview
    client.post(second["Location"])
    assert _counts() == after_first


def test_editor_of_another_agency_cannot_import_or_preview(
    client, agency_a, agency_b, staff_a, staff_b, existing
):
    client.force_login(staff_a[AgencyRole.EDITORS])
    location = upload(client, agency_a, "qd.xlsx", xlsx_bytes(DECISION_ROWS))["Location"]
    client.force_login(staff_b[AgencyRole.EDITORS])
    for response in (
        client.get(location),
        client.post(location),
        upload(client, agency_a, "qd.xlsx", xlsx_bytes(DECISION_ROWS)),
        client.get(reverse("iso_catalogue_tasks", args=[agency_a.pk])),
        client.get(reverse("iso_catalogue", args=[agency_a.pk]) + "?xuat=json"),
    ):
        _refused(response)
    # A reviewer of the agency itself reads tasks but does not import.
    client.force_login(staff_a[AgencyRole.REVIEWERS])
    _refused(upload(client, agency_a, "qd.xlsx", xlsx_bytes(DECISION_ROWS)))
    assert client.get(reverse("iso_catalogue_tasks", args=[agency_a.pk])).status_code == 200
    assert ProcedureUpdateTask.objects.count() == 0


def test_province_administrator_imports_for_any_agency(client, agency_a, agency_b, staff_b):
    from django.contrib.auth.models import Group

    from tests.factories import make_user
    from workflows.provisioning import PROVINCE_ADMINS

    province = make_user("tinh.quantri", Group.objects.get(name=PROVINCE_ADMINS))
    client.force_login(province)
    html = client.get(reverse("iso_catalogue_index")).content.decode()
    assert agency_a.title in html and agency_b.title in html
    page = client.get(reverse("iso_catalogue", args=[agency_b.pk])).content.decode()
    assert "Xem trước thay đổi" in page and "Xuất JSON" in page
    # The ward's own list (a file naming Sở Tư pháp's rows would leave them to Sở Tư pháp).
    rows = rows_for(agency_b.title)
    location = upload(client, agency_b, "qd.xlsx", xlsx_bytes(rows))["Location"]
    assert client.post(location).status_code == 302
    assert ProcedurePage.objects.descendant_of(agency_b).filter(national_code="1.013814").exists()
    assert not ProcedurePage.objects.descendant_of(agency_a).exists()
    # The agency's own editor (one agency) goes straight to it.
    client.force_login(staff_b[AgencyRole.EDITORS])
    response = client.get(reverse("iso_catalogue_index"))
    assert response["Location"] == reverse("iso_catalogue", args=[agency_b.pk])


def test_an_imported_draft_saved_unchanged_in_the_editor_is_no_edit():
    """The import writes 7 and 0.5, the editor's form saves 7.00 and 0.50, and a dossier
    component saved before «alternative_forms» existed lacks it: the same content, so an
    approver who presses «Phê duyệt» in the editor is not counted as a writer."""
    from content_types.content_compare import content_normalised

    imported = {
        "process_time_limit": "8",
        "channels": '[{"type": "c", "value": {"time_limit": "7", "fee_items": []}}]',
        "process_steps": [{"working_days": "0.5", "task": "Tiếp nhận"}],
    }
    saved = {
        "process_time_limit": "8.00",
        "channels": '[{"type": "c", "value": {"time_limit": "7.00"}}]',
        "process_steps": [{"working_days": "0.50", "task": "Tiếp nhận"}],
    }
    assert content_normalised(imported) == content_normalised(saved)
    assert content_normalised({**saved, "process_time_limit": "8.50"}) != content_normalised(
        imported
    )
