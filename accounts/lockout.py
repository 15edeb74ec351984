"""Brute-force protection around django-axes: who is counted, what a locked person sees, and
how an administrator lifts a lock.

Failures count per username and per address (`AXES_LOCKOUT_PARAMETERS`); either reaching
`AXES_FAILURE_LIMIT` locks for `AXES_COOLOFF_TIME`. While locked, even the right password is
refused. Password-reset requests count like failed sign-ins (per e-mail address and per
address), so the reset form cannot be used to flood a mailbox or probe accounts.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.db.models import F
from django.shortcuts import render
from django.utils import timezone

from wagtail.log_actions import log

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset

from .models import LockoutRecord

RESET_USERNAME_PREFIX = "reset:"


def attempted_username(request, credentials) -> str | None:
    """The username a failure is counted against: case and spaces do not make a new one."""
    username = (credentials or {}).get("username")
    if username is None and request is not None and request.method == "POST":
        username = request.POST.get("username")
    return username.strip().lower() if username else None


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind ISO_TRUSTED_PROXY_COUNT proxies of our own
    the address the outermost of them saw (X-Forwarded-For is client, proxy1, proxy2…)."""
    count = getattr(settings, "ISO_TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


def lockout_minutes() -> int:
    cool_off = get_cool_off()
    return int(cool_off.total_seconds() // 60) if cool_off else 0


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked sign-in or reset: a Vietnamese page, status 429."""
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": lockout_minutes(), "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


def lockout_record(*, username: str | None, ip_address: str | None, request) -> LockoutRecord:
    """Record a lockout; further attempts during the same lock are counted on its record."""
    cool_off = get_cool_off()
    ongoing = LockoutRecord.objects.filter(
        username=username or "", ip_address=ip_address or None, unlocked_at__isnull=True
    )
    if cool_off:
        ongoing = ongoing.filter(last_attempt_at__gte=timezone.now() - cool_off)
    record = ongoing.order_by("-locked_at").first()
    if record is not None:
        record.attempts_while_locked = F("attempts_while_locked") + 1
        record.save(update_fields=["attempts_while_locked", "last_attempt_at"])
        return record
    return LockoutRecord.objects.create(
        username=username or "",
        ip_address=ip_address or None,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:255] if request else "",
        path=request.path[:255] if request else "",
    )


def account_is_locked(*, username: str) -> bool:
    """Whether sign-in as `username` is refused now (by its own failures, whatever the
    address; a lock on an address alone is not the account's)."""
    name = username.strip().lower()
    attempts = AccessAttempt.objects.filter(username=name)
    cool_off = get_cool_off()
    if cool_off:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    failures = sum(attempts.values_list("failures_since_start", flat=True))
    return failures >= settings.AXES_FAILURE_LIMIT


@transaction.atomic
def account_unlock(*, user, by) -> int:
    """Lift the lock on `user`'s username and on the addresses its failures came from (an
    office behind one address would otherwise stay locked); recorded in the site history."""
    name = user.get_username().strip().lower()
    addresses = set(
        AccessAttempt.objects.filter(username=name).values_list("ip_address", flat=True)
    )
    removed = reset(username=name)
    for address in addresses - {None}:
        removed += reset(ip=address)
    LockoutRecord.objects.filter(username=name, unlocked_at__isnull=True).update(
        unlocked_at=timezone.now(), unlocked_by=by
    )
    log(instance=user, action="iso.unlock", user=by, data={"username": user.get_username()})
    return removed


def password_reset_allowed(request, *, email: str) -> bool:
    """Counts a reset request against the e-mail address and the client's address; False
    (and the lockout page is due) once either is over the limit."""
    credentials = {"username": f"{RESET_USERNAME_PREFIX}{email.strip().lower()}"}
    if not AxesProxyHandler.is_allowed(request, credentials):
        return False
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return not getattr(request, "axes_locked_out", False)
