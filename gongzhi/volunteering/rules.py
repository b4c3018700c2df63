"""Single-object permissions for volunteering. "Which rows may I list" lives in selectors.py."""

import rules

from gongzhi.accounts.selectors import covers
from gongzhi.ledger.identity import acting_residents
from gongzhi.ledger.rules import path_of

from .enums import VOLUNTEERING_MANAGE_ROLES, VOLUNTEERING_STAFF_ROLES


@rules.predicate
def manager_in_scope(user, obj) -> bool:
    return obj is not None and covers(user, VOLUNTEERING_MANAGE_ROLES, path_of(obj))


@rules.predicate
def staff_in_scope(user, obj) -> bool:
    return obj is not None and covers(user, VOLUNTEERING_STAFF_ROLES, path_of(obj))


def _acts_for_id(user, resident_id) -> bool:
    return resident_id is not None and any(r.pk == resident_id for r in acting_residents(user))


@rules.predicate
def is_the_volunteer(user, obj) -> bool:
    """The user is the volunteer of a signup, request or record (acting for oneself only)."""
    volunteer = getattr(obj, "volunteer", None)
    return volunteer is not None and user.is_authenticated and volunteer.resident_id == user.resident_id


@rules.predicate
def acts_for_served(user, obj) -> bool:
    """The user is the served resident of a request or record, or holds a proxy for them."""
    return _acts_for_id(user, getattr(obj, "requester_id", None) or getattr(obj, "served_id", None))


@rules.predicate
def acts_for_beneficiary(user, wish) -> bool:
    return wish is not None and _acts_for_id(user, wish.beneficiary_id)


@rules.predicate
def is_claimer(user, wish) -> bool:
    return wish is not None and user.is_authenticated and wish.claimed_by_id == user.pk


@rules.predicate
def is_poster(user, wish) -> bool:
    return wish is not None and user.is_authenticated and wish.posted_by_id == user.pk


rules.add_perm("volunteering.manage_team", manager_in_scope)  # obj: community Place or Team
rules.add_perm("volunteering.manage_activity", manager_in_scope)  # obj: community Place or Activity
rules.add_perm("volunteering.register_volunteer", staff_in_scope)  # obj: the Resident registered by staff
rules.add_perm("volunteering.check_in", is_the_volunteer | staff_in_scope)  # obj: Signup
rules.add_perm("volunteering.confirm_activity_record", staff_in_scope)  # obj: ServiceRecord of an activity
rules.add_perm("volunteering.confirm_request_record", acts_for_served | staff_in_scope)  # obj: ServiceRecord
rules.add_perm("volunteering.match_request", staff_in_scope)  # obj: ServiceRequest
rules.add_perm("volunteering.complete_request", is_the_volunteer)  # obj: ServiceRequest
rules.add_perm("volunteering.cancel_request", acts_for_served | staff_in_scope)  # obj: ServiceRequest
rules.add_perm("volunteering.request_for", staff_in_scope)  # obj: Resident a staff member asks for
rules.add_perm("volunteering.view_certificate", staff_in_scope)  # obj: Volunteer (also the volunteer)
rules.add_perm("volunteering.post_wish_for", staff_in_scope)  # obj: Resident a staff member posts for
rules.add_perm("volunteering.confirm_wish", acts_for_beneficiary | staff_in_scope)  # obj: MicroWish
rules.add_perm("volunteering.fulfil_wish", is_claimer)  # obj: MicroWish
rules.add_perm("volunteering.release_wish", is_claimer | staff_in_scope)  # obj: MicroWish
rules.add_perm("volunteering.cancel_wish", is_poster | acts_for_beneficiary | staff_in_scope)  # obj: MicroWish
