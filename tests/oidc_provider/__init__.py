"""A real OpenID Connect provider for the single sign-on tests: a small Django project on
django-oauth-toolkit, run as its own server process by `serve.py` (see tests/browser/test_sso.py).

It stands for the province's SSO: authorization code flow with PKCE, RS256-signed ID tokens from
an RSA key made at start, discovery, JWKS, userinfo and RP-initiated logout. A mode file lets a
test make it misbehave the way a broken or hostile provider would (an expired or a tampered ID
token) and choose the `acr` it reports.
"""
