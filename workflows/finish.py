"""What a finished (fully approved) workflow does: publish, or schedule for the go-live time."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported by wagtail.models itself at class creation: no runtime import
    from wagtail.models import WorkflowState


def publish_approved_workflow_state(workflow_state: WorkflowState, user=None) -> None:
    """Publish the approved revision in the approver's name.

    Wagtail checks that the approver holds "publish" permission. Here nobody holds it inside an
    agency: approving the last step of the agency's workflow *is* the authority to publish, and
    the workflow has already checked that the approver belongs to the approving group.
    An approval ahead of the effective date schedules the revision; its version is issued now
    (approver and time recorded) and takes effect at the go-live time.
    """
    from .versioning import revision_approve
    from .withdrawal import withdrawal_apply, withdrawal_of

    withdrawal = withdrawal_of(workflow_state)
    if withdrawal is not None:
        # An approved withdrawal publishes nothing: it takes the item down at its moment.
        withdrawal_apply(withdrawal, approved_by=user)
        return
    revision_approve(workflow_state.content_object.get_latest_revision(), approved_by=user)
