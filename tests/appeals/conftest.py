import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Service-level messages are asserted in English (the msgids); pages and API follow the request."""
    with translation.override("en"):
        yield
