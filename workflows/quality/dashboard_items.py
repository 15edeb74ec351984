"""The internal audit's items on the province dashboard (workflows.oversight.registry).

Each selector reads the year's approved pages in one query and finds each page's agency by path.
"""

from __future__ import annotations

from django.urls import reverse

from content_types.quality.programme import AuditProgrammePage
from content_types.quality.report import AuditReportPage

from ..oversight.registry import (
    DashboardItem,
    DashboardScope,
    ItemStatus,
    dashboard_item_register,
)


def audit_programme_status(scope: DashboardScope) -> dict[int, ItemStatus]:
    """The year's audit programme is approved (live)."""
    agency_of = scope.agency_of_path()
    statuses: dict[int, ItemStatus] = {}
    rows = AuditProgrammePage.objects.live().filter(year=scope.year).values_list("pk", "path")
    for pk, path in rows:
        agency_id = agency_of(path)
        if agency_id is not None:
            statuses[agency_id] = ItemStatus(
                done=True,
                detail=f"Chương trình đánh giá nội bộ năm {scope.year} đã được phê duyệt",
                url=reverse("wagtailadmin_pages:edit", args=[pk]),
            )
    return statuses


def audit_held_status(scope: DashboardScope) -> dict[int, ItemStatus]:
    """An internal audit report dated in the year is approved (live)."""
    agency_of = scope.agency_of_path()
    statuses: dict[int, ItemStatus] = {}
    rows = (
        AuditReportPage.objects.live()
        .filter(report_date__year=scope.year)
        .order_by("report_date")
        .values_list("pk", "path", "report_date")
    )
    for pk, path, report_date in rows:
        agency_id = agency_of(path)
        if agency_id is not None:
            statuses[agency_id] = ItemStatus(
                done=True,
                detail=f"Báo cáo đánh giá nội bộ ngày {report_date:%d/%m/%Y}",
                url=reverse("wagtailadmin_pages:edit", args=[pk]),
            )
    return statuses


dashboard_item_register(
    DashboardItem(
        key="audit_programme",
        label="Chương trình đánh giá nội bộ",
        order=60,
        selector=audit_programme_status,
        short_label="Chương trình ĐGNB",
    )
)
dashboard_item_register(
    DashboardItem(
        key="audit_held",
        label="Đã đánh giá nội bộ",
        order=70,
        selector=audit_held_status,
        short_label="Đã ĐGNB",
    )
)
