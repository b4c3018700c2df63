import pytest
from django.utils import timezone, translation

from tests.factories.ledger import build_world


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (the msgids)."""
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def today():
    return timezone.localdate()
