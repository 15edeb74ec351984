"""Single sign-on with the province's OpenID Connect provider (mozilla-django-oidc).

Authorization code flow with PKCE and a nonce. The provider is configured by OIDC_ISSUER alone
(plus the client's id and secret): its endpoints and keys come from its discovery document.
The ID token's signature (from the provider's JWKS), issuer, audience and expiry are checked by
PyJWT; the user is then matched to an existing account by the configured claim
(OIDC_USERNAME_CLAIM against the username or the e-mail, OIDC_MATCH_FIELD). Nobody is created:
an unknown person gets a page telling them to ask their agency administrator.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

import jwt
import requests
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import absolutify, import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from .second_factor import SESSION_STRONG_SSO

log = logging.getLogger(__name__)

DISCOVERY_SECONDS = 3600
_discovery: dict[str, tuple[float, dict]] = {}

# mozilla-django-oidc's settings, derived from ISO_OIDC (cms.env.oidc) and the discovery
# document, so that one environment variable per fact is all an operator sets.
_FROM_CONFIG = {
    "OIDC_RP_CLIENT_ID": "client_id",
    "OIDC_RP_CLIENT_SECRET": "client_secret",
    "OIDC_RP_SIGN_ALGO": "sign_algo",
    "OIDC_RP_SCOPES": "scopes",
}
_DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
_FIXED = {
    "OIDC_USE_PKCE": True,
    "OIDC_USE_NONCE": True,
    "OIDC_CREATE_USER": False,
    "OIDC_STORE_ID_TOKEN": True,  # the hint for ending the provider's session at logout
    "OIDC_TIMEOUT": 10,
    "OIDC_RP_IDP_SIGN_KEY": None,  # keys from the provider's JWKS
    "LOGIN_REDIRECT_URL": "/admin/",
}


def oidc_config() -> dict:
    config = getattr(settings, "ISO_OIDC", None)
    if not config:
        raise Http404("Chưa cấu hình đăng nhập một lần.")
    return config


def provider_metadata() -> dict:
    """The provider's discovery document, kept for an hour per process."""
    issuer = oidc_config()["issuer"]
    kept = _discovery.get(issuer)
    if kept and kept[0] > time.time():
        return kept[1]
    response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10)
    response.raise_for_status()
    metadata = response.json()
    if metadata.get("issuer", "").rstrip("/") != issuer:
        raise SuspiciousOperation("OIDC discovery names another issuer")
    _discovery[issuer] = (time.time() + DISCOVERY_SECONDS, metadata)
    return metadata


def oidc_setting(attr, *args):
    if attr in _FROM_CONFIG:
        return oidc_config()[_FROM_CONFIG[attr]]
    if attr in _DISCOVERED:
        return provider_metadata()[_DISCOVERED[attr]]
    if attr in _FIXED:
        return _FIXED[attr]
    return import_from_settings(attr, *args)


def _lazy(name: str):
    return property(lambda self: oidc_setting(name))


class ProvinceOIDCBackend(OIDCAuthenticationBackend):
    """Matches the provider's person to an existing account; creates and changes nobody."""

    get_settings = staticmethod(oidc_setting)
    # Read when a single sign-on uses them, not whenever Django walks the backends: a password
    # sign-in (the break-glass account) must work while the provider is down.
    OIDC_OP_TOKEN_ENDPOINT = _lazy("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = _lazy("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = _lazy("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_CLIENT_ID = _lazy("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = _lazy("OIDC_RP_CLIENT_SECRET")
    OIDC_RP_SIGN_ALGO = _lazy("OIDC_RP_SIGN_ALGO")
    OIDC_RP_IDP_SIGN_KEY = None

    def __init__(self, *args, **kwargs):
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        # Only the callback, with the state's nonce, is a single sign-on; never a password form
        # that happens to carry ?code=&state=.
        if (
            request is None
            or "nonce" not in kwargs
            or not getattr(settings, "ISO_OIDC", None)
            or request.path != reverse("oidc_authentication_callback")
        ):
            return None
        return super().authenticate(request, **kwargs)

    def _verify_jws(self, payload, key):
        algorithm = jwt.get_unverified_header(payload).get("alg")
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("ID token signed with an unexpected algorithm")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[algorithm],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=provider_metadata()["issuer"],
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
                leeway=30,
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from None

    def get_userinfo(self, access_token, id_token, payload):
        claims = super().get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo names another subject than the ID token")
        self.request.iso_oidc_claims = claims
        self.request.iso_oidc_acr = payload.get("acr")
        return claims

    def _claim_value(self, claims) -> str:
        return str(claims.get(oidc_config()["claim"]) or "").strip()

    def verify_claims(self, claims) -> bool:
        return bool(self._claim_value(claims))

    def describe_user_by_claims(self, claims) -> str:
        return f"{oidc_config()['claim']}={self._claim_value(claims)}"

    def filter_users_by_claims(self, claims):
        field = oidc_config()["match"]
        return self.UserModel.objects.filter(
            **{f"{field}__iexact": self._claim_value(claims)}, is_active=True
        )

    def get_or_create_user(self, access_token, id_token, payload):
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is None:
            self.request.iso_oidc_unknown = self._claim_value(self.request.iso_oidc_claims)
        return user


class AuthenticateView(OIDCAuthenticationRequestView):
    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
            self.OIDC_RP_CLIENT_ID = oidc_setting("OIDC_RP_CLIENT_ID")
        except (requests.RequestException, KeyError, ValueError, SuspiciousOperation) as error:
            log.warning("OIDC discovery failed: %s", error)
            return _failed(request, unreachable=True)
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(oidc_setting)

    def get(self, request):
        oidc_config()
        try:
            return super().get(request)
        except (SuspiciousOperation, requests.RequestException, KeyError, ValueError) as error:
            # A tampered or expired token, a replayed state, a provider that answers nonsense.
            log.warning("OIDC sign-in refused: %s", error)
            return _failed(request)

    def login_success(self):
        response = super().login_success()
        acr = getattr(self.request, "iso_oidc_acr", None)
        if acr and acr in oidc_config()["strong_acr"]:
            self.request.session[SESSION_STRONG_SSO] = True
        return response

    def login_failure(self):
        unknown = getattr(self.request, "iso_oidc_unknown", None)
        if unknown is not None:
            return render(
                self.request, "accounts/sso_unknown_user.html", {"who": unknown}, status=403
            )
        return _failed(self.request)


def _failed(request, *, unreachable: bool = False):
    return render(request, "accounts/sso_failed.html", {"unreachable": unreachable}, status=403)


def provider_logout_url(request) -> str:
    """Where logout goes after the local session ends: the provider's end-session endpoint
    (OpenID Connect RP-initiated logout) when it has one, else our login page."""
    login = absolutify(request, reverse("wagtailadmin_login"))
    try:
        endpoint = provider_metadata().get("end_session_endpoint")
    except (requests.RequestException, ValueError, SuspiciousOperation):
        endpoint = None
    if not endpoint:
        return login
    query = {
        "client_id": oidc_config()["client_id"],
        "post_logout_redirect_uri": login,
    }
    if request.session.get("oidc_id_token"):
        query["id_token_hint"] = request.session["oidc_id_token"]
    return f"{endpoint}?{urlencode(query)}"
