"""The update deadline: due dates from rules with an effective date, lists, overdue, reminders."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

import pytest
import time_machine

from content_types.agency import AgencyRole
from content_types.catalogue import (
    ChangeKind,
    ProcedureUpdateTask,
    UpdateDeadlineRule,
    add_months,
    update_deadline_for,
)
from tests.factories import make_user
from workflows.catalogue.deadlines import tasks_remind
from workflows.provisioning import PROVINCE_ADMINS

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
DUE = date(2027, 3, 1)


def _at(day: date):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 9, 0, tzinfo=HANOI), tick=False
    )


def _task(agency, code="1.013814", kind=ChangeKind.NEW, due=DUE):
    return ProcedureUpdateTask.objects.create(
        agency=agency,
        decision_number="2150/QĐ-UBND",
        decision_effective=date(2026, 12, 1),
        national_code=code,
        procedure_title="Đăng ký thành lập, giải thể hội",
        kind=kind,
        due_date=due,
    )


def test_default_deadline_is_three_months_and_rules_take_effect_by_date():
    assert update_deadline_for(date(2026, 12, 1)) == date(2027, 3, 1)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    UpdateDeadlineRule.objects.create(effective_from=date(2027, 7, 1), months=2, days=0)
    # A decision taking effect before the new rule keeps the old deadline …
    assert update_deadline_for(date(2027, 6, 30)) == date(2027, 9, 30)
    # … one on or after it gets the new one.
    assert update_deadline_for(date(2027, 7, 1)) == date(2027, 9, 1)


@pytest.mark.parametrize(
    ("day", "label", "overdue"),
    [
        (date(2027, 2, 28), "Còn 1 ngày", False),
        (DUE, "Đến hạn hôm nay", False),
        (date(2027, 3, 2), "Quá hạn 1 ngày", True),
    ],
    ids=["T-1", "T", "T+1"],
)
def test_task_state_around_the_due_date(client, agency_a, staff_a, day, label, overdue):
    task = _task(agency_a)
    mail.outbox.clear()
    with _at(day):
        assert task.state_label() == label
        assert task.is_overdue() is overdue
        client.force_login(staff_a[AgencyRole.EDITORS])
        html = client.get(reverse("iso_catalogue_tasks", args=[agency_a.pk])).content.decode()
        assert label in html and "Cập nhật quy trình nội bộ" in html
        assert ("1 việc đã quá hạn" in html) is overdue
        overdue_list = client.get(
            reverse("iso_catalogue_tasks", args=[agency_a.pk]) + "?tinh_trang=overdue"
        ).content.decode()
        assert ("1.013814" in overdue_list) is overdue

        # The daily reminder e-mails the agency's editors, in Vietnamese.
        assert tasks_remind() == 1
        assert tasks_remind() == 0  # once a day
    (message,) = mail.outbox
    assert staff_a[AgencyRole.EDITORS].email in message.to
    assert "cần cập nhật quy trình nội bộ" in message.subject
    assert ("quá hạn" in message.subject) is overdue
    assert "1.013814" in message.body and "hạn 01/03/2027" in message.body
    assert label.lower() in message.body


def test_no_reminder_on_a_quiet_day(agency_a, staff_a):
    _task(agency_a)
    with _at(date(2027, 2, 10)):  # 19 days before: not one of the reminder days
        assert tasks_remind() == 0
    assert mail.outbox == []


def test_province_sees_every_agency_and_an_agency_only_its_own(
    client, agency_a, agency_b, staff_a, staff_b
):
    _task(agency_a, code="1.013814")
    _task(agency_b, code="2.000815", kind=ChangeKind.ABOLISHED)
    province = make_user("tinh.qt", Group.objects.get(name=PROVINCE_ADMINS))
    client.force_login(province)
    html = client.get(reverse("iso_catalogue_tasks_index")).content.decode()
    assert "1.013814" in html and "2.000815" in html and "Cần bãi bỏ" in html
    client.force_login(staff_b[AgencyRole.EDITORS])
    response = client.get(reverse("iso_catalogue_tasks_index"), follow=True)
    html = response.content.decode()
    assert "2.000815" in html and "1.013814" not in html
