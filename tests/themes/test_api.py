"""The read-only JSON API: current versions only, clear errors, nothing private."""

import pytest

from tests.themes.builders import make_procedure, publish_form, publish_new_version


@pytest.fixture
def procedure(agency_a, staff_a):
    form = publish_form(agency_a, staff_a, "BM.07", "Tờ khai cũ", b"CU")
    form = publish_new_version(form, staff_a, b"MOI", title="Tờ khai mới")
    return make_procedure(agency_a, [form]), form


def test_agencies_list_and_detail(client, agency_a, agency_b, procedure):
    data = client.get("/api/v1/agencies/").json()
    assert data["count"] == 2
    assert {a["code"] for a in data["results"]} == {"CQA", "CQB"}
    detail = client.get("/api/v1/agencies/cqa/").json()
    assert detail["title"] == agency_a.title
    assert [p["national_code"] for p in detail["procedures"]] == ["1.001193"]
    assert detail["forms"][0]["version"]["issue_number"] == 2


def test_procedure_detail_offers_forms_in_their_version_in_force(client, procedure):
    page, form = procedure
    data = client.get(f"/api/v1/procedures/{page.pk}/").json()
    assert data["agency"] == "CQA"
    assert data["channels"][1]["time_limit"] == 0.5
    component = data["cases"][0]["dossier"][0]
    assert component["form"]["title"] == "Tờ khai mới"
    assert component["form"]["file"]["url"].endswith(form.file.url)
    assert data["process"]["total_working_days"] == 1.0
    assert data["process"]["within_limit"] is True


def test_form_detail_and_filters(client, agency_a, agency_b, procedure):
    _page, form = procedure
    data = client.get(f"/api/v1/forms/{form.pk}/").json()
    assert data["title"] == "Tờ khai mới" and data["version"]["issue_number"] == 2
    assert data["file"]["size"] == 3 and data["file"]["type"] == "PDF"
    assert client.get("/api/v1/forms/?agency=CQB").json()["count"] == 0
    assert client.get("/api/v1/procedures/?field=hộ tịch").json()["count"] == 1


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/api/v1/agencies/KHONGCO/", 404, "Không có cơ quan nào mã «KHONGCO»."),
        ("/api/v1/procedures/?page=abc", 400, "Tham số page phải là số nguyên dương"),
        ("/api/v1/procedures/?page_size=1000", 400, "từ 1 đến 100"),
        ("/api/v1/forms/?page=9", 404, "Không có trang 9"),
        ("/api/v1/forms/?agency=KHONGCO", 404, "Không có cơ quan nào"),
        ("/api/v1/procedures/999999/", 404, "Không có thủ tục hành chính công khai"),
    ],
)
def test_bad_requests_get_a_clear_message(client, procedure, url, status, message):
    response = client.get(url)
    assert response.status_code == status
    assert message in response.json()["error"]


def test_the_api_is_read_only(client, procedure):
    response = client.post("/api/v1/forms/", {"title": "x"})
    assert response.status_code == 405
    assert response.json()["error"] == "API chỉ cho phép đọc (GET)."
    assert response["Allow"] == "GET, HEAD"
