import pytest

from tests.workspace.builders import build_due


@pytest.fixture
def due_a(agency_a, staff_a):
    return build_due(agency_a, staff_a, code="A")


@pytest.fixture
def due_b(agency_b, staff_b):
    return build_due(agency_b, staff_b, code="B")


from tests.integration.test_celery_worker import redis_celery  # noqa: E402, F401
