"""Downloading a form's files: current for everyone, obsolete stamped and for staff only."""

from datetime import timedelta
from io import BytesIO

from django.core.files.base import ContentFile
from django.utils import timezone

from wagtail.documents import get_document_model

import pytest
from pypdf import PdfReader

from content_types.agency import AgencyRole
from fixtures.demo_forms import pdf_bytes
from tests.factories import make_form, new_revision, run_workflow

EDITORS = AgencyRole.EDITORS


def _file(agency, name: str, content: bytes):
    document = get_document_model()(title=name, collection=agency.collection)
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


@pytest.fixture
def history(agency_a, staff_a):
    """A form whose first file (PDF) and first .docx are obsolete, second PDF current, third
    version scheduled."""
    editor = staff_a[EDITORS]
    v1 = _file(agency_a, "to-khai-lan-1.pdf", pdf_bytes(["TỜ KHAI LẦN 1", "trang 1"]))
    v2 = _file(agency_a, "to-khai-lan-2.pdf", pdf_bytes(["TỜ KHAI LẦN 2"]))
    v3 = _file(agency_a, "to-khai-lan-3.pdf", pdf_bytes(["TỜ KHAI LẦN 3"]))
    form = make_form(agency_a, editor, file=v1)
    run_workflow(form, staff_a)
    new_revision(form, editor, file=v2)
    run_workflow(form, staff_a)
    new_revision(form, editor, file=v3, go_live_at=timezone.now() + timedelta(days=2))
    run_workflow(form, staff_a)
    return {"obsolete": v1, "current": v2, "scheduled": v3, "form": form}


def _text(response) -> list[str]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return [page.extract_text() for page in PdfReader(BytesIO(body)).pages]


def test_current_file_is_public_and_unstamped(client, history):
    response = client.get(history["current"].url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "HẾT HIỆU LỰC" not in " ".join(_text(response))


@pytest.mark.parametrize("kind", ["obsolete", "scheduled"])
def test_obsolete_and_pending_files_are_refused_to_the_public(client, history, kind):
    response = client.get(history[kind].url)
    assert response.status_code in (302, 403, 410)
    assert b"%PDF" not in response.content


def test_staff_get_the_obsolete_pdf_stamped_on_every_page(client, history, staff_a):
    client.force_login(staff_a[AgencyRole.REVIEWERS])
    response = client.get(history["obsolete"].url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    superseded = timezone.localdate().strftime("%d/%m/%Y")
    for text in _text(response):
        assert "HẾT HIỆU LỰC" in text
        assert superseded in text
        assert "TỜ KHAI LẦN 1" in text


def test_editor_of_another_agency_cannot_open_obsolete_files(client, history, staff_b):
    client.force_login(staff_b[EDITORS])
    for kind in ("obsolete", "scheduled"):
        response = client.get(history[kind].url)
        assert response.status_code in (302, 403, 410), kind
    # The current one is public anyway.
    assert client.get(history["current"].url).status_code == 200


def test_obsolete_word_file_is_for_staff_only_and_unchanged(client, agency_a, staff_a, staff_b):
    editor = staff_a[EDITORS]
    docx = _file(agency_a, "mau.docx", b"PK\x03\x04 docx bytes")
    pdf = _file(agency_a, "mau.pdf", pdf_bytes(["MẪU MỚI"]))
    form = make_form(agency_a, editor, code="BM.30", file=docx)
    run_workflow(form, staff_a)
    new_revision(form, editor, file=pdf)
    run_workflow(form, staff_a)

    client.force_login(staff_b[EDITORS])
    assert client.get(docx.url).status_code in (302, 403, 410)
    client.force_login(editor)
    response = client.get(docx.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK\x03\x04 docx bytes"


def test_quality_policy_file_is_public_other_quality_files_are_not(client, agency_a, staff_a):
    from content_types.documents import DocumentKind
    from tests.factories import make_draft_document

    editor = staff_a[EDITORS]
    files = {}
    for kind in (DocumentKind.POLICY, DocumentKind.MANUAL):
        files[kind] = _file(agency_a, f"{kind}.pdf", pdf_bytes([kind]))
        page = make_draft_document(agency_a, editor, title=f"Tài liệu {kind}")
        page.kind, page.attachment, page.code = kind, files[kind], f"TL-{kind}"
        page.save_revision(user=editor)
        run_workflow(page, staff_a)

    assert client.get(files[DocumentKind.POLICY].url).status_code == 200
    assert client.get(files[DocumentKind.MANUAL].url).status_code in (302, 403)
