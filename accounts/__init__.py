"""Sign-in (issue 12): lockout, second factor, single sign-on, session policy, security headers.

Sits beside `search` in the layering (DESIGN §3): `cms` and `workflows` may call it; it imports
only `content_types` and the libraries it configures (django-axes, django-otp,
mozilla-django-oidc, django-csp).
"""
