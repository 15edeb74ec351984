"""The announcement decision (quyết định công bố HTQLCL) in force and whether its scope still
matches the agency's live procedures. Fixed queries for any number of agencies."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from content_types.announcement import AnnouncementPage

from .registry import DashboardScope


@dataclass(frozen=True)
class AnnouncementInForce:
    page_id: int
    title: str
    number: str
    decision_date: date
    effective_date: date
    covered: frozenset[int]  # procedure ids in the decision's scope
    added: list[int] = field(default_factory=list)  # live procedures published since, not covered
    abolished: list[int] = field(default_factory=list)  # covered, no longer live

    @property
    def needs_reannouncement(self) -> bool:
        return bool(self.added or self.abolished)

    @property
    def warning(self) -> str:
        if not self.needs_reannouncement:
            return ""
        parts = []
        if self.added:
            parts.append(f"{len(self.added)} thủ tục mới chưa thuộc phạm vi")
        if self.abolished:
            parts.append(f"{len(self.abolished)} thủ tục trong phạm vi đã bãi bỏ")
        return "Phạm vi đã thay đổi (" + ", ".join(parts) + "): cần công bố lại HTQLCL"


def live_procedure_ids(scope: DashboardScope) -> dict[int, set[int]]:
    """{agency id: ids of its live procedures}, from the query the dashboard's items share."""
    from .items import live_procedures

    return {
        agency_id: {pk for *_rest, pk in rows} for agency_id, rows in live_procedures(scope).items()
    }


def announcements_in_force(scope: DashboardScope) -> dict[int, AnnouncementInForce]:
    """{agency id: its approved decision in force at the scope's end} with the scope compared to
    the live procedures; two queries (and the items' shared one) whatever the number of agencies."""

    def build() -> dict[int, AnnouncementInForce]:
        agency_of = scope.agency_of_path()
        last_day = timezone.localtime(scope.end).date()
        rows = (
            AnnouncementPage.objects.live()
            .filter(effective_date__lte=last_day)
            .values_list("pk", "path", "title", "number", "decision_date", "effective_date")
            .order_by("effective_date", "decision_date", "pk")
        )
        latest: dict[int, tuple] = {}
        for row in rows:
            agency_id = agency_of(row[1])
            if agency_id is not None:
                latest[agency_id] = row  # ordered: the last one wins
        through = AnnouncementPage.procedures.through
        covered: dict[int, set[int]] = {}
        pairs = through.objects.filter(
            announcementpage_id__in=[row[0] for row in latest.values()]
        ).values_list("announcementpage_id", "procedurepage_id")
        for page_id, procedure_id in pairs:
            covered.setdefault(page_id, set()).add(procedure_id)
        live = live_procedure_ids(scope)
        found = {}
        for agency_id, (pk, _path, title, number, decided, effective) in latest.items():
            scope_ids = covered.get(pk, set())
            now_live = live.get(agency_id, set())
            found[agency_id] = AnnouncementInForce(
                page_id=pk,
                title=title,
                number=number,
                decision_date=decided,
                effective_date=effective,
                covered=frozenset(scope_ids),
                added=sorted(now_live - scope_ids),
                abolished=sorted(scope_ids - now_live),
            )
        return found

    return scope.memo("announcements", build)
