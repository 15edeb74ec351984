"""Marked objects of agency A, and the registry other apps extend.

Every object A's staff hold that B must never see carries `MARK` (in a title, a name, a comment,
a file name). The admin walk (test_admin_walk.py) fills URL ids from `MarkedWorld.ids`, keyed by
model label; a new admin view is covered as soon as its model has marked objects. Another app
adds its own in a module `tests/security/marked_<app>.py` (imported by `build_world`):

    from tests.security.marked import MARK, SEARCH_WORD, marked_builder

    @marked_builder
    def audit_records(world):
        record = AuditRecord.objects.create(agency=world.agency_a, title=f"{MARK} {SEARCH_WORD} …")
        world.add(record)

and, when the objects can change, `@fingerprint_part` returning something comparable that a
successful change through B would alter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone

from wagtail.admin.models import EditingSession
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    PageViewRestriction,
    Revision,
    Site,
    Task,
    TaskState,
    UploadedFile,
    Workflow,
    WorkflowState,
)

from content_types.agency import AgencyGroup, AgencyPage, AgencyRole
from content_types.versions import DocumentVersion
from tests.factories import make_draft_document, make_form, new_revision, run_workflow

# ASCII, so no escaping (HTML, JSON, URL) can hide it; looked for case-insensitively.
MARK = "QXMARKA7Z"
MARK_LOWER = MARK.lower()
# A second word in every marked title: listings are searched for it, so a search box that echoes
# the query never shows the mark itself.
SEARCH_WORD = "kinhmatz"

# A minimal valid PDF and PNG, so Wagtail accepts the files and can render images.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _png() -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()


def label_of(model) -> str:
    return model._meta.label_lower


@dataclass
class MarkedWorld:
    agency_a: AgencyPage
    staff_a: dict
    agency_b: AgencyPage
    staff_b: dict
    ids: dict[str, list] = field(default_factory=dict)  # model label → A's marked ids
    extra: dict[str, object] = field(default_factory=dict)

    def add(self, obj, *, label: str | None = None) -> None:
        key = label or label_of(type(obj))
        values = self.ids.setdefault(key, [])
        if obj.pk not in values:
            values.append(obj.pk)
        if isinstance(obj, Page) and key != "wagtailcore.page":
            self.add(obj, label="wagtailcore.page")


Builder = Callable[[MarkedWorld], None]
MARKED_BUILDERS: list[Builder] = []
FINGERPRINT_PARTS: list[Callable[[MarkedWorld], object]] = []


def marked_builder(builder: Builder) -> Builder:
    MARKED_BUILDERS.append(builder)
    return builder


def fingerprint_part(part):
    FINGERPRINT_PARTS.append(part)
    return part


def _import_extensions() -> None:
    import importlib
    import pkgutil
    from pathlib import Path

    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name.startswith("marked_"):
            importlib.import_module(f"{__package__}.{module.name}")


def build_world(agency_a, staff_a, agency_b, staff_b) -> MarkedWorld:
    _import_extensions()
    world = MarkedWorld(agency_a, staff_a, agency_b, staff_b)
    for builder in MARKED_BUILDERS:
        builder(world)
    return world


def world_fingerprint(world: MarkedWorld) -> list:
    return [part(world) for part in FINGERPRINT_PARTS]


# --------------------------------------------------------------------------------------------
# The project's own marked objects
# --------------------------------------------------------------------------------------------


def _document(world: MarkedWorld, title: str, name: str):
    document = get_document_model().objects.create(
        title=f"{MARK} {SEARCH_WORD} {title}",
        file=ContentFile(PDF, name=f"{MARK_LOWER}-{name}.pdf"),
        collection=world.agency_a.collection,
        uploaded_by_user=world.staff_a[AgencyRole.EDITORS],
    )
    world.add(document)
    return document


@marked_builder
def agency_pages(world: MarkedWorld) -> None:
    editor = world.staff_a[AgencyRole.EDITORS]
    # Staff names are not secret (filters list them); their accounts are A's to manage.
    for user in world.staff_a.values():
        world.add(user)

    # A private quality-system draft with an attachment, waiting for review.
    draft = make_draft_document(world.agency_a, editor, title=f"{MARK} {SEARCH_WORD} Sổ tay nháp")
    draft.body = f"<p>{MARK} nội dung nháp</p>"
    draft.attachment = _document(world, "Phụ lục nháp", "phu-luc")
    draft.save_revision(user=editor)
    draft.get_workflow().start(draft, editor)
    world.add(draft)
    world.extra["draft_document"] = draft

    # A private document in force, with an issued version, and a newer draft on top.
    issued = make_draft_document(
        world.agency_a, editor, title=f"{MARK} {SEARCH_WORD} Quy trình nội bộ"
    )
    issued = run_workflow(issued, world.staff_a)
    new_revision(issued, editor, title=f"{MARK} {SEARCH_WORD} Quy trình nội bộ sửa đổi")
    world.add(issued)
    world.extra["issued_document"] = issued

    # A draft form with its new file: belongs to no issued version.
    form = make_form(
        world.agency_a, editor, code="BM.99-QT.99", title=f"{MARK} {SEARCH_WORD} Tờ khai nháp"
    )
    form.file = _document(world, "Tờ khai nháp", "to-khai")
    form.save_revision(user=editor)
    world.add(form)
    world.extra["draft_form"] = form

    for page in (draft, issued, form):
        for revision in Revision.page_revisions.filter(object_id=str(page.pk)):
            world.add(revision)
    for state in WorkflowState.objects.filter(object_id=str(draft.pk)):
        world.add(state)
        for task_state in TaskState.objects.filter(workflow_state=state):
            world.add(task_state)
    for version in DocumentVersion.objects.filter(page_id=issued.pk):
        world.add(version)


@marked_builder
def agency_files_and_roles(world: MarkedWorld) -> None:
    image = get_image_model().objects.create(
        title=f"{MARK} {SEARCH_WORD} Ảnh nội bộ",
        file=ContentFile(PNG, name=f"{MARK_LOWER}-anh.png"),
        collection=world.agency_a.collection,
        uploaded_by_user=world.staff_a[AgencyRole.EDITORS],
    )
    world.add(image)
    world.add(Collection.objects.get(pk=world.agency_a.collection_id))
    for link in AgencyGroup.objects.filter(agency=world.agency_a).select_related("group"):
        world.add(link.group)
    world.add(world.agency_a)
    workflow = world.agency_a.get_workflow()
    world.add(workflow, label="wagtailcore.workflow")
    for task in workflow.tasks.all():
        task.name = f"{MARK} {SEARCH_WORD} {task.name}"
        task.save(update_fields=["name"])
        world.add(task, label="wagtailcore.task")
        world.add(task.specific)

    # The sections holding the marked pages, for explorer and chooser listings.
    for page in world.agency_a.get_children():
        world.add(page, label="parent_page")
    world.add(world.agency_a, label="parent_page")

    # An agency hostname, a redirect to the draft, an editing session, pending uploads.
    site = Site.objects.create(
        hostname=f"{MARK_LOWER}.example.vn",
        port=80,
        root_page=world.agency_a,
        site_name="Cổng thành phần",  # public, like the hostname
    )
    world.add(site)
    draft = world.extra["draft_document"]
    world.add(Redirect.objects.create(old_path=f"/{MARK_LOWER}-cu", redirect_page=draft, site=site))
    editor = world.staff_a[AgencyRole.EDITORS]
    world.add(
        EditingSession.objects.create(
            user=editor,
            content_type=ContentType.objects.get_for_model(Page),
            object_id=str(draft.pk),
            last_seen_at=timezone.now(),
        )
    )
    for model, data, name in (
        (get_document_model(), PDF, "cho-xu-ly.pdf"),
        (get_image_model(), PNG, "cho-xu-ly.png"),
    ):
        world.add(
            UploadedFile.objects.create(
                file=ContentFile(data, name=f"{MARK_LOWER}-{name}"),
                uploaded_by_user=editor,
                for_content_type=ContentType.objects.get_for_model(model),
            )
        )


# --------------------------------------------------------------------------------------------
# What a change through B would alter
# --------------------------------------------------------------------------------------------


def _a_pages(world):
    return Page.objects.descendant_of(world.agency_a, inclusive=True)


@fingerprint_part
def pages_part(world):
    pages = _a_pages(world).order_by("pk")
    return list(
        pages.values_list(
            "pk",
            "title",
            "draft_title",
            "slug",
            "live",
            "path",
            "locked",
            "owner_id",
            "latest_revision_id",
            "live_revision_id",
            "has_unpublished_changes",
            "go_live_at",
            "expire_at",
            "alias_of_id",
        )
    ) + [
        Revision.page_revisions.filter(
            object_id__in=[str(pk) for pk in pages.values_list("pk", flat=True)]
        ).count(),
        list(
            PageViewRestriction.objects.filter(page__in=pages).values_list(
                "page_id", "restriction_type", "password"
            )
        ),
    ]


@fingerprint_part
def workflow_part(world):
    pks = [str(pk) for pk in _a_pages(world).values_list("pk", flat=True)]
    return (
        list(
            WorkflowState.objects.filter(object_id__in=pks)
            .order_by("pk")
            .values_list("pk", "status", "current_task_state_id")
        ),
        list(
            TaskState.objects.filter(workflow_state__object_id__in=pks)
            .order_by("pk")
            .values_list("pk", "status", "comment")
        ),
        list(
            Workflow.objects.filter(pk=world.agency_a.get_workflow().pk).values_list(
                "name", "active"
            )
        ),
        list(
            Task.objects.filter(pk__in=world.ids.get("wagtailcore.task", []))
            .order_by("pk")
            .values_list("name", "active")
        ),
        list(DocumentVersion.objects.filter(page_id__in=pks).order_by("pk").values_list()),
    )


@fingerprint_part
def files_part(world):
    collection = world.agency_a.collection_id
    return (
        list(
            get_document_model()
            .objects.filter(collection_id=collection)
            .order_by("pk")
            .values_list("pk", "title", "file", "collection_id")
        ),
        list(
            get_image_model()
            .objects.filter(collection_id=collection)
            .order_by("pk")
            .values_list("pk", "title", "file", "collection_id", "focal_point_x")
        ),
        list(Collection.objects.filter(pk=collection).values_list("name", "path")),
        sorted(Site.objects.values_list("pk", "hostname", "root_page_id", "is_default_site")),
        sorted(Redirect.objects.values_list("pk", "old_path", "redirect_page_id", "site_id")),
    )


@fingerprint_part
def people_part(world):
    users = get_user_model().objects.filter(pk__in=world.ids.get(label_of(get_user_model()), []))
    groups = Group.objects.filter(agency_role__agency=world.agency_a)
    return (
        list(
            users.order_by("pk").values_list(
                "pk", "username", "password", "is_active", "is_superuser", "email", "last_name"
            )
        ),
        sorted(users.values_list("pk", "groups")),
        list(groups.order_by("pk").values_list("pk", "name")),
        sorted(groups.values_list("pk", "permissions")),
        sorted(GroupPagePermission.objects.filter(group__in=groups).values_list()),
        sorted(GroupCollectionPermission.objects.filter(group__in=groups).values_list()),
        # Nobody of B may become a member of A's groups.
        sorted(
            get_user_model()
            .objects.filter(groups__in=groups)
            .exclude(pk__in=users.values("pk"))
            .values_list("pk", flat=True)
        ),
    )
