"""Wagtail's background tasks go through Celery, and only after the transaction commits.

Wagtail enqueues `update_reference_index_task` from post_save, inside the saving transaction.
With cms.task_backend.CeleryTaskBackend the Celery message must wait for the commit, so that a
worker never loads a row that is not there yet. Celery runs eagerly in the test settings, so a
task that was sent has also run.
"""

from __future__ import annotations

import os
import subprocess
import sys

from django.test import override_settings

from wagtail.models import ReferenceIndex
from wagtail.tasks import update_reference_index_task

import django_tasks.signals  # noqa: F401  (resets cached backends when TASKS changes)
import pytest
from django_tasks import task_backends

from cms import env
from cms.task_backend import CeleryTaskBackend
from tests.factories import make_draft_document

CELERY_TASKS = {"default": {"BACKEND": "cms.task_backend.CeleryTaskBackend"}}


@pytest.fixture
def celery_tasks():
    with override_settings(TASKS=CELERY_TASKS):
        yield
    # override_settings' exit sends setting_changed too: the cached backend must be gone.
    assert not isinstance(task_backends["default"], CeleryTaskBackend)


@pytest.fixture
def draft(agency_a, staff_a):
    return make_draft_document(agency_a, staff_a["editors"])


def _link_to(page) -> str:
    return f'<p>Xem <a linktype="page" id="{page.pk}">cơ quan</a>.</p>'


def _references(source, target) -> int:
    return (
        ReferenceIndex.get_references_for_object(source).filter(to_object_id=str(target.pk)).count()
    )


@pytest.mark.django_db
def test_reference_index_updates_only_after_commit(
    celery_tasks, draft, agency_a, django_capture_on_commit_callbacks
):
    assert isinstance(task_backends["default"], CeleryTaskBackend)
    assert _references(draft, agency_a) == 0

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        draft.body = _link_to(agency_a)
        draft.save()
        # Saved, but the transaction has not committed: nothing was sent or run yet.
        assert _references(draft, agency_a) == 0

    assert len(callbacks) >= 1
    # After the commit the Celery task ran (eagerly) and the reference was recorded.
    assert _references(draft, agency_a) == 1


@pytest.mark.django_db
def test_rolled_back_save_never_runs_the_task(
    celery_tasks, draft, agency_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        draft.body = _link_to(agency_a)
        draft.save()
    # The callbacks were captured and, as on a rollback, never run: no reference.
    assert callbacks
    assert _references(draft, agency_a) == 0


@pytest.mark.django_db
def test_direct_enqueue_is_deferred_to_commit(
    celery_tasks, draft, agency_a, django_capture_on_commit_callbacks
):
    # Record the link without indexing it, then ask for the index through the task.
    type(draft).objects.filter(pk=draft.pk).update(body=_link_to(agency_a))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = update_reference_index_task.enqueue(
            draft._meta.app_label, draft._meta.model_name, str(draft.pk)
        )
        assert result.backend == "default"
        assert result.args == [draft._meta.app_label, draft._meta.model_name, str(draft.pk)]
        assert _references(draft, agency_a) == 0
    assert len(callbacks) == 1
    assert _references(draft, agency_a) == 1


@pytest.mark.django_db
def test_default_test_backend_is_immediate(draft, agency_a, django_capture_on_commit_callbacks):
    """The control: without a broker the reference is recorded at once, inside the transaction.

    This shows that the deferral above comes from CeleryTaskBackend, not from the test harness.
    """
    assert not isinstance(task_backends["default"], CeleryTaskBackend)
    with django_capture_on_commit_callbacks(execute=False):
        draft.body = _link_to(agency_a)
        draft.save()
        assert _references(draft, agency_a) == 1


def test_broker_setting_selects_celery_backend():
    """With CELERY_BROKER_URL set, base settings route Wagtail's tasks to Celery."""
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.TASKS['default']['BACKEND'])"
    )

    def backend_for(**variables: str) -> str:
        environment = {
            k: v
            for k, v in os.environ.items()
            if k not in {"CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}
        }
        environment.update(DJANGO_SETTINGS_MODULE="cms.settings.test", ISO_VAR_DIR=str(env.VAR_DIR))
        environment.update(variables)
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=env.BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]

    assert backend_for(CELERY_BROKER_URL="redis://127.0.0.1:6379/15") == (
        "cms.task_backend.CeleryTaskBackend"
    )
    assert backend_for() == "django_tasks.backends.immediate.ImmediateBackend"
