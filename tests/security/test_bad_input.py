"""The bad-input catalogue (issue 11): each case gets a clear Vietnamese message, no server
error, and stores nothing.

Public and API requests are anonymous; uploads and admin forms are sent by agency A's own staff
(who may use those screens), so each refusal is the rule's, not a permission check's.
"""

from __future__ import annotations

import json
import re

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision
from wagtail.test.utils.form_data import querydict_from_html

import pytest

from content_types.agency import AgencyRole
from content_types.procedures import ProcedurePageForm
from content_types.versions import DocumentVersion
from fixtures.demo_forms import pdf_bytes
from tests.factories import make_form, run_workflow
from tests.themes.builders import make_procedure, publish_form

from .samples import excel97, pdf_with, word97

VIETNAMESE = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE
)
# Common English refusals of Django, Wagtail and DRF: none may reach a Vietnamese user in an
# answer to bad input (Wagtail's banners, Django's validators, the CSRF page, error pages).
ENGLISH_REFUSALS = (
    "This field",
    "Ensure this value",
    "CSRF verification failed",
    "Forbidden",
    "Not Found",
    "Server Error",
    "Please correct",
    "Please enter",
    "Please try again",
    "could not be",
    "not allowed",
    "Null characters",
    "Enter a valid",
    "Select a valid",
    "Upload a valid",
    "is not a valid",
    "already exists",
    "is required",
    "must be",
    "Not a supported",
    "didn't match",
    "due to errors",
    "Invalid",
)
HUGE = "9" * 20  # beyond every integer column
LONG = "a" * 10_000


def stored_counts() -> tuple:
    return (
        Page.objects.count(),
        Revision.objects.count(),
        get_document_model().objects.count(),
        get_image_model().objects.count(),
        get_user_model().objects.count(),
        ProcedurePageForm.objects.count(),
        DocumentVersion.objects.count(),
    )


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode(errors="replace")


def assert_refused_in_vietnamese(response, expected: str | None = None) -> None:
    assert response.status_code < 500, response.status_code
    text = _text(response)
    if expected is not None:
        assert expected in text, f"{expected!r} not in the answer:\n{text[:2000]}"
    assert VIETNAMESE.search(text), text[:500]
    for english in ENGLISH_REFUSALS:
        assert english not in text, f"English refusal {english!r} in the answer"


# --------------------------------------------------------------------------------------------
# Public pages and the API, anonymous
# --------------------------------------------------------------------------------------------

FTS_OPERATORS = [
    '"',
    '"mau',
    "NEAR(mau to",
    "mau OR",
    "*",
    "AND NOT",
    "^mau",
    "title:mau",
    "(((",
    "-",
]

PUBLIC_CASES = [
    (f"/api/v1/procedures/{HUGE}/", 404, "Không có thủ tục"),
    (f"/api/v1/forms/{HUGE}/", 404, "Không có biểu mẫu"),
    (f"/api/v1/procedures/?page={HUGE}", 400, "Tham số page"),
    ("/api/v1/forms/?page_size=0", 400, "Tham số page_size"),
    ("/api/v1/forms/?page=abc", 400, "Tham số page"),
    ("/api/v1/procedures/?agency=%00", 400, "ký tự rỗng"),
    (f"/api/v1/agencies/{LONG}/", 404, "Không có cơ quan"),
    (f"/api/v1/procedures/?field={LONG}", 200, None),
    (f"/api/v1/tim-kiem/bieu-mau/?agency={HUGE}", 200, None),
    (f"/api/v1/tim-kiem/bieu-mau/?field={HUGE}", 200, None),
    (f"/api/v1/tim-kiem/thu-tuc/?agency={HUGE}&field={HUGE}", 200, None),
    (f"/api/v1/tim-kiem/bieu-mau/?page={HUGE}", 200, None),
    (f"/api/v1/tim-kiem/bieu-mau/?q={LONG}", 200, None),
    ("/api/v1/tim-kiem/bieu-mau/?q=mau%00to", 200, None),
    *[(f"/api/v1/tim-kiem/bieu-mau/?q={op}", 200, None) for op in FTS_OPERATORS],
    *[(f"/tim-kiem/?q={op}", 200, None) for op in FTS_OPERATORS[:5]],
    (f"/tim-kiem/?q={LONG}", 200, None),
    ("/tim-kiem/?q=%00", 200, None),
    (f"/tim-kiem/?agency={HUGE}&page={HUGE}", 200, None),
    ("/khong-co-trang-nay/", 404, "Không tìm thấy trang"),
    (f"/documents/{HUGE}/to-khai.pdf", 404, "Không tìm thấy trang"),
]


@pytest.fixture
def public_forms(agency_a, staff_a):
    form = publish_form(agency_a, staff_a, "BM.01", "Tờ khai đăng ký kết hôn", pdf_bytes(["BM"]))
    make_procedure(agency_a, [form])


@pytest.mark.parametrize(("url", "status", "expected"), PUBLIC_CASES)
def test_public_bad_input(client, public_forms, url, status, expected):
    before = stored_counts()
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, _text(response)[:300])
    if status == 200 and response["Content-Type"].startswith("application/json"):
        json.loads(_text(response))  # an answer (no match), not an error
    else:
        assert_refused_in_vietnamese(response, expected)
    assert stored_counts() == before


@pytest.mark.parametrize("url", ["/api/v1/forms/", "/api/v1/tim-kiem/bieu-mau/?q=mau"])
def test_api_post_gets_no_english_csrf_page(db, url):
    client = Client(enforce_csrf_checks=True)
    before = stored_counts()
    response = client.post(url, {"q": "x"})
    assert response.status_code in (200, 405)
    assert_refused_in_vietnamese(response) if response.status_code == 405 else None
    assert b"CSRF" not in response.content
    assert stored_counts() == before


# --------------------------------------------------------------------------------------------
# Uploads, by A's own editor
# --------------------------------------------------------------------------------------------

PDF = pdf_bytes(["Tờ khai"])
UPLOAD_CASES = [
    ("qua-lon.pdf", PDF + b"%" * (21 * 1024 * 1024), "vượt giới hạn 20 MB"),
    ("rong.pdf", b"", "rỗng (0 byte)"),
    ("dai-" + "a" * 300 + ".pdf", PDF, "vượt giới hạn 200 ký tự"),
    ("trang-web.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>", "mã trang web"),
    (
        "javascript.pdf",
        pdf_with(b"/Names<</JavaScript<</Names[(a) 4 0 R]>>>>"),
        "mã JavaScript",
    ),
    (
        "launch.pdf",
        pdf_with(b"/OpenAction<</S/Launch/F(cmd.exe)>>"),
        "lệnh chạy chương trình",
    ),
    (
        "mo-tep-chay-lenh.pdf",
        pdf_with(b"/OpenAction<</S/J#61vaScript/JS(app.alert(1))>>"),
        "mã JavaScript",
    ),
    ("tep-nhung.pdf", pdf_with(b"/Names<</EmbeddedFiles<</Names[]>>>>"), "tệp nhúng"),
    ("bieu-mau.doc", word97(macros=True), "chứa macro"),
    ("bang-tinh.xls", excel97(macros=True), "chứa macro"),
    ("gia-doc.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "Microsoft Office 97-2003"),
    ("chuong-trinh.exe", b"MZ\x90\x00", "chỉ nhận các tệp"),
    ("khong-phai-pdf.pdf", b"GIF89a", "không bắt đầu bằng"),
]


@pytest.fixture
def editor_a(client, staff_a):
    client.force_login(staff_a[AgencyRole.EDITORS])
    return client


@pytest.mark.parametrize(
    ("name", "content", "expected"), UPLOAD_CASES, ids=range(len(UPLOAD_CASES))
)
def test_upload_bad_input(editor_a, agency_a, name, content, expected):
    before = stored_counts()
    response = editor_a.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Tệp thử",
            "collection": agency_a.collection_id,
            "file": SimpleUploadedFile(name, content),
        },
    )
    assert_refused_in_vietnamese(response, expected)
    assert stored_counts() == before


@pytest.mark.parametrize(
    "name", ["ten\x00rong.pdf", "hop-dong\u202efdp.exe.pdf", "xuong\r\ndong.pdf", "\u200b.pdf"]
)
def test_invisible_characters_never_reach_a_stored_name(editor_a, agency_a, name):
    """Django removes unprintable characters from an upload's name before the application sees
    it (MultiPartParser.sanitize_file_name); the upload rule refuses them wherever a name comes
    from elsewhere (content_types.uploads.name_problem). Either way no stored name, and no title,
    can read differently from what it is."""
    from content_types.uploads import name_problem

    assert name_problem(name) is not None
    response = editor_a.post(
        reverse("wagtaildocs:add"),
        {
            "title": name,
            "collection": agency_a.collection_id,
            "file": SimpleUploadedFile(name, PDF),
        },
    )
    assert response.status_code < 500
    for document in get_document_model().objects.all():
        shown = document.file.name + document.title
        assert all(ch.isprintable() for ch in shown), repr(shown)


def test_an_ordinary_upload_still_passes(editor_a, agency_a):
    for name, content in (("to-khai.pdf", PDF), ("to-khai.doc", word97()), ("so.xls", excel97())):
        response = editor_a.post(
            reverse("wagtaildocs:add"),
            {
                "title": name,
                "collection": agency_a.collection_id,
                "file": SimpleUploadedFile(name, content),
            },
        )
        assert response.status_code == 302, name
    assert get_document_model().objects.filter(collection=agency_a.collection).count() == 3


# --------------------------------------------------------------------------------------------
# Admin forms
# --------------------------------------------------------------------------------------------


def _edit_data(client, page):
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.get(url)
    assert response.status_code == 200
    return url, querydict_from_html(response.content.decode(), form_id="page-edit-form")


@pytest.mark.parametrize("spelling", ["BM6A-QT9D79", "BM 6A QT 9D79", "bm.6a/qt.9d79"])
def test_form_codes_differing_only_by_separators(editor_a, agency_a, staff_a, spelling):
    make_form(agency_a, staff_a[AgencyRole.EDITORS], code="BM.6A-QT.9D79", title="Tờ khai A")
    other = make_form(agency_a, staff_a[AgencyRole.EDITORS], code="BM.07", title="Tờ khai B")
    url, data = _edit_data(editor_a, other)
    data["code"] = spelling
    before = stored_counts()
    assert_refused_in_vietnamese(editor_a.post(url, data), "đã được dùng cho «Tờ khai A»")
    assert stored_counts() == before


@pytest.mark.parametrize("where", ["forms_used", "dossier"])
def test_procedure_cannot_link_another_agencys_draft_form(
    editor_a, agency_a, agency_b, staff_b, where
):
    from content_types.indexes import ProcedureIndexPage
    from content_types.procedure_fields import ProcedureField
    from tests.content_types.test_procedures import _add, _data

    draft_b = make_form(agency_b, staff_b[AgencyRole.EDITORS], code="BM.B1", title="Nháp của B")
    field = ProcedureField.objects.create(name="Hộ tịch")
    index = agency_a.get_children().type(ProcedureIndexPage).first()
    data = _data(field, form_page=draft_b)
    if where == "dossier":
        data = _data(field, form_page=draft_b, **{"forms_used-TOTAL_FORMS": "0"})
    else:
        data["cases-0-dossier-0-value-form"] = ""
    before = stored_counts()
    response = _add(editor_a, index, data)
    assert_refused_in_vietnamese(response, "biểu mẫu đã công khai của cơ quan khác")
    assert stored_counts() == before


def test_procedure_may_link_another_agencys_public_form(editor_a, agency_a, agency_b, staff_b):
    from content_types.indexes import ProcedureIndexPage
    from content_types.procedure_fields import ProcedureField
    from tests.content_types.test_procedures import _add, _data

    public_b = publish_form(agency_b, staff_b, "BM.B2", "Tờ khai công khai của B")
    field = ProcedureField.objects.create(name="Hộ tịch")
    index = agency_a.get_children().type(ProcedureIndexPage).first()
    response = _add(editor_a, index, _data(field, form_page=public_b))
    assert response.status_code == 302, response.content.decode()[:3000]


NEW_USER = {
    "full_name": "Nguyễn Văn An",
    "email": "an@stp.gov.vn",
    "roles": [AgencyRole.EDITORS],
    "password1": "Hoso@2026-an",
    "password2": "Hoso@2026-an",
}


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("a.ｅditors", "đã có người dùng"),  # fullwidth e: the same name once NFKC-normalised
        ("A.EDITORS", "đã có người dùng"),
        ("nguyễn.an", "chữ không dấu"),
        ("an\x00", "chữ không dấu"),
        ("an\u202e", "chữ không dấu"),
        (LONG, None),
    ],
)
def test_agency_user_names(client, agency_a, staff_a, username, expected):
    client.force_login(staff_a[AgencyRole.ADMINISTRATORS])
    before = stored_counts()
    response = client.post(
        reverse("iso_agency_user_create", args=[agency_a.pk]), {**NEW_USER, "username": username}
    )
    assert response.status_code == 200
    assert_refused_in_vietnamese(response, expected)
    assert stored_counts() == before


def test_version_history_of_a_version_without_approver(editor_a, agency_a, staff_a):
    form = run_workflow(make_form(agency_a, staff_a[AgencyRole.EDITORS], code="BM.08"), staff_a)
    # A superuser's bulk publish, or an approver's account deleted since.
    DocumentVersion.objects.filter(page_id=form.pk).update(approved_by=None)
    for url in (
        reverse("iso_version_history", args=[form.pk]),
        reverse("iso_version_detail", args=[form.pk, 1]),
        f"/admin/lan-ban-hanh/{HUGE}/",
    ):
        response = editor_a.get(url)
        assert response.status_code in (200, 404), url
        assert VIETNAMESE.search(_text(response))


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("anh.gif", b"GIF89a" + bytes(20), "Không nhận định dạng ảnh này"),
        ("anh.png", b"khong phai anh", "không phải là ảnh"),
        ("anh.png", b"", "rỗng"),
    ],
)
def test_image_upload_bad_input(editor_a, agency_a, name, content, expected):
    before = stored_counts()
    response = editor_a.post(
        reverse("wagtailimages:add"),
        {
            "title": "Ảnh",
            "collection": agency_a.collection_id,
            "file": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 200
    assert_refused_in_vietnamese(response, expected)
    assert stored_counts() == before


def test_wagtail_banners_are_vietnamese(editor_a, agency_a):
    """Wagtail's banner on a refused form and Django's NUL refusal outside the username field
    come from the project catalogue (locale/vi)."""
    before = stored_counts()
    response = editor_a.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Tệp\x00",
            "collection": agency_a.collection_id,
            "file": SimpleUploadedFile("a.exe", b"MZ"),
        },
    )
    assert_refused_in_vietnamese(response, "Không tạo được tài liệu vì có lỗi.")
    assert "ký tự rỗng" in _text(response)
    assert stored_counts() == before


@pytest.mark.parametrize("where", ["/admin/login/", "/django-admin/login/"])
def test_a_wrong_password_is_refused_in_plain_vietnamese(client, staff_a, where):
    """Not Wagtail's "Tên người dùng Tên đăng nhậpkhông trùng…" (its own Vietnamese with the
    field's name pasted in), nor Django admin's English."""
    response = client.post(where, {"username": "a.editors", "password": "sai-mat-khau-2026"})
    assert response.status_code == 200
    assert_refused_in_vietnamese(response)
    text = " ".join(_text(response).split())
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in text or "Bạn hãy nhập đúng" in text
    assert "nhậpkhông" not in text and "Tên người dùng Tên" not in text
    assert "_auth_user_id" not in client.session
