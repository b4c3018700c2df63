"""一老一少 API: elderly lists, check-up worklists, meal run sheets, emergency phones, after-school care."""

import datetime as dt

from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from gongzhi.core.api import MappedPage, Page
from gongzhi.core.errors import NotFound
from gongzhi.registry import selectors as registry_selectors

from . import care
from .models import AfterSchoolEnrolment, AfterSchoolProgram, CheckupCampaign, CheckupRecord

router = Router(tags=["care"])


class ElderlyOut(Schema):
    resident_id: int
    name: str
    age: int
    address: str
    phone: str
    living_alone: bool
    chronic_conditions: str
    mobility: str
    emergency_contact_name: str
    emergency_contact_phone: str
    meal_delivery: bool
    emergency_phone_issued_on: dt.date | None
    last_checkup_on: dt.date | None


def elderly_out(r) -> dict:
    p = getattr(r, "elderly_profile", None)
    return {"resident_id": r.pk, "name": r.name, "age": r.age(), "address": r.household.address,
            "phone": r.phone_masked, "living_alone": any(t.tag == "living_alone" for t in r.taggings.all()),
            "chronic_conditions": p.chronic_conditions if p else "", "mobility": p.mobility if p else "independent",
            "emergency_contact_name": p.emergency_contact_name if p else "",
            "emergency_contact_phone": p.emergency_contact_phone_masked if p else "",
            "meal_delivery": bool(p and p.meal_delivery),
            "emergency_phone_issued_on": p.emergency_phone_issued_on if p else None,
            "last_checkup_on": p.last_checkup_on if p else None}


class ProfileIn(Schema):
    chronic_conditions: str | None = Field(None, max_length=200)
    mobility: str | None = None
    emergency_contact_name: str | None = Field(None, max_length=50)
    emergency_contact_phone: str | None = Field(None, max_length=20)
    meal_delivery: bool | None = None
    meal_note: str | None = Field(None, max_length=100)


class ElderlyFilter(Schema):
    place: int | None = Field(None, ge=1, le=2**53)
    min_age: int = Field(60, ge=0, le=130)
    living_alone: bool = False
    meal_delivery: bool | None = None
    without_emergency_phone: bool = False


@router.get("/elderly", response=list[ElderlyOut])
@paginate(Page)
def list_elderly(request, filters: Query[ElderlyFilter]):
    """e.g. ?min_age=80&living_alone=true — everyone over 80 living alone, with check-up, meals and phone."""
    where = registry_selectors.access_place(request.user, filters.place) if filters.place else None
    qs = care.elderly_list(request.user, place=where, min_age=filters.min_age, living_alone=filters.living_alone,
                           meal_delivery=filters.meal_delivery,
                           without_emergency_phone=filters.without_emergency_phone)
    return MappedPage(qs.prefetch_related("taggings"), elderly_out)


@router.put("/elderly/{resident_id}", response=ElderlyOut)
def update_profile(request, resident_id: int, payload: ProfileIn):
    resident = registry_selectors.access_resident(request.user, resident_id)
    care.update_elderly_profile(actor=request.user, resident=resident, **payload.dict())
    return elderly_out(registry_selectors.access_resident(request.user, resident_id))


class PhoneIn(Schema):
    resident_id: int
    on: dt.date | None = None


@router.post("/emergency-phones", response=ElderlyOut)
def issue_phone(request, payload: PhoneIn):
    resident = registry_selectors.access_resident(request.user, payload.resident_id)
    care.issue_emergency_phone(actor=request.user, resident=resident, on=payload.on)
    return elderly_out(registry_selectors.access_resident(request.user, payload.resident_id))


class CampaignIn(Schema):
    community_id: int
    year: int = Field(ge=2000, le=2100)
    min_age: int = Field(60, ge=0, le=130)


class CampaignOut(Schema):
    id: int
    title: str
    year: int
    records: int
    done: int
    added: int = 0


def campaign_out(c: CheckupCampaign, added: int = 0) -> dict:
    return {"id": c.pk, "title": c.title, "year": c.year, "records": c.records.count(),
            "done": c.records.filter(status="done").count(), "added": added}


@router.post("/checkup-campaigns", response={201: CampaignOut})
def start_campaign(request, payload: CampaignIn):
    community = registry_selectors.access_place(request.user, payload.community_id)
    campaign, added = care.start_checkup_campaign(actor=request.user, community=community, year=payload.year,
                                                  min_age=payload.min_age)
    return 201, campaign_out(campaign, added)


class RecordOut(Schema):
    id: int
    resident_id: int
    name: str
    address: str
    status: str
    scheduled_on: dt.date | None
    done_on: dt.date | None
    needs_escort: bool


def record_out(r: CheckupRecord) -> dict:
    return {"id": r.pk, "resident_id": r.resident_id, "name": r.resident.name,
            "address": r.resident.household.address, "status": r.status, "scheduled_on": r.scheduled_on,
            "done_on": r.done_on, "needs_escort": r.needs_escort}


def _records_visible_to(user):
    visible = care.care_residents_visible_to(user).values("pk")
    return CheckupRecord.objects.filter(resident_id__in=visible).select_related(
        "resident__household__building__parent")


@router.get("/checkup-campaigns/{campaign_id}/records", response=list[RecordOut])
@paginate(Page)
def worklist(request, campaign_id: int, status: str = ""):
    qs = _records_visible_to(request.user).filter(campaign_id=campaign_id)
    if status:
        qs = qs.filter(status=status)
    return MappedPage(qs.order_by("path", "resident_id"), record_out)


class CheckupIn(Schema):
    status: str
    on: dt.date | None = None
    note: str = Field("", max_length=200)


@router.post("/checkup-records/{record_id}", response=RecordOut)
def update_record(request, record_id: int, payload: CheckupIn):
    record = _records_visible_to(request.user).filter(pk=record_id).first()
    if record is None:
        raise NotFound()
    return record_out(care.record_checkup(actor=request.user, record=record, status=payload.status,
                                          on=payload.on, note=payload.note))


class MealRowOut(Schema):
    resident_id: int
    name: str
    address: str
    note: str
    done: bool


@router.get("/meals", response=list[MealRowOut])
def run_sheet(request, day: dt.date | None = None, place: int | None = None):
    """今日送餐单 — the daily run sheet."""
    where = registry_selectors.access_place(request.user, place) if place else None
    rows = care.meal_run_sheet(request.user, community=where, day=day or timezone.localdate())
    return [{"resident_id": r["resident"].pk, "name": r["resident"].name, "address": r["address"],
             "note": r["note"], "done": r["done"]} for r in rows]


class MealIn(Schema):
    resident_id: int
    day: dt.date | None = None
    delivered: bool = True
    note: str = Field("", max_length=200)


@router.post("/meals", response={201: MealRowOut})
def record_meal(request, payload: MealIn):
    resident = registry_selectors.access_resident(request.user, payload.resident_id)
    row = care.record_meal(actor=request.user, resident=resident, day=payload.day or timezone.localdate(),
                           delivered=payload.delivered, note=payload.note)
    return 201, {"resident_id": resident.pk, "name": resident.name, "address": resident.household.address,
                 "note": row.note, "done": row.delivered}


class ProgramIn(Schema):
    community_id: int
    name: str = Field(min_length=1, max_length=100)
    capacity: int = Field(ge=1, le=1000)
    min_age: int = Field(6, ge=0, le=18)
    max_age: int = Field(12, ge=0, le=18)


class ProgramOut(Schema):
    id: int
    name: str
    capacity: int
    enrolled: int


@router.post("/after-school/programs", response={201: ProgramOut})
def create_program(request, payload: ProgramIn):
    community = registry_selectors.access_place(request.user, payload.community_id)
    p = care.create_program(actor=request.user, community=community, name=payload.name, capacity=payload.capacity,
                            min_age=payload.min_age, max_age=payload.max_age)
    return 201, {"id": p.pk, "name": p.name, "capacity": p.capacity, "enrolled": 0}


class EnrolIn(Schema):
    child_id: int
    guardian_id: int


class EnrolOut(Schema):
    id: int
    program_id: int
    child_id: int


@router.post("/after-school/programs/{program_id}/enrolments", response={201: EnrolOut})
def enrol(request, program_id: int, payload: EnrolIn):
    child = registry_selectors.access_resident(request.user, payload.child_id)
    guardian = registry_selectors.access_resident(request.user, payload.guardian_id)
    program = AfterSchoolProgram.objects.filter(pk=program_id, community_id=child.community_id).first()
    if program is None:
        raise NotFound()
    e = care.enrol_child(actor=request.user, program=program, child=child, guardian=guardian)
    return 201, {"id": e.pk, "program_id": e.program_id, "child_id": e.child_id}


class AttendanceIn(Schema):
    day: dt.date | None = None
    status: str
    picked_up_by: str = Field("", max_length=50)


@router.post("/after-school/enrolments/{enrolment_id}/attendance", response={201: dict})
def attendance(request, enrolment_id: int, payload: AttendanceIn):
    visible = care.care_residents_visible_to(request.user).values("pk")
    enrolment = AfterSchoolEnrolment.objects.filter(pk=enrolment_id, child_id__in=visible).first()
    if enrolment is None:
        raise NotFound()
    row = care.record_attendance(actor=request.user, enrolment=enrolment, day=payload.day or timezone.localdate(),
                                 status=payload.status, picked_up_by=payload.picked_up_by)
    return 201, {"id": row.pk, "status": row.status, "on": row.on.isoformat()}
