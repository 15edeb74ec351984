"""Session policy: a signed-in session ends after ISO_SESSION_IDLE_SECONDS without a request
and ISO_SESSION_MAX_SECONDS after signing in, whatever happens in between."""

from __future__ import annotations

import time

from django.conf import settings

SESSION_SIGNED_IN_AT = "iso_signed_in_at"
SESSION_SEEN_AT = "iso_seen_at"
# Writing the session on every request would cost a database write per admin click; the last
# request is remembered to the minute, which the 30-minute idle limit does not notice.
SEEN_RESOLUTION = 60


def session_expired(*, session, now: float | None = None) -> bool:
    """Whether the signed-in `session` is past either limit."""
    now = time.time() if now is None else now
    signed_in = session.get(SESSION_SIGNED_IN_AT)
    seen = session.get(SESSION_SEEN_AT, signed_in)
    if signed_in is None:
        return False  # signed in before this policy existed: starts counting now
    if now - signed_in > settings.ISO_SESSION_MAX_SECONDS:
        return True
    return seen is not None and now - seen > settings.ISO_SESSION_IDLE_SECONDS


def session_touch(*, session, now: float | None = None) -> None:
    now = time.time() if now is None else now
    session.setdefault(SESSION_SIGNED_IN_AT, now)
    if now - session.get(SESSION_SEEN_AT, 0) >= SEEN_RESOLUTION:
        session[SESSION_SEEN_AT] = now
