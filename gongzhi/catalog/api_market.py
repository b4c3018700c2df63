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
from .models import Booking, Incubation, JobPosting, MerchantService, SharedResource

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
    resource: str
    resident_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    cancelled: bool


@router.post("/shared-resources/{resource_id}/bookings", response={201: BookingOut})
def create_booking(request, resource_id: int, payload: BookingIn):
    resident = registry_selectors.access_resident(request.user, payload.resident_id)
    resource = SharedResource.objects.filter(pk=resource_id, unit__community_id=resident.community_id).first()
    if resource is None:
        raise NotFound()
    b = market.book(actor=request.user, resource=resource, resident=resident, starts_at=payload.starts_at,
                    ends_at=payload.ends_at)
    return 201, booking_out(b)


def booking_out(b: Booking) -> dict:
    return {"id": b.pk, "resource_id": b.resource_id, "resource": b.resource.name, "resident_id": b.resident_id,
            "starts_at": b.starts_at, "ends_at": b.ends_at, "cancelled": b.cancelled}


@router.get("/bookings", response=list[BookingOut])
@paginate(Page)
def list_bookings(request):
    """My household's bookings; a unit's staff see who booked the unit's resources; staff their scope's."""
    return MappedPage(market.bookings_visible_to(request.user).order_by("-starts_at", "-id"), booking_out)


@router.post("/bookings/{booking_id}/cancel", response=BookingOut)
def cancel_booking(request, booking_id: int):
    booking = market.bookings_visible_to(request.user).filter(pk=booking_id).first()
    if booking is None:
        raise NotFound()
    return booking_out(market.cancel_booking(actor=request.user, booking=booking))


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


# --- Writes of merchants, units and social organisations -------------------------------------------------

class ServiceIn(Schema):
    unit_id: int
    kind: str
    name: str = Field(min_length=1, max_length=100)
    price_text: str = Field("", max_length=60)
    hours: str = Field("", max_length=60)


@router.post("/services", response={201: DirectoryOut})
def offer_service(request, payload: ServiceIn):
    """A merchant's staff (or community staff) lists a service in the directory."""
    unit = market.access_unit(request.user, payload.unit_id)
    service = market.offer_service(actor=request.user, unit=unit, kind=payload.kind, name=payload.name,
                                   price_text=payload.price_text, hours=payload.hours)
    return 201, directory_out(service)


class JobIn(Schema):
    unit_id: int
    title: str = Field(min_length=1, max_length=100)
    description: str = Field(min_length=1, max_length=2000)
    pay_text: str = Field("", max_length=60)


@router.post("/jobs", response={201: JobOut})
def post_job(request, payload: JobIn):
    unit = market.access_unit(request.user, payload.unit_id)
    j = market.post_job(actor=request.user, unit=unit, title=payload.title, description=payload.description,
                        pay_text=payload.pay_text)
    return 201, {"id": j.pk, "unit": unit.name, "title": j.title, "description": j.description,
                 "pay_text": j.pay_text, "contact_phone": unit.business_phone, "posted_at": j.posted_at}


class IncubationIn(Schema):
    organization_id: int
    field: str = Field(min_length=1, max_length=100)


class AdvanceIn(Schema):
    mentor: str = Field("", max_length=50)


class IncubationOut(Schema):
    id: int
    organization_id: int
    organization: str
    stage: str
    field: str
    applied_on: dt.date
    stage_since: dt.date
    mentor: str


def incubation_out(i: Incubation) -> dict:
    return {"id": i.pk, "organization_id": i.organization_id, "organization": i.organization.name,
            "stage": i.stage, "field": i.field, "applied_on": i.applied_on, "stage_since": i.stage_since,
            "mentor": i.mentor}


@router.get("/incubations", response=list[IncubationOut])
def list_incubations(request):
    """微益坊 records: an organisation's staff see their own; community staff see their communities'."""
    return [incubation_out(i) for i in market.incubations_of(request.user).order_by("organization__name")]


@router.post("/incubations", response={201: IncubationOut})
def apply_for_incubation(request, payload: IncubationIn):
    organization = market.access_unit(request.user, payload.organization_id)
    return 201, incubation_out(market.apply_for_incubation(actor=request.user, organization=organization,
                                                           field=payload.field))


@router.post("/incubations/{incubation_id}/advance", response=IncubationOut)
def advance_incubation(request, incubation_id: int, payload: AdvanceIn):
    incubation = market.incubations_of(request.user).filter(pk=incubation_id).first()
    if incubation is None:
        raise NotFound()
    return incubation_out(market.advance_incubation(actor=request.user, incubation=incubation,
                                                    mentor=payload.mentor))


class ProjectIn(Schema):
    organization_id: int
    title: str = Field(min_length=1, max_length=100)
    funding: str
    budget_fen: int = Field(ge=1, le=10**12)
    starts_on: dt.date
    ends_on: dt.date


class ProjectOut(Schema):
    id: int
    organization_id: int
    title: str
    funding: str
    budget_fen: int
    starts_on: dt.date
    ends_on: dt.date
    progress: int


@router.post("/projects", response={201: ProjectOut})
def add_project(request, payload: ProjectIn):
    """A project bought by government or funded by the community fund — recorded by community staff."""
    organization = market.access_unit(request.user, payload.organization_id)
    p = market.add_project(actor=request.user, organization=organization, title=payload.title,
                           funding=payload.funding, budget_fen=payload.budget_fen, starts_on=payload.starts_on,
                           ends_on=payload.ends_on)
    return 201, {f: getattr(p, f) for f in ProjectOut.model_fields}
