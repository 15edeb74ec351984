"""The second factor (TOTP with recovery codes): required for approvers and administrators,
optional for the others, entered before any admin page."""

import re
import time

from django.contrib.auth import get_user_model
from django.urls import reverse

import pytest
import time_machine
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.second_factor import user_requires_second_factor
from tests.factories import make_user
from workflows.provisioning import PROVINCE_ADMINS, province_groups

from .conftest import password_login, totp_now

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "/admin/",
    "/admin/pages/",
    "/admin/documents/",
    "/admin/nguoi-dung-co-quan/",
    "/admin/account/",
    "/django-admin/",
]


def _enrol(client, user) -> list[str]:
    """Enrol `user`'s authenticator through the screens; the recovery codes shown."""
    client.get(reverse("accounts_enrol"))
    response = client.post(reverse("accounts_enrol"), {"code": totp_now(user)}, follow=True)
    assert response.status_code == 200
    return re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", response.content.decode())


@pytest.mark.parametrize(
    ("role", "required"),
    [("editors", False), ("reviewers", False), ("approvers", True), ("administrators", True)],
)
def test_who_must_have_a_second_factor(staff_a, role, required):
    assert user_requires_second_factor(user=staff_a[role]) is required


def test_superusers_and_province_administrators_must_too(home):
    province_groups()
    superuser = make_user("sieu.quantri", is_superuser=True, is_staff=True)
    province = make_user(
        "tinh.qt",
        get_user_model()._meta.apps.get_model("auth", "Group").objects.get(name=PROVINCE_ADMINS),
    )
    assert user_requires_second_factor(user=superuser)
    assert user_requires_second_factor(user=province)


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_an_approver_reaches_no_admin_page_before_enrolling(client, approver, url):
    assert password_login(client, approver.username).status_code == 302
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts_enrol"))


def test_enrolment_shows_a_local_qr_code_and_the_secret_then_needs_a_right_code(client, approver):
    password_login(client, approver.username)
    page = client.get(reverse("accounts_enrol")).content.decode()
    assert "<svg" in page and "Bật xác thực hai bước" in page
    assert "http://" not in page.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org/2000/svg", ""
    )  # the QR code is drawn here, nothing fetched from elsewhere
    device = TOTPDevice.objects.get(user=approver)
    secret = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', page).group(1)
    assert secret.replace(" ", "") in device.config_url

    wrong = client.post(reverse("accounts_enrol"), {"code": "000000"})
    assert wrong.status_code == 400
    assert "Mã không đúng" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/admin/").status_code == 302  # still outside

    with time_machine.travel(time.time() + 5, tick=False):  # past the wait after a wrong code
        codes = _enrol(client, approver)
    assert len(codes) == 10
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("accounts_recovery_codes")).status_code == 302  # shown only once


def test_an_enrolled_approver_enters_the_code_at_each_sign_in(client, approver):
    password_login(client, approver.username)
    _enrol(client, approver)
    client.post(reverse("wagtailadmin_logout"))

    password_login(client, approver.username)
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts_second_factor"))
    # A stolen password does not let anyone put their own authenticator in place.
    assert client.get(reverse("accounts_enrol"))["Location"].startswith(
        reverse("accounts_second_factor")
    )
    wrong = client.post(reverse("accounts_second_factor"), {"code": "12345a", "next": "/admin/"})
    assert wrong.status_code == 400 and "Mã không đúng" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302

    with time_machine.travel(time.time() + 60, tick=False):  # the next code; past the wait
        right = client.post(
            reverse("accounts_second_factor"), {"code": totp_now(approver), "next": "/admin/pages/"}
        )
        assert right.status_code == 302 and right["Location"] == "/admin/pages/"
        assert client.get("/admin/").status_code == 200


def test_a_recovery_code_works_once(client, approver):
    password_login(client, approver.username)
    codes = _enrol(client, approver)
    client.post(reverse("wagtailadmin_logout"))

    password_login(client, approver.username)
    used = client.post(reverse("accounts_second_factor"), {"code": codes[0].upper()})
    assert used.status_code == 302
    assert client.get("/admin/").status_code == 200
    client.post(reverse("wagtailadmin_logout"))

    password_login(client, approver.username)
    again = client.post(reverse("accounts_second_factor"), {"code": codes[0]})
    assert again.status_code == 400
    assert client.get("/admin/").status_code == 302
    with time_machine.travel(time.time() + 5, tick=False):  # past the wait after a wrong code
        other = client.post(reverse("accounts_second_factor"), {"code": codes[1]})
    assert other.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_an_editor_may_go_without_but_once_enrolled_is_asked(client, staff_a):
    editor = staff_a["editors"]
    password_login(client, editor.username)
    assert client.get("/admin/").status_code == 200
    _enrol(client, editor)
    client.post(reverse("wagtailadmin_logout"))
    password_login(client, editor.username)
    assert client.get("/admin/")["Location"].startswith(reverse("accounts_second_factor"))


def test_an_unverified_approver_sees_the_public_site_as_a_visitor(client, approver, agency_a):
    password_login(client, approver.username)
    private = agency_a.get_children().live().filter(title__icontains="chất lượng").first()
    response = client.get(private.url)
    assert response.status_code in (302, 403, 404)
    assert approver.username not in response.content.decode()


@pytest.mark.real_second_factor
def test_force_login_alone_does_not_pass_when_the_test_asks_for_the_real_thing(client, approver):
    client.force_login(approver)
    assert client.get("/admin/").status_code == 302


def test_force_login_passes_in_tests_about_something_else(client, approver):
    client.force_login(approver)
    assert client.get("/admin/").status_code == 200
