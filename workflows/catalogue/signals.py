"""Closing the update tasks when the procedure's change is approved and published."""

from __future__ import annotations

from wagtail.signals import page_published, page_unpublished

from content_types.documents import FormDocumentPage
from content_types.procedures import ProcedurePage

from .deadlines import tasks_close_on_publish, tasks_close_on_unpublish


def on_procedure_published(sender, instance, revision=None, **kwargs) -> None:
    tasks_close_on_publish(procedure=instance, revision=revision)


def on_form_published(sender, instance, revision=None, **kwargs) -> None:
    from .review import procedures_flag_for_form_change

    if revision is not None:
        procedures_flag_for_form_change(form=instance, revision=revision)


def on_procedure_unpublished(sender, instance, **kwargs) -> None:
    tasks_close_on_unpublish(procedure=instance)


def connect() -> None:
    page_published.connect(
        on_procedure_published, sender=ProcedurePage, dispatch_uid="iso_catalogue_close"
    )
    # After workflows.signals' version issue (connected first, in the same ready()).
    page_published.connect(
        on_form_published, sender=FormDocumentPage, dispatch_uid="iso_catalogue_review"
    )
    page_unpublished.connect(
        on_procedure_unpublished, sender=ProcedurePage, dispatch_uid="iso_catalogue_withdrawn"
    )
