"""Importing an announcing decision into one agency: preview, then drafts through approval.

`catalogue_upload` reads and checks the file and keeps it (a `CatalogueDecision` not yet
applied); `catalogue_plan` compares every record with what the agency has; `catalogue_apply`
turns the plan into draft revisions submitted to the agency's approval workflow, and the
deadline tasks, in one transaction. Nothing is ever published by an import; importing the same
file again finds nothing to change.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from wagtail.models import Page

from content_types.agency import AgencyPage
from content_types.catalogue import (
    CatalogueDecision,
    ChangeKind,
    ProcedureUpdateTask,
    update_deadline_for,
)
from content_types.indexes import ProcedureIndexPage
from content_types.procedures import ProcedurePage
from content_types.text import national_code_base, vietnamese_slug

from .reading import CatalogueFileError, Record, catalogue_read
from .records import (
    KEY_LABELS,
    agency_forms_by_code,
    procedure_record,
    record_apply,
    record_changes,
    record_normalise,
    record_summary,
)

CREATE, UPDATE, UNCHANGED, ABOLISH, ABSENT = "create", "update", "unchanged", "abolish", "absent"
ACTION_LABELS = {
    CREATE: "Thêm thủ tục mới (bản nháp, trình duyệt)",
    UPDATE: "Sửa đổi (bản nháp, trình duyệt)",
    UNCHANGED: "Không thay đổi",
    ABOLISH: "Cần bãi bỏ",
    ABSENT: "Cơ quan không có thủ tục này: bỏ qua",
}


@dataclass
class Change:
    key: str
    old: str
    new: str

    @property
    def label(self) -> str:
        return KEY_LABELS[self.key]


@dataclass
class PlanItem:
    record: Record
    kind: str  # ChangeKind
    action: str
    data: dict  # the canonical record
    procedure: ProcedurePage | None
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    task_exists: bool = False

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]

    @property
    def kind_label(self) -> str:
        return ChangeKind(self.kind).label

    @property
    def code(self) -> str:
        return self.data["code"]


@dataclass
class Plan:
    decision: CatalogueDecision
    items: list[PlanItem]
    reasons: list[str]

    def count(self, action: str) -> int:
        return sum(1 for item in self.items if item.action == action)

    @property
    def summary(self) -> list[tuple[str, int]]:
        """(action label, number of rows) for the actions the plan has."""
        return [(ACTION_LABELS[a], self.count(a)) for a in ACTION_LABELS if self.count(a)]

    @property
    def new_tasks(self) -> int:
        return sum(1 for i in self.items if not i.task_exists and i.action not in (ABSENT,))

    @property
    def changes_anything(self) -> bool:
        return any(i.action in (CREATE, UPDATE) for i in self.items) or self.new_tasks > 0


def decision_text(decision: CatalogueDecision) -> str:
    return (
        f"Quyết định số {decision.number} (có hiệu lực từ ngày {decision.effective_date:%d/%m/%Y})"
    )


def catalogue_upload(
    *,
    agency: AgencyPage,
    user,
    number: str,
    effective_date: date,
    file_name: str,
    content: bytes,
) -> CatalogueDecision:
    """Check the file (raises CatalogueFileError with the reasons) and keep it for the preview.
    The same file under the same decision number is the same upload: nothing new is stored."""
    from .reading import file_format

    number = " ".join((number or "").split())
    reasons = []
    if not number:
        reasons.append("Nhập số quyết định công bố, ví dụ 1234/QĐ-UBND.")
    if effective_date is None:
        reasons.append("Nhập ngày quyết định có hiệu lực.")
    kind = file_format(file_name)
    if kind is None:
        reasons.append("Chỉ nhận tệp .xlsx, .csv hoặc .json.")
    if reasons:
        raise CatalogueFileError(reasons)
    catalogue_read(content=content, file_format=kind)
    digest = hashlib.sha256(content).hexdigest()
    decision = CatalogueDecision.objects.filter(
        agency=agency, number=number, effective_date=effective_date, file_sha256=digest
    ).first()
    if decision is not None:
        return decision
    return CatalogueDecision.objects.create(
        agency=agency,
        number=number,
        effective_date=effective_date,
        file_name=file_name[:255],
        file_format=kind,
        file_sha256=digest,
        content=content,
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
    )


def agency_procedures(agency: AgencyPage) -> dict[str, ProcedurePage]:
    """{base national code: procedure} of the agency."""
    found = {}
    for page in ProcedurePage.objects.descendant_of(agency).order_by("path"):
        found.setdefault(national_code_base(page.national_code), page)
    return found


def catalogue_plan(*, decision: CatalogueDecision) -> Plan:
    """What the import would do, record by record, against the agency's latest revisions."""
    agency = decision.agency
    try:
        records = catalogue_read(content=bytes(decision.content), file_format=decision.file_format)
    except CatalogueFileError as error:
        return Plan(decision=decision, items=[], reasons=error.reasons)
    existing = agency_procedures(agency)
    forms = agency_forms_by_code(agency)
    codes_of = {form.pk: code for code, form in forms.items()}
    tasks = set(
        ProcedureUpdateTask.objects.filter(
            agency=agency, decision_number=decision.number
        ).values_list("national_code", "kind")
    )
    reasons: list[str] = []
    items: list[PlanItem] = []
    text = decision_text(decision)

    def add_abolish(record: Record, code: str, data: dict) -> None:
        procedure = existing.get(national_code_base(code))
        action = ABOLISH if procedure is not None else ABSENT
        items.append(
            PlanItem(
                record=record,
                kind=ChangeKind.ABOLISHED,
                action=action,
                data={**data, "code": procedure.national_code if procedure else code},
                procedure=procedure,
                task_exists=(code, ChangeKind.ABOLISHED) in tasks
                or (
                    procedure is not None
                    and (procedure.national_code, ChangeKind.ABOLISHED) in tasks
                ),
            )
        )

    for record in records:
        data = record_normalise(record.data, decision=text)
        procedure = existing.get(national_code_base(data["code"]))
        if record.kind == ChangeKind.ABOLISHED:
            add_abolish(record, data["code"], data)
            continue
        if procedure is not None:
            # Keep the agency's own spelling of the code (its provincial suffix).
            data["code"] = procedure.national_code
        kind = record.kind or (ChangeKind.AMENDED if procedure else ChangeKind.NEW)
        if procedure is None:
            action, changes = CREATE, []
            current = None
        else:
            current = procedure_record(
                procedure.get_latest_revision_as_object(), form_codes=codes_of
            )
            keys = record_changes(current, data)
            changes = [
                Change(key, record_summary(current, key), record_summary(data, key)) for key in keys
            ]
            action = UPDATE if keys else UNCHANGED
            if action == UPDATE and procedure.workflow_in_progress:
                reasons.append(
                    f"{record.where}: thủ tục {data['code']} đang chờ duyệt một bản sửa đổi "
                    "khác; hãy duyệt xong hoặc rút lại bản đó trước khi nhập."
                )
                continue
        warnings = [
            f"Cơ quan chưa có biểu mẫu mã {code}: thành phần hồ sơ sẽ chưa có mẫu."
            for code in _form_codes(data)
            if code not in forms
        ]
        items.append(
            PlanItem(
                record=record,
                kind=kind,
                action=action,
                data=data,
                procedure=procedure,
                changes=changes,
                warnings=warnings,
                task_exists=(data["code"], kind) in tasks,
            )
        )
        if kind == ChangeKind.REPLACED and record.data.get("replaces"):
            add_abolish(record, record.data["replaces"], {"name": "", "code": ""})
    return Plan(decision=decision, items=items, reasons=reasons)


def _form_codes(data: dict) -> list[str]:
    codes = list(data.get("forms") or [])
    for case in data.get("cases") or []:
        for component in case["dossier"]:
            codes += component["forms"]
    return list(dict.fromkeys(codes))


def _unique_slug(index: Page, title: str, code: str) -> str:
    base = vietnamese_slug(title, max_length=70)
    taken = set(index.get_children().values_list("slug", flat=True))
    for candidate in (base, f"{base}-{vietnamese_slug(code)}"):
        if candidate not in taken:
            return candidate
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _submit(page: ProcedurePage, user) -> None:
    workflow = page.get_workflow()
    if workflow is not None and user is not None:
        workflow.start(page, user)


@transaction.atomic
def catalogue_apply(*, decision: CatalogueDecision, user) -> Plan:
    """Drafts for every new or changed procedure, each submitted to the agency's approval
    workflow, and the deadline tasks. Raises CatalogueFileError (changing nothing) when any
    record cannot be imported."""
    decision = CatalogueDecision.objects.select_for_update().get(pk=decision.pk)
    plan = catalogue_plan(decision=decision)
    if plan.reasons:
        raise CatalogueFileError(plan.reasons)
    agency = decision.agency
    index = agency.get_children().type(ProcedureIndexPage).first()
    if index is None:
        raise CatalogueFileError(["Cơ quan chưa có mục «Thủ tục hành chính»."])
    index = index.specific
    forms = agency_forms_by_code(agency)
    due = update_deadline_for(decision.effective_date)
    for item in plan.items:
        revision_id = None
        if item.action == CREATE:
            page = ProcedurePage(
                title=item.data["name"],
                slug=_unique_slug(index, item.data["name"], item.code),
                live=False,
                owner=user,
            )
            item.warnings = record_apply(page, item.data, forms=forms)
            index.add_child(instance=page)
            revision = page.save_revision(user=user, log_action=True)
            revision_id = revision.pk
            _submit(page, user)
            item.procedure = page
        elif item.action == UPDATE:
            latest = item.procedure.get_latest_revision_as_object()
            item.warnings = record_apply(latest, item.data, forms=forms)
            revision = latest.save_revision(user=user, log_action=True)
            revision_id = revision.pk
            _submit(Page.objects.get(pk=item.procedure.pk).specific, user)
        elif item.procedure is not None:
            revision_id = item.procedure.latest_revision_id
        if item.action == ABSENT or item.task_exists:
            continue
        ProcedureUpdateTask.objects.get_or_create(
            agency=agency,
            decision_number=decision.number,
            national_code=item.code,
            kind=item.kind,
            defaults={
                "decision": decision,
                "decision_effective": decision.effective_date,
                "procedure_title": (item.data.get("name") or item.procedure.title)[:500],
                "procedure_id": item.procedure.pk if item.procedure else None,
                "import_revision_id": revision_id,
                "due_date": due,
            },
        )
    if decision.applied_at is None:
        decision.applied_at = timezone.now()
        decision.save(update_fields=["applied_at"])
    return plan
