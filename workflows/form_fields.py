"""Keep each form's procedure fields (FormDocumentPage.procedure_fields) in step with the live
procedures that use it: on a procedure's publish, unpublish and deletion."""

from __future__ import annotations

from django.db.models import Q

from content_types.documents import FormDocumentPage
from content_types.procedures import ProcedurePageForm, form_fields_refresh


def form_fields_after_procedure_change(procedure_id: int) -> int:
    """Refresh the forms the procedure uses now and every form that has fields at all: a form
    the procedure no longer uses had fields before, so it is among the latter."""
    used_now = ProcedurePageForm.objects.filter(page_id=procedure_id).values("form_page_id")
    forms = FormDocumentPage.objects.filter(Q(pk__in=used_now) | ~Q(procedure_fields=""))
    return form_fields_refresh(ProcedurePageForm.objects.all(), forms)
