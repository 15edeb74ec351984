"""Per-agency public generations (issue 14): a publish in agency A leaves agency B's kept pages,
skeleton and page data as they are, while A's pages and everything spanning agencies (home page,
search, sitemap, API) show it at once; a scheduled version in B still takes effect on time; a
change outside every agency refreshes everything.

Real shared cache (Redis under TEST_REDIS_URL, else the file cache), real signals: the commit
callbacks run as they would on commit.
"""

from __future__ import annotations

import os
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import PageViewRestriction

import pytest
import time_machine

from content_types.agency import AgencyRole
from content_types.procedure_fields import ProcedureField
from content_types.public import _procedure_data
from tests.conftest import require_service
from tests.factories import (
    make_agency,
    make_home,
    make_staff,
    new_revision,
    restore_baseline,
    run_workflow,
)
from tests.themes.builders import make_file, make_procedure, publish_form, publish_new_version
from themes import routing, skeleton
from themes.cache import public_cache

# Every step commits, as in production: inside a test's own transaction every change would stay
# pending (captureOnCommitCallbacks runs the callbacks but leaves them listed), and nothing is
# kept while a public change is pending.
pytestmark = pytest.mark.django_db(transaction=True)

FRESH = {"HTTP_CACHE_CONTROL": "no-cache"}  # past the response cache: a render
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/1")


@pytest.fixture(autouse=True, params=["redis", "files"])
def shared_cache(request, tmp_path):
    """The public cache as production has it: Redis, or files under var/ without Redis."""
    if request.param == "redis":
        require_service("Redis", REDIS_URL)
        public = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    else:
        public = {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "public-cache"),
        }
    with override_settings(CACHES={**settings.CACHES, "public": public}):
        public_cache().clear()
        skeleton._memo.clear()
        yield
        public_cache().clear()
        skeleton._memo.clear()


@pytest.fixture
def two(django_capture_on_commit_callbacks):
    """Two agencies with a form and a procedure each; every change committed (its commit
    callbacks run), so nothing is left pending and what the process keeps is kept."""
    restore_baseline()  # what the previous transactional test's flush removed
    with django_capture_on_commit_callbacks(execute=True):
        home = make_home()
        agency_a = make_agency(home, "CQA", title="Sở Tư pháp thử", short_name="Sở Tư pháp")
        agency_b = make_agency(home, "CQB", title="UBND phường thử", short_name="UBND phường")
        staff_a = make_staff(agency_a, "a")
        staff_b = make_staff(agency_b, "bb")
        form_a = publish_form(agency_a, staff_a, "BM.01", "Tờ khai cấp phép hành nghề", b"A 01")
        form_b = publish_form(agency_b, staff_b, "BM.02", "Tờ khai đăng ký khai tử", b"B 01")
        procedure_a = make_procedure(agency_a, [form_a], title="Cấp phép hành nghề")
        procedure_b = make_procedure(agency_b, [form_b], title="Đăng ký khai tử", code="1.000002")
    return {
        "home": home,
        "agency_a": agency_a,
        "agency_b": agency_b,
        "staff_a": staff_a,
        "staff_b": staff_b,
        "form_a": form_a,
        "form_b": form_b,
        "procedure_a": procedure_a,
        "procedure_b": procedure_b,
    }


def _get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return response


def _publish_in_a(two, capture, title="Tờ khai cấp phép hành nghề sửa đổi"):
    with capture(execute=True):
        return publish_new_version(two["form_a"], two["staff_a"], b"A 02", title=title)


def _kept_for(procedure) -> bool:
    return procedure.url_path in [p for _site, p in routing._pages.held()] and any(
        key[0] == procedure.pk for key in _procedure_data.held()
    )


def test_a_publish_in_one_agency_leaves_the_other_agencys_pages_kept(
    client, two, django_capture_on_commit_callbacks
):
    url_a, url_b = two["procedure_a"].url, two["procedure_b"].url
    assert _get(client, url_b)["X-Cache"] == "MISS"
    assert _get(client, url_b)["X-Cache"] == "HIT"
    _get(client, url_a)
    assert _get(client, url_a)["X-Cache"] == "HIT"
    assert _kept_for(two["procedure_b"]) and _kept_for(two["procedure_a"])
    frame = skeleton.site_skeleton_last()

    _publish_in_a(two, django_capture_on_commit_callbacks)

    # B: the cached page is served again, its page data and route are still held, and its
    # frame is the same skeleton, not one built anew.
    assert _get(client, url_b)["X-Cache"] == "HIT"
    assert _kept_for(two["procedure_b"]) and not _kept_for(two["procedure_a"])
    _get(client, url_b, **FRESH)
    assert skeleton.site_skeleton_last() is frame
    # A: the change shows at once.
    response = _get(client, url_a)
    assert response["X-Cache"] == "MISS"
    assert "Tờ khai cấp phép hành nghề sửa đổi" in response.content.decode()


def test_a_publish_costs_the_next_visitor_of_another_agency_no_query(
    client, two, django_capture_on_commit_callbacks
):
    """The publisher starts the new generations (PROVINCE's among them, which every page reads)
    with their validity; B's next visitor finds them and renders from what is kept."""
    url_b = two["procedure_b"].url
    _get(client, url_b, **FRESH)
    with CaptureQueriesContext(connection) as kept:
        _get(client, url_b, **FRESH)

    _publish_in_a(two, django_capture_on_commit_callbacks)

    with CaptureQueriesContext(connection) as first:
        _get(client, url_b, **FRESH)
    assert [q["sql"] for q in first.captured_queries] == [q["sql"] for q in kept.captured_queries]


def test_pages_spanning_agencies_follow_every_publish(
    client, two, django_capture_on_commit_callbacks
):
    home = two["home"]
    spanning = (home.url, "/sitemap.xml", "/api/v1/forms/")
    for url in spanning:
        _get(client, url)
        assert _get(client, url)["X-Cache"] == "HIT", url
    assert "Tờ khai cấp phép mới XYZ" not in _get(client, "/tim-kiem/?q=XYZ").content.decode()
    _publish_in_a(two, django_capture_on_commit_callbacks, title="Tờ khai cấp phép mới XYZ")
    for url in spanning:
        assert _get(client, url)["X-Cache"] == "MISS", url
    assert "Tờ khai cấp phép mới XYZ" in _get(client, "/api/v1/forms/").content.decode()
    # Public search's map of entries (search.public_entries) follows it too.
    assert "Tờ khai cấp phép mới XYZ" in _get(client, "/tim-kiem/?q=XYZ").content.decode()


def test_b_still_follows_its_own_changes(client, two, django_capture_on_commit_callbacks):
    url_b = two["procedure_b"].url
    _get(client, url_b)
    _publish_in_a(two, django_capture_on_commit_callbacks)
    assert _get(client, url_b)["X-Cache"] == "HIT"
    with django_capture_on_commit_callbacks(execute=True):
        publish_new_version(two["form_b"], two["staff_b"], b"B 02", title="Tờ khai khai tử mới")
    response = _get(client, url_b)
    assert response["X-Cache"] == "MISS"
    assert "Tờ khai khai tử mới" in response.content.decode()


def test_a_procedure_linking_another_agencys_form_follows_that_agency(
    client, two, django_capture_on_commit_callbacks
):
    agency_b = two["agency_b"]
    """B's procedure offers A's public form: A's new version must show on B's page at once."""
    assert _get(client, two["form_a"].url)["X-Cache"] == "MISS"
    assert _get(client, two["form_a"].url)["X-Cache"] == "HIT"
    with django_capture_on_commit_callbacks(execute=True):
        shared = make_procedure(
            agency_b, [two["form_a"]], title="Thủ tục dùng mẫu của Sở", code="1.000003"
        )
    _get(client, shared.url)
    assert _get(client, shared.url)["X-Cache"] == "HIT"
    new = _publish_in_a(two, django_capture_on_commit_callbacks, title="Mẫu của Sở bản mới")
    for extra in ({}, FRESH):  # the cached page, and the page data kept for a render
        page = _get(client, shared.url, **extra).content.decode()
        assert "Mẫu của Sở bản mới" in page and new.file.url in page
    # A's form page lists every agency's procedures using it: B's, published after the form
    # page was cached, shows there.
    assert shared.title in _get(client, two["form_a"].url).content.decode()


def test_a_restriction_in_one_agency_closes_its_page_and_leaves_the_other(
    client, two, django_capture_on_commit_callbacks
):
    url_a, url_b = two["procedure_a"].url, two["procedure_b"].url
    _get(client, url_a)
    _get(client, url_b)
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=two["procedure_a"].get_parent(), restriction_type=PageViewRestriction.LOGIN
        )
    assert client.get(url_a).status_code == 302
    assert client.get(url_a, **FRESH).status_code == 302
    assert _get(client, url_b)["X-Cache"] == "HIT"


def test_a_scheduled_version_in_b_takes_effect_on_time(
    client, two, django_capture_on_commit_callbacks
):
    agency_b = two["agency_b"]
    url_b = two["procedure_b"].url
    later = timezone.now() + timedelta(hours=2)
    document = make_file(agency_b, "bm-02-02.pdf", b"B THEO LICH")
    with django_capture_on_commit_callbacks(execute=True):
        new_revision(
            two["form_b"], two["staff_b"][AgencyRole.EDITORS], file=document, go_live_at=later
        )
        run_workflow(two["form_b"], two["staff_b"])
    _get(client, url_b)
    assert _get(client, url_b)["X-Cache"] == "HIT"
    assert document.url not in _get(client, url_b, **FRESH).content.decode()
    _publish_in_a(two, django_capture_on_commit_callbacks)  # A's generations start anew
    assert _get(client, url_b)["X-Cache"] == "HIT"
    with time_machine.travel(later + timedelta(seconds=1)):
        for extra in ({}, FRESH):
            assert document.url in _get(client, url_b, **extra).content.decode()


def test_a_change_outside_every_agency_refreshes_all(
    client, two, django_capture_on_commit_callbacks
):
    url_a, url_b = two["procedure_a"].url, two["procedure_b"].url
    for url in (url_a, url_b):
        _get(client, url)
        assert _get(client, url)["X-Cache"] == "HIT"
    frame = skeleton.site_skeleton_last()
    with django_capture_on_commit_callbacks(execute=True):
        field = ProcedureField.objects.get(name="Hộ tịch")
        field.name = "Hộ tịch và quốc tịch"
        field.save()
    assert not _kept_for(two["procedure_a"]) and not _kept_for(two["procedure_b"])
    for url in (url_a, url_b):
        response = _get(client, url)
        assert response["X-Cache"] == "MISS"
        assert "Hộ tịch và quốc tịch" in response.content.decode()
    assert skeleton.site_skeleton_last() is not frame


def test_the_api_on_an_agencys_own_host_follows_every_agency(
    two, django_capture_on_commit_callbacks
):
    agency_b = two["agency_b"]
    """/api/v1/forms/ on B's host lies under B's URL but lists the whole province's forms."""
    from django.test import Client

    from wagtail.models import Site

    with django_capture_on_commit_callbacks(execute=True):
        Site.objects.create(hostname="b.example.vn", port=80, root_page=agency_b)
    client = Client(HTTP_HOST="b.example.vn")
    url = "/api/v1/forms/"
    _get(client, url)
    assert _get(client, url)["X-Cache"] == "HIT"
    _publish_in_a(two, django_capture_on_commit_callbacks, title="Tờ khai ABCXYZ")
    response = _get(client, url)
    assert response["X-Cache"] == "MISS" and "Tờ khai ABCXYZ" in response.content.decode()


def test_search_names_an_agency_as_it_is_now(two, django_capture_on_commit_callbacks):
    """The agencies search results name are kept for the site's generation: a renamed agency's
    new name shows on the next search."""
    from search.selectors import find_forms

    def agency_named():
        hits = find_forms("Tờ khai đăng ký khai tử").hits
        return [hit.agency.short_name for hit in hits if hit.page.pk == two["form_b"].pk]

    assert agency_named() == ["UBND phường"]
    assert agency_named() == ["UBND phường"]
    with django_capture_on_commit_callbacks(execute=True):
        admin = two["staff_b"][AgencyRole.ADMINISTRATORS]
        new_revision(two["agency_b"], admin, short_name="UBND phường Hòa Bình").publish()
    assert agency_named() == ["UBND phường Hòa Bình"]


def test_a_page_moved_to_another_agency_leaves_the_first_one_at_once(
    client, two, django_capture_on_commit_callbacks
):
    """The agency it left and the one it joined both follow the move: the old address (its route
    and cached page were A's) sends the visitor to the new one at once, which serves it."""
    procedure = two["procedure_a"]
    old_url = procedure.url
    _get(client, old_url)
    assert _get(client, old_url)["X-Cache"] == "HIT"
    with django_capture_on_commit_callbacks(execute=True):
        procedure.move(two["procedure_b"].get_parent(), pos="last-child")
    procedure.refresh_from_db()
    assert procedure.url != old_url
    for extra in (FRESH, {}):
        response = client.get(old_url, **extra)
        assert (response.status_code, response["Location"]) == (301, procedure.url)
    assert "Cấp phép hành nghề" in _get(client, procedure.url).content.decode()
