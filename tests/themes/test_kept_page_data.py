"""A page served again comes from what the process kept for the current public generation
(themes.routing's pages by URL, content_types.public's procedure data), and every committed
change replaces it at once.

The other public-site tests publish inside the test's transaction, which never commits, so they
always read the database. Here every step commits, as in production.
"""

from __future__ import annotations

from urllib.parse import quote

from django.test import Client

from wagtail.models import Site

import pytest

from content_types.agency import AgencyRole
from content_types.procedures import ProcedurePage
from content_types.public import _procedure_data
from tests.factories import make_agency, make_home, make_staff, new_revision, restore_baseline
from tests.themes.builders import make_procedure, publish_form, publish_new_version
from themes import public_helpers as form_download
from themes import routing

pytestmark = pytest.mark.django_db(transaction=True)

FRESH = {"HTTP_CACHE_CONTROL": "no-cache"}  # past the response cache: a render every time


@pytest.fixture
def site():
    restore_baseline()  # what the previous transactional test's flush removed
    home = make_home()
    agency = make_agency(home, "STP", title="Sở Tư pháp tỉnh Thử", short_name="Sở Tư pháp")
    staff = make_staff(agency, "stp")
    form = publish_form(agency, staff, "BM.01", "Tờ khai đăng ký khai sinh", b"LAN 01")
    procedure = make_procedure(agency, [form])
    return {"agency": agency, "staff": staff, "form": form, "procedure": procedure}


def page_text(client: Client, url: str) -> str:
    response = client.get(url, **FRESH)
    assert response.status_code == 200
    return response.content.decode()


def kept_paths() -> list[str]:
    return [url_path for _site, url_path in routing._pages.held()]


def kept() -> bool:
    return bool(routing._pages.held()) and bool(_procedure_data.held())


def test_a_page_served_again_follows_every_committed_change(site):
    client = Client()
    url = site["procedure"].url
    first = page_text(client, url)
    assert site["form"].file.url in first and kept()
    assert site["procedure"].url_path in kept_paths()
    assert page_text(client, url) == first

    # A new version of the form takes effect: the page offers it, and only it.
    form = publish_new_version(site["form"], site["staff"], b"LAN 02", title="Tờ khai khai sinh")
    page = page_text(client, url)
    assert form.file.url in page and site["form"].file.url not in page
    assert "Lần ban hành 02" in page and kept()

    # The procedure itself is changed and published again.
    procedure = ProcedurePage.objects.get(pk=site["procedure"].pk)
    procedure.title = "Đăng ký khai sinh lưu động"
    procedure.save_revision().publish(skip_permission_checks=True)
    page = page_text(client, url)
    assert "Đăng ký khai sinh lưu động" in page

    procedure.unpublish()
    assert client.get(url, **FRESH).status_code == 404
    assert site["procedure"].url_path not in kept_paths()  # a missing page is not kept


def test_a_draft_never_reaches_the_public_page_and_its_preview_shows_it(site):
    client = Client()
    url = site["procedure"].url
    page_text(client, url)  # the live page is kept
    assert kept()
    procedure = ProcedurePage.objects.get(pk=site["procedure"].pk)
    draft = procedure.get_latest_revision_as_object()
    steps = list(draft.process_steps.all())
    steps[0].task = "Bước nháp chưa được duyệt"
    draft.process_steps = steps
    draft.title = "Tiêu đề nháp"
    draft.save_revision(user=site["staff"][AgencyRole.EDITORS])

    page = page_text(client, url)
    assert "Bước nháp chưa được duyệt" not in page and "Tiêu đề nháp" not in page
    preview = draft.make_preview_request()
    preview.render()
    assert "Bước nháp chưa được duyệt" in preview.content.decode()


def test_a_new_draft_of_a_form_changes_nothing_until_it_is_approved(site):
    client = Client()
    url = site["procedure"].url
    before = page_text(client, url)
    new_revision(site["form"], site["staff"][AgencyRole.EDITORS], title="Tờ khai nháp")
    assert page_text(client, url) == before


def test_a_form_block_kept_for_one_site_is_not_reused_on_another(site):
    """A form's download block links to the form's page: relative on the site the visitor is
    on, absolute on another, so what is kept for the portal never serves the agency's host."""
    agency, form, procedure = site["agency"], site["form"], site["procedure"]
    Site.objects.create(hostname="stp.example.vn", port=80, root_page=agency)

    def path_under(root, page) -> str:  # as Wagtail writes it in a link
        return quote(page.url_path[len(root.url_path) - 1 :])

    portal = agency.get_parent()
    on_portal = page_text(Client(), path_under(portal, procedure))
    assert f'class="form-info" href="{path_under(portal, form)}"' in on_portal
    on_agency_site = page_text(Client(HTTP_HOST="stp.example.vn"), path_under(agency, procedure))
    assert f'class="form-info" href="{path_under(agency, form)}"' in on_agency_site
    assert path_under(portal, form) not in on_agency_site
    assert form_download._downloads.held()
