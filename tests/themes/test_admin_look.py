"""The admin the agencies' staff see: trimmed, local, with ASCII slugs and a Vietnamese guide."""

from __future__ import annotations

import json
import re

from django.urls import reverse

import pytest

from content_types.agency import AgencyRole
from content_types.documents import ControlledDocumentPage, DocumentKind
from tests.factories import PASSWORD, make_draft_document, quality_system
from themes.guide import ROLE_GUIDES


@pytest.fixture
def editor(staff_a, client):
    user = staff_a[AgencyRole.EDITORS]
    client.login(username=user.username, password=PASSWORD)
    return user


def test_a_title_with_d_stroke_gives_an_ascii_slug(agency_a, staff_a):
    page = ControlledDocumentPage(
        title="Quy trình đánh giá nội bộ", kind=DocumentKind.INTERNAL_PROCESS, code="QT.09", slug=""
    )
    quality_system(agency_a).add_child(instance=page)
    assert page.slug == "quy-trinh-danh-gia-noi-bo"


def test_the_slug_field_transliterates_d_stroke_in_the_browser(agency_a, editor, client):
    section = quality_system(agency_a)
    url = reverse(
        "wagtailadmin_pages:add", args=["content_types", "controlleddocumentpage", section.pk]
    )
    html = client.get(url).content.decode()
    slug_input = re.search(r'<input[^>]+name="slug"[^>]*>', html).group(0)
    assert "allow-unicode-value" not in slug_input  # absent: the controller's default, ASCII
    formatters = json.loads(
        re.search(r'data-w-slug-formatters-value="([^"]*)"', slug_input)
        .group(1)
        .replace("&quot;", '"')
    )
    assert ["đ", "d"] in [[regex[0], replace] for regex, replace in formatters]


def test_a_slug_with_diacritics_is_refused(agency_a, editor, client):
    from tests.factories import document_form_data, make_draft_document

    page = make_draft_document(agency_a, editor)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.post(url, document_form_data(page, slug="quy-trình"))
    assert response.status_code == 200
    assert "Đường dẫn chỉ gồm chữ không dấu" in response.content.decode()
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().slug != "quy-trình"


def test_the_promote_tab_keeps_the_address_only(agency_a, editor, client):
    section = quality_system(agency_a)
    url = reverse(
        "wagtailadmin_pages:add", args=["content_types", "controlleddocumentpage", section.pk]
    )
    html = client.get(url).content.decode()
    assert 'name="slug"' in html
    for unused in ("seo_title", "search_description", "show_in_menus"):
        assert f'name="{unused}"' not in html
    assert "Đường dẫn" in html  # the tab is named for what it holds


def test_documents_have_no_tags(editor, client):
    html = client.get(reverse("wagtaildocs:add_multiple")).content.decode()
    assert 'name="tags"' not in html


def test_no_images_menu_and_no_external_help(editor, client):
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    menu = json.loads(
        re.search(r'<script[^>]+id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S).group(
            1
        )
    )
    text = json.dumps(menu, ensure_ascii=False)
    assert '"name": "images"' not in text
    assert "Hướng dẫn sử dụng" in text
    assert reverse("iso_guide_index") in text
    assert "guide.wagtail.org" not in text and "guide.wagtail.org" not in html
    assert "editor-guide" not in text


def test_no_picture_is_fetched_from_outside(editor, client):
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "gravatar" not in html.lower()
    avatars = re.findall(r'<img[^>]+class="[^"]*avatar[^"]*"[^>]*src="([^"]+)"', html)
    assert all(src.startswith("/") for src in avatars), avatars


def test_the_javascript_catalogue_reaches_the_browser(editor, client):
    source = client.get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", source, re.S).group(1))
    assert catalogue["Autosave in progress…"] == "Đang tự động lưu…"
    assert catalogue["Edit"] == "Sửa"


def test_corrected_translations(editor, client):
    from django.utils import translation

    with translation.override("vi"):
        assert translation.gettext("History") == "Lịch sử"
        assert translation.gettext("Submit for moderation") == "Gửi duyệt"
        assert translation.gettext("%(time_period)s ago") == "%(time_period)s trước"


@pytest.mark.parametrize("guide", ROLE_GUIDES, ids=lambda guide: guide.slug)
def test_every_role_has_its_guide_in_the_help_menu(editor, client, guide):
    index = client.get(reverse("iso_guide_index")).content.decode()
    url = reverse("iso_guide_role", args=[guide.slug])
    assert url in index
    page = client.get(url).content.decode()
    assert guide.name in page
    for task in guide.tasks:
        assert task.title in page
        assert len(task.steps) >= 1


def test_an_unknown_guide_is_not_found(editor, client):
    assert client.get(reverse("iso_guide_role", args=["khong-co"])).status_code == 404


def test_the_guide_needs_a_sign_in(db, client):
    response = client.get(reverse("iso_guide_index"))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_the_page_search_header_names_what_it_counts(agency_a, editor, client):
    section = quality_system(agency_a)
    page = ControlledDocumentPage(
        title="Sổ tay chất lượng thử", kind=DocumentKind.MANUAL, code="ST.01", slug="so-tay-thu"
    )
    section.add_child(instance=page)
    page.save_revision().publish()
    html = client.get(reverse("wagtailadmin_pages:search") + "?q=so+tay").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Sổ tay chất lượng thử" in text
    assert "1-1 trong 1 trang" in text and "None" not in text


def test_admin_tabs_carry_the_products_name(agency_a, editor, client):
    """A browser tab read «Bảng điều khiển - Wagtail»: the officer's product is ISO điện tử."""
    client.logout()
    sign_in = client.get(reverse("wagtailadmin_login")).content.decode()
    assert "<title>Đăng nhập - ISO điện tử</title>" in sign_in
    client.login(username=editor.username, password=PASSWORD)
    for name in ("wagtailadmin_home", "iso_master_list_index"):
        response = client.get(reverse(name), follow=True)
        assert response.status_code == 200, (name, response.status_code)
        html = response.content.decode()
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert title.endswith(" - ISO điện tử") and "Wagtail" not in title, title


def test_screen_readers_hear_the_header_buttons_in_vietnamese(agency_a, editor, client):
    html = client.get(reverse("wagtaildocs:index")).content.decode()
    assert 'id="w-slim-header-buttons"' in html
    assert '<nav aria-label="Thao tác" id="w-slim-header-buttons"' in html


def test_page_types_report_speaks_to_an_officer(agency_a, agency_b, staff_b, editor, client):
    """Types as they are written, no model keys, and another agency's last edit unnamed."""
    make_draft_document(agency_b, staff_b[AgencyRole.EDITORS], title="Dự thảo mật của B")
    html = client.get(reverse("wagtailadmin_reports:page_types_usage")).content.decode()
    assert "Tài liệu hệ thống quản lý chất lượng" in html  # Wagtail's |title: «Tài Liệu Hệ …»
    assert "content_types." not in html
    assert "Dự thảo mật của B" not in html
