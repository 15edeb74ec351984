"""Query counts of the admin's busiest views do not grow with the province (issue 14).

Each test measures the views, grows the province (more agencies, more items awaiting approval,
more rows on the page) and measures again: the number of queries must stay the same. A view
whose count grows by one per agency or per row costs seconds at 150 agencies."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from content_types.agency import AgencyRole
from content_types.indexes import FormIndexPage
from tests.factories import make_agency, make_form, make_staff, make_user

pytestmark = pytest.mark.django_db


def query_count(client, url) -> int:
    client.get(url)  # warm what every process keeps (content types, site root paths)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


class Province:
    """Agency A with one user per role and a few forms, among `agencies` agencies."""

    def __init__(self, home, agencies: int = 3, forms: int = 3):
        self.home = home
        self.agencies = []
        self.agencies_grow(agencies)
        self.agency = self.agencies[0]
        self.staff = make_staff(self.agency, "a")
        self.superuser = make_user("root", is_superuser=True, is_staff=True)
        self.forms = []
        self.forms_grow(forms)
        self.form_index = self.agency.get_children().type(FormIndexPage).first()

    def agencies_grow(self, total: int) -> None:
        while len(self.agencies) < total:
            self.agencies.append(make_agency(self.home, f"C{len(self.agencies):02d}"))

    def forms_grow(self, total: int) -> None:
        editor = self.staff[AgencyRole.EDITORS]
        while len(self.forms) < total:
            n = len(self.forms)
            self.forms.append(
                make_form(self.agency, editor, code=f"BM.{n:02d}", title=f"Tờ khai số {n}")
            )

    def awaiting_grow(self, total: int) -> None:
        """`total` of A's forms submitted for review (the reviewers' awaiting items)."""
        self.forms_grow(total)
        editor = self.staff[AgencyRole.EDITORS]
        for form in self.forms[:total]:
            form.refresh_from_db()
            if form.current_workflow_state is None:
                form.get_workflow().start(form, editor)

    def users(self) -> dict[str, object]:
        return {
            "editor": self.staff[AgencyRole.EDITORS],
            "reviewer": self.staff[AgencyRole.REVIEWERS],
            "superuser": self.superuser,
        }

    def views(self) -> dict[str, str]:
        return {
            "dashboard": reverse("wagtailadmin_home"),
            "explorer of the forms": reverse("wagtailadmin_explore", args=[self.form_index.pk]),
            "chooser": reverse("wagtailadmin_choose_page"),
            "chooser of the forms": reverse(
                "wagtailadmin_choose_page_child", args=[self.form_index.pk]
            ),
            "chooser search": reverse("wagtailadmin_choose_page_search") + "?q=khai",
            "edit": reverse("wagtailadmin_pages:edit", args=[self.forms[0].pk]),
            "page search": reverse("wagtailadmin_pages:search") + "?q=khai",
            "master list": reverse("iso_master_list", args=[self.agency.pk]),
            "iso search": reverse("iso_search") + "?q=khai",
            "public search": "/tim-kiem/?q=khai",
        }

    def counts(self, client, views=None) -> dict[tuple[str, str], int]:
        out = {}
        for who, user in self.users().items():
            client.force_login(user)
            for name, url in self.views().items():
                if views is None or name in views:
                    out[(who, name)] = query_count(client, url)
        return out


def _grown(small: dict, big: dict) -> dict:
    return {key: (small[key], big[key]) for key in small if small[key] != big[key]}


def test_counts_do_not_grow_with_agencies(home, client):
    province = Province(home, agencies=3)
    province.awaiting_grow(2)
    small = province.counts(client)
    province.agencies_grow(12)
    big = province.counts(client)
    assert _grown(small, big) == {}


def test_counts_do_not_grow_with_awaiting_items(home, client):
    province = Province(home, agencies=3)
    province.awaiting_grow(2)
    views = ["dashboard", "explorer of the forms", "edit", "master list"]
    small = province.counts(client, views)
    province.awaiting_grow(20)
    big = province.counts(client, views)
    assert _grown(small, big) == {}


def test_counts_do_not_grow_with_rows(home, client):
    province = Province(home, agencies=3, forms=3)
    views = [
        "explorer of the forms",
        "chooser of the forms",
        "chooser search",
        "page search",
        "master list",
        "iso search",
    ]
    small = province.counts(client, views)
    province.forms_grow(12)
    big = province.counts(client, views)
    assert _grown(small, big) == {}
