"""The management review's behaviour: the minutes drafted with their inputs filled from the
year's records, refilled on demand, decisions turned into actions on approval, the printed
minutes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from content_types.agency import AgencyPage, AgencyRole
from content_types.indexes import QualitySystemPage
from content_types.quality.action import ActionSource, QualityAction
from content_types.quality.review import ManagementReviewInput, ManagementReviewPage
from content_types.quality.rules import agency_of, agency_staff, user_label
from themes.renderers import (
    ReviewDecisionLine,
    ReviewInputLine,
    ReviewMinutesDocument,
    letterhead_of,
    review_minutes_docx,
    review_minutes_pdf,
)

from .review_inputs import review_input_sources
from .risks import _action_upsert


@dataclass(frozen=True)
class FillResult:
    filled: list[str]  # labels of the inputs written from the records
    kept: list[str]  # labels of the inputs a person edited, left as they were


def _fill_rows(review: ManagementReviewPage, *, agency: AgencyPage, overwrite: bool) -> FillResult:
    rows = {row.key: row for row in review.inputs.all() if row.key}
    others = [row for row in review.inputs.all() if not row.key]
    filled, kept, ordered = [], [], []
    for source in review_input_sources():
        value = source.provide(agency=agency, year=review.year)
        row = rows.pop(source.key, None)
        if row is None:
            row = ManagementReviewInput(
                key=source.key, clause_ref=source.clause_ref, label=source.label
            )
        if overwrite or not row.edited:
            row.text = value.text
            filled.append(row.label)
        else:
            kept.append(row.label)
        row.generated, row.figures = value.text, value.figures
        ordered.append(row)
    # Inputs added by hand, and those of a provider no longer registered, stay at the end.
    review.inputs = ordered + list(rows.values()) + others
    return FillResult(filled=filled, kept=kept)


@transaction.atomic
def management_review_create(
    *, agency: AgencyPage, year: int, meeting_date: date, user
) -> ManagementReviewPage:
    """A draft of the minutes, its inputs already filled from the year's records."""
    quality_system = agency.get_children().type(QualitySystemPage).first()
    if quality_system is None or not quality_system.permissions_for_user(user).can_add_subpage():
        raise PermissionDenied
    if not 2000 <= year <= 2100:
        raise ValidationError("Năm được xem xét không hợp lệ.")
    if meeting_date.year not in (year, year + 1):
        raise ValidationError(
            f"Cuộc họp xem xét kết quả năm {year} phải diễn ra trong năm {year} hoặc đầu năm "
            f"{year + 1}."
        )
    held = ManagementReviewPage.objects.descendant_of(agency).filter(year=year).count()
    staff = list(agency_staff(agency))
    leaders = [u for u in staff if u.groups.filter(agency_role__role=AgencyRole.APPROVERS).exists()]
    chair = user_label(leaders[0]) if leaders else "Lãnh đạo cơ quan"
    suffix = f" (lần {held + 1})" if held else ""
    review = ManagementReviewPage(
        title=f"Họp xem xét của lãnh đạo về HTQLCL năm {year}{suffix}",
        slug=f"xem-xet-lanh-dao-{year}" + (f"-{held + 1}" if held else ""),
        year=year,
        number=f"…/BB-{agency.agency_code}",
        meeting_date=meeting_date,
        chair=chair,
        participants="\n".join(user_label(u) for u in staff) or "Lãnh đạo và các đơn vị",
        live=False,
        owner=user,
    )
    _fill_rows(review, agency=agency, overwrite=True)
    quality_system.add_child(instance=review)
    review.save_revision(user=user, log_action=True)
    return review


@transaction.atomic
def management_review_fill(
    *, review: ManagementReviewPage, user, overwrite: bool = False
) -> FillResult:
    """«Lấy dữ liệu từ hồ sơ»: refill the inputs from the records, keeping the text a person
    edited unless `overwrite`; a new revision, to be approved again."""
    if not review.permissions_for_user(user).can_edit():
        raise PermissionDenied
    draft = review.get_latest_revision_as_object()
    result = _fill_rows(draft, agency=agency_of(review), overwrite=overwrite)
    draft.save_revision(user=user, log_action=True)
    return result


@transaction.atomic
def review_actions_sync(*, review: ManagementReviewPage) -> list[QualityAction]:
    """Each decision of the approved minutes is an action of the agency's one list."""
    agency = agency_of(review)
    return [
        _action_upsert(
            agency=agency,
            source=ActionSource.REVIEW,
            page=review,
            key=d.uid,
            title=d.decision,
            description=f"{d.get_kind_display()} — {review.title}",
            owner=d.owner,
            due=d.due_date,
        )
        for d in review.decisions.select_related("owner")
    ]


def review_minutes_document(review: ManagementReviewPage) -> ReviewMinutesDocument:
    """The approved version when there is one, else the draft being written (marked DỰ THẢO)."""
    shown = review if review.live else review.get_latest_revision_as_object()
    return ReviewMinutesDocument(
        letterhead=letterhead_of(
            agency_of(review), number=shown.number, place=shown.place, issued_on=shown.meeting_date
        ),
        title=shown.title,
        chair=shown.chair,
        secretary=shown.secretary,
        participants=shown.participants,
        inputs=[ReviewInputLine(i.clause_ref, i.label, i.text) for i in shown.inputs.all()],
        decisions=[
            ReviewDecisionLine(d.get_kind_display(), d.decision, user_label(d.owner), d.due_date)
            for d in shown.decisions.all()
        ],
        conclusion=shown.conclusion,
        recipients=shown.recipients,
        draft=not review.live,
    )


def review_minutes_docx_bytes(review: ManagementReviewPage) -> bytes:
    return review_minutes_docx(review_minutes_document(review))


def review_minutes_pdf_bytes(review: ManagementReviewPage) -> bytes:
    return review_minutes_pdf(review_minutes_document(review))
