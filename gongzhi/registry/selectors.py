"""Reads of the registry that depend on who is asking."""

import re

from django.db import connection
from django.db.models import Count, Q, QuerySet

from gongzhi.accounts.enums import REGISTRY_ROLES, Role
from gongzhi.accounts.selectors import scope_paths, scopes_of
from gongzhi.core import crypto, idcard, paths
from gongzhi.core.errors import NotFound

from .enums import PlaceKind, ResidentStatus
from .models import Household, Place, Resident

_NOTHING = Q(pk__in=[])
_COMMUNITY_OR_BELOW = {PlaceKind.COMMUNITY, PlaceKind.GRID, PlaceKind.ESTATE, PlaceKind.BUILDING}


def prefix_q(field: str, value: str) -> Q:
    """An index-friendly "starts with": LIKE on PostgreSQL (Django adds pattern-ops indexes), a range on SQLite."""
    if connection.vendor == "sqlite":
        return Q(**{f"{field}__gte": value, f"{field}__lt": value + "\U0010ffff"})
    return Q(**{f"{field}__startswith": value})


def own_household_id(user) -> int | None:
    """The household a user lives in, while their resident record is active: someone who moved out (or whose
    record was archived) no longer sees the household they left, nor who lives there now."""
    if not user.is_authenticated or not user.resident_id:
        return None
    resident = user.resident
    return resident.household_id if resident.status == ResidentStatus.ACTIVE else None


def _registry_scope_q(user) -> Q | None:
    """Rows under the places where the user holds a registry role, plus their own household.

    None means no restriction (administrator). Community-level scopes filter on ``community_id`` so the
    composite (community, …) indexes serve searches; deeper scopes add the path range.
    """
    paths_ = scope_paths(user, REGISTRY_ROLES)
    if paths_ is None:
        return None
    q = _NOTHING
    for s in scopes_of(user):
        if s.role not in REGISTRY_ROLES:
            continue
        if s.place_kind in _COMMUNITY_OR_BELOW:
            part = Q(community_id=s.community_id)
            if s.place_kind != PlaceKind.COMMUNITY:
                part &= paths.subtree_q("path", s.path)
        else:
            part = paths.subtree_q("path", s.path)
        q |= part
    household_id = own_household_id(user)
    if household_id is not None:
        q |= Q(household_id=household_id)
    return q


def residents_visible_to(user) -> QuerySet[Resident]:
    q = _registry_scope_q(user)
    qs = Resident.objects.all()
    return qs if q is None else qs.filter(q)


def households_visible_to(user) -> QuerySet[Household]:
    paths_ = scope_paths(user, REGISTRY_ROLES)
    qs = Household.objects.select_related("building__parent")
    if paths_ is None:
        return qs
    q = _NOTHING
    for p in paths_:
        q |= paths.subtree_q("path", p)
    household_id = own_household_id(user)
    if household_id is not None:
        q |= Q(pk=household_id)
    return qs.filter(q)


def places_visible_to(user) -> QuerySet[Place]:
    """Registry staff see their subtree (and its ancestors' names); everyone else sees their community's tree."""
    scopes = scopes_of(user)
    if any(s.role == Role.ADMIN for s in scopes):
        return Place.objects.all()
    q = _NOTHING
    for s in scopes:
        if s.path:
            q |= paths.subtree_q("path", s.path)
    if user.is_authenticated and user.resident_id:
        q |= Q(pk=user.resident.community_id) | Q(community_id=user.resident.community_id)
    return Place.objects.filter(q)


def access_resident(user, resident_id: int) -> Resident:
    """The single way views fetch one resident; missing and forbidden look the same."""
    try:
        return (
            residents_visible_to(user)
            .select_related("household__building__parent", "community")
            .prefetch_related("taggings")
            .get(pk=resident_id)
        )
    except (Resident.DoesNotExist, ValueError):
        raise NotFound() from None


def access_household(user, household_id: int) -> Household:
    try:
        return households_visible_to(user).get(pk=household_id)
    except (Household.DoesNotExist, ValueError):
        raise NotFound() from None


def access_place(user, place_id: int) -> Place:
    try:
        return places_visible_to(user).get(pk=place_id)
    except (Place.DoesNotExist, ValueError):
        raise NotFound() from None


_LAST4 = re.compile(r"^\d{3}[\dXx]$")
_ASCII = re.compile(r"^[A-Za-z]+$")


def search_residents(
    user,
    *,
    q: str = "",
    place: Place | None = None,
    tag: str = "",
    include_archived: bool = False,
) -> QuerySet[Resident]:
    """Resident search by name, pinyin or initials, last four ID digits, full ID or phone, within scope.

    ``q`` is read as: 4 digits → last four of the ID number; 18 characters → the full ID number (exact,
    by keyed hash); 11 digits → a phone number (exact); Latin letters → pinyin initials or full pinyin;
    anything else → a name prefix.
    """
    qs = residents_visible_to(user)
    if not include_archived:
        qs = qs.filter(status=ResidentStatus.ACTIVE)
    if place is not None:
        if place.kind == PlaceKind.COMMUNITY:
            qs = qs.filter(community_id=place.pk)
        else:
            qs = qs.filter(paths.subtree_q("path", place.path))
    if tag:
        qs = qs.filter(taggings__tag=tag)
    q = (q or "").strip()
    if q:
        if _LAST4.match(q):
            qs = qs.filter(id_last4=q.upper())
        elif len(q) == 18:
            qs = qs.filter(id_number_hash=crypto.lookup_hash(idcard.normalize(q)))
        elif q.isdigit() and len(q) == 11:
            qs = qs.filter(phone_hash=crypto.lookup_hash(q))
        elif _ASCII.match(q):
            low = q.lower()
            qs = qs.filter(prefix_q("name_initials", low) | prefix_q("name_pinyin", low))
        else:
            qs = qs.filter(prefix_q("name", q))
    return qs.select_related("household__building__parent").order_by("path", "household_id", "id")


def place_counts(place: Place) -> dict[int, dict[str, int]]:
    """Households and active residents per building under ``place``, rolled up to every node."""
    nodes = list(Place.objects.subtree(place.path).only("id", "path", "kind", "parent_id"))
    by_path = {n.path: n for n in nodes}
    counts = {n.id: {"households": 0, "residents": 0, "buildings": 0} for n in nodes}
    scope = paths.subtree_q("path", place.path)
    households = Household.objects.filter(scope).values("path").annotate(n=Count("id"))
    residents = Resident.objects.filter(scope, status=ResidentStatus.ACTIVE).values("path").annotate(n=Count("id"))
    for key, rows in (("households", households), ("residents", residents)):
        for row in rows:
            _roll_up(counts, by_path, row["path"], key, row["n"], place.path)
    for n in nodes:
        if n.kind == PlaceKind.BUILDING:
            _roll_up(counts, by_path, n.path, "buildings", 1, place.path)
    return counts


def _roll_up(counts, by_path, path: str, key: str, n: int, top: str) -> None:
    for ancestor in [*paths.ancestors(path), path]:
        if ancestor.startswith(top) and ancestor in by_path:
            counts[by_path[ancestor].id][key] += n
