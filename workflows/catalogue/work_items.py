"""«Việc cần làm»: the open update tasks (cập nhật quy trình nội bộ, cần bãi bỏ, cần rà soát)
of the user's agencies, one query for all of them."""

from __future__ import annotations

from django.urls import reverse

from content_types.catalogue import ProcedureUpdateTask, TaskStatus

from ..workspace.registry import WorkItem, WorkScope, WorkSource, work_source_register


def procedure_update_items(scope: WorkScope) -> list[WorkItem]:
    tasks = ProcedureUpdateTask.objects.filter(
        agency_id__in=scope.agency_ids, status=TaskStatus.OPEN
    ).order_by("due_date", "national_code")
    return [
        WorkItem(
            kind="procedure_update",
            title=f"{task.title}: {task.national_code} {task.procedure_title}",
            url=reverse("iso_catalogue_tasks", args=[task.agency_id]),
            agency_id=task.agency_id,
            due=task.due_date,
            detail=f"Theo Quyết định số {task.decision_number}",
        )
        for task in tasks
    ]


work_source_register(
    WorkSource("procedure_update", "Cập nhật thủ tục hành chính", 70, procedure_update_items)
)
