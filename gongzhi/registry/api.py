from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from gongzhi.core import paths
from gongzhi.core.api import CappedPage, CleanText, MappedPage, ObjectId, Page
from gongzhi.core.errors import NotFound

from . import selectors
from .enums import in_tag_order
from .models import Resident
from .schemas import (
    HouseholdDetailOut,
    HouseholdOut,
    PlaceDetailOut,
    PlaceOut,
    ResidentOut,
    RevealIn,
    RevealOut,
)
from .services import reveal_resident_field

router = Router(tags=["registry"])


def resident_out(r: Resident) -> dict:
    tags = in_tag_order(t.tag for t in r.taggings.all())
    return {
        "id": r.pk, "name": r.name, "gender": r.gender, "birth_date": r.birth_date, "age": r.age(),
        "id_number": r.id_number_masked, "phone": r.phone_masked, "household_id": r.household_id,
        "address": r.household.address, "relation": r.relation, "tags": tags, "age_tags": r.age_tags(),
        "status": r.status, "community_id": r.community_id,
    }


class ResidentFilter(Schema):
    q: CleanText = Field("", max_length=50,
                         description="name, pinyin initials, last 4 ID digits, full ID or phone")
    place: ObjectId | None = Field(None, description="limit to the subtree of this place")
    tag: CleanText = Field("", max_length=24)
    include_archived: bool = False


def _filter_place(user, place_id: int | None):
    """The place a list is limited to; one the caller may not see is a 404 naming the ``place`` parameter."""
    if place_id is None:
        return None
    try:
        return selectors.access_place(user, place_id)
    except NotFound:
        raise NotFound(field="place") from None


@router.get("/places", response=list[PlaceOut], summary="Places visible to the caller")
@paginate(Page)
def list_places(request, parent: ObjectId | None = None, kind: CleanText = ""):
    qs = selectors.places_visible_to(request.user)
    if parent is not None:
        qs = qs.filter(parent_id=parent)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("path")


@router.get("/places/{place_id}", response=PlaceDetailOut)
def get_place(request, place_id: int):
    place = selectors.access_place(request.user, place_id)
    counts = selectors.place_counts(place)[place.pk]
    children = list(selectors.places_visible_to(request.user).filter(parent=place))
    return {**PlaceOut.from_orm(place).dict(), **counts, "children": children}


@router.get("/residents", response=list[ResidentOut])
@paginate(CappedPage)
def list_residents(request, filters: Query[ResidentFilter]):
    place = _filter_place(request.user, filters.place)
    qs = selectors.search_residents(request.user, q=filters.q, place=place, tag=filters.tag,
                                    include_archived=filters.include_archived)
    return ResidentRowsPage(qs)


class ResidentRowsPage(MappedPage):
    """A search's pages as plain rows (``selectors.resident_rows``): the same items as ``resident_out``."""

    def __init__(self, qs):
        super().__init__(qs, resident_out)

    def __getitem__(self, item):
        return selectors.resident_rows(self.qs.page_ids(item))


@router.get("/residents/{int:resident_id}", response=ResidentOut)
def get_resident(request, resident_id: int):
    return resident_out(selectors.access_resident(request.user, resident_id))


@router.post("/residents/{resident_id}/reveal", response=RevealOut)
def reveal(request, resident_id: int, payload: RevealIn):
    """Reveal a full ID number or phone. Needs the right and a reason; every reveal is audited."""
    resident = selectors.access_resident(request.user, resident_id)
    value = reveal_resident_field(actor=request.user, resident=resident, field=payload.field,
                                  reason=payload.reason)
    return {"field": payload.field, "value": value}


def household_out(h) -> dict:
    return {"id": h.pk, "building_id": h.building_id, "community_id": h.community_id, "address": h.address,
            "unit_no": h.unit_no, "room_no": h.room_no, "floor_area": h.floor_area,
            "is_owner_occupied": h.is_owner_occupied}


@router.get("/households", response=list[HouseholdOut])
@paginate(Page)
def list_households(request, place: ObjectId | None = None):
    qs = selectors.households_visible_to(request.user)
    if place is not None:
        p = _filter_place(request.user, place)
        qs = qs.filter(paths.subtree_q("path", p.path))
    return MappedPage(qs.order_by("path", "unit_no", "room_no", "id"), household_out)


@router.get("/households/{household_id}", response=HouseholdDetailOut)
def get_household(request, household_id: int):
    h = selectors.access_household(request.user, household_id)
    members = (selectors.residents_visible_to(request.user).filter(household=h)
               .select_related("household__building__parent").prefetch_related("taggings"))
    if not members and not request.user.has_perm("registry.view_household", h):
        raise NotFound()
    return {**household_out(h), "members": [resident_out(r) for r in members]}
