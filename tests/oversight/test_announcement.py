"""The announcement decision: drafted in the admin, approved by leadership, shown on the agency's
portal with its signed file once live (never as a draft), flagged for re-announcement when the
agency's live procedures change."""

from __future__ import annotations

from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset, nested_form_data

import pytest

from content_types.agency import AgencyRole
from content_types.announcement import AnnouncementPage
from tests.factories import quality_system
from tests.quality.conftest import add_page, approve_through_admin
from tests.themes.builders import make_file, make_procedure
from workflows.oversight.dashboard import dashboard_build

EDITORS = AgencyRole.EDITORS


def announcement_data(procedures, signed_file, **overrides) -> dict:
    data = {
        "title": "Quyết định công bố HTQLCL phù hợp TCVN ISO 9001:2015",
        "slug": "quyet-dinh-cong-bo-htqlcl",
        "number": "125/QĐ-STP",
        "decision_date": "2026-03-02",
        "effective_date": "2026-03-02",
        "signer_title": "GIÁM ĐỐC",
        "signer_name": "Nguyễn Văn An",
        "standard": "TCVN ISO 9001:2015",
        "internal_activities": "Quản lý văn bản đi, đến\nQuản lý tài chính, tài sản",
        "signed_file": signed_file.pk,
        "comments": inline_formset([]),
    }
    chosen = overrides.pop("scope", [p.pk for p in procedures])
    data.update(overrides)
    data = nested_form_data(data)
    data["procedures"] = chosen  # a multiple choice: one value per procedure
    return data


@pytest.fixture
def signed_file(agency_a):
    return make_file(agency_a, "quyet-dinh-125.pdf", b"%PDF-1.4 signed decision 125")


def _announce(client, agency, staff, procedures, signed_file) -> AnnouncementPage:
    client.force_login(staff[EDITORS])
    response = add_page(
        client,
        AnnouncementPage,
        quality_system(agency),
        announcement_data(procedures, signed_file),
    )
    assert response.status_code == 302, response.context["form"].errors
    return AnnouncementPage.objects.descendant_of(agency).get()


def test_approved_announcement_is_public_never_as_a_draft(
    client, agency_a, staff_a, procedures_a, signed_file, django_capture_on_commit_callbacks
):
    page = _announce(client, agency_a, staff_a, procedures_a, signed_file)
    client.logout()
    portal = client.get(agency_a.url).content.decode()
    assert "125/QĐ-STP" not in portal  # submitted, not yet approved
    assert client.get(signed_file.url).status_code != 200

    with django_capture_on_commit_callbacks(execute=True):  # the public cache moves on
        approve_through_admin(client, page, staff_a)
    page = AnnouncementPage.objects.get(pk=page.pk)
    assert page.live
    client.logout()
    portal = client.get(agency_a.url).content.decode()
    assert "Số 125/QĐ-STP ngày 02/03/2026" in portal
    assert "Phạm vi áp dụng: 2 thủ tục hành chính" in portal
    # Shown once, in the page's content (it was also written into the body's class attribute).
    assert portal.count('id="cong-bo"') == 1
    assert "Chứng thực bản sao" in portal and "Quản lý tài chính, tài sản" in portal
    download = client.get(signed_file.url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 signed decision 125"

    # A later draft revision never reaches the portal.
    draft = page.get_latest_revision_as_object()
    draft.number = "200/QĐ-STP"
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision(user=staff_a[EDITORS])
    assert "200/QĐ-STP" not in client.get(agency_a.url).content.decode()


def test_the_history_records_the_approval(client, agency_a, staff_a, procedures_a, signed_file):
    page = _announce(client, agency_a, staff_a, procedures_a, signed_file)
    approve_through_admin(client, page, staff_a)
    client.force_login(staff_a[EDITORS])
    history = client.get(reverse("wagtailadmin_pages:history", args=[page.pk]))
    assert history.status_code == 200
    assert "Đồng ý." in history.content.decode()  # the leadership's approval comment
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert editor.status_code == 200
    html = editor.content.decode()
    assert "1.001193 — Đăng ký khai sinh" in html  # the scope offers the live procedures


def test_dashboard_counts_the_record_and_flags_a_changed_scope(
    client, agency_a, agency_b, staff_a, procedures_a, signed_file
):
    page = _announce(client, agency_a, staff_a, procedures_a[:1], signed_file)
    approve_through_admin(client, page, staff_a)
    year = 2026 if page.effective_date.year == 2026 else page.effective_date.year

    def status():
        dashboard = dashboard_build(year=year)
        index = [item.key for item in dashboard.items].index("announcement")
        return {row.agency.pk: row.statuses[index] for row in dashboard.rows}

    found = status()
    assert found[agency_a.pk].done and not found[agency_b.pk].done
    # procedures_a[1] is live but outside the scope chosen: re-announce.
    assert "1 thủ tục mới chưa thuộc phạm vi" in found[agency_a.pk].warning
    assert "Quyết định số 125/QĐ-STP" in found[agency_a.pk].detail

    # Abolishing the covered one is a change too.
    procedures_a[0].unpublish()
    warning = status()[agency_a.pk].warning
    assert "1 thủ tục trong phạm vi đã bãi bỏ" in warning and "cần công bố lại" in warning


def test_scope_matching_the_live_procedures_has_no_warning(
    client, agency_a, staff_a, procedures_a, signed_file
):
    page = _announce(client, agency_a, staff_a, procedures_a, signed_file)
    approve_through_admin(client, page, staff_a)
    dashboard = dashboard_build(year=page.effective_date.year, agency_ids=[agency_a.pk])
    index = [item.key for item in dashboard.items].index("announcement")
    assert dashboard.rows[0].statuses[index].done
    assert dashboard.rows[0].statuses[index].warning == ""
    make_procedure(agency_a, [], code="1.000001", title="Đăng ký kết hôn")
    dashboard = dashboard_build(year=page.effective_date.year, agency_ids=[agency_a.pk])
    assert "cần công bố lại" in dashboard.rows[0].statuses[index].warning


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"effective_date": "2026-03-01"}, "Ngày hiệu lực không được trước ngày ký quyết định."),
        ({"scope": []}, "Phạm vi áp dụng phải có ít nhất một thủ tục hành chính."),
        ({"number": ""}, "Trường này là bắt buộc"),
    ],
)
def test_bad_input_is_refused_in_vietnamese(
    client, agency_a, staff_a, procedures_a, signed_file, overrides, message
):
    client.force_login(staff_a[EDITORS])
    response = add_page(
        client,
        AnnouncementPage,
        quality_system(agency_a),
        announcement_data(procedures_a, signed_file, **overrides),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AnnouncementPage.objects.exists()


def test_another_agencys_procedure_cannot_be_in_the_scope(
    client, agency_a, staff_a, procedures_a, procedures_b, signed_file
):
    client.force_login(staff_a[EDITORS])
    response = add_page(
        client,
        AnnouncementPage,
        quality_system(agency_a),
        announcement_data([*procedures_a, *procedures_b], signed_file),
    )
    assert response.status_code == 200
    assert "không thuộc các thủ tục đang công khai của cơ quan" in response.content.decode()
    assert not AnnouncementPage.objects.exists()
