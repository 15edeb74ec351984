"""Editing rules of forms: the code is unique within the agency, the file is the agency's own."""

from django.core.files.base import ContentFile
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from content_types.agency import AgencyRole
from content_types.documents import FormDocumentPage
from content_types.indexes import FormIndexPage
from tests.factories import make_form

EDITORS = AgencyRole.EDITORS


def _add_form(client, agency, **fields):
    index = agency.get_children().type(FormIndexPage).first()
    data = {
        "title": "Tờ khai mới",
        "slug": "to-khai-moi",
        "code": "BM.01",
        "change_summary": "",
        "file": "",
        "legal_basis": "",
        "comments": inline_formset([]),
    }
    data.update(fields)
    url = reverse("wagtailadmin_pages:add", args=["content_types", "formdocumentpage", index.pk])
    return client.post(url, nested_form_data(data))


def test_code_is_unique_within_the_agency(client, agency_a, agency_b, staff_a, staff_b):
    make_form(agency_a, staff_a[EDITORS], code="BM.01", title="Đơn đề nghị")
    client.force_login(staff_a[EDITORS])
    response = _add_form(client, agency_a, code=" bm.01 ")
    assert response.status_code == 200
    assert "Mã hiệu «bm.01» đã được dùng cho «Đơn đề nghị» trong cơ quan này." in (
        response.content.decode()
    )
    assert FormDocumentPage.objects.descendant_of(agency_a).count() == 1

    # Another agency may use the same code.
    client.force_login(staff_b[EDITORS])
    assert _add_form(client, agency_b, code="BM.01").status_code == 302
    assert FormDocumentPage.objects.descendant_of(agency_b).count() == 1


def test_file_must_come_from_the_agencys_collection(client, agency_a, agency_b, staff_a):
    foreign = get_document_model()(title="Tệp của cơ quan khác", collection=agency_b.collection)
    foreign.file.save("khac.pdf", ContentFile(b"%PDF-1.4\n%%EOF"), save=False)
    foreign.save()
    client.force_login(staff_a[EDITORS])
    response = _add_form(client, agency_a, file=foreign.pk)
    assert response.status_code == 200
    assert "Tệp phải nằm trong thư mục tài liệu của cơ quan" in response.content.decode()
    assert not FormDocumentPage.objects.exists()
