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
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from wagtail.models import Page

from content_types.agency import AgencyPage
from content_types.catalogue import (
    CatalogueDecision,
    ChangeKind,
    ProcedureUpdateTask,
    TaskStatus,
    update_deadline_for,
)
from content_types.indexes import ProcedureIndexPage
from content_types.procedures import ProcedurePage, procedure_form_ids
from content_types.text import national_code_base, vietnamese_slug

from ..withdrawal import withdrawal_pending, withdrawal_request
from .agencies import agency_matcher
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
    ABOLISH: "Cần bãi bỏ (trình đề nghị bãi bỏ, lãnh đạo phê duyệt)",
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
    agency: AgencyPage
    kind: str  # ChangeKind
    action: str
    data: dict  # the canonical record
    procedure: ProcedurePage | None
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    task_exists: bool = False
    # Abolished: a withdrawal of the procedure is already waiting for approval.
    withdrawal_pending: bool = False
    withdrawal_started: bool = False

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
    # An agency's import: rows of the file that name other agencies, left to them.
    others: int = 0

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
        return (
            any(i.action in (CREATE, UPDATE) for i in self.items)
            or any(
                i.action == ABOLISH and i.procedure.live and not i.withdrawal_pending
                for i in self.items
            )
            or self.new_tasks > 0
        )

    @property
    def agencies(self) -> list[tuple[AgencyPage, list[PlanItem]]]:
        """The items grouped by agency, in the plan's order."""
        grouped: dict[int, tuple[AgencyPage, list[PlanItem]]] = {}
        for item in self.items:
            grouped.setdefault(item.agency.pk, (item.agency, []))[1].append(item)
        return list(grouped.values())


def decision_text(decision: CatalogueDecision) -> str:
    return (
        f"Quyết định số {decision.number} (có hiệu lực từ ngày {decision.effective_date:%d/%m/%Y})"
    )


def catalogue_upload(
    *,
    agency: AgencyPage | None,
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
    records = catalogue_read(content=content, file_format=kind)
    if agency is None:
        # The province's file: every row must name a known agency, or nothing is kept.
        _split, _others, reasons = records_split(records=records, agency=None)
        if reasons:
            raise CatalogueFileError(reasons)
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


def records_split(
    *, records: list[Record], agency: AgencyPage | None
) -> tuple[dict[int, tuple[AgencyPage, list[Record]]], int, list[str]]:
    """The records each agency receives, the number of rows left to other agencies, and the
    reasons to refuse.

    The province's file (`agency` None): every row goes to the agencies its «Cơ quan thực
    hiện» names; a row naming no known agency refuses the file. An agency's import: when the
    file names other agencies it is the province's list, and only the rows naming this agency
    are taken (the rest counted); otherwise it is the agency's own list (its export, a list
    it prepared, naming its units or nobody known) and every row is taken."""
    matcher = agency_matcher()
    split: dict[int, tuple[AgencyPage, list[Record]]] = {}
    others = 0
    reasons: list[str] = []
    found_of = [
        (record, matcher.match(str(record.data.get("agency") or "").strip())) for record in records
    ]
    shared = agency is not None and any(
        found and all(a.pk != agency.pk for a in found) for _r, found in found_of
    )
    for record, found in found_of:
        text = str(record.data.get("agency") or "").strip()
        if agency is not None:
            if shared and all(a.pk != agency.pk for a in found):
                others += 1
                continue
            found = [agency]
        elif not found:
            reasons.append(
                f"{record.where} (mã {record.code}): "
                + (
                    f"không có cơ quan «{text}» trong hệ thống; cơ quan thực hiện phải ghi đúng "
                    "tên, tên viết tắt hoặc mã của một cơ quan đã có (hoặc «UBND cấp xã»)."
                    if text
                    else "thiếu cơ quan thực hiện."
                )
            )
            continue
        for target in found:
            split.setdefault(target.pk, (target, []))[1].append(record)
    return split, others, reasons


def catalogue_plan(*, decision: CatalogueDecision) -> Plan:
    """What the import would do, record by record, against each agency's latest revisions."""
    try:
        records = catalogue_read(content=bytes(decision.content), file_format=decision.file_format)
    except CatalogueFileError as error:
        return Plan(decision=decision, items=[], reasons=error.reasons)
    split, others, reasons = records_split(records=records, agency=decision.agency)
    if reasons:
        return Plan(decision=decision, items=[], reasons=reasons, others=others)
    items: list[PlanItem] = []
    for agency, agency_records in sorted(split.values(), key=lambda pair: pair[0].title):
        agency_items, agency_reasons = _agency_plan(
            decision=decision, agency=agency, records=agency_records
        )
        items += agency_items
        reasons += agency_reasons
    return Plan(decision=decision, items=items, reasons=reasons, others=others)


def _agency_plan(
    *, decision: CatalogueDecision, agency: AgencyPage, records: list[Record]
) -> tuple[list[PlanItem], list[str]]:
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
    where = "" if decision.agency_id else f" ({agency.title})"

    def add_abolish(record: Record, code: str, data: dict) -> None:
        procedure = existing.get(national_code_base(code))
        action = ABOLISH if procedure is not None else ABSENT
        pending = False
        if procedure is not None and procedure.workflow_in_progress:
            pending = withdrawal_pending(procedure) is not None
            if not pending:
                reasons.append(
                    f"{record.where}{where}: thủ tục {procedure.national_code} đang trong quy "
                    "trình phê duyệt một bản sửa đổi; hãy duyệt xong hoặc rút lại bản đó trước "
                    "khi nhập quyết định bãi bỏ."
                )
                return
        items.append(
            PlanItem(
                record=record,
                agency=agency,
                kind=ChangeKind.ABOLISHED,
                action=action,
                data={**data, "code": procedure.national_code if procedure else code},
                procedure=procedure,
                withdrawal_pending=pending,
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
            # Compared as it would be stored: a form the agency lacks cannot be linked, so it
            # is no change (the warning below says so), and the same file stays unchanged.
            stored = _with_known_forms(data, forms)
            keys = record_changes(current, stored)
            changes = [
                Change(key, record_summary(current, key), record_summary(stored, key))
                for key in keys
            ]
            action = UPDATE if keys else UNCHANGED
            if action == UPDATE and procedure.workflow_in_progress:
                reasons.append(
                    f"{record.where}{where}: thủ tục {data['code']} đang chờ duyệt một bản sửa "
                    "đổi khác; hãy duyệt xong hoặc rút lại bản đó trước khi nhập."
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
                agency=agency,
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
    return items, reasons


def _with_known_forms(data: dict, forms: dict) -> dict:
    """`data` with only the form codes the agency has."""
    stored = dict(data)
    if "forms" in data:
        stored["forms"] = [code for code in data["forms"] if code in forms]
    if "cases" in data:
        stored["cases"] = [
            {
                **case,
                "dossier": [
                    {**c, "forms": [code for code in c["forms"] if code in forms]}
                    for c in case["dossier"]
                ],
            }
            for case in data["cases"]
        ]
    return stored


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


def _withdrawal_start(item: PlanItem, *, decision: CatalogueDecision, user) -> bool:
    """Ask, through the agency's approval workflow, to withdraw a live procedure the decision
    abolishes; from the decision's effective date when that is still ahead. True when asked."""
    procedure = Page.objects.get(pk=item.procedure.pk).specific
    if not procedure.live or item.withdrawal_pending or procedure.get_workflow() is None:
        return False
    effective_at = None
    if decision.effective_date > timezone.localdate():
        effective_at = timezone.make_aware(
            datetime.combine(decision.effective_date, datetime.min.time())
        )
    withdrawal_request(
        page=procedure,
        user=user,
        reason=f"Bãi bỏ theo {decision_text(decision)}."[:1000],
        effective_at=effective_at,
        # The right to import the decision for this agency is the authority to ask.
        permission_checked=True,
    )
    return True


def _forms_left_note(procedure: ProcedurePage) -> str:
    """Withdrawing a procedure leaves its forms in force (a form has its own versions and its
    own withdrawal); name those no other live procedure of the agency uses, for the editor to
    decide."""
    from content_types.documents import FormDocumentPage

    own = set(procedure_form_ids(procedure))
    if not own:
        return ""
    agency = AgencyPage.objects.ancestor_of(procedure).last()
    for other in ProcedurePage.objects.descendant_of(agency).live().exclude(pk=procedure.pk):
        own -= set(procedure_form_ids(other))
    codes = sorted(FormDocumentPage.objects.filter(pk__in=own).values_list("code", flat=True))
    if not codes:
        return ""
    return (
        f"Biểu mẫu chỉ thủ tục này dùng: {', '.join(codes)} — vẫn còn hiệu lực; nếu không còn "
        "dùng, hãy đề nghị bãi bỏ từng biểu mẫu."
    )


@transaction.atomic
def catalogue_apply(*, decision: CatalogueDecision, user) -> Plan:
    """Drafts for every new or changed procedure and a withdrawal request for every abolished
    one, each submitted to its agency's approval workflow, and the deadline tasks. Raises
    CatalogueFileError (changing nothing) when any record cannot be imported."""
    decision = CatalogueDecision.objects.select_for_update().get(pk=decision.pk)
    plan = catalogue_plan(decision=decision)
    if plan.reasons:
        raise CatalogueFileError(plan.reasons)
    indexes: dict[int, ProcedureIndexPage] = {}
    forms_of: dict[int, dict] = {}
    reasons = []
    for agency in {item.agency.pk: item.agency for item in plan.items}.values():
        index = agency.get_children().type(ProcedureIndexPage).first()
        if index is None:
            reasons.append(f"{agency.title}: cơ quan chưa có mục «Thủ tục hành chính».")
            continue
        indexes[agency.pk] = index.specific
        forms_of[agency.pk] = agency_forms_by_code(agency)
    if reasons:
        raise CatalogueFileError(reasons)
    for item in plan.items:
        agency = item.agency
        index, forms = indexes[agency.pk], forms_of[agency.pk]
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
        if item.action == ABOLISH:
            item.withdrawal_started = _withdrawal_start(item, decision=decision, user=user)
        if item.action == ABSENT or item.task_exists:
            continue
        # A procedure already off the public site has nothing left to withdraw.
        done = item.action == ABOLISH and not item.procedure.live
        note = _forms_left_note(item.procedure) if item.action == ABOLISH else ""
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
                "due_date": update_deadline_for(decision.effective_date, agency),
                "status": TaskStatus.DONE if done else TaskStatus.OPEN,
                "closed_at": timezone.now() if done else None,
                "note": note[:500],
            },
        )
    if decision.applied_at is None:
        decision.applied_at = timezone.now()
        decision.save(update_fields=["applied_at"])
    return plan
