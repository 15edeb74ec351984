"""Objectives and maintenance plans made and approved through the admin's own views."""

from __future__ import annotations

from wagtail.test.utils.form_data import inline_formset, nested_form_data

from content_types.quality.maintenance import MaintenancePlanPage
from content_types.quality.objectives import QualityObjectivesPage
from tests.factories import quality_system
from tests.quality.conftest import EDITORS, add_page, approve_through_admin


def objective_row(unit=None, **overrides) -> dict:
    row = {
        "statement": "Giải quyết hồ sơ TTHC đúng hạn",
        "indicator": "Tỷ lệ hồ sơ giải quyết đúng hạn",
        "direction": "gte",
        "target_value": "98",
        "target_unit": "%",
        "frequency": "quarter",
        "data_source": "manual",
        "procedure_code": "",
        "unit": unit.pk if unit else "",
        "plan": "Theo dõi hạn hằng ngày.",
    }
    row.update(overrides)
    return row


def objectives_form_data(rows: list[dict], *, year: int = 2026, **overrides) -> dict:
    data = {
        "title": f"Mục tiêu chất lượng năm {year}",
        "slug": f"muc-tieu-{year}",
        "year": year,
        "introduction": "Căn cứ chính sách chất lượng.",
        "objectives": inline_formset(rows),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def plan_row(**overrides) -> dict:
    row = {
        "activity": "Đánh giá nội bộ",
        "kind": "internal_audit",
        "clause": "9.2",
        "unit": "",
        "due_month": 11,
        "record": "",
    }
    row.update(overrides)
    return row


def plan_form_data(rows: list[dict], *, year: int = 2026, **overrides) -> dict:
    data = {
        "title": f"Kế hoạch duy trì HTQLCL năm {year}",
        "slug": f"ke-hoach-duy-tri-{year}",
        "year": year,
        "introduction": "",
        "items": inline_formset(rows),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def objectives_through_admin(client, agency, staff, rows, *, approve=True, year=2026):
    client.force_login(staff[EDITORS])
    response = add_page(
        client, QualityObjectivesPage, quality_system(agency), objectives_form_data(rows, year=year)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = QualityObjectivesPage.objects.descendant_of(agency).get(year=year)
    if approve:
        approve_through_admin(client, page, staff)
    return QualityObjectivesPage.objects.get(pk=page.pk)


def plan_through_admin(client, agency, staff, rows, *, approve=True, year=2026):
    client.force_login(staff[EDITORS])
    response = add_page(
        client, MaintenancePlanPage, quality_system(agency), plan_form_data(rows, year=year)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = MaintenancePlanPage.objects.descendant_of(agency).get(year=year)
    if approve:
        approve_through_admin(client, page, staff)
    return MaintenancePlanPage.objects.get(pk=page.pk)
