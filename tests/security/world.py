"""The small world the access matrix runs in.

::

    鼓楼区 (district)
    ├── 东街街道 (street)                        ← street officer, department handler (东街城管科)
    │   ├── 军门社区 (community A)               ← secretary, community worker, resident, volunteer,
    │   │   ├── 第A1网格 → A1小区 → 1号楼, 2号楼   ←   grid worker             social org, merchant
    │   │   │     1号楼: household H1 张自己 (the resident user), 李配偶 (spouse; party member)
    │   │   │            household H2 王邻居 (a neighbour in the same building)
    │   │   └── 第A2网格 → A2小区 → 1号楼, 2号楼     household H3 赵二格
    │   └── 斗池社区 (community B) → 第B1网格 → B1小区 → 1号楼   household H4 钱斗池
    └── 南街街道 (street 2) → 三坊社区 → 第C1网格 → C1小区 → 1号楼    household H5 孙南街

Party: 东街党工委 → 军门党委 → 一网格党总支 → 一小区党支部 → 一号楼党小组 (member 李配偶),
军门党委 → 二网格党总支; 东街党工委 → 斗池党委 (member 周党员); 南街党工委 → 三坊党委 (member 吴党员).

Every name that can leak is unique, so "this name is in that body" is a meaningful test.
"""

import datetime as dt
from dataclasses import dataclass, field

from gongzhi.accounts.enums import Role
from gongzhi.accounts.models import Department
from gongzhi.core import crypto
from gongzhi.party import services as party
from gongzhi.party.enums import OrganizationKind
from gongzhi.registry import services
from gongzhi.registry.enums import PlaceKind, Relation
from tests.factories.accounts import make_user
from tests.factories.registry import make_household, make_resident, make_tree


@dataclass
class World:
    places: dict = field(default_factory=dict)  # key → Place
    households: dict = field(default_factory=dict)  # key → Household
    residents: dict = field(default_factory=dict)  # key → Resident
    id_numbers: dict = field(default_factory=dict)  # resident key → clear ID number (for leak checks)
    phones: dict = field(default_factory=dict)  # resident key → clear phone
    organizations: dict = field(default_factory=dict)  # key → PartyOrganization
    members: dict = field(default_factory=dict)  # key → PartyMember
    users: dict = field(default_factory=dict)  # role → User


RESIDENT_NAMES = {
    "self": "张自己", "kin": "李配偶", "neighbour": "王邻居", "grid2": "赵二格", "comm_b": "钱斗池",
    "street2": "孙南街",
}
HOUSEHOLD_OF = {"self": "H1", "kin": "H1", "neighbour": "H2", "grid2": "H3", "comm_b": "H4", "street2": "H5"}
MEMBER_NAMES = {"m_kin": "李配偶", "m_b": "周党员", "m_c": "吴党员"}

# Where each role is held (a place key of the world); the admin holds its role globally.
ROLE_PLACES = {
    Role.ADMIN: None,
    Role.STREET_OFFICER: "street",
    Role.SECRETARY: "A",
    Role.COMMUNITY_WORKER: "A",
    Role.GRID_WORKER: "A1",
    Role.DEPARTMENT_HANDLER: "street",
    Role.RESIDENT: "A",
    Role.VOLUNTEER: "A",
    Role.SOCIAL_ORGANIZATION: "A",
    Role.MERCHANT: "A",
}


def _phone(n: int) -> str:
    return f"1397{n:03d}{n * 7919 % 10000:04d}"


def build_world() -> World:
    w = World()
    tree = make_tree()
    p = w.places
    p.update({"district": tree.district, "street": tree.street, "A": tree.community_a, "B": tree.community_b,
              "A1": tree.grid_a1, "A2": tree.grid_a2, "B1": tree.grid_b1})
    for key, building in tree.buildings.items():  # "A1-1", "A1-2", "A2-1", "A2-2", "B1-1"
        p[key] = building
    for grid in ("A1", "A2", "B1"):
        p[f"{grid}.estate"] = p[f"{grid}-1"].parent
    p["street2"] = services.create_place(kind=PlaceKind.STREET, name="南街街道", parent=tree.district)
    p["C"] = services.create_place(kind=PlaceKind.COMMUNITY, name="三坊社区", parent=p["street2"])
    p["C1"] = services.create_place(kind=PlaceKind.GRID, name="第C1网格", parent=p["C"])
    p["C1.estate"] = services.create_place(kind=PlaceKind.ESTATE, name="C1小区", parent=p["C1"])
    p["C1-1"] = services.create_place(kind=PlaceKind.BUILDING, name="1号楼", parent=p["C1.estate"], floors=6)

    h = w.households
    h["H1"] = make_household(p["A1-1"], room_no="101")
    h["H2"] = make_household(p["A1-1"], room_no="102")
    h["H3"] = make_household(p["A2-1"], room_no="201")
    h["H4"] = make_household(p["B1-1"], room_no="301")
    h["H5"] = make_household(p["C1-1"], room_no="401")
    for n, (key, name) in enumerate(RESIDENT_NAMES.items(), start=1):
        relation = Relation.SPOUSE if key == "kin" else Relation.HEAD
        resident = make_resident(h[HOUSEHOLD_OF[key]], name=name, phone=_phone(n), relation=relation,
                                 birth=dt.date(1950 + n * 5, n, 10 + n), male=n % 2 == 1)
        w.residents[key] = resident
        w.phones[key] = _phone(n)
        w.id_numbers[key] = crypto.decrypt(resident.id_number_cipher)

    o = w.organizations
    K = OrganizationKind
    o["wc1"] = party.create_organization(actor=None, kind=K.WORKING_COMMITTEE, name="东街党工委", place=p["street"])
    o["ca"] = party.create_organization(actor=None, kind=K.COMMITTEE, name="军门党委", place=p["A"], parent=o["wc1"])
    o["gba1"] = party.create_organization(actor=None, kind=K.GENERAL_BRANCH, name="一网格党总支", place=p["A1"],
                                          parent=o["ca"])
    o["ba1"] = party.create_organization(actor=None, kind=K.BRANCH, name="一小区党支部", place=p["A1.estate"],
                                         parent=o["gba1"])
    o["ga1"] = party.create_organization(actor=None, kind=K.GROUP, name="一号楼党小组", place=p["A1-1"],
                                         parent=o["ba1"])
    o["gba2"] = party.create_organization(actor=None, kind=K.GENERAL_BRANCH, name="二网格党总支", place=p["A2"],
                                          parent=o["ca"])
    o["cb"] = party.create_organization(actor=None, kind=K.COMMITTEE, name="斗池党委", place=p["B"], parent=o["wc1"])
    o["wc2"] = party.create_organization(actor=None, kind=K.WORKING_COMMITTEE, name="南街党工委",
                                         place=p["street2"])
    o["cc"] = party.create_organization(actor=None, kind=K.COMMITTEE, name="三坊党委", place=p["C"], parent=o["wc2"])
    w.members["m_kin"] = party.add_member(actor=None, organization=o["ga1"], resident=w.residents["kin"])
    w.members["m_b"] = party.add_member(actor=None, organization=o["cb"], name=MEMBER_NAMES["m_b"])
    w.members["m_c"] = party.add_member(actor=None, organization=o["cc"], name=MEMBER_NAMES["m_c"])

    department = Department.objects.create(name="东街城管科", place=p["street"])
    for role, place_key in ROLE_PLACES.items():
        resident = w.residents["self"] if role == Role.RESIDENT else None
        w.users[role] = make_user(f"u_{role}", role, place=p[place_key] if place_key else None,
                                  department=department if role == Role.DEPARTMENT_HANDLER else None,
                                  resident=resident)
    return w


def unique_names(w: World) -> dict[str, str]:
    """Every leakable name in the world → a label, for names that occur once (buildings repeat "1号楼")."""
    names: dict[str, str] = {}
    counts: dict[str, int] = {}
    for key, place in w.places.items():
        counts[place.name] = counts.get(place.name, 0) + 1
        names[place.name] = f"place {key}"
    for n in list(names):
        if counts[n] > 1:
            del names[n]
    for key, r in w.residents.items():
        names[r.name] = f"resident {key}"
    for key, org in w.organizations.items():
        names[org.name] = f"organization {key}"
    for key, m in w.members.items():
        names.setdefault(m.name, f"member {key}")
    return names
