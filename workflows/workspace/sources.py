"""The work sources of what exists today and of this part (issue 17 §5–§7).

Each answers for all the scope's agencies at once in a fixed number of queries:
- approvals: the agency workflow steps the user may take now;
- quality actions: the user's own, and for the agency's ISO officers every open action;
- nonconformities: those waiting for the ISO officer (cause, plan) or for a verification;
- document reviews: live documents and forms whose periodic review falls due;
- citizen feedback: open feedback of the agencies the user answers for;
- procedure updates: the catalogue's «cập nhật quy trình nội bộ» tasks.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page, Revision, TaskState

from content_types.agency import agency_path_finder
from content_types.catalogue import ProcedureUpdateTask, TaskStatus
from content_types.quality.action import OPEN_ACTION_STATUSES, QualityAction
from content_types.quality.nonconformity import Nonconformity, NonconformityStage
from content_types.quality.plan import AuditPlanAssignment, AuditPlanPage
from content_types.quality.rules import user_label
from content_types.workspace import OPEN_FEEDBACK_STATUSES, CitizenFeedback, FeedbackStatus

from ..models import AgencyApprovalTask
from .feedback import ANSWER_DAYS
from .registry import WorkItem, WorkScope, WorkSource, work_source_register
from .reviews import REVIEW_ROLES, documents_review_status
from .roles import ADMINISTRATORS, APPROVERS, EDITORS, HANDLERS, agencies_with_role

AUDITS_AHEAD_DAYS = 30


def _agency_of_path(scope: WorkScope):
    from content_types.agency import AgencyPage

    by_path = dict(AgencyPage.objects.filter(pk__in=scope.agency_ids).values_list("path", "pk"))
    return agency_path_finder(by_path)


def approvals(scope: WorkScope) -> list[WorkItem]:
    """Steps of the agency workflow waiting for one of the user's groups (Kiểm tra, Lãnh đạo).

    Wagtail's `TaskState.objects.reviewable_by` asks every task of the province in turn; here
    one query finds the steps of the user's groups. Steps the user may not take because they
    wrote the change (workflows.moderation) are left out: the requester, and anyone who saved a
    revision since the version in force (the workflow's own check is exact when they act)."""
    user = scope.user
    task_ids = AgencyApprovalTask.objects.filter(active=True, groups__user=user).values("pk")
    states = list(
        TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS, task_id__in=task_ids)
        .select_related("task", "workflow_state", "workflow_state__requested_by")
        .order_by("started_at")
    )
    if not states:
        return []
    page_ids = [int(state.workflow_state.object_id) for state in states]
    pages = {
        page.pk: page
        for page in Page.objects.filter(pk__in=page_ids).only(
            "pk", "title", "path", "live_revision_id"
        )
    }
    baselines = dict(
        Revision.objects.filter(
            pk__in=[p.live_revision_id for p in pages.values() if p]
        ).values_list("object_id", "created_at")
    )
    own_latest = dict(
        Revision.objects.filter(
            object_id__in=[str(pk) for pk in page_ids],
            base_content_type__app_label="wagtailcore",
            base_content_type__model="page",
            user=user,
        )
        .values("object_id")
        .annotate(last=Max("created_at"))
        .values_list("object_id", "last")
    )
    find = _agency_of_path(scope)
    items = []
    for state in states:
        page = pages.get(int(state.workflow_state.object_id))
        if page is None:
            continue
        agency_id = find(page.path)
        if agency_id is None:
            continue
        if state.workflow_state.requested_by_id == user.pk:
            continue
        mine = own_latest.get(str(page.pk))
        baseline = baselines.get(str(page.pk))
        if mine is not None and (baseline is None or mine > baseline):
            continue
        requester = state.workflow_state.requested_by
        items.append(
            WorkItem(
                kind="approval",
                title=f"Duyệt «{page.title}» (bước «{state.task.name.split(' — ')[0]}»)",
                url=reverse("iso_approval", args=[page.pk]),
                agency_id=agency_id,
                action_label="Xem và phê duyệt",
                detail=f"Trình duyệt ngày {timezone.localtime(state.started_at):%d/%m/%Y}"
                + (f" bởi {user_label(requester)}" if requester else ""),
            )
        )
    return items


def audits(scope: WorkScope) -> list[WorkItem]:
    """The user's audit days of approved plans in the next 30 days (or to the month's end)."""
    assignments = (
        AuditPlanAssignment.objects.filter(
            page__in=AuditPlanPage.objects.live().values("pk"),
            auditor=scope.user,
            audit_date__gte=scope.today,
            audit_date__lte=max(scope.horizon, scope.today + timedelta(days=AUDITS_AHEAD_DAYS)),
        )
        .select_related("unit", "page")
        .order_by("audit_date")
    )
    find = _agency_of_path(scope)
    items = []
    for a in assignments:
        agency_id = find(a.page.path)
        if agency_id is None:
            continue
        items.append(
            WorkItem(
                kind="audit",
                title=f"Đánh giá nội bộ đơn vị «{a.unit.name}»",
                url=reverse("iso_quality_plan", args=[a.page_id]),
                agency_id=agency_id,
                due=a.audit_date,
                detail=f"Theo «{a.page.title}»" + (f", {a.time_slot}" if a.time_slot else ""),
            )
        )
    return items


def quality_actions(scope: WorkScope) -> list[WorkItem]:
    officers = agencies_with_role(scope.user, (EDITORS,)) & set(scope.agency_ids)
    mine = Q(owner=scope.user)
    if officers:
        mine |= Q(agency_id__in=officers)
    actions = (
        QualityAction.objects.filter(
            mine,
            agency_id__in=scope.agency_ids,
            status__in=OPEN_ACTION_STATUSES,
            due_date__lte=scope.horizon,
        )
        .select_related("owner", "nonconformity")
        .order_by("due_date", "pk")
    )
    items = []
    for action in actions:
        origin = f" (khắc phục {action.nonconformity.code})" if action.nonconformity_id else ""
        owner = "bạn" if action.owner_id == scope.user.pk else user_label(action.owner)
        items.append(
            WorkItem(
                kind="quality_action",
                title=f"Hành động «{action.title}»{origin}",
                url=reverse("iso_quality_action", args=[action.pk]),
                agency_id=action.agency_id,
                due=action.due_date,
                detail=f"Người thực hiện: {owner}; {action.get_status_display().lower()}",
            )
        )
    return items


_NC_WAITING_OFFICER = (
    NonconformityStage.NEW,
    NonconformityStage.ANALYSIS,
    NonconformityStage.PLANNING,
)
_NC_NEXT = {
    NonconformityStage.NEW: "cần phân tích nguyên nhân",
    NonconformityStage.ANALYSIS: "cần ghi nguyên nhân",
    NonconformityStage.PLANNING: "cần lập kế hoạch hành động",
    NonconformityStage.VERIFICATION: "chờ đánh giá hiệu lực",
}


def nonconformities(scope: WorkScope) -> list[WorkItem]:
    managers = agencies_with_role(scope.user, (EDITORS, ADMINISTRATORS)) & set(scope.agency_ids)
    verifiers = agencies_with_role(scope.user, (EDITORS, APPROVERS, ADMINISTRATORS)) & set(
        scope.agency_ids
    )
    wanted = Q(pk__in=[])
    if managers:
        wanted |= Q(agency_id__in=managers, stage__in=_NC_WAITING_OFFICER)
    if verifiers:
        # Never the owner of one of the actions verified (workflows.quality.nonconformities).
        wanted |= Q(agency_id__in=verifiers, stage=NonconformityStage.VERIFICATION) & ~Q(
            actions__owner=scope.user
        )
    if not managers and not verifiers:
        return []
    items = []
    for nc in Nonconformity.objects.filter(wanted).distinct().order_by("raised_on", "pk"):
        items.append(
            WorkItem(
                kind="nonconformity",
                title=f"Sự không phù hợp {nc.code}: {nc.title}",
                url=reverse("iso_quality_nc", args=[nc.pk]),
                agency_id=nc.agency_id,
                detail=f"{_NC_NEXT.get(nc.stage, nc.get_stage_display())}; lập ngày "
                f"{nc.raised_on:%d/%m/%Y}",
            )
        )
    return items


def document_reviews(scope: WorkScope) -> list[WorkItem]:
    agencies = agencies_with_role(scope.user, REVIEW_ROLES) & set(scope.agency_ids)
    if not agencies:
        return []
    return [
        WorkItem(
            kind="document_review",
            title=f"Rà soát định kỳ «{due.title}» ({due.code})",
            url=reverse("iso_document_review", args=[due.page_id]),
            agency_id=due.agency_id,
            due=due.due,
            detail=f"{due.kind_label}; chu kỳ {due.interval_months} tháng, tính từ "
            f"{due.since:%d/%m/%Y}",
        )
        for due in documents_review_status(agency_ids=agencies, horizon=scope.horizon)
        if due.agency_id is not None
    ]


def citizen_feedback(scope: WorkScope) -> list[WorkItem]:
    agencies = agencies_with_role(scope.user, HANDLERS) & set(scope.agency_ids)
    if not agencies:
        return []
    items = []
    rows = CitizenFeedback.objects.filter(
        agency_id__in=agencies, status__in=OPEN_FEEDBACK_STATUSES
    ).order_by("created_at", "pk")
    for feedback in rows.only(
        "pk", "agency_id", "kind", "rating", "procedure_title", "created_at", "status"
    ):
        sent = timezone.localdate(feedback.created_at)
        state = "mới" if feedback.status == FeedbackStatus.NEW else "đang xử lý"
        items.append(
            WorkItem(
                kind="citizen_feedback",
                title=f"Trả lời {feedback.get_kind_display().lower()} về «"
                f"{feedback.procedure_title}»",
                url=reverse("iso_feedback", args=[feedback.pk]),
                agency_id=feedback.agency_id,
                due=sent + timezone.timedelta(days=ANSWER_DAYS),
                detail=f"Gửi ngày {sent:%d/%m/%Y}; {state}"
                + (f"; hài lòng {feedback.rating}/5" if feedback.rating else ""),
            )
        )
    return items


def procedure_updates(scope: WorkScope) -> list[WorkItem]:
    agencies = agencies_with_role(scope.user, (EDITORS, APPROVERS, ADMINISTRATORS)) & set(
        scope.agency_ids
    )
    if not agencies:
        return []
    tasks = ProcedureUpdateTask.objects.filter(
        agency_id__in=agencies, status=TaskStatus.OPEN, due_date__lte=scope.horizon
    ).order_by("due_date", "national_code")
    return [
        WorkItem(
            kind="procedure_update",
            title=f"{task.title}: {task.procedure_title} ({task.national_code})",
            url=(
                reverse("wagtailadmin_pages:edit", args=[task.procedure_id])
                if task.procedure_id
                else reverse("iso_catalogue_tasks", args=[task.agency_id])
            ),
            agency_id=task.agency_id,
            due=task.due_date,
            detail=f"Theo quyết định {task.decision_number}",
        )
        for task in tasks
    ]


for _source in (
    WorkSource("approval", "Chờ bạn duyệt", 10, approvals),
    WorkSource("audit", "Lịch đánh giá nội bộ", 20, audits),
    WorkSource("quality_action", "Hành động khắc phục, cải tiến", 30, quality_actions),
    WorkSource("nonconformity", "Sự không phù hợp", 35, nonconformities),
    WorkSource("document_review", "Rà soát tài liệu định kỳ", 50, document_reviews),
    WorkSource("citizen_feedback", "Ý kiến của người dân", 60, citizen_feedback),
    WorkSource("procedure_update", "Cập nhật thủ tục hành chính", 70, procedure_updates),
):
    work_source_register(_source)
