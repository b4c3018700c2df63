"""Single-object permissions for the registry. "Which rows may I list" lives in selectors.py."""

import rules

from gongzhi.accounts.enums import AUDIT_ROLES, REGISTRY_ROLES, REGISTRY_WRITE_ROLES, REVEAL_ROLES
from gongzhi.accounts.selectors import covers

from .enums import ResidentStatus


def _path_of(obj) -> str:
    return getattr(obj, "path", "") or ""


@rules.predicate
def registry_reader_in_scope(user, obj) -> bool:
    return obj is not None and covers(user, REGISTRY_ROLES, _path_of(obj))


@rules.predicate
def registry_writer_in_scope(user, obj) -> bool:
    return obj is not None and covers(user, REGISTRY_WRITE_ROLES, _path_of(obj))


@rules.predicate
def revealer_in_scope(user, obj) -> bool:
    return obj is not None and covers(user, REVEAL_ROLES, _path_of(obj))


@rules.predicate
def is_self(user, resident) -> bool:
    return resident is not None and user.is_authenticated and user.resident_id == resident.pk


@rules.predicate
def is_own_household(user, obj) -> bool:
    if obj is None or not user.is_authenticated or user.resident_id is None:
        return False
    if user.resident.status != ResidentStatus.ACTIVE:  # moved out: the household is no longer theirs
        return False
    household_id = obj.pk if obj._meta.model_name == "household" else getattr(obj, "household_id", None)
    return user.resident.household_id == household_id


@rules.predicate
def auditor_in_scope(user, place) -> bool:
    return place is not None and covers(user, AUDIT_ROLES, _path_of(place))


rules.add_perm("registry.view_resident", registry_reader_in_scope | is_own_household)
rules.add_perm("registry.view_household", registry_reader_in_scope | is_own_household)
rules.add_perm("registry.reveal_resident", revealer_in_scope | is_self)
rules.add_perm("registry.change_resident", registry_writer_in_scope)
rules.add_perm("registry.import_residents", registry_writer_in_scope)  # obj: the place imported into
rules.add_perm("registry.export_residents", registry_reader_in_scope)  # obj: the place exported
rules.add_perm("registry.export_residents_unmasked", revealer_in_scope)  # obj: the place exported
rules.add_perm("registry.view_audit", auditor_in_scope)  # obj: the place whose log is read
