"""List pages run a fixed number of queries, however many rows they show."""

import datetime as dt

import pytest
from django.urls import reverse

from gongzhi.registry.enums import Tag
from tests.factories.registry import make_household, make_resident
from tests.pages.conftest import HTMX

pytestmark = pytest.mark.django_db


def _add_residents(world, n: int) -> None:
    building = world.tree.buildings["A1-2"]
    for i in range(n):
        make_resident(make_household(building), name=f"欧阳{'一二三四五'[i]}", birth=dt.date(1950 + i, 1, 1),
                      tags=[Tag.LIVING_ALONE, Tag.VETERAN])


@pytest.mark.parametrize("rows", [1, 3])
def test_resident_search_results_take_a_fixed_number_of_queries(world, login, django_assert_num_queries, rows):
    _add_residents(world, rows)
    client = login(world.users["grid01"])
    client.get(reverse("console:home"))  # warm the session

    # session, user, role scopes, count, page of residents, their tags
    with django_assert_num_queries(6):
        response = client.get(reverse("console:residents"), {"q": "oy"}, **HTMX)

    assert response.content.decode().count('<a href="/console/residents/') == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_household_list_of_a_building_takes_a_fixed_number_of_queries(world, login, django_assert_num_queries,
                                                                      rows):
    _add_residents(world, rows)
    client = login(world.users["grid01"])
    building = world.tree.buildings["A1-2"]

    # session, user, role scopes, the building, its households with member counts
    with django_assert_num_queries(5):
        response = client.get(reverse("console:places"), {"parent": building.pk}, **HTMX)

    assert response.content.decode().count('href="/console/households/') == rows
