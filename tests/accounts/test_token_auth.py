"""Bearer tokens: issued for the right password, refused when expired, for inactive users, or forged."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from gongzhi.accounts.enums import Role
from gongzhi.accounts.models import ApiToken
from tests.conftest import token_for
from tests.factories.accounts import PASSWORD, make_user
from tests.factories.registry import make_tree

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")


def post_token(username, password, **headers):
    return Client().post("/api/v1/auth/token", {"username": username, "password": password},
                         content_type="application/json", **headers)


def me(token):
    return Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_right_password_gives_a_token_that_opens_the_api():
    tree = make_tree()
    user = make_user("grid01", Role.GRID_WORKER, place=tree.grid_a1)

    response = post_token("grid01", PASSWORD)

    assert response.status_code == 200
    token = response.json()["token"]
    row = ApiToken.objects.get(user=user)
    assert row.digest == ApiToken.digest_of(token)
    assert token not in {row.digest, row.prefix}
    assert dt.datetime.fromisoformat(response.json()["expires_at"]) == row.expires_at
    body = me(token).json()
    assert (body["username"], [r["role"] for r in body["roles"]]) == ("grid01", ["grid_worker"])


def test_expired_token_is_refused():
    make_user("grid01")
    token = token_for("grid01")
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    response = me(token)

    assert (response.status_code, response.json()["code"]) == (401, "unauthorized")


def test_token_of_a_deactivated_user_is_refused():
    user = make_user("grid01")
    token = token_for("grid01")
    user.is_active = False
    user.save(update_fields=["is_active"])

    assert me(token).status_code == 401


def test_inactive_user_gets_no_token():
    user = make_user("grid01")
    user.is_active = False
    user.save(update_fields=["is_active"])

    response = post_token("grid01", PASSWORD)

    assert (response.status_code, response.json()["code"]) == (401, "login_failed")
    assert ApiToken.objects.count() == 0


@pytest.mark.parametrize("header", ["Bearer gz_forged", "Bearer ", "Token abc", "gz_x"])
def test_forged_or_malformed_tokens_are_refused(header):
    make_user("grid01")
    token_for("grid01")

    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401


def test_wrong_password_is_refused_in_chinese():
    make_user("grid01")

    response = post_token("grid01", "not-the-password", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 401
    assert response.json()["code"] == "login_failed"
    assert CJK.search(response.json()["detail"]), response.json()["detail"]
    assert ApiToken.objects.count() == 0


def test_wrong_password_is_refused_in_english_when_asked():
    make_user("grid01")

    response = post_token("grid01", "not-the-password", HTTP_ACCEPT_LANGUAGE="en")

    assert response.json() == {"code": "login_failed", "detail": "Wrong username or password."}


def test_unknown_user_gets_the_same_answer_as_a_wrong_password():
    make_user("grid01")

    unknown = post_token("nobody", "not-the-password", HTTP_ACCEPT_LANGUAGE="en")
    wrong = post_token("grid01", "not-the-password", HTTP_ACCEPT_LANGUAGE="en")

    assert (unknown.status_code, unknown.json()) == (wrong.status_code, wrong.json())


@pytest.mark.parametrize(("body", "field"), [
    ({"password": "x"}, "username"), ({"username": "grid01"}, "password"), ({"username": "", "password": "x"},
                                                                           "username"),
    ({"username": "u" * 151, "password": "x"}, "username"),
])
def test_malformed_token_requests_are_a_422_naming_the_field(body, field):
    response = Client().post("/api/v1/auth/token", body, content_type="application/json")

    assert response.status_code == 422
    assert (response.json()["code"], response.json()["field"]) == ("invalid", field)


def test_issuing_a_token_is_audited_without_the_token():
    from gongzhi.core.models import AuditEvent

    user = make_user("grid01")
    token = token_for("grid01")

    event = AuditEvent.objects.get(action="token")
    assert (event.actor_id, event.target_repr) == (user.pk, token[:8])
    assert token not in str(event.__dict__)
