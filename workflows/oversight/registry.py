"""The province dashboard's required items: a registry that other apps add to.

An item is a key, a label, a position and one selector. The selector receives the dashboard's
scope (the year, the agencies shown) and answers for all agencies at once, in a fixed number of
queries — never one per agency — with {agency id: ItemStatus}; an agency it leaves out has not
done the item. To add an item (an app's `ready()` or a module it imports):

    from workflows.oversight.registry import DashboardItem, ItemStatus, dashboard_item_register

    def risk_register_status(scope):
        return {agency_id: ItemStatus(done=True, detail="…", url="…") for agency_id in …}

    dashboard_item_register(DashboardItem("risk_register", "Sổ rủi ro, cơ hội", 35,
                                          risk_register_status))

Items not registered are simply not shown (the branches that build them register them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from django.utils import timezone

from content_types.agency import AgencyPage, agency_path_finder


@dataclass(frozen=True)
class ItemStatus:
    done: bool
    detail: str = ""  # what was found, or what is missing: shown on the agency's record
    url: str = ""  # the admin page of the record that proves it
    warning: str = ""  # done, but something needs attention (e.g. a re-announcement)


@dataclass
class DashboardScope:
    year: int
    agencies: list[AgencyPage]
    now: datetime = field(default_factory=timezone.now)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def start(self) -> datetime:
        """The first instant of the year, local time."""
        return timezone.make_aware(datetime.combine(datetime(self.year, 1, 1), time.min))

    @property
    def end(self) -> datetime:
        """The last instant counted: the year's end, or now during the current year."""
        end = timezone.make_aware(datetime.combine(datetime(self.year, 12, 31), time.max))
        return min(end, self.now)

    @property
    def agency_ids(self) -> list[int]:
        return [agency.pk for agency in self.agencies]

    def memo(self, key: str, build: Callable[[], Any]) -> Any:
        """Share one query among several items (the document kinds read the same rows)."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def agency_of_path(self) -> Callable[[str], int | None]:
        """A function from a page path to the id of the shown agency above it, or None."""
        return agency_path_finder({agency.path: agency.pk for agency in self.agencies})


Selector = Callable[[DashboardScope], dict[int, ItemStatus]]


@dataclass(frozen=True)
class DashboardItem:
    key: str
    label: str
    order: int
    selector: Selector
    short_label: str = ""  # the column heading, when the label is long

    @property
    def heading(self) -> str:
        return self.short_label or self.label


_ITEMS: dict[str, DashboardItem] = {}


def dashboard_item_register(item: DashboardItem) -> DashboardItem:
    """Add (or replace, by key) an item of the dashboard."""
    _ITEMS[item.key] = item
    return item


def dashboard_item_unregister(key: str) -> None:
    _ITEMS.pop(key, None)


def dashboard_items() -> list[DashboardItem]:
    from ..quality import dashboard_items as _audit  # noqa: F401  (programme, audit held)
    from ..quality import objective_items as _objectives  # noqa: F401  (pages count too)
    from ..quality import review_items as _review  # noqa: F401  (risk register, review held)
    from . import items  # noqa: F401  (registers the built-in items once)

    return sorted(_ITEMS.values(), key=lambda item: (item.order, item.key))
