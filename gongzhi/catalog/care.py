"""Services and selectors for 一老一少: elderly archives, free check-ups, meals, emergency phones, after-school care."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.enums import REGISTRY_ROLES
from gongzhi.accounts.selectors import scope_q
from gongzhi.core import crypto, masking, paths
from gongzhi.core.audit import record_audit
from gongzhi.core.errors import InvalidInput
from gongzhi.core.models import AuditEvent
from gongzhi.core.permissions import require
from gongzhi.registry.enums import ResidentStatus, Tag
from gongzhi.registry.models import Place, Resident
from gongzhi.registry.selectors import residents_visible_to
from gongzhi.registry.services import parse_phone

from .enums import AttendanceStatus, CheckupStatus, Mobility
from .models import (
    AfterSchoolAttendance,
    AfterSchoolEnrolment,
    AfterSchoolProgram,
    CheckupCampaign,
    CheckupRecord,
    ElderlyProfile,
    MealDelivery,
)

EMERGENCY_PHONE_AGE = 65


# --- Elderly archive ---------------------------------------------------------------------------------

@transaction.atomic
def update_elderly_profile(*, actor, resident: Resident, chronic_conditions: str | None = None,
                           mobility: str | None = None, emergency_contact_name: str | None = None,
                           emergency_contact_phone: str | None = None, meal_delivery: bool | None = None,
                           meal_note: str | None = None) -> ElderlyProfile:
    require(actor, "catalog.manage_care", resident)
    profile, _created = ElderlyProfile.objects.get_or_create(resident=resident, defaults={"path": resident.path})
    if mobility is not None:
        if mobility not in Mobility.values:
            raise InvalidInput(_("Unknown mobility."), field="mobility")
        profile.mobility = mobility
    for field, value in (("chronic_conditions", chronic_conditions), ("emergency_contact_name",
                                                                      emergency_contact_name),
                         ("meal_note", meal_note)):
        if value is not None:
            setattr(profile, field, value.strip()[:200])
    if meal_delivery is not None:
        profile.meal_delivery = meal_delivery
    if emergency_contact_phone is not None:
        phone = parse_phone(emergency_contact_phone) if emergency_contact_phone.strip() else ""
        profile.emergency_contact_phone_cipher = crypto.encrypt(phone) if phone else ""
        profile.emergency_contact_phone_masked = masking.mask_phone(phone)
    profile.path = resident.path
    profile.save()
    record_audit(actor=actor, action=AuditEvent.Action.UPDATE, target=resident, field="elderly_profile")
    return profile


def care_residents_visible_to(user) -> QuerySet[Resident]:
    """Care lists are staff lists: residents inside the user's registry scopes only. A resident does not see
    their own household's care data here (unlike the registry's "my household")."""
    qs = residents_visible_to(user)
    q = scope_q(user, REGISTRY_ROLES)
    return qs if q is None else qs.filter(q)


def elderly_list(user, *, place: Place | None = None, min_age: int = 60, living_alone: bool = False,
                 meal_delivery: bool | None = None, without_emergency_phone: bool = False,
                 today: dt.date | None = None) -> QuerySet[Resident]:
    """老人名单 — e.g. everyone over 80 living alone, with last check-up, meals and emergency phone."""
    qs = care_residents_visible_to(user).filter(status=ResidentStatus.ACTIVE).aged(min_age, today=today)
    if place is not None:
        qs = qs.filter(paths.subtree_q("path", place.path))
    if living_alone:
        qs = qs.filter(taggings__tag=Tag.LIVING_ALONE)
    if meal_delivery is not None:
        qs = qs.filter(elderly_profile__meal_delivery=meal_delivery)
    if without_emergency_phone:
        qs = qs.filter(Q(elderly_profile__isnull=True) | Q(elderly_profile__emergency_phone_issued_on__isnull=True))
    return qs.select_related("household__building__parent", "elderly_profile").order_by("path", "household_id",
                                                                                          "id")


@transaction.atomic
def issue_emergency_phone(*, actor, resident: Resident, on: dt.date | None = None) -> ElderlyProfile:
    """一键呼叫 — emergency phones go to residents 65 and over."""
    require(actor, "catalog.manage_care", resident)
    if resident.age() < EMERGENCY_PHONE_AGE:
        raise InvalidInput(_("Emergency phones are for residents aged 65 and over."), field="resident")
    profile, _created = ElderlyProfile.objects.get_or_create(resident=resident, defaults={"path": resident.path})
    if profile.emergency_phone_issued_on:
        raise InvalidInput(_("This resident already holds an emergency phone."), field="resident")
    profile.emergency_phone_issued_on = on or timezone.localdate()
    profile.save(update_fields=["emergency_phone_issued_on", "updated_at"])
    return profile


# --- Free check-ups -------------------------------------------------------------------------------------

@transaction.atomic
def start_checkup_campaign(*, actor, community: Place, year: int, min_age: int = 60) -> tuple[CheckupCampaign, int]:
    """Open (or refresh) the year's campaign: every active resident aged ``min_age``+ goes on the worklist."""
    require(actor, "catalog.manage_care", community)
    if community.kind != "community":
        raise InvalidInput(_("A campaign is run by a community."), field="community")
    campaign, _created = CheckupCampaign.objects.get_or_create(
        community=community, year=year,
        defaults={"path": community.path, "min_age": min_age, "title": f"{year}年{community.name}老年人免费体检"})
    eligible = (Resident.objects.filter(community=community, status=ResidentStatus.ACTIVE)
                .aged(campaign.min_age, today=dt.date(year, 12, 31))
                .exclude(pk__in=campaign.records.values("resident_id"))
                .select_related("elderly_profile"))
    records = [CheckupRecord(campaign=campaign, resident=r, path=r.path,
                             needs_escort=getattr(getattr(r, "elderly_profile", None), "mobility", "") in (
                                 Mobility.ASSISTED, Mobility.BEDRIDDEN))
               for r in eligible]
    CheckupRecord.objects.bulk_create(records, batch_size=1000)
    return campaign, len(records)


@transaction.atomic
def record_checkup(*, actor, record: CheckupRecord, status: str, on: dt.date | None = None,
                   note: str = "") -> CheckupRecord:
    require(actor, "catalog.manage_care", record)
    if status not in CheckupStatus.values:
        raise InvalidInput(_("Unknown check-up status."), field="status")
    day = on or timezone.localdate()
    record.status, record.note = status, note.strip()[:200]
    if status == CheckupStatus.SCHEDULED:
        record.scheduled_on = day
    if status == CheckupStatus.DONE:
        record.done_on = day
        ElderlyProfile.objects.get_or_create(resident=record.resident, defaults={"path": record.path})
        ElderlyProfile.objects.filter(resident=record.resident).update(last_checkup_on=day)
    record.save()
    return record


# --- Meals ----------------------------------------------------------------------------------------------

def meal_run_sheet(user, *, community: Place | None = None, day: dt.date) -> list[dict]:
    """今日送餐单 — who gets meals today, building by building, with what was recorded."""
    qs = elderly_list(user, place=community, min_age=0, meal_delivery=True)
    delivered = MealDelivery.objects.filter(resident=OuterRef("pk"), on=day, delivered=True)
    rows = qs.annotate(done=Exists(delivered))
    return [{"resident": r, "address": r.household.address, "note": r.elderly_profile.meal_note, "done": r.done}
            for r in rows]


def record_meal(*, actor, resident: Resident, day: dt.date, delivered: bool = True, note: str = "") -> MealDelivery:
    require(actor, "catalog.manage_care", resident)
    if not ElderlyProfile.objects.filter(resident=resident, meal_delivery=True).exists():
        raise InvalidInput(_("This resident is not on the meal delivery list."), field="resident")
    row, _created = MealDelivery.objects.update_or_create(
        resident=resident, on=day, defaults={"path": resident.path, "delivered": delivered,
                                             "note": note.strip()[:200], "recorded_by": actor})
    return row


# --- After-school care -------------------------------------------------------------------------------------

def create_program(*, actor, community: Place, name: str, capacity: int, min_age: int = 6,
                   max_age: int = 12) -> AfterSchoolProgram:
    require(actor, "catalog.manage_care", community)
    if community.kind != "community":
        raise InvalidInput(_("A programme is run by a community."), field="community")
    if not name.strip() or capacity < 1 or min_age > max_age:
        raise InvalidInput(_("Give a name, a capacity of at least one and a valid age range."), field="name")
    return AfterSchoolProgram.objects.create(community=community, path=community.path, name=name.strip(),
                                             capacity=capacity, min_age=min_age, max_age=max_age)


@transaction.atomic
def enrol_child(*, actor, program: AfterSchoolProgram, child: Resident, guardian: Resident,
                today=None) -> AfterSchoolEnrolment:
    """托管报名 — a guardian (or staff for them) enrols a child of the same household; capacity is never exceeded.

    ``today`` is the day the age is taken on (the demo seed builds a community as of a chosen day).
    """
    if not (actor.has_perm("catalog.manage_care", child) or getattr(actor, "resident_id", None) == guardian.pk):
        require(actor, "catalog.manage_care", child)
    program = AfterSchoolProgram.objects.select_for_update().get(pk=program.pk)
    if child.household_id != guardian.household_id or child.pk == guardian.pk:
        raise InvalidInput(_("The guardian must live in the child's household."), field="guardian")
    if child.community_id != program.community_id:
        raise InvalidInput(_("The child does not live in this community."), field="child")
    if not program.min_age <= child.age(today) <= program.max_age:
        raise InvalidInput(_("The child's age is outside this programme's range."), field="child")
    if program.enrolments.filter(active=True).count() >= program.capacity:
        raise InvalidInput(_("This programme is full."), field="program")
    try:
        with transaction.atomic():
            return AfterSchoolEnrolment.objects.create(program=program, child=child, guardian=guardian,
                                                       path=child.path)
    except IntegrityError:
        raise InvalidInput(_("This child is already enrolled."), field="child") from None


def record_attendance(*, actor, enrolment: AfterSchoolEnrolment, day: dt.date, status: str,
                      picked_up_by: str = "") -> AfterSchoolAttendance:
    require(actor, "catalog.manage_care", enrolment)
    if status not in AttendanceStatus.values:
        raise InvalidInput(_("Unknown attendance status."), field="status")
    if status == AttendanceStatus.PRESENT and not picked_up_by.strip():
        raise InvalidInput(_("Record who picked the child up."), field="picked_up_by")
    row, _created = AfterSchoolAttendance.objects.update_or_create(
        enrolment=enrolment, on=day, defaults={"status": status, "picked_up_by": picked_up_by.strip()[:50],
                                               "recorded_by": actor})
    return row
