"""The agency's master list of documented information (danh mục tài liệu, ISO 9001 §7.5.3):
every controlled document and form with its code, current issue and state, and its XLSX export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from wagtail.models import Page, WorkflowState

from content_types.agency import AgencyPage
from content_types.documents import ControlledDocumentPage, DocumentKind, FormDocumentPage
from content_types.versions import DocumentVersion, current_version_ids

FORM_KIND = "form"
KIND_LABELS = {FORM_KIND: "Biểu mẫu", **dict(DocumentKind.choices)}

STATUS_LABELS = {
    "current": "Đang hiệu lực",
    "scheduled": "Chờ hiệu lực",
    "in_review": "Đang trình duyệt",
    "returned": "Bị trả lại",
    "draft": "Dự thảo",
}


@dataclass(frozen=True)
class MasterListRow:
    page: Page
    kind: str
    code: str
    title: str
    issue_number: int | None
    effective_from: datetime | None
    status: str
    pending: str  # what is happening to the next version, if anything

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def _pending_label(workflow_status: str | None, scheduled: DocumentVersion | None) -> str:
    if scheduled is not None:
        when = timezone.localtime(scheduled.effective_from).strftime("%d/%m/%Y")
        return f"Lần {scheduled.issue_label} chờ hiệu lực từ {when}"
    if workflow_status == WorkflowState.STATUS_IN_PROGRESS:
        return STATUS_LABELS["in_review"]
    if workflow_status == WorkflowState.STATUS_NEEDS_CHANGES:
        return STATUS_LABELS["returned"]
    return ""


def master_list_rows(
    agency: AgencyPage,
    *,
    status: str | None = None,
    kind: str | None = None,
    query: str | None = None,
    at: datetime | None = None,
) -> list[MasterListRow]:
    at = at or timezone.now()
    pages = list(
        Page.objects.descendant_of(agency)
        .type(FormDocumentPage, ControlledDocumentPage)
        .specific()
        .order_by("path")
    )
    ids = [p.pk for p in pages]
    current_ids = current_version_ids(ids, at)
    current = {v.page_id: v for v in DocumentVersion.objects.filter(pk__in=current_ids.values())}
    scheduled = {}
    for version in DocumentVersion.objects.filter(page_id__in=ids, effective_from__gt=at).order_by(
        "-effective_from"
    ):
        scheduled[version.page_id] = version
    workflow_status = dict(
        WorkflowState.objects.active()
        .filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=[str(i) for i in ids],
        )
        .values_list("object_id", "status")
    )
    rows = []
    for page in pages:
        version = current.get(page.pk)
        wf = workflow_status.get(str(page.pk))
        if version is not None:
            row_status = "current"
        elif page.pk in scheduled:
            row_status = "scheduled"
        elif wf == WorkflowState.STATUS_IN_PROGRESS:
            row_status = "in_review"
        elif wf == WorkflowState.STATUS_NEEDS_CHANGES:
            row_status = "returned"
        else:
            row_status = "draft"
        rows.append(
            MasterListRow(
                page=page,
                kind=FORM_KIND if isinstance(page, FormDocumentPage) else page.kind,
                code=version.code if version else page.code,
                title=version.title if version else page.title,
                issue_number=version.issue_number if version else None,
                effective_from=version.effective_from if version else None,
                status=row_status,
                pending=_pending_label(wf, scheduled.get(page.pk)),
            )
        )
    if status:
        rows = [r for r in rows if r.status == status]
    if kind:
        rows = [r for r in rows if r.kind == kind]
    if query:
        needle = query.strip().lower()
        rows = [r for r in rows if needle in r.code.lower() or needle in r.title.lower()]
    return rows


def master_list_xlsx(agency: AgencyPage, rows: list[MasterListRow]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh mục tài liệu"
    sheet.append([f"DANH MỤC TÀI LIỆU — {agency.title.upper()}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([f"Ngày lập: {timezone.localtime().strftime('%d/%m/%Y %H:%M')}"])
    sheet.append([])
    header = [
        "STT", "Mã hiệu", "Tên tài liệu", "Loại", "Lần ban hành", "Ngày hiệu lực",
        "Tình trạng", "Bản sửa đổi",
    ]  # fmt: skip
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for number, row in enumerate(rows, start=1):
        sheet.append(
            [
                number,
                row.code,
                row.title,
                row.kind_label,
                f"{row.issue_number:02d}" if row.issue_number else "",
                timezone.localtime(row.effective_from).date() if row.effective_from else None,
                row.status_label,
                row.pending,
            ]
        )
        sheet.cell(row=sheet.max_row, column=6).number_format = "DD/MM/YYYY"
    for column, width in zip("ABCDEFGH", (6, 18, 50, 24, 12, 14, 18, 32), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def agencies_visible_to(user):
    """The agencies whose master list `user` may open."""
    from .access import user_agency_ids, user_sees_every_agency

    agencies = AgencyPage.objects.order_by("title")
    if user_sees_every_agency(user):
        return agencies
    return agencies.filter(Q(pk__in=user_agency_ids(user)))
