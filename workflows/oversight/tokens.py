"""Bearer tokens for the one-stop system's push: one per agency, one for the province.

A token is 32 random bytes; only its SHA-256 is stored (the secret has full entropy, so a slow
password hash would add nothing). Rotating issues a new token and revokes the previous one at
once; the secret is shown to the administrator a single time. The token rows themselves are the
history: who issued each, when, when it was revoked and last used.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from content_types.agency import AgencyPage
from content_types.oversight import DossierPushToken

TOKEN_PREFIX = "isodt_"


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def push_token_rotate(*, agency: AgencyPage | None, user) -> tuple[DossierPushToken, str]:
    """Revoke the scope's active token(s) and issue a new one: (record, secret shown once)."""
    now = timezone.now()
    active = DossierPushToken.objects.select_for_update().filter(
        agency=agency, revoked_at__isnull=True
    )
    active.update(revoked_at=now)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = DossierPushToken.objects.create(
        agency=agency,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        token_sha256=token_digest(secret),
        created_by=user,
    )
    return token, secret


@transaction.atomic
def push_token_revoke(*, agency: AgencyPage | None, user) -> int:
    """Revoke the scope's active token without issuing another; how many were revoked."""
    return DossierPushToken.objects.filter(agency=agency, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def push_token_find(secret: str) -> DossierPushToken | None:
    """The active token with this secret, or None."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    return (
        DossierPushToken.objects.select_related("agency")
        .filter(token_sha256=token_digest(secret), revoked_at__isnull=True)
        .first()
    )


def push_token_active(agency: AgencyPage | None) -> DossierPushToken | None:
    return DossierPushToken.objects.filter(agency=agency, revoked_at__isnull=True).first()
