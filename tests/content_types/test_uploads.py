"""Upload rules: allowed extensions, 20 MB, content matching the extension, attachments."""

import io
import zipfile
from pathlib import Path

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.documents import get_document_model

import pytest

from content_types.uploads import (
    ALLOWED_EXTENSIONS,
    MAX_UPLOAD_BYTES,
    megabytes_text,
    upload_check,
    upload_problem,
)
from fixtures.demo_forms import pdf_bytes
from tests.security.samples import excel97, word97

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            compress = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=compress)
    return buffer.getvalue()


def _ooxml(part: str, content_type: str = "document.main+xml", extra=()) -> bytes:
    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'content-types"><Override PartName="/{part}" ContentType="application/'
        f'vnd.openxmlformats-officedocument.{content_type}"/></Types>'
    )
    return _zip([("[Content_Types].xml", types.encode()), (part, b"<x/>"), *extra])


def _odf(kind: str) -> bytes:
    mimetype = f"application/vnd.oasis.opendocument.{kind}".encode()
    return _zip([("mimetype", mimetype), ("content.xml", b"<x/>")])


PDF = pdf_bytes(["Quy trình"])  # a real PDF: the rule parses it
VALID = {
    "quy-trinh.pdf": PDF,
    "bieu-mau.docx": _ooxml("word/document.xml", "wordprocessingml.document.main+xml"),
    "so-theo-doi.xlsx": _ooxml("xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
    "van-ban.odt": _odf("text"),
    "bang-tinh.ods": _odf("spreadsheet"),
    "cu.doc": word97(),
    "cu.xls": excel97(),
}
OVERSIZE = 22_334_668  # 21.3 MB
# name, content, the reason the message must give
REFUSED = [
    pytest.param(
        "gia-mao.pdf",
        b"<!DOCTYPE html><html><script>x()</script>",
        "không khớp đuôi .pdf",
        id="html-as-pdf",
    ),
    pytest.param("cai-dat.exe", b"MZ\x90\x00" + bytes(60), "có phần mở rộng .exe", id="exe"),
    pytest.param(
        "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "có phần mở rộng .svg", id="svg"
    ),
    pytest.param("macro.docm", _ooxml("word/document.xml"), "có phần mở rộng .docm", id="docm"),
    pytest.param(
        "lon.pdf",
        b"%PDF-1.4\n" + bytes(OVERSIZE - 9),
        "Tệp 21,3 MB vượt giới hạn 20 MB",
        id="over-20mb",
    ),
    pytest.param("rong.pdf", b"", "rỗng (0 byte)", id="empty"),
    pytest.param(
        "macro.docx",
        _ooxml("word/document.xml", extra=[("word/vbaProject.bin", b"\x00" * 16)]),
        "chứa macro",
        id="docx-with-vba",
    ),
    pytest.param("hai-duoi.pdf.exe", PDF, "có phần mở rộng .exe", id="double-extension"),
]


def _problem(name: str, content: bytes) -> str | None:
    return upload_problem(name=name, size=len(content), stream=io.BytesIO(content))


# The pure rule


@pytest.mark.parametrize(("name", "content"), VALID.items(), ids=list(VALID))
def test_valid_files_pass(name, content):
    assert _problem(name, content) is None


@pytest.mark.parametrize(("name", "content", "reason"), REFUSED)
def test_refused_files_name_the_reason(name, content, reason):
    assert reason in _problem(name, content)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("khong-duoi", PDF, "không có phần mở rộng"),
        ("zip-gia.docx", b"PK\x03\x04" + bytes(40), "gói ZIP bị hỏng"),
        ("thieu-types.docx", _zip([("word/document.xml", b"<x/>")]), "[Content_Types].xml"),
        ("la-xlsx.docx", VALID["so-theo-doi.xlsx"], "thiếu phần word/"),
        ("macro.xlsx", _ooxml("xl/workbook.xml", "sheet.macroEnabled.main+xml"), "chứa macro"),
        ("la-ods.odt", VALID["bang-tinh.ods"], "opendocument.spreadsheet"),
        ("khong-mimetype.odt", _zip([("content.xml", b"<x/>")]), "mimetype"),
        ("docx-doi-ten.odt", VALID["bieu-mau.docx"], "mimetype"),
        ("html.doc", b"<html></html>", "97-2003"),
        ("pdf-doi-ten.xls", PDF, "97-2003"),
        ("docx-doi-ten.pdf", VALID["bieu-mau.docx"], "%PDF-"),
    ],
)
def test_content_must_match_extension(name, content, reason):
    assert reason in _problem(name, content)


def test_extension_is_case_insensitive_and_message_lists_allowed():
    assert _problem("QUY-TRINH.PDF", PDF) is None
    message = _problem("anh.png", b"\x89PNG")
    assert ".pdf, .doc, .docx, .xls, .xlsx, .odt, .ods" in message


def test_stream_is_left_where_it_was():
    stream = io.BytesIO(VALID["bieu-mau.docx"])
    stream.seek(5)
    upload_problem(name="a.docx", size=len(stream.getvalue()), stream=stream)
    assert stream.tell() == 5


@pytest.mark.parametrize(
    ("size", "text"),
    [(MAX_UPLOAD_BYTES, "20 MB"), (MAX_UPLOAD_BYTES + 1, "20,1 MB"), (OVERSIZE, "21,3 MB")],
)
def test_megabytes_text(size, text):
    assert megabytes_text(size) == text


def test_exactly_20_mb_is_accepted():
    content = PDF + b"%" * (MAX_UPLOAD_BYTES - len(PDF))  # a comment pads it to the limit
    assert _problem("vua-du.pdf", content) is None


def test_upload_check_raises_validation_error():
    with pytest.raises(ValidationError) as refused:
        upload_check(SimpleUploadedFile("gia-mao.pdf", b"<html></html>"))
    assert refused.value.code == "upload_refused"


def test_settings_agree_with_the_rule():
    assert list(django_settings.WAGTAILDOCS_EXTENSIONS) == list(ALLOWED_EXTENSIONS)
    assert django_settings.WAGTAILDOCS_MAX_UPLOAD_SIZE == MAX_UPLOAD_BYTES
    assert django_settings.WAGTAILDOCS_INLINE_CONTENT_TYPES == []


# Through the Wagtail admin, as an agency editor


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def editor_client(client, staff_a):
    client.force_login(staff_a["editors"])
    return client


def _stored_files(media_root: Path) -> list[Path]:
    return sorted(path for path in media_root.rglob("*") if path.is_file())


def _add(client, agency, name: str, content: bytes):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": name,
            "collection": agency.collection.pk,
            "file": SimpleUploadedFile(name, content),
        },
    )


def _add_multiple(client, agency, name: str, content: bytes):
    return client.post(
        reverse("wagtaildocs:add_multiple"),
        {"collection": agency.collection.pk, "files[]": SimpleUploadedFile(name, content)},
    )


@pytest.mark.parametrize(("name", "content", "reason"), REFUSED)
def test_add_view_refuses(editor_client, agency_a, media_root, name, content, reason):
    Document = get_document_model()
    before = Document.objects.count()

    response = _add(editor_client, agency_a, name, content)

    assert response.status_code == 200  # the form again, with the reason
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1
    assert reason in errors[0]
    assert reason in response.content.decode()
    assert Document.objects.count() == before
    assert _stored_files(media_root) == []


@pytest.mark.parametrize(("name", "content", "reason"), REFUSED)
def test_multiple_upload_refuses(editor_client, agency_a, media_root, name, content, reason):
    Document = get_document_model()
    before = Document.objects.count()

    response = _add_multiple(editor_client, agency_a, name, content)

    assert response.status_code == 200
    data = response.json()
    assert data["success"] is False
    assert reason in data["error_message"]
    assert Document.objects.count() == before
    assert _stored_files(media_root) == []


@pytest.mark.parametrize(("name", "content"), VALID.items(), ids=list(VALID))
def test_add_view_accepts(editor_client, agency_a, media_root, name, content):
    response = _add(editor_client, agency_a, name, content)

    assert response.status_code == 302
    document = get_document_model().objects.get(title=name)
    assert document.collection == agency_a.collection
    assert document.file.read() == content


@pytest.mark.parametrize(("name", "content"), VALID.items(), ids=list(VALID))
def test_multiple_upload_accepts(editor_client, agency_a, media_root, name, content):
    response = _add_multiple(editor_client, agency_a, name, content)

    assert response.json()["success"] is True
    assert get_document_model().objects.filter(collection=agency_a.collection).count() == 1


def test_edit_view_refuses_a_bad_replacement(editor_client, agency_a, media_root):
    _add(editor_client, agency_a, "quy-trinh.pdf", PDF)
    document = get_document_model().objects.get()
    stored = _stored_files(media_root)

    response = editor_client.post(
        reverse("wagtaildocs:edit", args=[document.pk]),
        {
            "title": document.title,
            "collection": agency_a.collection.pk,
            "file": SimpleUploadedFile("quy-trinh.pdf", b"<html>gia mao</html>"),
        },
    )

    assert response.status_code == 200
    assert "không khớp đuôi .pdf" in response.context["form"].errors["file"][0]
    document.refresh_from_db()
    assert document.file.read() == PDF
    assert _stored_files(media_root) == stored


def test_served_through_the_serve_view_as_an_attachment(editor_client, agency_a, media_root):
    _add(editor_client, agency_a, "quy-trinh.pdf", PDF)
    document = get_document_model().objects.get()

    assert document.url.startswith("/documents/")
    assert not document.url.startswith(django_settings.MEDIA_URL)
    response = editor_client.get(document.url)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF
