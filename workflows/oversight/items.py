"""The dashboard items this branch can compute: the core documents of the quality system (live
ControlledDocumentPage kinds in each agency's private section) and the internal processes.

When does a document count for a year?
- standing documents (context, policy, announcement decision): a version was in force at some
  moment of the year, i.e. a version took effect before the year's end (before now, in the
  current year) — versions follow one another without gaps, so it stayed in force since;
- yearly documents (maintenance plan, quality objectives): a version took effect during the
  year itself; last year's plan is not this year's.
A document waiting for approval does not count; the agency's record says it is on its way.
An announcement decision still counts when procedures were published after the day it took
effect, with a warning that its scope needs a new announcement.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from content_types.documents import ControlledDocumentPage, DocumentKind
from content_types.procedures import ProcedurePage
from content_types.versions import DocumentVersion

from .registry import DashboardItem, DashboardScope, ItemStatus, dashboard_item_register

STANDING_KINDS = (DocumentKind.CONTEXT, DocumentKind.POLICY, DocumentKind.ANNOUNCEMENT)
YEARLY_KINDS = (DocumentKind.MAINTENANCE_PLAN, DocumentKind.OBJECTIVES)
_KINDS = [*STANDING_KINDS, *YEARLY_KINDS]


def _date(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y")


def _documents(scope: DashboardScope) -> dict:
    """{(agency id, kind): [(page id, title, live, [(effective_from, issue), …])]} in two queries
    for every agency and kind."""
    agency_of = scope.agency_of_path()
    pages = {}
    rows = (
        ControlledDocumentPage.objects.filter(kind__in=_KINDS)
        .values_list("pk", "path", "kind", "title", "live")
        .order_by("path")
    )
    for pk, path, kind, title, live in rows:
        agency_id = agency_of(path)
        if agency_id is not None:
            pages[pk] = (agency_id, kind, title, live, [])
    versions = (
        DocumentVersion.objects.filter(page_id__in=list(pages), effective_from__lte=scope.end)
        .values_list("page_id", "effective_from", "issue_number")
        .order_by("effective_from", "issue_number")
    )
    for page_id, effective_from, issue_number in versions:
        pages[page_id][4].append((effective_from, issue_number))
    found: dict = {}
    for pk, (agency_id, kind, title, live, issued) in pages.items():
        found.setdefault((agency_id, kind), []).append((pk, title, live, issued))
    return found


def _new_procedures_warning(scope: DashboardScope, agency_id: int, effective_from) -> str:
    """The announcement covers the procedures of its day; later ones call for a new one."""
    procedures = scope.memo("procedures", lambda: _procedures(scope)).get(agency_id, [])
    day = timezone.localtime(effective_from).date()
    later = sum(
        1 for _, first, _pk in procedures if first and timezone.localtime(first).date() > day
    )
    if not later:
        return ""
    return f"{later} thủ tục công bố sau ngày quyết định có hiệu lực: cần công bố lại phạm vi"


def _document_selector(kind: str, *, yearly: bool, scope_check: bool = False):
    def select(scope: DashboardScope) -> dict[int, ItemStatus]:
        documents = scope.memo("documents", lambda: _documents(scope))
        statuses: dict[int, ItemStatus] = {}
        for agency_id in scope.agency_ids:
            best = None  # (effective_from, issue, page id, title)
            waiting = earlier = None
            for pk, title, live, issued in documents.get((agency_id, kind), []):
                in_year = [v for v in issued if not yearly or v[0] >= scope.start]
                if live and in_year:
                    candidate = (*in_year[-1], pk, title)
                    best = max(best, candidate) if best else candidate
                elif live and issued:
                    earlier = (issued[-1][0], title)
                else:
                    waiting = title
            if best is not None:
                effective_from, issue, pk, title = best
                statuses[agency_id] = ItemStatus(
                    done=True,
                    detail=f"«{title}», lần ban hành {issue:02d}, hiệu lực từ "
                    f"{_date(effective_from)}",
                    url=reverse("iso_version_history", args=[pk]),
                    warning=_new_procedures_warning(scope, agency_id, effective_from)
                    if scope_check
                    else "",
                )
            elif earlier is not None:
                statuses[agency_id] = ItemStatus(
                    done=False,
                    detail=f"Chưa ban hành cho năm {scope.year}; bản gần nhất «{earlier[1]}» "
                    f"hiệu lực từ {_date(earlier[0])}",
                )
            elif waiting is not None:
                statuses[agency_id] = ItemStatus(
                    done=False, detail=f"«{waiting}» chưa được lãnh đạo phê duyệt ban hành"
                )
        return statuses

    return select


def live_procedures(scope: DashboardScope) -> dict[int, list[tuple[int, datetime | None, int]]]:
    """The live procedures per agency, read once per scope and shared by the items."""
    return scope.memo("procedures", lambda: _procedures(scope))


def _procedures(scope: DashboardScope) -> dict[int, list[tuple[int, datetime | None, int]]]:
    """{agency id: [(internal process steps, first published, id), …]} of its live procedures, in
    one query for every agency."""
    agency_of = scope.agency_of_path()
    found: dict[int, list] = {}
    rows = (
        ProcedurePage.objects.live()
        .annotate(step_count=Count("process_steps"))
        .values_list("path", "step_count", "first_published_at", "pk")
        .order_by()
    )
    for path, steps, first_published_at, pk in rows:
        agency_id = agency_of(path)
        if agency_id is not None:
            found.setdefault(agency_id, []).append((steps, first_published_at, pk))
    return found


def internal_processes_status(scope: DashboardScope) -> dict[int, ItemStatus]:
    """Every live procedure of the agency has its internal process steps (Decree 118/2025)."""
    counts: dict[int, list[int]] = {}
    for agency_id, procedures in scope.memo("procedures", lambda: _procedures(scope)).items():
        counts[agency_id] = [len(procedures), sum(1 for steps, *_ in procedures if steps)]
    statuses = {}
    for agency_id, (total, with_steps) in counts.items():
        statuses[agency_id] = ItemStatus(
            done=with_steps == total,
            detail=f"{with_steps}/{total} thủ tục có quy trình nội bộ",
        )
    return statuses


for order, (kind, yearly, short) in enumerate(
    [
        (DocumentKind.CONTEXT, False, "Bối cảnh"),
        (DocumentKind.POLICY, False, "Chính sách"),
        (DocumentKind.MAINTENANCE_PLAN, True, "Kế hoạch duy trì"),
        (DocumentKind.OBJECTIVES, True, "Mục tiêu"),
    ]
):
    dashboard_item_register(
        DashboardItem(
            key=str(kind),
            label=DocumentKind(kind).label,
            order=10 * (order + 1),
            selector=_document_selector(kind, yearly=yearly),
            short_label=short,
        )
    )
# Objectives measured (45), risk register (50), audit programme (60), audit held (70) and
# management review held (80) are registered by the branches that build those records.
_announcement_document = _document_selector(
    DocumentKind.ANNOUNCEMENT, yearly=False, scope_check=True
)


def announcement_status(scope: DashboardScope) -> dict[int, ItemStatus]:
    """The announcement record (AnnouncementPage) when the agency has one in force, its scope
    compared with the live procedures; else the older path, a controlled document of kind
    «announcement»."""
    from .announcements import announcements_in_force

    statuses = _announcement_document(scope)
    for agency_id, found in announcements_in_force(scope).items():
        statuses[agency_id] = ItemStatus(
            done=True,
            detail=f"Quyết định số {found.number} ngày {found.decision_date:%d/%m/%Y}, hiệu lực "
            f"từ {found.effective_date:%d/%m/%Y}; phạm vi {len(found.covered)} thủ tục",
            url=reverse("wagtailadmin_pages:edit", args=[found.page_id]),
            warning=found.warning,
        )
    return statuses


dashboard_item_register(
    DashboardItem(
        key=str(DocumentKind.ANNOUNCEMENT),
        label=DocumentKind.ANNOUNCEMENT.label,
        order=90,
        selector=announcement_status,
        short_label="Công bố",
    )
)
dashboard_item_register(
    DashboardItem(
        key="internal_processes",
        label="Quy trình nội bộ đầy đủ",
        order=100,
        selector=internal_processes_status,
        short_label="Quy trình nội bộ",
    )
)
