"""«Việc cần làm»: the first screen lists exactly what is due for the signed-in user's agency,
overdue first, and nothing of another agency; it replaces Wagtail's panels for agency staff."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from content_types.agency import AgencyRole
from content_types.quality.action import QualityAction
from tests.factories import make_draft_document, make_user
from tests.workspace.builders import TODAY, at
from workflows.provisioning import PROVINCE_ADMINS
from workflows.workspace.feedback import FeedbackInput, feedback_submit
from workflows.workspace.screen import workspace_build

EDITORS, REVIEWERS, APPROVERS = AgencyRole.EDITORS, AgencyRole.REVIEWERS, AgencyRole.APPROVERS


def _titles(items) -> list[str]:
    return [shown.item.title for shown in items]


@pytest.mark.django_db
def test_the_iso_officer_sees_exactly_the_agencys_due_work(due_a, due_b, staff_a):
    with at(TODAY):
        screen = workspace_build(user=staff_a[EDITORS], today=TODAY)
    assert _titles(screen.overdue) == [
        "Rà soát định kỳ «Sổ tay chất lượng A» (ST.01)",  # due 01/02/2027
        "Hành động «Nhắc hạn hồ sơ A»",  # due 05/03/2027
        "Trả lời phản ánh về «Đăng ký khai sinh A»",  # sent 01/03, 10 days to answer
    ]
    assert [s.when for s in screen.overdue] == [
        "Quá hạn 42 ngày",
        "Quá hạn 10 ngày",
        "Quá hạn 4 ngày",
    ]
    assert _titles(screen.due_soon) == ["Rà soát định kỳ «Tờ khai A» (BM.A-01)"]
    assert screen.due_soon[0].when == "Hạn 20/03/2027 (còn 5 ngày)"
    assert _titles(screen.waiting) == ["Sự không phù hợp NC-2027-001: Hồ sơ trễ hạn A"]
    everything = " ".join(_titles([*screen.overdue, *screen.due_soon, *screen.waiting]))
    assert " B" not in everything and "B»" not in everything
    # Neither the action due in May, nor the policy approved in January (due 2028).
    assert "Đào tạo lại A" not in everything and "Chính sách" not in everything


@pytest.mark.django_db
def test_each_role_sees_its_own_share(due_a, staff_a):
    with at(TODAY):
        reviewer = workspace_build(user=staff_a[REVIEWERS], today=TODAY)
        approver = workspace_build(user=staff_a[APPROVERS], today=TODAY)
    # The reviewer owns the overdue action; documents and citizens are not theirs to answer.
    assert _titles(reviewer.overdue) == ["Hành động «Nhắc hạn hồ sơ A»"]
    assert reviewer.due_soon == [] and reviewer.waiting == []
    # Leadership reviews documents and answers citizens, but does not own that action.
    assert "Hành động «Nhắc hạn hồ sơ A»" not in _titles(approver.overdue)
    assert "Rà soát định kỳ «Sổ tay chất lượng A» (ST.01)" in _titles(approver.overdue)


@pytest.mark.django_db
def test_what_awaits_my_approval_is_listed_for_the_step_s_group_only(
    agency_a, agency_b, staff_a, staff_b
):
    page = make_draft_document(agency_a, staff_a[EDITORS], title="Quy trình tiếp nhận hồ sơ")
    page.get_workflow().start(page, staff_a[EDITORS])
    today = date.today()
    reviewer = workspace_build(user=staff_a[REVIEWERS], today=today)
    assert [s.item.title for s in reviewer.waiting] == [
        "Duyệt «Quy trình tiếp nhận hồ sơ» (bước «Kiểm tra»)"
    ]
    assert reviewer.waiting[0].item.url == reverse("iso_approval", args=[page.pk])
    # The submitter cannot approve their own work; nor can the next step yet, nor agency B.
    for user in (staff_a[EDITORS], staff_a[APPROVERS], staff_b[REVIEWERS]):
        screen = workspace_build(user=user, today=today)
        assert not [s for s in screen.waiting if s.item.kind == "approval"], user


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_items(due_a, agency_a, staff_a):
    def count() -> int:
        user = type(staff_a[EDITORS]).objects.get(pk=staff_a[EDITORS].pk)
        with at(TODAY), CaptureQueriesContext(connection) as queries:
            workspace_build(user=user, today=TODAY)
        return len(queries)

    before = count()
    with at(date(2027, 3, 2)):
        for n in range(6):
            QualityAction.objects.create(
                agency=agency_a,
                title=f"Hành động thêm {n}",
                owner=staff_a[REVIEWERS],
                due_date=date(2027, 3, 1 + n),
                created_by=staff_a[EDITORS],
            )
            feedback_submit(
                procedure=due_a.procedure,
                data=FeedbackInput(kind="review", rating=str(1 + n % 5), message=f"Ý kiến {n}"),
            )
    with at(TODAY):
        grown = workspace_build(user=staff_a[EDITORS], today=TODAY)
    assert len(grown.overdue) + len(grown.due_soon) > 10
    assert count() == before


@pytest.mark.django_db
def test_the_admin_opens_on_the_workspace_instead_of_wagtails_panels(client, due_a, due_b, staff_a):
    with at(TODAY):
        client.force_login(staff_a[EDITORS])
        response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    names = [getattr(panel, "name", "") for panel in response.context["panels"]]
    assert names == ["iso_workspace", "iso_moderation"]
    html = response.content.decode()
    assert "Việc cần làm" in html and "Quá hạn 42 ngày" in html
    assert html.index("Quá hạn 42 ngày") < html.index("Rà soát định kỳ «Tờ khai A»")
    assert reverse("iso_quality_action", args=[due_a.action.pk]) in html  # one click
    assert reverse("iso_document_review", args=[due_a.document.pk]) in html
    assert reverse("iso_feedback", args=[due_a.feedback.pk]) in html
    for other in ("Sổ tay chất lượng B", "Nhắc hạn hồ sơ B", "Đăng ký khai sinh B"):
        assert other not in html
    # The year at a glance: the agency's row of the province dashboard.
    assert "Năm 2027 của Sở Tư pháp thử: tình hình chung" in html
    assert "Quy trình nội bộ đầy đủ" in html


@pytest.mark.django_db
def test_a_rejection_notice_stays_beside_the_workspace(client, agency_a, staff_a):
    from tests.factories import run_workflow

    page = make_draft_document(agency_a, staff_a[EDITORS], title="Quy trình bị trả lại")
    run_workflow(page, staff_a, reject_at_step=1, comment="Thiếu lưu đồ.")
    client.force_login(staff_a[EDITORS])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Việc cần làm" in html
    assert "Bị trả lại để chỉnh sửa" in html and "Thiếu lưu đồ." in html


@pytest.mark.django_db
def test_province_administrators_keep_their_view_with_the_dashboard_link(client, home):
    admin = make_user("tinh.quantri", Group.objects.get(name=PROVINCE_ADMINS))
    client.force_login(admin)
    response = client.get(reverse("wagtailadmin_home"))
    names = [getattr(panel, "name", "") for panel in response.context["panels"]]
    assert names[0] == "iso_workspace_province" and "iso_workspace" not in names
    assert len(names) > 2  # Wagtail's own panels are still there
    assert reverse("iso_province_dashboard") in response.content.decode()
