"""What is due for a signed-in user: a registry that each QMS part adds a source to.

The «Việc cần làm» workspace (and its e-mail reminders) asks every registered source for the
work items of the user's agencies, so the workspace knows nothing of objectives, risks or
feedback and each part keeps its own queries. A source answers for all the given agencies at
once, in a fixed number of queries (never one per agency or per item):

    from workflows.workspace.registry import WorkItem, WorkSource, work_source_register

    def due_measurements(request_scope):
        return [WorkItem(kind="objective_measurement", title="…", url="…", due=…, agency_id=…)]

    work_source_register(WorkSource("objective_measurement", "Đo lường mục tiêu", 20,
                                    due_measurements))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser


@dataclass(frozen=True)
class WorkItem:
    kind: str  # the source's key
    title: str  # what to do, in Vietnamese, e.g. «Đo lường mục tiêu "…" tháng 11»
    url: str  # the admin page where it is done: one click from the workspace
    agency_id: int
    due: date | None = None  # None: no date (e.g. awaiting my approval)
    detail: str = ""  # a short second line (unit, owner, state)
    action_label: str = ""  # a button beside the title for the one thing to do («Xem và phê duyệt»)

    def is_overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today


@dataclass(frozen=True)
class WorkScope:
    """Who asks and for which agencies: sources filter by both (rights checked by the caller)."""

    user: AbstractBaseUser
    agency_ids: tuple[int, ...]
    today: date
    horizon: date  # the last day counted as "due soon" (end of this month by default)


Collector = Callable[[WorkScope], list[WorkItem]]


@dataclass(frozen=True)
class WorkSource:
    key: str
    label: str  # the workspace section's heading
    order: int
    collect: Collector


_SOURCES: dict[str, WorkSource] = {}


def work_source_register(source: WorkSource) -> WorkSource:
    """Add (or replace, by key) a source of work items."""
    _SOURCES[source.key] = source
    return source


def work_source_unregister(key: str) -> None:
    _SOURCES.pop(key, None)


def work_sources() -> list[WorkSource]:
    return sorted(_SOURCES.values(), key=lambda source: (source.order, source.key))
