"""Hooks that keep one agency's admin users out of another agency's drafts, files and steps
(issue 11). Imported by workflows/wagtail_hooks.py; the views they narrow are in
workflows/isolation_views.py, the rules in workflows/access.py."""

from __future__ import annotations

from wagtail import hooks

from .access import pages_visible_to
from .isolation_views import VisibleDocumentsAPIViewSet, VisibleImagesAPIViewSet


@hooks.register("construct_admin_api")
def narrow_admin_api(router):
    # Registered after wagtail.documents' and wagtail.images' own hooks (INSTALLED_APPS order),
    # so these replace Wagtail's endpoints, which list every collection's files.
    router.register_endpoint("documents", VisibleDocumentsAPIViewSet)
    router.register_endpoint("images", VisibleImagesAPIViewSet)


@hooks.register("construct_page_chooser_queryset")
def hide_other_agencies_drafts_from_chooser(pages, request):
    # The chooser lists every page to any admin user: another agency's unpublished pages and
    # private quality-system section must not show even by title.
    return pages_visible_to(request.user, pages)


@hooks.register("construct_explorer_page_queryset")
def hide_other_agencies_drafts_from_explorer(parent_page, pages, request):
    return pages_visible_to(request.user, pages)


@hooks.register("filter_form_submissions_for_user")
def hide_other_agencies_form_pages(user, editable_forms):
    return pages_visible_to(user, editable_forms)
