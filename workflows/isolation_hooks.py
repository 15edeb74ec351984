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
    pages = pages_visible_to(request.user, pages)
    # Each row shows its status («đang duyệt», «đã lên lịch»): read for all rows at once, as
    # Wagtail's explorer does, not two queries per row.
    if hasattr(pages, "prefetch_workflow_states"):
        pages = with_parents(pages.prefetch_workflow_states().annotate_approved_schedule())
    return pages


_WITH_PARENTS: dict[type, type] = {}


def with_parents(pages):
    """`pages` whose rows come with their parent page read in one query: the chooser shows
    each row's parent (treebeard's `get_parent`, one query per row). The class is kept through
    filtering, slicing and the search backends, which all clone the queryset."""
    base = type(pages)
    cls = _WITH_PARENTS.get(base)
    if cls is None:
        cls = _WITH_PARENTS[base] = type(
            f"{base.__name__}WithParents",
            (base,),
            {
                "_fetch_all": _fetch_all_with_parents,
            },
        )
    clone = pages._chain()
    clone.__class__ = cls
    return clone


def _fetch_all_with_parents(self):
    from wagtail.models import Page

    fresh = self._result_cache is None
    super(type(self), self)._fetch_all()
    if not fresh:
        return
    rows = [row for row in self._result_cache if isinstance(row, Page) and row.depth > 1]
    wanted = {row.path[: -Page.steplen] for row in rows}
    if not wanted:
        return
    parents = {parent.path: parent for parent in Page.objects.filter(path__in=wanted)}
    for row in rows:
        parent = parents.get(row.path[: -Page.steplen])
        if parent is not None and not hasattr(row, "_cached_parent_obj"):
            row._cached_parent_obj = parent


@hooks.register("construct_explorer_page_queryset")
def hide_other_agencies_drafts_from_explorer(parent_page, pages, request):
    return pages_visible_to(request.user, pages)


@hooks.register("filter_form_submissions_for_user")
def hide_other_agencies_form_pages(user, editable_forms):
    from wagtail.contrib.forms.utils import get_form_types

    # Wagtail's form-submissions menu entry asks this on every admin page. With no form page type
    # installed the list is empty whatever the user (it is filtered by those types): nothing
    # to narrow, and building the visibility condition cost the page three queries.
    if not get_form_types():
        return editable_forms
    return pages_visible_to(user, editable_forms)
