"""An agency officer's admin page reads their groups and roles once (issue 14).

Every admin page builds the main menu, and each of our entries asks who the user is (province
administrator? editor or administrator of which agency?). Asked one query each, an agency
editor's page made some 20 queries more than a superuser's, which made the editor's master list
and ISO search about twice the superuser's at 150 agencies. The answers must stay the same:
each role still sees exactly its own entries."""

from __future__ import annotations

from django.db import connection
from django.db.models.signals import post_init
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.admin.menu import admin_menu
from wagtail.models import PageViewRestriction

import pytest

from content_types.agency import AgencyRole
from content_types.indexes import FormIndexPage
from search.visibility import hidden_paths
from tests.factories import make_agency, make_staff, make_user, quality_system
from workflows.provisioning import INTERNAL_AUDITORS, PROVINCE_ADMINS, province_groups

pytestmark = pytest.mark.django_db

# Our own entries (Wagtail's are decided by its permission policies).
OURS = {
    "Thêm cơ quan, đơn vị",
    "Người dùng của cơ quan",
    "Danh mục tài liệu",
    "Tổng hợp cấp tỉnh",
    "Báo cáo năm HTQLCL",
    "Đánh giá nội bộ, khắc phục",
    "Nhập danh mục TTHC",
    "Việc cập nhật thủ tục",
    "Quy trình liên thông",
    "Rà soát tài liệu định kỳ",
    "Ý kiến của người dân",
}


def _menu(user) -> tuple[set[str], list[str]]:
    """(our entries shown to `user`, the SQL of deciding the whole menu) for a fresh request."""
    request = RequestFactory().get(reverse("wagtailadmin_home"))
    request.user = type(user).objects.get(pk=user.pk)  # as the middleware loads it
    with CaptureQueriesContext(connection) as ctx:
        items = admin_menu.menu_items_for_request(request)
    labels = {str(item.label) for item in items} & OURS
    return labels, [query["sql"] for query in ctx.captured_queries]


def _reading_roles(sqls: list[str]) -> list[str]:
    marks = ("content_types_agencygroup", '"auth_group"."name"')
    return [sql for sql in sqls if any(mark in sql for mark in marks)]


@pytest.fixture
def province(home):
    agency = make_agency(home, "A")
    make_agency(home, "B")
    province_groups()
    from django.contrib.auth.models import Group

    return {
        "agency": agency,
        "staff": make_staff(agency, "a"),
        "province admin": make_user("tinh", Group.objects.get(name=PROVINCE_ADMINS)),
        "province auditor": make_user("dgv", Group.objects.get(name=INTERNAL_AUDITORS)),
        "nobody": make_user("khach"),
    }


def test_each_role_sees_its_own_menu_entries(province):
    staff = province["staff"]
    everyone = {"Danh mục tài liệu"}
    quality = {"Báo cáo năm HTQLCL", "Đánh giá nội bộ, khắc phục"}
    catalogue_tasks = {"Việc cập nhật thủ tục", "Quy trình liên thông"}
    expected = {
        AgencyRole.EDITORS: everyone
        | quality
        | catalogue_tasks
        | {"Nhập danh mục TTHC", "Rà soát tài liệu định kỳ", "Ý kiến của người dân"},
        AgencyRole.REVIEWERS: everyone | quality | catalogue_tasks,
        AgencyRole.ADMINISTRATORS: everyone
        | quality
        | catalogue_tasks
        | {"Người dùng của cơ quan", "Nhập danh mục TTHC", "Ý kiến của người dân"},
        AgencyRole.APPROVERS: everyone
        | quality
        | catalogue_tasks
        | {"Rà soát tài liệu định kỳ", "Ý kiến của người dân"},
        AgencyRole.AUDITORS: everyone | quality | catalogue_tasks,
    }
    for role, entries in expected.items():
        assert _menu(staff[role])[0] == entries, role
    province_admin = _menu(province["province admin"])[0]
    assert {"Tổng hợp cấp tỉnh", "Người dùng của cơ quan", "Nhập danh mục TTHC"} <= province_admin
    assert "Báo cáo năm HTQLCL" not in province_admin  # the province reads the summary instead
    auditor = _menu(province["province auditor"])[0]
    assert "Đánh giá nội bộ, khắc phục" in auditor
    assert not {"Tổng hợp cấp tỉnh", "Người dùng của cơ quan", "Nhập danh mục TTHC"} & auditor
    assert _menu(province["nobody"])[0] == everyone


def test_the_menu_reads_the_users_roles_once(province):
    for who in (*province["staff"].values(), province["province admin"], province["nobody"]):
        assert len(_reading_roles(_menu(who)[1])) == 1, who.username


def test_an_editors_admin_pages_read_their_roles_once(client, province):
    agency = province["agency"]
    editor = province["staff"][AgencyRole.EDITORS]
    client.force_login(editor)
    urls = [
        reverse("iso_master_list", args=[agency.pk]),
        reverse("iso_search") + "?q=khai",
        reverse("wagtailadmin_pages:search") + "?q=khai",
    ]
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        reads = _reading_roles([query["sql"] for query in ctx.captured_queries])
        assert len(reads) == 1, (url, reads)


def _private_sections_of(agencies) -> list[str]:
    return sorted(quality_system(agency).path for agency in agencies)


def test_hidden_sections_follow_each_restriction(home):
    """Group restrictions hide a section from non-members only, a sign-in one from nobody
    signed in, a password one from every search."""
    agencies = [make_agency(home, f"H{n}") for n in range(3)]
    mine, other, third = agencies
    editor = make_staff(mine, "h")[AgencyRole.EDITORS]
    forms_of_third = third.get_children().type(FormIndexPage).first()
    forms_of_other = other.get_children().type(FormIndexPage).first()
    PageViewRestriction.objects.create(
        page=forms_of_third, restriction_type=PageViewRestriction.LOGIN
    )
    PageViewRestriction.objects.create(
        page=forms_of_other, restriction_type=PageViewRestriction.PASSWORD, password="mat-khau"
    )
    assert hidden_paths(editor) == sorted(
        [quality_system(other).path, quality_system(third).path, forms_of_other.path]
    )
    assert hidden_paths(make_user("root", is_superuser=True)) == []


def test_hidden_sections_are_read_without_loading_every_agencys_restriction(home):
    """At 150 agencies, loading each restriction with its groups (five or six each) to test
    them in Python cost an editor's search as much as the search itself."""
    agencies = [make_agency(home, f"R{n:02d}") for n in range(12)]
    editor = make_staff(agencies[0], "r")[AgencyRole.EDITORS]
    loaded = []

    def count(sender, **kwargs):
        loaded.append(sender)

    post_init.connect(count)
    try:
        with CaptureQueriesContext(connection) as ctx:
            paths = hidden_paths(editor)
    finally:
        post_init.disconnect(count)
    assert paths == _private_sections_of(agencies[1:])
    assert len(ctx.captured_queries) == 1
    assert loaded == []


def test_an_editors_search_makes_the_same_queries_with_3_and_12_agencies(home):
    """The other agencies' private sections are read in one query, whatever their number (each
    is then one path range of the search's queries: see search.visibility._outside)."""
    from search.selectors import find_forms
    from tests.search.conftest import publish_form

    agencies = [make_agency(home, f"S{n:02d}") for n in range(3)]
    staff = make_staff(agencies[0], "s")
    publish_form(agencies[0], staff, "tk", "Tờ khai đăng ký", "BM.01")
    editor = staff[AgencyRole.EDITORS]

    def search_sql() -> int:
        with CaptureQueriesContext(connection) as ctx:
            results = find_forms("to khai", user=editor)
        assert [hit.page.title for hit in results.hits] == ["Tờ khai đăng ký"]
        return len(ctx.captured_queries)

    search_sql()  # warm what every process keeps
    small = search_sql()
    agencies += [make_agency(home, f"S{n:02d}") for n in range(3, 12)]
    assert search_sql() == small
