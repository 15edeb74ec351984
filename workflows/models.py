"""The agency's approval steps: Wagtail's group approval with separation of duties."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models

from wagtail.models import AbstractGroupApprovalTask, TaskState


def user_is_author_of(task_state: TaskState, user) -> bool:
    """Whether `user` submitted this workflow or changed the content since the last issued
    version (see workflows.moderation.workflow_writers)."""
    from .moderation import user_is_writer

    return user_is_writer(task_state, user)


_REVIEW_VIEW_ATTR = "_iso_review_view"


@dataclass(frozen=True)
class ReviewView:
    task_ids: frozenset[int]  # the steps `user` takes (members of their groups)
    states: frozenset[int]  # the task states in progress on those steps
    own_states: frozenset[int]  # those `user` may not take: submitted or written by them


def review_view(user) -> ReviewView:
    """The approval steps `user` takes and which of their items are their own, in a fixed
    number of queries; also fills Wagtail's per-user cache of group checks."""
    view = getattr(user, _REVIEW_VIEW_ATTR, None)
    if view is not None:
        return view
    from .moderation import workflow_writers_many

    member = AgencyApprovalTask.groups.through.objects.filter(
        agencyapprovaltask_id=models.OuterRef("pk"), group__user=user
    )
    checks = dict(
        AgencyApprovalTask.objects.annotate(member=models.Exists(member)).values_list(
            "pk", "member"
        )
    )
    checks_cache = getattr(user, "_group_approval_task_checks", None)
    if checks_cache is None:
        checks_cache = {}
        user._group_approval_task_checks = checks_cache
    for pk, is_member in checks.items():
        checks_cache.setdefault(pk, is_member)
    task_ids = frozenset(pk for pk, is_member in checks.items() if is_member or user.is_superuser)
    states = list(
        TaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS, task_id__in=task_ids
        ).select_related("workflow_state")
    )
    writers = workflow_writers_many(state.workflow_state for state in states)
    own = frozenset(s.pk for s in states if user.pk in writers.get(s.workflow_state_id, ()))
    view = ReviewView(task_ids, frozenset(s.pk for s in states), own)
    setattr(user, _REVIEW_VIEW_ATTR, view)
    return view


def task_states_reviewable_by(user):
    """The task states in progress that `user` may act on: Wagtail's
    `TaskState.objects.reviewable_by`, without its one queryset per active task ORed together
    (two tasks per agency: building that query took 0.24 s of the superuser's dashboard at 8
    agencies and 0.85 s at 50). The agency steps are answered from `review_view`'s one pass;
    any other kind of task is still asked as Wagtail asks it."""
    from wagtail.models import Task

    view = review_view(user)
    states = TaskState.objects.filter(
        pk__in=view.states - view.own_states, task__active=True, task_id__in=view.task_ids
    )
    others = Task.objects.filter(active=True).exclude(
        pk__in=AgencyApprovalTask.objects.values("pk")
    )
    for task in others.specific():
        states = states | task.get_task_states_user_can_moderate(user=user)
    return states


class AgencyApprovalTask(AbstractGroupApprovalTask):
    """A review or approval step that nobody may take on their own submission.

    Wagtail's group approval lets any group member (and every superuser) approve, including the
    editor who submitted: ISO 9001 separation of duties forbids that, so the actions are hidden
    from the submitter and the content's writers, and refused if posted anyway.
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
        if task_state is not None:
            # The dashboard asks once per awaiting item: answered from the request's view of
            # the steps when it has been taken (reviewable_by below), else asked now.
            view = getattr(user, _REVIEW_VIEW_ATTR, None)
            own = view.own_states if view is not None and task_state.pk in view.states else None
            if own is None and user_is_author_of(task_state, user):
                return []
            if own is not None and task_state.pk in own:
                return []
        return super().get_actions(obj, user)

    def on_action(self, task_state, user, action_name, **kwargs):
        # A save of unchanged content earlier in this request may have moved the step to the
        # new, equal revision (moderation.revision_saved_in_workflow): approve that one.
        task_state.refresh_from_db(fields=["revision", "status"])
        if task_state.status != TaskState.STATUS_IN_PROGRESS:
            # The content was changed in this same request, so the review started again at
            # the first step (moderation._review_restart): nothing left to approve here.
            return None
        if user_is_author_of(task_state, user):
            raise PermissionDenied("Không ai được tự duyệt nội dung do chính mình trình.")
        return super().on_action(task_state, user, action_name, **kwargs)

    def start(self, workflow_state, user=None):
        """Never a later step before an earlier one has approved this content: a resubmission
        whose content changed since the earlier steps approved goes back to the first of them,
        one with unchanged content resumes where it was returned."""
        earlier = workflow_state.get_next_task()
        if earlier is not None and earlier.pk != self.pk:
            order = list(
                workflow_state.workflow.workflow_tasks.order_by("sort_order").values_list(
                    "task_id", flat=True
                )
            )
            if (
                self.pk in order
                and earlier.pk in order
                and order.index(earlier.pk) < order.index(self.pk)
            ):
                return earlier.specific.start(workflow_state, user=user)
        return super().start(workflow_state, user=user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        # Wagtail asks every active task in turn (two per agency); the answer for all of them
        # is taken once per request and kept on the user object, as Wagtail keeps its own
        # group checks there.
        view = review_view(user)
        if self.pk not in view.task_ids:
            return TaskState.objects.none()
        return self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS).exclude(
            pk__in=view.own_states
        )

    @classmethod
    def get_description(cls):
        return "Thành viên các nhóm được chọn duyệt bước này, trừ người đã trình nội dung."


class WithdrawalRequest(models.Model):
    """A request to withdraw (bãi bỏ) a live document, form or procedure.

    It travels through the agency's own approval workflow (the workflow state below): nobody
    withdraws alone. Approved, the item leaves the public site at `effective_at` (or at the
    approval, when none was given); see workflows.withdrawal.
    """

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="trang",
        on_delete=models.CASCADE,
        related_name="withdrawal_requests",
    )
    workflow_state = models.OneToOneField(
        "wagtailcore.WorkflowState",
        verbose_name="quy trình phê duyệt",
        on_delete=models.CASCADE,
        related_name="withdrawal_request",
    )
    reason = models.TextField("lý do bãi bỏ")
    effective_at = models.DateTimeField("ngày bãi bỏ", null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người đề nghị",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField("thời điểm đề nghị", auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người phê duyệt",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField("thời điểm phê duyệt", null=True, blank=True)
    withdrawn_at = models.DateTimeField("bãi bỏ từ", null=True, blank=True)

    class Meta:
        verbose_name = "đề nghị bãi bỏ"
        verbose_name_plural = "các đề nghị bãi bỏ"
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Bãi bỏ: {self.page}"
