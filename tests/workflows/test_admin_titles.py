"""Every screen of ours shows its own title in the admin's header, not «Trang chủ».

Wagtail's slim header shows the breadcrumbs in place of the title (its h1 is for screen readers
only), and its base breadcrumbs are only «Trang chủ»: the province dashboard, the master list,
«Việc cần làm» and the others all read «Trang chủ» at the top (workflows.admin_page)."""

from django.urls import NoReverseMatch, get_resolver, reverse

import pytest
from bs4 import BeautifulSoup

from tests.factories import make_agency

pytestmark = pytest.mark.django_db


def _our_screens() -> list[str]:
    """The admin URLs of our views that take no argument."""
    urls = []
    for name in get_resolver().reverse_dict:
        if not isinstance(name, str) or not name.startswith("iso_"):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        if url.startswith("/admin/"):
            urls.append(url)
    return sorted(set(urls))


def test_every_screen_names_itself_in_the_header(client, django_user_model, home):
    make_agency(home, "STP", title="Sở Tư pháp thử")
    admin = django_user_model.objects.create_superuser("quan.tri", "qt@example.vn", "x")
    client.force_login(admin)
    seen = {}
    for url in _our_screens():
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        page = BeautifulSoup(response.content, "html.parser")
        title = page.find("h1")
        crumbs = page.select("[data-w-breadcrumbs] nav li")
        if title is None or not crumbs:
            continue
        seen[url] = (title.get_text(" ", strip=True), crumbs[-1].get_text(" ", strip=True))
    assert "/admin/tong-hop-tinh/" in seen and len(seen) >= 8, seen
    wrong = {url: pair for url, pair in seen.items() if pair[1] != pair[0]}
    assert wrong == {}
    assert seen["/admin/tong-hop-tinh/"][1] == "Tổng hợp cấp tỉnh"
