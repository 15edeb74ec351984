"""Who may download a file that belongs to a controlled document or form, and in what form.

- The file of a version in force: anyone who may see its page (public pages: everyone), and
  everyone for the quality policy and the announcement decision.
- The file of a version not yet in force: the agency's staff only.
- The file of obsolete versions only: the agency's staff only (and province administrators and
  internal auditors), PDFs stamped "HẾT HIỆU LỰC" with the date they were superseded, so an
  outdated form cannot be picked up by mistake.
Files that belong to no version fall back to Wagtail's own rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from wagtail.models import Page, PageViewRestriction

from content_types.agency import AgencyPage
from content_types.documents import ControlledDocumentPage
from content_types.public import PUBLIC_DOCUMENT_KINDS
from content_types.versions import DocumentVersion, current_version_ids

from .access import user_agency_ids, user_sees_every_agency


@dataclass(frozen=True)
class FileVerdict:
    allowed: bool
    superseded_on: date | None = None  # set for an obsolete file: stamp it


def _is_staff_of(user, page: Page) -> bool:
    if not user.is_authenticated:
        return False
    if user_sees_every_agency(user):
        return True
    agency = AgencyPage.objects.ancestor_of(page).first()
    return agency is not None and agency.pk in user_agency_ids(user)


def _publicly_visible(page: Page) -> bool:
    return (
        page.live
        and not PageViewRestriction.objects.filter(
            page__in=page.get_ancestors(inclusive=True)
        ).exists()
    )


def _published_quality_item(page: Page) -> bool:
    """The quality policy and the announcement decision are published to citizens (ISO 9001
    clause 5.2.2) although they sit in the private quality-system section."""
    return (
        page.live
        and ControlledDocumentPage.objects.filter(
            pk=page.pk, kind__in=PUBLIC_DOCUMENT_KINDS
        ).exists()
    )


def file_verdict(document, user, at: datetime | None = None) -> FileVerdict:
    at = at or timezone.now()
    versions = list(DocumentVersion.objects.filter(file=document).select_related("page"))
    if not versions:
        return FileVerdict(allowed=True)
    current = current_version_ids({v.page_id for v in versions}, at)
    in_force = [v for v in versions if current.get(v.page_id) == v.pk]
    if any(_publicly_visible(v.page) or _published_quality_item(v.page) for v in in_force):
        return FileVerdict(allowed=True)
    if not any(_is_staff_of(user, v.page) for v in versions):
        return FileVerdict(allowed=False)
    if in_force:
        return FileVerdict(allowed=True)
    superseded = [
        successor.effective_from
        for v in versions
        if v.effective_from <= at
        for successor in DocumentVersion.objects.filter(
            page_id=v.page_id, effective_from__gt=v.effective_from, effective_from__lte=at
        ).order_by("effective_from")[:1]
    ]
    if not superseded:  # only versions still waiting to take effect
        return FileVerdict(allowed=True)
    return FileVerdict(allowed=True, superseded_on=timezone.localdate(max(superseded)))
