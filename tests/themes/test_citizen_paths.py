"""A citizen's paths without dead ends (issue 13): common procedures and codes find results, a
search shows both kinds, the same form from several agencies is told apart, internal forms and
pending versions stay off every public surface, addresses are the site's own."""

from __future__ import annotations

import re
from datetime import timedelta

from django.core import mail
from django.test import override_settings
from django.utils import timezone

from wagtail.models import Site

import pytest

from content_types.documents import FormAudience
from search.selectors import find_forms
from tests.factories import new_revision, run_workflow
from tests.themes.builders import make_procedure, publish_form

FRESH = {"HTTP_CACHE_CONTROL": "no-cache"}


def _html(client, url: str) -> str:
    response = client.get(url, **FRESH)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.fixture
def marriage(agency_a, agency_b, staff_a, staff_b):
    """«Đăng ký kết hôn» (1.000894) in two agencies, each with its form; one more procedure."""
    form_a = publish_form(agency_a, staff_a, "BM.01-QT.05", "Tờ khai đăng ký kết hôn")
    form_b = publish_form(agency_b, staff_b, "BM.01-UBND", "Tờ khai đăng ký kết hôn")
    procedures = [
        make_procedure(agency_a, [form_a], title="Đăng ký kết hôn", code="1.000894"),
        make_procedure(agency_b, [form_b], title="Đăng ký kết hôn", code="1.000894"),
        make_procedure(agency_a, [], title="Đăng ký khai tử", code="1.000656"),
    ]
    return {"forms": (form_a, form_b), "procedures": procedures}


def test_every_common_procedure_link_finds_the_procedure(client, home, marriage):
    page = _html(client, home.url)
    section = page.split('id="thu-tuc-thuong-dung"', 1)[1].split("</section>", 1)[0]
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', section)
    assert {title for _, title in links} >= {"Đăng ký kết hôn", "Đăng ký khai tử"}
    for url, title in links:
        results = _html(client, url.replace("&amp;", "&"))
        assert "Không tìm thấy kết quả" not in results
        assert f">{title}</a></h3>" in results, (url, title)


def test_a_procedure_code_finds_its_procedure_on_the_default_tab(client, marriage):
    results = _html(client, "/tim-kiem/?q=1.000894")
    assert "Không tìm thấy kết quả" not in results
    assert ">Đăng ký kết hôn</a></h4>" in results


@pytest.mark.parametrize("query", ["ket hon", "kết hôn", "dang ky ket hon"])
def test_a_citizen_search_shows_both_procedures_and_forms(client, marriage, query):
    results = _html(client, f"/tim-kiem/?q={query}")
    procedures = results.split('id="ket-qua-thu-tuc"', 1)[1].split("</section>", 1)[0]
    forms = results.split('id="ket-qua-bieu-mau"', 1)[1].split("</section>", 1)[0]
    assert "Đăng ký kết hôn</a>" in procedures
    assert "Tờ khai đăng ký kết hôn</a>" in forms


def test_the_same_form_names_each_agency_in_full_and_puts_the_chosen_one_first(
    client, marriage, agency_a, agency_b
):
    plain = _html(client, "/tim-kiem/?q=to+khai+dang+ky+ket+hon&loai=bieu-mau")
    assert agency_a.title in plain and agency_b.title in plain  # full names, not short ones
    for chosen, other in ((agency_a, agency_b), (agency_b, agency_a)):
        query = f"?q=to+khai+dang+ky+ket+hon&loai=bieu-mau&uu_tien={chosen.pk}"
        page = _html(client, f"/tim-kiem/{query}")
        results = page.split('<ol class="form-list search-results"', 1)[1]
        assert results.index(chosen.title) < results.index(other.title)
        assert "Cơ quan của bạn" in results
        assert f'<option value="{chosen.pk}" selected>' in page


def test_an_unknown_chosen_agency_is_explained_and_ignored(client, marriage):
    page = _html(client, "/tim-kiem/?q=ket+hon&uu_tien=999999")
    assert "Không tìm thấy cơ quan của bạn đã chọn" in page
    assert "Tờ khai đăng ký kết hôn</a>" in page


# --- internal forms ------------------------------------------------------------------------


@pytest.fixture
def internal_form(agency_a, staff_a):
    from content_types.agency import AgencyRole
    from tests.factories import make_form

    page = make_form(
        agency_a,
        staff_a[AgencyRole.EDITORS],
        code="BM.09-KS",
        title="Phiếu kiểm soát quá trình",
        audience=FormAudience.INTERNAL,
    )
    return run_workflow(page, staff_a)


def test_internal_forms_stay_off_every_public_surface(client, agency_a, staff_a, internal_form):
    from content_types.agency import AgencyRole
    from content_types.indexes import FormIndexPage

    title = "Phiếu kiểm soát quá trình"
    index = agency_a.get_children().type(FormIndexPage).first()
    assert title not in _html(client, index.url)
    assert title not in _html(client, agency_a.url)
    assert title not in _html(client, "/tim-kiem/?q=phieu+kiem+soat+qua+trinh")
    assert title not in _html(client, "/tim-kiem/?q=BM.09-KS&loai=bieu-mau")
    assert title not in _html(client, "/api/v1/forms/")
    assert title not in _html(client, "/api/v1/tim-kiem/bieu-mau/?q=phieu+kiem+soat")
    assert client.get(f"/api/v1/forms/{internal_form.pk}/", **FRESH).status_code == 404
    assert internal_form.url not in _html(client, "/sitemap.xml")
    assert client.get(internal_form.url, **FRESH).status_code != 200  # sent to sign in
    assert find_forms("phieu kiem soat").total == 0
    # The agency's own staff still find and open it.
    editor = staff_a[AgencyRole.EDITORS]
    assert find_forms("phieu kiem soat", user=editor).total == 1
    client.force_login(editor)
    assert client.get(internal_form.url).status_code == 200


def test_a_form_turned_back_to_citizens_is_public_again(client, agency_a, staff_a, internal_form):
    from content_types.agency import AgencyRole

    new_revision(internal_form, staff_a[AgencyRole.EDITORS], audience=FormAudience.CITIZENS)
    run_workflow(internal_form, staff_a)
    assert client.get(internal_form.url, **FRESH).status_code == 200
    assert "Phiếu kiểm soát quá trình" in _html(client, "/tim-kiem/?q=phieu+kiem+soat")


# --- versions a citizen sees ---------------------------------------------------------------


def test_the_public_form_page_hides_pending_versions(client, agency_a, staff_a):
    from content_types.agency import AgencyRole

    form = publish_form(agency_a, staff_a, "BM.02-QT.05", "Giấy đề nghị cấp bản sao")
    revision = new_revision(form, staff_a[AgencyRole.EDITORS], change_summary="Sửa đổi lần 02.")
    pending = revision.as_object()
    pending.go_live_at = timezone.now() + timedelta(days=7)
    pending.save_revision(user=staff_a[AgencyRole.EDITORS])
    run_workflow(form, staff_a)

    page = _html(client, form.url)
    assert "Chờ hiệu lực" not in page
    assert "Sửa đổi lần 02." not in page
    assert "Đang hiệu lực" in page
    # One version in force and none past: no version table, no period ending at the pending one.
    assert 'class="versions"' not in page


def test_a_current_version_period_has_no_end_while_its_successor_is_pending(
    client, agency_a, staff_a
):
    from content_types.agency import AgencyRole
    from tests.themes.builders import publish_new_version

    form = publish_form(agency_a, staff_a, "BM.03-QT.05", "Tờ khai khai tử")
    form = publish_new_version(form, staff_a, b"%PDF-1.4 lan 02")
    revision = new_revision(form, staff_a[AgencyRole.EDITORS], change_summary="Lần 03 sắp tới.")
    pending = revision.as_object()
    pending.go_live_at = timezone.now() + timedelta(days=3)
    pending.save_revision(user=staff_a[AgencyRole.EDITORS])
    run_workflow(form, staff_a)

    table = _html(client, form.url).split('class="versions"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr class=\"status-(\w+)\">(.*?)</tr>", table, re.S)
    assert [status for status, _ in rows] == ["obsolete", "current"]
    current = rows[1][1]
    assert re.search(r'data-label="Đến">—<', current)
    assert "Lần 03 sắp tới." not in table


def test_the_download_button_names_the_form_type_and_size(client, agency_a, staff_a):
    form = publish_form(agency_a, staff_a, "BM.04-QT.05", "Tờ khai đăng ký thường trú")
    page = _html(client, form.url)
    button = re.search(r'<a class="button download big".*?</a>', page, re.S).group(0)
    text = " ".join(re.sub(r"<[^>]+>", " ", button).split())
    assert "Tờ khai đăng ký thường trú" in text
    assert "(PDF," in text and "byte" in text
    assert "BM.04-QT.05" not in text


# --- the site's real address ---------------------------------------------------------------


def test_the_sitemap_lists_the_sites_real_address(client, home, marriage):
    Site.objects.filter(is_default_site=True).update(hostname="iso.quangninh.gov.vn", port=443)
    sitemap = client.get("/sitemap.xml", HTTP_HOST="iso.quangninh.gov.vn", **FRESH)
    body = sitemap.content.decode()
    assert "https://iso.quangninh.gov.vn/" in body
    assert "localhost" not in body


def test_the_demo_site_takes_the_address_e_mails_link_to():
    from fixtures.demo import site_address

    assert site_address("https://iso.quangninh.gov.vn") == ("iso.quangninh.gov.vn", 443)
    assert site_address("http://localhost:8000") == ("localhost", 8000)
    assert site_address("http://10.0.0.5") == ("10.0.0.5", 80)


@override_settings(WAGTAILADMIN_BASE_URL="https://iso.quangninh.gov.vn")
def test_e_mail_links_use_the_configured_address(
    agency_a, staff_a, django_capture_on_commit_callbacks
):
    from content_types.agency import AgencyRole
    from tests.factories import make_draft_document

    page = make_draft_document(agency_a, staff_a[AgencyRole.EDITORS])
    with django_capture_on_commit_callbacks(execute=True):
        run_workflow(page, staff_a, reject_at_step=1, comment="Bổ sung căn cứ.")
    bodies = "\n".join(message.body for message in mail.outbox)
    assert "https://iso.quangninh.gov.vn/admin/pages/" in bodies
    assert "localhost" not in bodies
