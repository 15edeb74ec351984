"""The maintenance plan, the new-year copy, the dashboard items, the work sources, and the
isolation of every new view."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from content_types.quality.maintenance import MaintenancePlanPage
from content_types.quality.objectives import ObjectiveMeasurement, QualityObjectivesPage
from content_types.quality.programme import AuditProgrammePage
from tests.objectives.builders import (
    objective_row,
    objectives_through_admin,
    plan_row,
    plan_through_admin,
)
from tests.quality.conftest import (
    ADMINISTRATORS,
    APPROVERS,
    AUDITORS,
    EDITORS,
    REVIEWERS,
    approved_programme,
    assert_refused,
    messages_of,
    today_is,
)
from workflows.oversight.dashboard import dashboard_build
from workflows.quality.objectives import objective_measurement_record
from workflows.workspace.registry import WorkScope, work_sources

pytestmark = pytest.mark.django_db


def _year(client, agency_a, staff_a, units_a):
    """Agency A's approved 2026 objectives (one measured), plan and audit programme."""
    page = objectives_through_admin(client, agency_a, staff_a, [objective_row(units_a["desk"])])
    objective_measurement_record(
        objective=page.objectives.get(), period=1, value="99", evidence="Sổ", user=staff_a[EDITORS]
    )
    plan = plan_through_admin(
        client,
        agency_a,
        staff_a,
        [
            plan_row(),
            plan_row(activity="Đo lường mục tiêu quý I", kind="objectives", due_month=4),
            plan_row(activity="Báo cáo Sở KH&CN", kind="report", due_month=12, record=page.pk),
        ],
    )
    programme = approved_programme(client, agency_a, staff_a, units_a)
    return page, plan, programme


def test_plan_items_are_done_by_their_approved_records(client, agency_a, staff_a, units_a):
    with today_is(date(2026, 5, 10)):
        page, plan, _ = _year(client, agency_a, staff_a, units_a)
        client.force_login(staff_a[REVIEWERS])
        response = client.get(reverse("iso_maintenance_plan", args=[plan.pk]))
        body = response.content.decode()
        states = {s.item.activity: s for s in response.context["states"]}
        assert not states["Đánh giá nội bộ"].done  # no approved audit report yet
        assert states["Đo lường mục tiêu quý I"].done  # Q1 measured
        assert states["Báo cáo Sở KH&CN"].done and page.title in body
        assert response.context["done"] == 2


def test_the_new_year_copies_drafts_and_leaves_this_year_alone(client, agency_a, staff_a, units_a):
    with today_is(date(2026, 11, 20)):
        page, plan, programme = _year(client, agency_a, staff_a, units_a)
        before = {p.pk: (p.live, p.title, p.revisions.count()) for p in (page, plan, programme)}
        url = reverse("iso_quality_years", args=[agency_a.pk])
        for role in (REVIEWERS, APPROVERS, AUDITORS):  # not editors: refused
            client.force_login(staff_a[role])
            assert_refused(client.post(url, {"nam": "2026"}))
        assert not QualityObjectivesPage.objects.filter(year=2027).exists()
        client.force_login(staff_a[EDITORS])
        response = client.post(url, {"nam": "2026"}, follow=True)
        assert "Đã tạo dự thảo năm 2027" in " ".join(messages_of(response))
        new_objectives = QualityObjectivesPage.objects.get(year=2027)
        new_plan = MaintenancePlanPage.objects.get(year=2027)
        new_programme = AuditProgrammePage.objects.get(year=2027)
        assert not (new_objectives.live or new_plan.live or new_programme.live)
        assert new_objectives.title == "Mục tiêu chất lượng năm 2027"
        assert new_objectives.objectives.get().statement == page.objectives.get().statement
        assert not ObjectiveMeasurement.objects.filter(objective__page=new_objectives).exists()
        assert new_plan.items.count() == 3 and not new_plan.items.filter(record__isnull=False)
        assert new_programme.rounds.count() == 1
        after = {
            p.pk: (p.live, p.title, p.revisions.count())
            for p in (
                QualityObjectivesPage.objects.get(pk=page.pk),
                MaintenancePlanPage.objects.get(pk=plan.pk),
                AuditProgrammePage.objects.get(pk=programme.pk),
            )
        }
        assert after == before
        assert ObjectiveMeasurement.objects.filter(objective__page=page).count() == 1
        assert plan.items.filter(record=page.pk).exists()
        # A second time: refused, nothing more made.
        response = client.post(url, {"nam": "2026"}, follow=True)
        assert "Đã có mục tiêu chất lượng năm 2027" in " ".join(messages_of(response))
        assert QualityObjectivesPage.objects.filter(year=2027).count() == 1


def test_dashboard_counts_pages_and_measurements(
    client, home, agency_a, agency_b, staff_a, units_a
):
    with today_is(date(2026, 5, 10)):
        _year(client, agency_a, staff_a, units_a)
        with CaptureQueriesContext(connection) as few:
            dashboard = dashboard_build(year=2026)
        keys = [item.key for item in dashboard.items]
        counts = dict(zip(keys, dashboard.counts, strict=True))
        assert counts["objectives"] == (1, 2) and counts["maintenance_plan"] == (1, 2)
        assert counts["objectives_measured"] == (1, 2)
        assert (
            keys.index("maintenance_plan")
            < keys.index("objectives")
            < keys.index("objectives_measured")
        )
    # Q2 ended without a measurement: no longer measured.
    with today_is(date(2026, 7, 2)):
        dashboard = dashboard_build(year=2026)
        counts = dict(zip([i.key for i in dashboard.items], dashboard.counts, strict=True))
        assert counts["objectives_measured"] == (0, 2)
    del few


def test_work_sources_list_what_is_due_for_the_agency(
    client, agency_a, agency_b, staff_a, staff_b, units_a
):
    with today_is(date(2026, 5, 10)):
        _year(client, agency_a, staff_a, units_a)
        objectives_through_admin(client, agency_b, staff_b, [objective_row(statement="Mục tiêu B")])
        sources = {s.key: s for s in work_sources()}
        scope = WorkScope(
            user=staff_a[EDITORS],
            agency_ids=(agency_a.pk,),
            today=date(2026, 5, 10),
            horizon=date(2026, 5, 31),
        )
        measurements = sources["objective_measurement"].collect(scope)
        assert measurements == []  # Q1 measured, Q2 ends in June
        scope = WorkScope(
            user=staff_a[EDITORS],
            agency_ids=(agency_a.pk,),
            today=date(2026, 7, 3),
            horizon=date(2026, 7, 31),
        )
        measurements = sources["objective_measurement"].collect(scope)
        assert [m.title for m in measurements] == [
            "Đo lường mục tiêu «Giải quyết hồ sơ TTHC đúng hạn» — Quý II/2026"
        ]
        assert measurements[0].is_overdue(date(2026, 7, 3))
        plan_items = sources["maintenance_plan_item"].collect(scope)
        assert [i.title for i in plan_items] == []  # the audit is due in November
        scope = WorkScope(
            user=staff_a[EDITORS],
            agency_ids=(agency_a.pk,),
            today=date(2026, 12, 1),
            horizon=date(2026, 12, 31),
        )
        assert [i.title for i in sources["maintenance_plan_item"].collect(scope)] == [
            "Kế hoạch duy trì: Đánh giá nội bộ"
        ]


@pytest.mark.parametrize("role", [EDITORS, AUDITORS, ADMINISTRATORS])
def test_another_agency_is_refused_on_every_new_view(
    client, agency_a, staff_a, staff_b, units_a, role
):
    with today_is(date(2026, 5, 10)):
        page, plan, _ = _year(client, agency_a, staff_a, units_a)
        measurement = ObjectiveMeasurement.objects.get()
        client.force_login(staff_b[role])
        for url in (
            reverse("iso_objectives", args=[page.pk]),
            reverse("iso_maintenance_plan", args=[plan.pk]),
            reverse("iso_objective_evidence", args=[measurement.pk]),
            reverse("iso_quality_years", args=[agency_a.pk]),
        ):
            assert_refused(client.get(url))
        assert_refused(
            client.post(
                reverse("iso_objectives", args=[page.pk]),
                {
                    "objective": page.objectives.get().pk,
                    "period": "2",
                    "value": "1",
                    "evidence": "x",
                },
            )
        )
        assert_refused(
            client.post(reverse("iso_quality_years", args=[agency_a.pk]), {"nam": "2026"})
        )
        assert ObjectiveMeasurement.objects.count() == 1
        assert not QualityObjectivesPage.objects.filter(year=2027).exists()


def test_the_quality_section_links_to_the_yearly_records(client, agency_a, staff_a, staff_b):
    from tests.factories import quality_system

    section = quality_system(agency_a)
    link = reverse("iso_quality_years", args=[agency_a.pk])
    client.force_login(staff_a[EDITORS])
    response = client.get(reverse("wagtailadmin_explore", args=[section.pk]))
    assert link in response.content.decode()
    page = client.get(link).content.decode()
    assert "Sao chép sang năm mới" in page and "Lập mục tiêu chất lượng" in page
    client.force_login(staff_a[REVIEWERS])
    page = client.get(link).content.decode()
    assert "Sao chép sang năm mới" not in page  # only the agency's editors copy
