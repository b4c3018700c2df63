"""Open311 GeoReport v2, with the specification's example requests, in JSON and XML."""

import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own responses in tests

import pytest
from django.test import Client

from gongzhi.accounts.models import ApiToken
from gongzhi.appeals.enums import AppealStatus
from gongzhi.appeals.models import Appeal
from tests.conftest import token_for
from tests.factories.appeals import appeal_in, make_world

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"


@pytest.fixture
def world():
    return make_world()


def spec_post(world, **override):
    """The spec's example POST body, with our jurisdiction and service code."""
    body = {
        "api_key": token_for("resident_a"),
        "jurisdiction_id": str(world.tree.community_a.pk),
        "service_code": "manhole-cover",
        "lat": "26.0745",
        "long": "119.2965",
        "address_string": "1234 5th street",
        "email": "smit222@sfgov.edu",
        "device_id": "tt222111",
        "account_id": "123456",
        "first_name": "john",
        "last_name": "smith",
        "phone": "111111111",
        "description": "A large sinkhole is destroying the street",
        "media_url": "http://media.example.com/asdf.jpg",
        "attribute[WHISETN]": "123",
    }
    body.update(override)
    return body


def test_discovery_json_and_xml(world):
    body = Client().get(f"{BASE}/discovery.json").json()
    xml = ET.fromstring(Client().get(f"{BASE}/discovery.xml").content)  # noqa: S314

    assert body["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert body["endpoints"][0]["url"] == "http://testserver/open311/v2/"
    assert xml.tag == "discovery"
    assert [f.text for f in xml.find("endpoints/endpoint/formats")] == ["text/xml", "application/json"]


def test_services_are_the_published_list_items(world):
    body = Client().get(f"{BASE}/services.json", {"jurisdiction_id": world.tree.community_a.pk}).json()
    xml = ET.fromstring(Client().get(f"{BASE}/services.xml").content)  # noqa: S314

    fumes = next(s for s in body if s["service_code"] == "restaurant-fumes")
    assert fumes == {
        "service_code": "restaurant-fumes",
        "service_name": "餐馆油烟扰民",
        "description": "餐饮单位油烟直排、未安装净化设施",
        "metadata": False,
        "type": "realtime",
        "keywords": "油烟,餐馆,饭店,排烟,烧烤,直排",
        "group": "生态环境",
    }
    assert len(body) == 59
    assert xml.tag == "services"
    assert xml.find("service/service_code").text == "restaurant-fumes"
    assert xml.find("service/metadata").text == "false"


def test_service_definition_and_unknown_code(world):
    ok = Client().get(f"{BASE}/services/restaurant-fumes.json").json()
    missing = Client().get(f"{BASE}/services/nope.xml")

    assert ok == {"service_code": "restaurant-fumes", "attributes": []}
    assert missing.status_code == 404
    error = ET.fromstring(missing.content)  # noqa: S314
    assert (error.tag, error.find("error/code").text) == ("errors", "404")


def test_post_request_with_the_spec_example_creates_a_case(world):
    response = Client().post(f"{BASE}/requests.json", spec_post(world))

    assert response.status_code == 201, response.content
    [row] = response.json()
    appeal = Appeal.objects.get(pk=int(row["service_request_id"]))
    assert (appeal.channel, appeal.list_item.code, appeal.status, appeal.tier) == (
        "open311",
        "manhole-cover",
        "triaged",
        "government",
    )
    assert (str(appeal.lat), str(appeal.long), appeal.address) == ("26.074500", "119.296500", "1234 5th street")
    assert appeal.contact_phone_cipher == ""  # 111111111 is not a usable phone number
    assert row["token"] == str(appeal.token)

    token = Client().get(f"{BASE}/tokens/{appeal.token}.json").json()
    assert token == [{"service_request_id": str(appeal.pk), "token": str(appeal.token)}]
    detail = Client().get(f"{BASE}/requests/{appeal.pk}.json").json()[0]
    assert (detail["status"], detail["service_code"], detail["agency_responsible"]) == (
        "open",
        "manhole-cover",
        "区城市管理局·市政设施科",
    )
    assert detail["description"] == "A large sinkhole is destroying the street"


def test_post_request_xml_response(world):
    response = Client().post(f"{BASE}/requests.xml", spec_post(world))

    root = ET.fromstring(response.content)  # noqa: S314
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text == str(Appeal.objects.get().pk)


@pytest.mark.parametrize(
    ("override", "status", "fragment"),
    [
        ({"api_key": "wrong"}, 403, "api_key"),
        ({"service_code": ""}, 400, "service_code"),
        ({"service_code": "no-such-service"}, 404, "service_code"),
        ({"lat": "", "long": "", "address_string": ""}, 400, "address_string"),
        ({"lat": "north"}, 400, "lat"),
        ({"jurisdiction_id": "99999"}, 404, "jurisdiction_id"),
    ],
)
def test_post_errors_in_the_spec_format(world, override, status, fragment):
    response = Client().post(f"{BASE}/requests.json", spec_post(world, **override))

    assert response.status_code == status
    [error] = response.json()
    assert error["code"] == status
    assert fragment in error["description"]
    assert Appeal.objects.count() == 0


def test_api_key_of_another_community_is_refused(world):
    response = Client().post(f"{BASE}/requests.json", spec_post(world, api_key=token_for("resident_b")))

    assert response.status_code == 403
    assert Appeal.objects.count() == 0


def test_get_requests_filters_and_redacts(world):
    closed = appeal_in(world, AppealStatus.CLOSED, text="餐馆油烟直排，我的电话13812345678")
    appeal_in(world, AppealStatus.TRIAGED)  # portal case still open: not public

    body = Client().get(f"{BASE}/requests.json", {"status": "closed", "service_code": "restaurant-fumes"}).json()
    xml = ET.fromstring(Client().get(f"{BASE}/requests.xml").content)  # noqa: S314
    bad = Client().get(f"{BASE}/requests.json", {"start_date": "yesterday"})

    assert [r["service_request_id"] for r in body] == [str(closed.pk)]
    assert body[0]["description"] == "餐馆油烟直排，我的电话[电话]"
    assert body[0]["status_notes"] == "已责令餐馆安装油烟净化设备，复查合格。"
    assert [r.find("service_request_id").text for r in xml] == [str(closed.pk)]
    assert bad.status_code == 400


def test_unknown_format_is_an_error():
    response = Client().get(f"{BASE}/services.yaml")

    assert response.status_code == 400
    assert response.json()[0]["code"] == 400


def test_expired_key_is_refused(world):
    key = token_for("resident_a")
    ApiToken.objects.update(expires_at="2000-01-01T00:00:00Z")

    response = Client().post(f"{BASE}/requests.json", spec_post(world, api_key=key))

    assert response.status_code == 403
