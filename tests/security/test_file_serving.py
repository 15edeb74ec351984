"""Who gets which file (issue 11): drafts, private and obsolete files for anonymous visitors,
another agency and the agency's own staff; the media folder never serves documents."""

from __future__ import annotations

from django.core.files.base import ContentFile

from wagtail.documents import get_document_model

import pytest

from content_types.agency import AgencyRole
from fixtures.demo_forms import pdf_bytes
from tests.factories import make_draft_document, make_form, new_revision, run_workflow

EDITORS, REVIEWERS = AgencyRole.EDITORS, AgencyRole.REVIEWERS


def _file(agency, name: str, text: str):
    document = get_document_model()(title=name, collection=agency.collection)
    document.file.save(name, ContentFile(pdf_bytes([text])), save=False)
    document.save()
    return document


@pytest.fixture
def files(agency_a, staff_a):
    editor = staff_a[EDITORS]
    old = _file(agency_a, "to-khai-cu.pdf", "LẦN 1")
    current = _file(agency_a, "to-khai-moi.pdf", "LẦN 2")
    draft_file = _file(agency_a, "to-khai-nhap.pdf", "BẢN NHÁP")
    form = make_form(agency_a, editor, file=old)
    run_workflow(form, staff_a)
    new_revision(form, editor, file=current)
    run_workflow(form, staff_a)
    new_revision(form, editor, file=draft_file)  # a draft's new file: no issued version

    attachment = _file(agency_a, "phu-luc-noi-bo.pdf", "NỘI BỘ")
    private = make_draft_document(agency_a, editor, title="Sổ tay nháp")
    private.attachment = attachment
    private.save_revision(user=editor)

    unpublished_form = make_form(agency_a, editor, code="BM.02", title="Tờ khai chưa ban hành")
    unpublished_file = _file(agency_a, "chua-ban-hanh.pdf", "CHƯA BAN HÀNH")
    unpublished_form.file = unpublished_file
    unpublished_form.save_revision(user=editor)
    return {
        "old": old,
        "current": current,
        "draft": draft_file,
        "private": attachment,
        "unpublished": unpublished_file,
        "form": form,
    }


def _get(client, user, document):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(document.url)


def _is_file(response) -> bool:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code == 200 and body.startswith(b"%PDF")


@pytest.mark.parametrize("kind", ["draft", "private", "unpublished"])
def test_files_of_no_issued_version_are_for_the_agency_only(client, files, staff_a, staff_b, kind):
    document = files[kind]
    for who, user in (("ẩn danh", None), *((f"B {r}", u) for r, u in staff_b.items())):
        response = _get(client, user, document)
        assert not _is_file(response), f"{kind} file served to {who}"
        assert response.status_code in (302, 403), (who, response.status_code)
        if response.status_code == 403:
            assert "Không có quyền truy cập" in response.content.decode()
    for role in (EDITORS, REVIEWERS):
        assert _is_file(_get(client, staff_a[role], document)), f"{kind} refused to A {role}"


def test_obsolete_file_tells_visitors_where_the_current_version_is(client, files, staff_b):
    for user in (None, staff_b[EDITORS]):
        response = _get(client, user, files["old"])
        assert response.status_code == 410
        html = response.content.decode()
        assert "đã hết hiệu lực" in html
        assert f'href="{files["form"].url}"' in html
        assert b"%PDF" not in response.content


def test_own_staff_get_the_obsolete_file_stamped(client, files, staff_a):
    response = _get(client, staff_a[REVIEWERS], files["old"])
    assert _is_file(response)
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''HET-HIEU-LUC")


def test_current_file_is_public(client, files):
    assert _is_file(_get(client, None, files["current"]))


def test_media_folder_never_serves_documents(client, files, staff_a):
    from wagtail.images import get_image_model

    from tests.security.marked import PNG

    client.force_login(staff_a[EDITORS])
    documents = [f for f in files.values() if isinstance(f, get_document_model())]
    for document in documents:
        for path in (
            f"/media/{document.file.name}",
            f"/media/images/../{document.file.name}",
            f"/media/images/%2e%2e/{document.file.name}",
        ):
            response = client.get(path)
            assert response.status_code == 404, path
            assert b"%PDF" not in response.content
    image = get_image_model().objects.create(
        title="Logo",
        file=ContentFile(PNG, name="logo.png"),
        collection=staff_a and files["old"].collection,
    )
    response = client.get(f"/media/{image.file.name}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
