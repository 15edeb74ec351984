"""Who may download a file that belongs to a controlled document or form, and in what form.

- The file of a version in force: anyone who may see its page (public pages: everyone), and
  everyone for the quality policy and the announcement decision.
- The file of a version not yet in force: the agency's staff only.
- The file of obsolete versions only: the agency's staff only (and province administrators and
  internal auditors), PDFs stamped "HẾT HIỆU LỰC" with the date they were superseded, so an
  outdated form cannot be picked up by mistake.
- The signed file of an approved announcement decision (content_types.announcement): everyone.
- A file that belongs to no issued version (a draft form's new file, an attachment of a private
  draft): the staff of the agency whose collection holds it (and those who see every agency),
  and everyone only when a published, public page links it in its published content.
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
    # Refused because a newer version is in force on this public page: send the visitor there.
    replaced_on: Page | None = None


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


def _holds_collection_right(user, document) -> bool:
    from wagtail.permissions import policy_registry

    if not user.is_authenticated:
        return False
    if user_sees_every_agency(user):
        return True
    policy = policy_registry.get_by_type(type(document))
    return policy.user_has_any_permission_for_instance(
        user, ["add", "change", "choose", "delete"], document
    )


def _linked_from_public_content(document) -> bool:
    """Whether a live, public page links `document` in its published content.

    The reference index may hold a draft's links; each candidate page is read again from its
    row (a live page's row is its published content) and scanned for the link itself.
    """
    from wagtail.models import ReferenceIndex

    base_type = ReferenceIndex._get_base_content_type(document)
    page_type = ReferenceIndex._get_base_content_type(Page)
    candidates = (
        ReferenceIndex.get_references_to(document)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    )
    for page in Page.objects.filter(pk__in=list(candidates), live=True).specific():
        if not _publicly_visible(page):
            continue
        for content_type_id, object_id, *_ in ReferenceIndex._extract_references_from_object(page):
            if content_type_id == base_type.pk and str(object_id) == str(document.pk):
                return True
    return False


def _signed_announcement_file(document) -> bool:
    """The signed file of an approved announcement decision: published with it on the portal
    (the decision sits in the private section, so the reference walk above does not see it)."""
    from content_types.announcement import AnnouncementPage

    return AnnouncementPage.objects.live().filter(signed_file=document).exists()


def _unversioned_file_allowed(document, user) -> bool:
    return (
        _holds_collection_right(user, document)
        or _signed_announcement_file(document)
        or _linked_from_public_content(document)
    )


def file_verdict(document, user, at: datetime | None = None) -> FileVerdict:
    at = at or timezone.now()
    versions = list(DocumentVersion.objects.filter(file=document).select_related("page"))
    if not versions:
        return FileVerdict(allowed=_unversioned_file_allowed(document, user))
    current = current_version_ids({v.page_id for v in versions}, at)
    in_force = [v for v in versions if current.get(v.page_id) == v.pk]
    if any(_publicly_visible(v.page) or _published_quality_item(v.page) for v in in_force):
        return FileVerdict(allowed=True)
    if not any(_is_staff_of(user, v.page) for v in versions):
        public_pages = [
            v.page
            for v in versions
            if v.effective_from <= at
            and current.get(v.page_id) not in (None, v.pk)
            and _publicly_visible(v.page)
        ]
        return FileVerdict(allowed=False, replaced_on=public_pages[0] if public_pages else None)
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
