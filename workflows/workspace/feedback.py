"""Citizen feedback on a procedure (issue 17 §6): submit, answer, publish, raise a nonconformity.

A citizen rates the service (1–5) and may write a feedback, a reflection or a petition (phản
ánh, kiến nghị), with an optional name and contact. The agency's staff answer it; the answer is
shown on the procedure page only when the citizen agreed *and* the staff marked it publishable.
Bad input is refused in Vietnamese and stores nothing; a filled honeypot stores nothing either,
but is answered like a success so a robot learns nothing; each address is rate limited.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wagtail.models import Page

from content_types.agency import AgencyPage
from content_types.procedures import ProcedurePage
from content_types.public_generation import public_change_on_commit
from content_types.quality.nonconformity import Nonconformity, NonconformitySource
from content_types.workspace import (
    FEEDBACK_ANSWER_MAX,
    FEEDBACK_CONTACT_MAX,
    FEEDBACK_MESSAGE_MAX,
    FEEDBACK_NAME_MAX,
    CitizenFeedback,
    FeedbackKind,
    FeedbackStatus,
)

from .roles import HANDLERS, user_has_role

# Days the agency has to answer (shown as the item's due date on «Việc cần làm»).
ANSWER_DAYS = 10
# Submissions allowed from one address: (count, seconds), several windows.
DEFAULT_RATE_LIMITS = ((5, 10 * 60), (20, 24 * 60 * 60))


@dataclass(frozen=True)
class FeedbackInput:
    kind: str
    rating: str | int | None
    message: str
    name: str = ""
    contact: str = ""
    consent_publish: bool = False
    honeypot: str = ""


def _has_bad_characters(text: str, *, multiline: bool) -> bool:
    allowed = {"\n", "\r", "\t"} if multiline else set()
    return any(
        unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") and ch not in allowed for ch in text
    )


def _text(value, *, label: str, limit: int, multiline: bool, errors: dict) -> str:
    text = str(value or "").strip()
    if _has_bad_characters(text, multiline=multiline):
        errors[label] = "chứa ký tự điều khiển hoặc ký tự ẩn; hãy gõ lại."
    elif len(text) > limit:
        errors[label] = f"dài quá {limit} ký tự (hiện có {len(text)})."
    return text


def feedback_clean(data: FeedbackInput) -> dict:
    """The checked fields, or ValidationError with one Vietnamese message per bad field."""
    errors: dict[str, str] = {}
    kind = data.kind or FeedbackKind.REVIEW
    if kind not in FeedbackKind.values:
        errors["kind"] = "Loại ý kiến không hợp lệ."
    rating = None
    raw = str(data.rating).strip() if data.rating not in (None, "") else ""
    if raw:
        if raw.isdigit() and raw.isascii() and 1 <= int(raw) <= 5:
            rating = int(raw)
        else:
            errors["rating"] = "Mức hài lòng phải là một số từ 1 đến 5."
    message = _text(
        data.message, label="message", limit=FEEDBACK_MESSAGE_MAX, multiline=True, errors=errors
    )
    name = _text(data.name, label="name", limit=FEEDBACK_NAME_MAX, multiline=False, errors=errors)
    contact = _text(
        data.contact, label="contact", limit=FEEDBACK_CONTACT_MAX, multiline=False, errors=errors
    )
    for key in ("message", "name", "contact"):
        if key in errors:
            label = {"message": "Nội dung", "name": "Họ tên", "contact": "Liên hệ"}[key]
            errors[key] = f"{label} {errors[key]}"
    if "message" not in errors and "rating" not in errors:
        if kind in (FeedbackKind.REFLECTION, FeedbackKind.PETITION) and not message:
            errors["message"] = "Hãy ghi nội dung phản ánh, kiến nghị."
        elif rating is None and not message:
            errors["rating"] = "Hãy chọn mức hài lòng hoặc ghi ý kiến của bạn."
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "rating": rating,
        "message": message,
        "name": name,
        "contact": contact,
        "consent_publish": bool(data.consent_publish),
    }


def _rate_limits():
    return getattr(settings, "ISO_FEEDBACK_RATE_LIMITS", DEFAULT_RATE_LIMITS)


def feedback_rate_allow(*, address: str | None) -> bool:
    """Count one submission from `address`; False once any window's limit is passed."""
    cache = caches["default"]
    who = hashlib.sha256((address or "unknown").encode()).hexdigest()[:32]
    allowed = True
    for count, seconds in _rate_limits():
        key = f"iso:feedback:{seconds}:{who}"
        if cache.add(key, 1, seconds):
            used = 1
        else:
            try:
                used = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, seconds)
                used = 1
        if used > count:
            allowed = False
    return allowed


def public_procedure(procedure_id: int) -> ProcedurePage | None:
    """The procedure if a visitor may see it: live and not in a private section."""
    page = Page.objects.live().public().type(ProcedurePage).filter(pk=procedure_id).first()
    return page.specific if page is not None else None


def feedback_submit(*, procedure: ProcedurePage, data: FeedbackInput) -> CitizenFeedback | None:
    """Store a citizen's feedback; None when the honeypot was filled (nothing stored)."""
    if (data.honeypot or "").strip():
        return None
    cleaned = feedback_clean(data)
    agency = AgencyPage.objects.ancestor_of(procedure).first()
    if agency is None:
        raise ValidationError("Thủ tục không thuộc cơ quan nào.")
    return CitizenFeedback.objects.create(
        agency=agency, procedure=procedure, procedure_title=procedure.title[:500], **cleaned
    )


# --- the agency's side ---------------------------------------------------------------------


def feedback_can_view(user, agency_id: int) -> bool:
    from workflows.quality.policy import Right, quality_can

    if user.is_superuser:
        return True
    agency = AgencyPage(pk=agency_id)
    return quality_can(user, agency, Right.READ)


def feedback_can_answer(user, agency_id: int) -> bool:
    return bool(user.is_superuser or user_has_role(user, agency_id, HANDLERS))


def feedback_due(feedback: CitizenFeedback):
    return timezone.localdate(feedback.created_at) + timezone.timedelta(days=ANSWER_DAYS)


@transaction.atomic
def feedback_answer(
    *, feedback: CitizenFeedback, user, answer: str, status: str, publishable: bool
) -> CitizenFeedback:
    """Write or change the answer and the status; publishing needs the citizen's consent."""
    if not feedback_can_answer(user, feedback.agency_id):
        raise PermissionDenied("Chỉ cán bộ của cơ quan được trả lời ý kiến này.")
    feedback = CitizenFeedback.objects.select_for_update().get(pk=feedback.pk)
    was_public = feedback.shown_publicly
    errors: dict[str, str] = {}
    text = _text(answer, label="answer", limit=FEEDBACK_ANSWER_MAX, multiline=True, errors=errors)
    if "answer" in errors:
        errors["answer"] = f"Câu trả lời {errors['answer']}"
    if status not in FeedbackStatus.values:
        errors["status"] = "Tình trạng không hợp lệ."
    elif status in (FeedbackStatus.ANSWERED,) and not text:
        errors["answer"] = "Hãy ghi câu trả lời trước khi chuyển sang «Đã trả lời»."
    if publishable and not feedback.consent_publish:
        errors["publishable"] = (
            "Người gửi không đồng ý công khai câu trả lời: không thể cho hiện trên cổng."
        )
    elif publishable and not text:
        errors["publishable"] = "Chưa có câu trả lời để công khai."
    if errors:
        raise ValidationError(errors)
    if text != feedback.answer:
        feedback.answer = text
        feedback.answered_by = user
        feedback.answered_at = timezone.now()
    feedback.status = status
    feedback.publishable = bool(publishable)
    feedback._change_reason = "Trả lời, cập nhật tình trạng"
    feedback.save()
    if was_public or feedback.shown_publicly:
        # The procedure page shows it (or not): its agency's generation moves.
        path = Page.objects.filter(pk=feedback.procedure_id).values_list("path", flat=True).first()
        public_change_on_commit(paths=[path] if path else None)
    return feedback


def feedback_raise_nonconformity(*, feedback: CitizenFeedback, user) -> Nonconformity:
    """Raise the agency's nonconformity from a complaint, once (source: citizen feedback)."""
    from workflows.quality.nonconformities import nonconformity_raise

    if feedback.nonconformity_id:
        raise ValidationError(f"Ý kiến này đã được lập phiếu {feedback.nonconformity.code}.")
    with transaction.atomic():
        locked = CitizenFeedback.objects.select_for_update().get(pk=feedback.pk)
        if locked.nonconformity_id:
            raise ValidationError("Ý kiến này đã được lập phiếu không phù hợp.")
        title = f"{locked.get_kind_display()} về «{locked.procedure_title}»"
        description = locked.message or f"Mức hài lòng {locked.rating}/5, không ghi nội dung."
        nc = nonconformity_raise(
            agency=locked.agency,
            title=title[:255],
            description=f"Ý kiến của người dân gửi ngày {locked.created_at:%d/%m/%Y}:\n"
            + description,
            source=NonconformitySource.COMPLAINT,
            raised_on=timezone.localdate(),
            user=user,
        )
        locked.nonconformity = nc
        if locked.status == FeedbackStatus.NEW:
            locked.status = FeedbackStatus.IN_PROGRESS
        locked._change_reason = f"Lập phiếu không phù hợp {nc.code}"
        locked.save()
    return nc
