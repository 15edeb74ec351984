"""Keep each form's procedure fields (FormDocumentPage.procedure_fields) in step with the live
procedures that use it: on a procedure's publish, unpublish and deletion.

The value is written with an UPDATE (no save, no signal), so each changed form is sent to the
search index again as a save would: Elasticsearch and OpenSearch count the field facet from
the value in their documents."""

from __future__ import annotations

from django.db.models import Q

from modelsearch.tasks import insert_or_update_object_task

from content_types.documents import FormDocumentPage
from content_types.procedures import ProcedurePageForm, form_fields_refresh


def form_fields_after_procedure_change(procedure_id: int) -> int:
    """Refresh the forms the procedure uses now and every form that has fields at all: a form
    the procedure no longer uses had fields before, so it is among the latter."""
    used_now = ProcedurePageForm.objects.filter(page_id=procedure_id).values("form_page_id")
    forms = FormDocumentPage.objects.filter(Q(pk__in=used_now) | ~Q(procedure_fields=""))
    changed: list[int] = []
    count = form_fields_refresh(ProcedurePageForm.objects.all(), forms, changed)
    meta = FormDocumentPage._meta
    for pk in changed:  # as modelsearch's post_save handler: a task, run after the commit
        insert_or_update_object_task.enqueue(meta.app_label, meta.model_name, str(pk))
    return count
