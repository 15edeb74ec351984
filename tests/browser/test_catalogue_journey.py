"""The issue's «Done when», in a real browser: an agency takes the province's decision file
(«Tải tệp mẫu»), sees what changes, its reviewer and approver approve in the editor, and it then
sees every procedure whose internal process is due and by when; the abolished one has left the
public site and the API."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.test import Client
from django.utils import timezone

import pytest

from content_types.agency import AgencyRole
from content_types.catalogue import add_months
from content_types.procedures import ProcedurePage
from tests.catalogue.builders import demo_agencies
from tests.factories import make_home, make_staff, restore_baseline

pytestmark = pytest.mark.django_db(transaction=True)
LOCAL = {"localhost", "127.0.0.1", "::1", "[::1]"}


@pytest.fixture
def world(live_server):
    restore_baseline()
    home = make_home()
    agencies = demo_agencies(home)
    staff = make_staff(agencies["STP"], "stp")
    sessions = {}
    for role in (AgencyRole.EDITORS, AgencyRole.REVIEWERS, AgencyRole.APPROVERS):
        client = Client()
        client.force_login(staff[role])
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"base": live_server.url, "agency": agencies["STP"], "sessions": sessions}


def _page_as(browser, world, role):
    context = browser.new_context(accept_downloads=True, locale="vi-VN")
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if urlsplit(route.request.url).hostname in LOCAL else route.abort()
        ),
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": world["sessions"][role],
                "domain": urlsplit(world["base"]).hostname,
                "path": "/",
            }
        ]
    )
    return context, context.new_page()


def _approve_in_editor(page, base: str, page_id: int) -> None:
    """«Phê duyệt» in the editor's footer menu (the item without a comment)."""
    page.goto(f"{base}/admin/pages/{page_id}/edit/")
    try:
        page.locator("footer .w-dropdown__toggle").last.click()
        with page.expect_navigation():
            page.get_by_role("button", name="Phê duyệt", exact=True).click()
    except Exception:
        page.screenshot(path="/tmp/catalogue-approve.png", full_page=True)
        raise


def test_agency_imports_the_decision_approves_and_sees_what_is_due(browser, world, tmp_path):
    base, agency = world["base"], world["agency"]
    withdrawn = ProcedurePage.objects.get(national_code="1.003179")
    withdrawn_url = base + withdrawn.url

    # The editor downloads the sample decision from the import screen and uploads it.
    context, page = _page_as(browser, world, AgencyRole.EDITORS)
    page.goto(f"{base}/admin/danh-muc-tthc/")  # one agency: straight to its screen
    assert "Nhập danh mục thủ tục hành chính: Sở Tư pháp tỉnh Quảng Ninh" in page.title()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải tệp mẫu (XLSX)").click()
    sample = tmp_path / download.value.suggested_filename
    download.value.save_as(sample)
    page.get_by_label("Số quyết định công bố").fill("2150/QĐ-UBND")
    page.get_by_label("Ngày có hiệu lực").fill(timezone.localdate().isoformat())
    page.get_by_label("Tệp danh mục (XLSX, CSV hoặc JSON)").set_input_files(str(sample))
    page.get_by_role("button", name="Xem trước thay đổi").click()
    page.wait_for_load_state()

    # What changes, row by row, and what is left to the other agencies.
    assert page.locator(".catalogue-others").inner_text().startswith("3 dòng của tệp")
    rows = page.locator("table.catalogue-preview tbody tr")
    actions = {
        rows.nth(i).get_attribute("data-code"): rows.nth(i).get_attribute("data-action")
        for i in range(rows.count())
    }
    assert actions == {"1.008898": "create", "2.000488": "update", "1.003179": "abolish"}
    assert "Thời hạn giải quyết" in page.locator('tr[data-code="2.000488"]').inner_text() or (
        page.locator('tr[data-code="2.000488"] del').count() >= 1
    )
    page.get_by_role("button", name="Nhập thành bản nháp và trình duyệt").click()
    page.wait_for_load_state()
    assert "chưa có gì được xuất bản hay bãi bỏ" in page.content().lower()
    context.close()

    # Nothing public yet; the reviewer, then leadership, approve each in the editor.
    waiting = [
        ProcedurePage.objects.get(national_code=code).pk
        for code in ("1.008898", "2.000488", "1.003179")
    ]
    assert ProcedurePage.objects.get(pk=withdrawn.pk).live
    for role in (AgencyRole.REVIEWERS, AgencyRole.APPROVERS):
        context, page = _page_as(browser, world, role)
        for page_id in waiting:
            _approve_in_editor(page, base, page_id)
            errors = page.locator(".messages .error, .help-critical, .error-message")
            if errors.count():
                page.screenshot(path=f"/tmp/cat-approve-{role}-{page_id}.png", full_page=True)
            assert errors.count() == 0, errors.all_inner_texts()
        context.close()
    assert ProcedurePage.objects.get(national_code="1.008898").live
    assert not ProcedurePage.objects.get(pk=withdrawn.pk).live

    # The editor's list: every procedure whose internal process is due, and by when.
    due = f"{add_months(timezone.localdate(), 3):%d/%m/%Y}"
    context, page = _page_as(browser, world, AgencyRole.EDITORS)
    page.goto(f"{base}/admin/viec-cap-nhat-tthc/{agency.pk}/")
    table = page.locator("table").first.inner_text()
    assert "1.008898" in table and "2.000488" in table and due in table
    assert "Cập nhật quy trình nội bộ" in table and "1.003179" not in table
    page.goto(f"{base}/admin/viec-cap-nhat-tthc/{agency.pk}/?tinh_trang=all")
    assert "Đã bãi bỏ" in page.locator("table").first.inner_text()
    context.close()

    # The public site and the API: the new one is there, the abolished one is gone.
    public = browser.new_context(locale="vi-VN")
    visitor = public.new_page()
    assert visitor.goto(withdrawn_url).status == 404
    created = ProcedurePage.objects.get(national_code="1.008898")
    assert visitor.goto(base + created.url).status == 200
    assert "Thành lập Văn phòng công chứng" in visitor.content()
    api = visitor.goto(f"{base}/api/v1/procedures/?agency=STP").json()
    codes = {p["national_code"] for p in api["results"]}
    assert "1.008898" in codes and "1.003179" not in codes
    public.close()
