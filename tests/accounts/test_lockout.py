"""Brute force: failures counted per username and per address on every sign-in form and the
password reset; locked until the time runs out or an administrator unlocks."""

import time

from django.core import mail
from django.test import override_settings
from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest
import time_machine

from accounts.models import LockoutRecord
from tests.factories import PASSWORD

from .conftest import password_login

pytestmark = pytest.mark.django_db
LIMIT = 5  # AXES_FAILURE_LIMIT's default (LOGIN_FAILURE_LIMIT)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _attack(client, username: str, attempts: int, address: str = "203.0.113.7") -> list[int]:
    return [
        password_login(client, username, f"doan-mo-{n}", REMOTE_ADDR=address).status_code
        for n in range(attempts)
    ]


def test_a_scripted_30_password_attack_is_locked_out(client, staff_a):
    editor = staff_a["editors"]
    statuses = _attack(client, editor.username, 30)
    assert statuses[: LIMIT - 1] == [200] * (LIMIT - 1)  # the form again, with its error
    assert set(statuses[LIMIT - 1 :]) == {429}
    page = password_login(client, editor.username, REMOTE_ADDR="203.0.113.7")
    assert page.status_code == 429 and not _signed_in(client)  # the right password, refused
    assert "Tạm khóa đăng nhập" in page.content.decode()
    # Per username: from another address too. Per address: another username from there too.
    assert password_login(client, editor.username, REMOTE_ADDR="198.51.100.1").status_code == 429
    reviewer = staff_a["reviewers"]
    assert password_login(client, reviewer.username, REMOTE_ADDR="203.0.113.7").status_code == 429
    assert not _signed_in(client)
    assert password_login(client, reviewer.username, REMOTE_ADDR="198.51.100.1").status_code == 302

    first = LockoutRecord.objects.order_by("locked_at", "pk").first()
    assert first.username == editor.username and first.ip_address == "203.0.113.7"
    assert first.attempts_while_locked >= 30 - LIMIT  # the rest of the attack, on one record
    assert {(r.username, r.ip_address) for r in LockoutRecord.objects.all()} == {
        (editor.username, "203.0.113.7"),
        (editor.username, "198.51.100.1"),
        (reviewer.username, "203.0.113.7"),
    }


def test_the_username_is_counted_whatever_its_case(client, staff_a):
    editor = staff_a["editors"]
    for n in range(LIMIT):
        password_login(client, editor.username.upper(), f"sai-{n}", REMOTE_ADDR=f"192.0.2.{n}")
    assert password_login(client, editor.username, REMOTE_ADDR="192.0.2.99").status_code == 429


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_limit_is_configurable(client, staff_a):
    assert _attack(client, staff_a["editors"].username, 3)[-1] == 429


def test_the_lock_ends_by_itself(client, staff_a):
    editor = staff_a["editors"]
    _attack(client, editor.username, LIMIT)
    with time_machine.travel(time.time() + 10 * 60, tick=False):
        assert password_login(client, editor.username).status_code == 429
    with time_machine.travel(time.time() + 16 * 60, tick=False):
        assert password_login(client, editor.username, REMOTE_ADDR="203.0.113.7").status_code == 302
        assert _signed_in(client)


def test_the_agency_administrator_unlocks(client, staff_a, staff_b, agency_a):
    editor = staff_a["editors"]
    _attack(client, editor.username, LIMIT)
    users_page = reverse("iso_agency_users", args=[agency_a.pk])
    unlock = reverse("iso_agency_user_unlock", args=[agency_a.pk, editor.pk])

    # Another agency's administrator may not.
    client.force_login(staff_b["administrators"])
    assert client.post(unlock).status_code in (302, 403)
    assert password_login(client, editor.username, REMOTE_ADDR="203.0.113.7").status_code == 429

    client.force_login(staff_a["administrators"])
    listing = client.get(users_page).content.decode()
    assert "Tạm khóa đăng nhập" in listing and unlock in listing
    assert client.get(unlock).status_code == 405  # a change needs a POST
    response = client.post(unlock)
    assert response.status_code == 302 and response["Location"] == users_page
    assert "Tạm khóa đăng nhập" not in client.get(users_page).content.decode()
    client.logout()

    assert password_login(client, editor.username, REMOTE_ADDR="203.0.113.7").status_code == 302
    record = LockoutRecord.objects.get()
    assert record.unlocked_by == staff_a["administrators"] and record.unlocked_at
    entry = ModelLogEntry.objects.get(action="iso.unlock")
    assert entry.user == staff_a["administrators"] and entry.object_id == str(editor.pk)


def test_the_django_admin_login_is_counted_too(client, home):
    from tests.factories import make_user

    root = make_user("quan.tri.goc", is_superuser=True, is_staff=True)
    url = reverse("admin:login")
    for n in range(LIMIT):
        client.post(url, {"username": root.username, "password": f"sai-{n}"})
    response = client.post(url, {"username": root.username, "password": PASSWORD})
    assert response.status_code == 429 and not _signed_in(client)


def test_password_reset_requests_are_counted(client, staff_a):
    editor = staff_a["editors"]
    url = reverse("wagtailadmin_password_reset")
    statuses = [client.post(url, {"email": editor.email}).status_code for _ in range(LIMIT + 2)]
    assert statuses[: LIMIT - 1] == [302] * (LIMIT - 1)
    assert set(statuses[LIMIT - 1 :]) == {429}
    assert len(mail.outbox) == LIMIT - 1  # no more reset e-mails once locked
    assert LockoutRecord.objects.filter(username__startswith="reset:").exists()


def test_a_successful_sign_in_resets_the_count(client, staff_a):
    editor = staff_a["editors"]
    _attack(client, editor.username, LIMIT - 1)
    assert password_login(client, editor.username, REMOTE_ADDR="203.0.113.7").status_code == 302
    client.logout()
    _attack(client, editor.username, LIMIT - 1)
    assert password_login(client, editor.username, REMOTE_ADDR="203.0.113.7").status_code == 302
