import os
import socket
from urllib.parse import urlsplit

import pytest

from tests.factories import make_agency, make_home, make_staff

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def require_service(name: str, url: str) -> None:
    """Skip when `url`'s host:port does not answer; under REQUIRE_SERVICES=1 (CI) fail instead."""
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=2):
            return
    except OSError as exc:
        message = f"{name} unreachable at {parts.hostname}:{parts.port} ({exc})"
        if REQUIRE_SERVICES:
            pytest.fail(f"{message}; REQUIRE_SERVICES=1 requires it")
        pytest.skip(message)


@pytest.fixture
def home(db):
    return make_home()


@pytest.fixture
def agency_a(home):
    return make_agency(home, "CQA", title="Sở Tư pháp thử", short_name="Sở Tư pháp")


@pytest.fixture
def agency_b(home):
    return make_agency(home, "CQB", title="UBND phường thử", short_name="UBND phường")


@pytest.fixture
def staff_a(agency_a):
    return make_staff(agency_a, "a")


@pytest.fixture
def staff_b(agency_b):
    return make_staff(agency_b, "b")


@pytest.fixture(autouse=True)
def _signed_in_fully(request, monkeypatch):
    """`client.force_login()` and `client.login()` sign a user in completely: past the second
    factor too, as they are already past the password form and its lockout. Tests of signing
    in itself post the real forms, or mark themselves `real_second_factor` to keep the second
    factor in force after `force_login()` (tests/accounts/)."""
    if request.node.get_closest_marker("real_second_factor"):
        return
    from django.test import Client

    from tests.accounts.helpers import session_second_factor_pass

    original = Client._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        session_second_factor_pass(self, user)

    monkeypatch.setattr(Client, "_login", _login)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Caches outlive a test's rolled-back transaction: start each test with empty ones, as a
    fresh database would. (The public cache is bumped on commit, which a rolled-back test never
    reaches, so a skeleton cached by an earlier test could name pages that no longer exist.)"""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
