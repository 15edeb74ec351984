"""A citizen in a real browser: home → agency → procedure → the current form, on a desktop,
on a 360 px phone and with the keyboard only; accessibility (axe-core) and no outside request."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.factories import make_agency, make_home, make_staff, restore_baseline
from tests.themes.builders import make_procedure, publish_form, publish_new_version

pytestmark = pytest.mark.django_db(transaction=True)

OLD, NEW = b"%PDF-1.4 BAN CU 2020", b"%PDF-1.4 BAN DANG HIEU LUC"


@pytest.fixture
def site(live_server):
    from themes import skeleton
    from themes.cache import public_cache

    public_cache().clear()
    skeleton._memo.clear()
    restore_baseline()
    home = make_home()
    agency = make_agency(home, "STP", title="Sở Tư pháp tỉnh Thử", short_name="Sở Tư pháp")
    make_agency(
        home,
        "PHG",
        title="UBND phường Hồng Gai",
        short_name="UBND phường Hồng Gai",
        level="commune",
    )
    staff = make_staff(agency, "stp")
    form = publish_form(agency, staff, "BM.01", "Tờ khai đăng ký khai sinh (mẫu cũ)", OLD)
    old_url = form.file.url
    form = publish_new_version(form, staff, NEW, title="Tờ khai đăng ký khai sinh")
    procedure = make_procedure(agency, [form])
    yield {
        "base": live_server.url,
        "home": home,
        "agency": agency,
        "form": form,
        "procedure": procedure,
        "old_url": old_url,
    }
    public_cache().clear()
    skeleton._memo.clear()


def _journey_by_clicks(page, site) -> bytes:
    page.goto(site["base"] + "/")
    page.get_by_role("link", name=site["agency"].title).click()
    page.get_by_role("link", name=site["procedure"].title).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == site["procedure"].title
    with page.expect_download() as info:
        page.locator("section[aria-labelledby='ho-so'] a.download").first.click()
    download = info.value
    return Path(download.path()).read_bytes(), page


def test_three_clicks_to_the_current_form(context, site):
    content, page = _journey_by_clicks(context.new_page(), site)
    assert content == NEW
    assert site["old_url"] not in page.content()


def test_three_clicks_on_a_phone(phone, site):
    page = phone.new_page()
    content, page = _journey_by_clicks(page, site)
    assert content == NEW
    # Nothing wider than the screen: no sideways scrolling at 360 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    button = page.locator("section[aria-labelledby='ho-so'] a.download").first.bounding_box()
    assert button["height"] >= 44  # a finger-sized target


def _tab_to(page, text: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement && document.activeElement.innerText")
        if focused and text in focused:
            return
    raise AssertionError(f"«{text}» cannot be reached with the Tab key")


def test_keyboard_only_reaches_the_download(context, site):
    page = context.new_page()
    page.goto(site["base"] + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.innerText").startswith("Bỏ qua")
    _tab_to(page, site["agency"].title)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{site['agency'].url}")
    _tab_to(page, site["procedure"].title)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{site['procedure'].url}")
    _tab_to(page, "Tải về")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focus is visible
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert Path(info.value.path()).read_bytes() == NEW


def _public_urls(site) -> dict[str, str]:
    urls = {
        "trang chủ": "/",
        "cơ quan": site["agency"].url,
        "thủ tục": site["procedure"].url,
        "biểu mẫu": site["form"].url,
        "danh mục biểu mẫu": site["form"].get_parent().url,
        "tìm kiếm": "/tim-kiem/?q=khai+sinh",
        "tìm kiếm không có kết quả": "/tim-kiem/?q=zzzz+khong+co",
    }
    return urls


def test_no_serious_accessibility_violation(context, site, axe_path):
    page = context.new_page()
    problems = {}
    for name, url in _public_urls(site).items():
        page.goto(site["base"] + url)
        page.add_script_tag(path=axe_path)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])})"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            problems[name] = serious
    assert problems == {}


def test_pages_load_completely_with_outside_requests_blocked(context, site):
    local = {"localhost", "127.0.0.1", "::1", "[::1]"}
    blocked = []

    def only_local(route):
        host = urlsplit(route.request.url).hostname
        if host in local:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    for url in _public_urls(site).values():
        response = page.goto(site["base"] + url, wait_until="load")
        assert response.status == 200, url
        assert page.evaluate("[...document.images].every(i => i.complete)")
        styled = page.evaluate(
            "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
        )
        assert styled != "rgba(0, 0, 0, 0)", "the self-hosted stylesheet did not apply"
    assert blocked == [] and failed == []
