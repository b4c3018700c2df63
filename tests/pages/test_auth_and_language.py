"""Log-in, log-out, lockout and the language switch."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_renders_in_chinese_by_default(client):
    response = client.get(reverse("accounts:login"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert "登录" in html


def test_login_with_the_right_password_opens_the_console(world, client):
    response = client.post(reverse("accounts:login"), {"username": "grid01", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("console:home")
    assert client.get(reverse("console:home")).status_code == 200


def test_login_with_a_wrong_password_says_so(world, client):
    response = client.post(reverse("accounts:login"), {"username": "grid01", "password": "wrong-password"})

    assert response.status_code == 200
    assert response.context["form"].errors["__all__"]
    assert 'class="alert alert-error"' in response.content.decode()


def test_login_locks_out_after_five_failures(world, client):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "grid01", "password": "wrong-password"})

    response = client.post(reverse("accounts:login"), {"username": "grid01", "password": PASSWORD})

    assert response.status_code == 429
    assert "accounts/locked.html" in [t.name for t in response.templates]
    assert client.get(reverse("console:home")).status_code == 302  # still not signed in


def test_logout_is_a_post(world, login):
    client = login(world.users["grid01"])

    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert client.get(reverse("console:home")).status_code == 302


def test_language_switch_to_english_and_back(world):
    client = Client()
    client.force_login(world.users["grid01"])

    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/console/"})
    english = client.get(reverse("console:home")).content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/console/"})
    chinese = client.get(reverse("console:home")).content.decode()

    assert switched.status_code == 302
    assert switched["Location"] == "/console/"
    assert '<html lang="en">' in english
    assert "Log out" in english
    assert '<html lang="zh-hans">' in chinese
    assert "退出登录" in chinese
    assert "Log out" not in chinese


def test_language_switch_is_on_every_layout(world, client, login):
    pages = [client.get(reverse("accounts:login")), client.get(reverse("portal:home")),
             login(world.users["secretary"]).get(reverse("console:home"))]

    for response in pages:
        assert 'action="/i18n/setlang/"' in response.content.decode()
