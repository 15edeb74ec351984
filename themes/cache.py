"""Wagtail-aware caching of the anonymous public site (issue 4, "Fast").

Whole responses of Wagtail pages, the JSON API and the sitemap are cached for anonymous visitors,
keyed by host, path and query string *and by a site-wide generation*. The generation changes:

- on every event that can change what a visitor sees (a page published, unpublished, moved or
  deleted; a version issued; a view restriction, a site, a document, an image or a procedure
  field saved or deleted) — the receivers in `themes.signals` call `public_generation_bump()`
  once the transaction commits, so a publish shows up at once;
- by itself when the next issued version takes effect: the version in force is decided by time
  (content_types.versions), and a scheduled version must replace the cached page at its effective
  moment, not when the scheduled-publishing job runs a minute later.

The generation (content_types.public_generation) lives in the shared cache (`public` alias: Redis
in production, a file cache under var/ otherwise) so every gunicorn worker and the Celery worker
that publishes scheduled versions see the same one; search keys its public map by it too.
Invalidating the whole public site on any change is deliberate: publishes are rare (a few a day
per agency), and a finer scheme would have to know every page that shows a form (procedures,
indexes, agency portals, search, the API).

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
    public_cache,
    public_state,
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


def _key(request, generation: str) -> str:
    raw = f"{request.get_host()}|{cache_path(request)}".encode()
    return f"iso:public:page:{generation}:{hashlib.sha256(raw).hexdigest()}"


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
        state = public_state(request)
        key = _key(request, state.generation)
        cache = public_cache()
        hit = cache.get(key)
        if hit is not None:
            status, headers, content = hit
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Cache"] = "HIT"
            return response
        response = self.get_response(request)
        if self._storable(request, response):
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in _NOT_KEPT_HEADERS
            ]
            # At most a generation's lifetime, and no later than the next version's effect.
            timeout = max(1, min(GENERATION_TIMEOUT, int(state.valid_until - time.time())))
            cache.set(key, (response.status_code, headers, response.content), timeout)
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
