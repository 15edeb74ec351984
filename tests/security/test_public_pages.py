"""Public-site answers a visitor meets when something is wrong or private (issue 11)."""

from __future__ import annotations

from wagtail.models import PageViewRestriction

import pytest

from tests.themes.builders import make_procedure, publish_form


@pytest.fixture
def procedure(agency_a, staff_a):
    form = publish_form(agency_a, staff_a, "BM.01", "Tờ khai")
    return make_procedure(agency_a, [form])


def test_cached_responses_keep_the_original_headers(client, procedure):
    for url in (procedure.url, "/api/v1/forms/"):
        first = client.get(url)
        second = client.get(url)
        assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT"), url
        for header in ("X-Frame-Options", "Vary", "Content-Type", "Access-Control-Allow-Origin"):
            if header in first:
                assert second.get(header) == first[header], (url, header)
        assert second.get("X-Frame-Options") == "DENY", url
    assert client.get("/api/v1/forms/")["Access-Control-Allow-Origin"] == "*"


def test_error_pages_are_vietnamese(client, procedure):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html and 'lang="vi"' in html
    assert "Not Found" not in html


def test_a_private_pages_login_link_works(client, agency_a):
    from content_types.indexes import QualitySystemPage

    private = agency_a.get_children().type(QualitySystemPage).first()
    assert PageViewRestriction.objects.filter(page=private).exists()
    response = client.get(private.url)
    assert response.status_code == 302
    login = response["Location"]
    assert login.startswith("/_util/login/")
    page = client.get(login)
    assert page.status_code == 200
    assert 'name="password"' in page.content.decode()


def test_server_error_page_is_vietnamese(rf):
    from themes.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Hệ thống đang gặp sự cố" in response.content.decode()


def test_a_form_without_its_token_is_refused_in_vietnamese(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Biểu mẫu đã hết hạn" in html
    assert "CSRF verification failed" not in html
