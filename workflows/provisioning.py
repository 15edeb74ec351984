"""Everything an agency needs to work, created with it and kept in step when it changes.

`agency_provision` is idempotent: it creates what is missing and corrects what drifted (group
names after a rename, permissions, the workflow assignment, the private quality-system section),
so the same call serves creation, rename, move and repair (`manage.py provision_agencies`).
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    PageViewRestriction,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from content_types.agency import AgencyGroup, AgencyPage, AgencyRole
from content_types.indexes import FormIndexPage, ProcedureIndexPage, QualitySystemPage
from content_types.portal import PortalHomePage
from content_types.text import vietnamese_slug

from .models import AgencyApprovalTask

PROVINCE_ADMINS = "Quản trị cấp tỉnh"
INTERNAL_AUDITORS = "Đánh giá viên nội bộ"
AGENCIES_COLLECTION = "Cơ quan, đơn vị"

# Nobody below has "publish": every change in an agency goes live only through its workflow.
ROLE_PAGE_PERMISSIONS: dict[str, list[str]] = {
    AgencyRole.EDITORS: ["add", "change", "lock"],
    AgencyRole.REVIEWERS: ["change", "lock"],
    AgencyRole.APPROVERS: ["change", "lock"],
    AgencyRole.ADMINISTRATORS: ["add", "change", "lock", "unlock", "bulk_delete"],
    # Auditors read (the private section's view restriction and workflows.quality.policy).
    AgencyRole.AUDITORS: [],
}
ROLE_COLLECTION_PERMISSIONS: dict[str, list[str]] = {
    AgencyRole.EDITORS: ["add", "change", "choose"],
    AgencyRole.REVIEWERS: ["choose"],
    AgencyRole.APPROVERS: ["choose"],
    AgencyRole.ADMINISTRATORS: ["add", "change", "choose", "delete"],
    AgencyRole.AUDITORS: ["choose"],
}
# The workflow's steps, in order: (task name, role whose group takes it).
WORKFLOW_STEPS: list[tuple[str, str]] = [
    ("Kiểm tra", AgencyRole.REVIEWERS),
    ("Lãnh đạo phê duyệt", AgencyRole.APPROVERS),
]
SECTIONS: list[tuple[type[Page], str, str]] = [
    (ProcedureIndexPage, "Thủ tục hành chính", "thu-tuc-hanh-chinh"),
    (FormIndexPage, "Biểu mẫu", "bieu-mau"),
    (QualitySystemPage, "Hệ thống quản lý chất lượng", "he-thong-quan-ly-chat-luong"),
]


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _admin_access() -> Permission:
    return _permission("wagtailadmin", "access_admin")


def _set_page_permissions(group: Group, page: Page, codenames: list[str]) -> None:
    wanted = {_permission("wagtailcore", f"{c}_page") for c in codenames}
    existing = GroupPagePermission.objects.filter(group=group)
    existing.exclude(page=page).delete()
    existing.filter(page=page).exclude(permission__in=wanted).delete()
    for permission in wanted:
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def _set_collection_permissions(group: Group, collection: Collection, actions: list[str]) -> None:
    wanted = set()
    for app_label, model in (("wagtaildocs", "document"), ("wagtailimages", "image")):
        wanted |= {_permission(app_label, f"{action}_{model}") for action in actions}
    existing = GroupCollectionPermission.objects.filter(group=group)
    existing.exclude(collection=collection).delete()
    existing.filter(collection=collection).exclude(permission__in=wanted).delete()
    for permission in wanted:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission
        )


def _group_name(agency: AgencyPage, role: str) -> str:
    # Group names are unique; the agency code keeps two "Phòng Văn hóa" apart.
    return f"{agency.short_name} ({agency.agency_code}) — {AgencyRole(role).label}"


def _ensure_role_groups(agency: AgencyPage) -> dict[str, Group]:
    groups: dict[str, Group] = {}
    links = {link.role: link for link in AgencyGroup.objects.filter(agency=agency)}
    for role in AgencyRole.values:
        name = _group_name(agency, role)
        link = links.get(role)
        if link is None:
            group, _ = Group.objects.get_or_create(name=name)
            AgencyGroup.objects.create(agency=agency, role=role, group=group)
        else:
            group = link.group
            if group.name != name:
                group.name = name
                group.save(update_fields=["name"])
        group.permissions.add(_admin_access())
        groups[role] = group
    return groups


def agencies_collection() -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=AGENCIES_COLLECTION).first()
    return existing or root.add_child(name=AGENCIES_COLLECTION)


def _ensure_collection(agency: AgencyPage) -> Collection:
    name = f"{agency.short_name} ({agency.agency_code})"
    collection = agency.collection
    if collection is None:
        collection = agencies_collection().add_child(name=name)
        AgencyPage.objects.filter(pk=agency.pk).update(collection=collection)
        agency.collection = collection
    elif collection.name != name:
        collection.name = name
        collection.save(update_fields=["name"])
    return collection


def _ensure_workflow(agency: AgencyPage, groups: dict[str, Group]) -> Workflow:
    link = WorkflowPage.objects.filter(page=agency).select_related("workflow").first()
    name = f"Phê duyệt — {agency.short_name} ({agency.agency_code})"
    if link is None:
        workflow = Workflow.objects.create(name=name, active=True)
        for order, (task_name, role) in enumerate(WORKFLOW_STEPS):
            task = AgencyApprovalTask.objects.create(
                name=f"{task_name} — {agency.agency_code}", active=True
            )
            task.groups.set([groups[role]])
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
        WorkflowPage.objects.create(page=agency, workflow=workflow)
        return workflow
    workflow = link.workflow
    if workflow.name != name:
        workflow.name = name
        workflow.save(update_fields=["name"])
    for workflow_task, (task_name, role) in zip(
        WorkflowTask.objects.filter(workflow=workflow).order_by("sort_order"),
        WORKFLOW_STEPS,
        strict=False,
    ):
        task = workflow_task.task.specific
        task.name = f"{task_name} — {agency.agency_code}"
        task.save(update_fields=["name"])
        task.groups.set([groups[role]])
    return workflow


def _ensure_sections(agency: AgencyPage) -> None:
    """Create the missing sections, published: they are structure, not controlled content."""
    existing = {type(child.specific) for child in agency.get_children()}
    for model, title, slug in SECTIONS:
        if model in existing:
            continue
        section = model(title=title, slug=slug, owner=agency.owner)
        agency.add_child(instance=section)
        section.save_revision(user=None, log_action=True).publish(
            user=None, skip_permission_checks=True
        )


def _ensure_private_quality_system(agency: AgencyPage, groups: dict[str, Group]) -> None:
    quality_system = agency.get_children().type(QualitySystemPage).first()
    if quality_system is None:
        return
    allowed = [*groups.values(), *province_groups().values()]
    restriction = PageViewRestriction.objects.filter(page=quality_system).first()
    if restriction is None:
        restriction = PageViewRestriction.objects.create(
            page=quality_system, restriction_type=PageViewRestriction.GROUPS
        )
    elif restriction.restriction_type != PageViewRestriction.GROUPS:
        restriction.restriction_type = PageViewRestriction.GROUPS
        restriction.save(update_fields=["restriction_type"])
    restriction.groups.set(allowed)


def province_groups() -> dict[str, Group]:
    """The two province-wide groups, with their rights on the whole portal."""
    admins, _ = Group.objects.get_or_create(name=PROVINCE_ADMINS)
    auditors, _ = Group.objects.get_or_create(name=INTERNAL_AUDITORS)
    for group in (admins, auditors):
        group.permissions.add(_admin_access())
    home = PortalHomePage.objects.first()
    if home is not None:
        # Read and edit everywhere; edits still go through each agency's approval workflow.
        _set_page_permissions(admins, home, ["change", "lock", "unlock"])
    _set_collection_permissions(admins, Collection.get_first_root_node(), ["choose", "change"])
    admins.permissions.add(
        _permission("content_types", "add_agencypage"),
        _permission("content_types", "view_agencygroup"),
        # The province keeps the shared list of procedure fields (lĩnh vực).
        *(_permission("content_types", f"{a}_procedurefield") for a in ("add", "change", "view")),
        # The province sets the deadline for updating internal processes (and its overrides).
        *(
            _permission("content_types", f"{a}_updatedeadlinerule")
            for a in ("add", "change", "delete", "view")
        ),
    )
    return {PROVINCE_ADMINS: admins, INTERNAL_AUDITORS: auditors}


@transaction.atomic
def agency_provision(agency: AgencyPage) -> dict[str, Group]:
    """Create or repair the agency's groups, rights, collection, workflow and sections."""
    agency = AgencyPage.objects.get(pk=agency.pk)
    groups = _ensure_role_groups(agency)
    collection = _ensure_collection(agency)
    for role, group in groups.items():
        _set_page_permissions(group, agency, ROLE_PAGE_PERMISSIONS[role])
        _set_collection_permissions(group, collection, ROLE_COLLECTION_PERMISSIONS[role])
    _ensure_workflow(agency, groups)
    _ensure_sections(agency)
    _ensure_private_quality_system(agency, groups)
    return groups


@transaction.atomic
def agency_create(*, parent: PortalHomePage, user=None, **fields) -> AgencyPage:
    """Create an agency, publish its shell and provision it.

    The agency itself is structure managed by the province, so it is published at once; its
    content (procedures, forms, documents) goes through the agency's own workflow.
    """
    fields.setdefault("slug", vietnamese_slug(fields.get("short_name") or fields["title"]))
    agency = AgencyPage(owner=user, **fields)
    agency.full_clean(exclude=["path", "depth", "url_path"])
    parent.add_child(instance=agency)
    # The caller has checked the right to manage agencies; nobody holds "publish" on the portal.
    # Publishing provisions the agency (signals.on_agency_changed): groups, rights, sections.
    agency.save_revision(user=user, log_action=True).publish(user=user, skip_permission_checks=True)
    agency.refresh_from_db()
    return agency


def province_workflow(home: PortalHomePage) -> Workflow:
    """Edits to the portal home itself are approved by another province administrator."""
    link = WorkflowPage.objects.filter(page=home).select_related("workflow").first()
    if link is not None:
        return link.workflow
    workflow = Workflow.objects.create(name="Phê duyệt cấp tỉnh", active=True)
    task = AgencyApprovalTask.objects.create(name="Quản trị cấp tỉnh phê duyệt", active=True)
    task.groups.set([province_groups()[PROVINCE_ADMINS]])
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(page=home, workflow=workflow)
    return workflow
