"""Reads of the registry that depend on who is asking."""

import re

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.query import ModelIterable
from django.utils import timezone

from gongzhi.accounts.enums import REGISTRY_ROLES, Role
from gongzhi.accounts.selectors import scope_paths, scope_q, scopes_of
from gongzhi.core import crypto, idcard, paths
from gongzhi.core.errors import NotFound

from .enums import PlaceKind, ResidentStatus, in_tag_order
from .models import Household, Place, Resident, ResidentQuerySet, ResidentTagging

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
    qs = Household.objects.select_related("building__parent")
    q = scope_q(user, REGISTRY_ROLES)
    if q is None:
        return qs
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


class ResidentSearch(ResidentQuerySet):
    """What search_residents returns: a queryset whose count and pages come from the covering indexes.

    The ``resident_search_*`` indexes (community, key, status, path, household, id) hold everything the
    count and the ordering need. A result of at most ``SPARSE`` rows is read once as ordering keys only
    (no table access); that gives the count, and the page is cut from the keys sorted here. A larger result
    is counted up to COUNT_CAP (then ``count_exact`` is False), and its page's ids come from the database
    walking the order with LIMIT/OFFSET. Only then
    are the page's rows loaded, with the joins and prefetches asked for: a small result costs the same two
    queries as a plain count and page. (SQLite cannot estimate how selective a name prefix is; asked for
    rows in path order it would walk a whole street to find one full name.)
    Slicing returns a list, as Django's paginator and ours expect; everything else is a normal QuerySet.
    """

    SPARSE = 2000
    COUNT_CAP = 2000
    count_exact = True
    ORDER = ("path", "household_id", "id")  # digits-only paths and integers: Python and SQL sort alike
    _kept_count: int | None = None
    _kept_keys: list | None = None
    _keys_read = False

    def _small_result_keys(self) -> list | None:
        """The sorted ordering keys of every match when there are at most SPARSE of them, else None."""
        if tuple(self.query.order_by) != self.ORDER:
            return None
        if not self._keys_read and self._kept_count is None:
            self._keys_read = True
            keys = list(self.values_list(*self.ORDER).order_by()[: self.SPARSE + 1])
            if len(keys) <= self.SPARSE:
                self._kept_keys = sorted(keys)
                self._kept_count = len(keys)
        return self._kept_keys

    def count(self) -> int:
        """Exact up to COUNT_CAP; past that COUNT_CAP with ``count_exact`` False ("2000+": narrow the search).

        A district's "王" or "zh" matches tens of thousands; counting them all exactly costs more than the
        page itself and tells the officer nothing a "2000+" does not.
        """
        if self._result_cache is not None:
            return len(self._result_cache)
        self._small_result_keys()
        if self._kept_count is None and self._keys_read and self.COUNT_CAP <= self.SPARSE:
            self._kept_count, self.count_exact = self.COUNT_CAP, False  # more than SPARSE keys were there
        if self._kept_count is None:
            query = self.query.chain()
            query.clear_ordering(force=True)
            query.set_limits(high=self.COUNT_CAP + 1)
            found = query.get_count(using=self.db)
            self.count_exact = found <= self.COUNT_CAP
            self._kept_count = min(found, self.COUNT_CAP)
        return self._kept_count

    _union_parts: list | None = None  # the sides of an OR, each answerable from one covering index (SQLite)
    # The communities the result can lie in, in path order (None: every community). A resident's path starts with their
    # community's, and communities' path ranges do not overlap, so the result in (path, household, id) order
    # is each community's matches in turn, communities in path order: a page of a large result is read one
    # community at a time from the (community, key, status, path, household, id) indexes.
    _page_communities: list[int] | None = None

    def _clone(self):
        clone = super()._clone()
        clone._union_parts = self._union_parts
        clone._page_communities = self._page_communities
        return clone

    def _filter_or_exclude_inplace(self, negate, args, kwargs):
        self._union_parts = None  # another condition: the sides no longer describe the result
        super()._filter_or_exclude_inplace(negate, args, kwargs)

    # Past this many rows the page is left to the database: the pager never goes beyond the capped count.
    WALK_LIMIT = 10_000

    def _large_page_ids(self, k: slice) -> list:
        """A page of a large result, community by community (see ``_page_communities``): in each community
        the first rows in order of each side of the OR (or of the whole condition), an index range and a
        sort of that community's matches only, merged here, until the page is full. The database left to
        itself orders the whole scope (a district's "lxy": 250 ms on SQLite; an administrator's first page:
        300 ms)."""
        if tuple(self.query.order_by) != self.ORDER or k.start is None or k.stop is None or k.start < 0 \
                or k.stop < k.start or k.stop > self.WALK_LIMIT:
            return list(self.values_list("pk", flat=True)[k])
        parts = self._union_parts or [self]
        communities = self._page_communities
        if communities is None:
            communities = Place.objects.filter(kind=PlaceKind.COMMUNITY).order_by("path").values_list("pk", flat=True)
        keys: list = []
        for community_id in list(communities):
            wanted = k.stop - len(keys)
            found: set = set()
            for part in parts:
                rows = QuerySet.filter(part, community_id=community_id).order_by(*self.ORDER)
                found.update(QuerySet.__getitem__(rows.values_list(*self.ORDER), slice(0, wanted)))
            keys.extend(sorted(found)[:wanted])
            if len(keys) >= k.stop:
                break
        return [key[-1] for key in keys[k.start:k.stop]]

    def page_ids(self, k: slice) -> list[int]:
        """The ids of one page (a slice without step), in the result's order."""
        keys = self._small_result_keys()
        return [key[-1] for key in keys[k]] if keys is not None else self._large_page_ids(k)

    def __getitem__(self, k):
        if (not isinstance(k, slice) or k.step or self._result_cache is not None
                or self._iterable_class is not ModelIterable):
            return super().__getitem__(k)
        ids = self.page_ids(k)
        if not ids:
            return []
        rows = self.model._base_manager.filter(pk__in=ids)
        rows.query.select_related = self.query.select_related
        rows.query.deferred_loading = self.query.deferred_loading
        rows._prefetch_related_lookups = self._prefetch_related_lookups
        by_id = {row.pk: row for row in rows}
        return [by_id[pk] for pk in ids]


_ROW_COLUMNS = ("id", "name", "gender", "birth_date", "id_number_masked", "phone_masked", "household_id",
                "relation", "status", "community_id", "household__unit_no", "household__room_no",
                "household__building__name", "household__building__parent__kind", "household__building__parent__name")


def resident_rows(ids: list[int]) -> list[dict]:
    """Residents ``ids`` as list rows (the ``ResidentOut`` shape: masked identifiers only), in the order of
    ``ids``: two statements of plain values — a search page is read far more often than a resident is opened,
    and 20 residents as model instances with their household, building and estate cost twice the time."""
    if not ids:
        return []
    rows = {r["id"]: r for r in Resident.objects.filter(pk__in=ids).values(*_ROW_COLUMNS)}
    tags: dict[int, list[str]] = {}
    for resident_id, tag in ResidentTagging.objects.filter(resident_id__in=ids).values_list("resident_id", "tag"):
        tags.setdefault(resident_id, []).append(tag)
    today = timezone.localdate()
    out = []
    for pk in ids:
        r = rows[pk]
        age = Resident.age_on(r["birth_date"], today)
        out.append({
            "id": pk, "name": r["name"], "gender": r["gender"], "birth_date": r["birth_date"], "age": age,
            "id_number": r["id_number_masked"], "phone": r["phone_masked"], "household_id": r["household_id"],
            "address": Household.address_of(r["household__building__parent__kind"] or "",
                                            r["household__building__parent__name"] or "",
                                            r["household__building__name"], r["household__unit_no"],
                                            r["household__room_no"]),
            "relation": r["relation"], "tags": in_tag_order(tags.get(pk, ())), "age_tags": Resident.age_tags_for(age),
            "status": r["status"], "community_id": r["community_id"],
        })
    return out


def _scope_community_ids(user) -> list[int] | None:
    """Communities the user's registry scopes reach, in path order (None: everywhere). Redundant with the
    scope filter, but it lets the (community, …) search indexes serve street and district officers too, and
    a page of a large result walks them in this order."""
    if scope_paths(user, REGISTRY_ROLES) is None:
        return None
    cached = getattr(user, "_gongzhi_search_communities", None)
    if cached is not None:
        return cached
    ids: set[int] = set()
    wide = _NOTHING
    for s in scopes_of(user):
        if s.role not in REGISTRY_ROLES:
            continue
        if s.place_kind in _COMMUNITY_OR_BELOW:
            ids.add(s.community_id)
        else:
            wide |= paths.subtree_q("path", s.path)
    if own_household_id(user) is not None:
        ids.add(user.resident.community_id)
    if wide is not _NOTHING or len(ids) > 1:
        found = Place.objects.filter(wide | Q(pk__in=sorted(ids)), kind=PlaceKind.COMMUNITY).order_by("path")
        ordered = list(found.values_list("id", flat=True))
    else:
        ordered = sorted(ids)
    user._gongzhi_search_communities = ordered
    return ordered


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
    qs = ResidentSearch(model=Resident, query=qs.query)
    community_ids = _scope_community_ids(user)
    if community_ids is not None:
        qs = qs.filter(community_id__in=community_ids)
        qs._page_communities = community_ids
    if not include_archived:
        qs = qs.filter(status=ResidentStatus.ACTIVE)
    if place is not None:
        if place.kind == PlaceKind.COMMUNITY:
            qs = qs.filter(community_id=place.pk)
            qs._page_communities = [place.pk]
        else:
            qs = qs.filter(paths.subtree_q("path", place.path))
            if place.community_id is not None:
                # A grid, estate or building: its community too, so that the (community, status, path, …)
                # index serves a street or district officer; SQLite otherwise probes every community of
                # their scope across the scope's whole path range (a building: 380 ms at 1.3 M residents).
                qs = qs.filter(community_id=place.community_id)
                qs._page_communities = [place.community_id]
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
            either = prefix_q("name_initials", low) | prefix_q("name_pinyin", low)
            if connection.vendor == "sqlite":
                # Each side from its own index, joined by id: SQLite would otherwise read the whole scope to
                # test the OR row by row. (PostgreSQL ORs the two index scans itself.)
                keys = Resident.objects.all() if community_ids is None else \
                    Resident.objects.filter(community_id__in=community_ids)
                either = (Q(pk__in=keys.filter(prefix_q("name_initials", low)).values("pk"))
                          | Q(pk__in=keys.filter(prefix_q("name_pinyin", low)).values("pk")))
                parts = [QuerySet.filter(qs, prefix_q(field, low)) for field in ("name_initials", "name_pinyin")]
                qs = qs.filter(either)
                qs._union_parts = parts  # a large result's pages come from the two indexes (_large_page_ids)
            else:
                qs = qs.filter(either)
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
