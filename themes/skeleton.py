"""The public site's skeleton: portal, agencies (with their theme), section pages, private paths.

Every public page shows the same frame (header with the agency's logo and colours, breadcrumbs,
footer with its contact). Those rows change only with a site, an agency page, a section page, a
view restriction, an alias or a move, so they are built in a few queries once per STRUCTURE
generation (content_types.public_generation) and kept in the shared cache and in process memory;
a page view then spends no query on its frame, and a procedure or form published in one agency
leaves it as it is. It shows nothing of one agency on another's pages but the agency's own page
(title, logo, colours), whose change moves every generation.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.db.models import F
from django.http.request import split_domain_port

from wagtail.models import Page, PageViewRestriction, Site

from content_types.agency import AgencyPage
from content_types.portal import PortalHomePage
from content_types.public_generation import PROVINCE, STRUCTURE, public_cache, public_state

LOGO_FILTER = "height-96"
# Part of the shared-cache key: a skeleton pickled by an older release is never read back.
SKELETON_FORMAT = 3
_memo: dict[str, Skeleton] = {}


@dataclass
class Skeleton:
    portal: PortalHomePage | None
    agencies: dict[str, AgencyPage] = field(default_factory=dict)  # by tree path
    pages: dict[str, Page] = field(default_factory=dict)  # home, agencies, sections by path
    private_paths: list[str] = field(default_factory=list)
    # Wagtail's own answers, precomputed: every Site (with its root page), the sites' root
    # paths, the view restrictions by the path of their page, and the paths of alias pages
    # (whose restrictions are their source's: Wagtail's query is kept for them and below).
    sites: list[Site] = field(default_factory=list)
    site_root_paths: list = field(default_factory=list)
    restrictions: dict[str, list[PageViewRestriction]] = field(default_factory=dict)
    alias_paths: list[str] = field(default_factory=list)
    # url_path of a cached page → the one page model its children can be (subpage_types).
    child_models: dict[str, str] = field(default_factory=dict)
    generation: str = ""  # the STRUCTURE generation it was built for

    def agency_for(self, page) -> AgencyPage | None:
        if page is None:
            return None
        for path, agency in self.agencies.items():
            if page.path.startswith(path):
                return agency
        return None

    def agency_for_request(self, request) -> AgencyPage | None:
        """The agency whose pages the request's URL names (no query), or None."""
        site = self.site_for_request(request)
        if site is None:
            return None
        root = next((r.root_path for r in self.site_root_paths if r.site_id == site.pk), None)
        if root is None:
            return None
        url_path = root + request.path.lstrip("/")
        url_path = url_path if url_path.endswith("/") else url_path + "/"
        for agency in self.agencies.values():
            if url_path.startswith(agency.url_path):
                return agency
        return None

    def scope_for_url_path(self, url_path: str) -> int | str:
        """The generation scope of the page at `url_path`: its agency's id; PROVINCE outside
        every (public) agency."""
        for agency in self.agencies.values():
            if url_path.startswith(agency.url_path):
                return agency.pk
        return PROVINCE

    def site_for_request(self, request) -> Site | None:
        """Site.find_for_request without its query: wagtail.models.sites.get_site_for_hostname's
        choice (hostname and port, then hostname with the default site, then the default site
        unless exactly one other site has the hostname), made among the cached sites."""
        hostname = split_domain_port(request._get_raw_host())[0]
        port = str(request.get_port())

        def match(site: Site) -> int:
            if site.hostname == hostname and str(site.port) == port:
                return 0
            if site.hostname == hostname and site.is_default_site:
                return 1
            return 2 if site.is_default_site else 3

        candidates = sorted(
            (s for s in self.sites if s.hostname == hostname or s.is_default_site), key=match
        )
        if not candidates:
            return None
        first = match(candidates[0])
        if len(candidates) == 1 or first in (0, 1):
            return candidates[0]
        if first == 2:
            return candidates[len(candidates) == 2]
        return None

    def view_restrictions(self, page) -> list[PageViewRestriction] | None:
        """Page.get_view_restrictions() without its two queries (the restrictions on the page and
        its ancestors), or None when the page is or lies under an alias."""
        if page.alias_of_id or page.path.startswith(tuple(self.alias_paths)):
            return None
        return [
            restriction
            for path, restrictions in self.restrictions.items()
            if page.path.startswith(path)
            for restriction in restrictions
        ]

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
    restrictions: dict[str, list[PageViewRestriction]] = {}
    for restriction in PageViewRestriction.objects.annotate(page_path=F("page__path")):
        restrictions.setdefault(restriction.page_path, []).append(restriction)
    child_models = {}
    for page in pages.values():
        model = page.specific_class
        allowed = model.allowed_subpage_models() if model else []
        if len(allowed) == 1:
            child_models[page.url_path] = allowed[0]._meta.label_lower
    return Skeleton(
        portal=portal,
        agencies={a.path: a for a in agencies},
        pages=pages,
        private_paths=list(restrictions),
        sites=list(Site.objects.select_related("root_page")),
        site_root_paths=Site.get_site_root_paths(),
        restrictions=restrictions,
        alias_paths=list(
            Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True)
        ),
        child_models=child_models,
    )


def site_skeleton_last() -> Skeleton | None:
    """The skeleton this process built or read last, whatever its generation now."""
    return next(iter(_memo.values()), None)


def site_skeleton(request=None) -> Skeleton:
    state = public_state(request, STRUCTURE)
    skeleton = _memo.get(state.generation)
    if skeleton is not None:
        return skeleton
    cache = public_cache()
    key = f"iso:public:skeleton:{SKELETON_FORMAT}:{state.generation}"
    skeleton = cache.get(key)
    if skeleton is None:
        skeleton = _build()
        skeleton.generation = state.generation
        cache.set(key, skeleton, timeout=max(1, int(state.valid_until - time.time())))
    _memo.clear()
    _memo[state.generation] = skeleton
    return skeleton
