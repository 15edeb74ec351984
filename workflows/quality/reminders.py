"""Reminders of the dates that matter, in Vietnamese, sent once a day by Celery beat.

- Auditors: 14 and 7 days before their audit (each assignment of an approved plan).
- Action owners and the agency's ISO officers (editors): 7 days and 1 day before a due date,
  on the first day overdue and every 7 days after that while the action stays open.
A reminder is logged (ReminderLog) so a second run on the same day sends nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse

from content_types.agency import AgencyRole
from content_types.quality.action import OPEN_ACTION_STATUSES, QualityAction, ReminderLog
from content_types.quality.plan import AuditPlanAssignment, AuditPlanPage
from content_types.quality.rules import agency_of, user_label

from ..notifications import Message, message_send

AUDIT_DAYS_BEFORE = (14, 7)
ACTION_DAYS_BEFORE = (7, 1)
OVERDUE_EVERY_DAYS = 7


@dataclass(frozen=True)
class Reminder:
    key: str  # what the reminder is about, for the once-a-day log
    message: Message


def _url(name: str, pk: int) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(name, args=[pk])


def _emails(users) -> list[str]:
    return sorted({u.email for u in users if u is not None and u.is_active and u.email})


def _iso_officers(agency):
    return get_user_model().objects.filter(
        groups__agency_role__agency=agency, groups__agency_role__role=AgencyRole.EDITORS
    )


def audit_reminders(today: date) -> list[Reminder]:
    live_plans = AuditPlanPage.objects.live().values("pk")
    reminders = []
    for days in AUDIT_DAYS_BEFORE:
        day = today + timedelta(days=days)
        assignments = AuditPlanAssignment.objects.filter(
            page__in=live_plans, audit_date=day
        ).select_related("unit", "auditor", "page")
        for a in assignments:
            plan = a.page.specific
            agency = agency_of(plan)
            body = (
                f"Kính gửi {user_label(a.auditor)},\n\n"
                f"Còn {days} ngày nữa (ngày {a.audit_date:%d/%m/%Y}"
                f"{', ' + a.time_slot if a.time_slot else ''}) anh/chị đánh giá nội bộ đơn vị "
                f"«{a.unit.name}» của {agency.title} theo «{plan.title}».\n"
                f"Điều khoản: {a.clauses}. Quá trình: {a.processes or '—'}.\n"
                f"Đại diện đơn vị: {a.auditee_representative or '—'}.\n\n"
                f"Xem kế hoạch và chuẩn bị phiếu ghi chép: {_url('iso_quality_plan', plan.pk)}\n"
            )
            reminders.append(
                Reminder(
                    f"audit:{a.pk}:{days}",
                    Message(
                        _emails([a.auditor]),
                        f"Nhắc lịch đánh giá nội bộ: còn {days} ngày ({a.unit.name})",
                        body,
                    ),
                )
            )
    return reminders


def _action_when(action: QualityAction, today: date) -> str | None:
    left = (action.due_date - today).days
    if left in ACTION_DAYS_BEFORE:
        return f"còn {left} ngày nữa đến hạn ({action.due_date:%d/%m/%Y})"
    late = -left
    if late >= 1 and (late - 1) % OVERDUE_EVERY_DAYS == 0:
        return f"đã quá hạn {late} ngày (hạn {action.due_date:%d/%m/%Y})"
    return None


def action_reminders(today: date) -> list[Reminder]:
    reminders = []
    actions = QualityAction.objects.filter(status__in=OPEN_ACTION_STATUSES).select_related(
        "owner", "agency", "nonconformity"
    )
    for action in actions:
        when = _action_when(action, today)
        if when is None:
            continue
        overdue = action.due_date < today
        origin = f" (khắc phục {action.nonconformity.code})" if action.nonconformity else ""
        body = (
            f"Hành động «{action.title}»{origin} của {action.agency.title}, người thực hiện "
            f"{user_label(action.owner)}, {when}.\n\n"
            "Báo cáo kết quả thực hiện hoặc đề nghị điều chỉnh hạn: "
            f"{_url('iso_quality_action', action.pk)}\n"
        )
        subject = ("Quá hạn" if overdue else "Sắp đến hạn") + f": {action.title}"
        recipients = _emails([action.owner, *_iso_officers(action.agency)])
        reminders.append(
            Reminder(
                f"action:{action.pk}:{(action.due_date - today).days}",
                Message(recipients, subject, body),
            )
        )
    return reminders


def quality_reminders_send(*, today: date) -> int:
    """Send today's reminders once; returns how many e-mails went out."""
    sent = 0
    for reminder in [*audit_reminders(today), *action_reminders(today)]:
        if not reminder.message.recipients:
            continue
        try:
            with transaction.atomic():
                log = ReminderLog.objects.create(key=reminder.key, sent_on=today)
        except IntegrityError:
            continue  # already sent today
        count = message_send(reminder.message)
        ReminderLog.objects.filter(pk=log.pk).update(recipients=count)
        sent += count
    return sent
