"""便民服务 API: the directory, ordered services, shared resources, jobs, social organisations."""

import datetime as dt

from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from gongzhi.core.api import MappedPage, Page
from gongzhi.core.errors import NotFound
from gongzhi.registry import selectors as registry_selectors
from gongzhi.registry.enums import PlaceKind, ResidentUnitKind
from gongzhi.registry.models import Place, ResidentUnit

from . import market
from .models import Incubation, JobPosting, MerchantService, SharedResource

router = Router(tags=["merchants and organisations"])


def _community(community_id: int) -> Place:
    place = Place.objects.filter(pk=community_id, kind=PlaceKind.COMMUNITY).first()
    if place is None:
        raise NotFound()
    return place


class DirectoryOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    merchant: str
    address: str
    business_phone: str
    price_text: str
    hours: str


def directory_out(s: MerchantService) -> dict:
    return {"id": s.pk, "kind": s.kind, "kind_label": str(s.get_kind_display()), "name": s.name,
            "merchant": s.unit.name, "address": s.unit.address, "business_phone": s.unit.business_phone,
            "price_text": s.price_text, "hours": s.hours}


@router.get("/directory", response=list[DirectoryOut], auth=None)
@paginate(Page)
def list_directory(request, community: int = Query(..., ge=1, le=2**53), kind: str = ""):
    """便民服务手册 — public."""
    return MappedPage(market.directory(_community(community), kind=kind), directory_out)


class OrderIn(Schema):
    service_id: int
    resident_id: int
    wanted_at: dt.datetime
    note: str = Field("", max_length=200)


class OrderOut(Schema):
    id: int
    service: str
    merchant: str
    resident_id: int
    wanted_at: dt.datetime
    status: str
    rating: int | None


def order_out(o) -> dict:
    return {"id": o.pk, "service": o.service.name, "merchant": o.service.unit.name, "resident_id": o.resident_id,
            "wanted_at": o.wanted_at, "status": o.status, "rating": o.rating}


@router.post("/service-orders", response={201: OrderOut})
def create_order(request, payload: OrderIn):
    resident = registry_selectors.access_resident(request.user, payload.resident_id)
    service = MerchantService.objects.filter(pk=payload.service_id).select_related("unit").first()
    if service is None:
        raise NotFound()
    order = market.place_order(actor=request.user, service=service, resident=resident,
                               wanted_at=payload.wanted_at, note=payload.note)
    return 201, order_out(order)


@router.get("/service-orders", response=list[OrderOut])
@paginate(Page)
def list_orders(request):
    return MappedPage(market.orders_visible_to(request.user), order_out)


def _order(request, order_id: int):
    order = market.orders_visible_to(request.user).filter(pk=order_id).first()
    if order is None:
        raise NotFound()
    return order


@router.post("/service-orders/{order_id}/actions/{action}", response=OrderOut)
def act_on_order(request, order_id: int, action: str):
    return order_out(market.move_order(actor=request.user, order=_order(request, order_id), action=action))


class RatingIn(Schema):
    rating: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=200)


@router.post("/service-orders/{order_id}/rating", response=OrderOut)
def rate(request, order_id: int, payload: RatingIn):
    return order_out(market.rate_order(actor=request.user, order=_order(request, order_id), rating=payload.rating,
                                       comment=payload.comment))


class ResourceOut(Schema):
    id: int
    unit: str
    name: str
    capacity: int
    available_from: dt.time
    available_until: dt.time


@router.get("/shared-resources", response=list[ResourceOut], auth=None)
def list_resources(request, community: int = Query(..., ge=1, le=2**53)):
    """共享资源 — off-hours parking and venues of resident units (public)."""
    qs = SharedResource.objects.filter(unit__community=_community(community), active=True).select_related("unit")
    return [{"id": r.pk, "unit": r.unit.name, "name": r.name, "capacity": r.capacity,
             "available_from": r.available_from, "available_until": r.available_until} for r in qs]


class BookingIn(Schema):
    resident_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime


class BookingOut(Schema):
    id: int
    resource_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime


@router.post("/shared-resources/{resource_id}/bookings", response={201: BookingOut})
def create_booking(request, resource_id: int, payload: BookingIn):
    resident = registry_selectors.access_resident(request.user, payload.resident_id)
    resource = SharedResource.objects.filter(pk=resource_id, unit__community_id=resident.community_id).first()
    if resource is None:
        raise NotFound()
    b = market.book(actor=request.user, resource=resource, resident=resident, starts_at=payload.starts_at,
                    ends_at=payload.ends_at)
    return 201, {"id": b.pk, "resource_id": b.resource_id, "starts_at": b.starts_at, "ends_at": b.ends_at}


class JobOut(Schema):
    id: int
    unit: str
    title: str
    description: str
    pay_text: str
    contact_phone: str
    posted_at: dt.datetime


@router.get("/jobs", response=list[JobOut], auth=None)
@paginate(Page)
def list_jobs(request, community: int = Query(..., ge=1, le=2**53)):
    """招聘信息 — open jobs of resident units and merchants (public)."""
    qs = JobPosting.objects.filter(unit__community=_community(community), open=True).select_related("unit")
    return MappedPage(qs, lambda j: {"id": j.pk, "unit": j.unit.name, "title": j.title,
                                     "description": j.description, "pay_text": j.pay_text,
                                     "contact_phone": j.unit.business_phone, "posted_at": j.posted_at})


class OrgOut(Schema):
    id: int
    name: str
    stage: str | None
    field: str | None
    projects: int


@router.get("/social-organizations", response=list[OrgOut], auth=None)
def list_organizations(request, community: int = Query(..., ge=1, le=2**53)):
    """社会组织 with their incubation stage and projects (public)."""
    orgs = (ResidentUnit.objects.filter(community=_community(community), kind=ResidentUnitKind.SOCIAL_ORGANIZATION)
            .select_related("incubation").prefetch_related("projects"))
    out = []
    for o in orgs:
        inc = getattr(o, "incubation", None) if Incubation.objects.filter(organization=o).exists() else None
        out.append({"id": o.pk, "name": o.name, "stage": inc.stage if inc else None,
                    "field": inc.field if inc else None, "projects": len(o.projects.all())})
    return out


@router.get("/five-party", auth=None)
def five_party(request, community: int = Query(..., ge=1, le=2**53)):
    """五社联动 — the five parties of a community, counted (public)."""
    return market.five_party_view(_community(community))
