"""A django-tasks backend that hands Wagtail's background tasks to our Celery workers.

django-tasks-celery would do this but needs Python 3.12; this is the small part we need.
Wagtail enqueues from inside post_save (still in the transaction), so we send the message only
after the transaction commits: a worker must never load a row that is not there yet.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.module_loading import import_string

from celery import shared_task
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id


@shared_task(name="cms.run_django_task", acks_late=True, max_retries=3, default_retry_delay=10)
def run_django_task(task_path: str, args: list[Any], kwargs: dict[str, Any]) -> None:
    task: Task = import_string(task_path)
    task.call(*args, **kwargs)


class CeleryTaskBackend(BaseTaskBackend):
    supports_defer = False
    supports_priority = False

    def enqueue(self, task: Task, args, kwargs) -> TaskResult:
        self.validate_task(task)
        task_path = task.module_path
        transaction.on_commit(
            lambda: run_django_task.apply_async(
                args=[task_path, list(args), dict(kwargs)], queue=None
            )
        )
        return TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=list(args),
            kwargs=dict(kwargs),
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
