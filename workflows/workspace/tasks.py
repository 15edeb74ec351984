"""Celery task of «Việc cần làm»: thin, it calls the service."""

from __future__ import annotations

import logging
from datetime import date

from django.utils import timezone

from celery import shared_task

from .reminders import workspace_reminders_send

logger = logging.getLogger(__name__)


@shared_task(name="workflows.workspace.tasks.send_workspace_reminders")
def send_workspace_reminders(on: str | None = None) -> int:
    """Beat runs this every morning; `on` (ISO date) lets a caller name the day."""
    today = date.fromisoformat(on) if on else timezone.localdate()
    sent = workspace_reminders_send(today=today)
    logger.info("workspace reminders for %s: %s e-mails", today, sent)
    return sent
