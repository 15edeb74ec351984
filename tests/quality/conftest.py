"""Builders for the quality tests: units, and programme and plan pages made and approved
through the admin's own views (the same forms the ISO officer fills)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset, nested_form_data

import pytest

from content_types.agency import AgencyRole
from content_types.quality.plan import AuditPlanPage
from content_types.quality.programme import AuditProgrammePage
from content_types.quality.units import QualityUnit
from tests.factories import make_user, quality_system
from workflows.provisioning import INTERNAL_AUDITORS

EDITORS, REVIEWERS, APPROVERS = AgencyRole.EDITORS, AgencyRole.REVIEWERS, AgencyRole.APPROVERS
ADMINISTRATORS, AUDITORS = AgencyRole.ADMINISTRATORS, AgencyRole.AUDITORS


@pytest.fixture
def province_auditor(home):
    return make_user("tinh.danhgia", Group.objects.get(name=INTERNAL_AUDITORS))


@pytest.fixture
def units_a(agency_a, staff_a):
    """Two units of agency A; the agency's auditor works in the first."""
    legal = QualityUnit.objects.create(agency=agency_a, name="Phòng Hành chính tư pháp")
    legal.members.add(staff_a[AUDITORS], staff_a[EDITORS])
    desk = QualityUnit.objects.create(agency=agency_a, name="Bộ phận Một cửa")
    desk.members.add(staff_a[REVIEWERS])
    return {"legal": legal, "desk": desk}


def approve_through_admin(client, page, staff) -> None:
    """Both steps of the agency workflow, by the reviewer then the approver, in the admin."""
    for role, comment in ((REVIEWERS, "Đạt yêu cầu."), (APPROVERS, "Đồng ý.")):
        client.force_login(staff[role])
        fresh = page.specific_class.objects.get(pk=page.pk)
        task_state = fresh.current_workflow_task_state
        url = reverse(
            "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]
        )
        response = client.post(url, {"comment": comment})
        assert response.status_code == 302, response.content[:500]


def programme_form_data(units, *, year: int = 2026, **overrides) -> dict:
    data = {
        "title": f"Chương trình đánh giá nội bộ năm {year}",
        "slug": f"chuong-trinh-danh-gia-{year}",
        "year": year,
        "purpose": "Xác định mức độ phù hợp và hiệu lực của HTQLCL.",
        "scope_units": [u.pk for u in units],
        "scope_processes": "Tiếp nhận và trả kết quả\nChứng thực",
        "clauses": "4, 5, 6, 7, 8, 9, 10",
        "criteria": "TCVN ISO 9001:2015",
        "rounds": inline_formset([{"name": "Đợt 1", "planned_month": 11, "scope": "Toàn bộ"}]),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def plan_form_data(team_lead, assignments: list[dict], **overrides) -> dict:
    data = {
        "title": "Kế hoạch đánh giá nội bộ đợt 1 năm 2026",
        "slug": "ke-hoach-dot-1-2026",
        "round_name": "Đợt 1",
        "objective": "Đánh giá toàn bộ các đơn vị.",
        "start_date": "2026-12-10",
        "end_date": "2026-12-11",
        "team_lead": team_lead.pk,
        "assignments": inline_formset(assignments),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def assignment(unit, auditor, *, day: str = "2026-12-10", **extra) -> dict:
    row = {
        "unit": unit.pk,
        "auditor": auditor.pk,
        "clauses": "7.5, 8.5",
        "processes": "Chứng thực bản sao",
        "auditee_representative": "Trưởng phòng",
        "audit_date": day,
        "time_slot": "8h00–10h00",
    }
    row.update(extra)
    return row


def add_page(client, model, parent, data, *, submit: bool = True):
    data = dict(data)
    if submit:
        data["action-submit"] = "1"
    url = reverse(
        "wagtailadmin_pages:add", args=["content_types", model._meta.model_name, parent.pk]
    )
    return client.post(url, data)


def approved_programme(client, agency, staff, units) -> AuditProgrammePage:
    client.force_login(staff[EDITORS])
    response = add_page(
        client, AuditProgrammePage, quality_system(agency), programme_form_data(units.values())
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    programme = AuditProgrammePage.objects.descendant_of(agency).get()
    approve_through_admin(client, programme, staff)
    return AuditProgrammePage.objects.get(pk=programme.pk)


def approved_plan(client, programme, staff, assignments, team_lead) -> AuditPlanPage:
    client.force_login(staff[EDITORS])
    response = add_page(client, AuditPlanPage, programme, plan_form_data(team_lead, assignments))
    assert response.status_code == 302, response.content.decode()[:3000]
    plan = AuditPlanPage.objects.child_of(programme).get()
    approve_through_admin(client, plan, staff)
    return AuditPlanPage.objects.get(pk=plan.pk)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def today_is(value: date):
    import time_machine

    return time_machine.travel(value, tick=False)


def assert_refused(response) -> None:
    """Wagtail's admin answers a refused request with 403, or a redirect to the dashboard."""
    from django.urls import reverse

    if response.status_code == 302:
        assert response.url == reverse("wagtailadmin_home")
    else:
        assert response.status_code in (403, 404), response.status_code


from tests.integration.test_celery_worker import redis_celery  # noqa: E402, F401
