"""Real national records imported as JSON, shown on the public page and the API, and exported
back to the same JSON and XLSX."""

from __future__ import annotations

import io
import json
from datetime import date

from django.urls import reverse

import pytest

from content_types.agency import AgencyRole
from content_types.procedures import ProcedurePage
from tests.catalogue.builders import json_bytes, upload
from tests.themes.builders import publish_form
from workflows.catalogue.reading import catalogue_read
from workflows.catalogue.services import UNCHANGED, catalogue_plan, catalogue_upload

pytestmark = pytest.mark.django_db

# Shaped like dichvucong.gov.vn's records (abridged).
BIRTH = {
    "code": "1.001193",
    "name": "Thủ tục đăng ký khai sinh",
    "field": "Hộ tịch",
    "level": "Cấp xã",
    "agency": "Ủy ban nhân dân cấp xã",
    "applicants": "Công dân Việt Nam",
    "result": "Giấy khai sinh",
    "legal_basis": ["Luật Hộ tịch năm 2014", "Thông tư 04/2020/TT-BTP"],
    "channels": [
        {
            "channel": "Trực tiếp",
            "time_limit_text": "Trong ngày",
            "fee_items": [],
            "fees": "",
            "description": "Nộp tại Bộ phận Một cửa",
        }
    ],
    "cases": [
        {
            "name": "",
            "dossier": [
                {"name": "Tờ khai đăng ký khai sinh theo mẫu", "originals": 1, "forms": ["TK.KS"]},
                {"name": "Giấy chứng sinh", "originals": 1, "copies": 0},
            ],
        }
    ],
}
COPY = {
    "code": "2.000815",
    "name": "Thủ tục chứng thực bản sao từ bản chính",
    "field": "Chứng thực",
    "level": "Cấp xã",
    "agency": "Ủy ban nhân dân cấp xã",
    "channels": [
        {
            "channel": "in_person",
            "time_limit": 2,
            "time_limit_unit": "working_days",
            "fee_items": [
                {"kind": "Lệ phí", "amount": 2000, "unit": "đồng/trang"},
                {
                    "kind": "Lệ phí",
                    "amount": 1000,
                    "unit": "đồng/trang",
                    "from_quantity": 3,
                    "cap": 200000,
                    "cap_unit": "đồng/bản",
                },
            ],
        }
    ],
    "cases": [
        {
            "name": "Chứng thực bản sao",
            "dossier": [
                {
                    "name": "Tờ khai thông tin cư trú (mẫu CT01 hoặc CT02)",
                    "originals": 1,
                    "forms": ["CT01", "CT02"],
                }
            ],
        }
    ],
}


@pytest.fixture
def forms(agency_a, staff_a):
    return {
        code: publish_form(agency_a, staff_a, code, title)
        for code, title in (
            ("TK.KS", "Tờ khai đăng ký khai sinh"),
            ("CT01", "Tờ khai thay đổi thông tin cư trú"),
            ("CT02", "Tờ khai thông tin cư trú"),
        )
    }


def _import_and_approve(client, agency, staff, procedures):
    client.force_login(staff[AgencyRole.EDITORS])
    response = upload(client, agency, "ho-so.json", json_bytes(procedures))
    assert response.status_code == 302, response.content.decode()
    assert client.post(response["Location"]).status_code == 302
    for code in [p["code"] for p in procedures]:
        for role in (AgencyRole.REVIEWERS, AgencyRole.APPROVERS):
            page = ProcedurePage.objects.get(national_code=code)
            page.current_workflow_task_state.approve(user=staff[role])
    client.logout()
    return {
        code: ProcedurePage.objects.get(national_code=code) for code in ("1.001193", "2.000815")
    }


def test_real_records_on_the_public_page_and_the_api(client, agency_a, staff_a, forms):
    pages = _import_and_approve(client, agency_a, staff_a, [BIRTH, COPY])
    birth, copy = pages["1.001193"], pages["2.000815"]

    html = client.get(birth.url).content.decode()
    # Missing fee data reads «Chưa có thông tin», never «Không thu».
    assert "Chưa có thông tin" in html and "Không thu" not in html
    assert "Trong ngày" in html
    assert "<h3></h3>" not in html  # a case without a name has no empty heading
    assert "Tờ khai đăng ký khai sinh" in html

    html = client.get(copy.url).content.decode()
    assert "Lệ phí: 2.000 đồng/trang" in html
    assert "Lệ phí: từ trang thứ 3 trở đi: 1.000 đồng/trang, tối đa 200.000 đồng/bản" in html
    assert "Tờ khai thay đổi thông tin cư trú" in html and "Tờ khai thông tin cư trú" in html
    assert "hoặc" in html

    data = client.get(f"/api/v1/procedures/{birth.pk}/").json()
    assert data["channels"][0]["fee_lines"] == ["Chưa có thông tin"]
    assert data["channels"][0]["time_limit_display"] == "Trong ngày"
    assert data["cases"][0]["name"] == ""
    data = client.get(f"/api/v1/procedures/{copy.pk}/").json()
    fees = data["channels"][0]["fee_items"]
    assert fees[1]["amount"] == 1000 and fees[1]["from_quantity"] == 3 and fees[1]["cap"] == 200000
    component = data["cases"][0]["dossier"][0]
    assert component["form"]["code"] == "CT01"
    assert [f["code"] for f in component["alternative_forms"]] == ["CT02"]


def test_export_round_trip_json_and_xlsx(client, agency_a, staff_a, forms):
    _import_and_approve(client, agency_a, staff_a, [BIRTH, COPY])
    client.force_login(staff_a[AgencyRole.EDITORS])
    base = reverse("iso_catalogue", args=[agency_a.pk])
    exported = client.get(base + "?xuat=json")
    assert exported["Content-Type"].startswith("application/json")
    records = json.loads(exported.content)["procedures"]
    by_code = {r["code"]: r for r in records}
    assert by_code["2.000815"]["cases"][0]["dossier"][0]["forms"] == ["CT01", "CT02"]
    assert by_code["1.001193"]["legal_basis"] == BIRTH["legal_basis"]
    assert by_code["1.001193"]["level"] == "Cấp xã"

    for kind in ("json", "xlsx"):
        content = client.get(base + f"?xuat={kind}").content
        decision = catalogue_upload(
            agency=agency_a,
            user=staff_a[AgencyRole.EDITORS],
            number="2150/QĐ-UBND",
            effective_date=date(2026, 12, 1),
            file_name=f"xuat.{kind}",
            content=content,
        )
        plan = catalogue_plan(decision=decision)
        assert plan.reasons == []
        assert [i.action for i in plan.items] == [UNCHANGED, UNCHANGED], kind
        assert {i.code for i in plan.items} == {"1.001193", "2.000815"}

    # The XLSX export carries the published list's columns.
    xlsx = client.get(base + "?xuat=xlsx").content
    rows = catalogue_read(content=xlsx, file_format="xlsx")
    assert [(r.data["code"], r.data["level"]) for r in rows] == [
        ("1.001193", "Cấp xã"),
        ("2.000815", "Cấp xã"),
    ]
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert [c.value for c in sheet[2]][:6] == [
        "STT",
        "Mã thủ tục",
        "Tên thủ tục hành chính",
        "Lĩnh vực",
        "Cấp thực hiện",
        "Cơ quan thực hiện",
    ]
