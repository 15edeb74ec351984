"""Moderation e-mails: who is told what, in Vietnamese.

Wagtail sends these inside the request and, on a rejection, only to the workflow's requester
when that is not the rejecting user; editors whose revision was rejected at a later step can be
missed. We compute the recipients ourselves and send from a Celery task (workflows.tasks).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.core.mail.message import EmailMessage
from django.urls import reverse
from django.utils import timezone

from wagtail.models import TaskState, WorkflowState

User = get_user_model()

SUBMITTED = "submitted"
REJECTED = "rejected"
APPROVED = "approved"


@dataclass(frozen=True)
class Message:
    recipients: list[str]
    subject: str
    body: str


def _edit_url(page_id: int) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "wagtailadmin_pages:edit", args=[page_id]
    )


def _name(user) -> str:
    if user is None:
        return "hệ thống"
    return user.get_full_name() or user.get_username()


def _role(user, task_state) -> str:
    from .moderation import user_role_label

    label = user_role_label(user, task_state) if user is not None else ""
    return f" ({label})" if label else ""


def _emails(users, exclude_ids: set[int]) -> list[str]:
    return sorted({u.email for u in users if u.is_active and u.email and u.pk not in exclude_ids})


def message_for_submission(task_state: TaskState, actor) -> Message:
    """A revision reached a step: tell the step's group, never the author."""
    workflow_state = task_state.workflow_state
    page = workflow_state.content_object
    task = task_state.task.specific
    group_ids = task.groups.values_list("pk", flat=True)
    members = User.objects.filter(groups__in=group_ids).distinct()
    authors = {workflow_state.requested_by_id, getattr(task_state.revision, "user_id", None)}
    if actor is not None:
        authors.add(actor.pk)
    from .withdrawal import withdrawal_of

    withdrawal = withdrawal_of(workflow_state)
    what = (
        f"đề nghị bãi bỏ «{page.title}» (lý do: {withdrawal.reason}) và đề nghị đang chờ"
        if withdrawal is not None
        else f"trình «{page.title}» và nội dung đang chờ"
    )
    body = (
        f"{_name(workflow_state.requested_by)} đã {what} "
        f"bước «{task.name}».\n\nXem và duyệt: {_edit_url(page.pk)}\n"
    )
    return Message(_emails(members, {a for a in authors if a}), f"Chờ duyệt: {page.title}", body)


def message_for_rejection(workflow_state: WorkflowState, actor) -> Message:
    """Returned for changes at any step: tell the requester and the content's writers."""
    page = workflow_state.content_object
    task_state = workflow_state.current_task_state
    comment = (task_state.comment or "").strip() if task_state else ""
    step = task_state.task.name if task_state else ""
    from .moderation import workflow_writers

    # The submitter and whoever changed the content (not someone who only saved it unchanged).
    recipients = list(User.objects.filter(pk__in=workflow_writers(workflow_state)))
    body = (
        f"{_name(actor)}{_role(actor, task_state)} đã trả lại «{page.title}» ở bước «{step}» "
        "để chỉnh sửa.\n\n"
        f"Ý kiến: {comment or '(không có ý kiến)'}\n\n"
        f"Sửa và trình lại: {_edit_url(page.pk)}\n"
    )
    exclude = {actor.pk} if actor is not None else set()
    return Message(
        _emails([u for u in recipients if u], exclude), f"Yêu cầu chỉnh sửa: {page.title}", body
    )


def message_for_approval(workflow_state: WorkflowState, actor) -> Message:
    from .withdrawal import withdrawal_of

    page = workflow_state.content_object.specific
    withdrawal = withdrawal_of(workflow_state)
    if withdrawal is not None:
        when = withdrawal.withdrawn_at or withdrawal.effective_at
        outcome = "được phê duyệt bãi bỏ" + (
            " từ " + timezone.localtime(when).strftime("%H:%M ngày %d/%m/%Y") if when else ""
        )
    elif page.go_live_at and not page.live:
        outcome = "được phê duyệt và sẽ có hiệu lực lúc " + page.go_live_at.strftime(
            "%H:%M ngày %d/%m/%Y"
        )
    else:
        outcome = "được phê duyệt và đã xuất bản"
    body = f"«{page.title}» đã {outcome} (người phê duyệt: {_name(actor)}).\n"
    exclude = {actor.pk} if actor is not None else set()
    recipients = [workflow_state.requested_by] if workflow_state.requested_by else []
    return Message(_emails(recipients, exclude), f"Đã phê duyệt: {page.title}", body)


def message_send(message: Message) -> int:
    if not message.recipients:
        return 0
    connection = get_connection()
    sent = 0
    for address in message.recipients:
        email = EmailMessage(
            message.subject,
            message.body,
            settings.DEFAULT_FROM_EMAIL,
            [address],
            headers={"Auto-Submitted": "auto-generated"},
            connection=connection,
        )
        sent += email.send()
    return sent
