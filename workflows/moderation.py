"""Who may act on a step, and what counts as an edit while a page is under review.

Wagtail compares revisions by identity: with WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT an
approval covers only the revision it was given on, and the author of the newest revision is
whoever saved last. Saving the editor's rich text re-serialises it (Draftail adds block keys),
so an approver who merely opened the page and pressed "Phê duyệt" in the editor looked like an
author of new content: the workflow went back to its first step and separation of duties then
excluded the approver himself. Here revisions are compared by their normalised content:
- a revision equal in content to the one under review carries its approvals over
  (`revision_saved_in_workflow`), so the workflow never restarts;
- the "writers" excluded from approving are the submitter and the people whose revisions changed
  the content since the last issued version (`workflow_writers`), never someone who only saved
  unchanged content or approved.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.models import Revision, TaskState, WorkflowState

from content_types.agency import AgencyGroup, AgencyPage, AgencyRole
from content_types.content_compare import content_normalised


def revision_content(revision: Revision) -> dict:
    # As the database keeps it: a revision just saved still holds Python values (a channel's
    # time limit as Decimal('10')) where one read back holds their JSON text ('10'), and the
    # two must compare equal (else an approval pressed in the editor restarts the review).
    stored = json.loads(json.dumps(revision.content or {}, cls=DjangoJSONEncoder))
    return content_normalised(stored)


def revisions_equal(first: Revision | None, second: Revision | None) -> bool:
    if first is None or second is None:
        return False
    return first.pk == second.pk or revision_content(first) == revision_content(second)


def _last_issued_revision(page_id: int, content_type_id: int) -> Revision | None:
    """The newest revision that went (or is scheduled to go) live: what a change is measured
    against."""
    from content_types.versions import DocumentVersion

    issued = Q(approved_go_live_at__isnull=False) | Q(
        pk__in=DocumentVersion.objects.filter(page_id=page_id).values("revision_id")
    )
    from wagtail.models import Page

    live_id = Page.objects.filter(pk=page_id).values_list("live_revision_id", flat=True).first()
    if live_id:
        issued |= Q(pk=live_id)
    return (
        Revision.objects.filter(base_content_type_id=content_type_id, object_id=str(page_id))
        .filter(issued)
        .order_by("-created_at", "-pk")
        .first()
    )


def workflow_writers(workflow_state: WorkflowState) -> set[int]:
    """Ids of the people who may not approve this workflow: its submitter and whoever changed
    the content since the last issued version."""
    page_id = int(workflow_state.object_id)
    content_type_id = workflow_state.base_content_type_id
    baseline = _last_issued_revision(page_id, content_type_id)
    revisions = Revision.objects.filter(
        base_content_type_id=content_type_id, object_id=str(page_id)
    ).order_by("created_at", "pk")
    if baseline is not None:
        revisions = revisions.filter(
            Q(created_at__gt=baseline.created_at)
            | Q(created_at=baseline.created_at, pk__gt=baseline.pk)
        )
    writers = {workflow_state.requested_by_id} if workflow_state.requested_by_id else set()
    previous = revision_content(baseline) if baseline is not None else None
    for revision in revisions:
        content = revision_content(revision)
        if content != previous and revision.user_id:
            writers.add(revision.user_id)
        previous = content
    return writers


def workflow_writers_many(states) -> dict[int, set[int]]:
    """`workflow_writers` of many workflow states in a fixed number of queries (the dashboard
    lists every awaiting item: one set of queries per item grew with the province)."""
    from wagtail.models import Page

    from content_types.versions import DocumentVersion

    states = list(states)
    if not states:
        return {}
    page_ids = {int(state.object_id) for state in states}
    content_types = {state.base_content_type_id for state in states}
    live = dict(Page.objects.filter(pk__in=page_ids).values_list("pk", "live_revision_id"))
    versioned = set(
        DocumentVersion.objects.filter(page_id__in=page_ids).values_list("revision_id", flat=True)
    )
    revisions: dict[tuple[int, str], list[Revision]] = {}
    for revision in Revision.objects.filter(
        base_content_type_id__in=content_types, object_id__in=[str(pk) for pk in page_ids]
    ).order_by("created_at", "pk"):
        revisions.setdefault((revision.base_content_type_id, revision.object_id), []).append(
            revision
        )
    out: dict[int, set[int]] = {}
    for state in states:
        page_revisions = revisions.get((state.base_content_type_id, state.object_id), [])
        live_id = live.get(int(state.object_id))
        issued = [
            index
            for index, revision in enumerate(page_revisions)
            if revision.approved_go_live_at is not None
            or revision.pk in versioned
            or (live_id and revision.pk == live_id)
        ]
        start = issued[-1] if issued else None
        writers = {state.requested_by_id} if state.requested_by_id else set()
        previous = revision_content(page_revisions[start]) if start is not None else None
        for revision in page_revisions[start + 1 if start is not None else 0 :]:
            content = revision_content(revision)
            if content != previous and revision.user_id:
                writers.add(revision.user_id)
            previous = content
        out[state.pk] = writers
    return out


def workflow_tasks_with_status_many(states) -> dict[int, list]:
    """Wagtail's `WorkflowState.all_tasks_with_status()` for many workflow states at once: each
    state's steps in order, with the status of the latest task state on the newest revision
    (WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT: only those count)."""
    import copy

    from django.conf import settings

    from wagtail.models import WorkflowTask

    states = list(states)
    if not states:
        return {}
    objects = {(s.base_content_type_id, s.object_id) for s in states}
    latest: dict[tuple[int, str], int] = {}
    if getattr(settings, "WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT", False):
        for key_ct, key_id, pk in (
            Revision.objects.filter(
                base_content_type_id__in={ct for ct, _ in objects},
                object_id__in={object_id for _, object_id in objects},
            )
            .order_by("created_at", "id")
            .values_list("base_content_type_id", "object_id", "id")
        ):
            latest[(key_ct, key_id)] = pk  # the last one wins: the newest
    steps: dict[int, list] = {}
    for link in (
        WorkflowTask.objects.filter(workflow_id__in={s.workflow_id for s in states})
        .select_related("task")
        .order_by("sort_order")
    ):
        steps.setdefault(link.workflow_id, []).append(link.task)
    by_id = {state.pk: state for state in states}
    found: dict[tuple[int, int], str] = {}
    for task_state in TaskState.objects.filter(workflow_state__in=list(by_id)).order_by(
        "started_at", "id"
    ):
        state = by_id[task_state.workflow_state_id]
        wanted = latest.get((state.base_content_type_id, state.object_id))
        if wanted is None or task_state.revision_id == wanted:
            found[(task_state.workflow_state_id, task_state.task_id)] = task_state.status
    labels = dict(TaskState.STATUS_CHOICES)
    out: dict[int, list] = {}
    for state in states:
        tasks = []
        for task in steps.get(state.workflow_id, []):
            task = copy.copy(task)
            task.status = found.get((state.pk, task.pk))
            task.status_display = labels.get(task.status, _("Not started"))
            tasks.append(task)
        out[state.pk] = tasks
    return out


def user_is_writer(task_state: TaskState, user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.pk in workflow_writers(task_state.workflow_state)


def revision_saved_in_workflow(revision: Revision) -> None:
    """A revision was saved while its page is in a workflow. If its content equals the revision
    under review it is not an edit: the approvals given so far, and the step in progress, move
    to it, so the workflow neither restarts nor forgets a step."""
    state = (
        WorkflowState.objects.active()
        .filter(base_content_type_id=revision.base_content_type_id, object_id=revision.object_id)
        .select_related("current_task_state__revision")
        .first()
    )
    if state is None or state.current_task_state is None:
        return
    under_review = state.current_task_state.revision
    if under_review is None or under_review.pk == revision.pk:
        return
    if not revisions_equal(under_review, revision):
        if state.status == WorkflowState.STATUS_IN_PROGRESS:
            _review_restart(state, revision)
        return
    # Moved, not copied: the workflow's history keeps one entry per step actually taken.
    TaskState.objects.filter(
        workflow_state=state,
        revision=under_review,
        status__in=[TaskState.STATUS_APPROVED, TaskState.STATUS_IN_PROGRESS],
    ).update(revision=revision)


def _review_restart(state: WorkflowState, revision: Revision) -> None:
    """The content under review changed: what was approved no longer covers it, so the review
    starts again at the first step, on the new content (never a step approving content an
    earlier step has not checked)."""
    from django.utils import timezone

    TaskState.objects.filter(workflow_state=state, status=TaskState.STATUS_IN_PROGRESS).update(
        status=TaskState.STATUS_CANCELLED, finished_at=timezone.now()
    )
    first = state.workflow.tasks.filter(active=True).order_by("workflow_tasks__sort_order").first()
    if first is None:
        return
    task_state = first.specific.start(state, user=revision.user)
    # Saved from inside save_revision: the page does not name this revision its latest yet.
    TaskState.objects.filter(pk=task_state.pk).update(revision=revision)
    WorkflowState.objects.filter(pk=state.pk).update(current_task_state=task_state)


# --- who can act --------------------------------------------------------------------------


def person_name(user) -> str:
    if user is None:
        return "hệ thống"
    return user.get_full_name() or user.get_username()


def user_role_label(user, task_state: TaskState | None = None) -> str:
    """The role in which `user` acted on `task_state` (the step's agency role), else their
    first agency role."""
    if user is None:
        return ""
    links = AgencyGroup.objects.filter(group__user=user)
    if task_state is not None:
        step_groups = task_state.task.specific.groups.all()
        link = links.filter(group__in=step_groups).first()
        if link is not None:
            return AgencyRole(link.role).label
    link = links.first()
    if link is not None:
        return AgencyRole(link.role).label
    return "Quản trị hệ thống" if user.is_superuser else ""


def step_members(task_state: TaskState):
    """Active members of the groups that take this step."""
    groups = task_state.task.specific.groups.all()
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__in=groups)
        .distinct()
        .order_by("first_name", "username")
    )


@dataclass(frozen=True)
class StepBlock:
    """A step in progress that none of its members may take."""

    task_state: TaskState
    step_name: str
    excluded: list  # the members excluded as writers
    administrators: list  # who can resolve it


def agency_of_page(page) -> AgencyPage | None:
    return AgencyPage.objects.ancestor_of(page, inclusive=True).first()


def agency_administrators(agency: AgencyPage | None) -> list:
    if agency is None:
        return []
    group = agency.role_group(AgencyRole.ADMINISTRATORS)
    return list(group.user_set.filter(is_active=True).order_by("first_name", "username"))


def step_block(page) -> StepBlock | None:
    """Whether the page waits on a step nobody in its groups may take (all are writers)."""
    state = page.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_IN_PROGRESS:
        return None
    task_state = state.current_task_state
    if task_state is None or task_state.status != TaskState.STATUS_IN_PROGRESS:
        return None
    writers = workflow_writers(state)
    members = list(step_members(task_state))
    if any(member.pk not in writers for member in members):
        return None
    return StepBlock(
        task_state=task_state,
        step_name=task_step_name(task_state),
        excluded=members,
        administrators=agency_administrators(agency_of_page(page)),
    )


def pages_blocked(pages) -> list:
    """The pages among `pages` that wait on a step nobody may take (see step_block), found in
    a fixed number of queries: the dashboard asks it of every page in a workflow."""
    from wagtail.models import Page

    pages = list(pages)
    by_id = {str(page.pk): page for page in pages}
    states = list(
        WorkflowState.objects.filter(
            status=WorkflowState.STATUS_IN_PROGRESS,
            object_id__in=list(by_id),
            base_content_type_id__in={page.get_base_content_type().pk for page in pages},
            current_task_state__status=TaskState.STATUS_IN_PROGRESS,
        ).select_related("current_task_state")
    )
    writers = workflow_writers_many(states)
    from .models import AgencyApprovalTask

    members: dict[int, set[int]] = {}
    for task_id, user_id in AgencyApprovalTask.groups.through.objects.filter(
        agencyapprovaltask_id__in={state.current_task_state.task_id for state in states},
        group__user__is_active=True,
    ).values_list("agencyapprovaltask_id", "group__user"):
        members.setdefault(task_id, set()).add(user_id)
    candidates = [
        by_id[state.object_id]
        for state in states
        if not members.get(state.current_task_state.task_id, set()) - writers[state.pk]
    ]
    # Rare: only these are looked at one by one, for the names shown.
    return [
        (page, block)
        for page in Page.objects.filter(pk__in=[p.pk for p in candidates]).specific()
        if (block := step_block(page)) is not None
    ]


def task_step_name(task_state: TaskState) -> str:
    # Task names carry the agency code ("Kiểm tra — STP"): the step is the part before it.
    return task_state.task.name.split(" — ")[0]


def user_can_resolve_block(user, page) -> bool:
    """Agency administrators (and province administrators) may cancel a blocked workflow."""
    from .access import user_sees_every_agency

    if user.is_superuser:
        return True
    agency = agency_of_page(page)
    if agency is None:
        return False
    admins = agency.role_group(AgencyRole.ADMINISTRATORS)
    if user.groups.filter(pk=admins.pk).exists():
        return True
    from .provisioning import PROVINCE_ADMINS

    return user_sees_every_agency(user) and user.groups.filter(name=PROVINCE_ADMINS).exists()


def workflow_resolve_cancel(*, page, user) -> None:
    """Cancel a workflow none of whose step members may act; the editor resubmits once someone
    else holds the role."""
    from django.core.exceptions import PermissionDenied, ValidationError

    if not user_can_resolve_block(user, page):
        raise PermissionDenied("Chỉ quản trị cơ quan được huỷ quy trình này.")
    if step_block(page) is None:
        raise ValidationError("Quy trình của trang này vẫn có người duyệt được: không huỷ.")
    page.current_workflow_state.cancel(user=user)


# --- the latest request for changes -------------------------------------------------------


@dataclass(frozen=True)
class Rejection:
    page_id: int
    title: str
    comment: str
    by_name: str
    by_role: str
    step_name: str
    at: object


def rejection_latest(page) -> Rejection | None:
    """The request for changes the editor still has to answer (until the next submission)."""
    state = page.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return None
    task_state = state.current_task_state
    if task_state is None or task_state.status != TaskState.STATUS_REJECTED:
        return None
    return Rejection(
        page_id=page.pk,
        title=page.get_admin_display_title(),
        comment=(task_state.comment or "").strip(),
        by_name=person_name(task_state.finished_by),
        by_role=user_role_label(task_state.finished_by, task_state),
        step_name=task_step_name(task_state),
        at=task_state.finished_at,
    )


def rejections_for(user, limit: int = 20) -> list[Rejection]:
    """Returned items `user` submitted or wrote, newest first."""
    from wagtail.models import Page

    states = (
        WorkflowState.objects.filter(status=WorkflowState.STATUS_NEEDS_CHANGES)
        .filter(Q(requested_by=user) | Q(current_task_state__revision__user=user))
        .select_related("current_task_state")
        .order_by("-current_task_state__finished_at")[:limit]
    )
    pages = {
        str(p.pk): p
        for p in Page.objects.filter(pk__in=[int(s.object_id) for s in states]).specific()
    }
    out = []
    for state in states:
        page = pages.get(state.object_id)
        if page is not None:
            rejection = rejection_latest(page)
            if rejection is not None:
                out.append(rejection)
    return out
