"""The approval path as the demo's people walk it, through the admin's own views.

The leader approving from the editor (the link in the moderation e-mail) used to send a rich-text
document back to «Kiểm tra» and then lock everyone out: Draftail re-serialises the rich text on
save, which looked like an edit by the leader. These tests post the editor form exactly as the
browser does (rich text as Draftail's contentstate) for every document of the demo.
"""

from __future__ import annotations

import json

from django.core import mail
from django.urls import reverse

from wagtail.models import Page, TaskState, WorkflowState

import pytest

from content_types.agency import AgencyPage, AgencyRole
from content_types.documents import ControlledDocumentPage
from content_types.versions import DocumentVersion
from tests.factories import document_form_data, make_draft_document, make_user

EDITORS, REVIEWERS, APPROVERS = AgencyRole.EDITORS, AgencyRole.REVIEWERS, AgencyRole.APPROVERS
ADMINISTRATORS = AgencyRole.ADMINISTRATORS


def _page(page_or_id) -> ControlledDocumentPage:
    pk = getattr(page_or_id, "pk", page_or_id)
    return ControlledDocumentPage.objects.get(pk=pk)


def _form_data(page, **overrides) -> dict:
    """What the browser posts: the latest revision's content, rich text as contentstate."""
    latest = _page(page).get_latest_revision_as_object()
    return document_form_data(latest, **overrides)


def edit_view_post(client, page, **extra):
    data = _form_data(page)
    data.update(extra)
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def approve_in_editor(client, page, comment: str = ""):
    """«Phê duyệt» pressed in the editor (where the e-mail link leads)."""
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    extra = {"action-workflow-action": "1", "workflow-action-name": "approve"}
    if comment:
        extra["workflow-action-extra-data"] = json.dumps({"comment": comment})
    return edit_view_post(client, page, **extra)


def act_from_dashboard(client, page, action: str, comment: str = ""):
    """The dashboard's «Phê duyệt» / «Yêu cầu chỉnh sửa»: Wagtail's workflow action view."""
    task_state = _page(page).current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return client.post(url, {"comment": comment})


def step_name(page) -> str | None:
    task = _page(page).current_workflow_task
    return task.name.split(" — ")[0] if task else None


def history_steps(page) -> list[str]:
    """The steps started for the page's workflows, in order."""
    return [
        ts.task.name.split(" — ")[0]
        for ts in TaskState.objects.filter(workflow_state__object_id=str(page.pk))
        .exclude(status=TaskState.STATUS_CANCELLED)
        .order_by("started_at", "pk")
    ]


@pytest.fixture
def demo(db):
    from fixtures.demo import demo_load

    return demo_load()


def _people(login: str) -> dict[str, object]:
    from django.contrib.auth import get_user_model

    User = get_user_model()
    suffixes = {
        EDITORS: "bientap",
        REVIEWERS: "kiemtra",
        APPROVERS: "lanhdao",
        ADMINISTRATORS: "quantri",
    }
    return {role: User.objects.get(username=f"{login}.{s}") for role, s in suffixes.items()}


def _document(agency: AgencyPage, title_start: str) -> ControlledDocumentPage:
    return ControlledDocumentPage.objects.descendant_of(agency).get(title__startswith=title_start)


def test_every_demo_document_goes_live_through_the_editor(client, demo):
    # One demo load (it is slow) for both agencies with accounts.
    for login, code in [("stp", "STP"), ("phg", "UBND-PHG")]:
        _journeys(client, login, AgencyPage.objects.get(agency_code=code))


def _journeys(client, login: str, agency: AgencyPage) -> None:
    people = _people(login)
    editor, reviewer, leader = people[EDITORS], people[REVIEWERS], people[APPROVERS]

    # Sổ tay chất lượng waits for the leader: approving in the editor publishes it at once.
    manual = _document(agency, "Sổ tay chất lượng")
    assert step_name(manual) == "Lãnh đạo phê duyệt"
    client.force_login(leader)
    assert approve_in_editor(client, manual, "Đồng ý ban hành.").status_code == 302
    manual = _page(manual)
    assert manual.live, "approval in the editor must publish, never go back to «Kiểm tra»"
    assert manual.current_workflow_state is None
    assert history_steps(manual) == ["Kiểm tra", "Lãnh đạo phê duyệt"]
    version = DocumentVersion.objects.get(page_id=manual.pk)
    assert (version.issue_number, version.approved_by) == (1, leader)

    # Mục tiêu chất lượng waits for the reviewer: reviewer → leader, both in the editor.
    objectives = _document(agency, "Mục tiêu chất lượng")
    client.force_login(reviewer)
    assert approve_in_editor(client, objectives).status_code == 302
    assert step_name(objectives) == "Lãnh đạo phê duyệt"
    client.force_login(leader)
    assert approve_in_editor(client, objectives).status_code == 302
    assert _page(objectives).live
    assert history_steps(objectives) == ["Kiểm tra", "Lãnh đạo phê duyệt"]

    # Bối cảnh was returned by the leader: the editor revises and resubmits; changed content is
    # checked again from «Kiểm tra» (never the leader before the reviewer), then goes live.
    context = _document(agency, "Bối cảnh")
    client.force_login(editor)
    body = "<p>Các vấn đề bên ngoài, nội bộ và nhu cầu của các bên quan tâm.</p>"
    from wagtail.test.utils.form_data import rich_text

    response = edit_view_post(client, context, body=rich_text(body), **{"action-submit": "1"})
    assert response.status_code == 302
    assert step_name(context) == "Kiểm tra"
    client.force_login(reviewer)
    assert act_from_dashboard(client, context, "approve").status_code == 302
    client.force_login(leader)
    assert approve_in_editor(client, context).status_code == 302
    assert _page(context).live

    # Kế hoạch duy trì is a draft: submitted in the editor, approved from the dashboard.
    plan = _document(agency, "Kế hoạch duy trì")
    client.force_login(editor)
    assert edit_view_post(client, plan, **{"action-submit": "1"}).status_code == 302
    client.force_login(reviewer)
    assert act_from_dashboard(client, plan, "approve").status_code == 302
    client.force_login(leader)
    assert act_from_dashboard(client, plan, "approve").status_code == 302
    assert _page(plan).live

    # Every document of the demo in this agency is now live, each with its one version.
    for document in ControlledDocumentPage.objects.descendant_of(agency):
        assert document.live, document.title
        assert document.current_workflow_state is None, document.title


def test_saving_unchanged_content_during_review_is_not_an_edit(client, agency_a, staff_a):
    editor, reviewer, approver = staff_a[EDITORS], staff_a[REVIEWERS], staff_a[APPROVERS]
    draft = make_draft_document(agency_a, editor)
    client.force_login(editor)
    edit_view_post(client, draft, **{"action-submit": "1"})
    client.force_login(reviewer)
    act_from_dashboard(client, draft, "approve")

    # The leader opens the page and presses «Lưu bản nháp» without changing anything (the rich
    # text comes back re-serialised), twice: the step and the right to approve stay.
    client.force_login(approver)
    for _ in range(2):
        assert edit_view_post(client, draft).status_code == 302
    assert step_name(draft) == "Lãnh đạo phê duyệt"
    assert _page(draft).current_workflow_task.get_actions(_page(draft), approver)
    assert act_from_dashboard(client, draft, "approve").status_code == 302
    page = _page(draft)
    assert page.live
    assert history_steps(page) == ["Kiểm tra", "Lãnh đạo phê duyệt"]
    assert DocumentVersion.objects.get(page_id=page.pk).approved_by == approver


def test_an_approver_who_changes_the_content_may_not_approve_it(client, agency_a, staff_a):
    editor, reviewer, approver = staff_a[EDITORS], staff_a[REVIEWERS], staff_a[APPROVERS]
    other_leader = make_user("a.lanhdao2", agency_a.role_group(APPROVERS))
    draft = make_draft_document(agency_a, editor)
    client.force_login(editor)
    edit_view_post(client, draft, **{"action-submit": "1"})
    client.force_login(reviewer)
    act_from_dashboard(client, draft, "approve")

    client.force_login(approver)
    edit_view_post(client, draft, title="Sổ tay chất lượng (lãnh đạo sửa)")
    page = _page(draft)
    assert page.current_workflow_task.get_actions(page, approver) == []
    response = act_from_dashboard(client, draft, "approve")
    assert response.status_code in (302, 403)
    assert not _page(draft).live
    # Changed content is checked again from the first step; at the leadership step the leader
    # who changed it is told why he cannot approve and who can: the other leader.
    assert step_name(draft) == "Kiểm tra"
    client.force_login(reviewer)
    assert act_from_dashboard(client, draft, "approve").status_code == 302
    client.force_login(approver)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).content.decode()
    assert "Bạn đã viết hoặc trình nội dung này nên không duyệt" in html
    assert "a.lanhdao2" in html
    assert_refused = act_from_dashboard(client, draft, "approve")
    assert assert_refused.status_code in (302, 403) and not _page(draft).live
    client.force_login(other_leader)
    assert act_from_dashboard(client, draft, "approve").status_code == 302
    assert _page(draft).live
    assert _page(draft).title == "Sổ tay chất lượng (lãnh đạo sửa)"


@pytest.fixture
def cumulative(agency_a, staff_a):
    """One person who is editor, reviewer and the agency's only approver, and who wrote the
    change; the agency's reviewer checks it first."""
    approvers = agency_a.role_group(APPROVERS)
    approvers.user_set.remove(staff_a[APPROVERS])
    person = make_user(
        "kiemnhiem",
        agency_a.role_group(EDITORS),
        agency_a.role_group(REVIEWERS),
        approvers,
        first_name="Trần",
        last_name="Kiêm Nhiệm",
    )
    return person


def test_nobody_left_to_approve_is_explained_and_the_administrator_resolves_it(
    client, agency_a, staff_a, cumulative
):
    page = make_draft_document(agency_a, cumulative)
    client.force_login(cumulative)
    assert edit_view_post(client, page, **{"action-submit": "1"}).status_code == 302
    client.force_login(staff_a[REVIEWERS])
    assert act_from_dashboard(client, page, "approve").status_code == 302
    assert step_name(page) == "Lãnh đạo phê duyệt"

    # The writer sees why nothing happens and who can resolve it, in Vietnamese.
    client.force_login(cumulative)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "Không ai được duyệt bước «Lãnh đạo phê duyệt»" in html
    assert "Kiêm Nhiệm" in html
    assert staff_a[ADMINISTRATORS].username in html  # the administrator, by name
    assert _page(page).current_workflow_task.get_actions(_page(page), cumulative) == []
    # The dashboard shows it too.
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Không ai được duyệt" in dashboard and page.title in dashboard
    # The editor cannot cancel by this route; the administrator can.
    response = client.post(reverse("iso_workflow_cancel", args=[page.pk]))
    assert response.status_code == 403 or response.url == reverse("wagtailadmin_home")
    assert _page(page).current_workflow_state is not None

    admin = staff_a[ADMINISTRATORS]
    client.force_login(admin)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "Huỷ quy trình phê duyệt" in html
    assert reverse("iso_agency_users", args=[agency_a.pk]) in html  # pass it on
    response = client.post(reverse("iso_workflow_cancel", args=[page.pk]))
    assert response.status_code == 302
    assert _page(page).current_workflow_state is None
    assert not _page(page).live


def test_passing_the_role_on_unblocks_the_step(client, agency_a, staff_a, cumulative):
    page = make_draft_document(agency_a, cumulative)
    client.force_login(cumulative)
    edit_view_post(client, page, **{"action-submit": "1"})
    client.force_login(staff_a[REVIEWERS])
    act_from_dashboard(client, page, "approve")
    # The administrator gives the approving role to someone else: the explanation goes, and
    # the new approver finishes the workflow.
    newcomer = make_user("a.pho", first_name="Phó", last_name="Giám đốc")
    newcomer.groups.add(agency_a.role_group(APPROVERS))
    client.force_login(cumulative)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "Không ai được duyệt" not in html
    client.force_login(newcomer)
    assert approve_in_editor(client, page).status_code == 302
    assert _page(page).live


@pytest.mark.parametrize("step", [1, 2])
def test_rejection_comment_and_rejecter_shown_until_resubmission(
    client, agency_a, staff_a, step, django_capture_on_commit_callbacks
):
    editor, reviewer, approver = staff_a[EDITORS], staff_a[REVIEWERS], staff_a[APPROVERS]
    reviewer.first_name, reviewer.last_name = "Lê", "Kiểm Tra"
    reviewer.save()
    approver.first_name, approver.last_name = "Phạm", "Lãnh Đạo"
    approver.save()
    page = make_draft_document(agency_a, editor)
    client.force_login(editor)
    edit_view_post(client, page, **{"action-submit": "1"})
    if step == 2:
        client.force_login(reviewer)
        act_from_dashboard(client, page, "approve")
    rejecter = reviewer if step == 1 else approver
    role = "Kiểm tra" if step == 1 else "Lãnh đạo phê duyệt"
    comment = f"Bổ sung phạm vi áp dụng (bước {step})."
    client.force_login(rejecter)
    with django_capture_on_commit_callbacks(execute=True):
        if step == 1:  # from the dashboard
            assert act_from_dashboard(client, page, "reject", comment).status_code == 302
        else:  # «Yêu cầu chỉnh sửa» in the editor, where the e-mail link leads
            response = edit_view_post(
                client,
                page,
                **{
                    "action-workflow-action": "1",
                    "workflow-action-name": "reject",
                    "workflow-action-extra-data": json.dumps({"comment": comment}),
                },
            )
            assert response.status_code == 302
    assert _page(page).current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert comment in mail.outbox[-1].body

    client.force_login(editor)
    name = rejecter.get_full_name()
    for url in (reverse("wagtailadmin_home"), reverse("wagtailadmin_pages:edit", args=[page.pk])):
        html = client.get(url).content.decode()
        assert comment in html, url
        assert name in html, url
        assert f"({role})" in html, url

    # Wagtail's status dialog credits the request to who asked, not to the editor.
    assert f"yêu cầu của {name}" in html

    # Resubmitted: the request for changes is answered and no longer shown.
    from wagtail.test.utils.form_data import rich_text

    edit_view_post(
        client,
        page,
        body=rich_text("<p>Nội dung đã bổ sung phạm vi.</p>"),
        **{"action-submit": "1"},
    )
    assert _page(page).current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    for url in (reverse("wagtailadmin_home"), reverse("wagtailadmin_pages:edit", args=[page.pk])):
        assert comment not in client.get(url).content.decode()
    assert step_name(page) == "Kiểm tra"  # changed content is checked again from the start


def test_a_returned_but_unchanged_resubmission_resumes_at_the_step_that_returned_it(
    client, agency_a, staff_a
):
    editor, reviewer, approver = staff_a[EDITORS], staff_a[REVIEWERS], staff_a[APPROVERS]
    page = make_draft_document(agency_a, editor)
    client.force_login(editor)
    edit_view_post(client, page, **{"action-submit": "1"})
    client.force_login(reviewer)
    act_from_dashboard(client, page, "approve")
    client.force_login(approver)
    act_from_dashboard(client, page, "reject", "Xin ý kiến thêm của phòng.")
    client.force_login(editor)
    edit_view_post(client, page, **{"action-submit": "1"})
    assert step_name(page) == "Lãnh đạo phê duyệt"
    client.force_login(approver)
    assert approve_in_editor(client, page).status_code == 302
    assert Page.objects.get(pk=page.pk).live


def test_the_administrator_cannot_cancel_a_workflow_someone_can_approve(client, agency_a, staff_a):
    page = make_draft_document(agency_a, staff_a[EDITORS])
    client.force_login(staff_a[EDITORS])
    edit_view_post(client, page, **{"action-submit": "1"})
    client.force_login(staff_a[ADMINISTRATORS])
    response = client.post(reverse("iso_workflow_cancel", args=[page.pk]), follow=True)
    assert "vẫn có người duyệt được: không huỷ" in response.content.decode()
    assert _page(page).current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
