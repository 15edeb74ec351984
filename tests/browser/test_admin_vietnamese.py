"""The admin in a real browser: its scripts speak Vietnamese, and a title typed with "đ" gives
the ASCII slug citizens can type."""

import pytest

from content_types.agency import AgencyRole
from tests.factories import (
    PASSWORD,
    make_agency,
    make_home,
    make_staff,
    quality_system,
    restore_baseline,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def signed_in(live_server, context):
    restore_baseline()
    home = make_home()
    agency = make_agency(home, "STP", title="Sở Tư pháp tỉnh Thử", short_name="Sở Tư pháp")
    editor = make_staff(agency, "stp")[AgencyRole.EDITORS]
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(live_server.url + "/admin/")
    return {"page": page, "base": live_server.url, "agency": agency}


def test_the_admin_scripts_read_the_vietnamese_catalogue(signed_in):
    page = signed_in["page"]
    assert page.evaluate("window.django.gettext('Autosave in progress…')") == "Đang tự động lưu…"
    assert page.evaluate("window.django.gettext('Toggle sidebar')") == "Mở/đóng thanh bên"
    assert page.get_by_role("button", name="Mở/đóng thanh bên").count() >= 1


def test_a_title_with_d_stroke_gives_an_ascii_slug_in_the_browser(signed_in):
    page, section = signed_in["page"], quality_system(signed_in["agency"])
    page.goto(
        f"{signed_in['base']}/admin/pages/add/content_types/controlleddocumentpage/{section.pk}/"
    )
    page.locator("#id_title").press_sequentially("Quy trình đánh giá nội bộ")
    page.locator("#id_title").blur()
    page.wait_for_function("document.querySelector('#id_slug').value !== ''", timeout=5000)
    assert page.input_value("#id_slug") == "quy-trinh-danh-gia-noi-bo"
