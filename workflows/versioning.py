"""Issuing versions: what publishing a controlled document or form does (DESIGN §6).

Publishing (or scheduling, when approved ahead of its effective date) issues the next issue
number and records the approver and the approval time on that version. Drafts and rejected
submissions never reach here, so they never take a number.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from wagtail.models import Page, Revision

from content_types.documents import ControlledDocumentPage, FormDocumentPage
from content_types.versions import DocumentVersion

VERSIONED_MODELS = (FormDocumentPage, ControlledDocumentPage)

# Wagtail's page_published signal does not say who published; the code paths that publish on an
# approval set this around the publish call so the version records its approver.
_approver: ContextVar = ContextVar("iso_approver", default=None)


@contextmanager
def approving(user) -> Iterator[None]:
    token = _approver.set(user)
    try:
        yield
    finally:
        _approver.reset(token)


def is_versioned(page: Page) -> bool:
    return isinstance(page, VERSIONED_MODELS)


def _file_of(content) -> int | None:
    if isinstance(content, FormDocumentPage):
        return content.file_id
    return content.attachment_id


@transaction.atomic
def version_issue(
    *, revision: Revision, approved_by, approved_at: datetime, effective_from: datetime
) -> DocumentVersion:
    """Record `revision` as the page's next issued version, effective from `effective_from`.

    Wagtail keeps one schedule per page: scheduling or publishing a revision cancels any other
    scheduled revision, so versions that were waiting to take effect are withdrawn here too, and
    their issue numbers are reused (a number belongs to a version that was actually issued).
    """
    existing = DocumentVersion.objects.filter(revision=revision).first()
    if existing is not None:
        return existing
    page_id = int(revision.object_id)
    # Lock the page's versions so two approvals at once cannot take the same number.
    pending = DocumentVersion.objects.select_for_update().filter(page_id=page_id)
    pending.filter(effective_from__gt=approved_at).delete()
    last = pending.aggregate(last=Max("issue_number"))["last"] or 0
    content = revision.as_object()
    return DocumentVersion.objects.create(
        page_id=page_id,
        revision=revision,
        issue_number=last + 1,
        code=content.code,
        title=content.title,
        file_id=_file_of(content),
        change_summary=content.change_summary,
        approved_by=approved_by,
        approved_at=approved_at,
        effective_from=max(effective_from, approved_at),
    )


def version_issue_on_schedule(revision: Revision, *, approved_by) -> DocumentVersion | None:
    """An approval that scheduled `revision` for its go-live time: issue it now, effective then."""
    if revision.approved_go_live_at is None or not is_versioned(revision.content_object.specific):
        return None
    return version_issue(
        revision=revision,
        approved_by=approved_by,
        approved_at=timezone.now(),
        effective_from=revision.approved_go_live_at,
    )


def version_issue_on_publish(page: Page, revision: Revision) -> DocumentVersion | None:
    """A revision went live. If it was scheduled, its version exists already; otherwise (an
    immediate approval, or a superuser's direct publish) it is issued now, in force at once."""
    if not is_versioned(page):
        return None
    if not page.live:
        # Wagtail sends page_published also when it only schedules a page that was never live:
        # that version is issued by version_issue_on_schedule, effective at its go-live time,
        # never in force from now.
        return None
    now = timezone.now()
    return version_issue(
        revision=revision,
        approved_by=_approver.get(),
        approved_at=now,
        effective_from=now,
    )


def version_record_direct_publish(page: Page, *, user) -> None:
    """A superuser published from the editor (no workflow): they are the approver."""
    if not is_versioned(page.specific):
        return
    revision = page.get_latest_revision()
    if revision.approved_go_live_at is not None:
        version_issue_on_schedule(revision, approved_by=user)
    else:
        DocumentVersion.objects.filter(revision=revision, approved_by=None).update(approved_by=user)


def revision_approve(revision: Revision, *, approved_by) -> DocumentVersion | None:
    """Publish an approved revision, or schedule it for its go-live time, issuing its version
    in the approver's name either way."""
    with approving(approved_by):
        revision.publish(user=approved_by, skip_permission_checks=True)
    revision.refresh_from_db(fields=["approved_go_live_at"])
    scheduled = version_issue_on_schedule(revision, approved_by=approved_by)
    return scheduled or DocumentVersion.objects.filter(revision=revision).first()


def user_can_cancel_schedule(user, page: Page) -> bool:
    """Leadership and the agency administrators may take back an approved, not yet effective
    version (to change its date); editors ask them."""
    from content_types.agency import AgencyPage, AgencyRole

    if user.is_superuser:
        return True
    agency = AgencyPage.objects.ancestor_of(page, inclusive=True).first()
    if agency is None:
        return False
    groups = [agency.role_group(AgencyRole.APPROVERS), agency.role_group(AgencyRole.ADMINISTRATORS)]
    return user.groups.filter(pk__in=[g.pk for g in groups if g is not None]).exists()


@transaction.atomic
def version_schedule_cancel(*, page: Page, user) -> Revision:
    """Take back the scheduled revision of `page`: it will not take effect, its pending version
    is withdrawn from the register, and the page is editable again (its content stays the
    latest draft, to be dated anew and resubmitted)."""
    from django.core.exceptions import PermissionDenied

    from wagtail.log_actions import log

    if not user_can_cancel_schedule(user, page):
        raise PermissionDenied("Chỉ lãnh đạo hoặc quản trị cơ quan được huỷ lịch hiệu lực.")
    revision = page.scheduled_revision
    if revision is None:
        raise PermissionDenied("Trang không có lần ban hành nào đang chờ hiệu lực.")
    when = revision.approved_go_live_at
    revision.approved_go_live_at = None
    revision.save(update_fields=["approved_go_live_at"])
    DocumentVersion.objects.filter(revision=revision, effective_from__gt=timezone.now()).delete()
    log(
        instance=page.specific,
        action="iso.schedule.cancel",
        user=user,
        revision=revision,
        data={"go_live_at": when.isoformat() if when else ""},
    )
    return revision
