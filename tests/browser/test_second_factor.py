"""A newcomer approver in Chromium: signs in with the password, enrols an authenticator from the
QR code page (drawn locally, no outside request), keeps the recovery codes and reaches the
admin; the admin and the public site run under the production Content-Security-Policy without
a single violation."""

import base64
import re

import pytest
from django_otp.oath import totp

from tests.factories import PASSWORD, make_agency, make_home, make_staff, restore_baseline

pytestmark = pytest.mark.django_db(transaction=True)

# Every Content-Security-Policy violation the page meets, collected before its own scripts run.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
    window.__violations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""


@pytest.fixture
def site(live_server, settings):
    settings.ISO_SECURITY_HEADERS = True
    restore_baseline()
    home = make_home()
    agency = make_agency(home, "STP", title="Sở Tư pháp tỉnh Thử", short_name="Sở Tư pháp")
    return {"base": live_server.url, "agency": agency, "staff": make_staff(agency, "stp")}


def _watch(context, base):
    context.add_init_script(RECORD_VIOLATIONS)
    outside = []
    context.on(
        "request",
        lambda request: (
            None if request.url.startswith((base, "data:")) else outside.append(request.url)
        ),
    )
    return outside


def _code_from_secret(secret_text: str) -> str:
    secret = secret_text.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def test_a_newcomer_approver_enrols_and_reaches_the_admin(context, site):
    outside = _watch(context, site["base"])
    page = context.new_page()
    page.goto(site["base"] + "/admin/login/")
    page.fill("input[name='username']", "stp.approvers")
    page.fill("input[name='password']", PASSWORD)
    page.locator("form.login-form button[type='submit']").click()
    page.wait_for_load_state()

    assert "/tai-khoan/xac-thuc-hai-buoc/dang-ky/" in page.url
    assert page.locator("main h1").inner_text() == "Bật xác thực hai bước"
    assert page.get_by_role("img", name="Mã QR để quét bằng ứng dụng").is_visible()
    secret = page.locator("#totp-secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})+", secret)

    page.get_by_label("Mã xác thực").fill(_code_from_secret(secret))
    page.get_by_role("button", name="Xác nhận và bật").click()
    assert page.locator("main h1").inner_text() == "Mã khôi phục"
    assert page.locator(".iso-recovery-codes li").count() == 10
    page.get_by_role("link", name="Tôi đã lưu các mã, tiếp tục").click()
    page.wait_for_load_state()
    assert page.url == site["base"] + "/admin/"

    # The editor of a page: inline panels, date widgets, the preview; all under the admin policy.
    page.goto(f"{site['base']}/admin/pages/{site['agency'].pk}/edit/")
    page.wait_for_load_state("networkidle")
    assert page.locator("form#page-edit-form").count() == 1
    assert page.evaluate("window.__violations") == []
    assert outside == []


def test_the_public_site_runs_under_its_strict_policy(context, site):
    outside = _watch(context, site["base"])
    page = context.new_page()
    response = page.goto(site["base"] + site["agency"].url)
    # The directives' order is the library's (it varies): read them by name.
    header = response.headers["content-security-policy"]
    directives = {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}
    assert directives["script-src"] == "script-src 'self'"
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__violations") == []
    assert outside == []
