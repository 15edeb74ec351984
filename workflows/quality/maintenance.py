"""The maintenance plan's items and when each is done: the record that fulfils it is approved.

- an item linked to a page (a document, minutes, a report…) is done when that page is live;
- an internal-audit item without a link is done by an approved audit report of the plan's year;
- an objectives item without a link is done when the year's objectives are approved and every
  period ended by the item's month is measured.
Everything is read for many plans at once, in a fixed number of queries.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page

from content_types.quality.maintenance import MaintenancePlanItem, MaintenancePlanPage, PlanItemKind
from content_types.quality.objectives import QualityObjectivesPage
from content_types.quality.report import AuditReportPage

from .objectives import agencies_by_path, objectives_progress


@dataclass(frozen=True)
class ItemState:
    item: MaintenancePlanItem
    due: date
    done: bool
    record_title: str = ""
    record_url: str = ""
    detail: str = ""

    def is_overdue(self, today: date) -> bool:
        return not self.done and self.due < today


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _page_url(page_id: int, specific_class) -> str:
    names = {
        QualityObjectivesPage: "iso_objectives",
        MaintenancePlanPage: "iso_maintenance_plan",
        AuditReportPage: "iso_quality_report",
    }
    name = names.get(specific_class)
    if name:
        return reverse(name, args=[page_id])
    return reverse("wagtailadmin_pages:edit", args=[page_id])


def plan_item_states(
    *, plans: list[MaintenancePlanPage], today: date | None = None
) -> dict[int, list[ItemState]]:
    """{plan id: the states of its items, in their order}."""
    today = today or timezone.localdate()
    if not plans:
        return {}
    agency_of_path = agencies_by_path()
    info = {plan.pk: (plan.year, agency_of_path(plan.path)) for plan in plans}
    items = list(
        MaintenancePlanItem.objects.filter(page_id__in=list(info))
        .select_related("record", "record__content_type")
        .order_by("page_id", "sort_order", "pk")
    )
    years = {year for year, _ in info.values()}
    reports: dict[tuple[int, int], tuple[int, str]] = {}
    for pk, path, title, day in (
        AuditReportPage.objects.live()
        .filter(report_date__year__in=years)
        .order_by("report_date")
        .values_list("pk", "path", "title", "report_date")
    ):
        reports.setdefault((agency_of_path(path), day.year), (pk, title))
    objective_pages = {
        (agency_of_path(page.path), page.year): page
        for page in QualityObjectivesPage.objects.live().filter(year__in=years)
    }
    progress = objectives_progress(pages=list(objective_pages.values()), today=today)
    states: dict[int, list[ItemState]] = {pk: [] for pk in info}
    for item in items:
        year, agency_id = info[item.page_id]
        due = month_end(year, item.due_month)
        state = ItemState(item=item, due=due, done=False, detail="Chưa gắn hồ sơ chứng minh")
        if item.record_id:
            record: Page = item.record
            url = _page_url(record.pk, record.content_type.model_class())
            state = ItemState(
                item=item,
                due=due,
                done=record.live,
                record_title=record.title,
                record_url=url,
                detail="Đã được phê duyệt" if record.live else "Hồ sơ chưa được phê duyệt",
            )
        elif item.kind == PlanItemKind.INTERNAL_AUDIT and (agency_id, year) in reports:
            pk, title = reports[(agency_id, year)]
            state = ItemState(
                item=item,
                due=due,
                done=True,
                record_title=title,
                record_url=reverse("iso_quality_report", args=[pk]),
                detail="Báo cáo đánh giá nội bộ đã được phê duyệt",
            )
        elif item.kind == PlanItemKind.OBJECTIVES and (agency_id, year) in objective_pages:
            page = objective_pages[(agency_id, year)]
            missing = [
                p
                for status in progress[page.pk]
                for p in status.periods
                if p.end <= due and p.value is None
            ]
            state = ItemState(
                item=item,
                due=due,
                # Measured once every period ended by the item's month has its value.
                done=not missing,
                record_title=page.title,
                record_url=reverse("iso_objectives", args=[page.pk]),
                detail=f"Còn {len(missing)} kỳ đo chưa có kết quả"
                if missing
                else "Đã đo đủ các kỳ đến hạn",
            )
        states[item.page_id].append(state)
    return states
