"""Withdrawal (bãi bỏ) of a live document, form or procedure, through the agency's approval.

An editor asks, with a reason and an effective date; the request runs the agency's workflow
(Kiểm tra → Lãnh đạo phê duyệt, with the same separation of duties as a new version). When the
last step approves, nothing is published: the item's last version is marked withdrawn from the
effective moment (the version queries then offer nothing in force, so forms vanish from the
form page, procedure pages, search and the API at that very moment), and the page is unpublished
then — at once, or by Wagtail's scheduled unpublishing (`expire_at`, run by Celery beat every
minute). Staff keep the page, its history and its versions.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wagtail.log_actions import log
from wagtail.models import Page, Revision, WorkflowState

from content_types.versions import DocumentVersion

from .models import WithdrawalRequest
from .versioning import is_versioned


def withdrawal_of(workflow_state: WorkflowState | None) -> WithdrawalRequest | None:
    if workflow_state is None:
        return None
    return WithdrawalRequest.objects.filter(workflow_state=workflow_state).first()


def withdrawal_pending(page: Page) -> WithdrawalRequest | None:
    """The withdrawal under review (or returned) for `page`, if its workflow is one."""
    return withdrawal_of(page.current_workflow_state)


def user_can_request_withdrawal(user, page: Page) -> bool:
    return (
        page.live
        and page.get_workflow() is not None
        and page.permissions_for_user(user).can_edit()
        and not page.workflow_in_progress
    )


@transaction.atomic
def withdrawal_request(
    *,
    page: Page,
    user,
    reason: str,
    effective_at: datetime | None,
    permission_checked: bool = False,
) -> WithdrawalRequest:
    """Start the agency's workflow on a request to withdraw `page`. `permission_checked`: the
    caller has checked another right (the catalogue import: the user imports the province's
    decision for this agency), which is the authority to ask; approval is still the agency's."""
    page = page.specific
    reason = (reason or "").strip()
    if not permission_checked and not page.permissions_for_user(user).can_edit():
        raise PermissionDenied("Bạn không có quyền đề nghị bãi bỏ trang này.")
    if not page.live:
        raise ValidationError("Trang chưa được ban hành hoặc đã bãi bỏ: không có gì để bãi bỏ.")
    workflow = page.get_workflow()
    if workflow is None:
        raise ValidationError("Trang không có quy trình phê duyệt: không thể đề nghị bãi bỏ.")
    if page.workflow_in_progress:
        raise ValidationError(
            "Trang đang trong quy trình phê duyệt. Hãy hoàn tất hoặc huỷ quy trình đó trước khi "
            "đề nghị bãi bỏ."
        )
    if not reason:
        raise ValidationError("Hãy ghi lý do bãi bỏ.")
    if effective_at is not None and effective_at <= timezone.now():
        raise ValidationError(
            "Ngày bãi bỏ đã qua. Chọn một thời điểm trong tương lai, hoặc để trống để bãi bỏ "
            "ngay khi được phê duyệt."
        )
    if page.get_latest_revision() is None:
        page.save_revision(user=user)
    state = workflow.start(page, user)
    request = WithdrawalRequest.objects.create(
        page=page,
        workflow_state=state,
        reason=reason,
        effective_at=effective_at,
        requested_by=user,
    )
    log(
        instance=page,
        action="iso.withdrawal.request",
        user=user,
        data={"reason": reason, "effective_at": effective_at.isoformat() if effective_at else ""},
    )
    return request


@transaction.atomic
def withdrawal_apply(request: WithdrawalRequest, *, approved_by) -> WithdrawalRequest:
    """The last step approved the withdrawal: record it and take the item off the public site
    at its moment."""
    now = timezone.now()
    when = max(request.effective_at or now, now)
    page = Page.objects.get(pk=request.page_id).specific
    if is_versioned(page):
        versions = DocumentVersion.objects.select_for_update().filter(page_id=page.pk)
        # A version approved to take effect after the withdrawal never will.
        for pending in versions.filter(effective_from__gt=when):
            Revision.objects.filter(pk=pending.revision_id).update(approved_go_live_at=None)
            pending.delete()
        last = versions.order_by("-issue_number").first()
        if last is not None:
            last.withdrawn_at = when
            last.withdrawal_reason = request.reason
            last.withdrawn_by = approved_by
            last.save(update_fields=["withdrawn_at", "withdrawal_reason", "withdrawn_by"])
    request.approved_by = approved_by
    request.approved_at = now
    request.withdrawn_at = when
    request.save(update_fields=["approved_by", "approved_at", "withdrawn_at"])
    if when <= now:
        from wagtail.actions.unpublish_page import UnpublishPageAction

        # Approving the withdrawal is the authority to unpublish (nobody in an agency holds it).
        UnpublishPageAction(page, user=approved_by, log_action=True).execute(
            skip_permission_checks=True
        )
    else:
        # Wagtail's scheduled unpublishing takes the page down at that time (Celery beat).
        Page.objects.filter(pk=page.pk).update(expire_at=when)
    log(
        instance=page,
        action="iso.withdrawal.approve",
        user=approved_by,
        data={"reason": request.reason, "withdrawn_at": when.isoformat()},
    )
    return request
