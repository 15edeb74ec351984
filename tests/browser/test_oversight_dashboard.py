"""The province dashboard in a real browser: the charts are drawn from the figures, nothing is
fetched from outside, and the drill-down to an agency's record works."""

from urllib.parse import urlsplit

from django.conf import settings
from django.test import Client

import pytest

from content_types.documents import DocumentKind
from content_types.oversight import DossierStatistic
from fixtures.demo_forms import demo_core_documents_load
from tests.factories import make_agency, make_home, make_user, restore_baseline
from tests.oversight.conftest import builtin_items_only  # noqa: F401  (a fixture)
from tests.themes.builders import make_procedure
from workflows.provisioning import PROVINCE_ADMINS, province_groups

pytestmark = pytest.mark.django_db(transaction=True)
LOCAL = {"localhost", "127.0.0.1", "::1", "[::1]"}


@pytest.fixture
def province(live_server):
    from django.utils import timezone

    restore_baseline()
    home = make_home()
    admin = make_user("tinh.quantri", province_groups()[PROVINCE_ADMINS])
    year = timezone.localdate().year
    agencies = []
    for code, title, skip in [
        ("STP", "Sở Tư pháp thử", []),
        ("PHG", "UBND phường thử", [DocumentKind.ANNOUNCEMENT, DocumentKind.MAINTENANCE_PLAN]),
    ]:
        agency = make_agency(home, code, title=title, short_name=title)
        demo_core_documents_load(agency, editor=admin, approver=admin, skip_kinds=skip)
        make_procedure(agency, [], code="1.001193")
        agencies.append(agency)
    for month, late in ((1, 0), (2, 5)):  # STP: 100 % in January, 50 % in February
        DossierStatistic.objects.create(
            agency=agencies[0], procedure_code="1.001193", year=year, month=month,
            received_online=10, resolved_on_time=10 - late, resolved_late=late,
        )  # fmt: skip
    client = Client()
    client.force_login(admin)
    return {
        "base": live_server.url,
        "agencies": agencies,
        "year": year,
        "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
    }


def test_dashboard_charts_with_outside_requests_blocked(
    context,
    province,
    builtin_items_only,  # noqa: F811
):
    blocked, failed = [], []

    def only_local(route):
        if urlsplit(route.request.url).hostname in LOCAL:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    host = urlsplit(province["base"]).hostname
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": province["session"],
                "domain": host,
                "path": "/",
            }
        ]  # fmt: skip
    )
    page = context.new_page()
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(province["base"] + "/admin/tong-hop-tinh/")
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text().strip() == "Tổng hợp cấp tỉnh"
    # On a 1280 px screen nothing but the agency matrix (its own scroller) runs off the right.
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    counts = page.get_by_role("table", name="Số cơ quan đạt từng yêu cầu").bounding_box()
    assert counts["x"] + counts["width"] <= width

    # Completion: one bar per agency, as long as its share of the six items.
    bars = page.locator("svg[data-chart=completion] rect.bar")
    assert bars.count() == 2
    track = page.locator("svg[data-chart=completion] rect.bar-track").first.bounding_box()
    widths = {
        bars.nth(i).get_attribute("data-value"): bars.nth(i).bounding_box()["width"]
        for i in range(2)
    }
    assert set(widths) == {"6/6", "4/6"}
    assert widths["6/6"] == pytest.approx(track["width"], abs=1)
    assert widths["4/6"] == pytest.approx(track["width"] * 4 / 6, abs=1)

    # On-time rates: agencies × twelve months, coloured by band, with the figures on hover.
    heatmap = page.locator("svg[data-chart=on-time]")
    assert heatmap.is_visible()
    assert heatmap.locator("rect").count() == 2 * 12
    assert heatmap.locator("rect.cell-high").count() == 1  # STP January 100 %
    assert heatmap.locator("rect.cell-low").count() == 1  # STP February 50 %
    titles = heatmap.locator("title").evaluate_all("nodes => nodes.map(n => n.textContent)")
    assert f"Sở Tư pháp thử, tháng 02/{province['year']}: 50,0 % (5/10 hồ sơ)" in titles

    # The province line: two points, February lower on the chart than January.
    points = page.locator("svg[data-chart=bieu-do-tinh] circle.point")
    assert points.count() == 2
    january, february = (points.nth(i).bounding_box()["y"] for i in range(2))
    assert february > january

    # The counts row, then the drill-down to the agency missing two items.
    assert page.locator("td[data-item=announcement]").inner_text() == "1/2"
    page.get_by_role("link", name="UBND phường thử").click()
    page.wait_for_load_state("networkidle")
    assert "Hồ sơ HTQLCL: UBND phường thử" in page.get_by_role("heading", level=1).inner_text()
    row = page.locator("tr[data-item=announcement]")
    assert "Chưa có" in row.inner_text()
    assert page.locator("tr[data-item=policy] a").count() == 1  # links to its versions

    assert blocked == []  # nothing from a CDN or anywhere else
    assert [u for u in failed if urlsplit(u).hostname in LOCAL] == []


def test_province_admin_downloads_the_summary_report(
    context,
    province,
    builtin_items_only,  # noqa: F811
):
    """From the dashboard to the yearly reports of the agencies, and the summary as DOCX."""
    from docx import Document

    blocked = []

    def only_local(route):
        if urlsplit(route.request.url).hostname in LOCAL:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    host = urlsplit(province["base"]).hostname
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": province["session"],
                "domain": host,
                "path": "/",
            }
        ]  # fmt: skip
    )
    page = context.new_page()
    page.goto(province["base"] + "/admin/tong-hop-tinh/")
    page.get_by_role("link", name="Báo cáo năm của các cơ quan").first.click()
    page.wait_for_load_state("networkidle")
    assert "Báo cáo năm của các cơ quan" in page.get_by_role("heading", level=1).inner_text()
    assert page.locator("#tong-hop-bao-cao tbody tr").count() == 2
    assert "Chưa nộp" in page.locator("tr[data-agency=PHG]").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="DOCX", exact=True).click()
    assert download.value.suggested_filename == f"tong-hop-bao-cao-htqlcl-{province['year']}.docx"
    document = Document(str(download.value.path()))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Sở Tư pháp thử" in cells and "UBND phường thử" in cells
    assert blocked == []
