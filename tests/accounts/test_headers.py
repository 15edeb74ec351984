"""Production headers: CSP (public and admin), Permissions-Policy, HSTS with subdomains, on
the public site, the admin, the API and responses served from the public cache."""

import importlib
import sys

from django.test import override_settings

import pytest

pytestmark = pytest.mark.django_db

PRODUCTION_HEADER_SETTINGS = (
    "ISO_SECURITY_HEADERS",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "X_FRAME_OPTIONS",
    "PERMISSIONS_POLICY",
    "SECURE_PROXY_SSL_HEADER",
)


@pytest.fixture
def production(monkeypatch):
    """The header settings exactly as cms.settings.production makes them."""
    monkeypatch.setenv("SECRET_KEY", "kiem-thu-san-xuat")
    monkeypatch.setenv("ALLOWED_HOSTS", "testserver,iso.example.vn")
    monkeypatch.setenv("WAGTAILADMIN_BASE_URL", "https://iso.example.vn")
    kept = {
        name: sys.modules.pop(name, None)
        for name in ("cms.settings.base", "cms.settings.production")
    }
    try:
        module = importlib.import_module("cms.settings.production")
        values = {name: getattr(module, name) for name in PRODUCTION_HEADER_SETTINGS}
    finally:
        for name, original in kept.items():
            sys.modules.pop(name, None)
            if original is not None:
                sys.modules[name] = original
    assert values["ISO_SECURITY_HEADERS"] and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    with override_settings(**values, SECURE_SSL_REDIRECT=False):
        yield


def _https(client, url, **extra):
    return client.get(url, HTTP_X_FORWARDED_PROTO="https", **extra)


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def _assert_production_headers(response):
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def _assert_public_policy(response):
    csp = _directives(response)
    for directive, sources in csp.items():
        allowed = {"'self'", "'none'", "'unsafe-inline'", "data:"}
        assert set(sources) <= allowed, (directive, sources)  # no outside host, ever
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no inline script, no eval
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'self'"]


def test_public_pages_and_their_cached_copies(client, production, agency_a):
    url = agency_a.url
    fresh = _https(client, url)
    cached = _https(client, url)
    assert (fresh.status_code, cached.status_code) == (200, 200)
    assert (fresh["X-Cache"], cached["X-Cache"]) == ("MISS", "HIT")
    for response in (fresh, cached):
        _assert_production_headers(response)
        _assert_public_policy(response)
    assert fresh["Content-Security-Policy"] == cached["Content-Security-Policy"]


def test_the_api_and_its_cached_copies(client, production, agency_a):
    fresh = _https(client, "/api/v1/agencies/")
    cached = _https(client, "/api/v1/agencies/")
    assert cached["X-Cache"] == "HIT"
    for response in (fresh, cached):
        assert response.status_code == 200
        _assert_production_headers(response)
        _assert_public_policy(response)


def test_the_admin_has_its_own_policy(client, production, staff_a):
    client.force_login(staff_a["editors"])
    response = _https(client, "/admin/")
    assert response.status_code == 200
    _assert_production_headers(response)
    csp = _directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'self'"]
    assert not any("http" in source for sources in csp.values() for source in sources)
    login = _https(client, "/admin/login/")
    assert "Content-Security-Policy" in login


@override_settings(
    ISO_OIDC={
        "issuer": "https://sso.tinh.gov.vn/realms/tinh",
        "client_id": "iso",
        "client_secret": "x",
        "claim": "preferred_username",
        "match": "username",
        "scopes": "openid",
        "sign_algo": "RS256",
        "strong_acr": [],
        "label": "SSO",
    }
)
def test_the_admin_may_send_its_logout_form_to_the_provider(client, production):
    csp = _directives(_https(client, "/admin/login/"))
    assert csp["form-action"] == ["'self'", "https://sso.tinh.gov.vn"]


def test_development_settings_send_no_policy(client, agency_a):
    assert "Content-Security-Policy" not in client.get(agency_a.url)
