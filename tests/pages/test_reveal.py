"""查看完整信息 on the pages: needs a reason and the right; audited; the clear value is never cached."""

import pytest
from django.urls import reverse

from gongzhi.core.models import AuditEvent
from tests.pages.conftest import HTMX

pytestmark = pytest.mark.django_db


def _reveal(client, resident, **data):
    return client.post(reverse("console:reveal", args=[resident.pk]), data, **HTMX)


def test_reveal_shows_the_id_number_and_records_the_reason(world, login):
    head = world.residents["head"]
    grid01 = world.users["grid01"]

    response = _reveal(login(grid01), head, field="id_number", reason="核实高龄津贴申请")

    html = response.content.decode()
    assert response.status_code == 200
    assert world.id_numbers["head"] in html
    assert "<html" not in html  # only the fragment carries the clear value
    assert "no-store" in response["Cache-Control"]
    events = list(AuditEvent.objects.filter(action=AuditEvent.Action.REVEAL)
                  .values_list("actor", "target_id", "field", "reason", "scope_path"))
    assert events == [(grid01.pk, str(head.pk), "id_number", "核实高龄津贴申请", head.path)]


def test_reveal_of_the_phone_returns_the_phone(world, login):
    spouse = world.residents["spouse"]

    response = _reveal(login(world.users["secretary"]), spouse, field="phone", reason="联系低保复核")

    assert response.status_code == 200
    assert "13912340001" in response.content.decode()


@pytest.mark.parametrize("reason", ["", " ", "x"])
def test_reveal_without_a_reason_is_refused_and_records_nothing(world, login, reason):
    head = world.residents["head"]

    response = _reveal(login(world.users["grid01"]), head, field="id_number", reason=reason)

    html = response.content.decode()
    assert response.status_code == 422
    assert world.id_numbers["head"] not in html
    assert head.id_number_masked in html  # the form comes back, still masked
    assert 'aria-invalid="true"' in html
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REVEAL).count() == 0


def test_reveal_of_an_unknown_field_is_refused(world, login):
    response = _reveal(login(world.users["grid01"]), world.residents["head"], field="name", reason="核实身份")

    assert response.status_code == 422
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REVEAL).count() == 0


@pytest.mark.parametrize(("role", "key", "status"), [
    ("admin", "head", 403),      # administrators manage the system; they hold no reveal right
    ("dept", "head", 403),       # department handlers do not reach the registry pages at all
    ("grid02", "head", 404),     # another grid: the resident does not exist for them
    ("secretary_b", "head", 404),
    ("resident", "spouse", 403),  # residents do not use the console
])
def test_reveal_without_the_right_is_refused_and_records_nothing(world, login, role, key, status):
    resident = world.residents[key]

    response = _reveal(login(world.users[role]), resident, field="id_number", reason="好奇看看")

    assert response.status_code == status
    assert world.id_numbers[key] not in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REVEAL).count() == 0


def test_reveal_needs_post(world, login):
    response = login(world.users["grid01"]).get(reverse("console:reveal", args=[world.residents["head"].pk]))

    assert response.status_code == 405


def test_reveal_needs_the_csrf_token(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["grid01"])

    response = _reveal(client, world.residents["head"], field="id_number", reason="核实身份")

    assert response.status_code == 403
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REVEAL).count() == 0


def test_reveal_button_is_shown_only_to_those_with_the_right(world, login):
    head = world.residents["head"]
    url = reverse("console:reveal", args=[head.pk])

    as_grid = login(world.users["grid01"]).get(reverse("console:resident", args=[head.pk])).content.decode()
    as_admin = login(world.users["admin"]).get(reverse("console:resident", args=[head.pk])).content.decode()

    assert as_grid.count(f'hx-post="{url}"') == 2  # ID number and phone
    assert url not in as_admin


def test_reveal_without_javascript_answers_a_full_page(world, login):
    head = world.residents["head"]

    response = login(world.users["grid01"]).post(reverse("console:reveal", args=[head.pk]),
                                                 {"field": "id_number", "reason": "窗口核验身份"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert world.id_numbers["head"] in html
    assert "no-store" in response["Cache-Control"]
