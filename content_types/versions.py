"""Issued versions of controlled documents and forms, and the queries that say which is current.

A version is a published revision (DESIGN §5). Which version is current is decided by time
alone: the issued version with the latest `effective_from` not after the instant asked about.
The previous version therefore becomes obsolete at exactly that moment — never two current
versions, never a gap — whether or not the scheduled-publishing job has run yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from simple_history.models import HistoricalRecords


class DocumentVersion(models.Model):
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="tài liệu",
        on_delete=models.CASCADE,
        related_name="document_versions",
    )
    revision = models.OneToOneField(
        "wagtailcore.Revision",
        verbose_name="phiên bản nội dung",
        on_delete=models.CASCADE,
        related_name="document_version",
    )
    issue_number = models.PositiveIntegerField("lần ban hành")
    code = models.CharField("mã hiệu", max_length=64)
    title = models.CharField("tên", max_length=255)
    file = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="tệp",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="document_versions",
    )
    change_summary = models.TextField("tóm tắt thay đổi", blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người phê duyệt",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField("thời điểm phê duyệt")
    effective_from = models.DateTimeField("hiệu lực từ", db_index=True)
    # Set when a withdrawal (bãi bỏ) of the item is approved: from then on no version of the
    # page is in force (workflows.withdrawal).
    withdrawn_at = models.DateTimeField("bãi bỏ từ", null=True, blank=True, db_index=True)
    withdrawal_reason = models.TextField("lý do bãi bỏ", blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người phê duyệt bãi bỏ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "lần ban hành"
        verbose_name_plural = "các lần ban hành"
        ordering = ["page_id", "issue_number"]
        constraints = [
            models.UniqueConstraint(fields=["page", "issue_number"], name="unique_issue_number"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — lần ban hành {self.issue_number:02d}"

    @property
    def issue_label(self) -> str:
        return f"{self.issue_number:02d}"


class VersionStatus(models.TextChoices):
    CURRENT = "current", "Đang hiệu lực"
    SCHEDULED = "scheduled", "Chờ hiệu lực"
    OBSOLETE = "obsolete", "Hết hiệu lực"
    WITHDRAWN = "withdrawn", "Đã bãi bỏ"


def version_status(
    *,
    effective_from: datetime,
    effective_to: datetime | None,
    withdrawn_at: datetime | None,
    at: datetime,
) -> VersionStatus:
    """The one rule for a version's status at `at`, used by the public site, the version views
    and the master list alike: waiting until its effective moment, in force from that moment,
    obsolete from the next version's, withdrawn from the approved withdrawal's."""
    if effective_from > at:
        return VersionStatus.SCHEDULED
    if withdrawn_at is not None and withdrawn_at <= at:
        return VersionStatus.WITHDRAWN
    if effective_to is not None and effective_to <= at:
        return VersionStatus.OBSOLETE
    return VersionStatus.CURRENT


@dataclass(frozen=True)
class VersionPeriod:
    """A version with the period it is (or was, or will be) in force."""

    version: DocumentVersion
    effective_to: datetime | None  # when the next version took (or takes) effect
    status: VersionStatus


def _in_force_order(queryset):
    return queryset.order_by("effective_from", "issue_number")


def version_current(page_id: int, at: datetime | None = None) -> DocumentVersion | None:
    """The version in force at `at`; None before the first one and once withdrawn."""
    at = at or timezone.now()
    version = (
        DocumentVersion.objects.filter(page_id=page_id, effective_from__lte=at)
        .order_by("-effective_from", "-issue_number")
        .select_related("file", "approved_by", "revision")
        .first()
    )
    if version is not None and version.withdrawn_at is not None and version.withdrawn_at <= at:
        return None
    return version


def version_withdrawn(page_id: int, at: datetime | None = None) -> DocumentVersion | None:
    """The page's last version if the page was withdrawn (bãi bỏ) by `at`."""
    at = at or timezone.now()
    return (
        DocumentVersion.objects.filter(page_id=page_id, withdrawn_at__lte=at)
        .order_by("-issue_number")
        .first()
    )


def _periods(versions: list[DocumentVersion], at: datetime) -> list[VersionPeriod]:
    periods = []
    for index, version in enumerate(versions):
        following = versions[index + 1] if index + 1 < len(versions) else None
        effective_to = following.effective_from if following else None
        if version.withdrawn_at is not None:
            effective_to = version.withdrawn_at
        status = version_status(
            effective_from=version.effective_from,
            effective_to=effective_to,
            withdrawn_at=version.withdrawn_at,
            at=at,
        )
        periods.append(VersionPeriod(version, effective_to, status))
    return periods


def version_periods(page_id: int, at: datetime | None = None) -> list[VersionPeriod]:
    """Every issued version of a page, oldest first, with its period and status at `at`."""
    return version_periods_many([page_id], at).get(page_id, [])


def version_periods_many(page_ids, at: datetime | None = None) -> dict[int, list[VersionPeriod]]:
    """{page id: its versions' periods, oldest first} for many pages in one query."""
    at = at or timezone.now()
    by_page: dict[int, list[DocumentVersion]] = {}
    rows = _in_force_order(DocumentVersion.objects.filter(page_id__in=list(page_ids)))
    for version in rows.select_related("file", "approved_by", "withdrawn_by"):
        by_page.setdefault(version.page_id, []).append(version)
    return {page_id: _periods(versions, at) for page_id, versions in by_page.items()}


def _current(page_ids, at: datetime | None, **filters):
    at = at or timezone.now()
    latest = (
        DocumentVersion.objects.filter(page_id=models.OuterRef("page_id"), effective_from__lte=at)
        .order_by("-effective_from", "-issue_number")
        .values("pk")[:1]
    )
    # Unordered: callers key the rows by page (the model's default ordering costs a sort).
    return (
        DocumentVersion.objects.filter(
            page_id__in=list(page_ids), effective_from__lte=at, **filters
        )
        .filter(pk=models.Subquery(latest))
        .exclude(withdrawn_at__lte=at)
        .order_by()
    )


def current_versions(
    page_ids, at: datetime | None = None, related: tuple[str, ...] = (), **filters
) -> dict[int, DocumentVersion]:
    """{page id: its current version, with the `related` rows} for many pages in one query;
    `filters` narrow the versions (for example to those of live pages)."""
    rows = _current(page_ids, at, **filters).select_related(*related)
    return {version.page_id: version for version in rows}


def current_version_ids(page_ids, at: datetime | None = None) -> dict[int, int]:
    """{page id: id of its current version} for many pages in one query.

    The versions in effect are read once and the latest per page picked here: a correlated
    "latest version" subquery per row costs PostgreSQL a plan per page (tens of milliseconds
    for a page of search results)."""
    at = at or timezone.now()
    rows = DocumentVersion.objects.filter(
        page_id__in=list(page_ids), effective_from__lte=at
    ).values_list("page_id", "pk", "effective_from", "issue_number", "withdrawn_at")
    latest: dict[int, tuple] = {}
    for page_id, pk, effective_from, issue_number, withdrawn_at in rows:
        best = latest.get(page_id)
        if best is None or (effective_from, issue_number) > best[1:3]:
            latest[page_id] = (pk, effective_from, issue_number, withdrawn_at)
    return {
        page_id: best[0]
        for page_id, best in latest.items()
        if best[3] is None or best[3] > at  # withdrawn: nothing in force
    }
