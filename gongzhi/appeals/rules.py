"""Who may do what to one appeal. "Which appeals may I list" is ``selectors.appeals_visible_to``.

Scopes: community staff (secretary, community worker) act in their community, grid workers in their grid,
street officers in their street, department handlers on cases sent to their department, residents on
their own cases. Government matters follow the chain 社区点单 → 街道接单 → 部门响应.
"""

import rules

from gongzhi.accounts.enums import STAFF_ROLES, Role
from gongzhi.accounts.selectors import scopes_of

from .enums import SENT_STATUSES, Action, AppealStatus, Tier

COMMUNITY_STAFF = frozenset({Role.SECRETARY, Role.COMMUNITY_WORKER})


def _path(obj) -> str:
    return getattr(obj, "path", "") or ""


@rules.predicate
def is_admin(user, obj=None) -> bool:
    return any(s.role == Role.ADMIN for s in scopes_of(user))


@rules.predicate
def street_officer(user, appeal) -> bool:
    return appeal is not None and _covers_without_admin(user, {Role.STREET_OFFICER}, _path(appeal))


@rules.predicate
def grid_worker(user, appeal) -> bool:
    return appeal is not None and _covers_without_admin(user, {Role.GRID_WORKER}, _path(appeal))


def _covers_without_admin(user, roles, path: str) -> bool:
    return any(s.role in roles and path.startswith(s.path) and s.path for s in scopes_of(user))


@rules.predicate
def department_handler(user, appeal) -> bool:
    if appeal is None or not appeal.department_id or appeal.status not in SENT_STATUSES:
        return False
    return any(s.role == Role.DEPARTMENT_HANDLER and s.department_id == appeal.department_id for s in scopes_of(user))


@rules.predicate
def is_submitter(user, appeal) -> bool:
    if appeal is None or not user.is_authenticated:
        return False
    return appeal.submitted_by_id == user.pk or (
        user.resident_id is not None and appeal.resident_id == user.resident_id
    )


@rules.predicate
def is_government(user, appeal) -> bool:
    return appeal is not None and appeal.tier == Tier.GOVERNMENT


@rules.predicate
def awaits_street(user, appeal) -> bool:
    return appeal is not None and appeal.status == AppealStatus.ASSIGNED


@rules.predicate
def lives_or_works_in(user, place) -> bool:
    """May submit an appeal in this community: a resident of it, or staff covering it."""
    if place is None or not user.is_authenticated:
        return False
    community_id = getattr(place, "community_id", None) or place.pk
    if user.resident_id is not None and user.resident.community_id == community_id:
        return True
    return any(
        s.path
        and s.role in STAFF_ROLES
        and s.role != Role.DEPARTMENT_HANDLER
        and (_path(place).startswith(s.path) or s.community_id == community_id)
        for s in scopes_of(user)
    )


@rules.predicate
def community_staff(user, appeal) -> bool:
    return appeal is not None and _covers_without_admin(user, COMMUNITY_STAFF, _path(appeal))


@rules.predicate
def secretary_of(user, place) -> bool:
    return place is not None and _covers_without_admin(user, {Role.SECRETARY}, _path(place))


@rules.predicate
def staff_of(user, place) -> bool:
    roles = COMMUNITY_STAFF | {Role.STREET_OFFICER, Role.GRID_WORKER}
    return place is not None and _covers_without_admin(user, roles, _path(place))


may_order = is_admin | community_staff | street_officer
may_accept = is_admin | (is_government & street_officer) | (~is_government & community_staff)
may_work = (
    is_admin
    | (is_government & (department_handler | street_officer))
    | (~is_government & (community_staff | grid_worker))
)
may_return = (
    is_admin
    | (is_government & awaits_street & street_officer)
    | (is_government & ~awaits_street & department_handler)
    | (~is_government & community_staff)
)
may_view = is_admin | community_staff | street_officer | grid_worker | department_handler | is_submitter

PERMS = {
    # obj: the community (or place) appealed in; a resident's own community is answered without reading roles
    Action.SUBMIT: lives_or_works_in | is_admin,
    Action.TRIAGE: may_order,
    Action.ASSIGN: may_order,
    Action.ACCEPT: may_accept,
    Action.START: may_work,
    Action.REPLY: may_work,
    Action.RATE: is_submitter,
    Action.FOLLOW_UP: is_admin | community_staff | grid_worker | street_officer,
    Action.CLOSE: may_order,
    Action.RETURN: may_return,
    Action.ESCALATE: is_admin | community_staff | grid_worker,
    Action.MERGE: may_order,
    Action.WITHDRAW: is_submitter | community_staff,
    Action.REOPEN: is_submitter | community_staff,
    Action.REMIND: is_admin,
}

for _action, _predicate in PERMS.items():
    rules.add_perm(f"appeals.{_action}_appeal", _predicate)
rules.add_perm("appeals.view_appeal", may_view)
rules.add_perm("appeals.view_contact", is_admin | community_staff | street_officer | grid_worker | is_submitter)
rules.add_perm("appeals.change_responsibilitylist", is_admin | secretary_of)  # obj: the community
rules.add_perm("appeals.change_appealsettings", is_admin | secretary_of)  # obj: the community
rules.add_perm("appeals.view_overdue", is_admin | staff_of)  # obj: the place whose board is read
