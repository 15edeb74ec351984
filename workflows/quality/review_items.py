"""Where the risk register and the management review meet the shared registries: the province
dashboard's items (50, 80), the «Việc cần làm» sources and the new-year copier. Imported by
workflows.oversight.registry.dashboard_items() and by workflows.quality.hooks."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date

from django.urls import reverse
from django.utils import timezone

from wagtail.signals import page_published

from content_types.agency import AgencyPage
from content_types.quality.review import ManagementReviewPage
from content_types.quality.risk import RiskRegisterPage

from ..oversight.registry import (
    DashboardItem,
    DashboardScope,
    ItemStatus,
    dashboard_item_register,
)
from ..workspace.registry import WorkItem, WorkScope, WorkSource, work_source_register
from ..workspace.year_copy import YearCopier, year_copier_register
from .reviews import review_actions_sync
from .risks import risk_actions_sync, risk_register_copy, risks_due_for_review


def risk_register_status(scope: DashboardScope) -> dict[int, ItemStatus]:
    """The year's risks and opportunities register is approved (live)."""
    agency_of = scope.agency_of_path()
    statuses: dict[int, ItemStatus] = {}
    rows = RiskRegisterPage.objects.live().filter(year=scope.year).values_list("pk", "path")
    for pk, path in rows:
        agency_id = agency_of(path)
        if agency_id is not None:
            statuses[agency_id] = ItemStatus(
                done=True,
                detail=f"Sổ đăng ký rủi ro, cơ hội năm {scope.year} đã được phê duyệt",
                url=reverse("iso_quality_risks", args=[pk]),
            )
    return statuses


def management_review_status(scope: DashboardScope) -> dict[int, ItemStatus]:
    """A management review was held in the year and its minutes are approved (live)."""
    agency_of = scope.agency_of_path()
    statuses: dict[int, ItemStatus] = {}
    rows = (
        ManagementReviewPage.objects.live()
        # The local day: between 17:00 and midnight UTC, Vietnam is already on the next day.
        .filter(
            meeting_date__gte=timezone.localdate(scope.start),
            meeting_date__lte=timezone.localdate(scope.end),
        )
        .order_by("meeting_date")
        .values_list("pk", "path", "meeting_date")
    )
    for pk, path, meeting_date in rows:
        agency_id = agency_of(path)
        if agency_id is not None:
            statuses[agency_id] = ItemStatus(
                done=True,
                detail=f"Họp xem xét của lãnh đạo ngày {meeting_date:%d/%m/%Y}",
                url=reverse("iso_quality_review", args=[pk]),
            )
    return statuses


dashboard_item_register(
    DashboardItem(
        key="risk_register",
        label="Sổ đăng ký rủi ro, cơ hội",
        order=50,
        selector=risk_register_status,
        short_label="Rủi ro, cơ hội",
    )
)
dashboard_item_register(
    DashboardItem(
        key="management_review",
        label="Đã họp xem xét của lãnh đạo",
        order=80,
        selector=management_review_status,
        short_label="Xem xét LĐ",
    )
)


def risk_review_items(scope: WorkScope) -> list[WorkItem]:
    """Risks of the approved registers whose next review falls by the horizon (or is past)."""
    return [
        WorkItem(
            kind="risk_review",
            title=f"Xem xét lại rủi ro «{risk.description[:80]}»",
            url=reverse("iso_quality_risks", args=[risk.page_id]),
            agency_id=agency_id,
            due=risk.next_review,
            detail=risk.process,
        )
        for agency_id, risk in risks_due_for_review(
            agency_ids=scope.agency_ids, horizon=scope.horizon
        )
    ]


work_source_register(WorkSource("risk_review", "Xem xét lại rủi ro, cơ hội", 45, risk_review_items))


# The month each agency plans its review in. The maintenance plan (kế hoạch duy trì), built
# elsewhere, registers its own reader; until then every agency plans it for December.
PlanMonths = Callable[..., dict[int, int]]  # keyword-only: agency_ids, year → {agency id: month}
_plan_months: list[PlanMonths] = []


def review_plan_months_register(provider: PlanMonths) -> None:
    _plan_months[:] = [provider]


def _review_plan_months(*, agency_ids, year: int) -> dict[int, int]:
    months = dict.fromkeys(agency_ids, 12)
    if _plan_months:
        months.update(_plan_months[0](agency_ids=agency_ids, year=year))
    return months


def management_review_due_items(scope: WorkScope) -> list[WorkItem]:
    """This year's review, not yet held and approved, once its planned month is reached."""
    year = scope.today.year
    months = _review_plan_months(agency_ids=scope.agency_ids, year=year)
    due = {
        agency_id: date(year, month, calendar.monthrange(year, month)[1])
        for agency_id, month in months.items()
    }
    due = {agency_id: day for agency_id, day in due.items() if day.replace(day=1) <= scope.horizon}
    if not due:
        return []
    agencies = list(AgencyPage.objects.filter(pk__in=due).only("pk", "path", "title"))
    held = DashboardScope(year=year, agencies=agencies).agency_of_path()
    done = {
        held(path)
        for path in ManagementReviewPage.objects.live()
        .filter(year=year)
        .values_list("path", flat=True)
    }
    return [
        WorkItem(
            kind="management_review_due",
            title=f"Họp xem xét của lãnh đạo năm {year}",
            url=reverse("iso_quality_planning", args=[agency.pk]),
            agency_id=agency.pk,
            due=due[agency.pk],
            detail="Chưa có biên bản được phê duyệt",
        )
        for agency in agencies
        if agency.pk not in done
    ]


work_source_register(
    WorkSource("management_review_due", "Xem xét của lãnh đạo", 85, management_review_due_items)
)
year_copier_register(
    YearCopier("risk_register", "Sổ đăng ký rủi ro, cơ hội", 40, risk_register_copy)
)


def _on_register_published(sender, instance, **kwargs) -> None:
    risk_actions_sync(register=instance.specific)


def _on_review_published(sender, instance, **kwargs) -> None:
    review_actions_sync(review=instance.specific)


page_published.connect(
    _on_register_published, sender=RiskRegisterPage, dispatch_uid="iso_risk_actions"
)
page_published.connect(
    _on_review_published, sender=ManagementReviewPage, dispatch_uid="iso_review_actions"
)
