"""What the dashboard panel lists for a user: their audits soon, their actions, and for the
agency's ISO officers and leadership the agency's overdue actions and verifications waiting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.urls import reverse

from content_types.quality.action import OPEN_ACTION_STATUSES, QualityAction
from content_types.quality.nonconformity import Nonconformity, NonconformityStage
from content_types.quality.plan import AuditPlanAssignment, AuditPlanPage

from .policy import Right, quality_agencies

AUDITS_AHEAD_DAYS = 30


@dataclass(frozen=True)
class TodoItem:
    text: str
    url: str
    urgent: bool = False


def dashboard_items(user, *, today: date) -> list[TodoItem]:
    if not user.is_authenticated:
        return []
    items: list[TodoItem] = []
    assignments = AuditPlanAssignment.objects.filter(
        page__in=AuditPlanPage.objects.live().values("pk"),
        auditor=user,
        audit_date__gte=today,
        audit_date__lte=today + timedelta(days=AUDITS_AHEAD_DAYS),
    ).select_related("unit", "page")
    for a in assignments.order_by("audit_date"):
        days = (a.audit_date - today).days
        items.append(
            TodoItem(
                f"Đánh giá đơn vị «{a.unit.name}» ngày {a.audit_date:%d/%m/%Y} (còn {days} ngày)",
                reverse("iso_quality_plan", args=[a.page_id]),
                urgent=days <= 7,
            )
        )
    mine = QualityAction.objects.filter(owner=user, status__in=OPEN_ACTION_STATUSES)
    for action in mine.order_by("due_date"):
        late = action.due_date < today
        items.append(
            TodoItem(
                f"{'Quá hạn' if late else 'Hạn'} {action.due_date:%d/%m/%Y}: {action.title}",
                reverse("iso_quality_action", args=[action.pk]),
                urgent=late,
            )
        )
    managed = quality_agencies(user, Right.MANAGE) if not user.is_superuser else []
    for agency in managed:
        overdue = QualityAction.objects.filter(
            agency=agency, status__in=OPEN_ACTION_STATUSES, due_date__lt=today
        ).exclude(owner=user)
        if overdue.exists():
            items.append(
                TodoItem(
                    f"{agency.short_name}: {overdue.count()} hành động quá hạn",
                    reverse("iso_quality_actions", args=[agency.pk]) + "?qua_han=1",
                    urgent=True,
                )
            )
    for agency in quality_agencies(user, Right.VERIFY) if not user.is_superuser else []:
        waiting = Nonconformity.objects.filter(
            agency=agency, stage=NonconformityStage.VERIFICATION
        ).count()
        if waiting:
            items.append(
                TodoItem(
                    f"{agency.short_name}: {waiting} sự không phù hợp chờ đánh giá hiệu lực",
                    reverse("iso_quality_ncs", args=[agency.pk])
                    + f"?giai_doan={NonconformityStage.VERIFICATION}",
                )
            )
    return items
