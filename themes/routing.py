"""Page routing in two queries instead of two per level of the tree.

Wagtail's `Page.route` walks the tree: for /agency/section/procedure/ it fetches each child and
its specific row, eight queries before the page renders. None of this project's page types
overrides `route` (no RoutablePage), so the page whose `url_path` is the site root's url_path
plus the request path is exactly the page Wagtail's walk would reach. This view finds it, primes
the route cache `Page.route_for_request` keeps on the request, and hands over to Wagtail's own
`serve` view — which still runs every hook (view restrictions, the cache mark) and the page's
`serve`. When nothing matches (a page type with sub-routes, a non-live page) Wagtail routes as
usual and answers as usual.
"""

from __future__ import annotations

from django.http import Http404

from wagtail import views as wagtail_views
from wagtail.models import Page, Site


def _prime_route(request, path: str) -> None:
    site = Site.find_for_request(request)
    if site is None:
        return
    roots = {root.site_id: root.root_path for root in Site.get_site_root_paths()}
    root_path = roots.get(site.pk)
    if root_path is None:
        return
    components = [c for c in path.split("/") if c]
    url_path = root_path + "".join(f"{c}/" for c in components)
    # slug is indexed (url_path is not); the pair is unique in the tree.
    pages = Page.objects.filter(url_path=url_path)
    pages = pages.filter(slug=components[-1]) if components else pages.filter(pk=site.root_page_id)
    page = pages.first()
    if page is None or not page.live:
        return
    try:
        request._wagtail_route_for_request = page.specific.route(request, [])
    except Http404:
        request._wagtail_route_for_request = None


def serve(request, path):
    if not hasattr(request, "_wagtail_route_for_request"):
        _prime_route(request, path)
    return wagtail_views.serve(request, path)
