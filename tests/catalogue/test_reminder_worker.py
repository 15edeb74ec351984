"""The daily reminder, sent by a real Celery worker through Redis, as beat would queue it."""

from __future__ import annotations

import time
from datetime import timedelta

from django.utils import timezone

import pytest

from content_types.catalogue import ChangeKind, ProcedureUpdateTask
from tests.factories import make_agency, make_home, make_staff
from tests.integration.test_celery_worker import (  # noqa: F401  (redis_celery is a fixture)
    WORKER_TIMEOUT,
    _messages,
    _start_worker,
    _stop_worker,
    redis_celery,
)
from workflows.tasks import remind_procedure_updates

pytestmark = pytest.mark.services


@pytest.mark.django_db(transaction=True)
def test_real_worker_reminds_the_agency_of_an_overdue_update(redis_celery, tmp_path):  # noqa: F811
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    worker = _start_worker(tmp_path, mail_dir)
    try:
        home = make_home()
        agency = make_agency(home, "CQN", title="Sở Nội vụ thử", short_name="Sở NV")
        staff = make_staff(agency, "nv")
        today = timezone.localdate()
        ProcedureUpdateTask.objects.create(
            agency=agency,
            decision_number="2150/QĐ-UBND",
            decision_effective=today - timedelta(days=100),
            national_code="1.013814",
            procedure_title="Đăng ký thành lập, giải thể hội",
            kind=ChangeKind.NEW,
            due_date=today - timedelta(days=2),
        )
        remind_procedure_updates.delay()

        deadline = time.monotonic() + WORKER_TIMEOUT
        found = []
        while not found and time.monotonic() < deadline:
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            found = [m for m in _messages(mail_dir) if staff["editors"].email in str(m["To"])]
            if not found:
                time.sleep(0.5)
        assert found, f"no reminder:\n{(tmp_path / 'worker.log').read_text()}"
        message = found[0]
        body = message.get_body(preferencelist=("plain",)).get_content()
        assert "quá hạn" in str(message["Subject"])
        assert "1.013814" in body and "Quá hạn 2 ngày".lower() in body
        task = ProcedureUpdateTask.objects.get()
        assert task.last_reminded_on == today
    finally:
        _stop_worker(worker)
