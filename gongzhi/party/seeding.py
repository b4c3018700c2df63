"""党组织演示数据 — the party organisation of a seeded community, called by ``gongzhi.registry.seeding``.

This module deliberately defines no ``seed_demo``: the party tree needs the residents the registry
builder has just written, so the registry builder calls it directly, once per community.

Per community: 社区党委 under the street's 街镇党工委; a 网格党总支 per grid; 小区党支部 for the larger
estates (at least one per grid) and 非公企业党支部 (the community's ``branches`` in all, kind BRANCH);
楼栋党小组 for buildings with three or more members and a 党员中心户 in each; the six 功能型党支部 of
seed 001. Members living in the community are linked to their resident records; members of the
non-public enterprise branches mostly live elsewhere. In-service members (在职党员报到) are residents
organised at their workplace.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from gongzhi.core import paths

from .enums import Function, MemberKind, MemberStatus, OrganizationKind
from .models import InServiceRegistration, PartyMember, PartyOrganization

K = OrganizationKind

FUNCTION_BRANCH_NAMES = {
    Function.CO_BUILDING: "共建与协调委员会党支部",
    Function.SAFETY_MEDIATION: "安全与民调委员会党支部",
    Function.PUBLIC_AFFAIRS: "公共事业发展委员会党支部",
    Function.WELFARE: "社会福利委员会党支部",
    Function.PUBLIC_OPINION: "民情民意委员会党支部",
    Function.ENVIRONMENT: "公共环境委员会党支部",
}
JUNMEN_ENTERPRISES = ["福州榕城商贸有限公司", "福建闽江物业服务有限公司", "福州东街口百货有限公司",
                      "福州军门餐饮管理有限公司", "福建鼓楼律师事务所", "福州三坊文化传媒有限公司",
                      "福州东湖物流有限公司", "福建榕安保安服务有限公司"]
ENTERPRISE_TRADES = ["商贸", "物业服务", "餐饮管理", "文化传媒", "物流", "保安服务", "科技", "建筑工程",
                     "茶业", "电子商务", "家政服务", "会计师事务所", "律师事务所", "广告", "医药连锁"]
WORKPLACES = ["鼓楼区财政局", "鼓楼区教育局", "福州市第一医院", "福建省气象局", "鼓楼区实验小学", "福州市税务局",
              "国网福州供电公司", "福建师范大学", "福州市自然资源和规划局", "鼓楼区人民法院", "福州日报社",
              "福建省图书馆", "鼓楼区卫生健康局", "福州市公安局鼓楼分局", "中国银行福建省分行", "福州大学",
              "台江区商务局", "仓山区城管局", "福州地铁集团", "福建省立医院"]


@dataclass
class PartyResult:
    organizations: int = 0
    members: int = 0
    in_service: int = 0
    resident_ids: list[int] = field(default_factory=list)  # residents to tag as party members


def build_working_committee(*, street) -> PartyOrganization:
    """街镇党工委 of a street (a root of the party tree)."""
    n = PartyOrganization.objects.filter(parent__isnull=True).count() + 1
    org = PartyOrganization(kind=K.WORKING_COMMITTEE, name=f"{street.name}党工委", place=street,
                            place_path=street.path, path=paths.segment(n), sort=n)
    org.save()
    return org


def _age(birth: dt.date, today: dt.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def build_community_party(
    *,
    rng: random.Random,
    working_committee: PartyOrganization,
    community,
    grids: list,
    estates: list,
    buildings: list,
    residents: list,
    households: dict,
    members: int,
    branches: int,
    non_public: int,
    junmen: bool,
    today: dt.date,
    make_name: Callable[[random.Random, bool, int], str],
) -> PartyResult:
    """Build one community's party tree and members; ``residents`` are the community's Resident rows."""
    result = PartyResult()
    short = community.name.removesuffix("社区")
    sibling = PartyOrganization.objects.filter(parent=working_committee).count() + 1
    committee = PartyOrganization(kind=K.COMMITTEE, name=f"{community.name}党委", parent=working_committee,
                                  place=community, place_path=community.path,
                                  path=working_committee.path + paths.segment(sibling), sort=sibling)
    committee.save()
    orgs: list[PartyOrganization] = [committee]
    counter = [0]

    def child(kind, parent, name, place, **extra) -> PartyOrganization:
        counter[0] += 1  # sibling numbers are unique under the committee's whole subtree: simple and valid
        n = counter[0]
        org = PartyOrganization(kind=kind, name=name, parent=parent, place=place, place_path=place.path,
                                path=parent.path + paths.segment(n), sort=n, **extra)
        orgs.append(org)
        return org

    # 网格党总支, one per grid.
    general = {g.pk: child(K.GENERAL_BRANCH, committee, f"{g.name}党总支", g) for g in grids}
    PartyOrganization.objects.bulk_create(list(general.values()))

    # 小区党支部: the largest estate of every grid, then the next largest anywhere.
    size = {e.pk: 0 for e in estates}
    for b in buildings:
        size[b.parent_id] += 1
    estate_grid = {e.pk: e.parent_id for e in estates}
    by_size = sorted(estates, key=lambda e: (-size[e.pk], e.path))
    with_branch: list = []
    for g in grids:
        first = next((e for e in by_size if estate_grid[e.pk] == g.pk), None)
        if first is not None:
            with_branch.append(first)
    for e in by_size:
        if len(with_branch) >= branches - non_public:
            break
        if e not in with_branch:
            with_branch.append(e)
    with_branch.sort(key=lambda e: e.path)
    estate_branch = {e.pk: child(K.BRANCH, general[estate_grid[e.pk]], f"{e.name}党支部", e) for e in with_branch}
    grid_branch = {}
    for e in with_branch:
        grid_branch.setdefault(estate_grid[e.pk], estate_branch[e.pk])
    # 非公企业党支部 under the community committee.
    if junmen:
        enterprises = JUNMEN_ENTERPRISES[:non_public]
    else:
        trades = rng.sample(ENTERPRISE_TRADES, non_public)
        enterprises = [f"福州{short}{t}" + ("" if t.endswith("所") else "有限公司") for t in trades]
    enterprise_branches = [child(K.BRANCH, committee, f"{name}党支部", community, is_non_public=True)
                           for name in enterprises]
    functions = [child(K.FUNCTION_BRANCH, committee, label, community, function=f)
                 for f, label in FUNCTION_BRANCH_NAMES.items()]
    PartyOrganization.objects.bulk_create(list(estate_branch.values()) + enterprise_branches + functions)

    # Members: mostly residents, older people weighted up (retired members carry community party work).
    building_estate = {b.pk: b.parent_id for b in buildings}
    building_by_path = {b.path: b for b in buildings}
    adults = [r for r in residents if r.status == "active" and _age(r.birth_date, today) >= 20]
    keyed = sorted(adults, key=lambda r: -(rng.random() ** (1 / (3.0 if _age(r.birth_date, today) >= 60 else 1.0))))
    enterprise_total = min(members - len(estate_branch), max(non_public, round(members * 0.26)))
    sizes = _partition(rng, enterprise_total, non_public)
    estate_total = members - enterprise_total
    chosen, rest = keyed[:estate_total], keyed[estate_total:]
    enterprise_residents = [r for r in rest[: len(rest) // 2] if 22 <= _age(r.birth_date, today) <= 55]
    rng.shuffle(enterprise_residents)

    def joined(birth: dt.date, probationary: bool) -> dt.date:
        if probationary:
            return today - dt.timedelta(days=rng.randint(30, 360))
        start = birth + dt.timedelta(days=365 * rng.randint(18, 40))
        latest = today - dt.timedelta(days=400)
        return min(start, latest)

    def chosen_functions() -> str:
        if rng.random() > 0.7:
            return ""
        return ",".join(sorted(rng.sample(Function.values, rng.choice([1, 1, 2]))))

    rows: list[PartyMember] = []
    for r in chosen:
        building = building_by_path[r.path]
        estate_id = building_estate[building.pk]
        org = estate_branch.get(estate_id) or grid_branch[estate_grid[estate_id]]
        age = _age(r.birth_date, today)
        probationary = age < 45 and rng.random() < 0.04
        rows.append(PartyMember(organization=org, resident_id=r.pk, name=r.name, place_path=r.path,
                                kind=MemberKind.RETIRED if age >= 60 else MemberKind.COMMUNITY,
                                status=MemberStatus.PROBATIONARY if probationary else MemberStatus.FULL,
                                joined_on=joined(r.birth_date, probationary), functions=chosen_functions()))
    for branch, n in zip(enterprise_branches, sizes, strict=True):
        for _ in range(n):
            resident = enterprise_residents.pop() if enterprise_residents and rng.random() < 0.1 else None
            if resident is not None:
                name, birth, place_path, rid = resident.name, resident.birth_date, resident.path, resident.pk
            else:
                birth = today - dt.timedelta(days=365 * rng.randint(24, 58) + rng.randint(0, 364))
                name, place_path, rid = make_name(rng, rng.random() < 0.55, birth.year), community.path, None
            probationary = rng.random() < 0.05
            rows.append(PartyMember(organization=branch, resident_id=rid, name=name, place_path=place_path,
                                    kind=MemberKind.ENTERPRISE,
                                    status=MemberStatus.PROBATIONARY if probationary else MemberStatus.FULL,
                                    joined_on=joined(birth, probationary), functions=chosen_functions()))

    # 楼栋党小组 for buildings with three or more resident members, each with a 党员中心户.
    by_building: dict[str, list[PartyMember]] = {}
    for m in rows:
        if m.resident_id and not m.organization.is_non_public:
            by_building.setdefault(m.place_path, []).append(m)
    groups, centers = [], []
    resident_by_id = {r.pk: r for r in chosen}
    for path in sorted(by_building):
        group_members = by_building[path]
        if len(group_members) < 3:
            continue
        building = building_by_path[path]
        estate = next(e for e in estates if e.pk == building.parent_id)
        parent = group_members[0].organization
        group = child(K.GROUP, parent, f"{estate.name}{building.name}党小组", building)
        groups.append(group)
        for m in group_members:
            m.organization = group
        leader = resident_by_id[group_members[0].resident_id]
        household = households[leader.household_id]
        centers.append(child(K.CENTER_HOUSEHOLD, group,
                             f"党员中心户·{estate.name}{building.name}{household.unit_no}单元{household.room_no}室",
                             building, household_id=household.pk))
    PartyOrganization.objects.bulk_create(groups)
    PartyOrganization.objects.bulk_create(centers)
    for m in rows:
        m.org_path = m.organization.path
    PartyMember.objects.bulk_create(rows, batch_size=2000)

    # Secretaries: the longest-standing member of each branch and group; the committee's from its branches.
    first: dict[int, PartyMember] = {}
    for m in sorted(rows, key=lambda m: (m.joined_on, m.pk)):
        first.setdefault(m.organization_id, m)
    for org in orgs:
        if org.pk in first:
            org.secretary = first[org.pk]
    for g in groups:  # a group's members were moved out of its branch: the branch keeps a secretary
        branch = g.parent
        if branch.secretary_id is None and g.pk in first:
            branch.secretary = first[g.pk]
    if estate_branch:
        committee.secretary = next((b.secretary for b in estate_branch.values() if b.secretary), None)
    PartyOrganization.objects.bulk_update([o for o in orgs if o.secretary is not None], ["secretary"])

    # 在职党员报到: working residents who are members at their workplace.
    member_ids = {m.resident_id for m in rows if m.resident_id}
    workers = [r for r in rest if r.pk not in member_ids and 25 <= _age(r.birth_date, today) <= 58]
    rng.shuffle(workers)
    registrations = []
    for r in workers[: round(members * 0.15)]:
        workplace = rng.choice(WORKPLACES)
        start = today - dt.timedelta(days=rng.randint(30, 6 * 365))
        ended = None
        if rng.random() < 0.1 and (today - start).days > 400:
            ended = start + dt.timedelta(days=rng.randint(365, (today - start).days))
        registrations.append(InServiceRegistration(
            name=r.name, resident_id=r.pk, community=community, place_path=r.path, workplace=workplace,
            workplace_organization=f"{workplace}机关党支部", registered_on=start, ended_on=ended,
            functions=chosen_functions()))
    InServiceRegistration.objects.bulk_create(registrations)

    result.organizations = len(orgs)
    result.members = len(rows)
    result.in_service = len(registrations)
    result.resident_ids = sorted(member_ids | {r.resident_id for r in registrations})
    return result


def _partition(rng: random.Random, total: int, parts: int) -> list[int]:
    """Split ``total`` into ``parts`` sizes of similar magnitude, none empty unless total < parts."""
    if total <= parts:
        return [1] * total + [0] * (parts - total)
    weights = [rng.uniform(0.6, 1.4) for _ in range(parts)]
    sizes = [max(1, int(total * w / sum(weights))) for w in weights]
    i = 0
    while sum(sizes) != total:
        step = 1 if sum(sizes) < total else -1
        if step > 0 or sizes[i % parts] > 1:
            sizes[i % parts] += step
        i += 1
    return sizes
