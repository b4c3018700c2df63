"""Who may do what at the service hall. "Which rows may I list" lives in selectors.py."""

import rules

from gongzhi.accounts.enums import REGISTRY_ROLES, REGISTRY_WRITE_ROLES, REVEAL_ROLES, Role
from gongzhi.accounts.selectors import covers

HALL_WRITE_ROLES = REGISTRY_WRITE_ROLES - {Role.ADMIN}  # counter staff act for residents
TASK_ROLES = frozenset({Role.SECRETARY, Role.COMMUNITY_WORKER})


def _path(obj) -> str:
    return getattr(obj, "path", "") or ""


@rules.predicate
def hall_reader_in_scope(user, obj) -> bool:
    return obj is not None and covers(user, REGISTRY_ROLES, _path(obj))


@rules.predicate
def hall_writer_in_scope(user, obj) -> bool:
    return obj is not None and covers(user, HALL_WRITE_ROLES, _path(obj))


@rules.predicate
def revealer_in_scope(user, obj) -> bool:
    return obj is not None and covers(user, REVEAL_ROLES, _path(obj))


@rules.predicate
def is_applicant(user, application) -> bool:
    return application is not None and user.is_authenticated and user.resident_id is not None and (
        application.resident_id == user.resident_id
    )


@rules.predicate
def filed_it(user, application) -> bool:
    """The login that applied online for someone of their household may follow up on it."""
    return application is not None and user.is_authenticated and application.created_by_id == user.pk


@rules.predicate
def is_own_household(user, resident) -> bool:
    """obj: the resident an application is made for."""
    return (resident is not None and user.is_authenticated and user.resident_id is not None
            and user.resident.household_id == resident.household_id)


@rules.predicate
def task_handler_in_scope(user, community) -> bool:
    return community is not None and covers(user, TASK_ROLES, _path(community))


rules.add_perm("catalog.view_application", hall_reader_in_scope | is_applicant)
rules.add_perm("catalog.apply_for_resident", hall_writer_in_scope | is_own_household)  # obj: resident
rules.add_perm("catalog.handle_application", hall_writer_in_scope)  # accept, request materials, complete…
rules.add_perm("catalog.withdraw_application", hall_writer_in_scope | is_applicant | filed_it)
rules.add_perm("catalog.resubmit_application", hall_writer_in_scope | is_applicant | filed_it)
rules.add_perm("catalog.issue_certificate", revealer_in_scope)  # obj: resident; prints the full ID number
rules.add_perm("catalog.revoke_certificate", revealer_in_scope)  # obj: certificate
rules.add_perm("catalog.check_low_income", hall_writer_in_scope)  # obj: household
rules.add_perm("catalog.receive_task", task_handler_in_scope)  # obj: community

CARE_ROLES = HALL_WRITE_ROLES


@rules.predicate
def care_worker_in_scope(user, obj) -> bool:
    return obj is not None and covers(user, CARE_ROLES, _path(obj))


rules.add_perm("catalog.manage_care", care_worker_in_scope)  # obj: resident, community, record or enrolment
