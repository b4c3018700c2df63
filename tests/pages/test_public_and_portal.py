"""Public pages need no login; the resident portal shows one's own household, masked."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_public_work_list_needs_no_login(world, client):
    response = client.get(reverse("portal:work_list", args=[world.tree.community_a.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "陈包片" in html
    assert "负责第A1网格入户走访" in html
    assert "A1小区1号楼" in html
    assert 'href="tel:0591-87654321"' in html


def test_public_work_list_of_an_unknown_community_is_404(world, client):
    assert client.get(reverse("portal:work_list", args=[world.tree.grid_a1.pk])).status_code == 404


def test_public_home_lists_communities_with_their_work_lists(world, client):
    response = client.get(reverse("portal:home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("portal:work_list", args=[world.tree.community_a.pk]) in html
    assert reverse("portal:work_list", args=[world.tree.community_b.pk]) in html


def test_public_pages_show_no_resident(world, client):
    for url in (reverse("portal:home"), reverse("portal:work_list", args=[world.tree.community_a.pk])):
        html = client.get(url).content.decode()
        assert not any(r.name in html for r in world.residents.values()), url


def test_resident_portal_shows_own_household_masked(world, login):
    response = login(world.users["resident"]).get(reverse("portal:resident_home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert [m.name for m in response.context["members"]] == ["张一格", "张一妻"]
    assert world.residents["spouse"].id_number_masked in html
    assert world.id_numbers["spouse"] not in html
    assert "李二格" not in html
    assert "no-store" in response["Cache-Control"]


def test_resident_portal_needs_login(world, client):
    response = client.get(reverse("portal:resident_home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_portal_shows_planned_areas_as_coming_soon(world, login):
    tiles = login(world.users["resident"]).get(reverse("portal:resident_home")).context["tiles"]

    assert all("label" in t and "soon" in t for t in tiles)
    assert len(tiles) >= 4


def test_signed_in_home_sends_staff_to_the_console_and_residents_to_the_portal(world, login):
    assert login(world.users["grid01"]).get("/")["Location"] == reverse("console:home")
    assert login(world.users["resident"]).get("/")["Location"] == reverse("portal:resident_home")
