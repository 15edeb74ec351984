"""The second factor: TOTP (an authenticator app) with single-use recovery codes, django-otp.

Required for superusers, the groups in ISO_SECOND_FACTOR_GROUPS (the province administrators)
and the agency roles in ISO_SECOND_FACTOR_AGENCY_ROLES (approvers, administrators); anybody else
may enrol, and once enrolled is asked for it too. A single sign-on whose provider vouches for a
strong authentication (its `acr` is one of OIDC_STRONG_ACR) counts as the second factor.
"""

from __future__ import annotations

import base64
import re

from django.conf import settings
from django.db import transaction
from django.utils.crypto import get_random_string

import django_otp
import qrcode
import qrcode.image.svg
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from content_types.agency import AgencyGroup

SESSION_STRONG_SSO = "iso_strong_sso"
TOTP_NAME = "Ứng dụng xác thực"
RECOVERY_NAME = "Mã khôi phục"
# Recovery codes without look-alike characters (0/O, 1/l/I), typed from paper.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def user_requires_second_factor(*, user) -> bool:
    """Whether `user`'s role makes the second factor mandatory."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if user.groups.filter(name__in=settings.ISO_SECOND_FACTOR_GROUPS).exists():
        return True
    return AgencyGroup.objects.filter(
        group__user=user, role__in=settings.ISO_SECOND_FACTOR_AGENCY_ROLES
    ).exists()


def user_has_second_factor(*, user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def request_second_factor_done(*, request) -> bool:
    """Whether this session has passed the second factor (or needs none)."""
    user = request.user
    if not user.is_authenticated:
        return True
    if getattr(user, "is_verified", None) and user.is_verified():
        return True
    if request.session.get(SESSION_STRONG_SSO):
        return True
    return not (user_requires_second_factor(user=user) or user_has_second_factor(user=user))


def totp_device_pending(*, user) -> TOTPDevice:
    """The authenticator being enrolled: kept unconfirmed until its first code is right, so a
    reload shows the same secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def totp_secret_text(*, device: TOTPDevice) -> str:
    """The secret as authenticator apps ask for it when typed: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_svg(*, device: TOTPDevice) -> str:
    """The otpauth:// link as an inline SVG QR code, drawn here: no outside request."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r"^<\?xml[^>]*\?>\s*", "", svg)
    return svg.replace("<svg ", '<svg role="img" aria-label="Mã QR để quét bằng ứng dụng" ', 1)


def _clean(token: str) -> str:
    return re.sub(r"[\s-]", "", token or "").lower()


@transaction.atomic
def totp_device_confirm(*, request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with its first code; on success the session is verified and
    the new recovery codes are returned (to be shown once). None when the code is wrong."""
    if not device.verify_token(_clean(token)):
        return None
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_issue(user=device.user)
    second_factor_login(request=request, device=device)
    return codes


@transaction.atomic
def recovery_codes_issue(*, user) -> list[str]:
    """A fresh set of ISO_RECOVERY_CODES single-use codes; the previous set stops working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [get_random_string(10, RECOVERY_ALPHABET) for _ in range(settings.ISO_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def recovery_codes_left(*, user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_NAME).count()


def second_factor_verify(*, request, token: str) -> bool:
    """Check a code from the authenticator or a recovery code (which is then used up)."""
    user = request.user
    token = _clean(token)
    if not token:
        return False
    for device in django_otp.devices_for_user(user, confirmed=True):
        if device.verify_is_allowed()[0] and device.verify_token(token):
            second_factor_login(request=request, device=device)
            return True
    return False


def second_factor_login(*, request, device) -> None:
    # A new session key once the second factor is in, as after the password.
    request.session.cycle_key()
    django_otp.login(request, device)
