"""Who may use the triage tools. Which appeals count is always the appeals selectors' answer.

- ``triage.view_top_problems`` (obj: a place): staff who cover the place — secretary, community worker, grid
  worker, street officer — and administrators.
- ``triage.view_duplicates`` / ``triage.classify``: staff (the candidates are the appeals they handle).
- ``triage.change_triagemodel``: administrators (train, switch models).
"""

import rules

from gongzhi.accounts.enums import STAFF_ROLES, Role
from gongzhi.accounts.selectors import scopes_of

PLACE_STAFF = frozenset({Role.STREET_OFFICER, Role.SECRETARY, Role.COMMUNITY_WORKER, Role.GRID_WORKER})


@rules.predicate
def is_admin(user, obj=None) -> bool:
    return any(s.role == Role.ADMIN for s in scopes_of(user))


@rules.predicate
def is_staff(user, obj=None) -> bool:
    return any(s.role in STAFF_ROLES for s in scopes_of(user))


@rules.predicate
def covers_place(user, place) -> bool:
    path = getattr(place, "path", "") or ""
    return bool(path) and any(s.role in PLACE_STAFF and s.path and path.startswith(s.path) for s in scopes_of(user))


rules.add_perm("triage.view_top_problems", is_admin | covers_place)
rules.add_perm("triage.view_duplicates", is_staff)
rules.add_perm("triage.classify", is_staff)
rules.add_perm("triage.change_triagemodel", is_admin)
