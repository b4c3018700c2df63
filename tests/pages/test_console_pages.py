"""Console pages render for every staff role, and only for them."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

STAFF = ["admin", "street", "secretary", "worker", "grid01", "dept"]
REGISTRY = ["admin", "street", "secretary", "worker", "grid01"]


@pytest.mark.parametrize("role", STAFF)
@pytest.mark.parametrize("name", ["console:home", "console:work_list", "party:tree"])
def test_staff_pages_render_for_every_staff_role(world, login, role, name):
    response = login(world.users[role]).get(reverse(name))

    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


@pytest.mark.parametrize("role", REGISTRY)
@pytest.mark.parametrize("name", ["console:places", "console:residents"])
def test_registry_pages_render_for_registry_roles(world, login, role, name):
    assert login(world.users[role]).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", ["console:places", "console:residents", "console:audit"])
def test_department_handler_cannot_open_registry_pages(world, login, name):
    assert login(world.users["dept"]).get(reverse(name)).status_code == 403


@pytest.mark.parametrize(("role", "status"), [("admin", 200), ("street", 200), ("secretary", 200),
                                              ("worker", 403), ("grid01", 403), ("dept", 403)])
def test_audit_page_is_for_admin_street_and_secretary(world, login, role, status):
    assert login(world.users[role]).get(reverse("console:audit")).status_code == status


@pytest.mark.parametrize("name", ["console:places", "console:residents", "console:work_list", "console:audit",
                                  "party:tree"])
def test_resident_cannot_open_console_pages(world, login, name):
    assert login(world.users["resident"]).get(reverse(name)).status_code == 403


def test_console_home_sends_a_resident_to_the_portal(world, login):
    response = login(world.users["resident"]).get(reverse("console:home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:resident_home")


def test_console_pages_need_login(world, client):
    response = client.get(reverse("console:residents"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=/console/residents/"


def test_console_home_shows_scope_and_counts_of_a_grid_worker(world, login):
    response = login(world.users["grid01"]).get(reverse("console:home"))

    stats = response.context["stats"]
    assert stats == {"residents": 2, "households": 1, "buildings": 2, "grids": 1, "party_members": 1}
    assert [s["trail"] for s in response.context["scopes"]] == [["鼓楼区", "东街街道", "军门社区", "第A1网格"]]
    html = response.content.decode()
    assert "网格员·第A1网格" in html  # header: role on place


def test_console_home_counts_of_a_secretary_cover_her_community(world, login):
    response = login(world.users["secretary"]).get(reverse("console:home"))

    assert response.context["stats"] == {"residents": 3, "households": 2, "buildings": 4, "grids": 2,
                                         "party_members": 1}
    care = {str(c["label"]): c["count"] for c in response.context["care"]}
    assert care["80岁以上"] == 1  # 张一格, born 1940
    assert care["低保"] == 1


def test_navigation_shows_only_allowed_areas(world, login):
    grid_nav = [i["url"] for i in login(world.users["grid01"]).get(reverse("console:home")).context["nav"]]
    dept_nav = [i["url"] for i in login(world.users["dept"]).get(reverse("console:home")).context["nav"]]

    assert reverse("console:residents") in grid_nav
    assert reverse("console:audit") not in grid_nav
    assert reverse("console:residents") not in dept_nav
    assert reverse("console:work_list") in dept_nav


def test_htmx_request_after_the_session_ended_reloads_the_login_page(world, client):
    response = client.get(reverse("console:residents"), {"q": "张"}, HTTP_HX_REQUEST="true",
                          HTTP_HX_CURRENT_URL="http://testserver/console/residents/?q=%E5%BC%A0")

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Fconsole%2Fresidents%2F%3Fq%3D%25E5%25BC%25A0"
    assert response.content == b""
