"""A leader approves from «Việc cần làm» through the admin's own views, as the real roles: the
step awaiting him is on his first screen with «Xem và phê duyệt», that link opens the review
screen with Wagtail's own approve and request-changes actions, approving there publishes the
version; another agency's approver neither sees it nor reaches it."""

from __future__ import annotations

import re

from django.urls import reverse

import pytest

from content_types.agency import AgencyRole
from content_types.documents import ControlledDocumentPage
from tests.factories import make_draft_document

EDITORS, REVIEWERS, APPROVERS = AgencyRole.EDITORS, AgencyRole.REVIEWERS, AgencyRole.APPROVERS
ADMINISTRATORS = AgencyRole.ADMINISTRATORS


def _awaiting_leadership(client, agency, staff, title: str) -> ControlledDocumentPage:
    """A document submitted by the editor and passed by the reviewer in the admin."""
    page = make_draft_document(agency, staff[EDITORS], title=title)
    page.get_workflow().start(page, staff[EDITORS])
    client.force_login(staff[REVIEWERS])
    state = ControlledDocumentPage.objects.get(pk=page.pk).current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk])
    assert client.post(url, {"comment": "Đạt."}).status_code == 302
    return ControlledDocumentPage.objects.get(pk=page.pk)


def _form_actions(html: str) -> list[str]:
    return re.findall(r'<form method="post" action="([^"?]+)', html)


@pytest.mark.django_db
def test_leader_approves_in_two_clicks_from_the_workspace(client, agency_a, staff_a, staff_b):
    page = _awaiting_leadership(client, agency_a, staff_a, "Sổ tay chất lượng")
    review_url = reverse("iso_approval", args=[page.pk])
    step = page.current_workflow_task_state

    # The leader's first screen lists it first, with the button to the review screen.
    client.force_login(staff_a[APPROVERS])
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Chờ bạn duyệt (1)" in home
    assert "Duyệt «Sổ tay chất lượng» (bước «Lãnh đạo phê duyệt»)" in home
    assert f'<a class="button iso-ws-action" href="{review_url}">Xem và phê duyệt</a>' in home

    # Click one: the review screen, with what changed and Wagtail's own two actions.
    screen = client.get(review_url)
    assert screen.status_code == 200
    body = screen.content.decode()
    assert "Bước: <strong>Lãnh đạo phê duyệt</strong>" in body
    assert "Tóm tắt thay đổi:</strong> Ban hành lần đầu." in body
    approve = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", step.pk])
    reject = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "reject", step.pk])
    assert _form_actions(body) == [approve, reject]
    assert "Phê duyệt</button>" in body and "Yêu cầu chỉnh sửa</button>" in body
    preview = client.get(
        reverse("wagtailadmin_pages:workflow_preview", args=[page.pk, step.task_id])
    )
    assert preview.status_code == 200 and "Nội dung" in preview.content.decode()

    # Click two: approve, through Wagtail's workflow action; the version takes effect.
    done = client.post(approve, {"comment": "Đồng ý ban hành.", "next": review_url})
    assert done.status_code == 302 and done.url == review_url
    page = ControlledDocumentPage.objects.get(pk=page.pk)
    assert page.live and not page.has_unpublished_changes
    assert page.current_workflow_state is None
    assert page.live_revision.approved_go_live_at is None
    after = client.get(review_url).content.decode()
    assert "Bạn đã phê duyệt «Sổ tay chất lượng»" in after
    assert "Đã phê duyệt và ban hành: phiên bản này đang có hiệu lực." in after
    assert "Ý kiến của bạn: Đồng ý ban hành." in after
    # It has left his list.
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Chờ bạn duyệt" not in home and review_url not in home


@pytest.mark.django_db
def test_request_changes_with_a_comment_returns_it_to_the_editor(client, agency_a, staff_a):
    page = _awaiting_leadership(client, agency_a, staff_a, "Quy trình kiểm soát tài liệu")
    step = page.current_workflow_task_state
    review_url = reverse("iso_approval", args=[page.pk])
    client.force_login(staff_a[APPROVERS])
    reject = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "reject", step.pk])
    assert reject in _form_actions(client.get(review_url).content.decode())
    response = client.post(reject, {"comment": "Bổ sung căn cứ pháp lý.", "next": review_url})
    assert response.status_code == 302
    page = ControlledDocumentPage.objects.get(pk=page.pk)
    assert not page.live
    state = page.workflow_states.order_by("-created_at").first()
    assert state.status == state.STATUS_NEEDS_CHANGES
    after = client.get(review_url).content.decode()
    assert "Bạn đã yêu cầu chỉnh sửa" in after and "Bổ sung căn cứ pháp lý." in after


@pytest.mark.django_db
def test_another_agency_and_the_submitter_neither_see_nor_reach_it(
    client, agency_a, staff_a, staff_b
):
    page = _awaiting_leadership(client, agency_a, staff_a, "Sổ tay chất lượng")
    step = page.current_workflow_task_state
    review_url = reverse("iso_approval", args=[page.pk])
    approve = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", step.pk])
    for user in (staff_b[APPROVERS], staff_b[ADMINISTRATORS], staff_a[EDITORS]):
        client.force_login(user)
        home = client.get(reverse("wagtailadmin_home")).content.decode()
        assert review_url not in home and "Sổ tay chất lượng" not in home, user
        refused = client.get(review_url)
        assert refused.status_code in (302, 403), user
        if refused.status_code == 302:
            assert refused.url == reverse("wagtailadmin_home")
        assert "Sổ tay chất lượng" not in client.get(reverse("wagtailadmin_home")).content.decode()
        client.post(approve, {"comment": "Tự duyệt", "next": review_url})
        assert not ControlledDocumentPage.objects.get(pk=page.pk).live, user
    client.logout()
    assert client.get(review_url).status_code == 302
    assert client.get(reverse("iso_approval", args=[999999])).status_code == 302  # to sign-in
    client.force_login(staff_a[APPROVERS])
    assert client.get(reverse("iso_approval", args=[999999])).status_code == 404
