"""The agency's approval steps: Wagtail's group approval with separation of duties."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from wagtail.models import AbstractGroupApprovalTask, TaskState


def user_is_author_of(task_state: TaskState, user) -> bool:
    """Whether `user` submitted this workflow or wrote the revision under review."""
    if user is None or not user.is_authenticated:
        return False
    workflow_state = task_state.workflow_state
    if workflow_state.requested_by_id == user.pk:
        return True
    revision = task_state.revision
    return revision is not None and revision.user_id == user.pk


class AgencyApprovalTask(AbstractGroupApprovalTask):
    """A review or approval step that nobody may take on their own submission.

    Wagtail's group approval lets any group member (and every superuser) approve, including the
    editor who submitted: ISO 9001 separation of duties forbids that, so the actions are hidden
    from the submitter and the revision's author, and refused if posted anyway.
    """

    class Meta:
        verbose_name = "Bước duyệt của cơ quan"
        verbose_name_plural = "Bước duyệt của cơ quan"

    def _current_task_state(self, obj) -> TaskState | None:
        task_state = getattr(obj, "current_workflow_task_state", None)
        if task_state is None or task_state.task_id != self.pk:
            return None
        return task_state

    def get_actions(self, obj, user):
        task_state = self._current_task_state(obj)
        if task_state is not None and user_is_author_of(task_state, user):
            return []
        return super().get_actions(obj, user)

    def on_action(self, task_state, user, action_name, **kwargs):
        if user_is_author_of(task_state, user):
            raise PermissionDenied("Không ai được tự duyệt nội dung do chính mình trình.")
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        return states.exclude(workflow_state__requested_by=user).exclude(revision__user=user)

    @classmethod
    def get_description(cls):
        return "Thành viên các nhóm được chọn duyệt bước này, trừ người đã trình nội dung."
