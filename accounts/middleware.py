"""Request-level sign-in policy: session limits, then the second factor."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseRedirect
from django.urls import reverse

from .second_factor import request_second_factor_done, user_has_second_factor
from .sessions import session_expired, session_touch

# Where someone halfway through signing in may go: the second-factor screens, signing in and out,
# single sign-on's return, and what those pages load (static files, Wagtail's icon sprite and
# JavaScript translations, which show nothing of anybody's data).
_OPEN_PREFIXES = (
    "/tai-khoan/",
    "/admin/login/",
    "/admin/logout/",
    "/admin/password_reset/",
    "/admin/sprite/",
    "/admin/jsi18n/",
    "/oidc/",
    "/static/",
)
# Where an unverified approver or administrator is sent to the second factor; everywhere else
# (the public site, documents) they are treated as a visitor until they pass it.
_ADMIN_PREFIXES = ("/admin/", "/django-admin/")


class SessionPolicyMiddleware:
    """Ends a signed-in session past its idle or absolute limit (accounts.sessions)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            if session_expired(session=request.session):
                logout(request)
                messages.warning(request, "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.")
                if request.path_info.startswith(_ADMIN_PREFIXES):
                    query = urlencode({"next": request.get_full_path()})
                    return HttpResponseRedirect(f"{reverse('wagtailadmin_login')}?{query}")
            else:
                session_touch(session=request.session)
        return self.get_response(request)


class SecondFactorMiddleware:
    """Nobody who owes a second factor reaches an admin page, or sees the site as staff,
    before entering it. After django_otp's OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if (
            request.user.is_authenticated
            and not path.startswith(_OPEN_PREFIXES)
            and not request_second_factor_done(request=request)
        ):
            if path.startswith(_ADMIN_PREFIXES):
                name = (
                    "accounts_second_factor"
                    if user_has_second_factor(user=request.user)
                    else "accounts_enrol"
                )
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse(name)}?{query}")
            request.user = AnonymousUser()
        return self.get_response(request)
