"""What a leader sees on «Xem và phê duyệt»: the step awaiting them on one page and Wagtail's
own actions for it, or, once they acted, what their action did.

Nothing here approves: the screen's buttons post to Wagtail's workflow action view
(`wagtailadmin_pages:workflow_action`), so the agency task's guards (nobody approves their
own change, workflows.models.AgencyApprovalTask) and the publishing that follows are the same
as from the editor or Wagtail's dashboard panel."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page, TaskState, WorkflowState

from content_types.quality.rules import user_label


@dataclass(frozen=True)
class ApprovalStep:
    page: Page
    task_state: TaskState
    step_name: str
    requested_by: str
    requested_at: object
    change_summary: str
    can_approve: bool
    can_reject: bool
    approve_url: str
    reject_url: str
    compare_url: str  # the change against the version in force ("" when nothing is in force)
    preview_url: str
    edit_url: str
    steps: list[tuple[str, str]] = field(default_factory=list)  # (step name, its state)


@dataclass(frozen=True)
class ApprovalDone:
    page: Page
    task_state: TaskState  # the user's last action on this page
    approved: bool
    outcome: str  # what followed, in words
    step_name: str = ""
    comment: str = ""


def _step_name(task) -> str:
    return task.name.split(" — ")[0]


def approval_step(*, page: Page, user) -> ApprovalStep | None:
    """The step of `page` that `user` may take now, or None."""
    if not page.workflow_in_progress:
        return None
    task_state = page.current_workflow_task_state
    if task_state is None:
        return None
    task = task_state.task.specific
    actions = {name for name, _label, _modal in task.get_actions(page, user)}
    if not actions & {"approve", "reject"}:
        return None
    workflow_state = task_state.workflow_state
    revision = task_state.revision
    shown = revision.as_object() if revision else page
    states = {
        s.task_id: s.status
        for s in TaskState.objects.filter(workflow_state=workflow_state).order_by("started_at")
    }
    labels = {
        TaskState.STATUS_APPROVED: "đã duyệt",
        TaskState.STATUS_IN_PROGRESS: "đang chờ",
        TaskState.STATUS_REJECTED: "trả lại",
    }
    steps = [
        (_step_name(t), labels.get(states.get(t.pk), "chưa đến"))
        for t in workflow_state.workflow.tasks.filter(active=True)
    ]

    def action_url(name: str) -> str:
        return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, name, task_state.pk])

    return ApprovalStep(
        page=page,
        task_state=task_state,
        step_name=_step_name(task),
        requested_by=user_label(workflow_state.requested_by) if workflow_state.requested_by else "",
        requested_at=workflow_state.created_at,
        change_summary=getattr(shown, "change_summary", "") or "",
        can_approve="approve" in actions,
        can_reject="reject" in actions,
        approve_url=action_url("approve"),
        reject_url=action_url("reject"),
        compare_url=(
            reverse(
                "wagtailadmin_pages:revisions_compare",
                args=[page.pk, page.live_revision_id, revision.pk],
            )
            if page.live_revision_id and revision and page.live_revision_id != revision.pk
            else ""
        ),
        preview_url=(
            reverse("wagtailadmin_pages:workflow_preview", args=[page.pk, task_state.task_id])
            if page.is_previewable()
            else ""
        ),
        edit_url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
        steps=steps,
    )


def approval_done(*, page: Page, user) -> ApprovalDone | None:
    """The user's last action on a step of `page`, and what it led to."""
    last = (
        TaskState.objects.filter(
            workflow_state__in=WorkflowState.objects.for_instance(page), finished_by=user
        )
        .exclude(status=TaskState.STATUS_IN_PROGRESS)
        .select_related("task", "workflow_state")
        .order_by("-finished_at")
        .first()
    )
    if last is None:
        return None
    page = page.specific_class.objects.get(pk=page.pk)
    approved = last.status == TaskState.STATUS_APPROVED
    current = page.current_workflow_task if page.workflow_in_progress else None
    if not approved:
        outcome = "Đã trả lại cho người soạn kèm ý kiến của bạn; người soạn được báo qua thư."
    elif current is not None:
        outcome = f"Đang chờ bước tiếp theo: «{_step_name(current)}»."
    elif page.scheduled_revision is not None:
        go_live = page.scheduled_revision.approved_go_live_at
        outcome = (
            f"Đã phê duyệt; sẽ có hiệu lực lúc {timezone.localtime(go_live):%H:%M %d/%m/%Y}."
            if go_live
            else "Đã phê duyệt; chờ đến ngày hiệu lực."
        )
    elif page.live and not page.has_unpublished_changes:
        outcome = "Đã phê duyệt và ban hành: phiên bản này đang có hiệu lực."
    else:
        outcome = "Đã xử lý."
    return ApprovalDone(
        page=page,
        task_state=last,
        approved=approved,
        outcome=outcome,
        step_name=_step_name(last.task),
        comment=last.get_comment() or "",
    )


def approval_screen(*, page: Page, user) -> ApprovalStep | ApprovalDone:
    """The step to take, or what the user did; anyone else is refused (they learn nothing)."""
    step = approval_step(page=page, user=user)
    if step is not None:
        return step
    done = approval_done(page=page, user=user)
    if done is not None:
        return done
    raise PermissionDenied
