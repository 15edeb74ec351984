"""«Cần rà soát»: a form's new version cites a new prescribing legal document (CT01 of Circular
53/2025/TT-BCA replacing that of 66/2023/TT-BCA); the agency's procedures using the form whose
dossier text still cites the old document are flagged for their editors."""

from __future__ import annotations

import json

from django.utils import timezone

from content_types.agency import AgencyPage
from content_types.catalogue import ChangeKind, ProcedureUpdateTask, update_deadline_for
from content_types.form_codes import legal_document_numbers
from content_types.procedures import ProcedurePage, procedure_form_ids
from content_types.versions import DocumentVersion


def _procedure_text(procedure: ProcedurePage) -> str:
    parts = [procedure.legal_basis or ""]
    for case in procedure.cases.all():
        parts.append(json.dumps(list(case.dossier.raw_data), ensure_ascii=False, default=str))
    return " ".join(parts)


def procedures_flag_for_form_change(*, form, revision) -> list[ProcedureUpdateTask]:
    """Flag the procedures still citing a document the form's new version no longer cites."""
    previous = (
        DocumentVersion.objects.filter(page_id=form.pk)
        .exclude(revision_id=revision.pk)
        .select_related("revision")
        .order_by("-issue_number")
        .first()
    )
    if previous is None:
        return []
    old = set(legal_document_numbers(previous.revision.as_object().legal_basis))
    new_numbers = legal_document_numbers(revision.as_object().legal_basis)
    dropped = sorted(old - set(new_numbers))
    if not dropped or not new_numbers:
        return []
    agency = AgencyPage.objects.ancestor_of(form).last()
    if agency is None:
        return []
    today = timezone.localdate()
    content = revision.as_object()
    flagged = []
    for procedure in ProcedurePage.objects.descendant_of(agency).live():
        if form.pk not in procedure_form_ids(procedure):
            continue
        text = _procedure_text(procedure)
        cited = [number for number in dropped if number in text]
        if not cited:
            continue
        task, _created = ProcedureUpdateTask.objects.get_or_create(
            agency=agency,
            decision_number=f"Mẫu {content.code} theo {new_numbers[0]}"[:100],
            national_code=procedure.national_code,
            kind=ChangeKind.REVIEW,
            defaults={
                "decision_effective": today,
                "procedure_title": procedure.title[:500],
                "procedure": procedure,
                "import_revision_id": procedure.latest_revision_id,
                "due_date": update_deadline_for(today, agency),
                "note": (
                    f"Biểu mẫu {content.code} nay theo {new_numbers[0]}; thành phần hồ sơ vẫn "
                    f"ghi {', '.join(cited)}."
                )[:500],
            },
        )
        flagged.append(task)
    return flagged
