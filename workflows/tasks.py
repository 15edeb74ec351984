"""Celery tasks: thin wrappers that load by id and call a service."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.core.management import call_command

from wagtail.models import TaskState, WorkflowState

from celery import shared_task

from . import notifications
from .quality import tasks as quality_tasks  # noqa: F401  (registers the quality tasks)
from .workspace import tasks as workspace_tasks  # noqa: F401  (the daily «Việc cần làm» e-mail)

logger = logging.getLogger(__name__)


@shared_task(name="workflows.tasks.publish_scheduled")
def publish_scheduled() -> None:
    """Publish revisions whose go-live time has come and unpublish expired pages."""
    call_command("publish_scheduled")


@shared_task(
    name="workflows.tasks.remind_procedure_updates", autoretry_for=(OSError,), max_retries=3
)
def remind_procedure_updates() -> int:
    """Daily: e-mail each agency its «cập nhật quy trình nội bộ» tasks due soon or overdue."""
    from .catalogue.deadlines import tasks_remind

    sent = tasks_remind()
    logger.info("procedure update reminders: %s sent", sent)
    return sent


@shared_task(
    name="workflows.tasks.send_moderation_email",
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def send_moderation_email(event: str, state_id: int, actor_id: int | None) -> int:
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    if event == notifications.SUBMITTED:
        task_state = TaskState.objects.filter(pk=state_id).first()
        if task_state is None:
            return 0
        message = notifications.message_for_submission(task_state, actor)
    else:
        workflow_state = WorkflowState.objects.filter(pk=state_id).first()
        if workflow_state is None:
            return 0
        builder = {
            notifications.REJECTED: notifications.message_for_rejection,
            notifications.APPROVED: notifications.message_for_approval,
        }[event]
        message = builder(workflow_state, actor)
    sent = notifications.message_send(message)
    logger.info("moderation e-mail %s for state %s: %s sent", event, state_id, sent)
    return sent
