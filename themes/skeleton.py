"""The public site's skeleton: portal, agencies (with their theme), section pages, private paths.

Every public page shows the same frame (header with the agency's logo and colours, breadcrumbs,
footer with its contact). Those rows change only on a publish, so they are built in a few
queries once per cache generation (themes.cache) and kept in the shared cache and in process
memory; a page view then spends no query on its frame.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from wagtail.models import Page, PageViewRestriction

from content_types.agency import AgencyPage
from content_types.portal import PortalHomePage

from .cache import public_cache, public_cache_state

LOGO_FILTER = "height-96"
_memo: dict[str, Skeleton] = {}


@dataclass
class Skeleton:
    portal: PortalHomePage | None
    agencies: dict[str, AgencyPage] = field(default_factory=dict)  # by tree path
    pages: dict[str, Page] = field(default_factory=dict)  # home, agencies, sections by path
    private_paths: list[str] = field(default_factory=list)

    def agency_for(self, page) -> AgencyPage | None:
        if page is None:
            return None
        for path, agency in self.agencies.items():
            if page.path.startswith(path):
                return agency
        return None

    def ancestors(self, page) -> list[Page]:
        """Cached ancestors of `page` below the tree root, top first (no query)."""
        steplen = Page.steplen
        paths = [page.path[:n] for n in range(steplen * 2, len(page.path), steplen)]
        return [self.pages[p] for p in paths if p in self.pages]


def _build() -> Skeleton:
    portal = PortalHomePage.objects.live().first()
    agencies = list(AgencyPage.objects.live().public().select_related("logo").order_by("path"))
    for agency in agencies:
        agency.logo_url = agency.logo.get_rendition(LOGO_FILTER).url if agency.logo_id else ""
    depth = max((a.depth for a in agencies), default=3)
    pages = {p.path: p for p in Page.objects.live().filter(depth__lte=depth + 1, depth__gt=1)}
    for agency in agencies:
        pages[agency.path] = agency
    private = list(PageViewRestriction.objects.values_list("page__path", flat=True))
    return Skeleton(
        portal=portal,
        agencies={a.path: a for a in agencies},
        pages=pages,
        private_paths=private,
    )


def site_skeleton(request=None) -> Skeleton:
    state = getattr(request, "_iso_cache_state", None) or public_cache_state()
    skeleton = _memo.get(state.generation)
    if skeleton is not None:
        return skeleton
    cache = public_cache()
    key = f"iso:public:skeleton:{state.generation}"
    skeleton = cache.get(key)
    if skeleton is None:
        skeleton = _build()
        cache.set(key, skeleton, timeout=max(1, int(state.valid_until - time.time())))
    _memo.clear()
    _memo[state.generation] = skeleton
    return skeleton
