"""Where objectives and the maintenance plan meet the rest: the province dashboard's items
(workflows.oversight.registry) and the «Việc cần làm» work sources (workflows.workspace.registry).

Dashboard: «Kế hoạch duy trì» (30) and «Mục tiêu» (40) count an approved page of the year as
well as an uploaded document (the document path stays: agencies that keep a signed scan are
still done); «Mục tiêu đã đo» (45) asks that every objective of the approved set has its value
for every period ended so far. Every selector and source reads all agencies in a fixed number of
queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_

from django.db.models import Q, Value
from django.urls import reverse
from django.utils import timezone

from content_types.agency import AgencyPage
from content_types.documents import DocumentKind
from content_types.quality.maintenance import MaintenancePlanPage
from content_types.quality.objectives import QualityObjectivesPage

from ..oversight.items import _document_selector
from ..oversight.registry import (
    DashboardItem,
    DashboardScope,
    ItemStatus,
    dashboard_item_register,
)
from ..workspace.registry import WorkItem, WorkScope, WorkSource, work_source_register
from .maintenance import plan_item_states
from .objectives import Status, agencies_by_path, objectives_progress


@dataclass(frozen=True)
class _YearPage:
    pk: int
    path: str
    title: str
    live: bool
    year: int


def _yearly_pages(scope: DashboardScope) -> dict[str, dict[int, tuple[list, list]]]:
    """{model label: {agency id: (live pages, draft pages)}} of the scope's year for both
    yearly page types, in one query (a union) shared by the three items."""
    fields = ("pk", "path", "title", "live", "year")
    objectives = (
        QualityObjectivesPage.objects.filter(year=scope.year)
        .order_by()
        .values_list(*fields, Value("objectives"))
    )
    plans = (
        MaintenancePlanPage.objects.filter(year=scope.year)
        .order_by()
        .values_list(*fields, Value("plan"))
    )
    agency_of = scope.agency_of_path()
    found: dict[str, dict[int, tuple[list, list]]] = {"objectives": {}, "plan": {}}
    for *row, kind in sorted(objectives.union(plans, all=True), key=lambda r: r[0]):
        page = _YearPage(*row)
        agency_id = agency_of(page.path)
        if agency_id is not None:
            found[kind].setdefault(agency_id, ([], []))[0 if page.live else 1].append(page)
    return found


def _pages_by_agency(model, scope: DashboardScope) -> dict[int, tuple[list, list]]:
    kind = "objectives" if model is QualityObjectivesPage else "plan"
    return scope.memo("yearly_pages", lambda: _yearly_pages(scope))[kind]


def _page_or_document(model, kind: str, view_name: str):
    documents = _document_selector(kind, yearly=True)

    def select(scope: DashboardScope) -> dict[int, ItemStatus]:
        statuses = documents(scope)
        for agency_id, (live, drafts) in _pages_by_agency(model, scope).items():
            if live:
                statuses[agency_id] = ItemStatus(
                    done=True,
                    detail=f"«{live[0].title}» đã được lãnh đạo phê duyệt",
                    url=reverse(view_name, args=[live[0].pk]),
                )
            elif drafts and not statuses.get(agency_id, ItemStatus(done=False)).done:
                statuses[agency_id] = ItemStatus(
                    done=False,
                    detail=f"«{drafts[0].title}» chưa được lãnh đạo phê duyệt",
                    url=reverse(view_name, args=[drafts[0].pk]),
                )
        return statuses

    return select


def _as_of(scope: DashboardScope) -> date:
    """The day periods are judged on: today in the current year, the next 1 January after."""
    now = timezone.localdate(scope.now)
    if scope.year < now.year:
        return date(scope.year + 1, 1, 1)
    return now if scope.year == now.year else date(scope.year, 1, 1)


def objectives_measured_status(scope: DashboardScope) -> dict[int, ItemStatus]:
    """Every objective of the approved set has a value for every period ended so far."""
    pages = {
        agency_id: live[0]
        for agency_id, (live, _) in _pages_by_agency(QualityObjectivesPage, scope).items()
        if live
    }
    progress = objectives_progress(pages=list(pages.values()), today=_as_of(scope))
    statuses = {}
    for agency_id, page in pages.items():
        objectives = progress[page.pk]
        due = [p for o in objectives for p in o.periods if p.status != Status.NOT_DUE]
        missing = [p for p in due if p.status == Status.NOT_MEASURED]
        failed = sum(1 for o in objectives if o.status == Status.NOT_ACHIEVED)
        detail = f"{len(due) - len(missing)}/{len(due)} kỳ đo đến hạn đã có kết quả"
        if failed:
            detail += f"; {failed} mục tiêu không đạt"
        statuses[agency_id] = ItemStatus(
            done=bool(objectives) and not missing,
            detail=detail,
            url=reverse("iso_objectives", args=[page.pk]),
        )
    return statuses


# Importing ..oversight.items above registered the document-only items first: these replace them.
dashboard_item_register(
    DashboardItem(
        key=str(DocumentKind.MAINTENANCE_PLAN),
        label=DocumentKind.MAINTENANCE_PLAN.label,
        order=30,
        selector=_page_or_document(
            MaintenancePlanPage,
            DocumentKind.MAINTENANCE_PLAN,
            "iso_maintenance_plan",
        ),
        short_label="Kế hoạch duy trì",
    )
)
dashboard_item_register(
    DashboardItem(
        key=str(DocumentKind.OBJECTIVES),
        label=DocumentKind.OBJECTIVES.label,
        order=40,
        selector=_page_or_document(
            QualityObjectivesPage, DocumentKind.OBJECTIVES, "iso_objectives"
        ),
        short_label="Mục tiêu",
    )
)
dashboard_item_register(
    DashboardItem(
        key="objectives_measured",
        label="Mục tiêu chất lượng đã được đo đủ các kỳ",
        order=45,
        selector=objectives_measured_status,
        short_label="Mục tiêu đã đo",
    )
)


# --- «Việc cần làm» ------------------------------------------------------------------------


def _live_pages_of(model, scope: WorkScope, years: list[int]) -> list:
    paths = list(AgencyPage.objects.filter(pk__in=scope.agency_ids).values_list("path", flat=True))
    if not paths:
        return []
    under = reduce(or_, (Q(path__startswith=path) for path in paths))
    return list(model.objects.live().filter(under, year__in=years).order_by("year", "pk"))


def due_measurements(scope: WorkScope) -> list[WorkItem]:
    """Hand-measured objectives' periods ended (or ending by the horizon) without a value."""
    # In January, last year's last periods are still to be measured.
    pages = _live_pages_of(QualityObjectivesPage, scope, [scope.today.year - 1, scope.today.year])
    progress = objectives_progress(pages=pages, today=scope.today)
    agency_of = agencies_by_path()
    items = []
    for page in pages:
        for status in progress[page.pk]:
            objective = status.objective
            if objective.is_computed:
                continue
            for period in status.periods:
                if period.value is not None or period.end > scope.horizon:
                    continue
                items.append(
                    WorkItem(
                        kind="objective_measurement",
                        title=f"Đo lường mục tiêu «{objective.statement}» — {period.label}",
                        url=reverse("iso_objectives", args=[page.pk]) + f"#muc-tieu-{objective.pk}",
                        agency_id=agency_of(page.path),
                        due=period.end,
                        detail=f"Chỉ tiêu {objective.target_text()}"
                        + (f" · {objective.unit.name}" if objective.unit_id else ""),
                    )
                )
    return items


def due_plan_items(scope: WorkScope) -> list[WorkItem]:
    """Maintenance-plan activities not yet done whose month has come (or passed)."""
    plans = _live_pages_of(MaintenancePlanPage, scope, [scope.today.year])
    agency_of = agencies_by_path()
    states = plan_item_states(plans=plans, today=scope.today)
    items = []
    for plan in plans:
        for state in states[plan.pk]:
            if state.done or state.due > scope.horizon:
                continue
            item = state.item
            items.append(
                WorkItem(
                    kind="maintenance_plan_item",
                    title=f"Kế hoạch duy trì: {item.activity}",
                    url=reverse("iso_maintenance_plan", args=[plan.pk]) + f"#hoat-dong-{item.pk}",
                    agency_id=agency_of(plan.path),
                    due=state.due,
                    detail=state.detail,
                )
            )
    return items


work_source_register(
    WorkSource("objective_measurement", "Đo lường mục tiêu chất lượng", 20, due_measurements)
)
work_source_register(
    WorkSource("maintenance_plan_item", "Kế hoạch duy trì HTQLCL", 10, due_plan_items)
)
