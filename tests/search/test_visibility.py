"""Only what the reader may see: live pages, current versions, private sections for their staff."""

from wagtail.models import PageViewRestriction

import pytest

from content_types.agency import AgencyRole
from content_types.documents import ControlledDocumentPage, DocumentKind
from content_types.indexes import FormIndexPage
from search.selectors import find_documents, find_forms
from tests.factories import make_form, make_user, quality_system
from tests.search.conftest import publish_form
from workflows.provisioning import INTERNAL_AUDITORS, PROVINCE_ADMINS, province_groups

pytestmark = pytest.mark.django_db


def publish_document(agency, title, code):
    page = ControlledDocumentPage(title=title, kind=DocumentKind.MANUAL, code=code, body="<p>x</p>")
    quality_system(agency).add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def documents(agency_a, agency_b):
    return {
        "A": publish_document(agency_a, "Sổ tay chất lượng Sở Tư pháp", "ST.01-A"),
        "B": publish_document(agency_b, "Sổ tay chất lượng UBND phường", "ST.01-B"),
    }


def found(results):
    return {hit.page.pk for hit in results.hits}


def test_drafts_are_never_found_even_by_their_author(agency_a, staff_a):
    make_form(agency_a, staff_a[AgencyRole.EDITORS], title="Tờ khai nháp chưa duyệt", code="BM.99")
    assert find_forms("to khai nhap").total == 0
    assert find_forms("BM.99", user=staff_a[AgencyRole.EDITORS]).total == 0


def test_an_unpublished_form_disappears_from_search(agency_a, staff_a):
    form = publish_form(agency_a, staff_a, "rut", "Tờ khai đã rút", "BM.98")
    assert found(find_forms("to khai da rut")) == {form.pk}
    form.unpublish()
    assert find_forms("to khai da rut").total == 0


def test_public_search_never_returns_private_documents(documents):
    assert find_documents("so tay chat luong").total == 0


def test_staff_see_their_own_agency_private_documents_only(documents, staff_a, staff_b):
    assert found(find_documents("so tay", user=staff_a[AgencyRole.EDITORS])) == {documents["A"].pk}
    assert found(find_documents("so tay", user=staff_b[AgencyRole.APPROVERS])) == {
        documents["B"].pk
    }
    assert find_documents("ST.01-B", user=staff_a[AgencyRole.ADMINISTRATORS]).total == 0


def test_province_administrators_and_auditors_see_every_agency(documents):
    groups = province_groups()
    for name in (PROVINCE_ADMINS, INTERNAL_AUDITORS):
        user = make_user(f"u-{len(name)}", groups[name])
        assert found(find_documents("so tay", user=user)) == {d.pk for d in documents.values()}


def test_a_user_without_an_agency_sees_no_private_document(documents):
    outsider = make_user("outsider")
    assert find_documents("so tay", user=outsider).total == 0


def test_forms_in_a_private_section_stay_out_of_public_search(agency_a, agency_b, staff_a, staff_b):
    public = publish_form(agency_a, staff_a, "pub", "Tờ khai công khai", "BM.50")
    hidden = publish_form(agency_b, staff_b, "hid", "Tờ khai công khai nội bộ", "BM.51")
    index_b = agency_b.get_children().type(FormIndexPage).first()
    restriction = PageViewRestriction.objects.create(
        page=index_b, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([agency_b.role_group(AgencyRole.EDITORS)])
    assert found(find_forms("to khai cong khai")) == {public.pk}
    assert found(find_forms("to khai cong khai", user=staff_b[AgencyRole.EDITORS])) == {
        public.pk,
        hidden.pk,
    }
    assert found(find_forms("to khai cong khai", user=staff_a[AgencyRole.EDITORS])) == {public.pk}


def test_public_search_page_hides_private_pages_from_signed_in_staff(client, agency_b, staff_b):
    hidden = publish_form(agency_b, staff_b, "hid", "Tờ khai riêng tư", "BM.52")
    restriction = PageViewRestriction.objects.create(
        page=agency_b.get_children().type(FormIndexPage).first(),
        restriction_type=PageViewRestriction.LOGIN,
    )
    assert restriction.pk
    client.force_login(staff_b[AgencyRole.EDITORS])
    response = client.get("/tim-kiem/", {"q": "to khai rieng tu"})
    assert response.status_code == 200
    assert hidden.title not in response.content.decode()


def test_admin_search_shows_own_agency_private_documents_only(client, documents, staff_a):
    client.force_login(staff_a[AgencyRole.EDITORS])
    response = client.get("/admin/tim-kiem-iso/", {"q": "so tay chat luong", "loai": "tai-lieu"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sổ tay chất lượng Sở Tư pháp" in html
    assert "Sổ tay chất lượng UBND phường" not in html


def test_admin_search_needs_a_signed_in_user(client, documents):
    response = client.get("/admin/tim-kiem-iso/", {"q": "so tay", "loai": "tai-lieu"})
    assert response.status_code == 302
