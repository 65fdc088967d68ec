import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    """Public pages are cached per URL; every test starts from an empty cache so it sees its own data."""
    cache.clear()
    yield
    cache.clear()
