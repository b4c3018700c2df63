"""Factories for appeals: a world of users in every role, a published list, and cases in any status."""

import itertools
from dataclasses import dataclass

from gongzhi.accounts.enums import Role
from gongzhi.appeals import services, workflow
from gongzhi.appeals.enums import Action, AppealStatus, Channel
from gongzhi.appeals.models import Appeal
from tests.factories.accounts import make_user
from tests.factories.registry import Tree, make_household, make_resident, make_tree

_seq = itertools.count(1)

FUMES = "楼下餐馆油烟直排，晚上都不敢开窗"
PRUNING = "小区里的树木太高了，挡住阳光，希望修剪一下树枝"
WASHER = "家里洗衣机坏了，不知道找谁维修"


@dataclass
class World:
    tree: Tree
    admin: object
    street: object
    secretary_a: object
    worker_a: object
    secretary_b: object
    grid_a1: object
    grid_a2: object
    dept: object  # handler of the 生态环境局·大气环境科 (restaurant fumes)
    other_dept: object  # handler of another department
    resident_a: object  # a resident of community A (grid A1) with a login
    resident_b: object  # a resident of community B with a login
    fumes_department: object
    other_department: object


def make_world() -> World:
    tree = make_tree()
    admin = make_user("admin1", Role.ADMIN)
    secretary_a = make_user("secretary_a", Role.SECRETARY, place=tree.community_a)
    services.draft_list(actor=secretary_a, community=tree.community_a)
    publish(tree.community_a, secretary_a)
    fumes = services.find_department(tree.community_a, "区生态环境局", "大气环境科")
    other = services.find_department(tree.community_a, "区水务局", "供水管理科")
    ra = make_resident(make_household(tree.buildings["A1-1"], room_no="301"), name="李秀英")
    rb = make_resident(make_household(tree.buildings["B1-1"], room_no="502"), name="赵建国")
    return World(
        tree=tree,
        admin=admin,
        street=make_user("street1", Role.STREET_OFFICER, place=tree.street),
        secretary_a=secretary_a,
        worker_a=make_user("worker_a", Role.COMMUNITY_WORKER, place=tree.community_a),
        secretary_b=make_user("secretary_b", Role.SECRETARY, place=tree.community_b),
        grid_a1=make_user("grid_a1", Role.GRID_WORKER, place=tree.grid_a1),
        grid_a2=make_user("grid_a2", Role.GRID_WORKER, place=tree.grid_a2),
        dept=make_user("dept_fumes", Role.DEPARTMENT_HANDLER, department=fumes),
        other_dept=make_user("dept_water", Role.DEPARTMENT_HANDLER, department=other),
        resident_a=make_user("resident_a", resident=ra),
        resident_b=make_user("resident_b", resident=rb),
        fumes_department=fumes,
        other_department=other,
    )


def publish(community, actor):
    draft = services.draft_list(actor=actor, community=community)
    return services.publish_list(actor=actor, rlist=draft)


def submit(world: World, text: str = FUMES, *, user=None, place=None, **kwargs) -> Appeal:
    user = user or world.resident_a
    resident = user.resident if user.resident_id else None
    community = resident.community if resident else world.tree.community_a
    place = place or (resident.household.building if resident else None)
    kwargs.setdefault("channel", Channel.PORTAL)
    return services.submit_appeal(actor=user, community=community, place=place, text=text, resident=resident, **kwargs)


# The path through the workflow to each status, with the acting user's attribute on World.
PATH = [
    (Action.ASSIGN, "secretary_a", {}),
    (Action.ACCEPT, "street", {}),
    (Action.START, "dept", {}),
    (Action.REPLY, "dept", {"note": "已责令餐馆安装油烟净化设备，复查合格。"}),
    (Action.RATE, "resident_a", {"rating": "satisfied", "comment": "谢谢"}),
    (Action.CLOSE, "secretary_a", {}),
]
REACHED = {
    Action.ASSIGN: AppealStatus.ASSIGNED,
    Action.ACCEPT: AppealStatus.ACCEPTED,
    Action.START: AppealStatus.IN_PROGRESS,
    Action.REPLY: AppealStatus.REPLIED,
    Action.RATE: AppealStatus.RATED,
    Action.CLOSE: AppealStatus.CLOSED,
}


def appeal_in(world: World, status: str, text: str = FUMES, **kwargs) -> Appeal:
    """A government case (restaurant fumes, community A, grid A1) moved along the main path to ``status``."""
    appeal = submit(world, text, **kwargs)
    for action, who, params in PATH:
        if appeal.status == status:
            break
        appeal = workflow.transition(appeal, action, actor=getattr(world, who), **params)
    assert appeal.status == status
    return appeal
