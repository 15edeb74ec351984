"""Small trees for tests, built through the same services the product uses."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from wagtail.models import Collection, Locale, Page, Site

from content_types.agency import AgencyLevel, AgencyPage, AgencyRole
from content_types.documents import ControlledDocumentPage, DocumentKind
from content_types.indexes import QualitySystemPage
from content_types.portal import PortalHomePage
from workflows.provisioning import agency_create, province_groups

PASSWORD = "Mat-khau-thu-1"


def restore_baseline() -> None:
    """What Wagtail's data migrations create and a transactional test's flush removed (content
    types and permissions come back by themselves: the flush re-emits post_migrate)."""
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Page.get_first_root_node() is None:
        Page.add_root(
            instance=Page(
                title="Gốc", slug="root", content_type=ContentType.objects.get_for_model(Page)
            )
        )
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Gốc")


def make_home() -> PortalHomePage:
    restore_baseline()  # a transactional test that ran before may have flushed the tree's root
    root = Page.get_first_root_node()
    home = PortalHomePage(title="Cổng ISO tỉnh Thử", slug="trang-chu", province_name="tỉnh Thử")
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home, "port": 80}
    )
    province_groups()
    return home


def make_agency(home: PortalHomePage, code: str, **fields) -> AgencyPage:
    fields.setdefault("title", f"Cơ quan {code}")
    fields.setdefault("short_name", f"CQ {code}")
    fields.setdefault("level", AgencyLevel.PROVINCIAL)
    return agency_create(parent=home, agency_code=code, **fields)


def make_user(username: str, *groups, **extra):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.vn", **extra
    )
    user.groups.add(*groups)
    return user


def make_staff(agency: AgencyPage, prefix: str) -> dict[str, object]:
    """One user per role of `agency`: {"editors": user, "reviewers": user, ...}."""
    return {
        role: make_user(f"{prefix}.{role}", agency.role_group(role)) for role in AgencyRole.values
    }


def quality_system(agency: AgencyPage) -> QualitySystemPage:
    return agency.get_children().type(QualitySystemPage).first().specific


def make_draft_document(agency: AgencyPage, author, title: str = "Sổ tay chất lượng"):
    page = ControlledDocumentPage(
        title=title,
        kind=DocumentKind.MANUAL,
        code="ST.01",
        body="<p>Nội dung</p>",
        change_summary="Ban hành lần đầu.",
        live=False,
        owner=author,
    )
    quality_system(agency).add_child(instance=page)
    page.save_revision(user=author)
    return page


def document_form_data(page, **overrides) -> dict:
    """POST data for the admin edit form of a ControlledDocumentPage."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    data = {
        "title": page.title,
        "slug": page.slug,
        "kind": page.kind,
        "code": page.code,
        "change_summary": page.change_summary,
        "body": rich_text(page.body or "<p></p>"),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def run_workflow(page, staff, *, reject_at_step: int | None = None, comment: str = ""):
    """Submit `page`'s latest revision as the agency editor and take it through both steps."""
    from wagtail.models import Page

    from content_types.agency import AgencyRole

    editor = staff[AgencyRole.EDITORS]
    steps = [staff[AgencyRole.REVIEWERS], staff[AgencyRole.APPROVERS]]
    page = Page.objects.get(pk=page.pk).specific
    state = page.current_workflow_state
    if state is not None and state.status == state.STATUS_NEEDS_CHANGES:
        state.resume(user=editor)  # resubmission after a rejection
    else:
        page.get_workflow().start(page, editor)
    for number, user in enumerate(steps, start=1):
        page = Page.objects.get(pk=page.pk).specific
        task_state = page.current_workflow_task_state
        if reject_at_step == number:
            task_state.reject(user=user, comment=comment)
            break
        task_state.approve(user=user, comment=comment)
    return Page.objects.get(pk=page.pk).specific


def make_form(agency, author, *, code: str = "BM.01-QT.05", title: str = "Tờ khai", **fields):
    from content_types.documents import FormDocumentPage
    from content_types.indexes import FormIndexPage

    index = agency.get_children().type(FormIndexPage).first().specific
    fields.setdefault("change_summary", "Ban hành lần đầu.")
    page = FormDocumentPage(title=title, code=code, live=False, owner=author, **fields)
    index.add_child(instance=page)
    page.save_revision(user=author)
    return page


def new_revision(page, author, **changes):
    """Save a new draft revision of `page` with `changes` applied."""
    page = page.specific_class.objects.get(pk=page.pk)
    latest = page.get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(latest, name, value)
    return latest.save_revision(user=author)
