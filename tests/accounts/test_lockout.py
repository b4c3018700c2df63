"""django-axes: five failures lock a username on an address, on the login page and on the token endpoint."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from gongzhi.accounts.models import ApiToken
from tests.factories.accounts import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LIMIT = 5


def token(client, username, password):
    return client.post("/api/v1/auth/token", {"username": username, "password": password},
                       content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")


def login_page(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password},
                       HTTP_ACCEPT_LANGUAGE="en")


def test_token_endpoint_locks_after_five_failures_and_then_refuses_the_right_password():
    make_user("grid01")
    client = Client()

    answers = [token(client, "grid01", "wrong-password").status_code for _ in range(LIMIT)]
    locked = token(client, "grid01", PASSWORD)

    assert answers == [401] * (LIMIT - 1) + [429]
    assert locked.status_code == 429
    assert locked.json() == {"code": "locked_out", "detail": "Too many failed attempts; try again later."}
    assert ApiToken.objects.count() == 0


def test_token_lock_lifts_after_the_cool_off():
    make_user("grid01")
    client = Client()
    for _ in range(LIMIT):
        token(client, "grid01", "wrong-password")
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))

    assert token(client, "grid01", PASSWORD).status_code == 200


def test_a_lock_holds_one_username_only():
    make_user("grid01")
    make_user("grid02")
    client = Client()
    for _ in range(LIMIT):
        token(client, "grid01", "wrong-password")

    assert token(client, "grid02", PASSWORD).status_code == 200


def test_fewer_failures_than_the_limit_do_not_lock():
    make_user("grid01")
    client = Client()
    for _ in range(LIMIT - 1):
        token(client, "grid01", "wrong-password")

    assert token(client, "grid01", PASSWORD).status_code == 200


def test_login_page_locks_after_five_failures_and_then_refuses_the_right_password():
    make_user("grid01")
    client = Client()

    answers = [login_page(client, "grid01", "wrong-password").status_code for _ in range(LIMIT)]
    locked = login_page(client, "grid01", PASSWORD)

    assert answers == [200] * (LIMIT - 1) + [429]
    assert locked.status_code == 429
    assert "Account temporarily locked" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_page_and_token_endpoint_share_one_count():
    make_user("grid01")
    client = Client()
    for _ in range(3):
        login_page(client, "grid01", "wrong-password")
    for _ in range(2):
        token(client, "grid01", "wrong-password")

    assert token(client, "grid01", PASSWORD).status_code == 429
    assert login_page(client, "grid01", PASSWORD).status_code == 429
