"""The world the deliberation API tests run in: two communities, staff of every kind, two resident users.

Community A (军门) has a proposal on building A1-1, a meeting with an invitation, an online secret
ballot, a meeting-only named ballot with one vote, a draft ballot and a running publicity with an
objection. Every voter name is unique so leak checks can search response bodies for it.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from gongzhi.accounts.enums import Role
from gongzhi.accounts.models import Department
from gongzhi.deliberation.enums import BallotMode, BallotRule, InvitationKind, MatterKind
from gongzhi.deliberation.services import ballots as ballot_services
from gongzhi.deliberation.services import meetings as meeting_services
from gongzhi.deliberation.services import proposals as proposal_services
from gongzhi.deliberation.services import publicity as publicity_services
from gongzhi.deliberation.workflow import transition
from tests.factories.accounts import make_user
from tests.factories.deliberation import make_ballot, make_proposal, make_resident_user
from tests.factories.registry import make_tree

USERS = ["admin", "street", "secretary_a", "worker_a", "grid_a1", "grid_a2", "dept", "resident_a", "resident_b",
         "secretary_b"]


@dataclass
class World:
    tree: object
    users: dict = field(default_factory=dict)
    residents: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)


def build_world() -> World:
    tree = make_tree()
    w = World(tree=tree)
    u = w.users
    u["admin"] = make_user("admin", Role.ADMIN)
    u["street"] = make_user("street", Role.STREET_OFFICER, place=tree.street)
    u["secretary_a"] = make_user("secretary_a", Role.SECRETARY, place=tree.community_a)
    u["worker_a"] = make_user("worker_a", Role.COMMUNITY_WORKER, place=tree.community_a)
    u["grid_a1"] = make_user("grid_a1", Role.GRID_WORKER, place=tree.grid_a1)
    u["grid_a2"] = make_user("grid_a2", Role.GRID_WORKER, place=tree.grid_a2)
    department = Department.objects.create(name="鼓楼区住建局", place=tree.district)
    u["dept"] = make_user("dept", Role.DEPARTMENT_HANDLER, department=department)
    u["secretary_b"] = make_user("secretary_b", Role.SECRETARY, place=tree.community_b)
    u["resident_a"], w.residents["a"] = make_resident_user(building=tree.buildings["A1-1"], name="张投票")
    u["resident_b"], w.residents["b"] = make_resident_user(building=tree.buildings["B1-1"], name="钱斗池")
    _u, w.residents["author"] = make_resident_user(building=tree.buildings["A1-1"], name="王提议")
    _u, w.residents["voter"] = make_resident_user(building=tree.buildings["A1-1"], name="赵记名")
    _u, w.residents["staffentry"] = make_resident_user(building=tree.buildings["A1-1"], name="孙纸票")
    secretary = u["secretary_a"]
    o = w.objects

    o["proposal"] = make_proposal(tree.community_a, w.residents["author"], place=tree.buildings["A1-1"])
    o["meeting"] = meeting_services.create_meeting(
        actor=secretary, community=tree.community_a, kind="council", title="加装电梯议事会",
        starts_at=timezone.now() + dt.timedelta(days=1))
    o["invitation"] = meeting_services.invite(actor=secretary, meeting=o["meeting"], kind=InvitationKind.DEPARTMENT,
                                              department=department)
    building = [tree.buildings["A1-1"]]
    o["secret"] = make_ballot(secretary, tree.community_a, building, title="无记名")
    o["named"] = make_ballot(secretary, tree.community_a, building, title="记名", mode=BallotMode.OPEN, online=False)
    ballot_services.record_vote(actor=secretary, ballot=o["named"], resident=w.residents["voter"], choice="no",
                                channel="meeting")
    o["draft"] = make_ballot(secretary, tree.community_a, building, title="草案", open_now=False,
                             rule=BallotRule.PER_RESIDENT, matter=MatterKind.ORDINARY)
    decided = make_proposal(tree.community_a, w.residents["author"], title="修剪树木")
    proposal_services.review_proposal(actor=secretary, proposal=decided, decision="accept")
    transition(decided, "decide", actor=secretary)
    o["publicity"] = publicity_services.start_publicity(actor=secretary, proposal=decided, body="修剪小区树木",
                                                        project_function="environment")
    o["objection"] = publicity_services.object_to_publicity(actor=secretary, publicity=o["publicity"],
                                                            text="修剪过度", resident=w.residents["voter"])
    return w
