"""Agency isolation through the Wagtail admin's own views (DESIGN §7).

"An editor of one agency can do nothing in another": every request below goes through the admin
URLs with the Django test client, as a browser would, and each refusal is checked twice — by the
response (403, or a redirect away) and by the database (the other agency's page is unchanged).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.middleware.csrf import CSRF_TOKEN_LENGTH
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.models import Page, PageLogEntry, Revision, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html, rich_text

import pytest

from content_types.documents import ControlledDocumentPage, DocumentKind
from content_types.versions import DocumentVersion
from tests.factories import make_draft_document, quality_system

EDIT_FORM_ID = "page-edit-form"
SECRET = "Bí mật của phường B"


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def page_form_data(client, url: str):
    """The admin form at `url` as the browser would post it back (a mutable QueryDict)."""
    response = client.get(url)
    assert response.status_code == 200, f"GET {url} → {response.status_code}"
    return querydict_from_html(response.content.decode(), form_id=EDIT_FORM_ID)


@dataclass(frozen=True)
class PageState:
    exists: bool
    title: str | None
    draft_title: str | None
    slug: str | None
    live: bool | None
    live_revision_id: int | None
    latest_revision_id: int | None
    parent_id: int | None
    path: str | None
    locked: bool | None
    revisions: int
    log_entries: int
    workflow_states: int
    pages_total: int
    documents_titled_secret: int


def page_state(page_id: int) -> PageState:
    page = Page.objects.filter(pk=page_id).first()
    common = {
        "revisions": Revision.page_revisions.filter(object_id=str(page_id)).count(),
        "log_entries": PageLogEntry.objects.filter(page_id=page_id).count(),
        "workflow_states": WorkflowState.objects.filter(
            base_content_type__isnull=False, object_id=str(page_id)
        ).count(),
        "pages_total": Page.objects.count(),
        "documents_titled_secret": ControlledDocumentPage.objects.filter(
            title__contains="CHIẾM QUYỀN"
        ).count(),
    }
    if page is None:
        return PageState(False, None, None, None, None, None, None, None, None, None, **common)
    return PageState(
        exists=True,
        title=page.title,
        draft_title=page.draft_title,
        slug=page.slug,
        live=page.live,
        live_revision_id=page.live_revision_id,
        latest_revision_id=page.latest_revision_id,
        parent_id=page.get_parent().pk,
        path=page.path,
        locked=page.locked,
        **common,
    )


def assert_refused(client, response, *, leaked: tuple[str, ...] = ()) -> None:
    """403, or a redirect that ends somewhere that neither serves nor shows the target."""
    hops = []
    while response.status_code in (301, 302, 303):
        location = response["Location"]
        hops.append(location)
        assert len(hops) < 5, f"redirect loop: {hops}"
        response = client.get(location)
    if not hops:
        assert response.status_code == 403, (
            f"expected 403 or a redirect away, got {response.status_code}"
        )
    else:
        assert response.status_code in (200, 403), (hops, response.status_code)
    body = _text_of(response)
    for text in leaked:
        assert text not in body, f"refused response still shows {text!r} (via {hops})"


def _text_of(response) -> str:
    """The response body, with JSON (admin modals) decoded so escaped text is found too.

    CSRF tokens are cut out: they are 64 random letters and digits, so a short leak marker
    such as an agency code turns up inside one about once in a few thousand pages.
    """
    if response.get("Content-Type", "").startswith("application/json"):
        body = json.dumps(response.json(), ensure_ascii=False)
    else:
        body = response.content.decode(errors="replace")
    return _CSRF_TOKEN.sub("", body)


# Django's masked CSRF token: CSRF_TOKEN_LENGTH characters from CSRF_ALLOWED_CHARS.
_CSRF_TOKEN = re.compile(rf"(?<![A-Za-z0-9])[A-Za-z0-9]{{{CSRF_TOKEN_LENGTH}}}(?![A-Za-z0-9])")


def test_leak_check_ignores_csrf_tokens_but_not_text():
    """A token that happens to hold «CQB» is no leak; the code in the page's text is."""
    token = "x" * 30 + "CQB" + "y" * 31
    page = f'<input name="csrfmiddlewaretoken" value="{token}"><p>Phường CQB</p>'
    response = HttpResponse(page)
    assert "CQB" in _text_of(response)
    assert "CQB" not in _text_of(HttpResponse(page.replace("Phường CQB", "")))


# --------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------


@pytest.fixture
def editor_a(staff_a):
    return staff_a["editors"]


@pytest.fixture
def client_a(client, editor_a):
    client.force_login(editor_a)
    return client


@pytest.fixture
def doc_b(agency_b, staff_b):
    """A live document of agency B with two revisions (so compare has ids) and a secret body."""
    page = make_draft_document(agency_b, staff_b["editors"], title="Quy trình tiếp công dân B")
    page.body = f"<p>{SECRET}</p>"
    page.save_revision(user=staff_b["editors"]).publish()
    page.refresh_from_db()
    assert page.live and Revision.page_revisions.filter(object_id=str(page.pk)).count() == 2
    return page


@pytest.fixture
def doc_a(agency_a, editor_a):
    return make_draft_document(agency_a, editor_a, title="Sổ tay chất lượng A")


@pytest.fixture
def b_edit_payload(client, staff_b, doc_b):
    """A valid edit-form payload for B's page, taken from B's own editor's screen.

    The attacker (A) cannot open the form, but nothing stops them from posting a well-formed one;
    using B's real form makes every POST below one that would succeed without the permission check.
    """
    client.force_login(staff_b["editors"])
    data = page_form_data(client, reverse("wagtailadmin_pages:edit", args=[doc_b.pk]))
    client.logout()
    data["title"] = "CHIẾM QUYỀN bởi cơ quan A"
    return data


# --------------------------------------------------------------------------------------------
# 1–2. Editor of A works on drafts in A, but cannot publish
# --------------------------------------------------------------------------------------------


def test_editor_creates_and_edits_draft_in_own_agency(client_a, agency_a, editor_a):
    parent = quality_system(agency_a)
    add_url = reverse(
        "wagtailadmin_pages:add", args=["content_types", "controlleddocumentpage", parent.pk]
    )
    data = page_form_data(client_a, add_url)
    data.update(
        {
            "title": "Chính sách chất lượng",
            "slug": "chinh-sach-chat-luong",
            "kind": DocumentKind.POLICY,
            "code": "CS.01",
            "body": rich_text("<p>Cam kết chất lượng</p>", features=["bold", "italic"]),
        }
    )
    response = client_a.post(add_url, data)
    assert response.status_code == 302, _form_errors(response)

    page = ControlledDocumentPage.objects.get(slug="chinh-sach-chat-luong")
    assert page.get_parent().pk == parent.pk
    assert page.owner == editor_a
    assert page.code == "CS.01"
    assert not page.live and page.live_revision is None
    assert "Cam kết chất lượng" in page.get_latest_revision_as_object().body

    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = page_form_data(client_a, edit_url)
    data["title"] = "Chính sách chất lượng (sửa đổi)"
    data["body"] = rich_text("<p>Cam kết chất lượng, bản 2</p>")
    response = client_a.post(edit_url, data)
    assert response.status_code == 302, _form_errors(response)

    page.refresh_from_db()
    latest = page.get_latest_revision_as_object()
    assert latest.title == "Chính sách chất lượng (sửa đổi)"
    assert "bản 2" in latest.body
    assert page.draft_title == "Chính sách chất lượng (sửa đổi)"
    assert not page.live and page.live_revision is None
    assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == 2


def test_editor_is_not_offered_publish(client_a, doc_a):
    response = client_a.get(reverse("wagtailadmin_pages:edit", args=[doc_a.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="action-publish"' not in html
    # The workflow is what they get instead.
    assert 'name="action-submit"' in html


def test_editor_cannot_publish_by_posting_action_publish(client_a, doc_a):
    edit_url = reverse("wagtailadmin_pages:edit", args=[doc_a.pk])
    data = page_form_data(client_a, edit_url)
    data["title"] = "Sổ tay chất lượng A — tự ban hành"
    data["action-publish"] = "action-publish"
    response = client_a.post(edit_url, data)
    assert response.status_code in (302, 403), _form_errors(response)

    doc_a.refresh_from_db()
    # The form was accepted (saved as a draft), so the refusal is about publishing, not the form.
    assert doc_a.draft_title == "Sổ tay chất lượng A — tự ban hành"
    assert not doc_a.live
    assert doc_a.live_revision is None
    assert doc_a.first_published_at is None
    assert not DocumentVersion.objects.filter(page_id=doc_a.pk).exists()  # no issue number
    assert not PageLogEntry.objects.filter(page=doc_a, action="wagtail.publish").exists()


def _form_errors(response) -> str:
    context = getattr(response, "context", None)
    if not context:
        return f"status {response.status_code}"
    form = context.get("form")
    return f"status {response.status_code}: {form.errors.as_json() if form else '(no form)'}"


# --------------------------------------------------------------------------------------------
# 3. Editor of A is refused on every admin view of B's page
# --------------------------------------------------------------------------------------------


def _url(name: str, *args) -> str:
    return reverse(f"wagtailadmin_pages:{name}", args=args)


def _revisions(page) -> list[int]:
    return list(
        Revision.page_revisions.filter(object_id=str(page.pk))
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class Attack:
    method: str
    url: object  # callable(doc_b, agency_a) -> str
    data: object = None  # callable(b_edit_payload, doc_b, agency_a) -> dict | None
    preview_then_get: bool = False


def _publish_payload(payload, doc_b, agency_a):
    data = payload.copy()
    data["action-publish"] = "action-publish"
    return data


def _copy_payload(payload, doc_b, agency_a):
    return {
        "new_title": "CHIẾM QUYỀN bản sao",
        "new_slug": "chiem-quyen-ban-sao",
        "new_parent_page": str(quality_system(agency_a).pk),
        "publish_copies": "on",
    }


ATTACKS = {
    "edit-get": Attack("get", lambda p, a: _url("edit", p.pk)),
    "edit-post": Attack("post", lambda p, a: _url("edit", p.pk), lambda d, p, a: d),
    "publish": Attack("post", lambda p, a: _url("edit", p.pk), _publish_payload),
    "preview-post": Attack(
        "post", lambda p, a: _url("preview_on_edit", p.pk), lambda d, p, a: d, True
    ),
    "preview-get": Attack("get", lambda p, a: _url("preview_on_edit", p.pk)),
    "view-draft": Attack("get", lambda p, a: _url("view_draft", p.pk)),
    "revisions-index": Attack("get", lambda p, a: _url("revisions_index", p.pk)),
    "revisions-compare": Attack(
        "get", lambda p, a: _url("revisions_compare", p.pk, *_revisions(p)[:2])
    ),
    "revisions-compare-live-latest": Attack(
        "get",
        lambda p, a: reverse(
            "wagtailadmin_pages:revisions_compare",
            kwargs={"pk": p.pk, "revision_id_a": "earliest", "revision_id_b": "latest"},
        ),
    ),
    "revisions-view": Attack("get", lambda p, a: _url("revisions_view", p.pk, _revisions(p)[0])),
    "revisions-revert-get": Attack(
        "get", lambda p, a: _url("revisions_revert", p.pk, _revisions(p)[0])
    ),
    "revisions-revert-post": Attack(
        "post", lambda p, a: _url("revisions_revert", p.pk, _revisions(p)[0]), lambda d, p, a: d
    ),
    "history": Attack("get", lambda p, a: _url("history", p.pk)),
    "history-results": Attack("get", lambda p, a: _url("history_results", p.pk)),
    "workflow-history": Attack("get", lambda p, a: _url("workflow_history", p.pk)),
    "copy-get": Attack("get", lambda p, a: _url("copy", p.pk)),
    "copy-post": Attack("post", lambda p, a: _url("copy", p.pk), _copy_payload),
    "move-get": Attack("get", lambda p, a: _url("move", p.pk)),
    "move-confirm-get": Attack(
        "get", lambda p, a: _url("move_confirm", p.pk, quality_system(a).pk)
    ),
    "move-confirm-post": Attack(
        "post", lambda p, a: _url("move_confirm", p.pk, quality_system(a).pk), lambda d, p, a: {}
    ),
    "set-page-position": Attack(
        "post", lambda p, a: _url("set_page_position", p.pk) + "?position=0", lambda d, p, a: {}
    ),
    "delete-get": Attack("get", lambda p, a: _url("delete", p.pk)),
    "delete-post": Attack("post", lambda p, a: _url("delete", p.pk), lambda d, p, a: {}),
    "unpublish-get": Attack("get", lambda p, a: _url("unpublish", p.pk)),
    "unpublish-post": Attack("post", lambda p, a: _url("unpublish", p.pk), lambda d, p, a: {}),
    "lock": Attack("post", lambda p, a: _url("lock", p.pk), lambda d, p, a: {}),
    "set-privacy-get": Attack("get", lambda p, a: _url("set_privacy", p.pk)),
    "set-privacy-post": Attack(
        "post",
        lambda p, a: _url("set_privacy", p.pk),
        lambda d, p, a: {"restriction_type": "none"},
    ),
    "add-under-b": Attack(
        "get",
        lambda p, a: _url("add", "content_types", "controlleddocumentpage", p.get_parent().pk),
    ),
    "add-subpage-under-b": Attack("get", lambda p, a: _url("add_subpage", p.get_parent().pk)),
}


@pytest.mark.parametrize("name", list(ATTACKS))
def test_editor_of_a_is_refused_on_b_page(name, client, editor_a, agency_a, doc_b, b_edit_payload):
    attack = ATTACKS[name]
    url = attack.url(doc_b, agency_a)
    before = page_state(doc_b.pk)

    client.force_login(editor_a)
    if attack.method == "get":
        response = client.get(url)
    else:
        data = attack.data(b_edit_payload, doc_b, agency_a)
        response = client.post(url, data)
    assert_refused(client, response, leaked=(SECRET,))
    if attack.preview_then_get:
        assert_refused(client, client.get(url), leaked=(SECRET, "CHIẾM QUYỀN"))

    after = page_state(doc_b.pk)
    assert after == before
    assert after.exists and after.live and after.title == "Quy trình tiếp công dân B"


def test_editor_of_a_cannot_add_page_under_b(client, editor_a, agency_b, staff_b):
    """POST to B's add form (payload from B's own editor) creates nothing."""
    parent = quality_system(agency_b)
    add_url = _url("add", "content_types", "controlleddocumentpage", parent.pk)
    client.force_login(staff_b["editors"])
    data = page_form_data(client, add_url)
    data.update(
        {
            "title": "CHIẾM QUYỀN trang mới",
            "slug": "chiem-quyen-trang-moi",
            "kind": DocumentKind.OTHER,
            "code": "X.01",
        }
    )
    client.logout()
    client.force_login(editor_a)
    pages_before = Page.objects.count()
    response = client.post(add_url, data)
    assert_refused(client, response)
    assert Page.objects.count() == pages_before
    assert not ControlledDocumentPage.objects.filter(slug="chiem-quyen-trang-moi").exists()


def test_b_page_payload_would_be_accepted_from_b(client, staff_b, doc_b, b_edit_payload):
    """Control: the payload used above is valid, so the refusals are the permission check."""
    client.force_login(staff_b["editors"])
    response = client.post(_url("edit", doc_b.pk), b_edit_payload)
    assert response.status_code == 302, _form_errors(response)
    doc_b.refresh_from_db()
    assert doc_b.draft_title == "CHIẾM QUYỀN bởi cơ quan A"
    assert doc_b.title == "Quy trình tiếp công dân B"  # still a draft: B's editor can't publish


@pytest.fixture
def doc_b_in_moderation(staff_b, doc_b):
    """B's page with a new draft submitted to B's approval workflow (first task in progress)."""
    doc_b.save_revision(user=staff_b["editors"])
    workflow = doc_b.get_workflow()
    assert workflow is not None
    workflow.start(doc_b, staff_b["editors"])
    doc_b.refresh_from_db()
    assert doc_b.current_workflow_task_state is not None
    return doc_b


WORKFLOW_ATTACKS = {
    "workflow-action-get": ("get", "workflow_action"),
    "workflow-action-approve": ("post", "workflow_action"),
    "collect-action-data-get": ("get", "collect_workflow_action_data"),
    "collect-action-data-post": ("post", "collect_workflow_action_data"),
    "workflow-preview": ("get", "workflow_preview"),
    "workflow-history-detail": ("get", "workflow_history_detail"),
    "confirm-workflow-cancellation": ("get", "confirm_workflow_cancellation"),
}


def _workflow_url(view: str, page) -> str:
    task_state = page.current_workflow_task_state
    if view in ("workflow_action", "collect_workflow_action_data"):
        return _url(view, page.pk, "approve", task_state.pk)
    if view == "workflow_preview":
        return _url(view, page.pk, task_state.task_id)
    if view == "workflow_history_detail":
        return _url(view, page.pk, page.current_workflow_state.pk)
    return _url(view, page.pk)


@pytest.mark.parametrize("name", list(WORKFLOW_ATTACKS))
def test_editor_of_a_is_refused_on_b_workflow(name, client, editor_a, doc_b_in_moderation):
    """B's page in B's approval workflow: A's editor can neither act on it nor look into it."""
    page = doc_b_in_moderation
    method, view = WORKFLOW_ATTACKS[name]
    task_state = page.current_workflow_task_state
    before = page_state(page.pk)

    client.force_login(editor_a)
    url = _workflow_url(view, page)
    data = {"comment": "đồng ý"}
    response = client.get(url) if method == "get" else client.post(url, data)
    # The workflow and task names are B's ("Phê duyệt — … (CQB)"): not A's business either.
    assert_refused(client, response, leaked=(SECRET, "CQB"))

    task_state.refresh_from_db()
    assert task_state.status == task_state.STATUS_IN_PROGRESS
    assert page_state(page.pk) == before


def test_own_editor_still_gets_the_cancellation_dialog(client, staff_b, doc_b_in_moderation):
    """The guard in front of Wagtail's dialog lets the page's own editors through."""
    client.force_login(staff_b["editors"])
    response = client.get(_workflow_url("confirm_workflow_cancellation", doc_b_in_moderation))
    assert response.status_code == 200
    assert response.json()["step"] == "confirm"
    assert "CQB" in response.json()["html"]


@pytest.mark.parametrize("view", ["browse", "search"])
def test_page_chooser_hides_b_private_documents(client, editor_a, agency_b, doc_b, view):
    """B's quality-system section is private to B's staff (DESIGN §5): not even its titles.

    The admin page chooser (used for links in A's own rich text) must not list them to A.
    """
    client.force_login(editor_a)
    if view == "browse":
        url = reverse("wagtailadmin_choose_page_child", args=[quality_system(agency_b).pk])
    else:
        url = reverse("wagtailadmin_choose_page_search") + "?q=tiếp công dân"
    response = client.get(url)
    if response.status_code in (302, 403):
        return
    assert response.status_code == 200
    assert doc_b.title not in _text_of(response)


# --------------------------------------------------------------------------------------------
# 4. Documents in B's collection
# --------------------------------------------------------------------------------------------


@pytest.fixture
def document_b(agency_b, staff_b):
    Document = get_document_model()
    document = Document(
        title="Hồ sơ mật phường B",
        collection=agency_b.collection,
        uploaded_by_user=staff_b["editors"],
    )
    document.file.save("ho-so-mat-b.txt", ContentFile(SECRET.encode()), save=False)
    document.save()
    return document


def _document_state(document):
    Document = get_document_model()
    row = Document.objects.filter(pk=document.pk).values("title", "collection_id", "file").first()
    return json.dumps(row, sort_keys=True, default=str)


@pytest.mark.parametrize(
    ("method", "view"),
    [("get", "edit"), ("post", "edit"), ("get", "delete"), ("post", "delete")],
    ids=["edit-get", "edit-post", "delete-get", "delete-post"],
)
def test_editor_of_a_is_refused_on_b_document(client, editor_a, agency_a, document_b, method, view):
    before = _document_state(document_b)
    client.force_login(editor_a)
    url = reverse(f"wagtaildocs:{view}", args=[document_b.pk])
    if method == "get":
        response = client.get(url)
    else:
        data = {"title": "CHIẾM QUYỀN", "collection": str(agency_a.collection_id)}
        response = client.post(url, data if view == "edit" else {})
    assert_refused(client, response, leaked=("Hồ sơ mật phường B",))
    assert _document_state(document_b) == before


@pytest.mark.parametrize(
    "url_name", ["wagtaildocs:index", "wagtaildocs_chooser:choose"], ids=["index", "chooser"]
)
def test_b_document_not_listed_for_editor_of_a(client, editor_a, document_b, url_name):
    client.force_login(editor_a)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert "Hồ sơ mật phường B" not in response.content.decode()
