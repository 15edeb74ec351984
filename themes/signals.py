"""Forget the cached public site when something a visitor sees changes (see themes.cache): each
change bumps the generations of the scopes it reaches (content_types.public_generation)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from content_types.public_generation import public_change_on_commit
from content_types.versions import DocumentVersion


def _page_changed(sender, instance, **kwargs) -> None:
    # An alias's path sits in the skeleton's alias paths.
    public_change_on_commit(paths=[instance.path], structural=bool(instance.alias_of_id))


def _page_moved(sender, instance, parent_page_before=None, parent_page_after=None, **kwargs):
    # Both agencies, the one it left and the one it joined; the skeleton holds every URL path.
    within = [parent_page_before.path] if parent_page_before is not None else []
    public_change_on_commit(paths=[instance.path], structural=True, within=within)


def _version_changed(sender, instance, **kwargs) -> None:
    page = Page.objects.filter(pk=instance.page_id).values_list("path", flat=True).first()
    public_change_on_commit(paths=[page] if page else None)


def _restriction_changed(sender, instance, **kwargs) -> None:
    page = Page.objects.filter(pk=instance.page_id).values_list("path", flat=True).first()
    public_change_on_commit(paths=[page] if page else None, structural=True)


def _collection_item_changed(sender, instance, **kwargs) -> None:
    """A document or image shows on its agency's pages (its files; an agency's logo, which the
    skeleton holds); one outside every agency's collection may show anywhere."""
    from content_types.agency import AgencyPage

    collection = getattr(instance, "collection", None)
    agencies = AgencyPage.objects.none()
    if collection is not None:
        ids = [c.pk for c in collection.get_ancestors()] + [collection.pk]
        agencies = AgencyPage.objects.filter(collection_id__in=ids)
    paths = list(agencies.values_list("path", flat=True)[:2])
    logo = AgencyPage.objects.filter(logo_id=instance.pk).exists() if _is_image(instance) else False
    if len(paths) == 1:  # on that agency's pages only; an agency's logo is in the skeleton
        public_change_on_commit(paths=(), within=paths, structural=logo)
    else:
        public_change_on_commit(paths=None)


def _is_image(instance) -> bool:
    from wagtail.images import get_image_model

    return isinstance(instance, get_image_model())


def _everything_changed(*args, **kwargs) -> None:
    public_change_on_commit(paths=None)


def connect() -> None:
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    from content_types.procedure_fields import ProcedureField

    page_published.connect(_page_changed, dispatch_uid="themes_cache_published")
    page_unpublished.connect(_page_changed, dispatch_uid="themes_cache_unpublished")
    post_page_move.connect(_page_moved, dispatch_uid="themes_cache_moved")
    post_delete.connect(_page_changed, sender=Page, dispatch_uid="themes_cache_page_deleted")
    receivers = {
        DocumentVersion: _version_changed,
        PageViewRestriction: _restriction_changed,
        # Shared by every agency: a site, a procedure field (lĩnh vực).
        Site: _everything_changed,
        ProcedureField: _everything_changed,
        get_document_model(): _collection_item_changed,
        get_image_model(): _collection_item_changed,
    }
    for model, receiver in receivers.items():
        uid = f"themes_cache_{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}_saved")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}_deleted")
