"""«Việc cần làm»: what is overdue, what falls due this month, what waits, and the year's state.

Reads every registered WorkSource (workflows.workspace.registry) for the user's agencies and the
province dashboard's items (workflows.oversight.registry) for the agency's own row.
"""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from content_types.agency import AgencyPage

from .registry import WorkItem, WorkScope, work_sources
from .roles import user_roles

logger = logging.getLogger(__name__)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@dataclass(frozen=True)
class ShownItem:
    item: WorkItem
    source_label: str
    agency_title: str
    days_late: int  # > 0: overdue by this many days
    days_left: int | None

    @property
    def when(self) -> str:
        if self.item.due is None:
            return ""
        if self.days_late > 0:
            return f"Quá hạn {self.days_late} ngày"
        if self.days_left == 0:
            return "Hạn hôm nay"
        return f"Hạn {self.item.due:%d/%m/%Y} (còn {self.days_left} ngày)"


@dataclass(frozen=True)
class YearRow:
    label: str
    done: bool
    detail: str
    url: str
    warning: str = ""


@dataclass
class Workspace:
    today: date
    agencies: list[AgencyPage]
    overdue: list[ShownItem] = field(default_factory=list)
    due_soon: list[ShownItem] = field(default_factory=list)  # by the end of this month
    waiting: list[ShownItem] = field(default_factory=list)  # no date, or later
    counts: dict[str, int] = field(default_factory=dict)  # per source label
    year: dict[int, list[YearRow]] = field(default_factory=dict)  # agency id → rows

    @property
    def to_approve(self) -> list[ShownItem]:
        """The steps awaiting the user, shown first: a leader's main work on this screen."""
        return [shown for shown in self.waiting if shown.item.kind == "approval"]

    @property
    def waiting_other(self) -> list[ShownItem]:
        return [shown for shown in self.waiting if shown.item.kind != "approval"]

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.due_soon or self.waiting)


def workspace_agencies(user) -> list[AgencyPage]:
    """The agencies whose work the user does: those they hold a role in."""
    ids = list(user_roles(user))
    return list(AgencyPage.objects.filter(pk__in=ids).order_by("title"))


def workspace_items(*, user, agencies, today: date, horizon: date) -> list[tuple[str, WorkItem]]:
    scope = WorkScope(
        user=user, agency_ids=tuple(a.pk for a in agencies), today=today, horizon=horizon
    )
    allowed = set(scope.agency_ids)
    found = []
    for source in work_sources():
        for item in source.collect(scope):
            # A source never widens the scope: another agency's item is dropped here too.
            if item.agency_id in allowed:
                found.append((source.label, item))
    return found


def year_rows(*, agencies, today: date) -> dict[int, list[YearRow]]:
    """The agencies' rows of the province dashboard, from its own selectors."""
    from ..oversight.registry import DashboardScope, dashboard_items

    if not agencies:
        return {}
    scope = DashboardScope(year=today.year, agencies=list(agencies))
    rows: dict[int, list[YearRow]] = {agency.pk: [] for agency in agencies}
    for item in dashboard_items():
        try:
            statuses = item.selector(scope)
        except Exception:  # one broken item must not take the first screen down
            logger.exception("dashboard item %s failed on the workspace", item.key)
            continue
        for agency in agencies:
            status = statuses.get(agency.pk)
            rows[agency.pk].append(
                YearRow(
                    label=item.label,
                    done=bool(status and status.done),
                    detail=(status.detail if status else "") or "",
                    url=(status.url if status else "") or "",
                    warning=(status.warning if status else "") or "",
                )
            )
    return rows


def workspace_build(*, user, today: date, with_year: bool = True) -> Workspace:
    agencies = workspace_agencies(user)
    titles = {agency.pk: agency.title for agency in agencies}
    screen = Workspace(today=today, agencies=agencies)
    horizon = month_end(today)
    for label, item in workspace_items(user=user, agencies=agencies, today=today, horizon=horizon):
        late = (today - item.due).days if item.due is not None else 0
        left = (item.due - today).days if item.due is not None else None
        shown = ShownItem(item, label, titles.get(item.agency_id, ""), max(late, 0), left)
        screen.counts[label] = screen.counts.get(label, 0) + 1
        if item.due is not None and item.due < today:
            screen.overdue.append(shown)
        elif item.due is not None and item.due <= horizon:
            screen.due_soon.append(shown)
        else:
            screen.waiting.append(shown)
    screen.overdue.sort(key=lambda s: (s.item.due, s.item.title))
    screen.due_soon.sort(key=lambda s: (s.item.due, s.item.title))
    if with_year:
        screen.year = year_rows(agencies=agencies, today=today)
    return screen


def digest_items(*, user, today: date, days_ahead: int = 7) -> list[ShownItem]:
    """What a reminder e-mail lists: overdue, due within `days_ahead`, and approvals waiting."""
    screen = workspace_build(user=user, today=today, with_year=False)
    soon = today + timedelta(days=days_ahead)
    return [
        shown
        for shown in [*screen.overdue, *screen.due_soon, *screen.waiting]
        if (shown.item.due is not None and shown.item.due <= soon) or shown.item.kind == "approval"
    ]
