"""Page routing in one query (two for a section page) instead of two per level of the tree.

Wagtail's `Page.route` walks the tree: for /agency/section/procedure/ it fetches each child and
its specific row, eight queries before the page renders. None of this project's page types
overrides `route` (no RoutablePage), so the page whose `url_path` is the site root's url_path
plus the request path is exactly the page Wagtail's walk would reach. This view finds it, primes
the route cache `Page.route_for_request` keeps on the request, and hands over to Wagtail's own
`serve` view — which still runs every hook (view restrictions, the cache mark) and the page's
`serve`. When nothing matches (a page type with sub-routes, a non-live page) Wagtail routes as
usual and answers as usual.

The page found is kept for its agency's generation (`_pages`), so a page served again costs no
query, even after another agency's publish.
The site skeleton (themes.skeleton, rebuilt whenever a visitor could see a change) supplies what
Wagtail would otherwise query on every request: the Site for the Host header, the sites' root
paths, the page type a section's children must have (so the page comes in its specific class,
with its `public_select_related` rows, in one query) and the view restrictions of the page and
its ancestors, which Wagtail's check_view_restrictions hook still enforces.
"""

from __future__ import annotations

import copy

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.http import Http404

from wagtail import views as wagtail_views
from wagtail.models import Page

from content_types.public_generation import GenerationMemo

from .skeleton import site_skeleton

# Pages by site and URL, each for the generation of its agency: a page's URL, type, content and
# restrictions change only with a publish, a move or a restriction in its agency, which all move
# that generation. Drafts never reach a page row's public fields.
PAGES_KEPT = 3000
_pages = GenerationMemo(size=PAGES_KEPT)


def _find_page(skeleton, url_path: str, components: list[str], root_page_id: int):
    """The page at `url_path`, in its specific class, in one query when the parent's
    subpage_types allow a single page type (a procedure under its procedure index), else two."""
    if not components:
        return next(iter(Page.objects.filter(url_path=url_path, pk=root_page_id)[:1]), None)
    # slug is indexed (url_path is not); the pair is unique in the tree.
    label = skeleton.child_models.get(url_path[: -len(components[-1]) - 1])
    if label is not None:
        model = apps.get_model(label)
        pages = model.objects.filter(url_path=url_path, slug=components[-1])
        pages = pages.select_related(*getattr(model, "public_select_related", ()))
        page = next(iter(pages[:1]), None)  # unique: no ORDER BY as first() would add
        # A page of another type (created before subpage_types said otherwise): ask Wagtail.
        if page is None or page.content_type_id == ContentType.objects.get_for_model(model).pk:
            return page
    return next(iter(Page.objects.filter(url_path=url_path, slug=components[-1])[:1]), None)


def _prime_route(request, path: str) -> None:
    skeleton = site_skeleton(request)
    # What Wagtail would look up on every request, from the skeleton (no query): the site for
    # the Host header and the sites' root paths that page URLs are built from.
    site = request._wagtail_site = skeleton.site_for_request(request)
    if site is None:
        return
    request._wagtail_cached_site_root_paths = skeleton.site_root_paths
    roots = {root.site_id: root.root_path for root in skeleton.site_root_paths}
    root_path = roots.get(site.pk)
    if root_path is None:
        return
    components = [c for c in path.split("/") if c]
    url_path = root_path + "".join(f"{c}/" for c in components)

    def find() -> tuple:
        page = _find_page(skeleton, url_path, components, site.root_page_id)
        return (page.specific if page is not None and page.live else None,)

    scope = skeleton.scope_for_url_path(url_path)
    found = _pages.fetch((site.pk, url_path), find, request, scope=scope)
    if found[0] is None:
        # Not kept: a crawler's made-up URLs would push the real pages out.
        _pages.discard((site.pk, url_path))
        return
    # A copy per request: the served page gets request-specific attributes (just below).
    page = copy.copy(found[0])
    restrictions = skeleton.view_restrictions(page)
    if restrictions is not None:
        # Wagtail's check_view_restrictions hook asks the served page for its restrictions and
        # those of its ancestors (two queries); the skeleton holds them all.
        page.get_view_restrictions = lambda: restrictions
    try:
        request._wagtail_route_for_request = page.route(request, [])
    except Http404:
        request._wagtail_route_for_request = None


def serve(request, path):
    if not hasattr(request, "_wagtail_route_for_request"):
        _prime_route(request, path)
    return wagtail_views.serve(request, path)
