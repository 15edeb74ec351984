"""What happens on workflow and page events. Receivers are thin: they call services or queue
tasks, and queue only after the transaction commits."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from wagtail.models import Revision, TaskState, WorkflowState
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    task_submitted,
    workflow_approved,
    workflow_rejected,
    workflow_submitted,
)

from content_types.agency import AgencyPage
from content_types.documents import FormDocumentPage
from content_types.procedures import ProcedurePage

from . import notifications
from .form_fields import form_fields_after_procedure_change
from .provisioning import agency_provision


def _queue_email(event: str, state_id: int, user) -> None:
    from .tasks import send_moderation_email

    actor_id = user.pk if user is not None and user.is_authenticated else None
    transaction.on_commit(lambda: send_moderation_email.delay(event, state_id, actor_id))


def on_task_submitted(sender, instance, user=None, **kwargs) -> None:
    _queue_email(notifications.SUBMITTED, instance.pk, user)


def on_workflow_rejected(sender, instance, user=None, **kwargs) -> None:
    _queue_email(notifications.REJECTED, instance.pk, user)


def on_workflow_approved(sender, instance, user=None, **kwargs) -> None:
    _queue_email(notifications.APPROVED, instance.pk, user)


def on_agency_changed(sender, instance, **kwargs) -> None:
    """A rename or a move keeps groups, collection and workflow names in step."""
    page = instance.specific if hasattr(instance, "specific") else instance
    if isinstance(page, AgencyPage):
        agency_provision(page)


def on_page_published(sender, instance, revision=None, **kwargs) -> None:
    from .versioning import version_issue_on_publish

    if revision is not None:
        version_issue_on_publish(instance.specific, revision)


def on_revision_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    """A revision saved during review with unchanged content keeps the review where it was."""
    if created and not raw and instance.object_id:
        from .moderation import revision_saved_in_workflow

        revision_saved_in_workflow(instance)


def on_form_published(sender, instance, **kwargs) -> None:
    from .audience import form_audience_apply

    form_audience_apply(form=instance.specific)


def on_procedure_changed(sender, instance, **kwargs) -> None:
    """Published, unpublished or deleted: the forms it uses may have gained or lost a field."""
    form_fields_after_procedure_change(instance.pk)


def connect() -> None:
    # Replace Wagtail's in-request e-mails with ours (sent from Celery).
    # Wagtail connects these with a sender, and a disconnect must name the same one.
    replaced = [
        (task_submitted, TaskState, "group_approval_task_submitted_email_notification"),
        (workflow_submitted, WorkflowState, "workflow_state_submitted_email_notification"),
        (workflow_rejected, WorkflowState, "workflow_state_rejected_email_notification"),
        (workflow_approved, WorkflowState, "workflow_state_approved_email_notification"),
    ]
    for signal, sender, uid in replaced:
        if not signal.disconnect(sender=sender, dispatch_uid=uid):
            raise RuntimeError(f"Wagtail's {uid} handler was not found: check the app order")

    task_submitted.connect(on_task_submitted, dispatch_uid="iso_task_submitted")
    workflow_rejected.connect(
        on_workflow_rejected, sender=WorkflowState, dispatch_uid="iso_workflow_rejected"
    )
    workflow_approved.connect(
        on_workflow_approved, sender=WorkflowState, dispatch_uid="iso_workflow_approved"
    )
    page_published.connect(on_agency_changed, sender=AgencyPage, dispatch_uid="iso_agency_pub")
    post_page_move.connect(on_agency_changed, dispatch_uid="iso_agency_moved")
    page_published.connect(on_page_published, dispatch_uid="iso_version_issue")
    post_save.connect(on_revision_saved, sender=Revision, dispatch_uid="iso_revision_in_review")
    page_published.connect(on_form_published, sender=FormDocumentPage, dispatch_uid="iso_audience")
    for signal in (page_published, page_unpublished, post_delete):
        signal.connect(on_procedure_changed, sender=ProcedurePage, dispatch_uid="iso_form_fields")
