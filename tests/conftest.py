import os
from pathlib import Path

import pytest
from django.test import Client

from tests.factories.accounts import PASSWORD


@pytest.fixture(autouse=True)
def _reset_axes(db):
    from axes.utils import reset

    reset()


def token_for(username: str) -> str:
    response = Client().post("/api/v1/auth/token", {"username": username, "password": PASSWORD},
                             content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


class ApiClient:
    """Calls the JSON API as a given user, with a real bearer token."""

    def __init__(self, user=None):
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token_for(user.username)}"} if user else {}

    def get(self, url, **params):
        return self.client.get(url, params, **self.headers)

    def post(self, url, body=None, **extra):
        return self.client.post(url, body or {}, content_type="application/json", **self.headers, **extra)

    def put(self, url, body=None, **extra):
        return self.client.put(url, body or {}, content_type="application/json", **self.headers, **extra)

    def patch(self, url, body=None, **extra):
        return self.client.patch(url, body or {}, content_type="application/json", **self.headers, **extra)

    def delete(self, url, **extra):
        return self.client.delete(url, **self.headers, **extra)


@pytest.fixture
def api():
    return ApiClient


# Browser tests: Debian's Chromium through Playwright (never a downloaded browser).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
needs_chromium = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium"),
]


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the test still uses the ORM synchronously.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
