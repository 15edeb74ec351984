"""Small trees for tests, built through the same services the product uses."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from wagtail.models import Page, Site

from content_types.agency import AgencyLevel, AgencyPage, AgencyRole
from content_types.documents import ControlledDocumentPage, DocumentKind
from content_types.indexes import QualitySystemPage
from content_types.portal import PortalHomePage
from workflows.provisioning import agency_create, province_groups

PASSWORD = "Mat-khau-thu-1"


def make_home() -> PortalHomePage:
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
