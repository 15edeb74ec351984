"""The objectives and the maintenance plan feed the management review: the review's objectives
input equals the measured results, and the plan's review month makes the review due then."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

import pytest

from content_types.quality.review import ManagementReviewPage
from tests.objectives.builders import (
    objective_row,
    objectives_through_admin,
    plan_row,
    plan_through_admin,
)
from tests.quality.conftest import EDITORS, messages_of, today_is
from workflows.quality.objectives import objective_measurement_record
from workflows.quality.review_items import management_review_due_items
from workflows.workspace.registry import WorkScope

pytestmark = pytest.mark.django_db


def test_review_input_counts_the_objectives_as_measured(client, agency_a, staff_a, units_a):
    with today_is(date(2026, 7, 10)):
        page = objectives_through_admin(
            client,
            agency_a,
            staff_a,
            [
                objective_row(units_a["desk"], statement="Hồ sơ đúng hạn"),
                objective_row(
                    units_a["desk"],
                    statement="Không có phản ánh",
                    target_value="0",
                    direction="lte",
                    target_unit="phản ánh",
                ),
            ],
        )
        first, second = page.objectives.order_by("sort_order", "pk")
        editor = staff_a[EDITORS]
        for period, value in ((1, "97"), (2, "99")):
            objective_measurement_record(
                objective=first, period=period, value=value, evidence="Sổ", user=editor
            )
        objective_measurement_record(
            objective=second, period=1, value="0", evidence="Sổ", user=editor
        )
        client.force_login(editor)
        response = client.post(
            reverse("iso_quality_planning", args=[agency_a.pk]),
            {"year": 2026, "meeting_date": "2026-07-10"},
        )
        assert response.status_code == 302, messages_of(response)
        review = ManagementReviewPage.objects.descendant_of(agency_a).get()
        latest = review.get_latest_revision_as_object()
        objectives = {i.key: i for i in latest.inputs.all()}["objectives"]
    # The first missed 98 % in Q1; the second has no Q2 value: one not achieved, one not measured.
    assert objectives.figures == {
        "total": 2,
        "achieved": 0,
        "not_achieved": 1,
        "not_measured": 1,
    }
    assert objectives.text.startswith("0/2 mục tiêu đạt; 1 không đạt; 1 chưa đo.")
    assert "Hồ sơ đúng hạn (≥ 98 %): Không đạt" in objectives.text


def test_the_plans_review_month_makes_the_review_due(client, agency_a, staff_a):
    def due(horizon: date):
        scope = WorkScope(
            user=staff_a[EDITORS],
            agency_ids=(agency_a.pk,),
            today=date(2026, 1, 10),
            horizon=horizon,
        )
        return [(item.agency_id, item.due) for item in management_review_due_items(scope)]

    assert due(date(2026, 6, 30)) == []  # no plan: December
    with today_is(date(2026, 1, 10)):
        plan_through_admin(
            client,
            agency_a,
            staff_a,
            [plan_row(), plan_row(activity="Họp xem xét", kind="management_review", due_month=6)],
        )
    assert due(date(2026, 6, 30)) == [(agency_a.pk, date(2026, 6, 30))]
