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
from content_types.versions import VersionPeriod, VersionStatus, version_periods_many

FORM_KIND = "form"
KIND_LABELS = {FORM_KIND: "Biểu mẫu", **dict(DocumentKind.choices)}

# The statuses of an issued version come from content_types.versions.version_status, the rule
# the public site follows; the others describe items with no version in force or waiting.
STATUS_LABELS = {
    VersionStatus.CURRENT.value: VersionStatus.CURRENT.label,
    VersionStatus.SCHEDULED.value: VersionStatus.SCHEDULED.label,
    VersionStatus.WITHDRAWN.value: VersionStatus.WITHDRAWN.label,
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


def _pending_label(
    workflow_status: str | None, waiting: VersionPeriod | None, withdrawing: bool
) -> str:
    if waiting is not None:
        version = waiting.version
        if waiting.status == VersionStatus.SCHEDULED:
            when = timezone.localtime(version.effective_from).strftime("%d/%m/%Y %H:%M")
            return f"Lần {version.issue_label} chờ hiệu lực từ {when}"
        when = timezone.localtime(version.withdrawn_at).strftime("%d/%m/%Y %H:%M")
        return f"Bãi bỏ từ {when}"
    if withdrawing and workflow_status == WorkflowState.STATUS_IN_PROGRESS:
        return "Đang trình bãi bỏ"
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
    """One row per controlled item, its status at `at` decided by the versions' own rule."""
    from .models import WithdrawalRequest

    at = at or timezone.now()
    pages = list(
        Page.objects.descendant_of(agency)
        .type(FormDocumentPage, ControlledDocumentPage)
        .specific()
        .order_by("path")
    )
    ids = [p.pk for p in pages]
    periods = version_periods_many(ids, at)
    states = dict(
        WorkflowState.objects.active()
        .filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=[str(i) for i in ids],
        )
        .values_list("object_id", "pk")
    )
    status_of_state = dict(
        WorkflowState.objects.filter(pk__in=states.values()).values_list("pk", "status")
    )
    withdrawing = set(
        WithdrawalRequest.objects.filter(workflow_state__in=states.values()).values_list(
            "page_id", flat=True
        )
    )
    rows = []
    for page in pages:
        page_periods = periods.get(page.pk, [])
        shown = next((p for p in page_periods if p.status == VersionStatus.CURRENT), None)
        shown = shown or next(
            (p for p in reversed(page_periods) if p.status == VersionStatus.WITHDRAWN), None
        )
        waiting = next((p for p in page_periods if p.status == VersionStatus.SCHEDULED), None)
        if shown is None and waiting is not None:
            shown, waiting = waiting, None  # the first version, waiting for its moment
        if (
            waiting is None
            and shown is not None
            and shown.status == VersionStatus.CURRENT
            and shown.version.withdrawn_at is not None
        ):
            waiting = shown  # an approved withdrawal, not yet in effect
        state_id = states.get(str(page.pk))
        wf = status_of_state.get(state_id)
        if shown is not None:
            row_status = shown.status.value
        elif wf == WorkflowState.STATUS_IN_PROGRESS:
            row_status = "in_review"
        elif wf == WorkflowState.STATUS_NEEDS_CHANGES:
            row_status = "returned"
        else:
            row_status = "draft"
        version = shown.version if shown is not None else None
        rows.append(
            MasterListRow(
                page=page,
                kind=FORM_KIND if isinstance(page, FormDocumentPage) else page.kind,
                code=version.code if version else page.code,
                title=version.title if version else page.title,
                issue_number=version.issue_number if version else None,
                effective_from=version.effective_from if version else None,
                status=row_status,
                pending=_pending_label(wf, waiting, page.pk in withdrawing),
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
