"""Reminders at the right days: auditors 14 and 7 days before their audit; action owners and
the ISO officer 7 days and 1 day before a due date and when overdue (then weekly)."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core import mail

import pytest
import time_machine

from tests.quality.builders import build_round
from workflows.quality.reminders import quality_reminders_send

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
AUDIT_DAY = date(2027, 3, 22)
DUE = date(2027, 3, 10)


def _at(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 7, 0, tzinfo=TZ), tick=False)


@pytest.fixture
def planned(agency_a, staff_a):
    with _at(date(2027, 3, 1)):
        return build_round(agency_a, staff_a, audit_day=AUDIT_DAY, due=DUE)


def _sent_on(day: date) -> list:
    mail.outbox.clear()
    with _at(day):
        quality_reminders_send(today=day)
    return list(mail.outbox)


@pytest.mark.django_db
def test_auditor_is_reminded_14_and_7_days_before(planned, staff_a):
    auditor = staff_a["auditors"]
    for days_before, expected in ((15, False), (14, True), (13, False), (7, True), (6, False)):
        sent = [
            m for m in _sent_on(AUDIT_DAY - timedelta(days=days_before)) if m.to == [auditor.email]
        ]
        assert bool(sent) is expected, days_before
        if expected:
            assert f"còn {days_before} ngày" in sent[0].subject
            assert "22/03/2027" in sent[0].body and planned.unit.name in sent[0].body
            assert f"/admin/chat-luong/ke-hoach/{planned.plan.pk}/" in sent[0].body


@pytest.mark.django_db
def test_action_owner_and_iso_officer_before_due_and_when_overdue(planned, staff_a):
    owner, officer = staff_a["reviewers"], staff_a["editors"]
    expected_days = {
        DUE - timedelta(days=7),
        DUE - timedelta(days=1),
        DUE + timedelta(days=1),
        DUE + timedelta(days=8),
    }
    day = DUE - timedelta(days=9)
    while day <= DUE + timedelta(days=9):
        sent = [m for m in _sent_on(day) if planned.action.title in m.body]
        if day in expected_days:
            assert len(sent) == 2, day  # one e-mail per recipient
            assert sorted(m.to[0] for m in sent) == sorted([owner.email, officer.email])
            if day > DUE:
                assert sent[0].subject.startswith("Quá hạn")
                assert f"đã quá hạn {(day - DUE).days} ngày" in sent[0].body
            else:
                assert sent[0].subject.startswith("Sắp đến hạn")
        else:
            assert sent == [], day
        day += timedelta(days=1)


@pytest.mark.django_db
def test_a_second_run_on_the_same_day_sends_nothing_again(planned):
    day = AUDIT_DAY - timedelta(days=7)
    assert _sent_on(day)
    assert _sent_on(day) == []


@pytest.mark.django_db
def test_done_actions_and_draft_plans_are_not_reminded(planned, staff_a):
    from workflows.quality import nonconformities as ncs

    with _at(DUE - timedelta(days=2)):
        ncs.action_complete(action=planned.action, result="Xong.", user=staff_a["reviewers"])
    assert [m for m in _sent_on(DUE + timedelta(days=1)) if planned.action.title in m.body] == []
    planned.plan.unpublish()
    assert _sent_on(AUDIT_DAY - timedelta(days=14)) == []


# --- A real Celery worker on Redis --------------------------------------------------------------


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_real_worker_sends_the_reminders_of_the_day(redis_celery, tmp_path):
    from django.utils import timezone

    from tests.factories import make_agency, make_home, make_staff
    from tests.integration.test_celery_worker import _messages, _start_worker, _stop_worker
    from workflows.quality.tasks import send_quality_reminders

    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    worker = _start_worker(tmp_path, mail_dir)
    try:
        with _at(date(2027, 3, 1)):
            home = make_home()
            agency = make_agency(home, "CQR", title="Sở Kiểm thử Nhắc việc", short_name="Sở KTN")
            staff = make_staff(agency, "r")
            # Due 8 days before the audit: on the auditor's 7-day reminder it is 1 day late.
            due = AUDIT_DAY - timedelta(days=8)
            built = build_round(agency, staff, audit_day=AUDIT_DAY, due=due)
        with _at(AUDIT_DAY - timedelta(days=7)):
            # The beat names no day: the producer's frozen clock picks it for the worker.
            send_quality_reminders.delay(on=timezone.localdate().isoformat())
        deadline = time.monotonic() + 60
        bodies: dict[str, list[str]] = {}
        while time.monotonic() < deadline:
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            bodies = {}
            for message in _messages(mail_dir):
                text = message.get_body(preferencelist=("plain",)).get_content()
                bodies.setdefault(str(message["To"]), []).append(f"{message['Subject']}\n{text}")
            if len(bodies.get(staff["editors"].email, [])) and bodies.get(staff["auditors"].email):
                break
            time.sleep(0.5)
        auditor_mail = bodies.get(staff["auditors"].email, [])
        assert auditor_mail, (tmp_path / "worker.log").read_text()
        assert "còn 7 ngày" in auditor_mail[0] and built.unit.name in auditor_mail[0]
        for person in ("reviewers", "editors"):  # the action's owner and the ISO officer
            late = [b for b in bodies.get(staff[person].email, []) if built.action.title in b]
            assert late and "đã quá hạn 1 ngày" in late[0], person
    finally:
        _stop_worker(worker)
