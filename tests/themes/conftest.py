import pytest

from themes import skeleton
from themes.cache import public_cache


@pytest.fixture(autouse=True)
def _fresh_public_cache():
    """Each test starts with an empty public cache and skeleton (they outlive a test's rollback)."""
    public_cache().clear()
    skeleton._memo.clear()
    yield
    public_cache().clear()
    skeleton._memo.clear()
