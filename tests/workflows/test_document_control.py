"""Document control as the editor and the ISO officer see it: the effective date written with the
version, a fresh change summary per version, and one status for a version wherever it is shown
(master list, its XLSX, version history, version view, public page), decided at the instant."""

from __future__ import annotations

import re
from datetime import timedelta
from io import BytesIO

from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine

from content_types.agency import AgencyRole
from content_types.documents import FormDocumentPage
from content_types.versions import DocumentVersion
from tests.factories import make_form

EDITORS, REVIEWERS, APPROVERS = AgencyRole.EDITORS, AgencyRole.REVIEWERS, AgencyRole.APPROVERS
ADMINISTRATORS = AgencyRole.ADMINISTRATORS


def _form(page_or_id) -> FormDocumentPage:
    return FormDocumentPage.objects.get(pk=getattr(page_or_id, "pk", page_or_id))


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def form_post(client, page, *, action: str | None = None, **overrides):
    """The editor form of a form page, as the browser posts it (from the latest revision)."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    latest = _form(page).get_latest_revision_as_object()
    go_live = (
        latest.go_live_at if latest.go_live_at and latest.go_live_at > timezone.now() else None
    )
    data = {
        "title": latest.title,
        "slug": latest.slug,
        "code": latest.code,
        "change_summary": latest.change_summary,
        "file": latest.file_id or "",
        "legal_basis": latest.legal_basis,
        "effective_at": _local(go_live) if go_live else "",
        "comments": inline_formset([]),
    }
    data.update(overrides)
    if action:
        data[action] = "1"
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), nested_form_data(data))


def approve(client, page, user):
    client.force_login(user)
    task_state = _form(page).current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    response = client.post(url, {"comment": ""})
    assert response.status_code == 302
    return response


def submit_and_approve(client, page, staff, **fields):
    client.force_login(staff[EDITORS])
    response = form_post(client, page, action="action-submit", **fields)
    assert response.status_code == 302, response.content.decode()[-3000:]
    approve(client, page, staff[REVIEWERS])
    approve(client, page, staff[APPROVERS])


# --- the effective date and the change summary ---------------------------------------------


def test_effective_date_is_a_vietnamese_field_of_the_forms_own_panel(client, agency_a, staff_a):
    form = make_form(agency_a, staff_a[EDITORS])
    client.force_login(staff_a[EDITORS])
    html = client.get(reverse("wagtailadmin_pages:edit", args=[form.pk])).content.decode()
    assert "Ngày hiệu lực" in html
    assert html.count('name="effective_at"') == 1
    assert 'name="go_live_at"' not in html and 'name="expire_at"' not in html
    assert "schedule-publishing-dialog" not in html
    assert "Thời điểm xuất bản" not in html


def test_a_scheduled_version_takes_effect_at_the_date_written_in_the_form(
    client, agency_a, staff_a
):
    form = make_form(agency_a, staff_a[EDITORS], title="Tờ khai mẫu cũ")
    submit_and_approve(client, form, staff_a)
    effective = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    submit_and_approve(
        client,
        form,
        staff_a,
        title="Tờ khai mẫu mới",
        change_summary="Theo Thông tư 53/2025/TT-BCA.",
        effective_at=_local(effective),
    )
    version = DocumentVersion.objects.get(page_id=form.pk, issue_number=2)
    assert version.effective_from == effective
    assert _form(form).title == "Tờ khai mẫu cũ"  # still in force until then

    # The page is locked while it waits: the editor is told why and how to change the date.
    client.force_login(staff_a[EDITORS])
    html = client.get(reverse("wagtailadmin_pages:edit", args=[form.pk])).content.decode()
    assert "trang bị khoá để nội dung đã duyệt không bị sửa" in html
    assert "Muốn đổi ngày hiệu lực" in html
    assert "Huỷ lịch hiệu lực</button>" not in html  # editors ask leadership
    response = client.post(reverse("iso_schedule_cancel", args=[form.pk]))
    assert _form(form).scheduled_revision is not None

    # The leader takes the schedule back; the editor dates it anew and resubmits.
    client.force_login(staff_a[APPROVERS])
    html = client.get(reverse("wagtailadmin_pages:edit", args=[form.pk])).content.decode()
    assert "Huỷ lịch hiệu lực</button>" in html
    response = client.post(reverse("iso_schedule_cancel", args=[form.pk]))
    assert response.status_code == 302
    assert _form(form).scheduled_revision is None
    assert not DocumentVersion.objects.filter(page_id=form.pk, issue_number=2).exists()
    later = effective + timedelta(days=2)
    submit_and_approve(client, form, staff_a, effective_at=_local(later))
    assert DocumentVersion.objects.get(page_id=form.pk, issue_number=2).effective_from == later


def test_no_stale_past_date_on_a_new_draft_and_a_past_date_is_refused(client, agency_a, staff_a):
    start = timezone.now().replace(second=0, microsecond=0)
    effective = start + timedelta(days=1)
    with time_machine.travel(start, tick=False):
        form = make_form(agency_a, staff_a[EDITORS], title="Đơn lần 1")
        submit_and_approve(client, form, staff_a, effective_at=_local(effective))
    with time_machine.travel(effective + timedelta(hours=1), tick=False):
        from workflows.tasks import publish_scheduled

        publish_scheduled.delay()
        assert _form(form).live
        client.force_login(staff_a[EDITORS])
        html = client.get(reverse("wagtailadmin_pages:edit", args=[form.pk])).content.decode()
        field = re.search(r'<input[^>]*name="effective_at"[^>]*>', html).group(0)
        assert 'value="' not in field or 'value=""' in field  # the past date is not carried on

        # Writing a date already past is refused, in Vietnamese, and nothing is submitted.
        response = form_post(
            client,
            form,
            action="action-submit",
            title="Đơn lần 2",
            change_summary="Sửa mục 2.",
            effective_at=_local(start),
        )
        assert response.status_code == 200
        assert "Ngày hiệu lực đã qua" in response.content.decode()
        assert _form(form).current_workflow_state is None


def test_each_new_version_starts_with_an_empty_change_summary_and_needs_one(
    client, agency_a, staff_a
):
    form = make_form(agency_a, staff_a[EDITORS], title="Đơn đề nghị")
    submit_and_approve(client, form, staff_a)  # version 01: «Ban hành lần đầu.»
    client.force_login(staff_a[EDITORS])
    html = client.get(reverse("wagtailadmin_pages:edit", args=[form.pk])).content.decode()
    summary = re.search(r'<textarea[^>]*name="change_summary"[^>]*>(.*?)</textarea>', html, re.S)
    assert summary.group(1).strip() == ""

    # Submitting without a summary: refused with the reason, and nothing starts.
    response = form_post(client, form, action="action-submit", title="Đơn đề nghị (mới)",
                         change_summary="")  # fmt: skip
    assert response.status_code == 200
    assert "Hãy ghi «Tóm tắt thay đổi»" in response.content.decode()
    assert _form(form).current_workflow_state is None

    # A draft may be saved without one; the summary written is kept for the submission.
    assert form_post(client, form, title="Đơn đề nghị (mới)", change_summary="").status_code == 302
    submit_and_approve(client, form, staff_a, change_summary="Bổ sung mục 4.")
    assert DocumentVersion.objects.get(page_id=form.pk, issue_number=2).change_summary == (
        "Bổ sung mục 4."
    )


# --- one status everywhere, at the instant -------------------------------------------------


def _master_list_row(html: str, code: str) -> list[str]:
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", html, re.S) if f"<td>{code}</td>" in r)
    return [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)
    ]


def _xlsx_row(content: bytes, code: str) -> list:
    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return next(row for row in rows if row[1] == code)


def _history_statuses(html: str) -> list[str]:
    return re.findall(r'<span class="w-status[^"]*">([^<]+)</span>', html)


def _public_title(client, form) -> str | None:
    from django.test import Client

    response = Client().get(_form(form).url)
    if response.status_code != 200:
        return None
    return response.content.decode().split("<h1>")[1].split("</h1>")[0].strip()


@pytest.fixture
def scheduled_form(client, agency_a, staff_a):
    """Version 01 in force, version 02 approved through the views to take effect at T."""
    start = timezone.now().replace(second=0, microsecond=0)
    moment = start + timedelta(days=2)
    with time_machine.travel(start, tick=False):
        form = make_form(agency_a, staff_a[EDITORS], code="BM.07", title="Tờ khai mẫu 2023")
        submit_and_approve(client, form, staff_a)
        submit_and_approve(
            client,
            form,
            staff_a,
            title="Tờ khai mẫu 2025",
            change_summary="Theo mẫu mới.",
            effective_at=_local(moment),
        )
    return form, moment


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_master_list_xlsx_history_and_public_page_agree_at_the_moment(
    client, agency_a, staff_a, scheduled_form, offset
):
    form, moment = scheduled_form
    instant = moment + timedelta(seconds=offset)
    in_force = "Tờ khai mẫu 2023" if instant < moment else "Tờ khai mẫu 2025"
    issue = "01" if instant < moment else "02"
    with time_machine.travel(instant, tick=False):
        client.force_login(staff_a[REVIEWERS])
        url = reverse("iso_master_list", args=[agency_a.pk])
        row = _master_list_row(client.get(url).content.decode(), "BM.07")
        assert row[1] == in_force and row[3] == issue and row[5] == "Đang hiệu lực", row
        if instant < moment:
            assert row[6].startswith("Lần 02 chờ hiệu lực từ")
        else:
            assert row[6] == "—"

        xlsx = _xlsx_row(client.get(url, {"xuat": "xlsx"}).content, "BM.07")
        assert (xlsx[2], xlsx[4], xlsx[6]) == (in_force, issue, "Đang hiệu lực")

        history = client.get(reverse("iso_version_history", args=[form.pk])).content.decode()
        expected = (
            ["Đang hiệu lực", "Chờ hiệu lực"]
            if instant < moment
            else ["Hết hiệu lực", "Đang hiệu lực"]
        )
        assert _history_statuses(history) == expected

        second = client.get(reverse("iso_version_detail", args=[form.pk, 2])).content.decode()
        first = client.get(reverse("iso_version_detail", args=[form.pk, 1])).content.decode()
        if instant < moment:
            assert "Chờ hiệu lực từ" in second and "HẾT HIỆU LỰC" not in first
        else:
            assert "Đang hiệu lực." in second and "HẾT HIỆU LỰC" in first

        assert _public_title(client, form) == in_force


def test_a_first_version_is_never_shown_in_force_before_its_moment(client, agency_a, staff_a):
    start = timezone.now().replace(second=0, microsecond=0)
    moment = start + timedelta(days=1)
    with time_machine.travel(start, tick=False):
        form = make_form(agency_a, staff_a[EDITORS], code="BM.08", title="Mẫu mới hoàn toàn")
        submit_and_approve(client, form, staff_a, effective_at=_local(moment))
    url = reverse("iso_master_list", args=[agency_a.pk])
    with time_machine.travel(moment - timedelta(seconds=1), tick=False):
        client.force_login(staff_a[EDITORS])
        row = _master_list_row(client.get(url).content.decode(), "BM.08")
        assert row[5] == "Chờ hiệu lực" and row[3] == "01"
        assert _xlsx_row(client.get(url, {"xuat": "xlsx"}).content, "BM.08")[6] == "Chờ hiệu lực"
        assert _public_title(client, form) is None
    with time_machine.travel(moment + timedelta(minutes=1), tick=False):
        from workflows.tasks import publish_scheduled

        publish_scheduled.delay()
        row = _master_list_row(client.get(url).content.decode(), "BM.08")
        assert row[5] == "Đang hiệu lực"
        assert _public_title(client, form) == "Mẫu mới hoàn toàn"
