"""The update deadline: tasks listed per agency and province-wide, closed by approval, reminded
by Celery beat (Vietnamese e-mail to the agency's editors and approvers)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Revision

from content_types.agency import AgencyRole
from content_types.catalogue import ChangeKind, ProcedureUpdateTask, TaskStatus

from ..moderation import revisions_equal

# Days before the due date on which a reminder goes out; overdue tasks are reminded daily.
REMIND_DAYS_BEFORE = (30, 14, 7, 3, 1, 0)


def tasks_for(*, agency_ids=None, status: str | None = None) -> QuerySet[ProcedureUpdateTask]:
    tasks = ProcedureUpdateTask.objects.select_related("agency", "procedure")
    if agency_ids is not None:
        tasks = tasks.filter(agency_id__in=agency_ids)
    if status == "overdue":
        tasks = tasks.filter(status=TaskStatus.OPEN, due_date__lt=timezone.localdate())
    elif status in TaskStatus.values:
        tasks = tasks.filter(status=status)
    return tasks.order_by("status", "due_date", "agency__title", "national_code")


def tasks_close_on_publish(*, procedure, revision) -> int:
    """A published revision later than the import's draft, with an internal process, closes
    the procedure's «cập nhật quy trình nội bộ» tasks."""
    if revision is None:
        return 0
    later = ProcedureUpdateTask.objects.filter(
        procedure=procedure, status=TaskStatus.OPEN, import_revision_id__lt=revision.pk
    )
    # «Cần rà soát» is done by any approved revision after the flag.
    closed = later.filter(kind=ChangeKind.REVIEW).update(
        status=TaskStatus.DONE, closed_at=timezone.now()
    )
    if procedure.process_steps.exists():
        updates = later.exclude(kind__in=[ChangeKind.ABOLISHED, ChangeKind.REVIEW])
        # The import's own draft, saved again unchanged when a step approves it in the editor,
        # is still the import: only changed content is the agency's update.
        same = [
            task.pk
            for task in updates
            if revisions_equal(
                Revision.objects.filter(pk=task.import_revision_id).first(), revision
            )
        ]
        closed += updates.exclude(pk__in=same).update(
            status=TaskStatus.DONE, closed_at=timezone.now()
        )
    return closed


def tasks_close_on_unpublish(*, procedure) -> int:
    """A withdrawn procedure has done what «cần bãi bỏ» asked."""
    return ProcedureUpdateTask.objects.filter(
        procedure=procedure, status=TaskStatus.OPEN, kind=ChangeKind.ABOLISHED
    ).update(status=TaskStatus.DONE, closed_at=timezone.now())


def _due_for_reminder(task: ProcedureUpdateTask, today: date) -> bool:
    if task.last_reminded_on == today:
        return False
    left = task.days_left(today)
    return left < 0 or left in REMIND_DAYS_BEFORE


def _recipients(agency) -> list[str]:
    emails = []
    for role in (AgencyRole.EDITORS, AgencyRole.APPROVERS):
        group = agency.role_group(role)
        if group is not None:
            emails += [u.email for u in group.user_set.filter(is_active=True).exclude(email="")]
    return sorted(set(emails))


def _line(task: ProcedureUpdateTask, today: date) -> str:
    return (
        f"- {task.title} — {task.national_code} {task.procedure_title}: hạn "
        f"{task.due_date:%d/%m/%Y} ({task.state_label(today).lower()}); theo Quyết định số "
        f"{task.decision_number}."
    )


def tasks_remind(*, today: date | None = None) -> int:
    """One e-mail per agency listing its tasks due for a reminder today. Returns e-mails sent."""
    today = today or timezone.localdate()
    due: dict[int, list[ProcedureUpdateTask]] = {}
    for task in tasks_for(status=TaskStatus.OPEN):
        if _due_for_reminder(task, today):
            due.setdefault(task.agency_id, []).append(task)
    sent = 0
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    for tasks in due.values():
        agency = tasks[0].agency
        recipients = _recipients(agency)
        if not recipients:
            continue
        overdue = sum(1 for t in tasks if t.is_overdue(today))
        subject = (
            f"[ISO điện tử] {agency.title}: {len(tasks)} thủ tục cần cập nhật quy trình nội bộ"
        )
        if overdue:
            subject += f" ({overdue} quá hạn)"
        link = base + reverse("iso_catalogue_tasks", args=[agency.pk])
        body = "\n".join(
            [
                "Kính gửi cán bộ phụ trách ISO,",
                "",
                "Các thủ tục hành chính sau đã được công bố mới hoặc sửa đổi, bổ sung, bãi bỏ; "
                "cơ quan cần cập nhật quy trình nội bộ trong thời hạn quy định:",
                "",
                *(_line(t, today) for t in tasks),
                "",
                f"Xem danh sách: {link}",
                "",
                "Thư này được gửi tự động từ hệ thống ISO điện tử.",
            ]
        )
        EmailMessage(subject=subject, body=body, to=recipients).send()
        ProcedureUpdateTask.objects.filter(pk__in=[t.pk for t in tasks]).update(
            last_reminded_on=today
        )
        sent += 1
    return sent
