"""Services for merchants, resident units and social organisations: directory, orders, bookings, jobs, incubation."""

import datetime as dt

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.enums import REGISTRY_ROLES, REGISTRY_WRITE_ROLES
from gongzhi.accounts.selectors import covers, scope_q
from gongzhi.core.errors import Forbidden, InvalidInput, NotFound
from gongzhi.registry.enums import ResidentStatus, ResidentUnitKind
from gongzhi.registry.models import Place, Resident, ResidentUnit
from gongzhi.registry.selectors import own_household_id

from .enums import IncubationStage, OrderStatus, ProjectFunding, ServiceKind
from .models import (
    Booking,
    Incubation,
    JobPosting,
    MerchantService,
    MerchantStaff,
    OrgProject,
    ServiceOrder,
    SharedResource,
)

INCUBATION_NEXT = {IncubationStage.APPLIED: IncubationStage.INCUBATING,
                   IncubationStage.INCUBATING: IncubationStage.GRADUATED}


def is_unit_staff(user, unit: ResidentUnit) -> bool:
    return user.is_authenticated and MerchantStaff.objects.filter(user=user, unit=unit).exists()


def is_community_staff(user, place_path: str) -> bool:
    return covers(user, REGISTRY_WRITE_ROLES, place_path)


def is_household_of(user, resident: Resident) -> bool:
    """The resident themself or someone living (still, actively) in their household."""
    household_id = own_household_id(user)
    return household_id is not None and household_id == resident.household_id


def _may_act_for(user, resident: Resident) -> bool:
    """The resident themself, someone of their household, or staff in scope."""
    return is_household_of(user, resident) or is_community_staff(user, resident.path)


def units_visible_to(user) -> QuerySet[ResidentUnit]:
    """Units a user may act for: those they are staff of, and every unit of the communities they work in."""
    if not user.is_authenticated:
        return ResidentUnit.objects.none()
    qs = ResidentUnit.objects.select_related("community")
    q = scope_q(user, REGISTRY_WRITE_ROLES, field="community__path")
    if q is None:
        return qs
    return qs.filter(q | Q(pk__in=MerchantStaff.objects.filter(user=user).values("unit_id")))


def access_unit(user, unit_id: int) -> ResidentUnit:
    try:
        return units_visible_to(user).get(pk=unit_id)
    except (ResidentUnit.DoesNotExist, ValueError):
        raise NotFound() from None


def staff_units(user) -> QuerySet[ResidentUnit]:
    """The units this login works for (商户/单位/社会组织 staff), whatever roles it also holds."""
    if not user.is_authenticated:
        return ResidentUnit.objects.none()
    return ResidentUnit.objects.filter(staff_links__user=user).select_related("community").order_by("name")


# --- Directory and orders --------------------------------------------------------------------------------

def directory(community: Place, *, kind: str = "") -> QuerySet[MerchantService]:
    """便民服务手册 — the community's active merchant services (public)."""
    qs = MerchantService.objects.filter(unit__community=community, active=True).select_related("unit")
    return qs.filter(kind=kind) if kind else qs


def offer_service(*, actor, unit: ResidentUnit, kind: str, name: str, price_text: str = "",
                  hours: str = "") -> MerchantService:
    if not (is_unit_staff(actor, unit) or is_community_staff(actor, unit.community.path)):
        raise Forbidden()
    if kind not in ServiceKind.values:
        raise InvalidInput(_("Unknown service category."), field="kind")
    if not name.strip():
        raise InvalidInput(_("Name is required."), field="name")
    return MerchantService.objects.create(unit=unit, path=unit.community.path, kind=kind, name=name.strip(),
                                          price_text=price_text.strip(), hours=hours.strip())


def place_order(*, actor, service: MerchantService, resident: Resident, wanted_at: dt.datetime,
                note: str = "") -> ServiceOrder:
    if not _may_act_for(actor, resident):
        raise Forbidden()
    if not service.active:
        raise InvalidInput(_("This service is no longer offered."), field="service")
    if resident.status != ResidentStatus.ACTIVE or resident.community_id != service.unit.community_id:
        raise InvalidInput(_("The service is offered to residents of its community."), field="resident")
    if wanted_at < timezone.now() - dt.timedelta(minutes=5):
        raise InvalidInput(_("The time wanted is in the past."), field="wanted_at")
    return ServiceOrder.objects.create(service=service, resident=resident, path=resident.path, wanted_at=wanted_at,
                                       note=note.strip()[:200])


ORDER_MOVES = {
    "accept": ({OrderStatus.ORDERED}, OrderStatus.ACCEPTED, "merchant"),
    "complete": ({OrderStatus.ACCEPTED}, OrderStatus.DONE, "merchant"),
    "cancel": ({OrderStatus.ORDERED, OrderStatus.ACCEPTED}, OrderStatus.CANCELLED, "either"),
}


@transaction.atomic
def move_order(*, actor, order: ServiceOrder, action: str) -> ServiceOrder:
    if action not in ORDER_MOVES:
        raise InvalidInput(_("Unknown action."), field="action")
    order = (ServiceOrder.objects.select_for_update(of=("self",)).select_related("service__unit", "resident")
             .get(pk=order.pk))
    sources, target, who = ORDER_MOVES[action]
    merchant = is_unit_staff(actor, order.service.unit)
    if not (merchant or (who == "either" and _may_act_for(actor, order.resident))):
        raise Forbidden()
    if order.status not in sources:
        raise InvalidInput(_("This order cannot be changed that way now."), field="status")
    order.status = target
    order.save(update_fields=["status", "updated_at"])
    return order


def rate_order(*, actor, order: ServiceOrder, rating: int, comment: str = "") -> ServiceOrder:
    """评价 — only the customer's household rates; staff do not rate a merchant on a resident's behalf."""
    if not is_household_of(actor, order.resident):
        raise Forbidden()
    if order.status != OrderStatus.DONE:
        raise InvalidInput(_("Only a completed order can be rated."), field="status")
    if order.rating is not None:
        raise InvalidInput(_("This order has been rated already."), field="rating")
    if not 1 <= rating <= 5:
        raise InvalidInput(_("A rating is from 1 to 5."), field="rating")
    order.rating, order.rating_comment = rating, comment.strip()[:200]
    order.save(update_fields=["rating", "rating_comment", "updated_at"])
    return order


def orders_visible_to(user) -> QuerySet[ServiceOrder]:
    qs = ServiceOrder.objects.select_related("service__unit", "resident")
    return _scoped_own_or_unit(qs, user, scope_field="path", unit_field="service__unit_id")


# --- Shared resources ---------------------------------------------------------------------------------------

def _within_window(resource: SharedResource, starts: dt.datetime, ends: dt.datetime) -> bool:
    start_t, end_t = timezone.localtime(starts).time(), timezone.localtime(ends).time()
    a, b = resource.available_from, resource.available_until
    if a <= b:  # same-day window
        return timezone.localtime(starts).date() == timezone.localtime(ends).date() and a <= start_t and end_t <= b
    # overnight window, e.g. 19:00–07:30 (错时停车)
    return (start_t >= a or start_t < b) and (end_t <= b or end_t > a) and ends - starts <= dt.timedelta(hours=24)


@transaction.atomic
def book(*, actor, resource: SharedResource, resident: Resident, starts_at: dt.datetime,
         ends_at: dt.datetime) -> Booking:
    """Book a shared resource; overlapping bookings never exceed its places (writers serialised on the row)."""
    if not _may_act_for(actor, resident):
        raise Forbidden()
    resource = SharedResource.objects.select_for_update().get(pk=resource.pk)
    if not resource.active:
        raise InvalidInput(_("This resource is not shared at the moment."), field="resource")
    if ends_at <= starts_at:
        raise InvalidInput(_("The end must be after the start."), field="ends_at")
    if starts_at < timezone.now() - dt.timedelta(minutes=5):
        raise InvalidInput(_("The start is in the past."), field="starts_at")
    if not _within_window(resource, starts_at, ends_at):
        raise InvalidInput(_("Outside the hours this resource is shared."), field="starts_at")
    overlapping = resource.bookings.filter(cancelled=False, starts_at__lt=ends_at, ends_at__gt=starts_at).count()
    if overlapping >= resource.capacity:
        raise InvalidInput(_("Fully booked for that time."), field="starts_at")
    return Booking.objects.create(resource=resource, resident=resident, starts_at=starts_at, ends_at=ends_at)


def bookings_visible_to(user) -> QuerySet[Booking]:
    """The household's own bookings, the bookings of residents in a staff scope, and a unit's staff see who
    booked the unit's resources."""
    qs = Booking.objects.select_related("resource__unit", "resident")
    return _scoped_own_or_unit(qs, user, scope_field="resident__path", unit_field="resource__unit_id")


def _scoped_own_or_unit(qs: QuerySet, user, *, scope_field: str, unit_field: str) -> QuerySet:
    """Rows of residents in the user's registry scope, of the user's own household, and of the units whose
    staff the user is (orders and bookings alike)."""
    q = scope_q(user, REGISTRY_ROLES, field=scope_field)
    if q is None:
        return qs
    household_id = own_household_id(user)
    if household_id is not None:
        q |= Q(resident__household_id=household_id)
    if user.is_authenticated:
        q |= Q(**{f"{unit_field}__in": MerchantStaff.objects.filter(user=user).values("unit_id")})
    return qs.filter(q)


@transaction.atomic
def cancel_booking(*, actor, booking: Booking) -> Booking:
    """The household (or community staff for them) cancels a booking that has not started."""
    booking = Booking.objects.select_for_update(of=("self",)).select_related("resident").get(pk=booking.pk)
    if not _may_act_for(actor, booking.resident):
        raise Forbidden()
    if booking.cancelled:
        raise InvalidInput(_("This booking is cancelled already."), field="booking")
    if booking.starts_at <= timezone.now():
        raise InvalidInput(_("A booking that has started cannot be cancelled."), field="booking")
    booking.cancelled = True
    booking.save(update_fields=["cancelled"])
    return booking


# --- Jobs ----------------------------------------------------------------------------------------------------

def post_job(*, actor, unit: ResidentUnit, title: str, description: str, pay_text: str = "") -> JobPosting:
    if not (is_unit_staff(actor, unit) or is_community_staff(actor, unit.community.path)):
        raise Forbidden()
    if not title.strip() or not description.strip():
        raise InvalidInput(_("Give a title and a description."), field="title")
    return JobPosting.objects.create(unit=unit, path=unit.community.path, title=title.strip()[:100],
                                     description=description.strip(), pay_text=pay_text.strip()[:60])


# --- Social organisations -------------------------------------------------------------------------------------

def apply_for_incubation(*, actor, organization: ResidentUnit, field: str) -> Incubation:
    if organization.kind != ResidentUnitKind.SOCIAL_ORGANIZATION:
        raise InvalidInput(_("Only social organisations enter the incubator."), field="organization")
    if not (is_unit_staff(actor, organization) or is_community_staff(actor, organization.community.path)):
        raise Forbidden()
    if Incubation.objects.filter(organization=organization).exists():
        raise InvalidInput(_("This organisation has applied already."), field="organization")
    today = timezone.localdate()
    return Incubation.objects.create(organization=organization, path=organization.community.path,
                                     field=field.strip()[:100], applied_on=today, stage_since=today)


def incubations_of(user) -> QuerySet[Incubation]:
    """An organisation's staff see their own incubation record; community staff see their communities'."""
    qs = Incubation.objects.select_related("organization")
    q = scope_q(user, REGISTRY_ROLES)
    if q is None:
        return qs
    if user.is_authenticated:
        q |= Q(organization_id__in=MerchantStaff.objects.filter(user=user).values("unit_id"))
    return qs.filter(q)


def advance_incubation(*, actor, incubation: Incubation, mentor: str = "") -> Incubation:
    if not is_community_staff(actor, incubation.path):
        raise Forbidden()
    target = INCUBATION_NEXT.get(incubation.stage)
    if target is None:
        raise InvalidInput(_("This organisation cannot move to a next stage."), field="stage")
    incubation.stage, incubation.stage_since = target, timezone.localdate()
    if mentor.strip():
        incubation.mentor = mentor.strip()[:50]
    incubation.save()
    return incubation


def add_project(*, actor, organization: ResidentUnit, title: str, funding: str, budget_fen: int,
                starts_on: dt.date, ends_on: dt.date) -> OrgProject:
    if not is_community_staff(actor, organization.community.path):
        raise Forbidden()
    if organization.kind != ResidentUnitKind.SOCIAL_ORGANIZATION:
        raise InvalidInput(_("Projects are run by social organisations."), field="organization")
    if not title.strip():
        raise InvalidInput(_("Title is required."), field="title")
    if funding not in ProjectFunding.values:
        raise InvalidInput(_("Unknown funding source."), field="funding")
    if budget_fen <= 0:
        raise InvalidInput(_("A budget must be more than zero."), field="budget_fen")
    if ends_on < starts_on:
        raise InvalidInput(_("The end must be after the start."), field="ends_on")
    return OrgProject.objects.create(organization=organization, path=organization.community.path,
                                     title=title.strip()[:100], funding=funding, budget_fen=budget_fen,
                                     starts_on=starts_on, ends_on=ends_on)


def five_party_view(community: Place) -> dict:
    """五社联动 — community, social organisations, social workers, volunteers and charity funds, counted."""
    from django.apps import apps

    from gongzhi.accounts.enums import Role
    from gongzhi.accounts.models import RoleAssignment

    orgs = ResidentUnit.objects.filter(community=community, kind=ResidentUnitKind.SOCIAL_ORGANIZATION)
    view = {
        "community": community.name,
        "social_organizations": orgs.count(),
        "incubating": Incubation.objects.filter(organization__community=community,
                                                stage=IncubationStage.INCUBATING).count(),
        "projects": OrgProject.objects.filter(organization__community=community).count(),
        "social_workers": RoleAssignment.objects.filter(
            place=community, role__in=[Role.SECRETARY, Role.COMMUNITY_WORKER]).count()
        + RoleAssignment.objects.filter(place__community=community, role=Role.GRID_WORKER).count(),
        "volunteers": 0,
        "charity_funds": 0,
    }
    if apps.is_installed("gongzhi.volunteering"):
        view["volunteers"] = apps.get_model("volunteering", "Volunteer").objects.filter(community=community).count()
    if apps.is_installed("gongzhi.ledger"):
        account = apps.get_model("ledger", "Account")
        view["charity_funds"] = account.objects.filter(community=community, kind="fund").count()
    return view
