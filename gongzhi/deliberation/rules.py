"""Single-object permissions for deliberation. "Which rows may I list" lives in selectors.py.

Objects carry ``path`` (their place) and ``community_id``; for "add" permissions the object is the
community (a registry Place), whose ``community_id`` is itself. Managing needs a role on the object's
place or above; entering and viewing also reach staff below it (a grid worker at the talk day).
"""

import rules

from gongzhi.accounts.selectors import covers

from .enums import ENTRY_ROLES, MANAGE_ROLES, VIEW_ROLES
from .selectors import in_reach, resident_of


def _path(obj) -> str:
    return getattr(obj, "path", "") or ""


@rules.predicate
def manager_in_scope(user, obj) -> bool:
    return obj is not None and covers(user, MANAGE_ROLES, _path(obj))


@rules.predicate
def entry_staff_in_scope(user, obj) -> bool:
    return obj is not None and in_reach(user, ENTRY_ROLES, _path(obj))


@rules.predicate
def viewer_in_scope(user, obj) -> bool:
    return obj is not None and in_reach(user, VIEW_ROLES, _path(obj))


@rules.predicate
def resident_of_community(user, obj) -> bool:
    resident = resident_of(user)
    return obj is not None and resident is not None and resident.community_id == obj.community_id


# Proposals (obj: Proposal; for add_*: the community Place)
rules.add_perm("deliberation.view_proposal", viewer_in_scope | resident_of_community)
rules.add_perm("deliberation.add_proposal", resident_of_community)
rules.add_perm("deliberation.enter_proposal", entry_staff_in_scope)  # on a resident's behalf, with the source
rules.add_perm("deliberation.support_proposal", resident_of_community)
rules.add_perm("deliberation.enter_support", entry_staff_in_scope)  # from a suggestion box or a talk day
rules.add_perm("deliberation.review_proposal", manager_in_scope)
rules.add_perm("deliberation.decide_proposal", manager_in_scope)
# Meetings (obj: Meeting; add: the community)
rules.add_perm("deliberation.add_meeting", manager_in_scope)
rules.add_perm("deliberation.change_meeting", manager_in_scope)
rules.add_perm("deliberation.sign_in_meeting", entry_staff_in_scope)
rules.add_perm("deliberation.view_attendance", viewer_in_scope)
# Ballots (obj: Ballot; add: the community)
rules.add_perm("deliberation.add_ballot", manager_in_scope)
rules.add_perm("deliberation.change_ballot", manager_in_scope)
rules.add_perm("deliberation.cast_vote", resident_of_community)
rules.add_perm("deliberation.record_vote", manager_in_scope)  # meeting and paper votes
rules.add_perm("deliberation.view_turnout", viewer_in_scope)
rules.add_perm("deliberation.view_named_votes", viewer_in_scope)  # open ballots only; secret ones have none
# Publicity (obj: Publicity / Objection's publicity; add: the proposal)
rules.add_perm("deliberation.add_publicity", manager_in_scope)
rules.add_perm("deliberation.close_publicity", manager_in_scope)
rules.add_perm("deliberation.object_publicity", resident_of_community)
rules.add_perm("deliberation.enter_objection", entry_staff_in_scope)
rules.add_perm("deliberation.answer_objection", manager_in_scope)
# Projects (obj: Project)
rules.add_perm("deliberation.change_project", manager_in_scope)
rules.add_perm("deliberation.follow_project", viewer_in_scope | resident_of_community)
rules.add_perm("deliberation.rate_project", resident_of_community)
# Pacts (obj: Charter / CharterVersion's charter; add: the community)
rules.add_perm("deliberation.add_charter", manager_in_scope)
rules.add_perm("deliberation.change_charter", manager_in_scope)
