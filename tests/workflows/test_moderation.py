"""The moderation path through the admin's own views: submit → review → leadership approval."""

from django.core import mail
from django.urls import reverse

from wagtail.models import WorkflowState

import pytest

from content_types.agency import AgencyRole
from content_types.documents import ControlledDocumentPage
from tests.factories import document_form_data, make_draft_document, make_user

EDITORS, REVIEWERS, APPROVERS = AgencyRole.EDITORS, AgencyRole.REVIEWERS, AgencyRole.APPROVERS


def _edit(client, page, action: str | None = None, **overrides):
    data = document_form_data(page, **overrides)
    if action:
        data[action] = "1"
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def _act(client, page, action: str, comment: str = ""):
    page = ControlledDocumentPage.objects.get(pk=page.pk)
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return client.post(url, {"comment": comment})


def assert_refused(response) -> None:
    """Wagtail's admin answers a refused action with 403, or a redirect to the dashboard."""
    if response.status_code == 302:
        assert response.url == reverse("wagtailadmin_home")
    else:
        assert response.status_code == 403


def _reload(page) -> ControlledDocumentPage:
    return ControlledDocumentPage.objects.get(pk=page.pk)


@pytest.fixture
def draft(agency_a, staff_a):
    return make_draft_document(agency_a, staff_a[EDITORS])


def test_full_path_submit_review_approve_goes_live(
    client, draft, staff_a, django_capture_on_commit_callbacks
):
    editor, reviewer, approver = staff_a[EDITORS], staff_a[REVIEWERS], staff_a[APPROVERS]

    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = _edit(client, draft, "action-submit", title="Sổ tay chất lượng (bản 1)")
    assert response.status_code == 302
    page = _reload(draft)
    assert not page.live
    assert page.current_workflow_task.name.startswith("Kiểm tra")
    # The reviewer is told a revision waits for them; the editor is not mailed about their own act.
    assert [m.to for m in mail.outbox] == [[reviewer.email]]
    assert "Sổ tay chất lượng (bản 1)" in mail.outbox[0].subject

    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        assert _act(client, page, "approve", "Đạt yêu cầu.").status_code == 302
    page = _reload(draft)
    assert not page.live
    assert page.current_workflow_task.name.startswith("Lãnh đạo phê duyệt")
    assert mail.outbox[-1].to == [approver.email]

    client.force_login(approver)
    with django_capture_on_commit_callbacks(execute=True):
        assert _act(client, page, "approve", "Đồng ý ban hành.").status_code == 302
    page = _reload(draft)
    assert page.live
    assert page.title == "Sổ tay chất lượng (bản 1)"
    assert page.live_revision.approved_go_live_at is None
    assert page.current_workflow_state is None
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_APPROVED
    assert mail.outbox[-1].to == [editor.email]
    assert "Đã phê duyệt" in mail.outbox[-1].subject


def test_rejection_at_leadership_step_returns_to_editor_with_comment(
    client, draft, staff_a, django_capture_on_commit_callbacks
):
    editor, reviewer, approver = staff_a[EDITORS], staff_a[REVIEWERS], staff_a[APPROVERS]
    client.force_login(editor)
    _edit(client, draft, "action-submit")
    client.force_login(reviewer)
    _act(client, draft, "approve")
    mail.outbox.clear()

    client.force_login(approver)
    comment = "Đề nghị bổ sung phạm vi áp dụng."
    with django_capture_on_commit_callbacks(execute=True):
        assert _act(client, draft, "reject", comment).status_code == 302

    page = _reload(draft)
    assert not page.live
    state = page.current_workflow_state
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.comment == comment
    # The editor is notified, with the comment and the step that returned it.
    assert [m.to for m in mail.outbox] == [[editor.email]]
    assert comment in mail.outbox[0].body
    assert "Lãnh đạo phê duyệt" in mail.outbox[0].body

    # The editor sees the comment in the editor and can resubmit.
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert comment in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _edit(client, page, "action-submit", title="Sổ tay chất lượng (đã bổ sung)")
    assert _reload(draft).current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_rejection_at_review_step_notifies_editor(
    client, draft, staff_a, django_capture_on_commit_callbacks
):
    editor, reviewer = staff_a[EDITORS], staff_a[REVIEWERS]
    client.force_login(editor)
    _edit(client, draft, "action-submit")
    mail.outbox.clear()
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        _act(client, draft, "reject", "Sai mã hiệu.")
    assert [m.to for m in mail.outbox] == [[editor.email]]
    assert "Sai mã hiệu." in mail.outbox[0].body


def test_editor_cannot_publish(client, draft, staff_a):
    client.force_login(staff_a[EDITORS])
    response = client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk]))
    assert 'name="action-publish"' not in response.content.decode()
    _edit(client, draft, "action-publish", title="Xuất bản trái phép")
    page = _reload(draft)
    assert not page.live
    assert page.live_revision is None


def test_nobody_approves_their_own_submission(agency_a, staff_a, client):
    """Separation of duties, even for a user who is also in the approving groups."""
    both = make_user(
        "kiemnhiem",
        agency_a.role_group(EDITORS),
        agency_a.role_group(REVIEWERS),
        agency_a.role_group(APPROVERS),
    )
    draft = make_draft_document(agency_a, both)
    client.force_login(both)
    _edit(client, draft, "action-submit")
    page = _reload(draft)
    task_state = page.current_workflow_task_state

    assert page.current_workflow_task.get_actions(page, both) == []
    response = _act(client, page, "approve", "Tự duyệt")
    assert_refused(response)
    task_state.refresh_from_db()
    assert task_state.status == task_state.STATUS_IN_PROGRESS
    # Not offered on the dashboard either.
    assert not page.current_workflow_task.get_task_states_user_can_moderate(both).exists()

    # Another reviewer can take it.
    reviewer = staff_a[REVIEWERS]
    client.force_login(reviewer)
    assert _act(client, page, "approve").status_code == 302
    # ...but the submitter cannot take the leadership step either.
    client.force_login(both)
    assert_refused(_act(client, page, "approve"))
    assert not _reload(draft).live


def test_superuser_cannot_approve_own_submission(agency_a, client, django_user_model):
    boss = django_user_model.objects.create_superuser("sieuquantri", "s@example.vn", "x")
    draft = make_draft_document(agency_a, boss)
    client.force_login(boss)
    _edit(client, draft, "action-submit")
    assert_refused(_act(client, draft, "approve"))
    assert not _reload(draft).live
