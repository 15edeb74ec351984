"""Creating an agency provisions its roles, rights, collection, workflow and sections; a rename or
a move keeps them consistent; bad input creates nothing."""

from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail.models import (
    Collection,
    GroupPagePermission,
    PageViewRestriction,
    Task,
    Workflow,
    WorkflowPage,
)

import pytest

from content_types.agency import AgencyGroup, AgencyPage, AgencyRole
from content_types.documents import ControlledDocumentPage
from content_types.indexes import QualitySystemPage
from tests.factories import PASSWORD, make_draft_document, make_user, quality_system
from workflows.provisioning import INTERNAL_AUDITORS, PROVINCE_ADMINS, agency_provision


def _codenames(group: Group, page) -> set[str]:
    return set(
        GroupPagePermission.objects.filter(group=group, page=page).values_list(
            "permission__codename", flat=True
        )
    )


def test_creation_provisions_groups_rights_and_workflow(agency_a):
    links = {link.role: link.group for link in AgencyGroup.objects.filter(agency=agency_a)}
    assert set(links) == set(AgencyRole.values)
    assert links[AgencyRole.EDITORS].name == "Sở Tư pháp (CQA) — Biên tập viên"
    assert _codenames(links[AgencyRole.EDITORS], agency_a) == {
        "add_page",
        "change_page",
        "lock_page",
    }
    for role, group in links.items():
        # Rights only on this agency's subtree, and nobody in the agency may publish directly.
        # (Its internal auditors edit no pages: they read, through the section's restriction.)
        assert set(
            GroupPagePermission.objects.filter(group=group).values_list("page", flat=True)
        ) == ({agency_a.pk} if role != AgencyRole.AUDITORS else set())
        assert "publish_page" not in _codenames(group, agency_a)

    assert agency_a.collection.name == "Sở Tư pháp (CQA)"
    assert agency_a.collection.get_parent().name == "Cơ quan, đơn vị"

    workflow = WorkflowPage.objects.get(page=agency_a).workflow
    tasks = [task.specific for task in workflow.tasks]
    assert [t.name for t in tasks] == ["Kiểm tra — CQA", "Lãnh đạo phê duyệt — CQA"]
    assert list(tasks[0].groups.all()) == [links[AgencyRole.REVIEWERS]]
    assert list(tasks[1].groups.all()) == [links[AgencyRole.APPROVERS]]


def test_wagtails_unused_default_workflow_is_gone(agency_a, staff_a, client):
    """Wagtail's "Moderators approval" (switched off, never used) sat in English in every
    agency's approval reports; each agency has its own workflow."""
    assert not Workflow.objects.filter(name="Moderators approval").exists()
    assert not Task.objects.filter(name="Moderators approval").exists()
    client.login(username=staff_a[AgencyRole.EDITORS].username, password=PASSWORD)
    html = client.get(reverse("wagtailadmin_reports:workflow")).content.decode()
    assert "Moderators approval" not in html
    assert WorkflowPage.objects.get(page=agency_a).workflow.name in html


def test_the_tree_roots_read_vietnamese(db):
    """The page chooser and the «pages of this type» listing showed Wagtail's «Root»."""
    from wagtail.models import Page

    assert Page.get_first_root_node().title == "Gốc"
    assert Collection.get_first_root_node().name == "Gốc"


def test_quality_system_is_private_to_staff_auditors_and_province(agency_a, agency_b, client):
    section = quality_system(agency_a)
    restriction = PageViewRestriction.objects.get(page=section)
    names = set(restriction.groups.values_list("name", flat=True))
    assert {PROVINCE_ADMINS, INTERNAL_AUDITORS} <= names
    assert agency_a.role_group(AgencyRole.EDITORS).name in names
    assert agency_b.role_group(AgencyRole.EDITORS).name not in names

    # Anonymous visitors and staff of another agency are sent to log in; auditors read it.
    assert client.get(section.url).status_code == 302
    outsider = make_user("ngoai", agency_b.role_group(AgencyRole.EDITORS))
    client.force_login(outsider)
    assert client.get(section.url).status_code == 302
    auditor = make_user("danhgia", Group.objects.get(name=INTERNAL_AUDITORS))
    client.force_login(auditor)
    assert client.get(section.url).status_code == 200


def test_rename_keeps_groups_collection_and_workflow_in_step(agency_a, staff_a):
    editors = agency_a.role_group(AgencyRole.EDITORS)
    agency_a.short_name = "Sở Tư pháp mới"
    agency_a.save_revision().publish()

    editors.refresh_from_db()
    assert editors.name == "Sở Tư pháp mới (CQA) — Biên tập viên"
    assert staff_a[AgencyRole.EDITORS].groups.filter(pk=editors.pk).exists()
    collection = Collection.objects.get(pk=agency_a.collection_id)
    assert collection.name == "Sở Tư pháp mới (CQA)"
    assert WorkflowPage.objects.get(page=agency_a).workflow.name.startswith(
        "Phê duyệt — Sở Tư pháp mới"
    )
    # Still exactly one set of groups.
    assert AgencyGroup.objects.filter(agency=agency_a).count() == len(AgencyRole.values)
    assert AgencyGroup.history.filter(agency_id=agency_a.pk).count() == len(AgencyRole.values)


def test_move_keeps_rights_on_the_moved_subtree(agency_a, agency_b, staff_a, client):
    """After a reorganisation the agency's pages, rights and workflow travel with it."""
    document = make_draft_document(agency_a, staff_a[AgencyRole.EDITORS])
    agency_a.move(agency_b, pos="last-child")
    agency_provision(AgencyPage.objects.get(pk=agency_a.pk))

    client.force_login(staff_a[AgencyRole.EDITORS])
    assert client.get(reverse("wagtailadmin_pages:edit", args=[document.pk])).status_code == 200
    assert WorkflowPage.objects.get(page=agency_a).workflow.active
    assert (
        ControlledDocumentPage.objects.get(pk=document.pk)
        .get_workflow()
        .name.startswith("Phê duyệt — Sở Tư pháp")
    )


def test_provision_is_idempotent(agency_a):
    before = (Group.objects.count(), Workflow.objects.count(), Collection.objects.count())
    agency_provision(agency_a)
    agency_provision(agency_a)
    assert (Group.objects.count(), Workflow.objects.count(), Collection.objects.count()) == before
    assert agency_a.get_children().type(QualitySystemPage).count() == 1


@pytest.fixture
def province_admin(home):
    return make_user("tinh.quantri", Group.objects.get(name=PROVINCE_ADMINS))


def _create_agency(client, **overrides):
    data = {
        "title": "Sở Nội vụ tỉnh Thử",
        "short_name": "Sở Nội vụ",
        "agency_code": "SNV",
        "level": "provincial",
        "address": "",
        "phone": "",
        "email": "",
    }
    data.update(overrides)
    return client.post(reverse("iso_agency_create"), data)


def test_province_admin_creates_agency_from_admin(client, province_admin):
    client.login(username="tinh.quantri", password=PASSWORD)
    response = _create_agency(client)
    agency = AgencyPage.objects.get(agency_code="SNV")
    assert response.status_code == 302
    assert agency.live
    assert agency.get_children().count() == 3
    assert AgencyGroup.objects.filter(agency=agency).count() == len(AgencyRole.values)


def test_duplicate_agency_code_is_refused_and_nothing_is_created(client, province_admin, agency_a):
    client.force_login(province_admin)
    counts = (AgencyPage.objects.count(), Group.objects.count(), Collection.objects.count())
    response = _create_agency(client, agency_code=" cqa ")
    assert response.status_code == 200
    assert "Mã cơ quan này đã được dùng cho một cơ quan khác." in response.content.decode()
    assert (AgencyPage.objects.count(), Group.objects.count(), Collection.objects.count()) == counts


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("agency_code", "STP CŨ", "Mã cơ quan chỉ gồm chữ in hoa không dấu"),
        ("title", "", "Trường này là bắt buộc."),
        ("email", "khong-phai-email", "Nhập địa chỉ email."),
    ],
)
def test_bad_agency_input_gets_vietnamese_message(client, province_admin, field, value, message):
    client.force_login(province_admin)
    counts = (AgencyPage.objects.count(), Group.objects.count())
    response = _create_agency(client, **{field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (AgencyPage.objects.count(), Group.objects.count()) == counts


def test_agency_editor_cannot_create_agencies(client, staff_a):
    client.force_login(staff_a[AgencyRole.ADMINISTRATORS])
    response = _create_agency(client, agency_code="XYZ")
    assert response.status_code in (302, 403)
    assert not AgencyPage.objects.filter(agency_code="XYZ").exists()


def test_duplicate_code_in_page_editor_is_a_form_error(
    client, agency_a, agency_b, django_user_model
):
    from wagtail.test.utils.form_data import nested_form_data

    admin = django_user_model.objects.create_superuser("root", "r@example.vn", "x")
    client.force_login(admin)
    data = nested_form_data(
        {
            "title": agency_b.title,
            "slug": agency_b.slug,
            "short_name": agency_b.short_name,
            "agency_code": "cqa",
            "level": agency_b.level,
            "address": "",
            "phone": "",
            "email": "",
            "logo": "",
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
        }
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=[agency_b.pk]), data)
    assert response.status_code == 200
    assert "Mã cơ quan này đã được dùng cho một cơ quan khác." in response.content.decode()
    assert AgencyPage.objects.get(pk=agency_b.pk).agency_code == "CQB"


def test_provision_command_repairs_a_removed_right(agency_a):
    from django.core.management import call_command

    editors = agency_a.role_group(AgencyRole.EDITORS)
    GroupPagePermission.objects.filter(group=editors).delete()
    call_command("provision_agencies", verbosity=0)
    assert _codenames(editors, agency_a) == {"add_page", "change_page", "lock_page"}
