import pytest
from django.utils import translation

from gongzhi.ledger.services import proxies
from gongzhi.party import services as party
from gongzhi.party.enums import OrganizationKind
from gongzhi.volunteering import services
from tests.factories.accounts import make_user
from tests.factories.ledger import build_world, make_household_user


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    """The ledger world, plus: 张自己 (res_a1, a retired teacher) and 王邻居 (res_a2) are volunteers;
    张自己 holds a proxy for her mother 刘奶奶 (no login of her own); 党员老周 (res_party) is a party member
    in community A; 在职小吴 (res_inservice) an in-service party member registered with A."""
    w = build_world()
    staff = w.users["secretary_a"]
    w.volunteers = {
        "teacher": services.register_volunteer(resident=w.residents["a1"], actor=staff, skills="退休教师"),
        "neighbour": services.register_volunteer(resident=w.residents["a2"], actor=staff, skills="保洁"),
    }
    proxies.record_proxy(principal=w.residents["elder"], agent=w.residents["a1"], actor=staff, relation="女儿",
                         consent_method="signed_form", consent_note="授权书存社区档案柜 2024-017")
    working = party.create_organization(actor=None, kind=OrganizationKind.WORKING_COMMITTEE, name="东街党工委",
                                        place=w.tree.street)
    committee = party.create_organization(actor=None, kind=OrganizationKind.COMMITTEE, name="军门党委",
                                          place=w.tree.community_a, parent=working)
    household, resident, w.users["res_party"] = make_household_user(w.tree.buildings["A1-2"], "res_party",
                                                                    name="周党员")
    party.add_member(actor=None, organization=committee, resident=resident)
    household, resident, w.users["res_inservice"] = make_household_user(w.tree.buildings["A2-2"], "res_inservice",
                                                                        name="吴在职")
    party.register_in_service_member(actor=None, community=w.tree.community_a, name="吴在职", workplace="鼓楼区卫健局",
                                     resident=resident)
    w.users["nobody"] = make_user("nobody")
    return w
