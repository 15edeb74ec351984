"""Signing in as a user for tests that are about something else than signing in."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

TEST_DEVICE = "Thiết bị của bộ kiểm thử"


def session_second_factor_pass(client, user) -> None:
    """Mark `client`'s session as past the second factor, the way django-otp records a real
    verification (the device's id in the session), with a device made for the purpose."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=TEST_DEVICE)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
