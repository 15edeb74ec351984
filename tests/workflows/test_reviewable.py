"""«Chờ bạn duyệt»: the project's own answer to "which steps may this user take" equals
Wagtail's `TaskState.objects.reviewable_by` for every role, in every agency, while it no longer
builds one query per task of the province (workflows.models.task_states_reviewable_by)."""

from __future__ import annotations

from django.urls import reverse

from wagtail.models import TaskState

import pytest

from content_types.agency import AgencyRole
from tests.accounts.helpers import session_second_factor_pass
from tests.factories import make_agency, make_form, make_staff, make_user
from workflows.models import task_states_reviewable_by

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(home):
    """Two agencies; in each one form at the first step and one at the leader's step."""
    out = {}
    for code in ("CQA", "CQB"):
        agency = make_agency(home, code)
        staff = make_staff(agency, code.lower())
        editor = staff[AgencyRole.EDITORS]
        first = make_form(agency, editor, code=f"{code}.01", title=f"Tờ khai chờ kiểm tra {code}")
        first.get_workflow().start(first, editor)
        second = make_form(agency, editor, code=f"{code}.02", title=f"Tờ khai chờ duyệt {code}")
        second.get_workflow().start(second, editor)
        second.current_workflow_task_state.approve(user=staff[AgencyRole.REVIEWERS])
        out[code] = (agency, staff, first, second)
    return out


def _ids(states) -> set[int]:
    return set(states.values_list("pk", flat=True))


def test_same_answer_as_wagtail_for_every_role(province):
    users = [make_user("root", is_superuser=True, is_staff=True)]
    for _agency, staff, _first, _second in province.values():
        users += list(staff.values())
    for user in users:
        ours = _ids(task_states_reviewable_by(user))
        assert ours == _ids(TaskState.objects.reviewable_by(user)), user.username
    _agency, staff, first, second = province["CQA"]
    # Each step waits only for its own group of its own agency; the submitter sees nothing.
    reviewer_a = _ids(task_states_reviewable_by(staff[AgencyRole.REVIEWERS]))
    approver_a = _ids(task_states_reviewable_by(staff[AgencyRole.APPROVERS]))
    assert reviewer_a == {first.current_workflow_task_state.pk}
    assert approver_a == {second.current_workflow_task_state.pk}
    assert _ids(task_states_reviewable_by(staff[AgencyRole.EDITORS])) == set()


def test_dashboard_lists_what_waits_for_the_leader_only(province, client):
    _agency, staff, first, second = province["CQA"]
    _other, _other_staff, other_first, other_second = province["CQB"]
    approver = staff[AgencyRole.APPROVERS]
    client.force_login(approver)
    session_second_factor_pass(client, approver)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert second.title in page
    assert first.title not in page  # still at the first step
    assert other_second.title not in page  # another agency's leader's step
    assert other_first.title not in page
