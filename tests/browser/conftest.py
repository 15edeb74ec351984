"""Real Chromium (Debian's package) driven by Playwright for Python, and axe-core from npm.

Skipped locally when either is missing; under REQUIRE_SERVICES=1 (CI, where `.ci/run` installs
them through `make browser-deps`) a missing one fails the run instead.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import REQUIRE_SERVICES

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]

# The live server runs in a thread of the test process: Django refuses ORM calls from the
# event loop Playwright's sync API runs, unless told that this is intended.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _missing(message: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{message}; REQUIRE_SERVICES=1 requires it (run `make browser-deps`)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        _missing(f"Chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright for Python is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_path() -> str:
    if not AXE.exists():
        _missing(f"axe-core not installed at {AXE}")
    return str(AXE)


@pytest.fixture
def context(browser):
    context = browser.new_context(accept_downloads=True, locale="vi-VN")
    yield context
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        accept_downloads=True,
        locale="vi-VN",
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    yield context
    context.close()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests last: their transactional database is flushed after each of them (and
    restored from the serialized baseline before the next), which a later transactional test
    that is not serialized (tests/integration) would otherwise find empty."""
    browser = [item for item in items if "tests/browser/" in item.nodeid]
    others = [item for item in items if "tests/browser/" not in item.nodeid]
    items[:] = others + browser
