"""The daily «Việc cần làm» e-mail: each user's overdue and due-soon items, once a day, in
Vietnamese, nothing of another agency; sent by a real Celery worker on Redis."""

from __future__ import annotations

import time
from datetime import date, timedelta

from django.core import mail

import pytest

from content_types.agency import AgencyRole
from content_types.quality.action import ReminderLog
from tests.workspace.builders import TODAY, at, build_due
from workflows.workspace.reminders import workspace_reminders_send

EDITORS, REVIEWERS = AgencyRole.EDITORS, AgencyRole.REVIEWERS


def _sent_on(day: date) -> dict[str, list]:
    mail.outbox.clear()
    with at(day, hour=7):
        workspace_reminders_send(today=day)
    found: dict[str, list] = {}
    for message in mail.outbox:
        found.setdefault(message.to[0], []).append(message)
    return found


@pytest.mark.django_db
def test_each_user_gets_one_digest_of_their_own_agency(due_a, due_b, staff_a):
    sent = _sent_on(TODAY)
    officer = sent[staff_a[EDITORS].email]
    assert len(officer) == 1
    message = officer[0]
    assert message.subject == "Việc cần làm: 3 việc quá hạn, 1 việc sắp đến hạn"
    body = message.body
    assert "QUÁ HẠN 42 NGÀY: Rà soát định kỳ «Sổ tay chất lượng A» (ST.01)" in body
    assert "Quá hạn" not in body.split("QUÁ HẠN 42 NGÀY")[0]  # overdue first
    assert "Hạn 20/03/2027 (còn 5 ngày): Rà soát định kỳ «Tờ khai A» (BM.A-01)" in body
    assert "/admin/ra-soat-tai-lieu/" in body and "http" in body  # one click from the mail
    for other in ("Sổ tay chất lượng B", "Nhắc hạn hồ sơ B", "khai sinh B"):
        assert other not in body
    # The reviewer only has the action they own.
    reviewer = sent[staff_a[REVIEWERS].email][0]
    assert reviewer.subject == "Việc cần làm: 1 việc quá hạn, 0 việc sắp đến hạn"
    assert "Nhắc hạn hồ sơ A" in reviewer.body and "Sổ tay" not in reviewer.body
    # Nobody without due work is written to (the auditor of A has none).
    assert staff_a[AgencyRole.AUDITORS].email not in sent


@pytest.mark.django_db
def test_a_second_run_on_the_same_day_sends_nothing_again(due_a, staff_a):
    assert staff_a[EDITORS].email in _sent_on(TODAY)
    assert _sent_on(TODAY) == {}
    assert ReminderLog.objects.filter(key=f"workspace:{staff_a[EDITORS].pk}").count() == 1
    assert staff_a[EDITORS].email in _sent_on(TODAY + timedelta(days=1))  # the next day, again


@pytest.mark.django_db
def test_nothing_due_nothing_sent(agency_a, staff_a):
    assert _sent_on(TODAY) == {}


# --- A real Celery worker on Redis --------------------------------------------------------------


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_real_worker_sends_the_digests_of_the_day(redis_celery, tmp_path):
    from django.utils import timezone

    from tests.factories import make_agency, make_home, make_staff
    from tests.integration.test_celery_worker import _messages, _start_worker, _stop_worker
    from workflows.workspace.tasks import send_workspace_reminders

    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    worker = _start_worker(tmp_path, mail_dir)
    try:
        with at(date(2026, 1, 5)):
            home = make_home()
            agency = make_agency(home, "CQN", title="Sở Kiểm thử Việc cần làm", short_name="Sở KV")
            other = make_agency(home, "CQM", title="Phường Kiểm thử khác", short_name="Phường K")
            staff = make_staff(agency, "n")
            other_staff = make_staff(other, "m")
        build_due(agency, staff, code="N")
        build_due(other, other_staff, code="M")
        officer = staff[EDITORS].email
        for _ in range(2):  # the beat fires twice (a restart): one e-mail only
            with at(TODAY, hour=7):
                # The beat names no day: the producer's frozen clock picks it for the worker.
                send_workspace_reminders.delay(on=timezone.localdate().isoformat())
        deadline = time.monotonic() + 90
        mine: list = []
        while time.monotonic() < deadline:
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            mine = [
                m
                for m in _messages(mail_dir)
                if str(m["To"]) == officer and str(m["Subject"]).strip().startswith("Việc cần làm")
            ]
            logged = ReminderLog.objects.filter(sent_on=TODAY).count()
            if mine and logged >= 2 * 3:  # both agencies' editors, reviewers, approvers
                break
            time.sleep(0.5)
        time.sleep(3)  # let the second run finish: it must find today's log and send nothing
        mine = [
            m
            for m in _messages(mail_dir)
            if str(m["To"]) == officer and str(m["Subject"]).strip().startswith("Việc cần làm")
        ]
        assert len(mine) == 1, (tmp_path / "worker.log").read_text()
        body = mine[0].get_body(preferencelist=("plain",)).get_content()
        assert str(mine[0]["Subject"]).strip() == "Việc cần làm: 3 việc quá hạn, 1 việc sắp đến hạn"
        assert "QUÁ HẠN 42 NGÀY: Rà soát định kỳ «Sổ tay chất lượng N»" in body
        assert "Sổ tay chất lượng M" not in body
    finally:
        _stop_worker(worker)
