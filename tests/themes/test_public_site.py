"""The public site as a citizen meets it: pages, the version in force, privacy, hosts, speed."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import PageViewRestriction, Site

import pytest
import time_machine

from content_types.agency import AgencyRole, colour_contrast_with_white
from content_types.documents import ControlledDocumentPage, DocumentKind
from tests.factories import make_draft_document, make_form, new_revision, run_workflow
from tests.themes.builders import make_file, make_procedure, publish_form, publish_new_version

FRESH = {"HTTP_CACHE_CONTROL": "no-cache"}  # bypass the public cache: measure rendering


def _get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _queries(client, url) -> int:
    client.get(url, **FRESH)  # warm Wagtail's site root paths and the skeleton
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **FRESH)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.fixture
def forms(agency_a, staff_a):
    return [
        publish_form(agency_a, staff_a, f"BM.{n:02d}", f"Tờ khai mẫu {n:02d}") for n in range(20)
    ]


def test_procedure_page_queries_do_not_grow_with_forms_and_steps(client, agency_a, forms):
    small = make_procedure(agency_a, forms[:2], steps=2, title="Thủ tục nhỏ", code="1.000001")
    large = make_procedure(agency_a, forms, steps=20, title="Thủ tục lớn", code="1.000002")
    page = _get(client, large.url, **FRESH)
    assert page.count('data-form-code="BM.') >= 40  # every form: dossier and form list
    assert page.count("Bước ") >= 21
    small_count, large_count = _queries(client, small.url), _queries(client, large.url)
    assert small_count == large_count
    assert large_count <= 15


@pytest.fixture
def journey(agency_a, staff_a):
    """A form issued twice (the first now obsolete), used by a procedure."""
    form = publish_form(agency_a, staff_a, "BM.05", "Tờ khai mẫu cũ năm 2020", b"NOI DUNG CU")
    old_url = form.file.url
    form = publish_new_version(form, staff_a, b"NOI DUNG MOI", title="Tờ khai đăng ký khai sinh")
    procedure = make_procedure(agency_a, [form])
    return {"form": form, "old_url": old_url, "new_url": form.file.url, "procedure": procedure}


def test_three_clicks_from_home_to_the_current_form(client, home, agency_a, journey):
    page = _get(client, home.url)
    assert agency_a.title in page and agency_a.url in page
    page = _get(client, agency_a.url)
    assert journey["procedure"].url in page
    page = _get(client, journey["procedure"].url)
    assert journey["new_url"] in page and journey["old_url"] not in page
    assert "Tờ khai đăng ký khai sinh" in page and "Tờ khai mẫu cũ năm 2020" not in page
    assert "Lần ban hành 02" in page
    download = client.get(journey["new_url"])
    assert b"".join(download.streaming_content) == b"NOI DUNG MOI"


def test_procedure_page_reads_like_the_national_record(client, agency_a, journey):
    page = _get(client, journey["procedure"].url)
    order = [
        "<h1>",
        "1.001193",
        "Sở Tư pháp thử</a>",
        "Cấp xã",
        "Hộ tịch",
        'id="ho-so"',
        'id="cach-thuc"',
        'id="trinh-tu"',
        'id="ket-qua"',
        'id="yeu-cau"',
        'id="can-cu"',
        'id="quy-trinh"',
    ]
    main = page[page.index("<main") :]
    positions = [main.index(text) for text in order]
    assert positions == sorted(positions)
    assert "Tổng thời gian các bước: <strong>1 ngày làm việc</strong>" in page
    assert "thời hạn theo quy định <strong>2 ngày làm việc</strong>" in page
    assert "Không tính thời gian" in page  # the returning step
    assert "0,5 ngày làm việc" in page  # decimal comma
    assert "Cập nhật ngày" in page
    assert "(PDF, 12 byte)" in page
    assert "<title>Đăng ký khai sinh — Sở Tư pháp — Cổng ISO điện tử tỉnh Thử</title>" in page


def test_form_page_offers_the_version_in_force_and_lists_its_history(client, journey):
    page = _get(client, journey["form"].url)
    assert journey["new_url"] in page and journey["old_url"] not in page
    assert "Đang hiệu lực — lần ban hành 02" in page
    assert "Các lần ban hành" in page and "Hết hiệu lực" in page
    assert "Sửa đổi lần 02." in page


def test_agency_portal_groups_procedures_and_shows_its_public_quality_items(
    client, agency_a, staff_a, journey
):
    policy = make_draft_document(agency_a, staff_a[AgencyRole.EDITORS], "Chính sách chất lượng")
    policy = ControlledDocumentPage.objects.get(pk=policy.pk)
    new_revision(
        policy,
        staff_a[AgencyRole.EDITORS],
        kind=DocumentKind.POLICY,
        body="<p>Cam kết giải quyết đúng hạn.</p>",
    )
    run_workflow(policy, staff_a)
    page = _get(client, agency_a.url)
    assert "<h3>Hộ tịch</h3>" in page
    assert "Cam kết giải quyết đúng hạn." in page
    assert "Biểu mẫu đang có hiệu lực" in page and journey["new_url"] in page


def test_private_pages_drafts_and_obsolete_versions_are_never_shown(
    client, home, agency_a, staff_a, journey
):
    editor = staff_a[AgencyRole.EDITORS]
    manual = make_draft_document(agency_a, editor, "Sổ tay chất lượng nội bộ")
    run_workflow(manual, staff_a)  # live, but inside the private quality-system section
    make_form(agency_a, editor, code="BM.99", title="Tờ khai dự thảo chưa duyệt")
    new_revision(journey["form"], editor, title="Tiêu đề nháp chưa duyệt")
    secrets = [
        "Sổ tay chất lượng nội bộ",
        "Tờ khai dự thảo chưa duyệt",
        "Tiêu đề nháp chưa duyệt",
        "Tờ khai mẫu cũ năm 2020",
        journey["old_url"],
        "he-thong-quan-ly-chat-luong",
    ]
    urls = [
        home.url,
        agency_a.url,
        journey["procedure"].url,
        journey["form"].url,
        journey["form"].get_parent().url,
        journey["procedure"].get_parent().url,
        "/sitemap.xml",
        "/api/v1/",
        "/api/v1/agencies/",
        f"/api/v1/agencies/{agency_a.agency_code}/",
        "/api/v1/procedures/",
        f"/api/v1/procedures/{journey['procedure'].pk}/",
        "/api/v1/forms/",
        f"/api/v1/forms/{journey['form'].pk}/",
    ]
    for url in urls:
        page = _get(client, url)
        for secret in secrets:
            assert secret not in page, (url, secret)
    assert client.get(manual.url).status_code in (302, 403)  # login required
    assert client.get(f"/api/v1/forms/{manual.pk}/").status_code == 404
    assert client.get(f"/api/v1/procedures/{manual.pk}/").status_code == 404


def test_agency_hostname_serves_its_portal_with_its_theme(client, agency_a, journey):
    agency_a.theme_colour = "#0B5D1E"
    agency_a.save_revision().publish()
    Site.objects.create(hostname="stp.example.vn", port=80, root_page=agency_a)
    page = _get(client, "/", HTTP_HOST="stp.example.vn")
    assert f"<h1>{agency_a.title}</h1>" in page
    assert "--brand:#0B5D1E" in page
    assert 'href="/thu-tuc-hanh-chinh/' in page or journey["procedure"].slug in page
    procedure_path = journey["procedure"].url_path.removeprefix(agency_a.url_path)
    page = _get(client, "/" + procedure_path, HTTP_HOST="stp.example.vn")
    assert journey["new_url"] in page
    assert "Về cổng của tỉnh" in page
    province = _get(client, "/")
    assert "--brand:#0B5D1E" not in province


def test_too_light_theme_colour_is_refused_with_a_clear_message(agency_a):
    assert colour_contrast_with_white("#FFFF00") < 4.5
    agency_a.theme_colour = "#FFFF00"
    with pytest.raises(ValidationError) as error:
        agency_a.full_clean()
    assert "quá sáng" in str(error.value) and "4,5:1" in str(error.value)
    agency_a.theme_colour = "đỏ"
    with pytest.raises(ValidationError, match="#RRGGBB"):
        agency_a.full_clean()


def test_anonymous_pages_are_cached_and_a_publish_shows_at_once(
    client, agency_a, staff_a, journey, django_capture_on_commit_callbacks
):
    url = journey["procedure"].url
    assert client.get(url)["X-Cache"] == "MISS"
    assert client.get(url)["X-Cache"] == "HIT"
    with django_capture_on_commit_callbacks(execute=True):
        form = publish_new_version(journey["form"], staff_a, b"LAN 03", issue=3)
    response = client.get(url)
    assert response["X-Cache"] == "MISS"
    assert form.file.url in response.content.decode()
    assert journey["new_url"] not in response.content.decode()


def test_a_link_shared_with_a_tracking_parameter_is_served_from_the_cache(client, journey):
    """Every share on Facebook or Zalo adds its own fbclid/zarsrc: the page is the same."""
    url = journey["procedure"].url
    assert client.get(url, {"fbclid": "IwAR0abc"})["X-Cache"] == "MISS"
    assert client.get(url)["X-Cache"] == "HIT"
    assert client.get(url, {"zarsrc": "30", "utm_source": "zalo"})["X-Cache"] == "HIT"
    # Parameters a page does read still make a page of their own.
    assert client.get("/api/v1/forms/")["X-Cache"] == "MISS"
    assert client.get("/api/v1/forms/", {"agency": "CQA", "fbclid": "x"})["X-Cache"] == "MISS"
    assert client.get("/api/v1/forms/", {"utm_medium": "y", "agency": "CQA"})["X-Cache"] == "HIT"


def test_a_scheduled_version_replaces_the_cached_page_at_its_effective_time(
    client, agency_a, staff_a, journey, django_capture_on_commit_callbacks
):
    """Approved ahead of its effective date: the cached page switches when the clock says so,
    before the scheduled-publishing job has published the page."""
    url = journey["procedure"].url
    later = timezone.now() + timedelta(hours=2)
    document = make_file(agency_a, "bm-05-03.pdf", b"LAN 03 THEO LICH")
    with django_capture_on_commit_callbacks(execute=True):
        new_revision(journey["form"], staff_a[AgencyRole.EDITORS], file=document, go_live_at=later)
        run_workflow(journey["form"], staff_a)
    page = _get(client, url)
    assert journey["new_url"] in page and document.url not in page
    assert client.get(url)["X-Cache"] == "HIT"
    with time_machine.travel(later + timedelta(seconds=1)):
        response = client.get(url)
        assert response["X-Cache"] == "MISS"
        assert document.url in response.content.decode()
        assert journey["new_url"] not in response.content.decode()


def test_a_view_restriction_added_later_closes_the_page_at_once(
    client, agency_a, journey, django_capture_on_commit_callbacks
):
    """Routing reads the restrictions from the site skeleton: a new one must apply at once."""
    procedure = journey["procedure"]
    _get(client, procedure.url, **FRESH)  # the skeleton is built without the restriction
    _get(client, procedure.url)
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=procedure.get_parent(), restriction_type=PageViewRestriction.LOGIN
        )
    assert client.get(procedure.url, **FRESH).status_code == 302
    assert client.get(procedure.url).status_code == 302
    page = _get(client, agency_a.url)
    assert procedure.url not in page  # and the agency portal no longer lists it


def test_logged_in_staff_are_never_served_from_the_cache(client, agency_a, staff_a, journey):
    client.get(journey["procedure"].url)
    client.force_login(staff_a[AgencyRole.EDITORS])
    response = client.get(journey["procedure"].url)
    assert "X-Cache" not in response


def test_sitemap_lists_public_pages(client, home, agency_a, journey):
    page = _get(client, "/sitemap.xml")
    for item in (agency_a, journey["procedure"], journey["form"]):
        assert item.url in page
    robots = _get(client, "/robots.txt")
    assert "Sitemap: http://testserver/sitemap.xml" in robots


def test_every_asset_is_self_hosted(client, home, agency_a, journey):
    for url in (home.url, agency_a.url, journey["procedure"].url, journey["form"].url):
        page = _get(client, url)
        assert "http://" not in page.split("<body")[0].replace("http://testserver", "")
        assert "https://" not in page.split("<body")[0]
        assert 'src="http' not in page and '<script src="//' not in page
