from django.urls import reverse

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD


def password_login(client, username: str, password: str = PASSWORD, **extra):
    """Sign in through Wagtail's login form, as a person does."""
    return client.post(
        reverse("wagtailadmin_login"), {"username": username, "password": password}, **extra
    )


def totp_now(user) -> str:
    """The code the user's authenticator app shows now."""
    device = TOTPDevice.objects.get(user=user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def approver(staff_a):
    return staff_a["approvers"]
