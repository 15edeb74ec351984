"""Forget the cached public site when something a visitor sees changes (see themes.cache)."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from content_types.procedure_fields import ProcedureField
from content_types.public_generation import public_generation_bump
from content_types.versions import DocumentVersion


def _bump_on_commit(*args, **kwargs) -> None:
    transaction.on_commit(public_generation_bump)


def connect() -> None:
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    page_published.connect(_bump_on_commit, dispatch_uid="themes_cache_published")
    page_unpublished.connect(_bump_on_commit, dispatch_uid="themes_cache_unpublished")
    post_page_move.connect(_bump_on_commit, dispatch_uid="themes_cache_moved")
    post_delete.connect(_bump_on_commit, sender=Page, dispatch_uid="themes_cache_page_deleted")
    for model in (
        DocumentVersion,
        PageViewRestriction,
        Site,
        ProcedureField,
        get_document_model(),
        get_image_model(),
    ):
        uid = f"themes_cache_{model._meta.label_lower}"
        post_save.connect(_bump_on_commit, sender=model, dispatch_uid=f"{uid}_saved")
        post_delete.connect(_bump_on_commit, sender=model, dispatch_uid=f"{uid}_deleted")
