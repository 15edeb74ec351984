"""Security headers on every response in production (ISO_SECURITY_HEADERS): a
Content-Security-Policy for the public site and another for the admin, and Permissions-Policy.

Placed ahead of themes.cache.PublicCacheMiddleware in MIDDLEWARE, so a page served from the
public cache passes through here as well and carries the same headers as a fresh one (HSTS comes
from Django's SecurityMiddleware, first in the list, on HTTPS requests).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.utils import build_policy, default_config

# The public site serves only its own files: no CDN, no outside font, script or frame, no inline
# script. Inline *styles* are allowed because the templates set each agency's colours in a
# <style> element (themes/jinja2/themes/base.html) and the procedure timeline's step widths in
# style attributes; a style cannot run code.
PUBLIC_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
}

# Wagtail 8's admin (and Django's) from our own origin only, but it still needs:
# - script-src 'unsafe-inline': inline <script> blocks initialise the date/time widgets
#   (wagtailadmin/widgets/date_input.html…), inline panels and multiple-chooser panels;
# - style-src 'unsafe-inline': style attributes throughout the admin's templates and the styles
#   its JavaScript sets (Draftail, the minimap, tooltips);
# - img-src data: blob:: icons and the image uploader's previews;
# - frame-src 'self' and frame-ancestors 'self': the live preview panel shows our own page in an
#   iframe;
# - form-action also the single sign-on provider: logout is a form whose answer redirects to the
#   provider's end-session endpoint. Avatars from gravatar are turned off in settings instead of
#   allowed here.
ADMIN_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "frame-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
}

ADMIN_PREFIXES = ("/admin/", "/django-admin/", "/tai-khoan/", "/oidc/")


def _provider_origin() -> str | None:
    config = getattr(settings, "ISO_OIDC", None)
    if not config:
        return None
    parts = urlsplit(config["issuer"])
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(*, path: str) -> str:
    if not path.startswith(ADMIN_PREFIXES):
        return build_policy(config=default_config(PUBLIC_POLICY))
    policy = dict(ADMIN_POLICY)
    origin = _provider_origin()
    if origin:
        policy["form-action"] = [SELF, origin]
    return build_policy(config=default_config(policy))


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.ISO_SECURITY_HEADERS:
            response.setdefault(
                "Content-Security-Policy", content_security_policy(path=request.path_info)
            )
            response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
