"""Real records the model must hold: several processes per procedure (one per case, each with its
own limit), a limit in words with steps in hours, a step carried out by another agency."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset

import pytest

from content_types.agency import AgencyRole
from content_types.procedures import (
    ProcedurePage,
    ProcedurePageProcess,
    ProcedurePageProcessStep,
)
from tests.content_types.test_procedures import _add, _data, _errors, _step
from tests.themes.builders import make_procedure

pytestmark = pytest.mark.django_db


def _step_row(task, days=None, *, hours=None, process="", agency=None, unit="Phòng chuyên môn"):
    return ProcedurePageProcessStep(
        task=task,
        unit=unit,
        role="Chuyên viên",
        working_days=Decimal(days) if days is not None else None,
        hours=Decimal(hours) if hours is not None else None,
        process_name=process,
        agency=agency,
    )


@pytest.fixture
def association(agency_a, agency_b):
    """1.013814: a 5-day process to found an association, a 10-day one to dissolve it; the
    provincial office (agency_b here) signs."""
    page = make_procedure(agency_a, [], title="Thành lập, giải thể hội", code="1.013814")
    latest = page.get_latest_revision_as_object()
    latest.process_time_limit = Decimal(5)
    latest.processes = [
        ProcedurePageProcess(
            name="Giải thể hội",
            case_name="Giải thể",
            time_limit=Decimal(10),
            time_limit_unit="days",
        )
    ]
    latest.process_steps = [
        _step_row("Thẩm định hồ sơ thành lập", "4"),
        _step_row("Ký quyết định", "1", agency=agency_b, unit="Văn phòng UBND tỉnh"),
        _step_row("Thẩm định hồ sơ giải thể", "8", process="Giải thể hội"),
        _step_row("Ký quyết định giải thể", "2", process="Giải thể hội"),
    ]
    latest.save_revision().publish(skip_permission_checks=True)
    return ProcedurePage.objects.get(pk=page.pk)


@pytest.fixture
def same_day(agency_a):
    """A limit in words («Trong ngày») with step times in hours."""
    page = make_procedure(agency_a, [], title="Chứng thực chữ ký", code="2.000884")
    latest = page.get_latest_revision_as_object()
    latest.process_time_limit = Decimal(8)
    latest.process_limit_unit = "hours"
    latest.process_limit_text = "Trong ngày"
    latest.process_steps = [
        _step_row("Tiếp nhận", hours="0.5"),
        _step_row("Chứng thực", hours="2"),
        _step_row("Ký", hours="1"),
    ]
    latest.save_revision().publish(skip_permission_checks=True)
    return ProcedurePage.objects.get(pk=page.pk)


def test_one_process_per_case_each_with_its_limit(client, association, agency_b):
    html = client.get(association.url).content.decode()
    assert "Quy trình: Giải thể hội" in html and "(trường hợp Giải thể)" in html
    assert "<strong>5 ngày làm việc</strong>" in html  # the founding process's total = limit
    assert "<strong>10 ngày làm việc</strong>" in html
    assert f"Văn phòng UBND tỉnh ({agency_b.title})" in html

    data = client.get(f"/api/v1/procedures/{association.pk}/").json()
    main, dissolution = data["processes"]
    assert main["time_limit"] == 5 and main["total"] == 5
    assert [s["task"] for s in main["steps"]] == ["Thẩm định hồ sơ thành lập", "Ký quyết định"]
    assert main["steps"][1]["agency"] == agency_b.title
    assert dissolution["name"] == "Giải thể hội" and dissolution["case"] == "Giải thể"
    assert dissolution["time_limit"] == 10 and dissolution["within_limit"] is True
    assert data["process"]["total_working_days"] == 5


def test_limit_in_words_with_steps_in_hours(client, same_day):
    html = client.get(same_day.url).content.decode()
    assert "<strong>3,5 giờ làm việc</strong>" in html
    assert "Trong ngày (8 giờ làm việc)" in html
    assert "0,5 giờ làm việc" in html
    data = client.get(f"/api/v1/procedures/{same_day.pk}/").json()
    process = data["processes"][0]
    assert process["time_limit_unit"] == "hours" and process["time_limit_text"] == "Trong ngày"
    assert process["total"] == 3.5 and process["total_working_days"] is None
    assert [s["hours"] for s in process["steps"]] == [0.5, 2, 1]


def test_the_other_agency_sees_the_process_read_only(client, association, agency_b, staff_b):
    client.force_login(staff_b[AgencyRole.EDITORS])
    response = client.get(reverse("iso_shared_processes", args=[agency_b.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "1.013814" in html and "Ký quyết định" in html and "(cơ quan của bạn)" in html
    assert "Giải thể hội" not in html  # only the processes it takes part in
    # Read-only: it cannot open the procedure in the editor.
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[association.pk]))
    assert edit.status_code in (302, 403)


def test_a_process_over_its_own_limit_is_refused(client, staff_a, agency_a):
    from content_types.indexes import ProcedureIndexPage
    from content_types.procedure_fields import ProcedureField

    client.force_login(staff_a[AgencyRole.EDITORS])
    index = agency_a.get_children().type(ProcedureIndexPage).first().specific
    field = ProcedureField.objects.create(name="Hội")
    steps = [
        _step("Thẩm định", "4"),
        _step("Thẩm định giải thể", "9", process_name="Giải thể hội"),
        _step("Ký giải thể", "2", process_name="Giải thể hội"),
    ]
    processes = inline_formset(
        [
            {
                "name": "Giải thể hội",
                "case_name": "",
                "time_limit": "10",
                "time_limit_unit": "days",
                "time_limit_text": "",
            }
        ]
    )
    response = _add(client, index, _data(field, limit="5", steps=steps, processes=processes))
    html = _errors(response)
    assert "của quy trình «Giải thể hội» (11 ngày làm việc) vượt" in html.replace(
        "&laquo;", "«"
    ).replace("&raquo;", "»")
    assert not ProcedurePage.objects.exists()

    steps[1] = _step("Thẩm định giải thể", "9", process_name="Giải thể")  # no such process
    response = _add(client, index, _data(field, limit="5", steps=steps, processes=processes))
    assert "chưa có quy trình tên đó" in _errors(response)
