"""Wagtail-aware caching of the anonymous public site (issue 4, "Fast"; issue 14, per agency).

Whole responses of Wagtail pages, the JSON API and the sitemap are cached for anonymous visitors,
keyed by host, path and query string, and kept for the generations of their *scope*
(content_types.public_generation):

- a page under an agency's page (its portal, sections, procedures) follows that agency's
  generation: a publish in another agency leaves it cached. A page that also shows another
  agency's content (a procedure linking another agency's public form, a form's page listing every
  agency's procedures using it) marks the request (`public_spans_mark`) and is kept for the
  agency's generation and PROVINCE's together;
- everything else (the home page, public search, the API, the sitemap) follows PROVINCE's
  generation, which moves with every change anywhere.

A generation moves on every committed event that can change what a visitor sees in its scope (a
page published, unpublished, moved or deleted; a version issued; a view restriction, a site, a
document, an image or a procedure field saved or deleted — the receivers in `themes.signals`),
so a publish shows up at once; and by itself when the scope's next issued version takes effect
(a scheduled version replaces the cached page at its effective moment, not when the
scheduled-publishing job runs a minute later).

A cached entry is filed under its URL alone and holds the generations it was rendered for; the
middleware reads it with those generations in one `get_many` (the agency named by the URL comes
from the process's site skeleton, checked against the outside generation read in the same call)
and serves it only if they are all still current.

Never cached: logged-in users or anyone holding a session (previews, password-restricted pages),
anything but GET/HEAD, responses that set cookies or say private/no-store, and non-200 responses.
"""

from __future__ import annotations

import hashlib
import time
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.http import HttpResponse

from content_types.public_generation import (
    GENERATION_TIMEOUT,
    PROVINCE,
    SITE,
    STRUCTURE,
    public_cache,
    public_spans,
    public_state,
    public_states_read,
)

MARK = "_iso_public_cacheable"
# Every header of the original response is served again from the cache (X-Frame-Options, Vary,
# CORS, security policies…) but these, which belong to one response only.
_NOT_KEPT_HEADERS = frozenset({"set-cookie", "x-cache", "content-length", "date"})


def mark_cacheable(request) -> None:
    setattr(request, MARK, True)


def _anonymous(request) -> bool:
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


# Links shared on Facebook and Zalo, and links from ads and newsletters, carry a parameter that
# differs on every share (fbclid=…, zarsrc=…, utm_*…). No page reads them; keyed by them, every
# visitor arriving from a shared link missed the cache and had the page rendered afresh.
TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "gbraid", "wbraid", "msclkid", "zarsrc", "zalo_source", "mc_cid", "mc_eid"}
)


def _is_tracking(name: str) -> bool:
    return name.lower() in TRACKING_PARAMETERS or name.lower().startswith("utm_")


def cache_path(request) -> str:
    """The path and query string a cached response is filed under: tracking parameters left
    out, the others in a fixed order."""
    query = request.META.get("QUERY_STRING", "")
    kept = [(n, v) for n, v in parse_qsl(query, keep_blank_values=True) if not _is_tracking(n)]
    return f"{request.path}?{urlencode(sorted(kept))}" if kept else request.path


def _key(request) -> str:
    raw = f"{request.get_host()}|{cache_path(request)}".encode()
    return f"iso:public:page:{hashlib.sha256(raw).hexdigest()}"


def _scope(request, skeleton) -> int | str:
    """The generation scope of the requested URL: the agency whose page it names, else PROVINCE
    (public search, the API, the sitemap: views of their own, even on an agency's host)."""
    from django.urls import Resolver404, resolve

    from .routing import serve

    if skeleton is None:
        return PROVINCE
    try:
        if resolve(request.path_info).func is not serve:
            return PROVINCE
    except Resolver404:
        return PROVINCE
    agency = skeleton.agency_for_request(request)
    return PROVINCE if agency is None else agency.pk


def _current(request, generations) -> bool:
    return all(public_state(request, scope).generation == token for scope, token in generations)


class PublicCacheMiddleware:
    """Serve anonymous GET/HEAD requests from the cache; store what a marked view returned."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not _anonymous(request):
            return self.get_response(request)
        if "no-cache" in request.headers.get("Cache-Control", "").lower():
            # The visitor asks for a fresh page (a hard reload; the benchmark's uncached run):
            # render it, neither read nor store.
            return self.get_response(request)
        from .skeleton import site_skeleton, site_skeleton_last

        # The agency the URL names, from the skeleton this process holds; it is right as long
        # as the outside generation has not moved (agencies and sites are outside), else the
        # skeleton of the current generation says.
        skeleton = site_skeleton_last()
        scope = _scope(request, skeleton)
        key = _key(request)
        hit = public_states_read(request, [scope, PROVINCE, STRUCTURE], [key]).get(key)
        site = public_state(request, SITE).generation
        if skeleton is None or not skeleton.generation.startswith(f"{site}:"):
            moved = _scope(request, site_skeleton(request))
            if moved != scope:
                scope, hit = moved, None
        if hit is not None:
            generations, status, headers, content = hit
            if _current(request, generations):
                response = HttpResponse(content, status=status)
                for name, value in headers:
                    response[name] = value
                response["X-Cache"] = "HIT"
                return response
        # Read before rendering: a publish committing meanwhile must not pass for this render's.
        state = public_state(request, scope)
        province = public_state(request, PROVINCE)
        response = self.get_response(request)
        if self._storable(request, response):
            generations = [(scope, state.generation)]
            valid_until = state.valid_until
            if scope != PROVINCE and public_spans(request):
                generations.append((PROVINCE, province.generation))
                valid_until = min(valid_until, province.valid_until)
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in _NOT_KEPT_HEADERS
            ]
            # At most a generation's lifetime, and no later than the next version's effect.
            timeout = max(1, min(GENERATION_TIMEOUT, int(valid_until - time.time())))
            public_cache().set(
                key, (generations, response.status_code, headers, response.content), timeout
            )
            response["X-Cache"] = "MISS"
        return response

    @staticmethod
    def _storable(request, response) -> bool:
        if not getattr(request, MARK, False) or response.status_code != 200:
            return False
        if response.streaming or response.cookies:
            return False
        if getattr(request, "is_preview", False):
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        control = response.get("Cache-Control", "").lower()
        return not any(word in control for word in ("private", "no-store", "no-cache"))
