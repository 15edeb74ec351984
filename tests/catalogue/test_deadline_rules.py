"""«Thời hạn cập nhật quy trình»: the province's rules screen (default, per level, per agency)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import Group
from django.urls import reverse

import pytest

from content_types.agency import AgencyLevel, AgencyPage, AgencyRole
from content_types.catalogue import (
    ProcedureUpdateTask,
    UpdateDeadlineRule,
    update_deadline_for,
)
from tests.catalogue.builders import rows_for, upload, xlsx_bytes
from tests.factories import make_user
from workflows.provisioning import PROVINCE_ADMINS

pytestmark = pytest.mark.django_db

URL = "wagtailsnippets_content_types_updatedeadlinerule"


@pytest.fixture
def province():
    return make_user(
        "tinh.quantri", Group.objects.get(name=PROVINCE_ADMINS), first_name="Trần", last_name="Tỉnh"
    )


def _rule(**fields) -> dict:
    data = {"effective_from": "2026-06-01", "level": "", "agency": "", "months": 3, "days": 0}
    data.update(fields)
    data.setdefault("legal_basis", "Quyết định số 12/2026/QĐ-UBND")
    return data


def test_province_administrator_sets_rules_with_history(client, agency_a, agency_b, province):
    AgencyPage.objects.filter(pk=agency_b.pk).update(level=AgencyLevel.COMMUNE)
    agency_b.level = AgencyLevel.COMMUNE
    client.force_login(province)
    listing = client.get(reverse(f"{URL}:list"))
    assert listing.status_code == 200
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert f'"{reverse(f"{URL}:list")}"' in menu  # the menu item (the menu is JSON)

    add = reverse(f"{URL}:add")
    assert client.post(add, _rule(effective_from="2026-01-01", months=4)).status_code == 302
    assert client.post(add, _rule(level=AgencyLevel.COMMUNE, months=2)).status_code == 302
    override = _rule(agency=agency_a.pk, months=1, days=15)
    assert client.post(add, override).status_code == 302
    assert UpdateDeadlineRule.objects.count() == 3

    html = client.get(reverse(f"{URL}:list")).content.decode()
    assert "toàn tỉnh" in html and "riêng Sở Tư pháp thử" in html
    # The agency's own rule, then its level's, then the province's.
    assert update_deadline_for(date(2026, 7, 1), agency_a) == date(2026, 8, 16)
    assert update_deadline_for(date(2026, 7, 1), agency_b) == date(2026, 9, 1)
    assert update_deadline_for(date(2026, 3, 1), agency_b) == date(2026, 7, 1)
    assert update_deadline_for(date(2025, 3, 1), agency_b) == date(2025, 6, 1)  # the default

    # A change is in the rule's history, with who made it.
    rule = UpdateDeadlineRule.objects.get(agency=agency_a)
    edit = _rule(agency=agency_a.pk, months=2, days=0)
    assert client.post(reverse(f"{URL}:edit", args=[rule.pk]), edit).status_code == 302
    history = client.get(reverse(f"{URL}:history", args=[rule.pk])).content.decode()
    assert "Trần Tỉnh" in history or "tinh.quantri" in history
    assert update_deadline_for(date(2026, 7, 1), agency_a) == date(2026, 9, 1)

    # The import gives each agency its own deadline.
    client.force_login(province)
    rows = rows_for(agency_b.title)
    location = upload(client, agency_b, "qd.xlsx", xlsx_bytes(rows))["Location"]
    client.post(location)
    assert {t.due_date for t in ProcedureUpdateTask.objects.filter(agency=agency_b)} == {
        date(2027, 2, 1)  # 2 months after 1/12/2026: the commune level's rule
    }


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"months": 0, "days": 0}, "Thời hạn phải dài hơn 0 ngày"),
        ({"level": AgencyLevel.COMMUNE, "agency": "AGENCY"}, "Chọn một cấp hoặc một cơ quan"),
        ({"months": 30}, "nhỏ hơn hoặc bằng với 24"),
        ({"effective_from": "31/02/2026"}, "ngày"),
        ({"effective_from": "2026-06-01"}, "Đã có quy định cho phạm vi này áp dụng từ cùng ngày"),
    ],
    ids=["zero", "level and agency", "too long", "bad date", "same scope and day"],
)
def test_bad_rules_refused_in_vietnamese_nothing_stored(
    client, agency_a, province, fields, message
):
    UpdateDeadlineRule.objects.create(effective_from=date(2026, 6, 1), months=3)
    client.force_login(province)
    fields = {k: (agency_a.pk if v == "AGENCY" else v) for k, v in fields.items()}
    response = client.post(reverse(f"{URL}:add"), _rule(**fields))
    assert response.status_code == 200
    assert message.lower() in response.content.decode().lower()
    assert UpdateDeadlineRule.objects.count() == 1


def test_agency_staff_cannot_reach_the_rules(client, agency_a, staff_a):
    rule = UpdateDeadlineRule.objects.create(effective_from=date(2026, 6, 1), months=3)
    for role in (AgencyRole.ADMINISTRATORS, AgencyRole.EDITORS, AgencyRole.APPROVERS):
        client.force_login(staff_a[role])
        assert f'"{reverse(f"{URL}:list")}"' not in client.get("/admin/").content.decode()
        for url in (
            reverse(f"{URL}:list"),
            reverse(f"{URL}:add"),
            reverse(f"{URL}:edit", args=[rule.pk]),
            reverse(f"{URL}:history", args=[rule.pk]),
            reverse(f"{URL}:delete", args=[rule.pk]),
        ):
            response = client.get(url)
            assert response.status_code in (302, 403), url
        client.post(reverse(f"{URL}:add"), _rule(effective_from="2027-01-01"))
        client.post(reverse(f"{URL}:edit", args=[rule.pk]), _rule(months=9))
        client.post(reverse(f"{URL}:delete", args=[rule.pk]))
    rule.refresh_from_db()
    assert UpdateDeadlineRule.objects.count() == 1 and rule.months == 3
