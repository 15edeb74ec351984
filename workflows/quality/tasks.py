"""Celery tasks of the quality records: thin, they call a service."""

from __future__ import annotations

import logging
from datetime import date

from django.utils import timezone

from celery import shared_task

from .reminders import quality_reminders_send

logger = logging.getLogger(__name__)


@shared_task(name="workflows.quality.tasks.send_quality_reminders")
def send_quality_reminders(on: str | None = None) -> int:
    """Beat runs this every morning; `on` (ISO date) lets a caller name the day."""
    today = date.fromisoformat(on) if on else timezone.localdate()
    sent = quality_reminders_send(today=today)
    logger.info("quality reminders for %s: %s e-mails", today, sent)
    return sent
