"""Signed-in sessions end after 30 minutes idle and 12 hours in all (configurable)."""

import time

from django.test import override_settings
from django.urls import reverse

import pytest
import time_machine

from .conftest import password_login

pytestmark = pytest.mark.django_db
MINUTE = 60


@pytest.fixture
def editor_client(client, staff_a):
    traveller = time_machine.travel(time.time(), tick=False)
    clock = traveller.start()
    assert password_login(client, staff_a["editors"].username).status_code == 302
    yield client, clock
    traveller.stop()


def _ended(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("wagtailadmin_login")
    )


def test_idle_for_30_minutes_ends_the_session(editor_client):
    client, clock = editor_client
    clock.shift(29 * MINUTE)
    assert client.get("/admin/").status_code == 200
    clock.shift(29 * MINUTE)  # 58 minutes after signing in, but never 30 idle
    assert client.get("/admin/").status_code == 200
    clock.shift(31 * MINUTE)
    response = client.get("/admin/pages/")
    assert _ended(response) and "next=%2Fadmin%2Fpages%2F" in response["Location"]
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "Phiên làm việc đã hết hạn" in page
    assert _ended(client.get("/admin/"))  # and it stays ended


def test_12_hours_after_signing_in_the_session_ends_however_busy(editor_client):
    client, clock = editor_client
    for _ in range(12 * 3 - 1):  # a request every 20 minutes for 11 h 40 min
        clock.shift(20 * MINUTE)
        assert client.get("/admin/").status_code == 200
    clock.shift(21 * MINUTE)
    assert _ended(client.get("/admin/"))


@override_settings(ISO_SESSION_IDLE_SECONDS=5 * MINUTE, ISO_SESSION_MAX_SECONDS=60 * MINUTE)
def test_the_limits_are_configurable(editor_client):
    client, clock = editor_client
    clock.shift(4 * MINUTE)
    assert client.get("/admin/").status_code == 200
    clock.shift(6 * MINUTE)
    assert _ended(client.get("/admin/"))


def test_a_reset_link_is_valid_for_an_hour_at_most(settings):
    assert settings.PASSWORD_RESET_TIMEOUT <= 60 * 60


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ngan-2026", "cần ít nhất 12 ký tự"),
        ("password1234", "quá phổ biến"),
        ("a.editors-2026-xyz", "không được chứa tên đăng nhập"),
    ],
)
def test_password_rules(client, staff_a, agency_a, password, message):
    editor = staff_a["editors"]
    client.force_login(staff_a["administrators"])
    response = client.post(
        reverse("iso_agency_user_edit", args=[agency_a.pk, editor.pk]),
        {
            "full_name": "Biên tập",
            "email": editor.email,
            "roles": ["editors"],
            "is_active": "on",
            "password1": password,
            "password2": password,
        },
    )
    assert response.status_code == 200 and message in response.content.decode()
    editor.refresh_from_db()
    assert not editor.check_password(password)
