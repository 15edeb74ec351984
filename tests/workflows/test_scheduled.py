"""Approved with a future go-live: not live until the beat task runs after that time."""

from datetime import timedelta

from django.utils import timezone

import time_machine

from content_types.agency import AgencyRole
from content_types.documents import ControlledDocumentPage
from tests.factories import make_draft_document
from workflows.tasks import publish_scheduled


def test_scheduled_go_live_takes_effect_when_beat_runs(agency_a, staff_a):
    editor = staff_a[AgencyRole.EDITORS]
    start = timezone.now().replace(microsecond=0)
    go_live = start + timedelta(days=3)
    with time_machine.travel(start, tick=False):
        page = make_draft_document(agency_a, editor)
        page.go_live_at = go_live
        page.save_revision(user=editor)
        page.get_workflow().start(page, editor)
        page = ControlledDocumentPage.objects.get(pk=page.pk)
        page.current_workflow_task_state.approve(user=staff_a[AgencyRole.REVIEWERS])
        page = ControlledDocumentPage.objects.get(pk=page.pk)
        page.current_workflow_task_state.approve(user=staff_a[AgencyRole.APPROVERS])

        page.refresh_from_db()
        assert not page.live
        assert page.status_string == "đã lên lịch"  # the SCHEDULED tag, in Vietnamese
        assert page.get_latest_revision().approved_go_live_at == go_live
        publish_scheduled.delay()
        page.refresh_from_db()
        assert not page.live

    with time_machine.travel(go_live - timedelta(minutes=1), tick=False):
        publish_scheduled.delay()
        page.refresh_from_db()
        assert not page.live

    with time_machine.travel(go_live + timedelta(minutes=1), tick=False):
        publish_scheduled.delay()
        page.refresh_from_db()
        assert page.live
        assert page.live_revision.approved_go_live_at is None
        assert page.last_published_at >= go_live


def test_beat_schedules_publish_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["publish-scheduled-every-minute"]
    assert entry["task"] == publish_scheduled.name
    assert entry["schedule"] == timedelta(minutes=1)
