"""Single sign-on against a real OpenID Connect provider (tests/oidc_provider/, its own server
process on 127.0.0.1), through Chromium: the matched account, the unknown person, a tampered
and an expired ID token refused, a strong `acr` standing for the second factor, and logout
ending the provider's session too."""

import json
import os
import select
import subprocess
import sys
from pathlib import Path

from django.contrib.auth import get_user_model

import pytest

from tests.factories import make_agency, make_home, make_staff, restore_baseline

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID, CLIENT_SECRET = "iso-dien-tu", "bi-mat-cua-ung-dung-thu"
SSO_PASSWORD = "Sso@mat-khau-2026"
STRONG_ACR = "urn:tinh:loa:3"
PROVIDER_PEOPLE = [
    {"username": "stp.editors", "email": "stp.editors@example.vn"},
    {"username": "stp.approvers", "email": "stp.approvers@example.vn"},
    {"username": "nguoi.la", "email": "nguoi.la@example.vn"},
    # Another name at the provider, the e-mail of an account here.
    {"username": "bientap.sso", "email": "stp.editors@example.vn"},
]


@pytest.fixture(scope="module")
def provider(live_server, tmp_path_factory):
    work = tmp_path_factory.mktemp("oidc-provider")
    env = {
        **os.environ,
        "OP_REDIRECT_URI": f"{live_server.url}/oidc/callback/",
        "OP_POST_LOGOUT_URI": f"{live_server.url}/admin/login/",
        "OP_CLIENT_ID": CLIENT_ID,
        "OP_CLIENT_SECRET": CLIENT_SECRET,
        "OP_USERS": json.dumps([{**p, "password": SSO_PASSWORD} for p in PROVIDER_PEOPLE]),
    }
    log = (work / "provider.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", str(work)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    ready, _, _ = select.select([process.stdout], [], [], 120)
    line = process.stdout.readline() if ready else ""
    if not line.startswith("PORT "):
        process.kill()
        pytest.fail(f"the test provider did not start: {(work / 'provider.log').read_text()}")
    issuer = f"http://127.0.0.1:{int(line.split()[1])}/o"
    yield {"issuer": issuer, "mode": work / "mode.json", "log": work / "provider.log"}
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture
def sso(provider, settings):
    from accounts import oidc

    oidc._discovery.clear()
    settings.ISO_OIDC = {
        "issuer": provider["issuer"],
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "claim": "preferred_username",
        "match": "username",
        "scopes": "openid email profile",
        "sign_algo": "RS256",
        "strong_acr": [STRONG_ACR],
        "label": "Đăng nhập một lần (SSO tỉnh)",
    }
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "accounts.oidc.ProvinceOIDCBackend",
    ]
    provider["mode"].write_text("{}")

    def set_mode(**mode):
        provider["mode"].write_text(json.dumps(mode))

    provider["set_mode"] = set_mode
    return provider


@pytest.fixture
def site(live_server):
    restore_baseline()
    home = make_home()
    agency = make_agency(home, "STP", title="Sở Tư pháp tỉnh Thử", short_name="Sở Tư pháp")
    return {"base": live_server.url, "staff": make_staff(agency, "stp")}


def _sso_sign_in(page, site, username: str):
    page.goto(site["base"] + "/admin/login/")
    page.get_by_role("link", name="Đăng nhập một lần (SSO tỉnh)").click()
    page.get_by_label("Tên đăng nhập SSO").fill(username)
    page.get_by_label("Mật khẩu SSO").fill(SSO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập SSO").click()
    page.wait_for_load_state()


def _signed_in_as(page, site) -> str | None:
    """Who the product thinks the browser is: the admin's account page names them."""
    response = page.goto(site["base"] + "/admin/account/")
    if "/admin/login/" in page.url or response.status != 200:
        return None
    return page.locator("input[name='name_email-email'], input[name='email']").first.input_value()


def test_a_matched_account_signs_in_and_logout_ends_both_sessions(context, sso, site):
    page = context.new_page()
    _sso_sign_in(page, site, "stp.editors")
    assert page.url.startswith(site["base"] + "/admin/")
    assert _signed_in_as(page, site) == "stp.editors@example.vn"

    page.goto(site["base"] + "/admin/")
    page.evaluate(
        """() => {
            const form = document.createElement('form');
            form.method = 'post';
            form.action = '/admin/logout/';
            const token = document.createElement('input');
            token.name = 'csrfmiddlewaretoken';
            token.value = document.cookie.match(/csrftoken=([^;]+)/)[1];
            form.appendChild(token);
            document.body.appendChild(form);
            form.submit();
        }"""
    )
    page.wait_for_url(site["base"] + "/admin/login/**")
    assert _signed_in_as(page, site) is None
    # The provider's session ended too: single sign-on asks for the password again.
    page.goto(site["base"] + "/admin/login/")
    page.get_by_role("link", name="Đăng nhập một lần (SSO tỉnh)").click()
    assert page.get_by_label("Mật khẩu SSO").is_visible()
    assert page.url.startswith(sso["issuer"].rsplit("/o", 1)[0])


def test_matching_by_e_mail(context, sso, site, settings):
    settings.ISO_OIDC = {**settings.ISO_OIDC, "match": "email", "claim": "email"}
    page = context.new_page()
    _sso_sign_in(page, site, "bientap.sso")
    assert _signed_in_as(page, site) == "stp.editors@example.vn"
    assert not get_user_model().objects.filter(username="bientap.sso").exists()


def test_an_unknown_person_is_told_to_ask_the_agency_administrator(context, sso, site):
    page = context.new_page()
    _sso_sign_in(page, site, "nguoi.la")
    assert "liên hệ quản trị cơ quan" in page.content()
    assert "nguoi.la" in page.content()
    assert _signed_in_as(page, site) is None
    assert not get_user_model().objects.filter(username__in=["nguoi.la"]).exists()


@pytest.mark.parametrize("broken", ["tamper", "expired"])
def test_a_tampered_or_expired_id_token_is_refused(context, sso, site, broken):
    sso["set_mode"](id_token=broken)
    page = context.new_page()
    _sso_sign_in(page, site, "stp.editors")
    assert "Đăng nhập một lần không thành công" in page.content()
    assert "không hợp lệ hoặc đã hết hạn" in page.content()
    assert _signed_in_as(page, site) is None


def test_an_approver_needs_the_second_factor_unless_the_provider_vouches_for_it(context, sso, site):
    page = context.new_page()
    _sso_sign_in(page, site, "stp.approvers")
    assert "/tai-khoan/xac-thuc-hai-buoc/dang-ky/" in page.url  # no admin page yet
    page.goto(site["base"] + "/admin/pages/")
    assert "/tai-khoan/xac-thuc-hai-buoc/" in page.url
    context.clear_cookies()

    sso["set_mode"](acr=STRONG_ACR)
    page = context.new_page()
    _sso_sign_in(page, site, "stp.approvers")
    assert page.url == site["base"] + "/admin/"
    assert _signed_in_as(page, site) == "stp.approvers@example.vn"
