"""Periodic review of controlled documents and forms (ISO 9001:2015 clause 7.5.2, issue 17 §5).

A document falls due for review `review_interval_months` after the later of its version in
force taking effect and its last «Đã rà soát, không thay đổi». Recording that review changes no
issue number and makes no version: it only moves the next due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Q
from django.utils import timezone

from wagtail.models import Page

from content_types.agency import AgencyPage, agency_path_finder
from content_types.catalogue import add_months
from content_types.documents import ControlledDocumentPage, FormDocumentPage
from content_types.versions import DocumentVersion
from content_types.workspace import DocumentReview

from .roles import APPROVERS, EDITORS, user_has_role

REVIEW_ROLES = (EDITORS, APPROVERS)
DEFAULT_INTERVAL_MONTHS = 12
NOTE_MAX = 2000


@dataclass(frozen=True)
class ReviewDue:
    page_id: int
    title: str
    code: str
    kind_label: str  # «Biểu mẫu» or the document's kind
    agency_id: int
    interval_months: int
    since: date | None  # the version's effect or the last review: where the interval starts
    last_review: DocumentReview | None
    due: date | None


def _agency_finder(agencies) -> callable:
    by_path = {agency.path: agency.pk for agency in agencies}
    return agency_path_finder(by_path)


def documents_review_status(
    *, agency_ids, horizon: date | None = None, today: date | None = None
) -> list[ReviewDue]:
    """Every live controlled document and form of the agencies with its next review date, in a
    fixed number of queries; with `horizon`, only those due by then. Earliest due first."""
    agencies = list(AgencyPage.objects.filter(pk__in=list(agency_ids)).only("pk", "path"))
    if not agencies:
        return []
    find = _agency_finder(agencies)
    under = Q()
    for agency in agencies:
        under |= Q(path__startswith=agency.path)
    pages = []
    for model, kind_label in ((ControlledDocumentPage, None), (FormDocumentPage, "Biểu mẫu")):
        fields = ["pk", "title", "code", "path", "review_interval_months", "last_published_at"]
        if model is ControlledDocumentPage:
            fields.append("kind")
        rows = model.objects.live().filter(under).only(*fields)
        for page in rows:
            label = kind_label or page.get_kind_display()
            pages.append((page, label))
    ids = [page.pk for page, _ in pages]
    now = timezone.now()
    effective = dict(
        DocumentVersion.objects.filter(page_id__in=ids, effective_from__lte=now)
        .values("page_id")
        .annotate(last=Max("effective_from"))
        .values_list("page_id", "last")
    )
    withdrawn = set(
        DocumentVersion.objects.filter(page_id__in=ids, withdrawn_at__lte=now).values_list(
            "page_id", flat=True
        )
    )
    last_reviews: dict[int, DocumentReview] = {}
    for review in DocumentReview.objects.filter(page_id__in=ids).select_related("reviewed_by"):
        # Ordered newest first: the first seen per page is its last review.
        last_reviews.setdefault(review.page_id, review)
    result = []
    for page, label in pages:
        if page.pk in withdrawn:
            continue
        started = effective.get(page.pk) or page.last_published_at
        since = timezone.localdate(started) if started else None
        review = last_reviews.get(page.pk)
        if review is not None and (since is None or review.reviewed_on > since):
            since = review.reviewed_on
        interval = page.review_interval_months or DEFAULT_INTERVAL_MONTHS
        due = add_months(since, interval) if since else None
        if horizon is not None and (due is None or due > horizon):
            continue
        result.append(
            ReviewDue(
                page_id=page.pk,
                title=page.title,
                code=page.code,
                kind_label=label,
                agency_id=find(page.path),
                interval_months=interval,
                since=since,
                last_review=review,
                due=due,
            )
        )
    result.sort(key=lambda r: (r.due or date.max, r.title))
    return result


def document_review_can(user, page: Page, agency: AgencyPage) -> bool:
    return user is not None and user_has_role(user, agency.pk, REVIEW_ROLES)


def reviewable_document(page_id: int) -> tuple[Page, AgencyPage]:
    """The live controlled document or form with this id and its agency, or ValidationError."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        raise ValidationError("Không tìm thấy tài liệu.")
    page = page.specific
    if not isinstance(page, ControlledDocumentPage | FormDocumentPage):
        raise ValidationError("Chỉ rà soát tài liệu hệ thống và biểu mẫu.")
    agency = AgencyPage.objects.ancestor_of(page).first()
    if agency is None:
        raise ValidationError("Tài liệu không thuộc cơ quan nào.")
    return page, agency.specific


def document_review_record(
    *, page: Page, agency: AgencyPage, user, note: str = "", reviewed_on: date | None = None
) -> DocumentReview:
    """«Đã rà soát, không thay đổi»: who, when, why; no new issue number, no new version."""
    if not document_review_can(user, page, agency):
        raise PermissionDenied("Chỉ biên tập viên và lãnh đạo của cơ quan được ghi nhận rà soát.")
    note = (note or "").strip()
    if "\x00" in note:
        raise ValidationError("Ghi chú chứa ký tự không hợp lệ; hãy gõ lại.")
    if len(note) > NOTE_MAX:
        raise ValidationError(f"Ghi chú dài quá {NOTE_MAX} ký tự.")
    if not page.live:
        raise ValidationError("Tài liệu chưa ban hành: chưa có gì để rà soát.")
    today = timezone.localdate()
    reviewed_on = reviewed_on or today
    if reviewed_on > today:
        raise ValidationError("Ngày rà soát không được sau hôm nay.")
    return DocumentReview.objects.create(
        agency=agency, page=page, reviewed_on=reviewed_on, reviewed_by=user, note=note
    )
