"""The daily «Việc cần làm» e-mail: each user's overdue and due-soon items in one message.

Celery beat runs it every morning (workflows.workspace.tasks). One e-mail per user per day: the
ReminderLog row (the quality reminders' log, `workspace:<user id>`) is written before sending,
so a second run on the same day, or a second worker, sends nothing again.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse

from content_types.agency import AgencyGroup
from content_types.quality.action import ReminderLog
from content_types.quality.rules import user_label

from ..notifications import Message, message_send
from .screen import ShownItem, digest_items

DIGEST_DAYS_AHEAD = 7


def _absolute(url: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


def digest_message(*, user, items: list[ShownItem], today: date) -> Message:
    late = [s for s in items if s.days_late > 0]
    lines = [f"Kính gửi {user_label(user)},", ""]
    lines.append(
        f"Hôm nay {today:%d/%m/%Y} anh/chị có {len(items)} việc cần làm"
        + (f", trong đó {len(late)} việc đã quá hạn." if late else ".")
    )
    lines.append("")
    for shown in items:
        when = shown.when or "Đang chờ anh/chị"
        lines.append(f"- {when.upper() if shown.days_late else when}: {shown.item.title}")
        if shown.item.detail:
            lines.append(f"  {shown.item.detail}")
        lines.append(f"  {shown.agency_title} · {shown.source_label}")
        lines.append(f"  Mở: {_absolute(shown.item.url)}")
        lines.append("")
    lines.append(f"Xem tất cả trên trang «Việc cần làm»: {_absolute(reverse('wagtailadmin_home'))}")
    subject = (
        f"Việc cần làm: {len(late)} việc quá hạn, {len(items) - len(late)} việc sắp đến hạn"
        if late
        else f"Việc cần làm: {len(items)} việc sắp đến hạn"
    )
    return Message([user.email], subject, "\n".join(lines) + "\n")


def digest_recipients():
    """Active users with an e-mail who hold a role in some agency."""
    staff = AgencyGroup.objects.values("group__user")
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=staff)
        .exclude(email="")
        .order_by("pk")
    )


def workspace_reminders_send(*, today: date) -> int:
    """Send today's digests once; returns how many e-mails went out."""
    sent = 0
    for user in digest_recipients():
        items = digest_items(user=user, today=today, days_ahead=DIGEST_DAYS_AHEAD)
        if not items:
            continue
        try:
            with transaction.atomic():
                log = ReminderLog.objects.create(key=f"workspace:{user.pk}", sent_on=today)
        except IntegrityError:
            continue  # already sent today
        count = message_send(digest_message(user=user, items=items, today=today))
        ReminderLog.objects.filter(pk=log.pk).update(recipients=count)
        sent += count
    return sent
