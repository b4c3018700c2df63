"""Who holds which role where: the base every "which rows may this user see" selector stands on."""

from dataclasses import dataclass

from django.db.models import Q

from gongzhi.core import paths

from .enums import Role
from .models import RoleAssignment


@dataclass(frozen=True)
class Scope:
    """One role held on one place: ``path`` is the place's materialised path ('' for a global admin)."""

    role: str
    path: str
    place_id: int | None
    place_kind: str
    community_id: int | None
    department_id: int | None


def scopes_of(user) -> list[Scope]:
    """All role scopes of a user, fetched once per user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_gongzhi_scopes", None)
    if cached is None:
        rows = RoleAssignment.objects.filter(user_id=user.pk).select_related("place")
        cached = [
            Scope(
                role=a.role,
                path=a.place.path if a.place_id else "",
                place_id=a.place_id,
                place_kind=a.place.kind if a.place_id else "",
                community_id=a.place.community_id if a.place_id else None,
                department_id=a.department_id,
            )
            for a in rows
        ]
        user._gongzhi_scopes = cached
    return cached


def roles_of(user) -> set[str]:
    return {s.role for s in scopes_of(user)}


def is_admin(user) -> bool:
    return Role.ADMIN in roles_of(user)


def scope_paths(user, roles) -> list[str] | None:
    """Place paths the user covers with any of ``roles``; None means everywhere (admin)."""
    found: list[str] = []
    for s in scopes_of(user):
        if s.role not in roles:
            continue
        if s.role == Role.ADMIN:
            return None
        found.append(s.path)
    return found


NOTHING = Q(pk__in=[])


def scope_q(user, roles, field: str = "path") -> Q | None:
    """Rows whose ``field`` lies under a place where the user holds one of ``roles``; None means everywhere."""
    found = scope_paths(user, roles)
    if found is None:
        return None
    q = NOTHING
    for p in found:
        q |= paths.subtree_q(field, p)
    return q


def covers(user, roles, path: str) -> bool:
    """Does the user hold one of ``roles`` on ``path`` or an ancestor of it?"""
    paths = scope_paths(user, roles)
    if paths is None:
        return True
    return any(path.startswith(p) for p in paths)


def home_community_ids(user) -> set[int]:
    return {s.community_id for s in scopes_of(user) if s.community_id}


def forget_scopes(user) -> None:
    if hasattr(user, "_gongzhi_scopes"):
        del user._gongzhi_scopes
