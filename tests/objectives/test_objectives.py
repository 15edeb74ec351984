"""Quality objectives through the admin: approval, measurements, status at period boundaries,
computed values, refused input with Vietnamese messages."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from content_types.oversight import DossierStatistic
from content_types.quality.action import ActionSource, QualityAction
from content_types.quality.objectives import ObjectiveMeasurement
from tests.objectives.builders import objective_row, objectives_through_admin
from tests.quality.conftest import EDITORS, REVIEWERS, assert_refused, messages_of, today_is
from workflows.quality.objectives import Status, objective_statuses

pytestmark = pytest.mark.django_db


def _measure(client, page, objective, **data):
    return client.post(
        reverse("iso_objectives", args=[page.pk]),
        {"objective": objective.pk, "do": "measure", **data},
        follow=True,
    )


def test_editor_measures_an_approved_objective_and_sees_its_status(
    client, agency_a, staff_a, units_a
):
    with today_is(date(2026, 7, 10)):
        page = objectives_through_admin(client, agency_a, staff_a, [objective_row(units_a["desk"])])
        assert page.live
        objective = page.objectives.get()
        client.force_login(staff_a[EDITORS])
        response = _measure(
            client, page, objective, period="1", value="97,5", evidence="Sổ theo dõi"
        )
        assert "Đã ghi kết quả kỳ 1" in " ".join(messages_of(response))
        response = _measure(client, page, objective, period="2", value="99", evidence="Sổ theo dõi")
        body = response.content.decode()
        assert "97,5 %" in body and "Không đạt" in body and "Đạt" in body
        assert '<svg class="iso-chart"' in body
        statuses = objective_statuses(page=page)[0]
        assert [p.status for p in statuses.periods] == [
            Status.NOT_ACHIEVED,
            Status.ACHIEVED,
            Status.NOT_DUE,
            Status.NOT_DUE,
        ]
        assert statuses.status == Status.NOT_ACHIEVED
        # A correction keeps its history: who, when, what.
        _measure(client, page, objective, period="1", value="98", evidence="Đã rà soát lại")
        measurement = ObjectiveMeasurement.objects.get(objective=objective, period=1)
        assert measurement.value == 98 and measurement.history.count() == 2
        assert objective_statuses(page=page)[0].status == Status.ACHIEVED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"period": "1", "value": "chín mươi", "evidence": "x"}, "không phải là một số"),
        ({"period": "7", "value": "99", "evidence": "x"}, "Kỳ đo không thuộc năm 2026"),
        ({"period": "4", "value": "99", "evidence": "x"}, "chưa bắt đầu"),
        ({"period": "1", "value": "99", "evidence": ""}, "Hãy ghi bằng chứng"),
    ],
)
def test_bad_measurements_are_refused_with_a_message(client, agency_a, staff_a, data, message):
    with today_is(date(2026, 5, 2)):
        page = objectives_through_admin(client, agency_a, staff_a, [objective_row()])
        client.force_login(staff_a[EDITORS])
        response = _measure(client, page, page.objectives.get(), **data)
        assert message in " ".join(messages_of(response))
        assert not ObjectiveMeasurement.objects.exists()


def test_a_bad_evidence_file_is_refused(client, agency_a, staff_a):
    with today_is(date(2026, 5, 2)):
        page = objectives_through_admin(client, agency_a, staff_a, [objective_row()])
        client.force_login(staff_a[EDITORS])
        fake = SimpleUploadedFile("bang-chung.pdf", b"MZ not a pdf", content_type="application/pdf")
        response = _measure(
            client, page, page.objectives.get(), period="1", value="99", evidence_file=fake
        )
        assert response.status_code == 200
        assert messages_of(response) and not ObjectiveMeasurement.objects.exists()


def test_no_measurement_before_leadership_approves_the_set(client, agency_a, staff_a):
    with today_is(date(2026, 5, 2)):
        page = objectives_through_admin(client, agency_a, staff_a, [objective_row()], approve=False)
        assert not page.live
        client.force_login(staff_a[EDITORS])
        response = _measure(
            client, page, page.objectives.get(), period="1", value="99", evidence="x"
        )
        assert "chưa được lãnh đạo phê duyệt" in " ".join(messages_of(response))
        assert not ObjectiveMeasurement.objects.exists()


def test_a_reviewer_may_read_but_not_measure(client, agency_a, staff_a):
    with today_is(date(2026, 5, 2)):
        page = objectives_through_admin(client, agency_a, staff_a, [objective_row()])
        client.force_login(staff_a[REVIEWERS])
        assert client.get(reverse("iso_objectives", args=[page.pk])).status_code == 200
        response = client.post(
            reverse("iso_objectives", args=[page.pk]),
            {"objective": page.objectives.get().pk, "period": "1", "value": "99", "evidence": "x"},
        )
        assert_refused(response)
        assert not ObjectiveMeasurement.objects.exists()


def test_status_at_period_boundaries(client, agency_a, staff_a):
    with today_is(date(2026, 2, 1)):
        page = objectives_through_admin(
            client,
            agency_a,
            staff_a,
            [
                objective_row(
                    frequency="month", target_value="5", direction="lte", target_unit="hồ sơ"
                )
            ],
        )
    # January is due from 1 February; on 31 January it is not.
    assert objective_statuses(page=page, today=date(2026, 1, 31))[0].periods[0].status == (
        Status.NOT_DUE
    )
    assert objective_statuses(page=page, today=date(2026, 2, 1))[0].periods[0].status == (
        Status.NOT_MEASURED
    )
    with today_is(date(2026, 2, 1)):
        client.force_login(staff_a[EDITORS])
        _measure(client, page, page.objectives.get(), period="1", value="5", evidence="Sổ")
    first = objective_statuses(page=page, today=date(2026, 2, 1))[0]
    assert first.periods[0].status == Status.ACHIEVED  # ≤ 5 met by 5 exactly
    assert first.status == Status.ACHIEVED
    assert objective_statuses(page=page, today=date(2026, 3, 1))[0].status == Status.NOT_MEASURED


def test_an_objective_computed_from_one_stop_figures(client, agency_a, staff_a):
    with today_is(date(2026, 4, 5)):
        page = objectives_through_admin(
            client,
            agency_a,
            staff_a,
            [
                objective_row(data_source="dossier_agency"),
                objective_row(
                    statement="Chứng thực đúng hạn",
                    data_source="dossier_procedure",
                    procedure_code="2.000815",
                    target_value="100",
                ),
            ],
        )
    for month, code, on_time, late in [
        (1, "2.000815", 50, 0),
        (2, "1.001193", 40, 5),
        (3, "2.000815", 5, 0),
    ]:
        DossierStatistic.objects.create(
            agency=agency_a,
            procedure_code=code,
            year=2026,
            month=month,
            received_in_person=on_time + late,
            resolved_on_time=on_time,
            resolved_late=late,
        )
    agency_rate, procedure_rate = objective_statuses(page=page, today=date(2026, 4, 5))
    assert agency_rate.periods[0].value_text == "95"  # 95 of 100 dossiers
    assert agency_rate.periods[0].status == Status.NOT_ACHIEVED
    assert procedure_rate.periods[0].value_text == "100"
    assert procedure_rate.periods[0].status == Status.ACHIEVED
    assert agency_rate.periods[1].status == Status.NOT_DUE
    # Nothing is typed for a computed objective.
    with today_is(date(2026, 4, 5)):
        client.force_login(staff_a[EDITORS])
        response = _measure(
            client, page, page.objectives.first(), period="1", value="99", evidence="x"
        )
    assert "tính tự động" in " ".join(messages_of(response))


def test_a_procedure_objective_needs_its_code(client, agency_a, staff_a):
    from content_types.quality.objectives import QualityObjectivesPage
    from tests.factories import quality_system
    from tests.objectives.builders import objectives_form_data
    from tests.quality.conftest import add_page

    client.force_login(staff_a[EDITORS])
    response = add_page(
        client,
        QualityObjectivesPage,
        quality_system(agency_a),
        objectives_form_data([objective_row(data_source="dossier_procedure")]),
    )
    assert response.status_code == 200
    assert "Hãy nhập mã thủ tục" in response.content.decode()
    assert not QualityObjectivesPage.objects.exists()


def test_a_second_set_for_the_same_year_is_refused(client, agency_a, staff_a):
    from content_types.quality.objectives import QualityObjectivesPage
    from tests.factories import quality_system
    from tests.objectives.builders import objectives_form_data
    from tests.quality.conftest import add_page

    objectives_through_admin(client, agency_a, staff_a, [objective_row()])
    client.force_login(staff_a[EDITORS])
    response = add_page(
        client,
        QualityObjectivesPage,
        quality_system(agency_a),
        objectives_form_data([objective_row()], slug="muc-tieu-khac"),
    )
    assert "Cơ quan đã có mục tiêu chất lượng năm 2026" in response.content.decode()
    assert QualityObjectivesPage.objects.count() == 1


def test_plan_actions_join_the_agency_action_list(client, agency_a, staff_a):
    with today_is(date(2026, 5, 2)):
        page = objectives_through_admin(client, agency_a, staff_a, [objective_row()])
        objective = page.objectives.get()
        client.force_login(staff_a[EDITORS])
        url = reverse("iso_objectives", args=[page.pk])
        response = client.post(
            url,
            {
                "objective": objective.pk,
                "do": "action",
                "title": "",
                "owner": staff_a[REVIEWERS].pk,
                "due_date": "2026-06-30",
            },
            follow=True,
        )
        assert "Hãy nhập nội dung hành động" in " ".join(messages_of(response))
        response = client.post(
            url,
            {
                "objective": objective.pk,
                "do": "action",
                "title": "Cảnh báo hồ sơ sắp đến hạn",
                "owner": staff_a[REVIEWERS].pk,
                "due_date": "2026-06-30",
            },
            follow=True,
        )
        action = QualityAction.objects.get()
        assert action.source == ActionSource.OBJECTIVE and action.objective == objective
        assert action.agency == agency_a and action.owner == staff_a[REVIEWERS]
        actions_page = client.get(reverse("iso_quality_actions", args=[agency_a.pk]))
        assert "Cảnh báo hồ sơ sắp đến hạn" in actions_page.content.decode()


def test_evidence_file_is_served_only_through_the_checked_view(client, agency_a, staff_a):
    with today_is(date(2026, 5, 2)):
        page = objectives_through_admin(client, agency_a, staff_a, [objective_row()])
        client.force_login(staff_a[EDITORS])
        from fixtures.demo_forms import pdf_bytes

        pdf = SimpleUploadedFile(
            "phieu-khao-sat.pdf",
            pdf_bytes(["Phiếu khảo sát"]),
            content_type="application/pdf",
        )
        response = _measure(
            client, page, page.objectives.get(), period="1", value="91", evidence_file=pdf
        )
        assert "Đã ghi kết quả" in " ".join(messages_of(response)), messages_of(response)
        measurement = ObjectiveMeasurement.objects.get()
        client.force_login(staff_a[REVIEWERS])
        download = client.get(reverse("iso_objective_evidence", args=[measurement.pk]))
        assert download.status_code == 200 and "no-store" in download["Cache-Control"]
        assert b"".join(download.streaming_content).startswith(b"%PDF-")
        client.logout()
        assert client.get(f"/media/{measurement.evidence_file.name}").status_code == 404
