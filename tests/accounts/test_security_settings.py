"""Argon2, CSRF on session-authenticated writes, secure headers."""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client

from gongzhi import settings as production
from gongzhi.accounts.enums import Role
from tests.factories.accounts import PASSWORD, make_user
from tests.factories.registry import make_household, make_resident, make_tree

pytestmark = pytest.mark.django_db


def test_production_settings_hash_passwords_with_argon2():
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_argon2_is_installed_and_works():
    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("a-long-password-1", hasher.salt())

    assert encoded.startswith("argon2$argon2id$")
    assert not hasher.verify("a-long-password-2", encoded)


@pytest.fixture
def session_worker():
    tree = make_tree()
    resident = make_resident(make_household(tree.buildings["A1-1"]))
    worker = make_user("grid01", Role.GRID_WORKER, place=tree.grid_a1)
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")  # sets the csrftoken cookie, as a browser has it before logging in
    client.force_login(worker)
    return client, resident


def reveal_url(resident):
    return f"/api/v1/residents/{resident.pk}/reveal"


def test_session_authenticated_api_post_without_csrf_token_is_refused(session_worker):
    from gongzhi.core.models import AuditEvent

    client, resident = session_worker

    response = client.post(reveal_url(resident), {"field": "id_number", "reason": "核对"},
                           content_type="application/json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert AuditEvent.objects.filter(action="reveal").count() == 0


def test_session_authenticated_api_post_with_csrf_token_is_accepted(session_worker):
    client, resident = session_worker
    csrf = client.cookies["csrftoken"].value

    response = client.post(reveal_url(resident), {"field": "id_number", "reason": "核对"},
                           content_type="application/json", HTTP_X_CSRFTOKEN=csrf)

    assert response.status_code == 200


def test_session_authenticated_api_get_needs_no_csrf_token(session_worker):
    client, _resident = session_worker

    assert client.get("/api/v1/me").status_code == 200


def test_bearer_token_post_needs_no_csrf_token(api, session_worker):
    from gongzhi.accounts.models import User

    _client, resident = session_worker

    response = api(User.objects.get(username="grid01")).post(reveal_url(resident), {"field": "phone",
                                                                                   "reason": "联系家属"})

    assert response.status_code == 200


def test_login_page_post_without_csrf_token_is_refused():
    make_user("grid01")
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "grid01", "password": PASSWORD})

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_login_page_post_with_csrf_token_logs_in():
    user = make_user("grid01")
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")

    response = client.post("/accounts/login/", {"username": "grid01", "password": PASSWORD,
                                                "csrfmiddlewaretoken": client.cookies["csrftoken"].value})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize("url", ["/accounts/login/", "/api/v1/health", "/api/v1/me"])
def test_secure_headers_are_sent(url):
    response = Client().get(url)

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_session_cookie_is_http_only_and_expires_within_a_working_day():
    make_user("grid01")
    client = Client()

    client.post("/accounts/login/", {"username": "grid01", "password": PASSWORD})

    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["max-age"] == 8 * 3600
